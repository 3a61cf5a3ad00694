"""Worker processes that evaluate queries, so that a time limit can really stop one.

A ``WorkerPool`` keeps ``size`` processes, each holding the dataset: the live build of an
on-disk store opened read-only (reopened when ``<store>/current`` points at a new build), or
RDF files loaded into an in-memory store. The parent sends a job down a pipe and waits at
most the time limit; a worker still busy then is killed and replaced, and the caller gets
``QueryTimeoutError``. A worker that dies (pyoxigraph 0.5 aborts on some inputs) costs the
request that killed it, never the service. Results are serialised inside the worker by
pyoxigraph and come back as bytes.

With ``updatable=True`` (an update token is configured) the pool also runs one *writer*
process that owns a private, writable on-disk copy of the dataset. After each update the
writer takes a checkpoint (``Store.backup``, hard links, cheap); readers open the newest
checkpoint read-only on their next job, so a query never reads a store another process is
writing.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import os
import queue
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from kg.errors import KGError, QueryError, QueryRefusedError, QueryTimeoutError
from kg.query import OutputFormat, Result
from kg.store import current_build

__all__ = [
    "DumpJob",
    "Engine",
    "EngineCrashedError",
    "FilesSource",
    "GraphGetJob",
    "GraphNotFoundError",
    "GraphWriteJob",
    "LocalEngine",
    "QueryJob",
    "StatsJob",
    "StoreSource",
    "UpdateJob",
    "WorkerPool",
    "WorkersBusyError",
    "rdf_format_for_path",
]


class EngineCrashedError(KGError):
    """The worker evaluating a request died (the engine crashed on it)."""


class WorkersBusyError(QueryTimeoutError):
    """Every worker stayed busy for the whole time limit; the request never started."""


class GraphNotFoundError(KGError):
    """The named graph does not exist in the store."""


class ReadOnlyError(KGError):
    """A write was sent to an engine that has no writable copy of the dataset."""


# --------------------------------------------------------------------- sources and jobs


@dataclass(frozen=True)
class StoreSource:
    """The live build of an on-disk store (``<store_dir>/current``)."""

    store_dir: str


@dataclass(frozen=True)
class FilesSource:
    """RDF files loaded into memory; the default graph gets the union of the named graphs
    (as in a published build, see docs/decisions/0001)."""

    paths: tuple[str, ...]


Source = StoreSource | FilesSource


@dataclass(frozen=True)
class QueryJob:
    text: str
    output: OutputFormat
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    check_graphs: tuple[str, ...] = ()
    max_rows: int = 100_000
    limit_applied: bool = False
    bindings: Mapping[str, Any] = field(default_factory=dict)
    base_iri: str | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)
    original_text: str | None = None  # the client's text, when ``text`` carries our LIMIT


@dataclass(frozen=True)
class UpdateJob:
    text: str
    base_iri: str | None = None


@dataclass(frozen=True)
class GraphGetJob:
    graph: str | None  # None: the default graph
    output: OutputFormat


@dataclass(frozen=True)
class GraphWriteJob:
    method: str  # PUT (replace), POST (merge), DELETE
    graph: str | None
    data: bytes = b""
    engine_format: str = "TURTLE"
    base_iri: str | None = None


@dataclass(frozen=True)
class StatsJob:
    pass


@dataclass(frozen=True)
class DumpJob:
    engine_format: str
    path: str
    named_graphs_only: bool


Job = QueryJob | UpdateJob | GraphGetJob | GraphWriteJob | StatsJob | DumpJob
_WRITES = (UpdateJob, GraphWriteJob)


def rdf_format_for_path(path: str | Path) -> ox.RdfFormat:
    """The RDF format of a file, by its extension (``.ttl``, ``.nt``, ``.nq``, ``.trig``,
    ``.rdf``/``.owl``/``.xml``, ``.jsonld``)."""
    ext = Path(path).suffix.lstrip(".").lower()
    ext = {"owl": "rdf", "xml": "rdf", "json": "jsonld"}.get(ext, ext)
    fmt = ox.RdfFormat.from_extension(ext)
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF file extension")
    return fmt


# --------------------------------------------------------------------- evaluation


def _term(value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term (or a plain str/int/float/bool) as a pyoxigraph term."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, RLiteral):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    if isinstance(value, bool | int | float | str):
        return _term(RLiteral(value))
    raise QueryError(f"cannot bind a {type(value).__name__}")


def _graph(iri: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri is None else ox.NamedNode(iri)


def evaluate_query(store: ox.Store, job: QueryJob) -> Result:
    """Run one query on ``store`` and serialise it as ``job.output`` asks."""
    for iri in job.check_graphs:
        if not store.contains_named_graph(ox.NamedNode(iri)):
            raise QueryRefusedError(
                f"graph <{iri}> is not in this store; this endpoint reads no graph from elsewhere"
            )
    kwargs: dict[str, Any] = {}
    if job.default_graphs or job.named_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs] or ox.DefaultGraph()
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.bindings:
        kwargs["substitutions"] = {ox.Variable(k): _term(v) for k, v in job.bindings.items()}
    try:
        results = store.query(job.text, base_iri=job.base_iri, **kwargs)
    except SyntaxError as exc:
        if job.original_text is not None:  # report positions in the client's text, not ours
            try:
                store.query(job.original_text, base_iri=job.base_iri, **kwargs)
            except SyntaxError as original:
                raise QueryError(str(original)) from None
        raise QueryError(str(exc)) from None
    except (RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"the engine cannot evaluate this query: {exc}") from None
    fmt = job.output
    if isinstance(results, ox.QueryBoolean):
        return Result(results.serialize(format=_results_format(fmt)) or b"", fmt.media_type, "boolean")
    if isinstance(results, ox.QuerySolutions):
        return _solutions(results, job)
    return _triples(results, job)


def _results_format(fmt: OutputFormat) -> ox.QueryResultsFormat:
    value = getattr(ox.QueryResultsFormat, fmt.engine_format, None)
    if not isinstance(value, ox.QueryResultsFormat):
        raise QueryError(f"{fmt.media_type} cannot carry a SELECT or ASK result")
    return value


def _rdf_format(name: str, media_type: str = "") -> ox.RdfFormat:
    value = getattr(ox.RdfFormat, name, None)
    if not isinstance(value, ox.RdfFormat):
        raise QueryError(f"{media_type or name} cannot carry an RDF graph")
    return value


def _solutions(results: ox.QuerySolutions, job: QueryJob) -> Result:
    """Serialise solutions; the text asked for at most max_rows+1, so one row too many
    means the cap cut the result, and that row is dropped."""
    fmt = job.output
    target = _results_format(fmt)
    tsv = ox.QueryResultsFormat.TSV
    # CSV cannot be read back losslessly, so a capped CSV result goes through TSV.
    first = tsv if (target == ox.QueryResultsFormat.CSV and job.limit_applied) else target
    body = results.serialize(format=first) or b""
    truncated = False
    # Each row takes at least one byte, so a short body cannot hold max_rows+1 rows.
    if job.limit_applied and len(body) > job.max_rows:
        table = body if first == tsv else _reserialize(body, first, tsv)
        lines = table.split(b"\n")  # TSV escapes newlines inside terms
        if len(lines) - 2 > job.max_rows:  # header + rows + final empty piece
            truncated = True
            table = b"\n".join(lines[: job.max_rows + 1]) + b"\n"
            body = table
            first = tsv
    if first != target:
        body = _reserialize(body, first, target)
    if truncated and target == ox.QueryResultsFormat.JSON:
        body = b'{"truncated":true,"max_rows":%d,' % job.max_rows + body[1:]
    return Result(body, fmt.media_type, "solutions", truncated, job.max_rows)


def _reserialize(body: bytes, source: ox.QueryResultsFormat, target: ox.QueryResultsFormat) -> bytes:
    parsed = ox.parse_query_results(body, format=source)
    assert isinstance(parsed, ox.QuerySolutions)
    return parsed.serialize(format=target) or b""


def _triples(results: ox.QueryTriples, job: QueryJob) -> Result:
    fmt = job.output
    target = _rdf_format(fmt.engine_format, fmt.media_type)
    if target == ox.RdfFormat.TURTLE or target == ox.RdfFormat.TRIG:
        # keep the query's prefixes for a readable document
        triples = list(results)
        if len(triples) > job.max_rows:
            return _capped_graph(triples, job, target)
        body = ox.serialize(triples, format=target, prefixes=dict(job.prefixes)) or b""
        return Result(body, fmt.media_type, "graph", False, job.max_rows)
    body = results.serialize(format=target) or b""
    if len(body) > job.max_rows:
        triples = [q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(body, format=target)]
        if len(triples) > job.max_rows:
            return _capped_graph(triples, job, target)
    return Result(body, fmt.media_type, "graph", False, job.max_rows)


def _capped_graph(triples: list[Any], job: QueryJob, target: ox.RdfFormat) -> Result:
    body = ox.serialize(triples[: job.max_rows], format=target, prefixes=dict(job.prefixes)) or b""
    return Result(body, job.output.media_type, "graph", True, job.max_rows)


class _Dataset:
    """What one worker holds: the store and where it came from."""

    def __init__(self, source: Source, *, snapshots: bool = False) -> None:
        self.source = source
        self.store = ox.Store()
        self.key: str | None = None
        self._stats: dict[str, Any] = {}
        if not snapshots:  # a reader of an updatable pool opens the checkpoint each job names
            self.refresh(None)

    def refresh(self, snapshot: str | None) -> None:
        """Reopen when the live build (or, for an updatable pool, the checkpoint) moved."""
        if snapshot is not None:
            if snapshot != self.key:
                self.store, self.key = ox.Store.read_only(snapshot), snapshot
            return
        if isinstance(self.source, StoreSource):
            build = current_build(Path(self.source.store_dir))
            key = str(build) if build else ""
            if key != self.key:
                self.store = ox.Store.read_only(key) if build else ox.Store()
                self.key = key
        elif self.key is None:
            self.store = ox.Store()
            load_files(self.store, self.source.paths)
            self.key = "files"

    @property
    def build_id(self) -> str:
        if isinstance(self.source, FilesSource):
            return "data:" + ",".join(Path(p).name for p in self.source.paths)
        return Path(self.key).name if self.key else "none"

    def handle(self, job: Job) -> Any:
        store = self.store
        if isinstance(job, QueryJob):
            return evaluate_query(store, job)
        if isinstance(job, GraphGetJob):
            if job.graph is not None and not store.contains_named_graph(ox.NamedNode(job.graph)):
                raise GraphNotFoundError(f"no graph <{job.graph}> in the store")
            fmt = _rdf_format(job.output.engine_format, job.output.media_type)
            return store.dump(format=fmt, from_graph=_graph(job.graph)) or b""
        if isinstance(job, StatsJob):
            return self.stats()
        if isinstance(job, DumpJob):
            return dump(store, job)
        raise ReadOnlyError("this engine is read-only")

    def stats(self) -> dict[str, Any]:
        if self._stats.get("key") != self.key:
            count = next(iter(store_query(self.store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))
            self._stats = {
                "key": self.key,
                "build": self.build_id,
                "triples": int(count[0].value),
                "named_graphs": sum(1 for _ in self.store.named_graphs()),
            }
        return {k: v for k, v in self._stats.items() if k != "key"}


def store_query(store: ox.Store, text: str) -> Iterator[Any]:
    result = store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    return iter(result)


def load_files(store: ox.Store, paths: Sequence[str]) -> None:
    """Load RDF files; then copy the named graphs into the default graph (set-union)."""
    for path in paths:
        try:
            store.bulk_load(path=str(path), format=rdf_format_for_path(path))
        except SyntaxError as exc:
            raise QueryError(f"{path}: {exc}") from None
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def dump(store: ox.Store, job: DumpJob) -> str:
    """Write the dataset to ``job.path`` in Rust, streaming: the named graphs for TriG and
    N-Quads, the default graph for triple formats."""
    fmt = _rdf_format(job.engine_format)
    tmp = job.path + ".part"
    if job.named_graphs_only:
        quads = (q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
        ox.serialize(quads, output=tmp, format=fmt)
    else:
        store.dump(output=tmp, format=fmt, from_graph=ox.DefaultGraph())
    os.replace(tmp, job.path)
    return job.path


class _Writer:
    """The writable copy of an updatable pool, in ``workdir/rw``, with checkpoints."""

    def __init__(self, source: Source, workdir: str) -> None:
        self.workdir = Path(workdir)
        rw = self.workdir / "rw"
        fresh = not rw.exists()
        if fresh and isinstance(source, StoreSource) and current_build(Path(source.store_dir)):
            build = current_build(Path(source.store_dir))
            ox.Store.read_only(str(build)).backup(str(rw))
            self.store = ox.Store(str(rw))
        else:
            self.store = ox.Store(str(rw))
            if fresh and isinstance(source, FilesSource):
                load_files(self.store, source.paths)
        done = [int(p.name[5:]) for p in self.workdir.glob("snap-*") if p.name[5:].isdigit()]
        self.counter = itertools.count(max(done, default=-1) + 1)
        self.snapshot = self.checkpoint()

    def checkpoint(self) -> str:
        path = self.workdir / f"snap-{next(self.counter)}"
        self.store.flush()
        self.store.backup(str(path))
        return str(path)

    def handle(self, job: Job) -> Any:
        if isinstance(job, UpdateJob):
            try:
                self.store.update(job.text, base_iri=job.base_iri)
            except SyntaxError as exc:
                raise QueryError(str(exc)) from None
            self.snapshot = self.checkpoint()
            return {"snapshot": self.snapshot}
        if isinstance(job, GraphWriteJob):
            created = self._write_graph(job)
            self.snapshot = self.checkpoint()
            return {"snapshot": self.snapshot, "created": created}
        raise ReadOnlyError(f"the writer does not take {type(job).__name__}")

    def _write_graph(self, job: GraphWriteJob) -> bool:
        graph = _graph(job.graph)
        exists = job.graph is None or self.store.contains_named_graph(graph)
        if job.method == "DELETE":
            if not exists:
                raise GraphNotFoundError(f"no graph <{job.graph}> in the store")
            if isinstance(graph, ox.DefaultGraph):
                self.store.clear_graph(graph)
            else:
                self.store.remove_graph(graph)
            return False
        try:
            fmt = _rdf_format(job.engine_format)
            quads = [
                ox.Quad(q.subject, q.predicate, q.object, graph)
                for q in ox.parse(job.data, format=fmt, base_iri=job.base_iri)
            ]
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"the request body is not valid RDF: {exc}") from None
        if job.method == "PUT" and exists:
            self.store.clear_graph(graph)
        elif not exists:
            self.store.add_graph(graph)
        self.store.extend(quads)
        return not exists


# --------------------------------------------------------------------- worker processes


def _worker_main(conn: Connection, source: Source, writer_dir: str | None, snapshots: bool) -> None:
    """Body of a worker process: load, say ready, then answer jobs until the pipe closes."""
    try:
        handler: _Dataset | _Writer = (
            _Writer(source, writer_dir) if writer_dir else _Dataset(source, snapshots=snapshots)
        )
    except (OSError, KGError, SyntaxError, ValueError) as exc:
        conn.send(("fatal", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", handler.snapshot if isinstance(handler, _Writer) else None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job, snapshot = message
        try:
            if isinstance(handler, _Dataset):
                handler.refresh(snapshot)
            reply: tuple[Any, ...] = ("ok", handler.handle(job))
        except KGError as exc:
            reply = ("error", type(exc).__name__, str(exc))
        except SyntaxError as exc:
            reply = ("error", "QueryError", str(exc))
        except OSError as exc:
            reply = ("error", "EngineCrashedError", f"the store could not be read: {exc}")
        except Exception as exc:  # the worker must outlive any one request
            reply = (
                "error",
                "EngineCrashedError",
                f"the engine failed on this request: {type(exc).__name__}: {exc}",
            )
        conn.send(reply)


_ERRORS: dict[str, type[KGError]] = {
    cls.__name__: cls
    for cls in (QueryError, QueryRefusedError, GraphNotFoundError, ReadOnlyError, EngineCrashedError)
}


def _context() -> Any:
    if sys.platform.startswith("linux"):
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["kg.workers"])
        return ctx
    return mp.get_context("spawn")


class _Worker:
    def __init__(self, source: Source, writer_dir: str | None = None, snapshots: bool = False) -> None:
        ctx = _context()
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main,
            args=(child, source, writer_dir, snapshots),
            daemon=True,
            name="kg-query-worker",
        )
        self.process.start()
        child.close()
        self.ready = False
        self.snapshot: str | None = None

    def wait_ready(self, timeout_s: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout_s):
            raise EngineCrashedError(f"a query worker did not start within {timeout_s:g} s")
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            raise EngineCrashedError("a query worker died while loading the dataset") from None
        if message[0] != "ready":
            raise EngineCrashedError(f"a query worker could not load the dataset: {message[1]}")
        self.ready, self.snapshot = True, message[1]

    def call(self, job: Job, snapshot: str | None, timeout_s: float) -> Any:
        self.conn.send((job, snapshot))
        if not self.conn.poll(timeout_s):
            raise QueryTimeoutError(
                f"the query ran longer than this endpoint's limit of {timeout_s:g} s and was stopped"
            )
        try:
            reply = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(1)
            code = self.process.exitcode
            raise EngineCrashedError(
                f"the query engine crashed on this request (worker exit code {code}); "
                "the service continues with a fresh worker"
            ) from None
        if reply[0] == "ok":
            return reply[1]
        raise _ERRORS.get(reply[1], QueryError)(reply[2])

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class Engine(Protocol):
    """Anything that runs jobs: ``WorkerPool`` in the server, ``LocalEngine`` in tests."""

    def run(self, job: Job, *, timeout_s: float) -> Any: ...


class LocalEngine:
    """Runs jobs in this process, with no time limit: for tests and tools that hold a
    store already. Writes go to ``store`` directly."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def run(self, job: Job, *, timeout_s: float) -> Any:
        if isinstance(job, QueryJob):
            return evaluate_query(self.store, job)
        if isinstance(job, UpdateJob):
            self.store.update(job.text, base_iri=job.base_iri)
            return {}
        if isinstance(job, StatsJob):
            count = next(iter(store_query(self.store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))
            return {
                "build": "local",
                "triples": int(count[0].value),
                "named_graphs": len(list(self.store.named_graphs())),
            }
        if isinstance(job, DumpJob):
            return dump(self.store, job)
        raise ReadOnlyError(f"LocalEngine does not take {type(job).__name__}")


class WorkerPool:
    """``size`` reader processes (and a writer when ``updatable``), started on first use."""

    def __init__(
        self,
        source: Source,
        *,
        size: int = 2,
        updatable: bool = False,
        start_timeout_s: float = 600.0,
    ) -> None:
        self.source = source
        self.size = max(1, size)
        self.updatable = updatable
        self.start_timeout_s = start_timeout_s
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._writer: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._snapshot: str | None = None
        self._workdir: str | None = None
        self._all: set[_Worker] = set()

    # -- life cycle
    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            if self._closed:
                raise EngineCrashedError("the query engine has been shut down")
            if self.updatable:
                self._workdir = tempfile.mkdtemp(prefix="peninsula-rw-")
                writer = self._spawn(writer=True)
                writer.wait_ready(self.start_timeout_s)
                self._snapshot = writer.snapshot
                self._writer.put(writer)
            for _ in range(self.size):
                self._idle.put(self._spawn())
            self._started = True

    def _spawn(self, writer: bool = False) -> _Worker:
        worker = _Worker(self.source, self._workdir if writer else None, snapshots=self.updatable)
        self._all.add(worker)
        return worker

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for worker in list(self._all):
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
                worker.kill()
            self._all.clear()
            if self._workdir:
                shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running
    def run(self, job: Job, *, timeout_s: float) -> Any:
        """Run ``job`` in a free worker within ``timeout_s`` (waiting for a free worker
        counts too). Raises QueryTimeoutError, EngineCrashedError or the job's error."""
        self.start()
        writes = isinstance(job, _WRITES)
        if writes and not self.updatable:
            raise ReadOnlyError("this endpoint is read-only")
        pool = self._writer if writes else self._idle
        try:
            worker = pool.get(timeout=timeout_s)
        except queue.Empty:
            raise WorkersBusyError(
                f"every query worker stayed busy for {timeout_s:g} s; try again later"
            ) from None
        try:
            worker.wait_ready(self.start_timeout_s)
            reply = worker.call(job, None if writes else self._snapshot, timeout_s)
        except (QueryTimeoutError, EngineCrashedError, OSError):
            self._replace(worker, pool, writer=writes)
            raise
        except BaseException:
            pool.put(worker)
            raise
        pool.put(worker)
        if writes and isinstance(reply, dict) and "snapshot" in reply:
            self._new_snapshot(reply["snapshot"])
        return reply

    def _replace(self, worker: _Worker, pool: queue.Queue[_Worker], *, writer: bool) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if not self._closed:
                pool.put(self._spawn(writer=writer))

    def _new_snapshot(self, path: str) -> None:
        with self._lock:
            old = self._snapshot
            self._snapshot = path
        if old and self._workdir:
            # keep a few recent checkpoints: a reader may still be finishing on one
            snaps = sorted(
                (p for p in Path(self._workdir).glob("snap-*")),
                key=lambda p: int(p.name[5:]) if p.name[5:].isdigit() else -1,
            )
            for stale in snaps[:-3]:
                shutil.rmtree(stale, ignore_errors=True)

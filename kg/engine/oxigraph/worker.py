"""The worker process's side of the query engine: what it holds and its main loop.

A reader worker holds a :class:`Dataset`: the live build of an on-disk store opened
read-only (reopened when ``<store>/current`` points at a new build, or, in an updatable
pool, when the parent names a newer checkpoint), or RDF files loaded into memory. The one
writer of an updatable pool holds a :class:`Writer`: a private writable copy that takes a
checkpoint (``Store.backup``, hard links, cheap) after each write. :func:`worker_main`
loads the holder, says ready, and answers jobs from the pipe until it closes; errors go
back as ``("error", class name, message)`` so the parent (:mod:`kg.engine.oxigraph.pool`) can raise
them again. The body of a query or a graph (``STREAMED`` jobs) goes ahead of the reply as
the engine writes it, one message per chunk, then an empty message.
"""

from __future__ import annotations

import itertools
import os
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.engine.jobs import (
    STREAMED,
    DumpJob,
    FilesSource,
    GraphGetJob,
    GraphNotFoundError,
    GraphWriteJob,
    Job,
    QueryJob,
    ReadOnlyError,
    Source,
    StatsJob,
    StoreSource,
    UpdateJob,
)
from kg.engine.oxigraph.core import (
    Emit,
    Sink,
    dump,
    evaluate_query,
    graph_node,
    load_files,
    rdf_format,
    store_query,
)
from kg.engine.oxigraph.store import current_build
from kg.errors import KGError, QueryError

__all__ = ["Dataset", "Writer", "worker_main"]


class Dataset:
    """What one worker holds: the store and where it came from."""

    def __init__(self, source: Source, *, snapshots: bool = False) -> None:
        self.source = source
        self.store = ox.Store()
        self.key: str | None = None
        self._link: str | None = None  # what <store>/current pointed at when last resolved
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
            # Called before every job: one readlink (about 1 µs) tells whether a new build
            # was published; resolving the path costs some 25 µs, so only then.
            try:
                link = os.readlink(os.path.join(self.source.store_dir, "current"))
            except OSError:
                link = ""
            if link == self._link:
                return
            build = current_build(Path(self.source.store_dir))
            key = str(build) if build else ""
            if key != self.key:
                self.store = ox.Store.read_only(key) if build else ox.Store()
                self.key = key
            self._link = link
        elif self.key is None:
            self.store = ox.Store()
            load_files(self.store, self.source.paths)
            self.key = "files"

    @property
    def build_id(self) -> str:
        if isinstance(self.source, FilesSource):
            name = "data:" + ",".join(Path(p).name for p in self.source.paths)
            # a reader of an updatable pool reads the writer's latest checkpoint: name it,
            # so that the id changes with each update (HTTP validators follow it)
            return name + "@" + Path(self.key).name if self.key and self.key != "files" else name
        return Path(self.key).name if self.key else "none"

    def handle(self, job: Job, emit: Emit | None = None) -> Any:
        """Run one job; the body of a query or a graph goes to ``emit`` as it is written."""
        store = self.store
        if isinstance(job, QueryJob):
            return evaluate_query(store, job, emit)
        if isinstance(job, GraphGetJob):
            if job.graph is not None and not store.contains_named_graph(ox.NamedNode(job.graph)):
                raise GraphNotFoundError(f"no graph <{job.graph}> in the store")
            fmt = rdf_format(job.output.engine_format, job.output.media_type)
            sink = Sink(emit)
            sink.keep = False
            store.dump(output=sink.file, format=fmt, from_graph=graph_node(job.graph))
            return sink.result(job.output.media_type, "graph", False, None)
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


class Writer:
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
        graph = graph_node(job.graph)
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
            fmt = rdf_format(job.engine_format)
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


def _cap_data_segment(limit_mb: int) -> None:
    """Cap this process's data segment (``RLIMIT_DATA``: heap and private writable
    mappings, not the store's files) at what it holds now plus ``limit_mb`` and a margin:
    the backstop of the parent's watch of resident memory, for an allocation too large to
    be seen growing. Rust aborts when an allocation fails; the parent reads that exit."""
    if limit_mb <= 0 or not sys.platform.startswith("linux"):
        return
    import resource  # Unix only: imported on the Linux path alone

    try:
        with open("/proc/self/status", encoding="ascii") as f:
            data_kb = next(int(line.split()[1]) for line in f if line.startswith("VmData:"))
    except (OSError, StopIteration, ValueError):
        return
    cap = data_kb * 1024 + limit_mb * 1024 * 1024 + (256 << 20)
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def worker_main(
    conn: Connection, source: Source, writer_dir: str | None, snapshots: bool, memory_limit_mb: int = 0
) -> None:
    """Body of a worker process: load, say ready, then answer jobs until the pipe closes."""
    try:
        handler: Dataset | Writer = (
            Writer(source, writer_dir) if writer_dir else Dataset(source, snapshots=snapshots)
        )
    except (OSError, KGError, SyntaxError, ValueError) as exc:
        conn.send(("fatal", f"{type(exc).__name__}: {exc}"))
        return
    _cap_data_segment(memory_limit_mb)
    conn.send(("ready", handler.snapshot if isinstance(handler, Writer) else None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job, snapshot = message
        streamed = isinstance(job, STREAMED)
        try:
            if isinstance(handler, Dataset):
                handler.refresh(snapshot)
                value = handler.handle(job, conn.send_bytes if streamed else None)
            else:
                value = handler.handle(job)
            reply: tuple[Any, ...] = ("ok", value)
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
        if streamed:  # the end of the chunks (none is empty): what follows is the reply
            conn.send_bytes(b"")
        conn.send(reply)

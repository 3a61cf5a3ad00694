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

The modules of the engine: :mod:`kg.engine_jobs` (sources, jobs, errors),
:mod:`kg.engine_core` (running a job on a store), :mod:`kg.worker_main` (the worker
process) and this one (the pool the parent keeps, and ``LocalEngine`` for running jobs in
this process). The job vocabulary is re-exported here, so callers import it from
``kg.workers``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from kg.engine_core import dump, evaluate_query, load_files, store_query
from kg.engine_jobs import (
    WRITES,
    DumpJob,
    EngineCrashedError,
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
    WorkersBusyError,
    rdf_format_for_path,
)
from kg.errors import KGError, QueryError, QueryRefusedError, QueryTimeoutError
from kg.worker_main import worker_main

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
    "ReadOnlyError",
    "StatsJob",
    "StoreSource",
    "UpdateJob",
    "WorkerPool",
    "WorkersBusyError",
    "load_files",
    "rdf_format_for_path",
]


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
            target=worker_main,
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
        # Last in, first out: a request takes the worker that finished most recently, so
        # sequential requests stay on one worker whose dataset is hot in the CPU caches.
        # Round robin over per-process copies measured up to 2x slower on mid-size queries.
        self._idle: queue.Queue[_Worker] = queue.LifoQueue()
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
            readers = [self._spawn() for _ in range(self.size)]
            # Started means every reader holds the dataset: loading files in memory takes
            # seconds and both cores, so `kg serve` must not say it listens (nor a benchmark
            # start timing) before. The readers load side by side; a failure stops them all.
            try:
                for reader in readers:
                    reader.wait_ready(self.start_timeout_s)
            except EngineCrashedError:
                for reader in readers:
                    reader.kill()
                    self._all.discard(reader)
                raise
            for reader in readers:
                self._idle.put(reader)
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
        writes = isinstance(job, WRITES)
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

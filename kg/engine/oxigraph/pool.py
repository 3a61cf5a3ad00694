"""Worker processes that evaluate queries, so that a time limit can really stop one.

A ``WorkerPool`` keeps ``size`` processes, each holding the dataset: the live build of an
on-disk store opened read-only (reopened when ``<store>/current`` points at a new build), or
RDF files loaded into an in-memory store. The parent sends a job down a pipe and waits at
most the time limit; a worker still busy then is killed and replaced, and the caller gets
``QueryTimeoutError``. A worker that dies (pyoxigraph 0.5 aborts on some inputs) costs the
request that killed it, never the service. Results are serialised inside the worker by
pyoxigraph and stream back as the engine writes them, in chunks of about 256 KiB, each a
message of its own (no pickling, no copy into one buffer); the parent holds them all, under
the same limits, before the caller gets the result.

With ``updatable=True`` (an update token is configured) the pool also runs one *writer*
process that owns a private, writable on-disk copy of the dataset. After each update the
writer takes a checkpoint (``Store.backup``, hard links, cheap); readers open the newest
checkpoint read-only on their next job, so a query never reads a store another process is
writing.

Limits (docs/decisions/0011): while it waits, the parent reads the worker's resident
memory every 50 ms and stops a worker whose query added more than ``memory_limit_mb``
(``QueryMemoryError``); the worker also caps its own data segment (``RLIMIT_DATA``) a
little above that, so an allocation too large to be seen growing fails in the worker.
Readers are of two lanes: ``size`` general workers, and ``short_workers`` kept for short
jobs, which take a job only while every general worker is busy and for at most
``short_s``. A job that outlasts that is moved to the general lane and its fingerprint
remembered, so it never takes a short worker again: cheap queries are answered while long
ones run; and a job that has run longer than ``short_s`` on a general worker runs at a
lower CPU priority (nice 10) until it ends, so the short lane keeps the cores it needs. A
request waits at most ``queue_wait_s`` for a worker, and at most
``max_queued`` wait at once; past either it gets ``WorkersBusyError`` (503, Retry-After).

The modules of the engine: :mod:`kg.engine.interface` (the ``Engine`` protocol this pool
and ``LocalEngine`` implement, and ``Result``), :mod:`kg.engine.jobs` (sources, jobs, errors),
:mod:`kg.engine.oxigraph.core` (running a job on a store), :mod:`kg.engine.oxigraph.worker` (the worker
process) and this one (the pool the parent keeps, and ``LocalEngine`` for running jobs in
this process). Callers outside the engine import the job vocabulary from :mod:`kg.engine.jobs`.

It stays one module (about 690 lines): the pool, each worker as the parent sees it and the
watch over a running job share the lanes' state and the protocol of the pipes, so that
split apart each part would reach into the others.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import hashlib
import multiprocessing as mp
import os
import queue
import shutil
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.engine.interface import Result
from kg.engine.jobs import (
    STREAMED,
    WRITES,
    DumpJob,
    EngineCrashedError,
    GraphGetJob,
    GraphNotFoundError,
    Job,
    QueryJob,
    QueryMemoryError,
    ReadOnlyError,
    Source,
    StatsJob,
    StoreSource,
    UpdateJob,
    WorkersBusyError,
)
from kg.engine.oxigraph.core import (
    CHUNK_BYTES,
    dump,
    evaluate_query,
    load_files,
    store_query,
)
from kg.engine.oxigraph.store import current_build
from kg.engine.oxigraph.worker import worker_main
from kg.errors import KGError, QueryError, QueryRefusedError, QueryTimeoutError

__all__ = ["LocalEngine", "WorkerPool"]


_ERRORS: dict[str, type[KGError]] = {
    cls.__name__: cls
    for cls in (QueryError, QueryRefusedError, GraphNotFoundError, ReadOnlyError, EngineCrashedError)
}


def _context() -> Any:
    if sys.platform.startswith("linux"):
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["kg.engine.oxigraph.pool"])
        return ctx
    return mp.get_context("spawn")


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_WATCH_S = 0.05  # how often a waiting parent reads its worker's memory
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_LOW_PRIORITY = 10  # nice value of a worker whose job has outlasted the short lane's limit


def _widen(conn: Any) -> None:
    """Let the worker's end of the pipe (a Unix socket pair) hold a few chunks of a streamed
    body, so that the worker does not wait on the parent in the middle of each: best effort,
    as far as the system's ``net.core.wmem_max`` allows."""
    try:
        sock = socket.socket(fileno=conn.fileno())
    except (OSError, ValueError):
        return
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * CHUNK_BYTES)
    except OSError:
        pass
    finally:
        sock.detach()


def _chunk_reader(conn: Any) -> tuple[Callable[[], bytes], Any]:
    """How the parent reads one chunk message, and the socket it reads it from: where
    the pipe is a Unix socket pair (Linux, macOS), the framing of ``conn.send_bytes`` (a
    4-byte big-endian length, then the bytes) read with ``MSG_WAITALL`` on a duplicate of
    its descriptor, so that a chunk arrives in one bytes object with one copy, where
    ``recv_bytes`` gathers it in a BytesIO (half the speed, measured on 28 MB); else
    ``conn.recv_bytes`` (and no socket)."""
    try:
        sock = socket.fromfd(conn.fileno(), socket.AF_UNIX, socket.SOCK_STREAM)
    except (OSError, ValueError, AttributeError):
        return conn.recv_bytes, None
    try:
        stream = sock.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM
    except OSError:  # not a socket: a pipe
        stream = False
    if not stream or not hasattr(socket, "MSG_WAITALL"):
        sock.close()
        return conn.recv_bytes, None

    def exactly(size: int) -> bytes:
        data = sock.recv(size, socket.MSG_WAITALL)
        while len(data) < size:  # a signal cut the wait short
            more = sock.recv(size - len(data), socket.MSG_WAITALL)
            if not more:
                raise EOFError
            data += more
        return data

    def read() -> bytes:
        (size,) = struct.unpack("!i", exactly(4))
        if size < 0:  # a message of 2 GiB or more: never a chunk
            raise EOFError
        return exactly(size) if size else b""

    return read, sock


class _Worker:
    def __init__(
        self,
        source: Source,
        writer_dir: str | None = None,
        snapshots: bool = False,
        memory_limit_mb: int = 0,
        lane: str = "general",
    ) -> None:
        ctx = _context()
        self.conn, child = ctx.Pipe()
        _widen(child)
        self.read_chunk, self.sock = _chunk_reader(self.conn)
        self.process = ctx.Process(
            target=worker_main,
            args=(child, source, writer_dir, snapshots, memory_limit_mb),
            daemon=True,
            name="kg-query-worker",
        )
        self.process.start()
        child.close()
        self.ready = False
        self.snapshot: str | None = None
        self.lane = lane
        self.memory_limit = memory_limit_mb * 1024 * 1024
        self.baseline = 0  # resident bytes when ready: what a query adds is measured above it

    def rss(self) -> int:
        """Resident bytes of the worker (0 where /proc is not there)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0

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
        self.baseline = self.rss()

    def call(
        self,
        job: Job,
        snapshot: str | None,
        timeout_s: float,
        lower_after_s: float | None = None,
        cpu_limit_s: float | None = None,
    ) -> Any:
        """Send ``job`` and wait for the reply, watching memory and time. A job still
        running after ``lower_after_s`` gets a lower CPU priority (nice 10) until it ends,
        so that short jobs on other workers keep the cores they need. A job that has used
        more than ``cpu_limit_s`` of CPU time is stopped as one past its time limit: on a
        busy machine a short job waits for a core, and its wall-clock time says little.

        The body of a query or a graph comes as the worker writes it, one message per
        chunk, read as it comes (the limits hold until the last), then the reply: the
        result is whole, and the worker free, before any of it goes to the client."""
        watch = _Watch(self, timeout_s, lower_after_s, cpu_limit_s)
        self.conn.send((job, snapshot))
        chunks: list[bytes] = []
        try:
            if isinstance(job, STREAMED):
                while True:
                    watch.wait()
                    chunk = self._receive(self.read_chunk)
                    if not chunk:
                        break
                    chunks.append(chunk)
            watch.wait()
            reply = self._receive(self.conn.recv)
        finally:
            watch.end()
        if reply[0] == "ok":
            value = reply[1]
            if isinstance(value, Result) and value.streamed:
                return dataclasses.replace(value, parts=tuple(chunks), streamed=False)
            return value
        raise _ERRORS.get(reply[1], QueryError)(reply[2])

    def _receive(self, read: Callable[[], Any]) -> Any:
        """One message from the worker; a worker that died says how."""
        try:
            return read()
        except (EOFError, OSError):
            self.process.join(1)
            code = self.process.exitcode
            if self.memory_limit and code == -signal.SIGABRT:
                # the worker's own RLIMIT_DATA refused an allocation: Rust aborts on that
                raise QueryMemoryError(self._over_memory()) from None
            raise EngineCrashedError(
                f"the query engine crashed on this request (worker exit code {code}); "
                "the service continues with a fresh worker"
            ) from None

    def cpu_seconds(self) -> float:
        """CPU time the worker has used (user + system), 0 where /proc is not there."""
        try:
            with open(f"/proc/{self.process.pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _TICKS
        except (OSError, ValueError, IndexError):
            return 0.0

    def _priority(self) -> int | None:
        """The worker's nice value, None where it cannot be read."""
        try:
            return os.getpriority(os.PRIO_PROCESS, self.process.pid)
        except (OSError, AttributeError):
            return None

    def _nice(self, value: int) -> bool:
        """Set the worker's nice value; False where that is not allowed (raising it back
        needs privileges on most systems: the worker then stays lower, harmlessly)."""
        if not hasattr(os, "setpriority"):
            return False
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, value)
        except OSError:
            return False
        return True

    def _over_memory(self) -> str:
        return (
            f"the query needed more than this endpoint's memory limit of "
            f"{self.memory_limit // (1024 * 1024)} MiB per query and was stopped; "
            "narrow it (fewer rows, a LIMIT, no cross product)"
        )

    def kill(self) -> None:
        """Stop the worker and close its pipe."""
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.sock is not None:
            self.sock.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class _Watch:
    """The limits of one job while its worker runs it: the time limit, the memory limit,
    the short lane's CPU limit, and the lower priority of a job past ``lower_after_s``.
    They are checked every ``_WATCH_S`` while the parent waits, and as often while a body
    streams in (a message that comes at once does not wait)."""

    def __init__(
        self, worker: _Worker, timeout_s: float, lower_after_s: float | None, cpu_limit_s: float | None
    ) -> None:
        self.worker = worker
        self.timeout_s = timeout_s
        self.lower_after_s = lower_after_s
        self.cpu_limit_s = cpu_limit_s
        self.cpu_start = worker.cpu_seconds() if cpu_limit_s is not None else 0.0
        self.start = time.monotonic()
        self.deadline = self.start + timeout_s
        self.checked = self.start
        self.lowered = self.tried = False
        self.base: int | None = None  # the worker's nice value before the job was lowered

    def wait(self) -> None:
        """Until the worker's next message is there, checking the limits meanwhile."""
        conn = self.worker.conn
        if conn.poll(0):
            if time.monotonic() - self.checked >= _WATCH_S:
                self.check()
            return
        while not conn.poll(max(0.0, min(_WATCH_S, self.deadline - time.monotonic()))):
            self.check()

    def check(self) -> None:
        """Raise when a limit is past; lower the worker's priority when it is time."""
        worker = self.worker
        now = self.checked = time.monotonic()
        if worker.memory_limit and worker.rss() - worker.baseline > worker.memory_limit:
            raise QueryMemoryError(worker._over_memory())
        if now >= self.deadline:
            raise QueryTimeoutError(
                f"the query ran longer than this endpoint's limit of {self.timeout_s:g} s and was stopped"
            )
        if self.lower_after_s is not None and not self.tried and now - self.start >= self.lower_after_s:
            # lowered to nice 10, and later back to where it was (a server started under
            # nice 10 or lower stays there: raising it to 0 would put it above its caller)
            self.tried = True
            self.base = worker._priority()
            self.lowered = self.base is not None and self.base < _LOW_PRIORITY and worker._nice(_LOW_PRIORITY)
        if self.cpu_limit_s is not None and worker.cpu_seconds() - self.cpu_start > self.cpu_limit_s:
            raise QueryTimeoutError(
                f"the query used more than {self.cpu_limit_s:g} s of CPU on the worker kept for short queries"
            )

    def end(self) -> None:
        """Raise the priority back to where it was, if it was lowered."""
        if self.lowered and self.base is not None:
            self.worker._nice(self.base)


class LocalEngine:
    """Runs jobs in this process, with no time limit: for tests and tools that hold a
    store already. Writes go to ``store`` directly."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def over_files(cls, paths: Sequence[str | Path]) -> LocalEngine:
        """An engine over RDF files loaded into memory (the default graph their union)."""
        store = ox.Store()
        load_files(store, [str(p) for p in paths])
        return cls(store)

    def start(self) -> None:
        """Nothing to start: the store is open in this process."""

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

    def close(self) -> None:
        """Nothing to free: the caller owns the store."""


class WorkerPool:
    """``size`` general reader processes, ``short_workers`` more for short jobs, and a
    writer when ``updatable``; started on first use. See the module's docstring for the
    limits (``memory_limit_mb``, ``short_s``, ``queue_wait_s``, ``max_queued``)."""

    def __init__(
        self,
        source: Source,
        *,
        size: int = 2,
        updatable: bool = False,
        start_timeout_s: float = 600.0,
        short_workers: int = 0,
        short_s: float = 0.5,
        queue_wait_s: float | None = None,
        max_queued: int | None = None,
        memory_limit_mb: int = 0,
    ) -> None:
        self.source = source
        self.size = max(1, size)
        self.short_workers = max(0, short_workers)
        self.short_s = short_s
        self.queue_wait_s = queue_wait_s
        self.max_queued = max_queued
        self.memory_limit_mb = max(0, memory_limit_mb)
        self.updatable = updatable
        self.start_timeout_s = start_timeout_s
        # Last in, first out: a request takes the worker that finished most recently, so
        # sequential requests stay on one worker whose dataset is hot in the CPU caches.
        # Round robin over per-process copies measured up to 2x slower on mid-size queries.
        self._idle: dict[str, list[_Worker]] = {"general": [], "short": []}
        self._cond = threading.Condition()
        self._waiting = 0
        self._long: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._writer: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._snapshot: str | None = None
        self._workdir: str | None = None
        self._all: set[_Worker] = set()
        self.origin_build: str | None = None  # the build an updatable pool's copy was made from

    # -- life cycle
    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            if self._closed:
                raise EngineCrashedError("the query engine has been shut down")
            if self.updatable:
                if isinstance(self.source, StoreSource):
                    build = current_build(Path(self.source.store_dir))
                    self.origin_build = build.name if build else None
                self._workdir = tempfile.mkdtemp(prefix="peninsula-rw-")
                writer = self._spawn(writer=True)
                writer.wait_ready(self.start_timeout_s)
                self._snapshot = writer.snapshot
                self._writer.put(writer)
            readers = [self._spawn() for _ in range(self.size)]
            readers += [self._spawn(lane="short") for _ in range(self.short_workers)]
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
            with self._cond:
                for reader in readers:
                    self._idle[reader.lane].append(reader)
            self._started = True

    def _spawn(self, writer: bool = False, lane: str = "general") -> _Worker:
        worker = _Worker(
            self.source,
            self._workdir if writer else None,
            snapshots=self.updatable,
            memory_limit_mb=0 if writer else self.memory_limit_mb,
            lane=lane,
        )
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
        with self._cond:
            self._cond.notify_all()

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running
    def run(self, job: Job, *, timeout_s: float) -> Any:
        """Run ``job`` in a free worker within ``timeout_s``. Raises QueryTimeoutError,
        QueryMemoryError, WorkersBusyError, EngineCrashedError or the job's error."""
        self.start()
        if isinstance(job, WRITES):
            return self._run_write(job, timeout_s)
        key = _fingerprint(job)
        long = key is None or key in self._long
        worker = self._acquire(allow_short=not long, wait_s=self._wait_s(timeout_s))
        if worker.lane == "short" and self.short_s < timeout_s:
            began = time.monotonic()
            try:
                # CPU time decides; wall-clock time only bounds a job that waits on the disk
                wall = min(max(4 * self.short_s, 2.0), timeout_s)
                return self._call(worker, job, wall, cpu_limit_s=self.short_s)
            except QueryTimeoutError:
                assert key is not None
                self._remember_long(key)
            used = time.monotonic() - began
            # it outlasted the short lane: wait for a general worker, with the time left
            worker = self._acquire(allow_short=False, wait_s=self._wait_s(timeout_s))
            return self._call(worker, job, max(timeout_s - used, 0.1))
        return self._call(worker, job, timeout_s)

    def _wait_s(self, timeout_s: float) -> float:
        return timeout_s if self.queue_wait_s is None else self.queue_wait_s

    def _call(self, worker: _Worker, job: Job, timeout_s: float, cpu_limit_s: float | None = None) -> Any:
        try:
            worker.wait_ready(self.start_timeout_s)
            lower = self.short_s if self.short_workers and worker.lane == "general" else None
            reply = worker.call(job, self._snapshot, timeout_s, lower_after_s=lower, cpu_limit_s=cpu_limit_s)
        except (QueryTimeoutError, QueryMemoryError, EngineCrashedError, OSError):
            self._replace(worker)
            raise
        except BaseException:
            self._release(worker)
            raise
        self._release(worker)
        return reply

    def _acquire(self, *, allow_short: bool, wait_s: float) -> _Worker:
        """A free general worker, else (when ``allow_short``) a free short one; waits at
        most ``wait_s``, and only while fewer than ``max_queued`` requests wait."""
        deadline = time.monotonic() + wait_s
        with self._cond:
            worker = self._take(allow_short)
            if worker is not None:
                return worker
            if self.max_queued is not None and self._waiting >= self.max_queued:
                raise WorkersBusyError(
                    f"every query worker is busy and {self._waiting} requests are waiting already; "
                    "try again later"
                )
            self._waiting += 1
            try:
                while True:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or self._closed:
                        raise WorkersBusyError(
                            f"every query worker stayed busy for {wait_s:g} s; try again later"
                        )
                    self._cond.wait(remaining)
                    worker = self._take(allow_short)
                    if worker is not None:
                        return worker
            finally:
                self._waiting -= 1

    def _take(self, allow_short: bool) -> _Worker | None:
        if self._idle["general"]:
            return self._idle["general"].pop()
        if allow_short and self._idle["short"]:
            return self._idle["short"].pop()
        return None

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            self._idle[worker.lane].append(worker)
            self._cond.notify_all()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
            fresh = self._spawn(lane=worker.lane)
        self._release(fresh)

    def _remember_long(self, key: str) -> None:
        with self._cond:
            self._long[key] = None
            self._long.move_to_end(key)
            while len(self._long) > 4096:
                self._long.popitem(last=False)

    def _run_write(self, job: Job, timeout_s: float) -> Any:
        if not self.updatable:
            raise ReadOnlyError("this endpoint is read-only")
        try:
            worker = self._writer.get(timeout=timeout_s)
        except queue.Empty:
            raise WorkersBusyError(f"the writer stayed busy for {timeout_s:g} s; try again later") from None
        try:
            worker.wait_ready(self.start_timeout_s)
            reply = worker.call(job, None, timeout_s)
        except (QueryTimeoutError, EngineCrashedError, OSError):
            worker.kill()
            with self._lock:
                self._all.discard(worker)
                if not self._closed:
                    self._writer.put(self._spawn(writer=True))
            raise
        except BaseException:
            self._writer.put(worker)
            raise
        self._writer.put(worker)
        if isinstance(reply, dict) and "snapshot" in reply:
            self._new_snapshot(reply["snapshot"])
        return reply

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


def _fingerprint(job: Job) -> str | None:
    """What identifies a read job for the short lane's memory of long ones; None for a job
    that is long by nature (a dump) and never takes a short worker."""
    if isinstance(job, DumpJob):
        return None
    if isinstance(job, QueryJob):
        text = " ".join(job.text.split())
        parts = [text, *job.default_graphs, "|", *job.named_graphs, repr(sorted(job.bindings.items()))]
    elif isinstance(job, GraphGetJob):
        parts = ["graph", job.graph or ""]
    else:
        parts = [type(job).__name__]
    return hashlib.blake2b("\x00".join(parts).encode(), digest_size=16).hexdigest()

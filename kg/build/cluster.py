"""Extraction on an existing Dask ``distributed`` cluster (``kg build --scheduler``, setting
``scheduler``): the cluster's counterpart of :func:`kg.build.processing.process_articles`,
giving the same :class:`Outcome` per article, which the pipeline writes exactly as it writes
the local pool's (docs/decisions/0017-extraction-on-a-dask-cluster.md).

- Each worker process builds the :class:`ArticleProcessor` once, when the build registers
  :class:`ExtractionPlugin` (the spaCy model and the shapes load once per worker, on every
  worker at once), and refuses to if it runs another Peninsula or model version than the
  client: the graphs would differ from a local build's.
- The articles go in batches of :data:`BATCH`, at most :data:`IN_FLIGHT_PER_THREAD` batches
  per worker thread at a time; each result is taken as it completes (``as_completed``) and
  let go, so the client holds a few batches' results, not the corpus's.
- An article whose extraction raises is quarantined as in the pool: the processor catches it
  on the worker, for that article.
- The cluster failing is a :class:`BuildError` (nothing published, the live build unchanged):
  the scheduler unreachable or without workers, the connection to it lost, or a batch that
  killed ``distributed.scheduler.allowed-failures`` + 1 workers (the scheduler runs a lost
  worker's batches again elsewhere until then).

Reading stays with the client: deduplication needs every text there, and the workers need
not share the client's file system. Only :mod:`kg.build.pipeline` imports this module, and
only for a build with a scheduler (importing ``distributed`` takes 0.5 to 0.8 s).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Any

from distributed import (
    CancelledError,
    Client,
    KilledWorker,
    TimeoutError,
    WorkerPlugin,
    as_completed,
    get_worker,
)
from distributed.comm import get_address_host_port

from kg import __version__
from kg.build.processing import BATCH, ArticleProcessor, Outcome, batches
from kg.errors import BuildError
from kg.extract.annotate import model_version
from kg.facts import Article, ExtractionRun

__all__ = ["BATCH", "IN_FLIGHT_PER_THREAD", "PLUGIN", "ExtractionPlugin", "process_on_cluster"]

PLUGIN = "peninsula-extraction"
# Batches queued per worker thread: one running and one waiting keeps the workers busy while
# the client writes; more would only hold results in memory.
IN_FLIGHT_PER_THREAD = 2
_UNCHANGED = "nothing published, the live build is unchanged"


class ExtractionPlugin(WorkerPlugin):
    """Builds one :class:`ArticleProcessor` per worker process, for the tasks of a build."""

    name = PLUGIN

    def __init__(self, factory: Callable[[], ArticleProcessor], run: ExtractionRun) -> None:
        self.factory = factory
        self.run = run

    def setup(self, worker: Any) -> None:
        here = (__version__, model_version())
        wanted = (self.run.software_version, self.run.model_version)
        if here != wanted:
            raise BuildError(
                f"worker {worker.address} runs Peninsula {here[0]} with model {here[1]}, the build "
                f"{wanted[0]} with {wanted[1]}: install the same versions on every worker"
            )
        self.processor = self.factory()
        # A worker with several threads runs batches side by side: the spaCy pipeline and the
        # shapes are not shared between threads (start workers with --nthreads 1).
        self.lock = threading.Lock()


def _extract(articles: list[Article]) -> list[Outcome]:
    """The task: one batch, through the processor of the worker it runs on."""
    plugin = get_worker().plugins[PLUGIN]
    assert isinstance(plugin, ExtractionPlugin), "the extraction plugin is not registered"
    with plugin.lock:
        return plugin.processor.process(articles)


def _connect(scheduler: str, timeout_s: float) -> Client:
    """A client of the scheduler at ``scheduler``, once it has a worker."""
    try:
        # Checked first: a Client that fails on a malformed address is left half-made, and
        # prints a traceback when the interpreter collects it.
        get_address_host_port(scheduler)
    except ValueError as exc:
        raise BuildError(f"not a Dask scheduler address: {scheduler} ({exc}); {_UNCHANGED}") from None
    try:
        client = Client(scheduler, timeout=timeout_s, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise BuildError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); {_UNCHANGED}") from None
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except (OSError, TimeoutError):
        client.close()
        raise BuildError(
            f"the Dask scheduler at {scheduler} has no worker after {timeout_s:g} s; {_UNCHANGED}"
        ) from None
    return client


def _install(client: Client, factory: Callable[[], ArticleProcessor], run: ExtractionRun) -> None:
    """Register the plugin; a worker that cannot build the processor stops the build."""
    try:
        client.register_plugin(ExtractionPlugin(factory, run))
    except BuildError as exc:
        raise BuildError(f"{exc}; {_UNCHANGED}") from None
    except Exception as exc:  # whatever a worker raised while loading the model or the shapes
        raise BuildError(
            f"the Dask workers could not load the extraction: {type(exc).__name__}: {exc}; {_UNCHANGED}"
        ) from None


def process_on_cluster(
    articles: Sequence[Article],
    factory: Callable[[], ArticleProcessor],
    *,
    scheduler: str,
    run: ExtractionRun,
    timeout_s: float,
) -> Iterator[Outcome]:
    """An outcome for every article, in the order they finish, extracted on the cluster of
    ``scheduler`` (``tcp://HOST:PORT``) by processors that ``factory`` builds (it must
    pickle). ``timeout_s`` bounds the wait for the scheduler and for a first worker."""
    client = _connect(scheduler, timeout_s)
    try:
        _install(client, factory, run)
        todo = iter(batches(articles, BATCH))
        window = IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))
        sent: dict[object, list[Article]] = {}

        def submit(batch: list[Article]) -> Any:
            future = client.submit(_extract, batch, pure=False)
            sent[future.key] = batch
            return future

        pending = as_completed([submit(b) for b in islice(todo, window)], loop=client.loop)
        for future in pending:
            batch = sent.pop(future.key)
            try:
                outcomes: list[Outcome] = future.result()
            except KilledWorker:
                raise BuildError(
                    f"Dask workers died on every try of the batch of {', '.join(a.source_name for a in batch)}; "
                    f"{_UNCHANGED}"
                ) from None
            except (CancelledError, OSError, TimeoutError) as exc:
                raise BuildError(
                    f"lost the Dask scheduler at {scheduler} during extraction "
                    f"({type(exc).__name__}: {exc}); {_UNCHANGED}"
                ) from None
            future.release()
            yield from outcomes
            for more in islice(todo, 1):
                pending.add(submit(more))
    finally:
        client.close()

"""Each article on its own: extract, map to RDF and check it, so that one article's crash or
invalid graph costs that article only.

:class:`ArticleProcessor` does the work for one process (the spaCy model and the shapes are
loaded once): for each article it annotates, extracts the facts, maps them to the article's
graph and checks the graph with :meth:`kg.validate.checks.GraphChecks.article`, and returns an
:class:`Outcome` — the graph as N-Triples, or the stage that failed and why. An exception in
any stage is caught there, for that article.

:func:`process_articles` runs it over many articles, in this process or, for large batches,
in a pool of worker processes. The pool is ours rather than spaCy's ``n_process`` so that:

- a worker that dies (a crash in native code, the kernel's OOM killer) costs only the
  article it was working on: the pool is started again and the other articles of the lost
  batches are sent again one by one, so the one that kills a worker is found and
  quarantined;
- no worker outlives the build: each asks the kernel to kill it when its parent dies
  (``PR_SET_PDEATHSIG``), so a ``kill -9`` of ``kg build`` leaves no orphan behind, and
  the store's lock (a POSIX record lock, not inherited) dies with the parent.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.extract import batch as extraction
from kg.extract.annotate import annotate
from kg.facts import Article, ExtractionRun
from kg.rdf.mapping import article_graph
from kg.validate.checks import GraphChecks, problem_lines

__all__ = ["BATCH", "ArticleProcessor", "Outcome", "batches", "process_articles"]

BATCH = 8  # articles per task sent to a worker: enough for nlp.pipe, few to lose to a crash


@dataclass(frozen=True)
class Outcome:
    """What became of one article: ``ntriples`` (its graph) when it passed, else the
    ``stage`` that failed ("extract", "validate", "worker") and the ``reason``."""

    slug: str
    ntriples: bytes | None = None
    stage: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.ntriples is not None

    def graph(self) -> Graph:
        """The article's graph, parsed from the N-Triples the worker sent back."""
        graph = Graph()
        if self.ntriples:
            graph.parse(data=self.ntriples, format="nt")
        return graph


def _reason(exc: BaseException) -> str:
    """The exception type and message, and where in our code it was raised."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/kg/" in f.filename.replace("\\", "/")]
    where = ""
    if frames:
        last = frames[-1]
        where = f" (at {Path(last.filename).name}:{last.lineno} in {last.name})"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}{where}" if message else f"{type(exc).__name__}{where}"


class ArticleProcessor:
    """Extraction, mapping and the per-article check, with everything they load held for
    the life of the process."""

    def __init__(self, *, base: str, run: ExtractionRun, checks: GraphChecks | None) -> None:
        self.base = base
        self.run = run
        self.checks = checks

    def _one(self, article: Article, doc: object) -> Outcome:
        try:
            facts = extraction.facts_of(article, doc, base=self.base)  # type: ignore[arg-type]
            graph = article_graph(facts, base=self.base, run=self.run)
        except Exception as exc:  # any bug of extraction or mapping costs this article only
            return Outcome(article.slug, stage="extract", reason=_reason(exc))
        ntriples = graph.serialize(format="nt", encoding="utf-8")
        if self.checks is not None:
            try:
                problems = self.checks.article(graph, ntriples)
            except Exception as exc:
                return Outcome(article.slug, stage="validate", reason=_reason(exc))
            if problems:
                return Outcome(
                    article.slug,
                    stage="validate",
                    reason=f"{len(problems)} SHACL violation(s): {problem_lines(problems)}",
                )
        return Outcome(article.slug, ntriples=ntriples)

    def process(self, articles: Sequence[Article]) -> list[Outcome]:
        """One outcome per article, in order. The texts go through spaCy together
        (``nlp.pipe``); when that fails, each is parsed alone so the failure is its own."""
        try:
            docs = list(annotate((a.text for a in articles), base=self.base))
        except Exception:
            return [self._alone(a) for a in articles]
        return [self._one(a, d) for a, d in zip(articles, docs, strict=True)]

    def _alone(self, article: Article) -> Outcome:
        try:
            (doc,) = list(annotate([article.text], base=self.base))
        except Exception as exc:
            return Outcome(article.slug, stage="extract", reason=_reason(exc))
        return self._one(article, doc)


# --- worker processes -------------------------------------------------------------------------

_PROCESSOR: ArticleProcessor | None = None
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere); if the
    parent died already, while this process was starting, end now."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _init_worker(factory: Callable[[], ArticleProcessor], parent: int) -> None:
    global _PROCESSOR
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt does
    _PROCESSOR = factory()


def _work(articles: list[Article]) -> list[Outcome]:
    assert _PROCESSOR is not None, "worker not initialised"
    return _PROCESSOR.process(articles)


def batches(articles: Sequence[Article], size: int) -> list[list[Article]]:
    """``articles`` in lists of ``size`` (the last shorter), in order."""
    return [list(articles[i : i + size]) for i in range(0, len(articles), size)]


def _pool(factory: Callable[[], ArticleProcessor], workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(factory, os.getpid()),
    )


def _close(pool: ProcessPoolExecutor) -> None:
    """Stop the pool now: its workers are killed, not waited for (an interrupt, a crash)."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.kill()


def process_articles(
    articles: Sequence[Article],
    factory: Callable[[], ArticleProcessor],
    *,
    n_process: int = 1,
) -> Iterator[Outcome]:
    """An outcome for every article, in the order they finish. ``factory`` builds the
    processor (in each worker, so it must be picklable, e.g. a ``functools.partial``).

    With ``n_process`` > 1 the articles go to that many worker processes in batches of
    :data:`BATCH`. When a worker dies, the articles of every batch that was lost with it
    are sent again one at a time to a single worker: the one whose worker dies alone is
    quarantined (stage "worker"), the others are processed as usual."""
    if n_process <= 1:
        processor = factory()
        for batch in batches(articles, BATCH):
            yield from processor.process(batch)
        return
    suspects: list[Article] = []
    pool = _pool(factory, n_process)
    try:
        futures: dict[Future[list[Outcome]], list[Article]] = {
            pool.submit(_work, b): b for b in batches(articles, BATCH)
        }
        while futures:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                batch = futures.pop(future)
                try:
                    yield from future.result()
                except BrokenProcessPool:
                    suspects.extend(batch)
    finally:
        _close(pool)
    while suspects:
        pool = _pool(factory, 1)
        try:
            while suspects:
                article = suspects.pop(0)
                try:
                    yield from pool.submit(_work, [article]).result()
                except BrokenProcessPool:
                    yield Outcome(
                        article.slug,
                        stage="worker",
                        reason="the worker process died while extracting this article",
                    )
                    break  # a new worker for the rest
        finally:
            _close(pool)

"""The staged build: read → deduplicate → extract and check each article → merge → check
what articles share → publish. One article never stops a build (docs/decisions/0010).

- :mod:`kg.read.inputs` finds and reads the articles and gives them ids (bad inputs are
  *skipped*, with the reason);
- :mod:`kg.build.duplicates` finds copies of a story already seen: a copy is recorded as another
  publication of it, not extracted again;
- :mod:`kg.build.processing` extracts, maps and checks each article alone (in worker processes
  for large batches): an article whose extraction raises or whose graph breaks a shape is
  *quarantined*, with the stage and the reason, and the others go on;
- the merge keeps apart reports that disagree on an event's date
  (:mod:`kg.build.disagreements`), then :class:`kg.validate.checks.GraphChecks` checks the nodes several
  articles describe, and the OWL reasoner each batch; what fails there is quarantined too;
- :func:`publish_dataset` writes a new build folder and swaps it in atomically, with the
  report (:mod:`kg.build.report`) beside it.

:func:`build` (``kg build``) runs this on a folder; :func:`kg.build.ingest.ingest` (``kg ingest``)
adds or replaces articles at a cost that follows the change. A failing stage leaves
the live build untouched and no half-written folder behind.

It stays one module (about 600 lines): the stages' glue and the :class:`Run` that build and
ingest share; each stage's own work already lives in the modules above.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from tqdm import tqdm

from kg import __version__
from kg.build.disagreements import separate_disagreeing_reports
from kg.build.duplicates import StoryIndex
from kg.build.incremental import descriptions, stories_path
from kg.build.processing import ArticleProcessor, Outcome, process_articles
from kg.build.report import BuildSummary, Duplicate, Quarantined, quarantine_of
from kg.build.writer import BuildWriter
from kg.engine.oxigraph.store import (
    build_lock,
    discard_build,
    new_build_dir,
    publish,
    quads_of_graph,
    report_path,
    write_build,
)
from kg.errors import BuildError
from kg.extract.annotate import model_version
from kg.facts import Article, ExtractionRun
from kg.namespaces import graph_iri
from kg.rdf.mapping import publication_graph, run_graph
from kg.read.inputs import Skipped, assign_ids, collect_files, read_all
from kg.reference import reference_graph
from kg.settings import Settings
from kg.validate.checks import GraphChecks, Problem, problem_lines, shared_nodes

__all__ = [
    "MODEL_NAME",
    "PARALLEL_THRESHOLD",
    "REASONER_BATCH",
    "BuildSummary",
    "Run",
    "Skipped",
    "article_graph_name",
    "assemble",
    "blame",
    "build",
    "collect_files",
    "current_run",
    "finish",
    "make_checks",
    "ontology_graph",
    "orphan_copies",
    "processor",
    "publish_dataset",
    "quarantine_of",
    "read_all",
    "reference_subjects",
    "slug_of",
]

MODEL_NAME = "en_core_web_sm"
# From this many articles on, extraction runs in two worker processes. scripts/bench_build.py
# measured on 2 cores: 1.46x faster at 32 articles, 1.68x at 64, 1.73x at 128; for a
# handful of articles the second model load (about 1.5 s) costs more than it saves.
PARALLEL_THRESHOLD = 32
# Article graphs given to the OWL reasoner at once (a failing batch is split in halves).
REASONER_BATCH = 500
# Shared nodes checked together: what every graph says of them is held in memory meanwhile.
SHARED_CHUNK = 200

Dataset = dict[URIRef, Graph]


class _Timer:
    def __init__(self, summary: BuildSummary) -> None:
        self.summary = summary

    def stage(self, name: str) -> _Stage:
        return _Stage(self.summary, name)


class _Stage:
    def __init__(self, summary: BuildSummary, name: str) -> None:
        self.summary, self.name = summary, name

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.summary.timings[self.name] = self.summary.timings.get(self.name, 0.0) + (
            time.perf_counter() - self.start
        )


# --- stages ---------------------------------------------------------------------------------


def current_run() -> ExtractionRun:
    """The extraction run of this software and model (no time in it: see ExtractionRun)."""
    return ExtractionRun(__version__, MODEL_NAME, model_version())


def _workers(n_articles: int) -> int:
    return 2 if n_articles >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) >= 2 else 1


def _bar(total: int, progress: bool) -> tqdm[None]:
    return tqdm(
        total=total,
        unit="article",
        desc="extracting",
        file=sys.stderr,
        disable=not progress or not total,
        leave=False,
    )


def article_graph_name(slug: str, base: str) -> URIRef:
    """The IRI of an article's named graph."""
    return graph_iri(f"article/{slug}", base=base)


def _canonical(graph: Graph) -> Graph:
    """The graph with blank nodes named canonically, so that every build of the same data
    writes the same quads (the ontology's OWL lists and restrictions are blank nodes)."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    return to_canonical_graph(graph)


def ontology_graph(ontology_dir: Path) -> Graph:
    """The ontology and its alignments (``peninsula.ttl``, ``alignments.ttl``)."""
    graph = Graph()
    main = ontology_dir / "peninsula.ttl"
    if not main.is_file():
        raise BuildError(f"no ontology at {main}")
    for name in ("peninsula.ttl", "alignments.ttl"):
        path = ontology_dir / name
        if path.is_file():
            graph.parse(path, format="turtle")
    return graph


def _runs_graph(run: ExtractionRun, base: str, ended: str | None = None) -> Graph:
    return run_graph(run, base, ended)


def _context(base: str, run: ExtractionRun) -> Graph:
    """What article graphs are checked beside: the reference data and the run."""
    context = Graph()
    for graph in (_reference(base), _runs_graph(run, base)):
        for triple in graph:
            context.add(triple)
    return context


@functools.lru_cache(maxsize=4)
def reference_subjects(base: str) -> frozenset[URIRef]:
    """The nodes the reference data describes."""
    return frozenset(s for s in _reference(base).subjects() if isinstance(s, URIRef))


@functools.lru_cache(maxsize=4)
def _reference(base: str) -> Graph:
    """The reference graph, built once per process for reading (3 s on the loaded machine);
    callers that keep or change it take :func:`kg.reference.reference_graph`'s own copy."""
    return reference_graph(base)


def make_checks(ontology_dir: str, base: str, run: ExtractionRun, reasoner: bool = True) -> GraphChecks:
    """The shape (and, with ``reasoner``, OWL) checks of article graphs, with the ontology and reference data as context."""
    return GraphChecks(Path(ontology_dir), _context(base, run), reasoner=reasoner)


def processor(base: str, run: ExtractionRun, ontology_dir: str | None) -> ArticleProcessor:
    """The processor of a worker (module level, so that it pickles for the pool)."""
    checks = make_checks(ontology_dir, base, run, reasoner=False) if ontology_dir else None
    return ArticleProcessor(base=base, run=run, checks=checks)


def fixed_graphs(settings: Settings, run: ExtractionRun) -> Dataset:
    """The graphs every build holds beside the articles: ``graph/reference``,
    ``graph/ontology`` and ``graph/runs``."""
    base = settings.base_iri
    ended = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return {
        graph_iri("reference", base=base): _canonical(reference_graph(base)),
        graph_iri("ontology", base=base): _canonical(ontology_graph(Path(settings.ontology_dir))),
        graph_iri("runs", base=base): _runs_graph(run, base, ended),
    }


def assemble(article_graphs: Mapping[URIRef, Graph], *, settings: Settings, run: ExtractionRun) -> Dataset:
    """The whole dataset: the article graphs and the :func:`fixed_graphs`, keyed by graph
    IRI. Reports of one event IRI that disagree on its date are kept apart
    (:mod:`kg.build.disagreements`)."""
    separate = separate_disagreeing_reports(article_graphs)
    dataset: Dataset = {name: _canonical(graph) for name, graph in separate.items()}
    dataset.update(fixed_graphs(settings, run))
    return dataset


def _quads(dataset: Mapping[URIRef, Graph]) -> Iterator[ox.Quad]:
    for name, graph in dataset.items():
        yield from quads_of_graph(graph, name)


def publish_dataset(
    dataset: Mapping[URIRef, Graph] | Iterable[ox.Quad],
    settings: Settings,
    summary: BuildSummary,
    stories: StoryIndex | None = None,
) -> None:
    """Write a new build folder and swap it in, with the summary as its report beside it;
    on any failure the folder is removed and the live build stays as it was. Call under
    the store's build lock."""
    build_dir = new_build_dir(Path(settings.store))

    def write() -> tuple[int, int]:
        quads = _quads(dataset) if isinstance(dataset, Mapping) else dataset
        return write_build(build_dir, quads)

    seal(build_dir, write, settings, summary, stories)


def seal(
    build_dir: Path,
    write: Callable[[], tuple[int, int]],
    settings: Settings,
    summary: BuildSummary,
    stories: StoryIndex | None,
) -> None:
    """Finish the build folder ``build_dir`` (``write`` completes its store and returns
    its counts), keep the report and the stories beside it, and swap it in; on any failure
    the folder is removed and the live build stays as it was."""
    done = False
    try:
        summary.quads, summary.triples = write()
        summary.build = build_dir
        summary.published = True
        report_path(build_dir).write_text(json.dumps(summary.to_json(), indent=2), encoding="utf-8")
        if stories is not None:
            stories_path(build_dir).write_text(json.dumps(stories.dump()), encoding="utf-8")
        publish(Path(settings.store), build_dir)
        done = True
    finally:
        if not done:
            summary.published = False
            discard_build(build_dir)


# --- the run shared by build and ingest ---------------------------------------------------------


class Run:
    """One build or ingest: the articles to extract, the graphs kept from the live build,
    and the summary being filled."""

    def __init__(self, settings: Settings, summary: BuildSummary, *, checks: bool, reasoner: bool) -> None:
        self.settings = settings
        self.summary = summary
        self.base = settings.base_iri
        self.run = current_run()
        self.timer = _Timer(summary)
        self.checks = checks
        self.reasoner = reasoner
        self.names: dict[str, str] = {}  # article id → input name
        self.stories = StoryIndex()  # the stories extracted, to find copies of them later

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store's writer lock, noting in the summary a lock taken over from a dead
        holder."""
        with build_lock(Path(self.settings.store)) as recovered:
            if recovered:
                self.summary.notes.append(recovered)
            yield

    def read(self, sources: Sequence[Path | tuple[str, bytes]]) -> list[Article]:
        """The articles of ``sources`` (files, folders, or (name, bytes) pairs); what cannot
        be read goes to the summary's skipped inputs, with the reason."""
        with self.timer.stage("read"):
            files, skipped = collect_files([s for s in sources if isinstance(s, Path)])
            inputs: list[Path | tuple[str, bytes]] = [
                *files,
                *(s for s in sources if not isinstance(s, Path)),
            ]
            articles, unreadable = read_all(inputs, max_bytes=self.settings.max_article_bytes)
        self.summary.skipped += skipped + unreadable
        return articles

    def quarantine(self, slug: str, stage: str, reason: str) -> None:
        """Record that an article was not published, at which stage and why."""
        self.summary.quarantined.append(Quarantined(self.names.get(slug, slug), slug, stage, reason))

    def deduplicate(self, articles: Sequence[Article], index: StoryIndex) -> tuple[list[Article], Dataset]:
        """The articles to extract, and the graphs of those that repeat a story."""
        unique: list[Article] = []
        copies: Dataset = {}
        for article in articles:
            match = index.find(article.body, ignore=article.slug)
            if match is None:
                index.add(article.slug, article.body)
                unique.append(article)
                continue
            self.summary.duplicates.append(
                Duplicate(article.source_name, article.slug, match.key, match.kind, match.similarity)
            )
            copies[article_graph_name(article.slug, self.base)] = publication_graph(
                article, match.key, base=self.base, run=self.run
            )
        return unique, copies

    def outcomes(self, articles: Sequence[Article], n_process: int | None) -> Iterator[Outcome]:
        """An :class:`Outcome` per article, in the order they finish: on the Dask cluster of
        the setting ``scheduler`` when it is set, else in this machine's worker processes.
        The one place where the two are chosen between."""
        factory = functools.partial(
            processor, self.base, self.run, str(self.settings.ontology_dir) if self.checks else None
        )
        if self.settings.scheduler:
            # Imported here so that only a build on a cluster loads dask and distributed:
            # `import distributed` takes 0.5-0.8 s, beside 0.2-0.3 s for all of kg.cli
            # (python -X importtime, this machine).
            from kg.build.cluster import process_on_cluster

            return process_on_cluster(
                articles,
                factory,
                scheduler=str(self.settings.scheduler),
                run=self.run,
                timeout_s=float(self.settings.scheduler_timeout_s),
            )
        return process_articles(articles, factory, n_process=n_process or _workers(len(articles)))

    def extract(self, articles: Sequence[Article], n_process: int | None, progress: bool) -> Dataset:
        """The graphs of the articles that pass extraction and their own check."""
        graphs: Dataset = {}
        bar = _bar(len(articles), progress)
        try:
            for outcome in self.outcomes(articles, n_process):
                bar.update(1)
                self._take(outcome, graphs)
        finally:
            bar.close()
        return graphs

    def extract_into(
        self, writer: BuildWriter, articles: Sequence[Article], n_process: int | None, progress: bool
    ) -> None:
        """As :meth:`extract`, each graph that passes written into ``writer`` at once."""
        bar = _bar(len(articles), progress)
        try:
            for outcome in self.outcomes(articles, n_process):
                bar.update(1)
                if outcome.ok and outcome.ntriples is not None:
                    writer.add(article_graph_name(outcome.slug, self.base), outcome.ntriples, outcome.slug)
                else:
                    self.quarantine(outcome.slug, outcome.stage or "extract", outcome.reason or "")
        finally:
            bar.close()

    def check_written(self, writer: BuildWriter) -> None:
        """The checks after the merge on a build written as it went: reports that disagree
        on a date kept apart, the shared nodes, then OWL consistency per batch; what fails
        is quarantined and taken out of the store."""
        writer.separate()
        if not self.checks:
            return
        checks = make_checks(str(self.settings.ontology_dir), self.base, self.run, reasoner=self.reasoner)
        if self.reasoner and not checks.hermit():
            raise BuildError(
                "HermiT finds the ontology and the reference data inconsistent: no article is to blame"
            )
        nodes = sorted(writer.shared() - reference_subjects(self.base), key=str)
        for i in range(0, len(nodes), SHARED_CHUNK):
            self._check_shared(writer, checks, set(nodes[i : i + SHARED_CHUNK]))
        names = sorted(writer.names, key=str)
        for i in range(0, len(names), REASONER_BATCH):
            batch = {name: writer.triples(name) for name in names[i : i + REASONER_BATCH]}
            culprits = checks.inconsistent(batch)
            for name in culprits:
                self.quarantine(slug_of(name), "reasoner", _REASONER_REASON)
            writer.remove(culprits)

    def _check_shared(self, writer: BuildWriter, checks: GraphChecks, nodes: set[URIRef]) -> None:
        """The shapes and the OWL check over what every graph says of ``nodes``; the graphs
        to blame are quarantined and taken out, and the rest checked again."""
        prefix = str(article_graph_name("", self.base))
        for _round in range(3):  # each round removes at least one graph; two suffice in practice
            described = descriptions(writer.store, nodes, prefix=prefix, skip=set())
            blamed = blame(checks.shared(described, nodes), described, {})
            blamed.update({n: [] for n in checks.inconsistent(described) if n not in blamed})
            if not blamed:
                return
            for name, problems in blamed.items():
                self.quarantine(slug_of(name), "shared", _shared_reason(problems))
            writer.remove(blamed)

    def _take(self, outcome: Outcome, graphs: Dataset) -> None:
        if outcome.ok:
            graphs[article_graph_name(outcome.slug, self.base)] = outcome.graph()
        else:
            self.quarantine(outcome.slug, outcome.stage or "extract", outcome.reason or "")

    def check_merged(self, new: Dataset, kept: Mapping[URIRef, Graph]) -> Dataset:
        """Quarantine the new graphs that break a shape on a node they share with other
        graphs, or that the reasoner finds inconsistent; returns the new graphs left."""
        if not self.checks or not new:
            return new
        checks = make_checks(str(self.settings.ontology_dir), self.base, self.run, reasoner=self.reasoner)
        new = dict(new)
        for _round in range(3):  # each round removes at least one graph; two suffice in practice
            merged = separate_disagreeing_reports({**kept, **new})
            # reference entities are checked with each article, the reference as context:
            # articles add to them only what no shape limits (mentions, their own labels)
            nodes = shared_nodes(merged.values()) - reference_subjects(self.base)
            failing = checks.shared(merged, nodes)
            blamed = blame(failing, new, kept)
            if not blamed:
                break
            for name, problems in blamed.items():
                self.quarantine(slug_of(name), "shared", _shared_reason(problems))
                new.pop(name, None)
        names = sorted(new, key=str)
        for i in range(0, len(names), REASONER_BATCH):
            batch = {n: new[n] for n in names[i : i + REASONER_BATCH]}
            for name in checks.inconsistent(batch):
                self.quarantine(slug_of(name), "reasoner", _REASONER_REASON)
                new.pop(name, None)
        return new

    def publish(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Assemble the dataset of ``graphs`` and publish it as the live build."""
        with self.timer.stage("write"):
            dataset = assemble(graphs, settings=self.settings, run=self.run)
            self.summary.graphs = len(dataset)
            publish_dataset(dataset, self.settings, self.summary, self.stories)


_REASONER_REASON = "the article's graph is inconsistent with the ontology and the reference data"


def _shared_reason(problems: list[Problem]) -> str:
    if not problems:
        return "inconsistent with the ontology where it meets other articles"
    return f"{len(problems)} violation(s) where it meets other articles: {problem_lines(problems)}"


def slug_of(graph_name: URIRef) -> str:
    """The slug at the end of a named graph's IRI.

    >>> slug_of(URIRef("https://example.org/graph/article/kim-visits-seoul"))
    'kim-visits-seoul'"""
    return str(graph_name).rstrip("/").rsplit("/", 1)[-1]


def blame(
    failing: Mapping[URIRef, list[Problem]], new: Mapping[URIRef, Graph], kept: Mapping[URIRef, Graph]
) -> dict[URIRef, list[Problem]]:
    """Of the graphs that describe a failing shared node, the ones to quarantine: the new
    ones, except the first when only new graphs describe it (the others joined it)."""
    blamed: dict[URIRef, list[Problem]] = {}
    by_node: dict[object, set[URIRef]] = {}
    for name, problems in failing.items():
        for problem in problems:
            by_node.setdefault(problem.node, set()).add(name)
    for node, names in by_node.items():
        fresh = sorted((n for n in names if n in new), key=str)
        if not any(n in kept for n in names):
            fresh = fresh[1:]
        for name in fresh:
            blamed.setdefault(name, []).extend(p for p in failing[name] if p.node == node)
    return blamed


def finish(
    run: Run,
    graphs: Mapping[URIRef, object],
    report_file: Path | None,
    write: Callable[[], None] | None = None,
) -> BuildSummary:
    """Publish ``graphs`` (or run ``write``, which publishes), and write the report."""
    summary = run.summary
    if not graphs:
        summary.error = "nothing to publish: no article could be extracted"
    else:
        try:
            if write is not None:
                write()
            else:
                run.publish(graphs)  # type: ignore[arg-type]
        except BuildError as exc:
            summary.error = str(exc) or exc.__class__.__name__
    if report_file is not None:
        Path(report_file).write_text(json.dumps(summary.to_json(), indent=2), encoding="utf-8")
    return summary


# --- the two commands -------------------------------------------------------------------------


def build(
    settings: Settings,
    *,
    seeds: Path | None = None,
    checks: bool = True,
    reasoner: bool = True,
    progress: bool = True,
    n_process: int | None = None,
    report_file: Path | None = None,
) -> BuildSummary:
    """``kg build``: every article in ``seeds`` (default: the setting) → a new published
    store. Returns the summary; a build that published nothing says why in ``error``, with
    the live build untouched. ``checks`` and ``reasoner`` switch off the shapes and the
    OWL reasoner (for tests of the mechanics only)."""
    summary = BuildSummary("build")
    folder = Path(seeds if seeds is not None else settings.seeds)
    if not folder.is_dir():
        summary.error = f"no folder of articles at {folder}"
        return summary
    run = Run(settings, summary, checks=checks, reasoner=reasoner)
    with run.locked():
        articles, notes = assign_ids(run.read([folder]))
        summary.notes += notes
        run.names = {a.slug: a.source_name for a in articles}
        if not articles:
            summary.error = f"no readable articles in {folder}"
            return summary
        with run.timer.stage("deduplicate"):
            unique, copies = run.deduplicate(articles, run.stories)
        writer = BuildWriter(new_build_dir(Path(settings.store)))
        try:
            return _build_into(run, writer, unique, copies, n_process, progress, report_file)
        finally:
            if not summary.published:
                writer.abandon()


def _build_into(
    run: Run,
    writer: BuildWriter,
    unique: Sequence[Article],
    copies: Dataset,
    n_process: int | None,
    progress: bool,
    report_file: Path | None,
) -> BuildSummary:
    """Extract ``unique`` into ``writer``'s store, check what articles share, and publish."""
    summary = run.summary
    with run.timer.stage("extract"):
        run.extract_into(writer, unique, n_process, progress)
    with run.timer.stage("check"):
        run.check_written(writer)
        copies = orphan_copies(run, copies, {slug_of(n) for n in writer.names})
    summary.articles = [run.names[slug_of(n)] for n in sorted(writer.names, key=str)]
    summary.store_quarantined = list(summary.quarantined)

    def write() -> None:
        with run.timer.stage("write"):
            writer.add_graphs({**copies, **fixed_graphs(run.settings, run.run)})
            summary.graphs = len(writer.names) + len(copies) + 3
            seal(writer.target, writer.close, run.settings, summary, run.stories)

    return finish(run, dict.fromkeys(writer.names), report_file, write)


def orphan_copies(run: Run, copies: Dataset, present: set[str]) -> Dataset:
    """The duplicates whose story is in the graph (its id in ``present``); one whose story
    was quarantined is quarantined with it."""
    out: Dataset = {}
    for duplicate in list(run.summary.duplicates):
        name = article_graph_name(duplicate.id, run.base)
        if name not in copies:
            continue
        if duplicate.of in present:
            out[name] = copies[name]
        else:
            run.summary.duplicates.remove(duplicate)
            run.quarantine(duplicate.id, "duplicate", f"a copy of '{duplicate.of}', which was quarantined")
    return out

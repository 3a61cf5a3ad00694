"""The staged build: read → extract → assemble → validate → write → publish.

Each stage is a plain function that can run alone:

- :func:`collect_files` and :func:`read_all` read the articles, reporting bad ones
  (:class:`Skipped`, by name with the reason) instead of failing the batch;
- :func:`extract_all` runs the extraction stage (``kg.extract.extract_batch``, spaCy's
  ``nlp.pipe`` batching inside) with a progress bar on stderr;
- :func:`assemble` puts the article graphs beside the reference, ontology and runs graphs;
- :func:`validate_dataset` checks the assembled data (SHACL shapes and the reasoner);
- :func:`publish_dataset` writes a new build folder and swaps it in atomically.

:func:`build` (``kg build``) runs them all on a folder of articles; :func:`ingest`
(``kg ingest``) adds or replaces articles by copying the live build's other article graphs
into a new build, so readers never see a partial state. Ingesting an article whose graph
is already in the store unchanged publishes nothing (idempotent). A failing stage leaves
the live build untouched and no half-written folder behind.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import Dataset as RdfDataset
from rdflib.compare import to_canonical_graph
from tqdm import tqdm

from kg import __version__
from kg.disagreements import separate_disagreeing_reports
from kg.errors import ArticleError, BuildError, ValidationFailedError
from kg.model import Article, ExtractionRun
from kg.namespaces import graph_iri
from kg.read import is_article_file, read_article
from kg.settings import Settings
from kg.store import (
    build_lock,
    current_build,
    discard_build,
    named_quads,
    new_build_dir,
    publish,
    quads_of_graph,
    write_build,
)

__all__ = [
    "MODEL_NAME",
    "PARALLEL_THRESHOLD",
    "BuildSummary",
    "Skipped",
    "Validator",
    "article_graph_name",
    "assemble",
    "build",
    "collect_files",
    "current_run",
    "extract_all",
    "ingest",
    "ontology_graph",
    "publish_dataset",
    "read_all",
    "validate_dataset",
]

MODEL_NAME = "en_core_web_sm"
# From this many articles on, extraction runs in two spaCy processes. scripts/bench_build.py
# measured on 2 cores: 1.46x faster at 32 articles, 1.68x at 64, 1.73x at 128; for a
# handful of articles the second model load (about 1.5 s) costs more than it saves.
PARALLEL_THRESHOLD = 32

Dataset = dict[URIRef, Graph]
Validator = Callable[[Graph | RdfDataset, Settings], None]


@dataclass(frozen=True)
class Skipped:
    """An input that was not used, and why."""

    name: str
    reason: str


@dataclass
class BuildSummary:
    """What a build or an ingest did; ``exit_code`` is the command's exit status: 0 all
    good, 1 some articles skipped but a build was published (or nothing needed to change),
    2 nothing was published because the build failed."""

    articles: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    graphs: int = 0
    quads: int = 0
    triples: int = 0
    build: Path | None = None
    published: bool = False
    unchanged: bool = False
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if self.error is not None or not (self.published or self.unchanged):
            return 2
        return 1 if self.skipped else 0

    def render(self) -> str:
        lines = [f"articles read: {len(self.articles)}; skipped: {len(self.skipped)}"]
        lines += [f"  skipped {s.name}: {s.reason}" for s in self.skipped]
        if self.error is not None:
            lines.append(f"build failed, nothing published: {self.error}")
        elif self.unchanged:
            lines.append("no change: the store already holds these articles as they are")
        elif self.published:
            lines.append(
                f"published {self.build.name if self.build else '?'}: {self.graphs} named graphs, "
                f"{self.quads} quads in named graphs, {self.triples} triples in the default graph"
            )
        lines += self.notes
        total = sum(self.timings.values())
        steps = ", ".join(f"{k} {v:.2f}s" for k, v in self.timings.items())
        lines.append(f"time: {total:.2f}s ({steps})")
        return "\n".join(lines)


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


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Article files named by ``paths``: files as given, folders' ``*.txt``/``*.md`` files
    (sorted, not recursive, sidecar ``*.meta.yaml`` files left to the reader). A path that
    does not exist is reported."""
    files: list[Path] = []
    missing: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if is_article_file(p)))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Skipped(str(path), "no such file or folder"))
    return files, missing


def read_all(
    sources: Iterable[Path | tuple[str, bytes]], *, max_bytes: int
) -> tuple[list[Article], list[Skipped]]:
    """Read every source (a file, or a name and bytes); bad ones are reported, not raised.
    Two inputs with the same slug: the first is kept, the second reported."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for source in sources:
        try:
            if isinstance(source, Path):
                article = read_article(source, max_bytes=max_bytes)
            else:
                article = read_article(source[1], name=source[0], max_bytes=max_bytes)
        except ArticleError as exc:
            skipped.append(Skipped(exc.name, exc.reason))
            continue
        if article.slug in seen:
            skipped.append(
                Skipped(article.source_name, f"same article id '{article.slug}' as {seen[article.slug]}")
            )
            continue
        seen[article.slug] = article.source_name
        articles.append(article)
    return articles, skipped


def current_run() -> ExtractionRun:
    """The extraction run of this software and model (no time in it: see ExtractionRun)."""
    from kg.annotate import model_version

    return ExtractionRun(__version__, MODEL_NAME, model_version())


def extract_all(
    articles: Sequence[Article],
    *,
    base: str,
    run: ExtractionRun,
    n_process: int | None = None,
    progress: bool = True,
) -> Iterator[tuple[Article, Graph]]:
    """The extraction stage over all articles, with a progress bar on stderr. ``n_process``
    defaults to 2 when there are at least PARALLEL_THRESHOLD articles and two cores."""
    from kg.extract import extract_batch

    if n_process is None:
        n_process = 2 if len(articles) >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) >= 2 else 1
    bar = tqdm(
        total=len(articles),
        unit="article",
        desc="extracting",
        file=sys.stderr,
        disable=not progress or not articles,
        leave=False,
    )
    try:
        for article, graph in extract_batch(articles, base=base, run=run, n_process=n_process):
            bar.update(1)
            yield article, graph
    finally:
        bar.close()


def article_graph_name(slug: str, base: str) -> URIRef:
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


def _runs_graph(run: ExtractionRun, base: str) -> Graph:
    from kg.rdf import run_graph

    ended = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return run_graph(run, base, ended)


def assemble(article_graphs: Mapping[URIRef, Graph], *, settings: Settings, run: ExtractionRun) -> Dataset:
    """The whole dataset: the article graphs, ``graph/reference``, ``graph/ontology`` and
    ``graph/runs``, keyed by graph IRI. Reports of one event IRI that disagree on its date
    are kept apart (:mod:`kg.disagreements`)."""
    from kg.reference import reference_graph

    base = settings.base_iri
    separate = separate_disagreeing_reports(article_graphs)
    dataset: Dataset = {name: _canonical(graph) for name, graph in separate.items()}
    dataset[graph_iri("reference", base=base)] = _canonical(reference_graph(base))
    dataset[graph_iri("ontology", base=base)] = _canonical(ontology_graph(Path(settings.ontology_dir)))
    dataset[graph_iri("runs", base=base)] = _runs_graph(run, base)
    return dataset


def _as_rdflib_dataset(dataset: Mapping[URIRef, Graph]) -> RdfDataset:
    """The named graphs as one rdflib Dataset (the validator names the graph of each
    problem and checks their union)."""
    out = RdfDataset()
    for name, graph in dataset.items():
        target = out.graph(name)
        for triple in graph:
            target.add(triple)
    return out


def default_validator(reasoner: bool = True) -> Validator | None:
    """The project's validator: SHACL shapes and (with ``reasoner``) OWL consistency;
    None while this version has no ``kg.validate`` (the build then says so)."""
    if importlib.util.find_spec("kg.validate") is None:
        return None

    def check(data: Graph | RdfDataset, settings: Settings) -> None:
        from kg.validate import validate

        report = validate(data, ontology_dir=Path(settings.ontology_dir), reasoner=reasoner)
        if not report.conforms:
            raise ValidationFailedError(report.summary())

    return check


def validate_dataset(
    dataset: Mapping[URIRef, Graph], settings: Settings, validator: Validator | None
) -> bool:
    """Validate the dataset (its graphs and their union); raises ValidationFailedError. Returns
    False when there is no validator to run."""
    if validator is None:
        return False
    validator(_as_rdflib_dataset(dataset), settings)
    return True


def _quads(dataset: Mapping[URIRef, Graph]) -> Iterator[ox.Quad]:
    for name, graph in dataset.items():
        yield from quads_of_graph(graph, name)


def publish_dataset(
    dataset: Mapping[URIRef, Graph] | Iterable[ox.Quad], settings: Settings, summary: BuildSummary
) -> None:
    """Write a new build folder and swap it in; on any failure the folder is removed and
    the live build stays as it was. Call under the store's build lock."""
    store_dir = Path(settings.store)
    build_dir = new_build_dir(store_dir)
    done = False
    try:
        quads = _quads(dataset) if isinstance(dataset, Mapping) else dataset
        summary.quads, summary.triples = write_build(build_dir, quads)
        publish(store_dir, build_dir)
        done = True
    finally:
        if not done:
            discard_build(build_dir)
    summary.build = build_dir
    summary.published = True


# --- the two commands -------------------------------------------------------------------------


def _fail(summary: BuildSummary, exc: Exception) -> BuildSummary:
    summary.error = str(exc) or exc.__class__.__name__
    return summary


def build(
    settings: Settings,
    *,
    seeds: Path | None = None,
    validator: Validator | None = None,
    progress: bool = True,
    n_process: int | None = None,
) -> BuildSummary:
    """``kg build``: every article in ``seeds`` (default: the setting) → a new published
    store. Returns the summary; a failed build is reported in it (``error``), with the
    live build untouched."""
    summary = BuildSummary()
    timer = _Timer(summary)
    folder = Path(seeds if seeds is not None else settings.seeds)
    if not folder.is_dir():
        return _fail(summary, BuildError(f"no folder of articles at {folder}"))
    validator = validator if validator is not None else default_validator()
    with build_lock(Path(settings.store)):
        with timer.stage("read"):
            files, summary.skipped = collect_files([folder])
            articles, skipped = read_all(files, max_bytes=settings.max_article_bytes)
            summary.skipped += skipped
        if not articles:
            return _fail(summary, BuildError(f"no readable articles in {folder}"))
        return _extract_validate_publish(articles, {}, settings, summary, validator, progress, n_process)


def _extract_validate_publish(
    articles: Sequence[Article],
    kept: Mapping[URIRef, Graph],
    settings: Settings,
    summary: BuildSummary,
    validator: Validator | None,
    progress: bool,
    n_process: int | None,
    unchanged_check: Callable[[Mapping[URIRef, Graph]], bool] | None = None,
) -> BuildSummary:
    timer = _Timer(summary)
    base = settings.base_iri
    run = current_run()
    try:
        with timer.stage("extract"):
            graphs = {
                article_graph_name(a.slug, base): g
                for a, g in extract_all(articles, base=base, run=run, n_process=n_process, progress=progress)
            }
        summary.articles = [a.source_name for a in articles]
        if unchanged_check is not None and unchanged_check(graphs):
            summary.unchanged = True
            return summary
        with timer.stage("assemble"):
            dataset = assemble({**kept, **graphs}, settings=settings, run=run)
            summary.graphs = len(dataset)
        with timer.stage("validate"):
            if not validate_dataset(dataset, settings, validator):
                summary.notes.append("validation skipped: this version has no validator (kg.validate)")
        with timer.stage("write"):
            publish_dataset(dataset, settings, summary)
    except BuildError as exc:
        return _fail(summary, exc)
    return summary


def _from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _live_article_graphs(settings: Settings) -> dict[URIRef, set[ox.Quad]]:
    """The article graphs of the live build as quads (empty when nothing is published)."""
    build_dir = current_build(Path(settings.store))
    if build_dir is None:
        return {}
    prefix = str(graph_iri("article/", base=settings.base_iri))
    graphs: dict[URIRef, set[ox.Quad]] = {}
    store = ox.Store.read_only(str(build_dir))
    try:
        for quad in named_quads(store):
            name = quad.graph_name
            if isinstance(name, ox.NamedNode) and name.value.startswith(prefix):
                graphs.setdefault(URIRef(name.value), set()).add(quad)
    finally:
        del store
    return graphs


def _as_graph(quads: Iterable[ox.Quad]) -> Graph:
    graph = Graph()
    for q in quads:
        graph.add((_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object)))  # type: ignore[arg-type]
    return graph


def ingest(
    settings: Settings,
    sources: Sequence[Path | tuple[str, bytes]],
    *,
    validator: Validator | None = None,
    progress: bool = True,
    n_process: int | None = None,
) -> BuildSummary:
    """``kg ingest``: add or replace articles (files, folders, or (name, bytes) pairs)
    in the published store. The new store is the live one's article graphs, with those
    of the ingested articles replaced or added, plus fresh reference, ontology and runs
    graphs, written as a new build and swapped in. Nothing is published when every
    ingested article's graph is already in the store as it is."""
    summary = BuildSummary()
    timer = _Timer(summary)
    validator = validator if validator is not None else default_validator()
    with build_lock(Path(settings.store)):
        with timer.stage("read"):
            paths = [s for s in sources if isinstance(s, Path)]
            files, summary.skipped = collect_files(paths)
            inputs: list[Path | tuple[str, bytes]] = [
                *files,
                *(s for s in sources if not isinstance(s, Path)),
            ]
            articles, skipped = read_all(inputs, max_bytes=settings.max_article_bytes)
            summary.skipped += skipped
        if not articles:
            return _fail(summary, BuildError("no readable articles to ingest"))
        with timer.stage("copy"):
            live = _live_article_graphs(settings)
        has_live = current_build(Path(settings.store)) is not None

        def unchanged(new: Mapping[URIRef, Graph]) -> bool:
            # Compared as the store holds them: Oxigraph reads "x" as "x"^^xsd:string and
            # stores integer-derived types (xsd:nonNegativeInteger ...) as xsd:integer.
            def stored(name: URIRef, graph: Graph) -> set[ox.Quad]:
                scratch = ox.Store()
                scratch.bulk_extend(quads_of_graph(graph, name))
                return set(scratch)

            return has_live and all(name in live and stored(name, g) == live[name] for name, g in new.items())

        kept = {name: _as_graph(quads) for name, quads in live.items()}
        return _extract_validate_publish(
            articles, kept, settings, summary, validator, progress, n_process, unchanged
        )

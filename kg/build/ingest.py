"""``kg ingest``: add or replace articles in the published store, at a cost that follows the
change, not the store (decision 0010).

The live build is never copied into memory. An ingest reads the ids and sources of the
store's articles and the signatures of their stories (:mod:`kg.build.incremental`), extracts and
checks the new articles as a build does (:class:`kg.build.pipeline.Run`), then reads only what
they touch: the earlier version of an article it replaces, the other articles' reports of
the events it dates (to keep disagreeing dates apart), and what other articles say of the
nodes it shares with them (for the shapes). The next build is a hard-linked checkpoint of
the live one with those graphs changed, published by the same atomic swap as a build.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.build.disagreements import separate_disagreeing_reports
from kg.build.incremental import descriptions, graph_of, live_articles, write_next_build
from kg.build.pipeline import Dataset, Run, assemble, finish, orphan_copies, reference_subjects, slug_of
from kg.build.report import BuildSummary, Quarantined, quarantine_of
from kg.engine.oxigraph.store import (
    current_build,
    discard_build,
    live_report,
    new_build_dir,
    publish,
    quads_of_graph,
    report_path,
)
from kg.facts import Article
from kg.namespaces import PEN, graph_iri
from kg.read.inputs import assign_ids
from kg.settings import Settings

__all__ = ["ingest"]


def ingest(
    settings: Settings,
    sources: Sequence[Path | tuple[str, bytes]],
    *,
    checks: bool = True,
    reasoner: bool = True,
    progress: bool = True,
    n_process: int | None = None,
    report_file: Path | None = None,
) -> BuildSummary:
    """Add or replace articles (files, folders, or (name, bytes) pairs) in the published
    store. An article from a source the store holds replaces it (and the summary says so);
    one the store holds as it is changes nothing; a copy of a story in the store is
    recorded as another publication of it. Into an empty store, this is a build."""
    summary = BuildSummary("ingest")
    run = Run(settings, summary, checks=checks, reasoner=reasoner)
    with run.locked():
        articles = run.read(sources)
        if not articles:
            summary.error = "no readable articles to ingest"
            return summary
        live = current_build(Path(settings.store))
        prefix = str(graph_iri("article/", base=settings.base_iri))
        store = ox.Store.read_only(str(live)) if live is not None else None
        try:
            return _ingest(run, articles, store, live, prefix, n_process, progress, report_file)
        finally:
            del store


def _ingest(
    run: Run,
    articles: list[Article],
    store: ox.Store | None,
    live: Path | None,
    prefix: str,
    n_process: int | None,
    progress: bool,
    report_file: Path | None,
) -> BuildSummary:
    summary, settings = run.summary, run.settings
    with run.timer.stage("index"):
        ids, index = (
            live_articles(store, live, prefix)
            if store is not None and live is not None
            else ({}, run.stories)
        )
        run.stories = index
        previous = live_report(Path(settings.store)) or {}
    articles, notes = assign_ids(articles, ids)
    summary.notes += notes
    run.names = {a.slug: a.source_name for a in articles}
    with run.timer.stage("deduplicate"):
        unique, copies = run.deduplicate(articles, index)
    with run.timer.stage("extract"):
        graphs = run.extract(unique, n_process, progress)
    earlier = {n: graph_of(store, n) for n in (*graphs, *copies) if store is not None and slug_of(n) in ids}
    for part in (graphs, copies):
        for name in [n for n, g in part.items() if n in earlier and _stored(n, g) == _stored(n, earlier[n])]:
            summary.unchanged.append(run.names[slug_of(name)])
            del part[name]
    summary.duplicates = [d for d in summary.duplicates if run.names[d.id] not in summary.unchanged]
    replaced = {n for n in (*graphs, *copies) if n in earlier}
    with run.timer.stage("check"):
        others = _touched(store, graphs, prefix, replaced, settings.base_iri) if store is not None else {}
        graphs = run.check_merged(graphs, others)
        copies = orphan_copies(run, copies, {*ids, *(slug_of(n) for n in graphs)})
        rewritten = _separate_dates(store, graphs, prefix, replaced) if store is not None else {}
    graphs.update({n: g for n, g in rewritten.items() if n in graphs})
    summary.articles = [run.names[slug_of(n)] for n in sorted(graphs, key=str)]
    for name in sorted((*graphs, *copies), key=str):
        if name in earlier:
            summary.notes.append(
                f"{run.names[slug_of(name)]}: replaced the article '{slug_of(name)}' in the store"
            )
    in_store = {*ids, *(slug_of(n) for n in (*graphs, *copies))}
    summary.store_quarantined = _carried_quarantine(previous, summary, in_store)
    if not graphs and not copies:
        if not summary.quarantined:
            return summary  # every article already in the store as it is
        return finish(run, {}, report_file)
    new = {**graphs, **copies}
    if store is None or live is None:  # nothing published yet: a build of these articles
        return finish(run, new, report_file)
    old_rewrites = {n: g for n, g in rewritten.items() if n not in graphs}

    def write() -> None:
        with run.timer.stage("write"):
            _write(run, live, store, {**new, **old_rewrites}, previous)

    return finish(run, new, report_file, write)


def _stored(name: URIRef, graph: Graph) -> set[ox.Quad]:
    # Compared as the store holds them: Oxigraph reads "x" as "x"^^xsd:string and stores
    # integer-derived types (xsd:nonNegativeInteger ...) as xsd:integer.
    scratch = ox.Store()
    scratch.bulk_extend(quads_of_graph(graph, name))
    return set(scratch)


def _touched(
    store: ox.Store, graphs: Mapping[URIRef, Graph], prefix: str, replaced: set[URIRef], base: str
) -> dict[URIRef, Graph]:
    """What the store's other article graphs say of the nodes the new graphs describe
    (reference entities aside: their shapes are checked with each article)."""
    nodes = {s for g in graphs.values() for s in g.subjects() if isinstance(s, URIRef)}
    nodes -= reference_subjects(base)
    nodes = {
        n
        for n in nodes
        if "/article/" not in str(n) and "/mention/" not in str(n) and "/sentence/" not in str(n)
    }
    return descriptions(store, nodes, prefix=prefix, skip=replaced | set(graphs))


def _separate_dates(
    store: ox.Store, graphs: Mapping[URIRef, Graph], prefix: str, replaced: set[URIRef]
) -> Dataset:
    """The graphs to write again so that reports of one event IRI that disagree on its
    date keep IRIs of their own (:mod:`kg.build.disagreements`): among the new graphs and the
    store's other graphs that date the same events, those that change."""
    events = {e for g in graphs.values() for e in g.subjects(PEN.earliest, None)}
    involved: dict[URIRef, Graph] = {}
    for event in events:
        for q in store.quads_for_pattern(
            ox.NamedNode(str(event)), ox.NamedNode(str(PEN.earliest)), None, None
        ):
            name = q.graph_name
            if isinstance(name, ox.NamedNode) and name.value.startswith(prefix):
                graph_name = URIRef(name.value)
                if graph_name not in graphs and graph_name not in replaced and graph_name not in involved:
                    involved[graph_name] = graph_of(store, graph_name)
    if not involved:
        return {}
    before = {**involved, **graphs}
    merged = separate_disagreeing_reports(before)
    return {n: g for n, g in merged.items() if g is not before[n]}  # the function copies what it renames


def _write(run: Run, live: Path, store: ox.Store, new: Dataset, previous: Mapping[str, object]) -> None:
    """The next build: the live one checkpointed, with the new article graphs, the
    rewritten ones, and the reference, ontology and runs graphs when they changed."""
    settings, summary = run.settings, run.summary
    changes: Dataset = dict(new)
    for name, graph in assemble({}, settings=settings, run=run.run).items():
        held = set(store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))
        if name == graph_iri("runs", base=settings.base_iri) or _stored(name, graph) != held:
            changes[name] = graph
    added = sum(1 for n in changes if not store.contains_named_graph(ox.NamedNode(str(n))))
    target = new_build_dir(Path(settings.store))
    target.rmdir()  # the checkpoint makes the folder itself
    quads, triples, graphs = (previous.get(k) for k in ("quads", "triples", "graphs"))
    counts = (quads, triples) if isinstance(quads, int) and isinstance(triples, int) else None
    done = False
    try:
        summary.quads, summary.triples = write_next_build(
            live, target, remove=(), add=changes, stories=run.stories, counts=counts
        )
        summary.graphs = (graphs if isinstance(graphs, int) else 0) + added
        summary.build, summary.published = target, True
        report_path(target).write_text(json.dumps(summary.to_json(), indent=2), encoding="utf-8")
        publish(Path(settings.store), target)
        done = True
    finally:
        if not done:
            summary.published = False
            discard_build(target)


def _carried_quarantine(
    previous: Mapping[str, object], summary: BuildSummary, in_store: set[str]
) -> list[Quarantined]:
    """The quarantine of the store after an ingest: what the live build had quarantined
    and is still not in the store, and what this ingest quarantined."""
    now = {q.id for q in summary.quarantined}
    carried = [
        Quarantined(*(str(item.get(k, "")) for k in ("name", "id", "stage", "reason")))
        for item in quarantine_of(previous)
        if item.get("id") not in in_store and item.get("id") not in now
    ]
    return carried + list(summary.quarantined)

"""Reports of one event IRI that disagree on the date are kept apart, so the graph neither
merges them on a guess nor breaks the shapes (one pen:earliest, one pen:latest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rdflib import XSD, Dataset, Graph, Literal, URIRef

from kg.build import pipeline
from kg.build.disagreements import separate_disagreeing_reports
from kg.extract import extract_batch
from kg.facts import Article
from kg.namespaces import DEFAULT_BASE, PEN, graph_iri, resource_iri
from kg.settings import Settings
from kg.validate.graph import validate

EVENT = resource_iri("summit", "beijing-a-b")
CLAIM = resource_iri("claim", "x", "1-2")


def _report(slug: str, year: int | None) -> tuple[URIRef, Graph]:
    name = graph_iri(f"article/{slug}")
    g = Graph(identifier=name)
    g.add((EVENT, PEN.place, resource_iri("place", "Beijing")))
    g.add((CLAIM, PEN.claimAbout, EVENT))
    if year is not None:
        g.add((EVENT, PEN.earliest, Literal(f"{year}-01-01", datatype=XSD.date)))
        g.add((EVENT, PEN.latest, Literal(f"{year}-12-31", datatype=XSD.date)))
    return name, g


def test_reports_that_agree_or_give_no_date_share_the_iri() -> None:
    graphs = dict([_report("one", 2018), _report("two", 2018), _report("three", None)])
    out = separate_disagreeing_reports(graphs)
    assert all(EVENT in set(g.subjects()) for g in out.values())


def test_reports_that_disagree_get_an_iri_each_wherever_they_are_named() -> None:
    graphs = dict([_report("one", 2018), _report("two", 2019), _report("three", None)])
    out = separate_disagreeing_reports(graphs)
    one, two, three = (out[graph_iri(f"article/{n}")] for n in ("one", "two", "three"))
    assert (URIRef(f"{EVENT}-one"), PEN.earliest, Literal("2018-01-01", datatype=XSD.date)) in one
    assert (CLAIM, PEN.claimAbout, URIRef(f"{EVENT}-one")) in one
    assert (URIRef(f"{EVENT}-two"), PEN.earliest, Literal("2019-01-01", datatype=XSD.date)) in two
    assert EVENT not in set(one.subjects()) | set(two.subjects())
    assert (CLAIM, PEN.claimAbout, EVENT) in three  # undated: disagrees with no one


def test_summits_in_one_city_in_different_years_build_and_validate(settings: Settings) -> None:
    texts = {
        "kim-xi-2018": ("Kim Jong Un met Xi Jinping in Beijing in 2018.", date(2019, 1, 10)),
        "kim-xi-2019": ("Kim Jong Un met Xi Jinping in Beijing in 2019.", date(2020, 1, 10)),
    }
    articles = [
        Article(slug, text, f"{slug}.txt", published=day, date_status="text")
        for slug, (text, day) in texts.items()
    ]
    run = pipeline.current_run()
    graphs = {
        pipeline.article_graph_name(a.slug, DEFAULT_BASE): g
        for a, g in extract_batch(articles, base=DEFAULT_BASE, run=run)
    }
    summits = {s for g in graphs.values() for s in g.subjects(PEN.earliest, None)}
    assert len(summits) == 1  # the key cannot tell them apart: a year is no date for a summit
    dataset = pipeline.assemble(graphs, settings=settings, run=run)
    dated = {s for name, g in dataset.items() if name in graphs for s in g.subjects(PEN.earliest, None)}
    assert len(dated) == 2
    report = validate(_as_dataset(dataset), ontology_dir=Path(settings.ontology_dir), reasoner=False)
    assert report.conforms, report.summary()


def _as_dataset(graphs: dict[URIRef, Graph]) -> Dataset:
    out = Dataset()
    for name, graph in graphs.items():
        target = out.graph(name)
        for triple in graph:
            target.add(triple)
    return out

"""Facts → RDF: grounding, offsets, IRIs and literals per docs/graph-conventions.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.extract import extract_batch
from kg.facts import Article, ExtractionRun
from kg.namespaces import DEFAULT_BASE, PEN, resource_iri
from kg.rdf.mapping import article_graph_iri, run_iri

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
RUN = ExtractionRun("0.1.0", "en_core_web_sm", "3.8.0")
TEXT = (
    "North Korea fired two cruise missiles on Sunday, South Korea's Defence Ministry said.\n\n"
    "Japanese Foreign Minister Yoshimasa Hayashi condemned the launches. U.S. officials said "
    "the launches did not appear to violate UN Security Council resolutions."
)


@pytest.fixture(scope="module")
def graph() -> Graph:
    article = Article("snippet-1", TEXT, "snippet-1.txt", published=date(2021, 3, 23), date_status="text")
    [(_, g)] = list(extract_batch([article], base=DEFAULT_BASE, run=RUN))
    return g


def test_graph_is_the_article_graph(graph: Graph) -> None:
    assert graph.identifier == article_graph_iri("snippet-1", DEFAULT_BASE)
    article = resource_iri("article", "snippet-1")
    assert (article, RDF.type, PEN.Article) in graph
    assert (article, PEN.text, Literal(TEXT)) in graph
    assert (article, PEN.published, Literal("2021-03-23", datatype=XSD.date)) in graph
    assert (article, PEN.extractedBy, run_iri(RUN, DEFAULT_BASE)) in graph


def test_every_mention_and_sentence_offset_is_exact(graph: Graph) -> None:
    nodes = set(graph.subjects(RDF.type, PEN.Mention)) | set(graph.subjects(RDF.type, PEN.Sentence))
    assert nodes
    for node in nodes:
        begin = graph.value(node, PEN.beginIndex).toPython()  # type: ignore[union-attr]
        end = graph.value(node, PEN.endIndex).toPython()  # type: ignore[union-attr]
        assert TEXT[begin:end] == str(graph.value(node, PEN.anchorOf))
        assert graph.value(node, PEN.beginIndex).datatype == XSD.nonNegativeInteger  # type: ignore[union-attr]


@pytest.mark.parametrize("cls", [PEN.MissileLaunch, PEN.PostHolding, PEN.Claim, PEN.ComplianceClaim])
def test_every_fact_is_grounded(graph: Graph, cls: URIRef) -> None:
    facts = list(graph.subjects(RDF.type, cls))
    assert facts, cls
    for fact in facts:
        mentions = list(graph.objects(fact, PEN.denotedBy))
        assert mentions and all((m, RDF.type, PEN.Mention) in graph for m in mentions)
        assert all(graph.value(m, PEN.sentence) is not None for m in mentions)
        assert graph.value(fact, PEN.confidence) is not None
        assert graph.value(fact, PEN.extractedBy) == run_iri(RUN, DEFAULT_BASE)
        assert graph.value(fact, PEN.reportedIn) is not None or graph.value(fact, PEN.statedIn) is not None


def test_launch_has_its_key_facts(graph: Graph) -> None:
    [launch] = list(graph.subjects(RDF.type, PEN.MissileLaunch))
    assert str(launch).endswith("/resource/launch/2021-03-21-north-korea-cruise-missile")
    assert graph.value(launch, PEN.date) == Literal("2021-03-21", datatype=XSD.date)
    assert graph.value(launch, PEN.datePrecision) == PEN.DayPrecision
    assert graph.value(launch, PEN.dateText) == Literal("on Sunday")
    assert graph.value(launch, PEN["count"]) == Literal(2, datatype=XSD.nonNegativeInteger)
    assert graph.value(launch, PEN.weaponClass) == PEN.CruiseMissile
    assert graph.value(launch, PEN.modality) == PEN.Actual
    assert graph.value(launch, PEN.launchingState) == resource_iri("state", "North Korea")


def test_compliance_claim_is_hedged_and_negative(graph: Graph) -> None:
    [claim] = list(graph.subjects(RDF.type, PEN.ComplianceClaim))
    assert graph.value(claim, PEN.violates) == Literal(False)
    assert graph.value(claim, PEN.hedged) == Literal(True)
    assert graph.value(claim, PEN.instrument) is not None
    assert (graph.value(claim, PEN.claimAbout), RDF.type, PEN.MissileLaunch) in graph


def test_extraction_is_deterministic() -> None:
    article = Article("snippet-2", TEXT, "snippet-2.txt", published=date(2021, 3, 23))
    [(_, a)] = list(extract_batch([article], base=DEFAULT_BASE, run=RUN))
    [(_, b)] = list(extract_batch([article], base=DEFAULT_BASE, run=RUN))
    assert set(a) == set(b)


def test_seeds_give_the_key_facts() -> None:
    articles = [
        Article(p.stem, p.read_text(encoding="utf-8"), p.name, published=date(2021, 3, 23))
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    graphs = {a.slug: g for a, g in extract_batch(articles, base=DEFAULT_BASE, run=RUN)}
    g = graphs["000_97fe8e58a390c542"]
    launch = resource_iri("launch", "2021-03-21-north-korea-cruise-missile")
    assert (launch, RDF.type, PEN.MissileLaunch) in g
    assert g.value(launch, PEN["count"]) == Literal(2, datatype=XSD.nonNegativeInteger)
    assert g.value(launch, PEN.launchSite) == resource_iri("place", "South Pyongan")
    assert g.value(launch, PEN.launchingState) == resource_iri("state", "North Korea")
    # several sentences tell the one launch
    assert len(list(g.objects(launch, PEN.denotedBy))) >= 3
    holdings = set(g.subjects(RDF.type, PEN.PostHolding))
    assert any(str(h).endswith("/choe-son-hui/north-korea/first-vice-foreign-minister") for h in holdings)
    anonymous = set(graphs["004_386a12430256cb01"].subjects(RDF.type, PEN.AnonymousSource))
    assert anonymous
    for graph in graphs.values():
        text = str(next(graph.objects(None, PEN.text)))
        for m in graph.subjects(RDF.type, PEN.Mention):
            b = graph.value(m, PEN.beginIndex).toPython()  # type: ignore[union-attr]
            e = graph.value(m, PEN.endIndex).toPython()  # type: ignore[union-attr]
            assert text[b:e] == str(graph.value(m, PEN.anchorOf))

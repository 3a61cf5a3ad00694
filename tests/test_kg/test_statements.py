"""Per-statement provenance (decision 0018): each fact an article asserts is traced to the
sentences and mentions that state it, not to every sentence that mentions its subject; and
each article graph says, in PROV-O, what it was derived from and by which run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.build.pipeline import make_checks
from kg.canned import catalogue as canned
from kg.extract import extract_batch
from kg.facts import Article, ExtractionRun
from kg.namespaces import DEFAULT_BASE, PEN, PROV, resource_iri
from kg.rdf.mapping import article_graph_iri, run_iri
from kg.rdf.terms import to_ox

ROOT = Path(__file__).resolve().parent.parent.parent
RUN = ExtractionRun("0.1.0", "en_core_web_sm", "3.8.0")
NORTH_KOREA = resource_iri("state", "North Korea")
# The first sentence names who launched ('Pyongyang', North Korea's government); the
# second tells of the launches again without naming anyone who launched them.
NAMES = "Pyongyang test-fired three short-range ballistic missiles toward the East Sea on Thursday."
ONLY_LAUNCHES = (
    "The launches drew swift condemnation in Tokyo, and analysts warned that "
    "the region was running out of patience."
)
TEXT = f"{NAMES}\n\n{ONLY_LAUNCHES}\n\nJapanese Foreign Minister Yoshimasa Hayashi called the tests reckless."
URL = "https://news.example.org/asia/2022/09/29/missiles.html"


@pytest.fixture(scope="module")
def graph() -> Graph:
    article = Article(
        "statements-1",
        TEXT,
        "statements-1.txt",
        publisher="Example News",
        published=date(2022, 9, 29),
        date_status="metadata",
        url=URL,
        retrieved=date(2022, 10, 2),
    )
    [(_, g)] = list(extract_batch([article], base=DEFAULT_BASE, run=RUN))
    return g


def _statements(
    g: Graph, s: URIRef | None = None, p: URIRef | None = None, o: URIRef | None = None
) -> list[URIRef]:
    return [
        st
        for st in g.subjects(RDF.type, RDF.Statement)
        if (s is None or g.value(st, RDF.subject) == s)
        and (p is None or g.value(st, RDF.predicate) == p)
        and (o is None or g.value(st, RDF.object) == o)
    ]


def _sentences(g: Graph, statement: URIRef) -> set[str]:
    return {str(g.value(s, PEN.anchorOf)) for s in g.objects(statement, PROV.wasDerivedFrom)}


def _launch(g: Graph) -> URIRef:
    (launch,) = set(g.subjects(RDF.type, PEN.MissileLaunch))
    return launch  # type: ignore[return-value]


def test_the_launching_state_is_stated_by_the_sentence_that_names_it_only(graph: Graph) -> None:
    launch = _launch(graph)
    assert (launch, PEN.launchingState, NORTH_KOREA) in graph
    # the launch itself is told by both sentences (its resource-level grounding) …
    told = {
        str(graph.value(graph.value(m, PEN.sentence), PEN.anchorOf))
        for m in graph.objects(launch, PEN.denotedBy)
    }
    assert {NAMES, ONLY_LAUNCHES} <= told
    # … but who launched it, by the first alone
    (statement,) = _statements(graph, launch, PEN.launchingState, NORTH_KOREA)
    assert _sentences(graph, statement) == {NAMES}
    words = {str(graph.value(m, PEN.anchorOf)) for m in graph.objects(statement, PEN.denotedBy)}
    assert words == {"test-fired", "Pyongyang"}  # what told the launch, and the state's name
    assert graph.value(statement, PEN.extractedBy) == run_iri(RUN, DEFAULT_BASE)
    assert graph.value(statement, PEN.confidence).datatype == XSD.decimal  # type: ignore[union-attr]


def test_every_role_holding_and_claim_link_has_a_statement_of_its_own(graph: Graph) -> None:
    facts = {
        (s, p, o)
        for s, p, o in graph
        if p in {PEN.launchingState, PEN.weaponSystem, PEN.launchSite, PEN.impactArea, PEN.speaker}
        or p in {PEN.addressee, PEN.participant, PEN.holder, PEN.post, PEN.claimedBy, PEN.claimAbout}
    }
    assert any(p == PEN.speaker for _, p, _ in facts)  # Hayashi's statement
    stated = {
        (graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object))
        for st in _statements(graph)
    }
    assert facts <= stated
    for st in _statements(graph):
        sentences = set(graph.objects(st, PROV.wasDerivedFrom))
        mentions = set(graph.objects(st, PEN.denotedBy))
        assert sentences and mentions
        # every mention lies in one of the statement's sentences, and every sentence holds one
        assert {graph.value(m, PEN.sentence) for m in mentions} == sentences


def test_statement_iris_are_stable_and_per_article(graph: Graph) -> None:
    article = Article(
        "statements-2", TEXT, "statements-2.txt", published=date(2022, 9, 29), date_status="metadata"
    )
    [(_, again)] = list(extract_batch([article], base=DEFAULT_BASE, run=RUN))
    [(_, twice)] = list(extract_batch([article], base=DEFAULT_BASE, run=RUN))
    assert set(_statements(again)) == set(_statements(twice))
    # another article's statement of the same fact is its own node, in its own graph
    launch = _launch(graph)
    ours = set(_statements(graph, launch, PEN.launchingState))
    theirs = set(_statements(again, _launch(again), PEN.launchingState))
    assert ours and theirs and not ours & theirs
    assert all("/resource/fact/statements-1/" in str(st) for st in ours)


def test_the_article_graph_says_what_it_was_derived_from(graph: Graph) -> None:
    g = article_graph_iri("statements-1", DEFAULT_BASE)
    article = resource_iri("article", "statements-1")
    assert set(graph.objects(g, PROV.wasGeneratedBy)) == {run_iri(RUN, DEFAULT_BASE)}
    assert set(graph.objects(g, PROV.wasDerivedFrom)) == {article, URIRef(URL)}
    assert graph.value(article, PEN.retrieved) == Literal("2022-10-02", datatype=XSD.date)
    assert graph.value(article, PEN.published) == Literal("2022-09-29", datatype=XSD.date)
    assert graph.value(article, PEN.publisher) is not None


def test_a_url_that_is_no_iri_stays_a_literal() -> None:
    article = Article("statements-3", NAMES, "s3.txt", url="news.example.org/a b")
    [(_, g)] = list(extract_batch([article], base=DEFAULT_BASE, run=RUN))
    assert set(g.objects(article_graph_iri("statements-3", DEFAULT_BASE), PROV.wasDerivedFrom)) == {
        resource_iri("article", "statements-3")
    }


def test_the_graph_passes_the_shapes_and_the_owl_check(graph: Graph) -> None:
    checks = make_checks(str(ROOT / "ontology"), DEFAULT_BASE, RUN, reasoner=False)
    assert checks.article(graph) == []
    assert checks.consistent([graph])


def _store(graph: Graph) -> ox.Store:
    store = ox.Store()
    name = ox.NamedNode(str(graph.identifier))
    for s, p, o in graph:
        triple = (to_ox(s), to_ox(p), to_ox(o))
        store.add(ox.Quad(*triple, name))  # type: ignore[arg-type]
        store.add(ox.Quad(*triple, ox.DefaultGraph()))  # type: ignore[arg-type]
    return store


def test_the_provenance_query_gives_the_sentences_that_state_the_fact(graph: Graph) -> None:
    query = canned.load_queries(ROOT / "queries")["cq-provenance"]
    store = _store(graph)
    results = store.query(canned.prepare(query, {"subject": str(_launch(graph))}))
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    rows = [dict(zip(names, row, strict=True)) for row in results]
    assert {r["sentence"].value for r in rows} == {NAMES}  # type: ignore[union-attr]
    assert {r["basis"].value for r in rows} == {"statement"}  # type: ignore[union-attr]
    assert {r["object"].value for r in rows} == {str(NORTH_KOREA)}  # type: ignore[union-attr]


def test_statements_convert_to_rdf_12_reifiers_in_one_query(graph: Graph) -> None:
    # The RDF 1.1 statement node is the reifier of RDF 1.2: an engine that has triple terms
    # (Oxigraph 0.5 has) gets them from the published data with one CONSTRUCT.
    store = _store(graph)
    converted = list(
        store.query(
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
            "CONSTRUCT { ?st rdf:reifies <<( ?s ?p ?o )>> } "
            "WHERE { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }"
        )
    )
    assert len(converted) == len(_statements(graph))
    launch = ox.NamedNode(str(_launch(graph)))
    reified = ox.Triple(launch, ox.NamedNode(str(PEN.launchingState)), ox.NamedNode(str(NORTH_KOREA)))
    assert any(t.object == reified for t in converted)  # type: ignore[union-attr]

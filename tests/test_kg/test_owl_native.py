"""The native OWL check decides consistency as HermiT does, on our test sets and on a
planted case of each kind of clash (docs/decisions/0013)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, XSD, Graph, Literal, URIRef

from kg.build import pipeline
from kg.extract import batch as extraction
from kg.extract.annotate import annotate
from kg.namespaces import PEN
from kg.rdf.mapping import article_graph
from kg.read.inputs import collect_files, read_all
from kg.validate.checks import GraphChecks
from kg.validate.owl_native import OwlCheck, UnsupportedAxiomError

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/peninsula/"
R = URIRef(BASE + "resource/test/")


@pytest.fixture(scope="module")
def checks() -> GraphChecks:
    return pipeline.make_checks(str(ROOT / "ontology"), BASE, pipeline.current_run(), reasoner=True)


@pytest.fixture(scope="module")
def graphs() -> list[Graph]:
    files, _ = collect_files([ROOT / "seeds", ROOT / "tests/data/articles"])
    articles, _ = read_all(files, max_bytes=1 << 20)
    docs = annotate((a.text for a in articles), base=BASE)
    run = pipeline.current_run()
    return [
        article_graph(extraction.facts_of(a, d, base=BASE), base=BASE, run=run)
        for a, d in zip(articles, docs, strict=True)
    ]


def test_our_articles_are_consistent_for_both(checks: GraphChecks, graphs: list[Graph]) -> None:
    assert len(graphs) >= 24
    assert checks._owl.clashes(t for g in graphs for t in g) == []
    assert checks.hermit(graphs)


def _node(name: str) -> URIRef:
    return URIRef(f"{R}{name}")


PLANTED = {
    "disjoint types asserted": [(_node("x"), RDF.type, PEN.Person), (_node("x"), RDF.type, PEN.State)],
    "a type from a range": [
        (_node("launch"), RDF.type, PEN.MissileLaunch),
        (_node("launch"), PEN.launchingState, _node("kim")),
        (_node("kim"), RDF.type, PEN.Person),
    ],
    "a type from a super-property's domain": [
        (_node("v"), PEN.visitor, _node("p")),
        (_node("v"), RDF.type, PEN.Person),
    ],
    "two values of a functional data property": [
        (_node("c"), RDF.type, PEN.Claim),
        (_node("c"), PEN.polarity, Literal(True)),
        (_node("c"), PEN.polarity, Literal(False)),
    ],
    "a literal outside its range": [
        (_node("c"), RDF.type, PEN.Claim),
        (_node("c"), PEN.polarity, Literal("yes")),
    ],
    "individuals made one by owl:sameAs": [
        (_node("a"), RDF.type, PEN.Place),
        (_node("b"), RDF.type, PEN.Person),
        (_node("a"), OWL.sameAs, _node("b")),
    ],
    "an inverse property's range": [
        (_node("child"), PEN.childOf, _node("parent")),
        (_node("parent"), RDF.type, PEN.Organisation),
    ],
}


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_each_kind_of_clash_is_found_by_both(checks: GraphChecks, case: str) -> None:
    graph = Graph()
    for triple in PLANTED[case]:
        graph.add(triple)
    assert checks._owl.clashes(graph), case
    assert not checks.hermit([graph]), case


def test_a_consistent_graph_of_the_same_terms_passes() -> None:
    ontology = pipeline.ontology_graph(ROOT / "ontology")
    check = OwlCheck(ontology)
    ok = [
        (_node("c"), RDF.type, PEN.Claim),
        (_node("c"), PEN.polarity, Literal(True)),
        (_node("c"), PEN.polarity, Literal("true", datatype=XSD.boolean)),  # one value, two spellings
        (_node("child"), PEN.childOf, _node("parent")),
        (_node("parent"), RDF.type, PEN.Person),
    ]
    assert check.clashes(ok) == []


def test_an_axiom_outside_the_fragment_is_refused() -> None:
    ontology = Graph().parse(
        data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix ex: <http://example.org/> .
        ex:A owl:equivalentClass [ owl:unionOf ( ex:B ex:C ) ] .
        ex:p a owl:ObjectProperty , owl:ReflexiveProperty .
        """,
        format="turtle",
    )
    with pytest.raises(UnsupportedAxiomError, match="ReflexiveProperty"):
        OwlCheck(ontology)

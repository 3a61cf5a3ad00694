"""The closure-path expansion the remote engine applies before sending a query
(kg.engine.remote.paths): which patterns it replaces, and which it leaves to the store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.engine.remote.paths import expand_closures

SUB = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
PREFIXES = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "pen": "urn:pen:"}


def _closure(p: str, op: str, o: str) -> list[str]:
    assert p == SUB
    return ["urn:pen:Launch"] if op == "+" else ["urn:pen:Event", "urn:pen:Launch"]


@pytest.mark.parametrize(
    ("pattern", "values"),
    [
        ("?c rdfs:subClassOf* pen:Event .", "VALUES ?c { <urn:pen:Event> <urn:pen:Launch> } ."),
        ("?c rdfs:subClassOf+ pen:Event }", "VALUES ?c { <urn:pen:Launch> } }"),
        (f"?c <{SUB}>* <urn:pen:Event> .", "VALUES ?c { <urn:pen:Event> <urn:pen:Launch> } ."),
    ],
)
def test_a_closure_pattern_becomes_values(pattern: str, values: str) -> None:
    text = f"SELECT ?e WHERE {{ ?e a ?c . {pattern}"
    assert expand_closures(text, PREFIXES, None, _closure) == f"SELECT ?e WHERE {{ ?e a ?c . {values}"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { GRAPH ?g { ?c rdfs:subClassOf* pen:Event . } }",  # the graph's own triples
        "SELECT * WHERE { ?c a ?k ; rdfs:subClassOf* pen:Event . }",  # not a pattern by itself
        "SELECT * WHERE { ?c rdfs:subClassOf* ?d . }",  # no constant end
        "SELECT * WHERE { ?c (rdfs:subClassOf|rdfs:seeAlso)* pen:Event . }",  # not one IRI
        "SELECT (2 * 3 AS ?n) WHERE { }",
    ],
)
def test_other_paths_are_left_to_the_store(text: str) -> None:
    assert expand_closures(text, PREFIXES, None, _closure) == text


def test_a_closure_with_blank_nodes_is_left_to_the_store() -> None:
    text = "SELECT * WHERE { ?c rdfs:subClassOf* pen:Event . }"
    assert expand_closures(text, PREFIXES, None, lambda p, op, o: None) == text


def test_the_expansion_gives_the_paths_rows() -> None:
    """On Oxigraph, the query and its expansion (with the store's closure) agree."""
    store = ox.Store()
    for sub, sup in (("Launch", "Event"), ("Test", "Launch"), ("Other", "Thing")):
        store.add(ox.Quad(ox.NamedNode(f"urn:pen:{sub}"), ox.NamedNode(SUB), ox.NamedNode(f"urn:pen:{sup}")))
    for i, cls in enumerate(("Launch", "Test", "Other", "Event")):
        store.add(
            ox.Quad(ox.NamedNode(f"urn:x:{i}"), ox.NamedNode("urn:pen:type"), ox.NamedNode(f"urn:pen:{cls}"))
        )

    def closure(p: str, op: str, o: str) -> list[str]:
        return [str(r["x"].value) for r in store.query(f"SELECT ?x WHERE {{ ?x <{p}>{op} <{o}> }}")]

    for op in ("*", "+"):
        text = f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?e WHERE {{ ?e <urn:pen:type> ?c . OPTIONAL {{ ?c rdfs:subClassOf{op} <urn:pen:Event> . }} ?c rdfs:subClassOf{op} <urn:pen:Event> . }}"
        expanded = expand_closures(text, PREFIXES, None, closure)
        assert "VALUES" in expanded
        rows = [sorted(str(r["e"].value) for r in store.query(t)) for t in (text, expanded)]
        assert rows[0] == rows[1] and rows[0]

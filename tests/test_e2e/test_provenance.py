"""Every extracted fact of the published seed graph traces to its sentence by SPARQL.

The queries are the ones a researcher would write against the endpoint (see
docs/graph-conventions.md, "Tracing a fact to its sentence"); they run on the real
on-disk store that ``kg build`` published.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.engine.oxigraph.store import open_read_only
from kg.settings import Settings

PREFIX = (
    "PREFIX pen: <https://w3id.org/peninsula/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
FACT_CLASSES = ["pen:Event", "pen:PostHolding", "pen:Claim"]


@pytest.fixture(scope="module")
def store(built_store: Settings) -> ox.Store:
    return open_read_only(built_store.store)


def _select(store: ox.Store, query: str) -> list[tuple[ox.Term | None, ...]]:
    results = store.query(PREFIX + query)
    assert isinstance(results, ox.QuerySolutions)
    return [tuple(row) for row in results]


@pytest.mark.parametrize("cls", FACT_CLASSES)
def test_there_are_extracted_facts_of_each_kind(store: ox.Store, cls: str) -> None:
    # Events are typed by their most specific class, so reach the general one by subclass.
    rows = _select(
        store,
        f"SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{ ?f a/rdfs:subClassOf* {cls} ; pen:extractedBy ?run }}",
    )
    assert int(rows[0][0].value) > 0  # type: ignore[union-attr]


@pytest.mark.parametrize("cls", FACT_CLASSES)
def test_no_extracted_fact_lacks_a_sentence(store: ox.Store, cls: str) -> None:
    # Reference post holdings are domain knowledge, not extracted: they carry no run.
    orphans = _select(
        store,
        f"""SELECT ?f WHERE {{
              ?f a/rdfs:subClassOf* {cls} ; pen:extractedBy ?run .
              FILTER NOT EXISTS {{
                ?f pen:denotedBy ?m . ?m pen:inArticle ?a ; pen:sentence ?s .
                ?s pen:anchorOf ?sentence .
              }}
            }}""",
    )
    assert orphans == []


def test_the_trace_quotes_the_stored_text(store: ox.Store) -> None:
    rows = _select(
        store,
        """SELECT ?fact ?text ?sb ?se ?sentence ?mb ?me ?anchor WHERE {
             ?fact pen:extractedBy ?run ; pen:denotedBy ?m .
             ?m pen:inArticle ?a ; pen:beginIndex ?mb ; pen:endIndex ?me ; pen:anchorOf ?anchor ;
                pen:sentence ?s .
             ?s pen:beginIndex ?sb ; pen:endIndex ?se ; pen:anchorOf ?sentence .
             ?a pen:text ?text .
           }""",
    )
    assert len(rows) > 50
    for _fact, text, sb, se, sentence, mb, me, anchor in rows:
        body = text.value  # type: ignore[union-attr]
        s_begin, s_end = int(sb.value), int(se.value)  # type: ignore[union-attr]
        m_begin, m_end = int(mb.value), int(me.value)  # type: ignore[union-attr]
        assert body[s_begin:s_end] == sentence.value  # type: ignore[union-attr]
        assert body[m_begin:m_end] == anchor.value  # type: ignore[union-attr]
        assert s_begin <= m_begin <= m_end <= s_end


def test_what_an_article_says_of_an_entity_is_in_its_graph_beside_its_mention(store: ox.Store) -> None:
    # a facility's place and purpose, a weapon system's range and capability (decision 0009)
    rows = _select(
        store,
        """SELECT ?g ?e ?p (COUNT(DISTINCT ?m) AS ?n) WHERE {
             GRAPH ?g {
               ?article a pen:Article . ?e ?p ?v .
               VALUES ?p { pen:locatedIn pen:purpose pen:rangeKm pen:capability }
               OPTIONAL { ?e pen:denotedBy ?m . ?m pen:inArticle ?article }
             }
             # (classes and their hierarchy are in the default graph, not the article's)
             FILTER NOT EXISTS { ?e a/rdfs:subClassOf* pen:Event }
           } GROUP BY ?g ?e ?p""",
    )
    assert {r[2].value.rsplit("#", 1)[1] for r in rows} == {"locatedIn", "purpose", "rangeKm", "capability"}  # type: ignore[union-attr]
    assert all(int(r[3].value) > 0 for r in rows), [r for r in rows if int(r[3].value) == 0]  # type: ignore[union-attr]


def test_every_resource_has_one_label_whatever_the_articles_that_tell_it(store: ox.Store) -> None:
    # an event two articles share (the Trump-Kim summits of seeds 000 and 004) is one node
    # with one rdfs:label, not one label per article
    shared = _select(
        store,
        """SELECT ?e WHERE { ?e a/rdfs:subClassOf* pen:Event ; pen:reportedIn ?a , ?b . FILTER (?a != ?b) }""",
    )
    assert shared
    several = _select(
        store, "SELECT ?s WHERE { ?s rdfs:label ?l } GROUP BY ?s HAVING (COUNT(DISTINCT ?l) > 1)"
    )
    assert several == []

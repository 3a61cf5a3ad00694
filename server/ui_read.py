"""What the UI reads from the graph: its prefixes, a ``Reader`` of SELECT rows, the labels
of IRIs, resources with their properties (``Node``), and the article sentences that
mention them.

Plain functions over a ``Reader`` (SPARQL text in, rows of ``kg.rdf.terms.Term`` out,
through ``kg.engine.reader``: the app's query engine in the server) and ``Settings``; no
Flask here, so they are tested without an app. The store's default graph is the
materialised union of all graphs (docs/graph-conventions.md), so every query reads the
default graph. How a term is shown is ``server.ui_cells``; how a fact reads,
``server.ui_facts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.engine.binding import bind, values_column
from kg.engine.reader import Run, select
from kg.rdf.terms import Term, iri
from kg.settings import Settings

__all__ = ["PREFIXES", "Node", "Reader", "groundings", "labels_of", "load_nodes"]

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"


def PREFIXES(base: str) -> dict[str, str]:
    """The prefixes the UI's queries and the editor use, for a base IRI."""
    return {
        "pen": base + "ontology#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": XSD,
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "prov": "http://www.w3.org/ns/prov#",
        "schema": "https://schema.org/",
    }


@dataclass(frozen=True)
class Reader:
    """How the UI reads the graph. ``run`` sends complete SPARQL text to an engine (the
    app's, with its time limit and row cap: ``server.pages.app_reader``); ``settings``
    give the base IRI."""

    run: Run
    settings: Settings

    @property
    def base(self) -> str:
        return str(self.settings.base_iri)

    def select(self, query: str, **bindings: Term) -> list[dict[str, Term]]:
        """Rows as dicts of variable name → term (unbound variables absent). ``bindings``
        are bound as RDF terms through a trailing VALUES clause (``kg.engine.binding``),
        never by pasting user text."""
        header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES(self.base).items())
        return select(self.run, header + bind(query, bindings)).rows


def labels_of(reader: Reader, iris: Iterable[str]) -> dict[str, str]:
    """rdfs:label of each IRI that has one (an English or untagged label preferred)."""
    nodes = sorted(set(iris))
    if not nodes:
        return {}
    query = (
        f"SELECT ?s ?l WHERE {{ {values_column('s', map(iri, nodes))} ?s rdfs:label ?l . "
        "FILTER(lang(?l) = '' || langMatches(lang(?l), 'en')) }"
    )
    out: dict[str, str] = {}
    for row in reader.select(query):
        out.setdefault(row["s"].value, row["l"].value)
    return out


@dataclass
class Node:
    """One resource with its outgoing properties, keyed by the local name of pen: terms
    (and 'type', 'label' for rdf:type and rdfs:label)."""

    iri: str
    props: dict[str, list[Term]] = field(default_factory=dict)

    def first(self, key: str) -> Any:
        """The first value of ``key``, or None."""
        values = self.props.get(key)
        return values[0] if values else None

    def kinds(self) -> set[str]:
        """The local names of the resource's classes."""
        return {t.value.rsplit("#", 1)[-1] for t in self.props.get("type", []) if t.kind == "iri"}


def load_nodes(reader: Reader, iris: Iterable[str]) -> dict[str, Node]:
    """The outgoing properties of each IRI (pen: terms, rdf:type, rdfs:label)."""
    pen = reader.base + "ontology#"
    nodes = {i: Node(i) for i in iris}
    if not nodes:
        return nodes
    values = values_column("s", map(iri, sorted(nodes)))
    rows = reader.select(f"SELECT ?s ?p ?o WHERE {{ {values} ?s ?p ?o }}")
    for row in rows:
        p = row["p"].value
        if p.startswith(pen):
            key = p[len(pen) :]
        elif p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            key = "type"
        elif p == RDFS_LABEL:
            key = "label"
        else:
            continue
        nodes[row["s"].value].props.setdefault(key, []).append(row["o"])
    return nodes


_GROUNDING = """
SELECT ?r ?m ?mb ?me ?sb ?stext ?article WHERE {
  %s
  ?r pen:denotedBy ?m . ?m pen:beginIndex ?mb ; pen:endIndex ?me ; pen:inArticle ?article ;
     pen:sentence ?s . ?s pen:beginIndex ?sb ; pen:anchorOf ?stext .
} ORDER BY ?article ?mb
"""


def groundings(
    reader: Reader, iris: Iterable[str], *, limit: int | None = None
) -> dict[str, list[dict[str, Any]]]:
    """For each IRI, the mentions that denote it: article, sentence text and offsets (at
    most ``limit`` in all, in article order)."""
    wanted = sorted(set(iris))
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in wanted}
    if not wanted:
        return out
    query = _GROUNDING % values_column("r", map(iri, wanted))
    if limit is not None:  # the first found, not sorted: sorting thousands to show a hundred costs more
        query = query.replace("ORDER BY ?article ?mb", f"LIMIT {int(limit)}")
    for row in reader.select(query):
        out[row["r"].value].append(
            {
                "article": row["article"].value,
                "begin": int(row["mb"].value),
                "end": int(row["me"].value),
                "sentence_begin": int(row["sb"].value),
                "sentence": row["stext"].value,
            }
        )
    return out

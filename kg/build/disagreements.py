"""Reports that share an event IRI but disagree on when the event happened.

Event IRIs are built from what identifies an event (``kg.rdf.identity.event_key``), so reports of
one event in several articles meet on one IRI. The key is built from one article alone;
when it is not precise enough (two summits of the same leaders in one city, each told
with no more than its year; a launch told as 'this past weekend' by one article and 'on
Saturday' by another), two articles can give one IRI different dates. That is no longer
one event the graph can state (an event has one ``pen:earliest`` and one ``pen:latest``),
and merging it would be a guess: each dated report of it then keeps an IRI of its own,
``<event IRI>-<article slug>``, in its article's graph. Reports that give no date keep the
shared IRI; reports that agree are not touched.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.namespaces import PEN

__all__ = ["separate_disagreeing_reports"]


def _slug(graph_name: URIRef) -> str:
    return str(graph_name).rstrip("/").rsplit("/", 1)[-1]


def _renamed(graph: Graph, names: Mapping[Node, URIRef]) -> Graph:
    out = Graph(identifier=graph.identifier)
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    for s, p, o in graph:
        out.add((names.get(s, s), p, names.get(o, o)))
    return out


def separate_disagreeing_reports(graphs: Mapping[URIRef, Graph]) -> dict[URIRef, Graph]:
    """The article graphs (by graph IRI), with each event whose reports give different
    dates renamed, in each graph that dates it, to a per-article IRI."""
    when: dict[Node, dict[URIRef, tuple[Node | None, Node | None]]] = {}
    for name, graph in graphs.items():
        for event, earliest in graph.subject_objects(PEN.earliest):
            when.setdefault(event, {})[name] = (earliest, graph.value(event, PEN.latest))
    disagreeing = {event: by for event, by in when.items() if len(set(by.values())) > 1}
    if not disagreeing:
        return dict(graphs)
    out = dict(graphs)
    for name in {n for by in disagreeing.values() for n in by}:
        names = {event: URIRef(f"{event}-{_slug(name)}") for event, by in disagreeing.items() if name in by}
        out[name] = _renamed(graphs[name], names)
    return out

"""The next build's store, written as the articles pass their own checks, so that a build's
memory does not grow with the corpus (docs/decisions/0013).

:class:`BuildWriter` opens the new build folder's store when extraction starts. Each article
graph that passes its own check goes straight into it, as its named graph and into the
default graph (the set-union of the named graphs, docs/decisions/0001), in bulk batches.
What the checks after the merge need is kept beside it, small: how many article graphs
describe each node that another article could describe (a node minted with the article's
own id, such as its sentences and mentions, cannot be), and the dates each graph gives each
event. Those checks read the graphs they need back from the store, and a graph they
quarantine is taken out of it, the default graph kept the union of what remains.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.build.incremental import triples_of
from kg.engine.oxigraph.store import discard_build, prune_default, quads_of_graph
from kg.namespaces import PEN

__all__ = ["BuildWriter", "remove_graphs"]

FLUSH_QUADS = 200_000  # quads buffered before a bulk write
_EARLIEST, _LATEST = ox.NamedNode(str(PEN.earliest)), ox.NamedNode(str(PEN.latest))


def _default(quad: ox.Quad) -> ox.Quad:
    return ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())


def remove_graphs(store: ox.Store, names: Iterable[URIRef]) -> tuple[int, int]:
    """Take the named graphs ``names`` out of ``store``, and out of its default graph the
    triples no other named graph holds. Returns (named quads, default triples) removed."""
    named = union = 0
    gone: set[ox.Quad] = set()
    for name in names:
        old = ox.NamedNode(str(name))
        quads = list(store.quads_for_pattern(None, None, None, old))
        named += len(quads)
        gone.update(_default(q) for q in quads)
        if quads:
            store.remove_graph(old)
    union += prune_default(store, gone)
    return named, union


class BuildWriter:
    """A new build's store being written (see the module's docstring)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.store = ox.Store(str(target))
        self._buffer: list[ox.Quad] = []
        self.described: dict[str, int] = {}  # node IRI → article graphs that describe it
        self.dates: dict[str, dict[str, tuple[str | None, str | None]]] = {}  # event → graph → dates
        self.names: list[URIRef] = []

    def add(self, name: URIRef, ntriples: bytes, own_id: str) -> None:
        """Write one article graph (N-Triples); ``own_id`` is the id its own IRIs hold."""
        graph = ox.NamedNode(str(name))
        subjects: set[str] = set()
        dates: dict[str, list[str | None]] = {}
        for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
            self._buffer.append(ox.Quad(t.subject, t.predicate, t.object, graph))
            self._buffer.append(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()))
            if isinstance(t.subject, ox.NamedNode):
                subjects.add(t.subject.value)
                if t.predicate in (_EARLIEST, _LATEST):
                    slot = dates.setdefault(t.subject.value, [None, None])
                    slot[0 if t.predicate == _EARLIEST else 1] = str(t.object)
        for subject in subjects:
            if f"/{own_id}/" not in subject and not subject.endswith(f"/{own_id}"):
                self.described[subject] = self.described.get(subject, 0) + 1
        for event, (earliest, latest) in dates.items():
            self.dates.setdefault(event, {})[str(name)] = (earliest, latest)
        self.names.append(name)
        if len(self._buffer) >= FLUSH_QUADS:
            self.flush()

    def add_graphs(self, graphs: dict[URIRef, Graph]) -> None:
        """Write rdflib graphs (the reference, the ontology, the runs, the copies)."""
        for name, graph in graphs.items():
            for quad in quads_of_graph(graph, name):
                self._buffer += (quad, _default(quad))
        self.flush()

    def flush(self) -> None:
        """Write the buffered quads to the store."""
        if self._buffer:
            self.store.bulk_extend(self._buffer)
            self._buffer = []

    def shared(self) -> set[URIRef]:
        """The nodes more than one article graph describes."""
        return {URIRef(node) for node, n in self.described.items() if n > 1}

    def disagreeing(self) -> set[URIRef]:
        """The graphs that date an event other graphs date differently."""
        return {URIRef(g) for by in self.dates.values() if len(set(by.values())) > 1 for g in by}

    def separate(self) -> int:
        """Keep apart the reports of each event that graphs date differently
        (:mod:`kg.build.disagreements`' rule: in each graph that dates it, the event becomes
        ``<event>-<article id>``), rewriting the quads in the store one graph at a time.
        Returns the number of graphs rewritten."""
        self.flush()
        renames: dict[str, dict[str, str]] = {}  # graph → event → its per-article IRI
        for event, by in self.dates.items():
            if len(set(by.values())) > 1:
                for graph in by:
                    renames.setdefault(graph, {})[event] = f"{event}-{graph.rstrip('/').rsplit('/', 1)[-1]}"
        for graph, names in renames.items():
            self._rename(graph, names)
            for event, new in names.items():
                self.dates.setdefault(new, {})[graph] = self.dates[event].pop(graph)
        return len(renames)

    def _rename(self, graph: str, names: dict[str, str]) -> None:
        g = ox.NamedNode(graph)
        old: set[ox.Quad] = set()
        for event in names:
            node = ox.NamedNode(event)
            old.update(self.store.quads_for_pattern(node, None, None, g))
            old.update(self.store.quads_for_pattern(None, None, node, g))

        def renamed(term: Any) -> Any:
            return (
                ox.NamedNode(names[term.value])
                if isinstance(term, ox.NamedNode) and term.value in names
                else term
            )

        for quad in old:
            self.store.remove(quad)
        for quad in old:
            new = ox.Quad(renamed(quad.subject), quad.predicate, renamed(quad.object), g)
            self.store.add(new)
            self.store.add(_default(new))
        prune_default(self.store, map(_default, old))

    def triples(self, name: URIRef) -> list[tuple[Node, Node, Node]]:
        """The triples of one graph, without building an rdflib graph of them."""
        self.flush()
        return triples_of(self.store, name)

    def remove(self, names: Iterable[URIRef]) -> None:
        """Take graphs out (quarantined after the merge, or to be replaced)."""
        self.flush()
        names = set(names)
        remove_graphs(self.store, names)
        for name in names:
            for event in [e for e, by in self.dates.items() if str(name) in by]:
                del self.dates[event][str(name)]
        self.names = [n for n in self.names if n not in names]

    def replace(self, graphs: dict[URIRef, Graph]) -> None:
        """Put rewritten graphs in the place of the graphs of the same names."""
        self.remove(graphs)
        self.names += list(graphs)
        self.add_graphs(graphs)

    def abandon(self) -> None:
        """Close the store and remove the folder (a build that did not publish)."""
        if hasattr(self, "store"):
            del self.store
            gc.collect()
        discard_build(self.target)

    def close(self) -> tuple[int, int]:
        """Flush and close the store; returns (named quads, default-graph triples)."""
        self.flush()
        try:
            self.store.flush()
            rows = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            union = int(next(iter(rows))["n"].value)  # type: ignore[arg-type]
            named = len(self.store) - union
        finally:
            del self.store
            gc.collect()  # the Rust store closes its database when the object is freed
        return named, union

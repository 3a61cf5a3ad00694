"""Per-statement provenance: the sentences and mentions that state each asserted fact.

Each role of an event, each post holding's holder and post and each claim's source and
subject is told by particular sentences of an article, not by every sentence that
mentions the resource. :class:`Ledger` collects these facts while an article graph is
built and writes one node per fact in RDF 1.1 standard reification (decision 0018):

    <statement> a rdf:Statement ; rdf:subject S ; rdf:predicate P ; rdf:object O ;
        pen:denotedBy <mention> … ; prov:wasDerivedFrom <sentence> … ;
        pen:extractedBy <run> ; pen:confidence C .

The triple itself stays asserted in the graph (reification does not assert it); the node
is the RDF 1.1 form of an RDF 1.2 reifier (``<statement> rdf:reifies <<( S P O )>>``).



>>> from rdflib import Literal, URIRef
>>> from kg.facts import TextSpan
>>> from kg.namespaces import PEN
>>> ledger = Ledger("a1", "https://w3id.org/peninsula/")
>>> fired, nk = TextSpan(12, 17, 0, 48), TextSpan(0, 11, 0, 48)
>>> s, o = URIRef("https://w3id.org/peninsula/resource/launch/x"), URIRef("https://w3id.org/peninsula/resource/state/nk")
>>> told = ledger.note(s, PEN.launchingState, o, [fired, nk], Literal(0.7))
>>> told = ledger.note(s, PEN.launchingState, o, [fired], Literal(0.9))  # told again: one node
>>> len(ledger), [sp.begin for sp in told]
(1, [12, 0])
>>> str(statement_iri("a1", s, PEN.launchingState, o, ledger.base)).rsplit("/", 2)[1:]
['a1', 'launchingstate-1be8889ff9']
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.facts import TextSpan
from kg.namespaces import PEN, PROV, local_name, resource_iri

__all__ = ["Ledger", "statement_iri"]


def statement_iri(slug: str, s: Node, p: URIRef, o: Node, base: str) -> URIRef:
    """The IRI of the statement of ``s p o`` in the article ``slug``."""
    digest = hashlib.sha1(f"{s.n3()} {p.n3()} {o.n3()}".encode()).hexdigest()[:10]
    return resource_iri("fact", slug, f"{local_name(p)}-{digest}", base=base)


@dataclass
class _Told:
    triple: tuple[Node, URIRef, Node]
    spans: list[TextSpan] = field(default_factory=list)
    confidence: Literal | None = None


class Ledger:
    """The statements of one article graph, collected as its facts are mapped."""

    def __init__(self, slug: str, base: str) -> None:
        self.slug = slug
        self.base = base
        self._told: dict[URIRef, _Told] = {}

    def note(
        self, s: Node, p: URIRef, o: Node, spans: list[TextSpan], confidence: Literal | None
    ) -> list[TextSpan]:
        """Record that ``spans`` state ``s p o`` (again, when it is already recorded: the
        spans are added and the first confidence kept); returns the statement's spans."""
        node = statement_iri(self.slug, s, p, o, self.base)
        told = self._told.setdefault(node, _Told((s, p, o), confidence=confidence))
        told.spans.extend(sp for sp in spans if sp not in told.spans)
        return told.spans

    def __len__(self) -> int:
        return len(self._told)

    def write(
        self,
        g: Graph,
        *,
        mention: Callable[[TextSpan], URIRef],
        sentence: Callable[[TextSpan], URIRef],
        run: URIRef,
    ) -> None:
        """Add the statement nodes to ``g``; ``mention`` and ``sentence`` give the nodes of
        a span and of the sentence that holds it."""
        for node, told in self._told.items():
            s, p, o = told.triple
            g.add((node, RDF.type, RDF.Statement))
            g.add((node, RDF.subject, s))
            g.add((node, RDF.predicate, p))
            g.add((node, RDF.object, o))
            for span in told.spans:
                g.add((node, PEN.denotedBy, mention(span)))
                g.add((node, PROV.wasDerivedFrom, sentence(span)))
            g.add((node, PEN.extractedBy, run))
            if told.confidence is not None:
                g.add((node, PEN.confidence, told.confidence))

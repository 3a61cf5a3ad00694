"""The one conversion of RDF terms between rdflib and pyoxigraph.

The build, the checks and the query engine hold terms in pyoxigraph; extraction, mapping and
SHACL in rdflib. Every crossing goes through ``from_ox`` and ``to_ox``.

>>> to_ox(URIRef("http://ex/a"))
<NamedNode value=http://ex/a>
>>> from_ox(to_ox(Literal("Kim", lang="en")))
rdflib.term.Literal('Kim', lang='en')
>>> from_ox(to_ox(Literal("x")), plain_strings=True) == Literal("x")
True
"""

from __future__ import annotations

import functools

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["OxTerm", "from_ox", "to_ox"]

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_STRING = str(XSD.string)


@functools.lru_cache(maxsize=1 << 16)
def _iri(value: str) -> URIRef:
    return URIRef(value)


def from_ox(term: OxTerm | ox.Triple, *, plain_strings: bool = False) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term (IRIs, which repeat, made once). With
    ``plain_strings``, an ``xsd:string`` literal has no datatype, as rdflib parses and writes
    it (the same literal in RDF 1.1; rdflib compares the two as different). Raises
    ``TypeError`` for an RDF-star triple term."""
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if plain_strings and datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=_iri(datatype))
    raise TypeError(f"RDF-star triple terms are not supported: {term}")


def to_ox(term: Node | str | int | float | bool) -> OxTerm:
    """An rdflib term as a pyoxigraph term; a plain Python value becomes the typed literal
    rdflib makes of it (``3`` an ``xsd:integer``, ``"x"`` a plain literal). Raises
    ``TypeError`` for anything else (a variable, a graph)."""
    if isinstance(term, bool | int | float | str) and not isinstance(term, Node):
        term = Literal(term)
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store the term {term!r}")

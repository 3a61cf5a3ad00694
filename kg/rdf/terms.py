"""RDF terms as the web process reads them, and the one conversion to and from pyoxigraph.

Three kinds of term meet here. ``Term`` is the plain term the read API of ``kg.engine``
returns and the server renders: the term of SPARQL 1.1 JSON results (kind, value,
datatype, language), the same whatever engine answered, with the lexical form kept as the
engine wrote it. rdflib terms are what extraction, mapping and SHACL hold; pyoxigraph terms
what the build, the checks and the Oxigraph engine hold. Every crossing goes through
``from_ox`` and ``to_ox``; ``sparql`` writes a term as SPARQL (and N-Triples) text through
pyoxigraph, which escapes it, and ``check_iri`` says whether a string is an IRI the engine
accepts.

>>> to_ox(URIRef("http://ex/a"))
<NamedNode value=http://ex/a>
>>> from_ox(to_ox(Literal("Kim", lang="en")))
rdflib.term.Literal('Kim', lang='en')
>>> from_ox(to_ox(Literal("x")), plain_strings=True) == Literal("x")
True
>>> sparql(literal('say "hi"')), sparql(iri("http://ex/a"))
('"say \\\\"hi\\\\""', '<http://ex/a>')
>>> short_name("http://www.w3.org/2001/XMLSchema#date", {"xsd": XSD_NS})
'xsd:date'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Literal as TypingLiteral
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

__all__ = [
    "RDF_LANG_STRING",
    "XSD_NS",
    "XSD_STRING",
    "OxTerm",
    "Term",
    "bnode",
    "check_iri",
    "from_json",
    "from_ox",
    "iri",
    "literal",
    "short_name",
    "sparql",
    "term_of_ox",
    "to_ox",
]

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = str(XSD.string)
XSD_STRING = _XSD_STRING
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Term(NamedTuple):
    """One RDF term: ``kind`` 'iri', 'bnode' or 'literal'; ``value`` the IRI, the blank
    node's label or the literal's lexical form; a literal's ``datatype`` IRI (``xsd:string``
    for a plain literal, ``rdf:langString`` with a ``language``), as RDF 1.1 has it."""

    kind: TypingLiteral["iri", "bnode", "literal"]
    value: str
    datatype: str = ""
    language: str = ""


def iri(value: str) -> Term:
    """An IRI term (checked only when written: see :func:`sparql`, :func:`check_iri`)."""
    return Term("iri", value)


def bnode(label: str) -> Term:
    """A blank node term."""
    return Term("bnode", label)


def literal(value: str, datatype: str = "", language: str = "") -> Term:
    """A literal: plain (``xsd:string``), typed, or with a language tag."""
    if language:
        return Term("literal", value, RDF_LANG_STRING, language)
    return Term("literal", value, datatype or _XSD_STRING)


def check_iri(value: str) -> str:
    """``value`` when it is an absolute IRI the engine accepts; ``ValueError`` (saying
    what is wrong) when not."""
    ox.NamedNode(value)
    return value


def from_json(binding: Mapping[str, str]) -> Term:
    """A term of SPARQL 1.1 JSON results (``{"type": "uri", "value": ...}``)."""
    kind = binding["type"]
    if kind == "uri":
        return Term("iri", binding["value"])
    if kind == "bnode":
        return Term("bnode", binding["value"])
    if kind in ("literal", "typed-literal"):
        return literal(binding["value"], binding.get("datatype", ""), binding.get("xml:lang", ""))
    raise TypeError(f"RDF-star triple terms are not supported: {binding}")


def term_of_ox(term: OxTerm | ox.Triple) -> Term:
    """A pyoxigraph term as a ``Term``. Raises ``TypeError`` for an RDF-star triple term."""
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.datatype.value, term.language or "")
    raise TypeError(f"RDF-star triple terms are not supported: {term}")


def sparql(term: Term) -> str:
    """The term as SPARQL text (its N-Triples form), written by pyoxigraph: an IRI is
    checked (``ValueError`` for anything that is not one) and a literal escaped, so the
    text is one term token whatever the value holds."""
    return str(to_ox(term))


_LOCAL_NAME = re.compile(r"[\w.\-/]*")


def short_name(iri: str, prefixes: Mapping[str, str]) -> str | None:
    """``pen:MissileLaunch`` for an IRI, by the longest namespace of ``prefixes`` it is in
    with a non-empty local name of word characters, dots, dashes and slashes; None when
    no namespace fits."""
    best = ""
    for prefix, ns in prefixes.items():
        if ns and iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            local = iri[len(ns) :]
            if local and _LOCAL_NAME.fullmatch(local):
                best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else None


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


def to_ox(term: Term | Node | str | int | float | bool) -> OxTerm:
    """A ``Term`` or an rdflib term as a pyoxigraph term; a plain Python value becomes the
    typed literal rdflib makes of it (``3`` an ``xsd:integer``, ``"x"`` a plain literal).
    Raises ``ValueError`` for an IRI that is none, ``TypeError`` for anything else (a
    variable, a graph)."""
    if isinstance(term, Term):
        if term.kind == "iri":
            return ox.NamedNode(term.value)
        if term.kind == "bnode":
            return ox.BlankNode(term.value)
        if term.language:
            return ox.Literal(term.value, language=term.language)
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or _XSD_STRING))
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

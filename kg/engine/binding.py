"""The one way values are bound in query text: RDF terms in a ``VALUES`` block.

A value reaches a query only as a ``Term`` written by ``kg.rdf.terms.sparql`` (an IRI
checked, a literal escaped: one term token whatever the user typed), never as pasted text.
Canned-query parameters (``kg.canned.params``) and the UI's readers (``server``) both bind
this way; a VALUES block is standard SPARQL 1.1, so the text runs on any engine.

>>> from kg.rdf.terms import iri, literal
>>> values_row({"a": iri("http://ex/a"), "b": None})
'VALUES (?a ?b) { (<http://ex/a> UNDEF) }'
>>> values_column("s", [iri("http://ex/a"), literal("x")])
'VALUES ?s { <http://ex/a> "x" }'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kg.rdf.terms import Term, sparql

__all__ = ["bind", "values_column", "values_row"]


def values_row(bound: Mapping[str, Term | None]) -> str:
    """``VALUES (?a ?b) { (term term) }``: one row binding each variable (None: ``UNDEF``)."""
    names = " ".join(f"?{name}" for name in bound)
    terms = " ".join("UNDEF" if t is None else sparql(t) for t in bound.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def values_column(variable: str, terms: Iterable[Term]) -> str:
    """``VALUES ?x { term term }``: one row per term."""
    return f"VALUES ?{variable} {{ {' '.join(sparql(t) for t in terms)} }}"


def bind(query: str, bound: Mapping[str, Term]) -> str:
    """``query`` with ``bound`` as a trailing VALUES clause (after its solution modifiers,
    where SPARQL 1.1 puts a query's own VALUES), or unchanged when nothing is bound."""
    return f"{query}\n{values_row(bound)}" if bound else query

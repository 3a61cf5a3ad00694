"""How the UI shows RDF terms: as template cells (an IRI linked to its page and named by
its label or a prefixed name, a literal with its datatype), and the joined cells of
canned queries (a string of IRIs separated by "; ") as lists of links.

Cells are built from ``kg.rdf.terms.Term``s, the terms ``server.ui_read`` returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from kg.rdf.terms import XSD_STRING, Term, check_iri, iri, short_name
from server.ui_read import PREFIXES

__all__ = ["cell", "iris_in", "is_web_link", "joined_iris", "local_href", "short", "table_cell"]


def local_href(iri: str, base: str) -> str:
    """Where a browser should go for an IRI: this server for our own resources and ontology
    terms, the IRI itself for other ``http(s):`` IRIs, and nowhere ("") for any other
    scheme: an IRI in the data such as ``javascript:…`` is never rendered as a link."""
    if iri.startswith((base + "resource/", base + "graph/", base + "ontology/")):
        return "/" + iri[len(base) :]
    if iri.startswith(base + "ontology#"):
        return "/ontology#" + iri[len(base + "ontology#") :]
    return iri if is_web_link(iri) else ""


def is_web_link(iri: str) -> bool:
    """True for an ``http:`` or ``https:`` IRI, the only ones rendered as links."""
    return iri[:8].lower().startswith(("http://", "https://"))


_MORE_PREFIXES = {"dcterms": "http://purl.org/dc/terms/", "wd": "http://www.wikidata.org/entity/"}


def short(iri: str, base: str) -> str:
    """A prefixed name for display (``kg.rdf.terms.short_name``) when a known namespace
    fits, else the IRI."""
    return short_name(iri, {**PREFIXES(base), **_MORE_PREFIXES}) or iri


def cell(term: Term | None, labels: Mapping[str, str], base: str) -> dict[str, Any]:
    """A term as a template-friendly dict: ``kind`` is 'iri', 'literal', 'bnode' or
    'empty'; IRIs carry ``href`` and a readable ``label``; literals ``text``, ``datatype``
    (short form) and ``lang``."""
    if term is None:
        return {"kind": "empty"}
    if term.kind == "iri":
        return {
            "kind": "iri",
            "iri": term.value,
            "href": local_href(term.value, base),
            "label": labels.get(term.value) or short(term.value, base),
            "external": not term.value.startswith(base),
        }
    if term.kind == "bnode":
        return {"kind": "bnode", "text": "_:" + term.value}
    return {
        "kind": "literal",
        "text": term.value,
        "datatype": short(term.datatype, base),
        "lang": term.language,
    }


def iris_in(rows: Iterable[Iterable[Term | None]]) -> set[str]:
    """Every IRI of a table's cells, those of joined cells (:func:`joined_iris`) too."""
    found: set[str] = set()
    for row in rows:
        for t in row:
            if t is not None and t.kind == "iri":
                found.add(t.value)
            else:
                found.update(joined_iris(t) or ())
    return found


_JOINED_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def joined_iris(term: Term | None) -> list[str] | None:
    """The IRIs of a canned query's joined cell — a plain string of absolute IRIs separated
    by "; " (docs/queries.md, "One row per answer") — or None for any other term."""
    if term is None or term.kind != "literal" or term.datatype != XSD_STRING or not term.value:
        return None
    parts = term.value.split("; ")
    if not all(_JOINED_IRI.fullmatch(p) and "://" in p for p in parts):
        return None
    try:
        for p in parts:
            check_iri(p)
    except ValueError:  # not an IRI after all: the text is shown as it is
        return None
    return parts


def table_cell(term: Term | None, labels: Mapping[str, str], base: str) -> dict[str, Any]:
    """A result-table cell: :func:`cell`, except that a joined cell of IRIs is ``kind``
    'list' with one IRI cell per ``parts``, each shown by its label and linked."""
    iris = joined_iris(term)
    if iris is None:
        return cell(term, labels, base)
    return {"kind": "list", "parts": [cell(iri(i), labels, base) for i in iris]}

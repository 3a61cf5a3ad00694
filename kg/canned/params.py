"""Canned-query parameters: typed values → RDF terms → a ``VALUES`` block in the query.

A parameter ``NAME`` declared in a canned query's header (see :mod:`kg.canned.catalogue`) is the
query variable ``?param_NAME``. Values are checked against the declared type
(:class:`ParameterError` names the parameter) and turned into RDF terms
(:func:`to_term`, ``kg.rdf.terms.Term``), then bound by a ``VALUES`` block
(:func:`values_block`, written by ``kg.engine.binding``, the one way values are bound)
put at the start of the query's WHERE clause (:func:`inject_values`)::

    WHERE { VALUES (?param_date ?param_days) { ("2021-03-23"^^xsd:date "7"^^xsd:nonNegativeInteger) } ...

Why VALUES and not pyoxigraph's ``substitutions``: in pyoxigraph 0.5.13, ``Store.query(...,
substitutions=...)`` refuses any variable that is not in the SELECT projection ("The SPARQL
query does not contains variable ?days in its SELECT projection"), so a parameter would
have to become a result column, and it does not apply to CONSTRUCT templates at all. A
VALUES block is standard SPARQL 1.1, so the same prepared text runs on the local store, in
the server's query workers and on any remote endpoint.

Why it is equivalent to binding: the WHERE group is the join of the one-row VALUES table
with the rest of the group, so every solution has ``?param_x`` equal to the term (or, for
an omitted parameter without default, ``UNDEF``: unbound, matching anything), and the
group's FILTERs, BINDs and OPTIONALs, which are evaluated over the joined group, see it.
The one difference from substitution is scope: sub-SELECTs and FILTERs inside nested
groups do not see it, so canned queries use parameters in triple patterns or in the
top-level group's FILTERs (docs/queries.md states this rule).

Why it is safe: the user's text never reaches the query text. It becomes an IRI term
checked by ``kg.rdf.terms.check_iri`` (which rejects anything that is not an absolute IRI,
including spaces, ``<``, ``>``, ``{``, ``}`` and quotes) or a literal (whose N-Triples form
escapes quotes, backslashes and line breaks), after the type check; only that serialised
term (``kg.rdf.terms.sparql``) is written between the VALUES parentheses, where it is a
single RDF term token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from kg.engine.binding import values_row
from kg.engine.tokens import tokenize
from kg.errors import QueryError
from kg.rdf.documents import parse
from kg.rdf.terms import Term, check_iri, iri, literal

__all__ = [
    "KNOWN_PREFIXES",
    "PARAM_TYPES",
    "XSD",
    "Param",
    "ParameterError",
    "inject_values",
    "parse_assignments",
    "to_term",
    "values_block",
]

XSD = "http://www.w3.org/2001/XMLSchema#"

KNOWN_PREFIXES: dict[str, str] = {
    "pen": "https://w3id.org/peninsula/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
}

# Declared type → what a value must look like. 'iri' is a NamedNode; 'term' any IRI or
# literal; the xsd types are literals of that datatype.
_LEXICAL: dict[str, re.Pattern[str]] = {
    "xsd:string": re.compile(r".*", re.S),
    "xsd:date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "xsd:dateTime": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"),
    "xsd:gYear": re.compile(r"\d{4}"),
    "xsd:gYearMonth": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),
    "xsd:integer": re.compile(r"[+-]?\d+"),
    "xsd:nonNegativeInteger": re.compile(r"\+?\d+"),
    "xsd:decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "xsd:boolean": re.compile(r"true|false|1|0"),
}
_TYPE_WORDS = {
    "xsd:string": "a string",
    "xsd:date": "a date (YYYY-MM-DD)",
    "xsd:dateTime": "a date and time (YYYY-MM-DDThh:mm:ss)",
    "xsd:gYear": "a year (YYYY)",
    "xsd:gYearMonth": "a month (YYYY-MM)",
    "xsd:integer": "an integer",
    "xsd:nonNegativeInteger": "a non-negative integer",
    "xsd:decimal": "a decimal number",
    "xsd:boolean": "true or false",
    "iri": "an absolute IRI or a prefixed name",
    "term": "an IRI, a prefixed name or an RDF literal",
}
PARAM_TYPES: tuple[str, ...] = tuple(_TYPE_WORDS)


class ParameterError(QueryError):
    """A parameter value is unknown or does not fit its declared type. ``param`` names it."""

    def __init__(self, param: str, reason: str) -> None:
        super().__init__(f"parameter '{param}': {reason}")
        self.param = param
        self.reason = reason


@dataclass(frozen=True)
class Param:
    """One typed parameter: bound to ``?param_<name>``; ``default`` None means unbound."""

    name: str
    type: str
    default: str | None = None
    description: str = ""

    @property
    def variable(self) -> str:
        return "param_" + self.name

    @property
    def datatype(self) -> str | None:
        """The datatype IRI of a literal parameter, None for 'iri' and 'term'."""
        return XSD + self.type.removeprefix("xsd:") if self.type.startswith("xsd:") else None


def _expand(value: str, prefixes: Mapping[str, str]) -> str | None:
    """The IRI a prefixed name stands for, when its prefix is known."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return None


def _iri(param: Param, value: str, prefixes: Mapping[str, str]) -> Term:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    text = _expand(text, prefixes) or text
    try:
        return iri(check_iri(text))
    except ValueError as exc:
        raise ParameterError(param.name, f"not {_TYPE_WORDS['iri']} ({exc})") from None


def _term(param: Param, value: str, prefixes: Mapping[str, str]) -> Term:
    text = value.strip()
    if text.startswith("<") or (_expand(text, prefixes) is not None and " " not in text):
        return _iri(param, text, prefixes)
    if text[:1] in {'"', "'"} or re.fullmatch(r"[+-]?[\d.]+([eE][+-]?\d+)?|true|false", text):
        # Parsed as the object of one Turtle triple: more than one triple (an attempt to
        # smuggle in statements) or a blank node is refused.
        header = "".join(f"@prefix {k}: <{v}> .\n" for k, v in prefixes.items())
        doc = f"{header}<urn:x:s> <urn:x:p> {text} ."
        try:
            triples = parse(doc.encode("utf-8"), "TURTLE")
        except SyntaxError as exc:
            raise ParameterError(param.name, f"not {_TYPE_WORDS['term']} ({exc})") from None
        if len(triples) != 1 or triples[0].object.kind != "literal":
            raise ParameterError(param.name, f"not {_TYPE_WORDS['term']}: give exactly one literal")
        return triples[0].object
    try:
        return iri(check_iri(text))  # an absolute IRI written bare
    except ValueError:
        return literal(value)


def to_term(param: Param, value: str, prefixes: Mapping[str, str] = KNOWN_PREFIXES) -> Term:
    """Check ``value`` against the parameter's type and make it an RDF term. Raises
    ParameterError naming the parameter."""
    if param.type == "iri":
        return _iri(param, value, prefixes)
    if param.type == "term":
        return _term(param, value, prefixes)
    text = value if param.type == "xsd:string" else value.strip()
    if not _LEXICAL[param.type].fullmatch(text):
        raise ParameterError(param.name, f"{value!r} is not {_TYPE_WORDS[param.type]}")
    try:
        if param.type == "xsd:date":
            date.fromisoformat(text)
        elif param.type == "xsd:dateTime":
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ParameterError(param.name, f"{value!r} is not {_TYPE_WORDS[param.type]}") from None
    if param.type == "xsd:boolean":
        text = "true" if text in {"true", "1"} else "false"
    datatype = param.datatype
    assert datatype is not None
    return literal(text, datatype)


def values_block(bound: Mapping[str, Term | None]) -> str:
    """``VALUES (?param_a ?param_b) { (term term) }``, from serialised terms only."""
    return values_row({f"param_{name}": t for name, t in bound.items()})


def inject_values(text: str, block: str) -> str:
    """Put ``block`` right after the opening brace of the query's WHERE clause (the
    top-level group after the WHERE keyword, or the first top-level group of a SELECT or
    ASK that omits the keyword). Comments, strings and IRIs are skipped by
    the query core's tokenizer."""
    top = [t for t in tokenize(text) if t.depth == 0]
    start = 0
    for i, tok in enumerate(top):
        if tok.is_word("WHERE"):
            if i > 0 and top[i - 1].is_word("CONSTRUCT"):
                raise QueryError("parameters cannot be bound in a CONSTRUCT WHERE { } short form")
            start = i
            break
    opening = next((t for t in top[start:] if t.kind == "punct" and t.text == "{"), None)
    if opening is None:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    return text[: opening.end] + " " + block + " " + text[opening.end :]


def parse_assignments(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``['date=2021-03-23', 'days=7']`` → a mapping; the value may contain '='."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ParameterError(name, "give it as NAME=VALUE")
        values[name.strip()] = value
    return values

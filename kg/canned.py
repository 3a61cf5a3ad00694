"""Canned queries: ``queries/<name>.rq`` files with a metadata header, and their parameters.

A canned query is a SPARQL file whose leading comment lines form a header::

    # title: Events before a date
    # description: What happened in the days before a given date? ...
    # param: date xsd:date = 2021-03-23 -- the last day of the window
    # param: days xsd:nonNegativeInteger = 7
    # param: subject iri -- no default: left unbound (matches anything) unless given
    # example: kg query cq11-events-before --param date=2021-03-23 --param days=7

A parameter ``NAME`` is the query variable ``?param_NAME`` (so a parameter may share its
name with a result variable, as ``date`` does in cq11). Values are checked against the
declared type (``ParameterError`` names the parameter) and turned into RDF terms by
pyoxigraph, then bound by a ``VALUES`` block put at the start of the query's WHERE
clause (``prepare``)::

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

Why it is safe: the user's text never reaches the query text. It is parsed into a
pyoxigraph ``NamedNode`` (which rejects anything that is not an absolute IRI, including
spaces, ``<``, ``>``, ``{``, ``}`` and quotes) or ``Literal`` (whose N-Triples form escapes
quotes, backslashes and line breaks), after the type check; only that serialised term is
written between the VALUES parentheses, where it is a single RDF term token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError, QueryError

__all__ = [
    "KNOWN_PREFIXES",
    "PARAM_TYPES",
    "CannedQuery",
    "CannedQueryError",
    "Output",
    "Param",
    "ParameterError",
    "bind",
    "find_query",
    "format_table",
    "inject_values",
    "load_queries",
    "load_query",
    "parse_assignments",
    "parse_query",
    "prepare",
    "run_local",
    "run_remote",
    "shorten",
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

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PARAM_RE = re.compile(
    r"(?P<name>\S+)\s+(?P<type>\S+)(?:\s*=\s*(?P<default>.*?))?(?:\s+--\s+(?P<help>.*))?\s*$"
)
_HEADER_RE = re.compile(r"#\s*(?P<key>[A-Za-z_]+)\s*:\s?(?P<value>.*)$")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.I)


class CannedQueryError(KGError):
    """A canned query is missing or its header is malformed."""


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


@dataclass(frozen=True)
class CannedQuery:
    """A parsed ``.rq`` file: its header fields and the full query text."""

    name: str
    title: str
    text: str
    description: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()
    path: Path | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)

    @property
    def example(self) -> str:
        return self.examples[0] if self.examples else ""

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(name, f"unknown parameter; {self.name} takes {_names(self.params)}")


def _names(params: tuple[Param, ...]) -> str:
    return ", ".join(repr(p.name) for p in params) if params else "no parameters"


def parse_query(text: str, name: str, path: Path | None = None) -> CannedQuery:
    """Parse the header of a canned query. Header lines are the leading ``# key: value``
    comment lines; a line without a key continues the previous value. Known keys: title,
    description, param (repeatable), example (repeatable). Raises CannedQueryError."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    examples: list[str] = []
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_RE.fullmatch(stripped)
        if match is None or match.group("key").lower() not in {"title", "description", "param", "example"}:
            continuation = stripped.lstrip("#").strip()
            if last in ("title", "description") and continuation:
                fields[last] += " " + continuation
            continue
        key, value = match.group("key").lower(), match.group("value").strip()
        last = key
        if key == "param":
            params.append(_parse_param(value, name))
        elif key == "example":
            examples.append(value)
        else:
            fields[key] = value
    seen: set[str] = set()
    for p in params:
        if p.name in seen:
            raise CannedQueryError(f"{name}: parameter {p.name!r} is declared twice")
        seen.add(p.name)
    prefixes = {(m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(text)}
    return CannedQuery(
        name=name,
        title=fields.get("title") or name,
        description=fields.get("description", ""),
        params=tuple(params),
        examples=tuple(examples),
        text=text,
        path=path,
        prefixes={**KNOWN_PREFIXES, **prefixes},
    )


def _parse_param(value: str, query: str) -> Param:
    match = _PARAM_RE.match(value)
    if match is None:
        raise CannedQueryError(
            f"{query}: malformed param line {value!r}; expected 'NAME TYPE [= DEFAULT] [-- help]'"
        )
    name, type_ = match.group("name"), match.group("type")
    if not _NAME_RE.fullmatch(name):
        raise CannedQueryError(f"{query}: parameter name {name!r} must be letters, digits and '_'")
    if type_ not in _TYPE_WORDS:
        raise CannedQueryError(
            f"{query}: parameter {name!r} has unknown type {type_!r}; use one of {', '.join(PARAM_TYPES)}"
        )
    default = match.group("default")
    param = Param(name, type_, default if default else None, (match.group("help") or "").strip())
    if param.default is not None:
        try:
            to_term(param, param.default)
        except ParameterError as exc:
            raise CannedQueryError(f"{query}: default of {exc}") from None
    return param


def load_query(path: Path) -> CannedQuery:
    """Read one ``.rq`` file; its name is the file's stem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CannedQueryError(f"cannot read query {path}: {exc}") from None
    return parse_query(text, path.stem, path)


def load_queries(queries_dir: Path) -> dict[str, CannedQuery]:
    """All canned queries of a folder, by name, in name order."""
    folder = Path(queries_dir)
    if not folder.is_dir():
        raise CannedQueryError(f"no queries folder at {folder}")
    return {p.stem: load_query(p) for p in sorted(folder.glob("*.rq"))}


def find_query(ref: str, queries_dir: Path) -> CannedQuery:
    """A canned query by name, or a ``.rq`` file by path."""
    candidate = Path(ref)
    if ref.endswith(".rq") or candidate.is_file():
        if not candidate.is_file():
            raise CannedQueryError(f"no query file {ref}")
        return load_query(candidate)
    path = Path(queries_dir) / f"{ref}.rq"
    if not _NAME_RE.fullmatch(ref.replace("-", "_")) or not path.is_file():
        known = ", ".join(load_queries(queries_dir)) if Path(queries_dir).is_dir() else ""
        raise CannedQueryError(f"no canned query named {ref!r}" + (f"; known: {known}" if known else ""))
    return load_query(path)


# --------------------------------------------------------------------- values → terms

Term = ox.NamedNode | ox.Literal


def _expand(value: str, prefixes: Mapping[str, str]) -> str | None:
    """The IRI a prefixed name stands for, when its prefix is known."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return None


def _iri(param: Param, value: str, prefixes: Mapping[str, str]) -> ox.NamedNode:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    text = _expand(text, prefixes) or text
    try:
        return ox.NamedNode(text)
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
            triples = list(ox.parse(doc, format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise ParameterError(param.name, f"not {_TYPE_WORDS['term']} ({exc})") from None
        if len(triples) != 1 or not isinstance(triples[0].object, ox.Literal):
            raise ParameterError(param.name, f"not {_TYPE_WORDS['term']}: give exactly one literal")
        return triples[0].object
    try:
        return ox.NamedNode(text)  # an absolute IRI written bare
    except ValueError:
        return ox.Literal(value)


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
    return ox.Literal(text, datatype=ox.NamedNode(datatype))


def bind(query: CannedQuery, values: Mapping[str, str]) -> dict[str, Term | None]:
    """The term of every declared parameter: the given value, else the default, else
    None (unbound). Unknown names and ill-typed values raise ParameterError."""
    for name in values:
        query.param(name)  # raises for an unknown parameter
    bound: dict[str, Term | None] = {}
    for p in query.params:
        raw = values.get(p.name)
        if raw is None or (raw == "" and p.type != "xsd:string"):
            raw = p.default
        bound[p.name] = None if raw is None else to_term(p, raw, query.prefixes)
    return bound


def values_block(bound: Mapping[str, Term | None]) -> str:
    """``VALUES (?param_a ?param_b) { (term term) }``, from serialised terms only."""
    names = " ".join(f"?param_{name}" for name in bound)
    terms = " ".join("UNDEF" if t is None else str(t) for t in bound.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def inject_values(text: str, block: str) -> str:
    """Put ``block`` right after the opening brace of the query's WHERE clause (the
    top-level group after the WHERE keyword, or the first top-level group of a SELECT or
    ASK that omits the keyword). Comments, strings and IRIs are skipped by
    the query core's tokenizer."""
    from kg.query import tokenize

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


def prepare(query: CannedQuery, values: Mapping[str, str]) -> str:
    """The query text with its parameters bound (see the module's docstring)."""
    bound = bind(query, values)
    if not bound:
        return query.text
    return inject_values(query.text, values_block(bound))


def parse_assignments(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``['date=2021-03-23', 'days=7']`` → a mapping; the value may contain '='."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ParameterError(name, "give it as NAME=VALUE")
        values[name.strip()] = value
    return values


# --------------------------------------------------------------------- running and output


@dataclass(frozen=True)
class Output:
    """A query's result as text for a terminal or file."""

    text: str
    truncated: bool = False
    max_rows: int | None = None


# --format → (media type, engine format) per result kind.
_FORMATS: dict[str, dict[str, tuple[str, str]]] = {
    "json": {
        "solutions": ("application/sparql-results+json", "JSON"),
        "boolean": ("application/sparql-results+json", "JSON"),
        "graph": ("application/ld+json", "JSON_LD"),
    },
    "table": {
        "solutions": ("application/sparql-results+json", "JSON"),
        "boolean": ("application/sparql-results+json", "JSON"),
        "graph": ("text/turtle", "TURTLE"),
    },
    "csv": {"solutions": ("text/csv", "CSV"), "boolean": ("text/csv", "CSV")},
    "tsv": {
        "solutions": ("text/tab-separated-values", "TSV"),
        "boolean": ("text/tab-separated-values", "TSV"),
    },
    "ttl": {"graph": ("text/turtle", "TURTLE")},
}


def _kind(text: str) -> str:
    from kg.query import analyse

    return analyse(text, max_depth=10_000).kind or "solutions"


def _check_format(fmt: str, kind: str) -> tuple[str, str]:
    if fmt not in _FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(_FORMATS)}")
    if kind not in _FORMATS[fmt]:
        if kind == "graph":
            raise QueryError(f"a CONSTRUCT or DESCRIBE result cannot be written as {fmt}; use ttl or json")
        raise QueryError(
            f"a {'SELECT' if kind == 'solutions' else 'ASK'} result cannot be written as {fmt}; use table, json, csv or tsv"
        )
    return _FORMATS[fmt][kind]


def run_local(
    store: ox.Store,
    text: str,
    fmt: str,
    *,
    prefixes: Mapping[str, str] = KNOWN_PREFIXES,
    max_rows: int = 100_000,
    timeout_s: float = 30.0,
) -> Output:
    """Run prepared query text on a local store through the query core (its checks and
    row cap) and write it as ``fmt``: table, json, csv, tsv or ttl."""
    from kg.query import OutputFormat, run_query
    from kg.workers import LocalEngine

    kind = _kind(text)
    media_type, engine_format = _check_format(fmt, kind)
    result = run_query(
        LocalEngine(store),
        text,
        output=OutputFormat(media_type, engine_format),
        max_rows=max_rows,
        timeout_s=timeout_s,
    )
    body = result.body.decode("utf-8")
    if fmt == "table" and kind != "graph":
        body = format_table(_json_loads(body), prefixes)
    return Output(body, result.truncated, result.max_rows)


def run_remote(endpoint: str, text: str, fmt: str, *, prefixes: Mapping[str, str] = KNOWN_PREFIXES) -> Output:
    """Run prepared query text on a remote SPARQL endpoint (SPARQL 1.1 Protocol, POST)."""
    from urllib.error import URLError

    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    kind = _kind(text)
    media_type, _ = _check_format(fmt, kind)
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(text)
    client.addCustomHttpHeader("Accept", media_type)
    try:
        response = client.query().response
        body = response.read().decode("utf-8")
    except (SPARQLWrapperException, URLError, OSError) as exc:
        raise QueryError(f"{endpoint}: {exc}") from None
    if fmt == "table" and kind != "graph":
        body = format_table(_json_loads(body), prefixes)
    return Output(body)


def _json_loads(body: str) -> dict[str, object]:
    import json

    data = json.loads(body)
    if not isinstance(data, dict):
        raise QueryError("the endpoint did not return SPARQL JSON results")
    return data


def shorten(iri: str, prefixes: Mapping[str, str]) -> str:
    """``pen:MissileLaunch`` for the IRI, by the longest matching namespace."""
    best = ""
    for prefix, ns in prefixes.items():
        if ns and iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            local = iri[len(ns) :]
            if re.fullmatch(r"[\w.\-/]*", local):
                best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else f"<{iri}>"


def _cell(term: object, prefixes: Mapping[str, str], width: int) -> str:
    if not isinstance(term, dict):
        return ""
    value = str(term.get("value", ""))
    if term.get("type") == "uri":
        text = shorten(value, prefixes)
    else:
        parts = value.split("; ")
        iris = all(re.fullmatch(r"[a-z][a-z0-9+.-]*://\S+", p) for p in parts)
        text = "; ".join(shorten(p, prefixes) for p in parts) if value and iris else value
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(results: Mapping[str, object], prefixes: Mapping[str, str], width: int = 80) -> str:
    """An aligned text table of SPARQL JSON results; IRIs shortened by prefixes, long
    cells cut at ``width`` characters."""
    if "boolean" in results:
        return ("true" if results["boolean"] else "false") + "\n"
    head = results.get("head")
    variables = list(head.get("vars", [])) if isinstance(head, dict) else []
    body = results.get("results")
    bindings = body.get("bindings", []) if isinstance(body, dict) else []
    rows = [[_cell(b.get(v), prefixes, width) for v in variables] for b in bindings if isinstance(b, dict)]
    widths = [max([len(v), *(len(r[i]) for r in rows)]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"

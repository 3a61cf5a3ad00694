"""Canned queries: ``queries/<name>.rq`` files with a metadata header, and their parameters.

A canned query is a SPARQL file whose leading comment lines form a header::

    # title: Events before a date
    # description: What happened in the days before a given date? ...
    # param: date xsd:date = 2021-03-23 -- the last day of the window
    # param: days xsd:nonNegativeInteger = 7
    # param: subject iri -- no default: left unbound (matches anything) unless given
    # key: item
    # example: kg query cq11-events-before --param date=2021-03-23 --param days=7

A parameter ``NAME`` is the query variable ``?param_NAME`` (so a parameter may share its
name with a result variable, as ``date`` does in cq11). ``key`` names the result columns
that identify one answer: a query returns one row per answer, so no two of its rows agree
on all of them (several values of another column are joined in one cell with "; ").

This module reads the header (:func:`parse_query`, :func:`load_queries`,
:func:`find_query`) and binds the parameters (:func:`prepare`): how values become RDF
terms in a ``VALUES`` block, and why that is equivalent to binding and safe, is told in
:mod:`kg.canned.params`. Running a prepared query and writing its result is
:mod:`kg.canned.output`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.canned.output import run_local, run_remote
from kg.canned.params import (
    KNOWN_PREFIXES,
    PARAM_TYPES,
    Param,
    ParameterError,
    inject_values,
    parse_assignments,
    to_term,
    values_block,
)
from kg.errors import KGError
from kg.rdf.terms import Term

__all__ = [
    "CannedQuery",
    "CannedQueryError",
    "ParameterError",
    "bind",
    "find_query",
    "load_queries",
    "load_query",
    "parse_assignments",
    "parse_query",
    "prepare",
    "run_local",
    "run_remote",
]

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PARAM_RE = re.compile(
    r"(?P<name>\S+)\s+(?P<type>\S+)(?:\s*=\s*(?P<default>.*?))?(?:\s+--\s+(?P<help>.*))?\s*$"
)
_HEADER_KEYS = {"title", "description", "param", "key", "example"}
_HEADER_RE = re.compile(r"#\s*(?P<key>[A-Za-z_]+)\s*:\s?(?P<value>.*)$")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.I)


class CannedQueryError(KGError):
    """A canned query is missing or its header is malformed."""


@dataclass(frozen=True)
class CannedQuery:
    """A parsed ``.rq`` file: its header fields and the full query text."""

    name: str
    title: str
    text: str
    description: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    path: Path | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)

    @property
    def example(self) -> str:
        return self.examples[0] if self.examples else ""

    def param(self, name: str) -> Param:
        """The parameter called ``name``; raises ParameterError when the query has none."""
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(name, f"unknown parameter; {self.name} takes {_names(self.params)}")


def _names(params: tuple[Param, ...]) -> str:
    return ", ".join(repr(p.name) for p in params) if params else "no parameters"


def parse_query(text: str, name: str, path: Path | None = None) -> CannedQuery:
    """Parse the header of a canned query. Header lines are the leading ``# key: value``
    comment lines; a line without a key continues the previous value. Known keys: title,
    description, param (repeatable), key (the answer's columns, space-separated), example
    (repeatable). Raises CannedQueryError."""
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
        if match is None or match.group("key").lower() not in _HEADER_KEYS:
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
    key = tuple(fields.get("key", "").split())
    for column in key:
        if not _NAME_RE.fullmatch(column):
            raise CannedQueryError(f"{name}: key column {column!r} must be a variable name without '?'")
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
        key=key,
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
    if type_ not in PARAM_TYPES:
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


def prepare(query: CannedQuery, values: Mapping[str, str]) -> str:
    """The query text with its parameters bound (see the module's docstring)."""
    bound = bind(query, values)
    if not bound:
        return query.text
    return inject_values(query.text, values_block(bound))

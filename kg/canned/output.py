"""Running prepared canned-query text and writing its result for a terminal or a file.

:func:`run_local` runs on a local store through the query core (its checks and row cap);
:func:`run_remote` posts to a SPARQL endpoint. Either writes the result as ``table``,
``json``, ``csv``, ``tsv`` or ``ttl``, as far as the result's kind allows (a CONSTRUCT
cannot be a table of solutions); :func:`format_table` aligns SPARQL JSON results, IRIs
shortened by prefixes (:func:`shorten`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.error import URLError

import pyoxigraph as ox
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.canned.params import KNOWN_PREFIXES
from kg.engine.formats import OutputFormat
from kg.engine.interface import Engine
from kg.engine.oxigraph.pool import LocalEngine
from kg.engine.query import analyse, run_query
from kg.errors import QueryError

__all__ = ["Output", "format_table", "run_local", "run_remote", "shorten"]


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
    store: ox.Store | Engine,
    text: str,
    fmt: str,
    *,
    prefixes: Mapping[str, str] = KNOWN_PREFIXES,
    max_rows: int = 100_000,
    timeout_s: float = 30.0,
) -> Output:
    """Run prepared query text on a local store through the query core (its checks and
    row cap) and write it as ``fmt``: table, json, csv, tsv or ttl. ``store`` may also be
    an engine (a remote store's)."""
    kind = _kind(text)
    media_type, engine_format = _check_format(fmt, kind)
    result = run_query(
        LocalEngine(store) if isinstance(store, ox.Store) else store,
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

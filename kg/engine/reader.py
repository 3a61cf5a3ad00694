"""The read API of the engine: run a SELECT, ASK or CONSTRUCT and get ``Term``s back.

The server (its UI, linked data, ontology documents) reads the graph through this module,
never through a store: a ``Run`` sends text to an engine (the app's, with its limits, or
an in-process one over files, :func:`files_run`) and gets a ``Result`` back; ``select``
reads SPARQL JSON results into rows of ``kg.rdf.terms.Term`` and ``construct`` an
N-Triples graph into ``kg.rdf.documents.Quad``s, so what the server renders is the same
whatever engine answered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.engine.formats import OutputFormat, format_named
from kg.engine.interface import Engine, Result
from kg.engine.oxigraph.pool import LocalEngine
from kg.engine.query import run_query
from kg.rdf.documents import Quad, parse
from kg.rdf.terms import Term, from_json

__all__ = ["Run", "Solutions", "construct", "engine_run", "files_run", "select", "solutions", "triples"]

Run = Callable[[str, OutputFormat], Result]
"""Runs query text in an engine, the result written in the given format."""

_JSON = format_named("json").output
_NT = format_named("nt").output


@dataclass(frozen=True)
class Solutions:
    """A SELECT's rows (dicts of variable → term, unbound variables absent) and variables,
    or an ASK's ``boolean``; ``truncated`` when the row cap cut the rows."""

    variables: tuple[str, ...]
    rows: list[dict[str, Term]]
    boolean: bool | None = None
    truncated: bool = False


def solutions(result: Result) -> Solutions:
    """The rows of a SPARQL JSON result."""
    data = json.loads(result.body)
    if "boolean" in data:
        return Solutions((), [], bool(data["boolean"]), result.truncated)
    variables = tuple(data["head"].get("vars", []))
    rows = [{k: from_json(v) for k, v in b.items()} for b in data["results"]["bindings"]]
    return Solutions(variables, rows, None, result.truncated)


def triples(result: Result) -> list[Quad]:
    """The statements of an N-Triples result."""
    return parse(result.body, "N_TRIPLES")


def select(run: Run, text: str) -> Solutions:
    """Run a SELECT or ASK and read its rows."""
    return solutions(run(text, _JSON))


def construct(run: Run, text: str) -> list[Quad]:
    """Run a CONSTRUCT or DESCRIBE and read its triples."""
    return triples(run(text, _NT))


def engine_run(engine: Engine, *, timeout_s: float = 30.0, max_rows: int = 100_000) -> Run:
    """A ``Run`` on ``engine`` through the query core (its checks, time limit and row cap)."""

    def run(text: str, output: OutputFormat) -> Result:
        return run_query(engine, text, output=output, timeout_s=timeout_s, max_rows=max_rows)

    return run


def files_run(paths: Sequence[Path]) -> Run:
    """A ``Run`` on the RDF files ``paths``, loaded into an in-process engine (the default
    graph holds their union). Raises ``kg.errors.QueryError`` for a file that does not
    parse, ``OSError`` for one that cannot be read."""
    return engine_run(LocalEngine.over_files(paths))

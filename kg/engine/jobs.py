"""What a query engine can be asked to do: the dataset sources, the jobs and their errors.

A job is a small frozen dataclass that crosses the pipe to a worker process (see
:mod:`kg.engine.oxigraph.pool`): a query, an update, a Graph Store Protocol read or write, statistics,
or a dump to a file. The sources say where a worker's dataset comes from. The errors are
domain errors without an HTTP status; the server maps them to responses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.engine.formats import OutputFormat
from kg.errors import KGError, QueryTimeoutError

__all__ = [
    "STREAMED",
    "WRITES",
    "DumpJob",
    "EngineCrashedError",
    "FilesSource",
    "GraphGetJob",
    "GraphNotFoundError",
    "GraphWriteJob",
    "Job",
    "QueryJob",
    "QueryMemoryError",
    "ReadOnlyError",
    "Source",
    "StatsJob",
    "StoreSource",
    "UpdateJob",
    "WorkersBusyError",
]


class EngineCrashedError(KGError):
    """The worker evaluating a request died (the engine crashed on it)."""


class WorkersBusyError(QueryTimeoutError):
    """Every worker stayed busy for the whole wait limit, or too many requests were waiting
    already; the request never started."""


class QueryMemoryError(KGError):
    """A query took its worker past the memory limit; the worker was stopped and replaced."""


class GraphNotFoundError(KGError):
    """The named graph does not exist in the store."""


class ReadOnlyError(KGError):
    """A write was sent to an engine that has no writable copy of the dataset."""


@dataclass(frozen=True)
class StoreSource:
    """The live build of an on-disk store (``<store_dir>/current``)."""

    store_dir: str


@dataclass(frozen=True)
class FilesSource:
    """RDF files loaded into memory; the default graph gets the union of the named graphs
    (as in a published build, see docs/decisions/0001)."""

    paths: tuple[str, ...]


Source = StoreSource | FilesSource


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query and how to answer it: the output format, the dataset (``default_graphs``,
    ``named_graphs``; ``check_graphs`` are looked up, and those missing reported as empty), the
    row cap and pre-bound variables."""

    text: str
    output: OutputFormat
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    check_graphs: tuple[str, ...] = ()
    max_rows: int = 100_000
    limit_applied: bool = False
    bindings: Mapping[str, Any] = field(default_factory=dict)
    base_iri: str | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)
    original_text: str | None = None  # the client's text, when ``text`` carries our LIMIT


@dataclass(frozen=True)
class UpdateJob:
    """A SPARQL update, for the writer of an updatable pool."""

    text: str
    base_iri: str | None = None


@dataclass(frozen=True)
class GraphGetJob:
    """Read one graph (Graph Store Protocol GET), serialised as ``output``."""

    graph: str | None  # None: the default graph
    output: OutputFormat


@dataclass(frozen=True)
class GraphWriteJob:
    """Replace, merge into or delete one graph (Graph Store Protocol PUT, POST, DELETE)."""

    method: str  # PUT (replace), POST (merge), DELETE
    graph: str | None
    data: bytes = b""
    engine_format: str = "TURTLE"
    base_iri: str | None = None


@dataclass(frozen=True)
class StatsJob:
    """Count the triples and named graphs of the dataset."""


@dataclass(frozen=True)
class DumpJob:
    """Write the dataset to ``path``: the named graphs (``named_graphs_only``) or the default
    graph; ``prefixes`` abbreviate IRIs in the formats that have them (Turtle, TriG)."""

    engine_format: str
    path: str
    named_graphs_only: bool
    prefixes: Mapping[str, str] = field(default_factory=dict)


Job = QueryJob | UpdateJob | GraphGetJob | GraphWriteJob | StatsJob | DumpJob
WRITES = (UpdateJob, GraphWriteJob)  # the jobs only an updatable pool's writer takes
# Jobs whose body a worker streams: each chunk in a message of its own as the engine writes
# it, then an empty message, then the reply (see ``kg.engine.oxigraph.pool``).
STREAMED = (QueryJob, GraphGetJob)

"""The engine interface: what build, serve, query, export and stats need of a query engine.

An engine runs jobs (:mod:`kg.engine.jobs`) and is closed when its owner is done. Oxigraph
in worker processes (:mod:`kg.engine.oxigraph.pool`) is one; a remote SPARQL backend
implements the same ``Engine`` protocol (docs/decisions/0015-engine-interface.md). Nothing
here imports a backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from kg.engine.formats import Kind, format_named
from kg.engine.jobs import Job

__all__ = ["Engine", "Result"]

_JSON_RESULTS = format_named("json").media_type


@dataclass(frozen=True)
class Result:
    """A serialised result, as the chunks the engine wrote it in (``body`` joins them).
    ``truncated`` is True when the row cap cut it (``max_rows`` rows of a SELECT, or triples
    of a CONSTRUCT/DESCRIBE, were kept): the one carrier of the flag, which the body does
    not hold (``sent_parts`` writes it where a format has room). ``streamed`` is True only inside the engine: the
    chunks went ahead, each in a message of its own (see ``kg.engine.oxigraph.pool``)."""

    parts: tuple[bytes, ...]
    media_type: str
    kind: Kind
    truncated: bool = False
    max_rows: int | None = None
    empty_graphs: tuple[str, ...] = ()  # graphs the dataset named that the store does not hold
    streamed: bool = False

    @property
    def body(self) -> bytes:
        """The whole body (one chunk is returned as it is, not copied)."""
        return self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)

    @property
    def size(self) -> int:
        """Bytes in the body."""
        return sum(len(p) for p in self.parts)

    def sent_parts(self) -> tuple[bytes, ...]:
        """The chunks as a client is sent them: a capped SPARQL JSON result says so in its
        first keys (``{"truncated":true,"max_rows":N,...``), the one results format with
        room for it; every other result as it is (HTTP says it in a header)."""
        if not (self.truncated and self.media_type.startswith(_JSON_RESULTS) and self.parts):
            return self.parts
        body = self.body
        return (b'{"truncated":true,"max_rows":%d,' % (self.max_rows or 0) + body[1:],)


class Engine(Protocol):
    """Anything that runs jobs. ``run`` answers a ``QueryJob`` or ``GraphGetJob`` with a
    ``Result``, a ``StatsJob`` with a dict (``build``, ``triples``, ``named_graphs``), an
    ``UpdateJob`` or ``GraphWriteJob`` with a dict (``created`` for a new graph), a
    ``DumpJob`` with the path written; it raises the domain errors of ``kg.errors`` and
    ``kg.engine.jobs`` (time limit, memory, refused, crashed). ``start`` readies it,
    ``close`` frees what the engine holds (processes, connections); an engine is not used
    after it."""

    def start(self) -> None:
        """Get ready to answer (load the dataset, reach the store); raise with the reason
        when it cannot, so that a server stops before it says it listens."""
        ...

    def run(self, job: Job, *, timeout_s: float) -> Any:
        """Run ``job`` within ``timeout_s`` seconds."""
        ...

    def close(self) -> None:
        """Free what the engine holds."""
        ...

"""RDF documents of ``Term`` statements: parsed and written through pyoxigraph.

The web process reads the engine's graphs (N-Triples), the ontology files, and writes
documents in every format of ``kg.engine.formats`` with the engine's own writer, so a
document is the same bytes whichever path produced it. ``engine_format`` is a row's
``Format.engine_format`` (``TURTLE``, ``N_TRIPLES``, ``TRIG``, ...).

>>> from kg.rdf.terms import iri, literal
>>> data = serialize([Quad(iri("http://ex/a"), iri("http://ex/p"), literal("x"))], "N_TRIPLES")
>>> data
b'<http://ex/a> <http://ex/p> "x" .\\n'
>>> parse(data, "N_TRIPLES")[0].object
Term(kind='literal', value='x', datatype='http://www.w3.org/2001/XMLSchema#string', language='')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from kg.rdf.terms import Term, term_of_ox, to_ox

__all__ = ["Quad", "parse", "serialize"]

_DATASETS = ("TRIG", "N_QUADS")


class Quad(NamedTuple):
    """A statement: a triple, in the named graph ``graph`` (None: the default graph)."""

    subject: Term
    predicate: Term
    object: Term
    graph: str | None = None


def _format(engine_format: str) -> ox.RdfFormat:
    value = getattr(ox.RdfFormat, engine_format, None)
    if not isinstance(value, ox.RdfFormat):
        raise ValueError(f"no RDF format {engine_format!r}")
    return value


def parse(
    data: bytes | None = None, engine_format: str = "N_TRIPLES", *, path: Path | None = None
) -> list[Quad]:
    """The statements of a document, given as bytes or by ``path``. Raises ``SyntaxError``
    for a document that does not parse, ``OSError`` for a file that cannot be read."""
    fmt = _format(engine_format)
    found = ox.parse(data, format=fmt) if path is None else ox.parse(path=str(path), format=fmt)
    out: list[Quad] = []
    for q in found:
        triple = q.triple if isinstance(q, ox.Quad) else q
        graph = (
            q.graph_name.value if isinstance(q, ox.Quad) and isinstance(q.graph_name, ox.NamedNode) else None
        )
        out.append(
            Quad(term_of_ox(triple.subject), term_of_ox(triple.predicate), term_of_ox(triple.object), graph)
        )
    return out


def serialize(quads: Iterable[Quad], engine_format: str, prefixes: Mapping[str, str] | None = None) -> bytes:
    """The statements as a document: with their graphs in a dataset format (TriG,
    N-Quads; the default graph where ``graph`` is None), as triples in any other;
    ``prefixes`` abbreviate IRIs where the format has prefixes."""
    fmt = _format(engine_format)
    names = dict(prefixes) if prefixes is not None else None
    if engine_format in _DATASETS:
        items: list[ox.Quad] | list[ox.Triple] = [
            ox.Quad(
                to_ox(q.subject),  # type: ignore[arg-type]
                to_ox(q.predicate),  # type: ignore[arg-type]
                to_ox(q.object),
                ox.NamedNode(q.graph) if q.graph is not None else ox.DefaultGraph(),
            )
            for q in quads
        ]
    else:
        items = [ox.Triple(to_ox(q.subject), to_ox(q.predicate), to_ox(q.object)) for q in quads]  # type: ignore[arg-type]
    return ox.serialize(items, format=fmt, prefixes=names) or b""

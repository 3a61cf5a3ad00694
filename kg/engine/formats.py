"""The one table of formats: what a result or a dataset is serialised as.

A row (``Format``) names a format (``?format=``, the file extension of a dump or export),
its media type and aliases, the kinds of result it carries, and the engine's and rdflib's
names for it. Content negotiation (``server.negotiation``), the dumps, ``kg export`` and
the engine's jobs (``OutputFormat``) all derive from ``FORMATS``.

>>> format_named("nq").media_type, format_named("nq").datasets
('application/n-quads', True)
>>> EXPORTS
('trig', 'nq', 'ttl', 'jsonld')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "DUMPS",
    "EXPORTS",
    "FORMATS",
    "FORM_KIND",
    "Format",
    "Kind",
    "OutputFormat",
    "format_named",
    "formats_for",
]

Kind = Literal["solutions", "boolean", "graph"]
FORM_KIND: dict[str, Kind] = {
    "SELECT": "solutions",
    "ASK": "boolean",
    "CONSTRUCT": "graph",
    "DESCRIBE": "graph",
}


@dataclass(frozen=True)
class OutputFormat:
    """What to serialise a result as: its media type and the engine's format name
    (for Oxigraph, a member of ``QueryResultsFormat`` for solutions and booleans, of
    ``RdfFormat`` for graphs)."""

    media_type: str
    engine_format: str


@dataclass(frozen=True)
class Format:
    """One row of the table."""

    name: str  # value of ?format= (and the dump's file extension)
    media_type: str
    kinds: frozenset[str]  # 'solutions', 'boolean', 'graph'
    engine_format: str  # pyoxigraph QueryResultsFormat / RdfFormat member
    rdflib_format: str  # rdflib serializer name, for graphs built with rdflib ('' if none)
    aliases: tuple[str, ...] = ()  # other media types that select this format
    names: tuple[str, ...] = ()  # other ?format= values
    # Kinds the engine also writes in this format, though the endpoint does not offer them:
    # an ASK result as CSV or TSV (a 'true' or 'false' line), which SPARQL 1.1 does not
    # define, for ``kg query``.
    also_writes: frozenset[str] = frozenset()

    @property
    def writes(self) -> frozenset[str]:
        """Every kind of result the engine can write in this format."""
        return self.kinds | self.also_writes

    @property
    def content_type(self) -> str:
        """The media type with its charset, as responses carry it."""
        return f"{self.media_type}; charset=utf-8"

    @property
    def datasets(self) -> bool:
        """True when the format carries named graphs (TriG, N-Quads)."""
        return self.engine_format in ("TRIG", "N_QUADS")

    @property
    def output(self) -> OutputFormat:
        return OutputFormat(self.content_type, self.engine_format)


_RESULTS = frozenset({"solutions", "boolean"})
_GRAPH = frozenset({"graph"})

FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", _RESULTS, "JSON", "", ("application/json",), ("srj",)),
    Format(
        "xml",
        "application/sparql-results+xml",
        _RESULTS,
        "XML",
        "",
        ("application/xml", "text/xml"),
        ("srx",),
    ),
    Format("csv", "text/csv", frozenset({"solutions"}), "CSV", "", also_writes=frozenset({"boolean"})),
    Format(
        "tsv",
        "text/tab-separated-values",
        frozenset({"solutions"}),
        "TSV",
        "",
        also_writes=frozenset({"boolean"}),
    ),
    Format(
        "ttl",
        "text/turtle",
        _GRAPH,
        "TURTLE",
        "turtle",
        ("application/x-turtle", "application/turtle"),
        ("turtle", "n3"),
    ),
    Format(
        "nt", "application/n-triples", _GRAPH, "N_TRIPLES", "nt", ("text/plain",), ("ntriples", "n-triples")
    ),
    Format(
        "rdf",
        "application/rdf+xml",
        _GRAPH,
        "RDF_XML",
        "xml",
        ("application/xml", "text/xml"),
        ("xml", "rdfxml", "rdf+xml", "owl"),
    ),
    Format(
        "jsonld",
        "application/ld+json",
        _GRAPH,
        "JSON_LD",
        "json-ld",
        ("application/json", "application/x-json+ld"),
        ("json-ld", "json"),
    ),
    Format("trig", "application/trig", _GRAPH, "TRIG", "trig", ("application/x-trig",)),
    Format(
        "nq", "application/n-quads", _GRAPH, "N_QUADS", "nquads", ("text/x-nquads",), ("nquads", "n-quads")
    ),
)


def formats_for(kind: Kind | str) -> list[Format]:
    """The formats that can carry a result of ``kind``, the default first."""
    return [f for f in FORMATS if kind in f.kinds]


def format_named(name: str) -> Format:
    """The row whose ``name`` is ``name``; KeyError when there is none."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


EXPORTS = ("trig", "nq", "ttl", "jsonld")  # what `kg export` writes
DUMPS = ("trig", "nq", "ttl", "nt")  # what /dump/<format> serves

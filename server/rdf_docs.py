"""RDF documents as the linked-data views send them: the bounded description of a
resource (its own triples and, capped, the triples that point at it), and serialisation
with prefixes (Turtle, TriG, RDF/XML) or compacted against the published JSON-LD
``@context`` (``/context.jsonld``, generated from the ontology: its prefixes, a term per
class and property, ``@type: @id`` on object properties).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from kg.engine.formats import OutputFormat
from kg.engine.interface import Result
from kg.engine.reader import construct, files_run, select
from kg.rdf.documents import Quad
from kg.rdf.documents import serialize as write
from kg.rdf.terms import check_iri
from server.endpoint import run
from server.negotiation import Format
from server.ui_read import PREFIXES

__all__ = [
    "IN_CAP",
    "OUT_CAP",
    "Description",
    "context",
    "describe",
    "prefixes",
    "serialize",
]

OUT_CAP = 2000  # a resource's own triples sent at most (North Korea's mentions run to thousands)
IN_CAP = 1000  # triples that point at a resource sent at most, as DBpedia caps its inverse links
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def prefixes(base: str) -> dict[str, str]:
    """The prefixes of every document this server writes, for a base IRI."""
    out = dict(PREFIXES(base))
    out.update(
        {
            "res": base + "resource/",
            "dcterms": "http://purl.org/dc/terms/",
            "void": "http://rdfs.org/ns/void#",
            "dcat": "http://www.w3.org/ns/dcat#",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "wd": "http://www.wikidata.org/entity/",
        }
    )
    return out


# --------------------------------------------------------------------- the description


@dataclass(frozen=True)
class Description:
    """A bounded description: its triples, and how many own and incoming triples the
    resource has in all (more than were sent when a cap cut them)."""

    triples: list[Quad]
    out_total: int
    in_total: int

    @property
    def truncated(self) -> bool:
        """True when a cap left triples out."""
        return self.out_total > OUT_CAP or self.in_total > IN_CAP


def _describe_query(iri: str) -> str:
    x = f"<{iri}>"
    return f"""
CONSTRUCT {{
  {x} ?p ?o . ?o <{RDFS}label> ?ol . ?o ?bp ?bo .
  ?s ?ip {x} . ?s <{RDFS}label> ?sl . ?s <{RDF_TYPE}> ?st .
}} WHERE {{
  {{
    {{ SELECT ?p ?o WHERE {{ {x} ?p ?o }} LIMIT {OUT_CAP} }}
    OPTIONAL {{ ?o <{RDFS}label> ?ol }}
    OPTIONAL {{ FILTER(isBlank(?o)) ?o ?bp ?bo }}
  }} UNION {{
    {{ SELECT ?s ?ip WHERE {{ ?s ?ip {x} }} LIMIT {IN_CAP} }}
    OPTIONAL {{ ?s <{RDFS}label> ?sl }}
    OPTIONAL {{ ?s <{RDF_TYPE}> ?st }}
  }}
}}"""


def _count_query(iri: str) -> str:
    x = f"<{iri}>"
    return (
        f"SELECT ?out ?in WHERE {{ {{ SELECT (COUNT(*) AS ?out) WHERE {{ {x} ?p ?o }} }} "
        f"{{ SELECT (COUNT(*) AS ?in) WHERE {{ ?s ?p {x} }} }} }}"
    )


def describe(iri: str) -> Description:
    """The concise bounded description of ``iri`` with incoming links: its own triples
    (with the labels of what they point at, and the triples of blank nodes), and the
    triples whose object it is (with their subjects' labels and types), each capped.
    ``iri`` must be a checked IRI (it is written into the query)."""

    check_iri(iri)  # raises on anything that is not an IRI
    triples = construct(_run, _describe_query(iri))
    counts = select(_run, _count_query(iri)).rows
    row = counts[0] if counts else {}
    return Description(
        triples,
        int(row["out"].value) if "out" in row else 0,
        int(row["in"].value) if "in" in row else 0,
    )


def _run(text: str, output: OutputFormat) -> Result:
    return run(text, output=output)


# --------------------------------------------------------------------- JSON-LD context

_context_lock = threading.Lock()
_context_cache: dict[tuple[str, str, int], dict[str, Any]] = {}


def _ontology_terms(source: Path) -> tuple[list[str], list[str], list[str]]:
    """The classes, object properties and other properties the ontology declares."""
    ontology = files_run([source])
    kinds: dict[str, list[str]] = {"Class": [], "ObjectProperty": [], "DatatypeProperty": []}
    for kind, found in kinds.items():
        query = f"SELECT ?t WHERE {{ ?t a <{OWL}{kind}> FILTER(isIRI(?t)) }} ORDER BY ?t"
        found.extend(row["t"].value for row in select(ontology, query).rows)
    annotation = select(ontology, f"SELECT ?t WHERE {{ ?t a <{OWL}AnnotationProperty> }} ORDER BY ?t").rows
    others = kinds["DatatypeProperty"] + [row["t"].value for row in annotation]
    return kinds["Class"], kinds["ObjectProperty"], others


def context(base: str, ontology_dir: Path) -> dict[str, Any]:
    """The JSON-LD context documents are compacted with: the prefixes, ``label`` and
    ``altLabel``, and a term for each class and property of the Peninsula namespace (an
    object property's values are IRIs). Cached per ontology file."""
    source = Path(ontology_dir) / "peninsula.ttl"
    key = (base, str(source), source.stat().st_mtime_ns)
    with _context_lock:
        if key not in _context_cache:
            _context_cache[key] = _build_context(base, source)
        return _context_cache[key]


def _build_context(base: str, source: Path) -> dict[str, Any]:
    pen = base + "ontology#"
    ctx: dict[str, Any] = {"@version": 1.1}
    ctx.update(prefixes(base))
    ctx["label"] = {"@id": "rdfs:label"}
    ctx["altLabel"] = {"@id": "skos:altLabel"}
    ctx["sameAs"] = {"@id": "owl:sameAs", "@type": "@id"}
    classes, objects, others = _ontology_terms(source)
    for iri in classes + others + objects:
        if not iri.startswith(pen):
            continue
        name = iri[len(pen) :]
        if not name or name in ctx or name.startswith("@"):
            continue  # a term never hides a prefix or another term
        ctx[name] = {"@id": "pen:" + name, "@type": "@id"} if iri in objects else {"@id": "pen:" + name}
    return {"@context": ctx}


# --------------------------------------------------------------------- serialisation


def serialize(
    triples: Iterable[Quad],
    fmt: Format,
    *,
    base: str,
    ontology_dir: Path,
    context_url: str,
    extra_prefixes: Mapping[str, str] | None = None,
    expanded: bool = False,
) -> bytes:
    """``triples`` in ``fmt``: with the prefixes (and ``extra_prefixes``) where the format
    has them; JSON-LD compacted with the published context, named by ``context_url``
    (``expanded``: JSON-LD in expanded form, which needs no context)."""
    items = list(triples)
    if fmt.name == "jsonld" and expanded:
        return write(items, "JSON_LD")
    if fmt.name == "jsonld":
        return _jsonld(items, base, ontology_dir, context_url)
    names = (
        _used({**(extra_prefixes or {}), **prefixes(base)}, items)
        if fmt.name in ("ttl", "trig", "rdf")
        else None
    )
    return write(items, fmt.engine_format, names)


def _used(names: dict[str, str], items: list[Quad]) -> dict[str, str]:
    """The prefixes whose namespace some IRI of ``items`` is in."""
    iris = {t.value for q in items for t in (q.subject, q.predicate, q.object) if t.kind == "iri"}
    iris |= {q.object.datatype for q in items if q.object.kind == "literal"}
    return {p: ns for p, ns in names.items() if any(i.startswith(ns) for i in iris)}


def _jsonld(items: list[Quad], base: str, ontology_dir: Path, context_url: str) -> bytes:
    quads = any(q.graph is not None for q in items)
    data = write(items, "N_QUADS" if quads else "N_TRIPLES")
    graph: Graph = Dataset() if quads else Graph()
    graph.parse(data=data, format="nquads" if quads else "nt")
    ctx = context(base, ontology_dir)["@context"]
    text = graph.serialize(format="json-ld", context=ctx, auto_compact=True)
    doc = json.loads(text)
    if isinstance(doc, dict):
        doc["@context"] = context_url  # the same context, by its published URL
    else:  # an empty graph: rdflib writes a bare array
        doc = {"@context": context_url, "@graph": doc}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")

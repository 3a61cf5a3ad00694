"""The ontology documents of the ontology folder, by the IRIs they declare.

Every Turtle file in the folder (and below it, for archived versions) that declares an
``owl:Ontology`` under the base IRI is served at that IRI and at its ``owl:versionIRI``;
an ``owl:priorVersion`` resolves when a file of the folder declares it as its version IRI.
So ``<base>ontology``, ``<base>ontology/0.1.0``, ``<base>ontology/alignments`` and
``<base>ontology/alignments/0.1.0`` resolve, and a version bump that keeps the previous
file keeps its IRI resolving.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from kg.engine.reader import files_run, select
from kg.errors import KGError
from kg.rdf.documents import Quad, parse

__all__ = ["OntologyDoc", "file_prefixes", "ontology_docs", "ontology_triples"]

OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"


@dataclass(frozen=True)
class OntologyDoc:
    """One ontology document: the IRI it is asked for, its file, and whether that IRI is
    a version IRI (whose content never changes)."""

    iri: str
    path: Path
    title: str
    is_version: bool


_lock = threading.Lock()
_cache: dict[tuple[str, str, tuple[tuple[str, int], ...]], dict[str, OntologyDoc]] = {}


def _declared(path: Path) -> list[tuple[str, str | None, str]]:
    """(ontology IRI, version IRI, title) of each owl:Ontology the file declares."""
    try:
        run = files_run([path])
    except (KGError, OSError):  # a file that does not parse declares nothing
        return []
    query = f"""SELECT ?o ?v ?t WHERE {{ ?o a <{OWL}Ontology> FILTER(isIRI(?o))
        OPTIONAL {{ ?o <{OWL}versionIRI> ?v }} OPTIONAL {{ ?o <{DCTERMS_TITLE}> ?t }} }}"""
    rows = select(run, query).rows
    return [
        (r["o"].value, r["v"].value if "v" in r else None, r["t"].value if "t" in r else "") for r in rows
    ]


def ontology_docs(folder: Path, base: str) -> dict[str, OntologyDoc]:
    """IRI → document, for the IRIs under ``base`` that the folder's files declare; cached
    until a file changes. The newest file wins an ontology IRI two files declare. The
    vocabularies vendored for the import test (``vendor/``) declare no IRI under the base
    and are not read."""
    files = sorted(p for p in Path(folder).rglob("*.ttl") if "vendor" not in p.relative_to(folder).parts)
    key = (str(folder), base, tuple((str(p), p.stat().st_mtime_ns) for p in files))
    with _lock:
        if key in _cache:
            return _cache[key]
    docs: dict[str, OntologyDoc] = {}
    newest: dict[str, float] = {}
    for path in files:
        for iri, version, title in _declared(path):
            if version and version.startswith(base):
                docs[version] = OntologyDoc(version, path, title or iri, True)
            mtime = path.stat().st_mtime
            if iri.startswith(base) and mtime >= newest.get(iri, -1.0) and path.parent == Path(folder):
                docs[iri] = OntologyDoc(iri, path, title or iri, False)
                newest[iri] = mtime
    with _lock:
        _cache.clear()
        _cache[key] = docs
    return docs


_PREFIX = re.compile(r"@prefix\s+([A-Za-z][\w.-]*|):\s*<([^>\s]*)>", re.IGNORECASE)


def file_prefixes(path: Path) -> dict[str, str]:
    """The prefixes a Turtle file declares (so its document is written with them)."""
    return {name: ns for name, ns in _PREFIX.findall(path.read_text(encoding="utf-8")) if name}


def ontology_triples(path: Path) -> list[Quad]:
    """The triples of an ontology file."""
    return parse(engine_format="TURTLE", path=path)

"""Namespaces and the IRI scheme of resources and graphs.

Resources live under ``<base>resource/<kind>/<slug>``, ontology terms under
``<base>ontology#``, named graphs under ``<base>graph/<name>``. IRIs are deterministic:
the same thing gets the same IRI on every build.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rdflib import Namespace, URIRef

__all__ = [
    "DEFAULT_BASE",
    "GAF",
    "NIF",
    "ORG",
    "PEN",
    "PROV",
    "SCHEMA",
    "SEM",
    "TIME",
    "WD",
    "graph_iri",
    "local_name",
    "resource_iri",
    "slugify",
]

DEFAULT_BASE = "https://w3id.org/peninsula/"

PEN = Namespace(DEFAULT_BASE + "ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GAF = Namespace("http://groundedannotationframework.org/gaf#")
WD = Namespace("http://www.wikidata.org/entity/")


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (cached: the same names and offsets are
    slugified again and again).

    >>> slugify("Chung Eui-yong"), slugify("Pyongyang’s Sunan district"), slugify("…")
    ('chung-eui-yong', 'pyongyangs-sunan-district', 'x')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def resource_iri(kind: str, *parts: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of a resource under ``base``; its parts are slugified and joined by '/'.

    >>> resource_iri("person", "Antony Blinken", base="https://example.org/")
    rdflib.term.URIRef('https://example.org/resource/person/antony-blinken')
    """
    return URIRef(base + "resource/" + kind + "/" + "/".join(slugify(p) for p in parts))


def graph_iri(name: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of a named graph: an article's graph, or 'reference', 'ontology', 'runs'."""
    return URIRef(base + "graph/" + name)


def local_name(term: object) -> str:
    """The last segment of an IRI (after '#', '/' or ':'), also of a plain string.

    >>> local_name("https://w3id.org/peninsula/ontology#GovernmentBody"), local_name("pen:Person")
    ('GovernmentBody', 'Person')
    """
    text = str(term)
    for sep in ("#", "/", ":"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text

"""Self-description: the SPARQL 1.1 Service Description (plain GET of ``/sparql``) and the
VoID description of the dataset (``/void``). Both are built as rdflib graphs from terms
(never strings) and serialised in the negotiated format."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

from flask import Response, request
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, VOID

from kg.engine.jobs import StatsJob
from kg.rdf.terms import literal, sparql
from server.endpoint import endpoint_state, public_root, run
from server.http_cache import build_info
from server.negotiation import FORMATS, negotiate, wants_html

__all__ = ["service_description", "service_description_response", "void_graph", "void_response"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
_RESULT_FORMATS = {
    "json": FORMATS_NS["SPARQL_Results_JSON"],
    "xml": FORMATS_NS["SPARQL_Results_XML"],
    "csv": FORMATS_NS["SPARQL_Results_CSV"],
    "tsv": FORMATS_NS["SPARQL_Results_TSV"],
    "ttl": FORMATS_NS["Turtle"],
    "nt": FORMATS_NS["N-Triples"],
    "rdf": FORMATS_NS["RDF_XML"],
    "jsonld": FORMATS_NS["JSON-LD"],
    "trig": FORMATS_NS["TriG"],
    "nq": FORMATS_NS["N-Quads"],
}


def _root() -> str:

    return public_root().rstrip("/")


def service_description() -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint, with its named graphs."""
    endpoint = URIRef(_root() + "/sparql")
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service = BNode("service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if endpoint_state().settings.update_token:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for fmt in FORMATS:
        g.add((service, SD.resultFormat, _RESULT_FORMATS[fmt.name]))
    if endpoint_state().allow_list:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, VOID.sparqlEndpoint, endpoint))
    default = BNode("default")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, DCTERMS.description, Literal("the set-union of the named graphs")))
    _named_graphs(g, dataset)
    return g


NAMED_GRAPHS_LISTED = 1000  # the service description names at most these; VoID counts them all
_GRAPH_NAMES = f"SELECT ?g WHERE {{ GRAPH ?g {{ }} }} ORDER BY ?g LIMIT {NAMED_GRAPHS_LISTED + 1}"


def _named_graphs(g: Graph, dataset: BNode) -> None:
    """``sd:namedGraph`` for each named graph (the first NAMED_GRAPHS_LISTED by IRI, and a
    note of how many there are when there are more), cached per build."""
    state = endpoint_state()
    build = state.engine.run(StatsJob(), timeout_s=state.settings.query_timeout_s)["build"]
    key = ("sd-graphs", build)
    names = state.caches.get(key)
    if names is None:
        names = [row["g"] for row in _rows(_GRAPH_NAMES)]
        state.caches[key] = names
    for name in names[:NAMED_GRAPHS_LISTED]:
        node = BNode()
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    if len(names) > NAMED_GRAPHS_LISTED:
        total = state.engine.run(StatsJob(), timeout_s=state.settings.query_timeout_s)["named_graphs"]
        note = f"The first {NAMED_GRAPHS_LISTED} of {total} named graphs by IRI; the query SELECT ?g WHERE {{ GRAPH ?g {{ }} }} lists them all."
        g.add((dataset, RDFS.comment, Literal(note)))


def service_description_response() -> Response:
    """The service description in the negotiated format (HTML for browsers), serialised
    once per build and format."""
    state = endpoint_state()
    build = state.engine.run(StatsJob(), timeout_s=state.settings.query_timeout_s)["build"]
    return _graph_response(service_description, ("sd", build))


def _graph_response(make: Callable[[], Graph], key: tuple[object, ...]) -> Response:
    """``make()``'s graph in the negotiated format; the bytes are kept under ``key`` (and
    the format), with only the last build's kept."""
    accept = request.accept_mimetypes
    rdf = [f.media_type for f in FORMATS if "graph" in f.kinds]
    html = not request.args.get("format") and wants_html(accept, rdf, html_first=True)
    fmt = None if html else negotiate("graph", accept, request.args.get("format"))
    caches = endpoint_state().caches
    cache_key = ("described", *key, fmt.name if fmt else "html")
    body = caches.get(cache_key)
    if not isinstance(body, bytes):
        graph = make()
        if fmt is None:
            text = graph.serialize(format="turtle")
            page = f"<!doctype html><html lang=en><meta charset=utf-8><title>Peninsula KG</title><pre>{escape(text)}</pre></html>"
            body = page.encode("utf-8")
        else:
            body = graph.serialize(format=fmt.rdflib_format, encoding="utf-8")
        for old in [k for k in caches if isinstance(k, tuple) and k[:2] == cache_key[:2] and k != cache_key]:
            if _key_build(old) != _key_build(cache_key):
                del caches[old]
        caches[cache_key] = body
    response = Response(body, content_type="text/html; charset=utf-8" if fmt is None else fmt.content_type)
    response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _key_build(key: tuple[object, ...]) -> object:
    """The build a cache key names (its third element)."""
    return key[2] if len(key) > 2 else None


# --------------------------------------------------------------------- VoID

DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
_CLASSES = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 200"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) LIMIT 500"
_ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g LIMIT 1000"
_EXAMPLES = "SELECT DISTINCT ?s ?base WHERE { ?s a ?c FILTER(STRSTARTS(STR(?s), ?base)) } LIMIT 5"
_LINKS = """SELECT ?p ?host (COUNT(*) AS ?n) WHERE {
  VALUES ?p { <http://www.w3.org/2002/07/owl#sameAs> <http://www.w3.org/2004/02/skos/core#exactMatch>
              <http://www.w3.org/2004/02/skos/core#closeMatch> }
  ?s ?p ?o FILTER(isIRI(?o) && !STRSTARTS(STR(?o), BASE))
  BIND(REPLACE(STR(?o), "^(https?://[^/]+/).*$", "$1") AS ?host)
} GROUP BY ?p ?host ORDER BY ?p ?host"""
_DUMP_TYPES = {
    "trig": "application/trig",
    "nq": "application/n-quads",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
}


def _rows(text: str, **bindings: object) -> list[dict[str, str]]:
    body = run(text, output=FORMATS[0].output, bindings=bindings or None).body
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(body)["results"]["bindings"]]


def _int(n: object) -> Literal:
    return Literal(int(str(n)), datatype=XSD.integer)


def void_graph() -> Graph:
    """The VoID and DCAT description of the dataset, whose IRI is ``<base>void#dataset``
    (under the base IRI, as the data's own IRIs); cached per build."""
    state = endpoint_state()
    root = _root()
    stats = state.engine.run(StatsJob(), timeout_s=state.settings.query_timeout_s)
    key = ("void", stats["build"], stats["triples"], root)
    cached = state.caches.get(key)
    if isinstance(cached, Graph):
        return cached
    base = state.settings.base_iri
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcterms", DCTERMS), ("dcat", DCAT), ("foaf", FOAF), ("sd", SD)):
        g.bind(prefix, ns)
    ds = URIRef(base + "void#dataset")
    _describe_dataset(g, ds, stats, build_info())
    _access(g, ds, root)
    _statistics(g, ds, base)
    _linksets(g, ds, base)
    for row in _rows(_EXAMPLES, base=Literal(base + "resource/")):
        g.add((ds, VOID.exampleResource, URIRef(row["s"])))
    graphs = _rows(_GRAPHS)
    g.add((ds, VOID.documents, _int(len(graphs))))  # named graphs
    for row in graphs:
        sub = URIRef(row["g"])
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, VOID.triples, _int(row["n"])))
        g.add((sub, SD.name, sub))
    state.caches[key] = g
    return g


def _describe_dataset(g: Graph, ds: URIRef, stats: dict[str, object], info: object) -> None:
    """Title, description, licence, publisher, dates and version of the dataset."""
    settings = endpoint_state().settings
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("Peninsula KG", lang="en")))
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal("Security and diplomacy on the Korean peninsula, from news articles.", lang="en"),
        )
    )
    g.add((ds, DCTERMS.license, URIRef(settings.dataset_license)))
    publisher = BNode("publisher")
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(settings.publisher)))
    created, modified = getattr(info, "created", None), getattr(info, "modified", None)
    if created is not None and modified is not None:
        g.add(
            (ds, DCTERMS.created, Literal(created.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime))
        )
        g.add(
            (
                ds,
                DCTERMS.modified,
                Literal(modified.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime),
            )
        )
    g.add((ds, DCTERMS.hasVersion, Literal(str(stats["build"]))))
    g.add((ds, VOID.triples, _int(stats["triples"])))
    g.add((ds, VOID.uriSpace, Literal(settings.base_iri + "resource/")))
    g.add((ds, VOID.rootResource, URIRef(settings.base_iri + "ontology")))


def _access(g: Graph, ds: URIRef, root: str) -> None:
    """The endpoint and the dumps, as VoID and as DCAT distributions and a data service."""
    endpoint = URIRef(root + "/sparql")
    g.add((ds, VOID.sparqlEndpoint, endpoint))
    service = URIRef(root + "/sparql#service")
    g.add((ds, DCAT.distribution, URIRef(root + "/sparql#distribution")))
    dist = URIRef(root + "/sparql#distribution")
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.accessURL, endpoint))
    g.add((dist, DCAT.accessService, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    for name, media in _DUMP_TYPES.items():
        url = URIRef(f"{root}/dump/{name}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, url))
        g.add((url, RDF.type, DCAT.Distribution))
        g.add((url, DCAT.downloadURL, url))
        g.add((url, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + media)))


def _statistics(g: Graph, ds: URIRef, base: str) -> None:
    """Entities, class and property partitions, and the vocabularies they come from."""
    entities = _rows(_ENTITIES)
    g.add((ds, VOID.entities, _int(entities[0]["n"] if entities else 0)))
    classes = _rows(_CLASSES)
    g.add((ds, VOID.classes, _int(len(classes))))
    for i, row in enumerate(classes):
        part = URIRef(f"{base}void#class-{i}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(row["class"])))
        g.add((part, VOID.entities, _int(row["n"])))
    properties = _rows(_PROPERTIES)
    g.add((ds, VOID.properties, _int(len(properties))))
    for i, row in enumerate(properties):
        part = URIRef(f"{base}void#property-{i}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(row["p"])))
        g.add((part, VOID.triples, _int(row["n"])))
    terms = [r["class"] for r in classes] + [r["p"] for r in properties]
    for vocabulary in sorted({_namespace(t) for t in terms} - {""}):
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))


def _namespace(iri: str) -> str:
    """The namespace of a term: up to its last '#', else its last '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else ""


def _linksets(g: Graph, ds: URIRef, base: str) -> None:
    """A void:Linkset per link predicate and target site (owl:sameAs, SKOS matches)."""
    for i, row in enumerate(_rows(_LINKS.replace("BASE", sparql(literal(base))))):
        linkset = URIRef(f"{base}void#linkset-{i}")
        target = URIRef(f"{base}void#target-{i}")
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.linkPredicate, URIRef(row["p"])))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.triples, _int(row["n"])))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, VOID.uriSpace, Literal(row["host"])))


def void_response() -> Response:
    """The VoID description in the negotiated format (HTML for browsers), serialised once
    per build, public URL and format."""
    state = endpoint_state()
    build = state.engine.run(StatsJob(), timeout_s=state.settings.query_timeout_s)["build"]
    return _graph_response(void_graph, ("void", build, _root()))

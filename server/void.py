"""Self-description: the SPARQL 1.1 Service Description (plain GET of ``/sparql``) and the
VoID description of the dataset (``/void``). Both are built as rdflib graphs from terms
(never strings) and serialised in the negotiated format."""

from __future__ import annotations

import json
from html import escape

from flask import Response, request
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, VOID

from kg.workers import StatsJob
from server.negotiation import FORMATS, negotiate
from server.sparql import endpoint_state, run

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
    from server.sparql import public_root

    return public_root().rstrip("/")


def service_description() -> Graph:
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
    return g


def service_description_response() -> Response:
    return _graph_response(service_description())


def _graph_response(graph: Graph) -> Response:
    accept = request.accept_mimetypes
    rdf = [f.media_type for f in FORMATS if "graph" in f.kinds]
    if (
        not request.args.get("format")
        and accept.best_match(["text/html", *rdf]) == "text/html"
        and accept.quality("text/html")
    ):
        text = graph.serialize(format="turtle")
        page = f"<!doctype html><html lang=en><meta charset=utf-8><title>Peninsula KG</title><pre>{escape(text)}</pre></html>"
        response = Response(page, content_type="text/html; charset=utf-8")
    else:
        fmt = negotiate("graph", accept, request.args.get("format"))
        response = Response(
            graph.serialize(format=fmt.rdflib_format, encoding="utf-8"), content_type=fmt.content_type
        )
    response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# --------------------------------------------------------------------- VoID

_CLASSES = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 200"
_ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g LIMIT 1000"
_EXAMPLES = "SELECT DISTINCT ?s ?base WHERE { ?s a ?c FILTER(STRSTARTS(STR(?s), ?base)) } LIMIT 5"
# Links to other data sets (identity of individuals, exact matches of concepts), counted by
# link predicate for each target whose IRIs start with ?space.
_LINKS = (
    "SELECT ?p ?space (COUNT(*) AS ?n) WHERE { VALUES ?p { <http://www.w3.org/2002/07/owl#sameAs> "
    "<http://www.w3.org/2004/02/skos/core#exactMatch> } ?s ?p ?o FILTER(STRSTARTS(STR(?o), ?space)) } GROUP BY ?p ?space"
)
# target data set → the namespace of its entity IRIs
LINK_TARGETS = {
    "wikidata": ("https://www.wikidata.org/", "http://www.wikidata.org/entity/"),
    "geonames": ("https://www.geonames.org/", "https://sws.geonames.org/"),
}


def _rows(text: str, **bindings: object) -> list[dict[str, str]]:
    body = run(text, output=FORMATS[0].output, bindings=bindings or None).body
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(body)["results"]["bindings"]]


def void_graph() -> Graph:
    state = endpoint_state()
    root = _root()
    stats = state.engine.run(StatsJob(), timeout_s=state.settings.query_timeout_s)
    key = ("void", stats["build"], stats["triples"], root)
    cached = state.caches.get(key)
    if isinstance(cached, Graph):
        return cached
    base = state.settings.base_iri
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    ds = URIRef(root + "/void#dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("Peninsula KG")))
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal("Security and diplomacy on the Korean peninsula, from news articles."),
        )
    )
    g.add((ds, VOID.sparqlEndpoint, URIRef(root + "/sparql")))
    g.add((ds, VOID.uriSpace, Literal(base + "resource/")))
    g.add((ds, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    entities = _rows(_ENTITIES)
    g.add((ds, VOID.entities, Literal(int(entities[0]["n"]) if entities else 0, datatype=XSD.integer)))
    classes = _rows(_CLASSES)
    g.add((ds, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for i, row in enumerate(classes):
        part = URIRef(f"{root}/void#class-{i}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(row["class"])))
        g.add((part, VOID.entities, Literal(int(row["n"]), datatype=XSD.integer)))
    for name in ("trig", "nq", "ttl", "nt"):
        g.add((ds, VOID.dataDump, URIRef(f"{root}/dump/{name}")))
    for row in _rows(_EXAMPLES, base=Literal(base + "resource/")):
        g.add((ds, VOID.exampleResource, URIRef(row["s"])))
    graphs = _rows(_GRAPHS)
    g.add((ds, VOID.documents, Literal(len(graphs), datatype=XSD.integer)))  # named graphs
    for row in graphs:
        sub = URIRef(row["g"])
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, VOID.triples, Literal(int(row["n"]), datatype=XSD.integer)))
        g.add((sub, SD.name, sub))
    _linksets(g, ds, root)
    state.caches[key] = g
    return g


def _linksets(g: Graph, ds: URIRef, root: str) -> None:
    """One void:Linkset per target data set and link predicate, with its count."""
    for name, (target, space) in LINK_TARGETS.items():
        g.add((URIRef(target), RDF.type, VOID.Dataset))
        g.add((URIRef(target), VOID.uriSpace, Literal(space)))
        for row in _rows(_LINKS, space=Literal(space)):
            predicate = URIRef(row["p"])
            links = URIRef(f"{root}/void#links-{name}-{predicate.split('#')[-1]}")
            g.add((ds, VOID.subset, links))
            g.add((links, RDF.type, VOID.Linkset))
            g.add((links, VOID.subjectsTarget, ds))
            g.add((links, VOID.objectsTarget, URIRef(target)))
            g.add((links, VOID.linkPredicate, predicate))
            g.add((links, VOID.triples, Literal(int(row["n"]), datatype=XSD.integer)))
            g.add(
                (
                    links,
                    DCTERMS.description,
                    Literal(
                        "Links from the reference data; kg/reference/*.yaml records the source of each identifier."
                    ),
                )
            )


def void_response() -> Response:
    return _graph_response(void_graph())

"""The endpoint's HTTP behaviour through Flask's test client (breadth): formats, statuses,
the error shape, CORS, HEAD, self-description, linked data, dumps and the Graph Store
Protocol."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from live_helpers import BASE, FIXTURE
from rdflib import RDF, Graph, URIRef

from kg.settings import Settings
from server.app import close_app, create_app
from server.negotiation import FORMATS

SELECT = "SELECT ?s ?label WHERE { ?s a <https://w3id.org/peninsula/ontology#State> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
CONSTRUCT = "CONSTRUCT WHERE { ?s a <https://w3id.org/peninsula/ontology#State> }"
RESULT_FORMATS = [f for f in FORMATS if "solutions" in f.kinds]
GRAPH_FORMATS = [f for f in FORMATS if "graph" in f.kinds]
RDFLIB_PARSE = {
    "ttl": "turtle",
    "nt": "nt",
    "rdf": "xml",
    "jsonld": "json-ld",
    "trig": "trig",
    "nq": "nquads",
}


def _parse(data: bytes, media: str) -> Graph:
    """An RDF document as an rdflib Graph of its triples, parsed by pyoxigraph (rdflib's
    JSON-LD/TriG parsers raise deprecation warnings, which are errors here)."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_media_type(media)
    assert fmt is not None, media
    g = Graph()
    for q in ox.parse(data, format=fmt):
        g.add(tuple(_rdflib(t) for t in (q.subject, q.predicate, q.object)))  # type: ignore[arg-type]
    return g


def _inline_context(client: FlaskClient, data: bytes) -> bytes:
    """A JSON-LD document with its published ``@context`` (a URL on this server) replaced by
    the context the server serves there: pyoxigraph does not fetch remote contexts."""
    import json

    doc = json.loads(data)
    url = doc["@context"]
    assert isinstance(url, str) and url.endswith("/context.jsonld"), url
    served = client.get("/context.jsonld")
    assert served.status_code == 200 and served.mimetype == "application/ld+json"
    doc["@context"] = served.get_json()["@context"]
    return json.dumps(doc).encode()


def _rdflib(term: object) -> object:
    import pyoxigraph as ox
    from rdflib import BNode, Literal

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    return Literal(
        term.value, lang=term.language, datatype=None if term.language else URIRef(term.datatype.value)
    )


def _error(response: object) -> dict[str, object]:
    body = json.loads(response.data)  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"status", "title", "message"}
    assert body["error"]["status"] == response.status_code  # type: ignore[attr-defined]
    assert "Traceback" not in body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=[f.name for f in RESULT_FORMATS])
def test_select_by_accept(client: FlaskClient, fmt: object) -> None:
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": fmt.media_type})  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{fmt.media_type}; charset=utf-8"  # type: ignore[attr-defined]
    assert "Japan" in response.get_data(as_text=True)
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=[f.name for f in GRAPH_FORMATS])
def test_construct_by_accept(client: FlaskClient, fmt: object) -> None:
    response = client.post(
        "/sparql",
        data=CONSTRUCT,
        content_type="application/sparql-query",
        headers={"Accept": fmt.media_type},  # type: ignore[attr-defined]
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{fmt.media_type}; charset=utf-8"  # type: ignore[attr-defined]
    assert len(_parse(response.data, fmt.media_type)) == 4  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_ask_by_accept(client: FlaskClient, accept: str, media: str) -> None:
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media
    assert b"true" in response.data


@pytest.mark.parametrize(
    ("param", "media"),
    [
        ("json", "application/sparql-results+json"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
    ],
)
def test_format_parameter_wins_over_accept(client: FlaskClient, param: str, media: str) -> None:
    response = client.get(
        "/sparql", query_string={"query": SELECT, "format": param}, headers={"Accept": "text/html"}
    )
    assert response.mimetype == media


def test_quality_values_are_honoured(client: FlaskClient) -> None:
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9"
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.mimetype == "text/csv"


def test_406_when_nothing_fits(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "offered" in _error(response)["message"]  # type: ignore[operator]
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"method": "GET", "query_string": "query=ASK%20%7B&format=json"}, 400),
        ({"method": "GET", "query_string": "query=ASK%7B%7D&query=ASK%7B%7D"}, 400),
        ({"method": "PUT", "query_string": "query=ASK%7B%7D"}, 405),
        ({"method": "DELETE"}, 405),
        ({"method": "POST", "data": "ASK {}", "content_type": "text/plain"}, 415),
        ({"method": "POST", "data": "ASK {}"}, 415),
        (
            {
                "method": "POST",
                "data": "ASK {}".encode("utf-16"),
                "content_type": "application/sparql-query; charset=UTF-16",
            },
            415,
        ),
        (
            {"method": "POST", "data": b"ASK { ?s ?p '\xff' }", "content_type": "application/sparql-query"},
            400,
        ),
        ({"method": "GET", "query_string": "update=CLEAR%20ALL"}, 400),
        ({"method": "POST", "data": {"update": "CLEAR ALL"}}, 403),
        ({"method": "POST", "data": "CLEAR ALL", "content_type": "application/sparql-update"}, 403),
        ({"method": "POST", "data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400),
        ({"method": "GET", "query_string": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> {} }"}}, 400),
        ({"method": "GET", "query_string": {"query": "SELECT * WHERE " + "{" * 300 + "}" * 300}}, 400),
    ],
    ids=[
        "syntax",
        "two-queries",
        "put",
        "delete",
        "text-plain",
        "no-type",
        "utf16",
        "not-utf8",
        "update-get",
        "update-no-token-form",
        "update-no-token-direct",
        "query-and-update",
        "service",
        "too-deep",
    ],
)
def test_wrong_requests_get_the_right_status_in_one_shape(
    client: FlaskClient, kwargs: dict[str, object], status: int
) -> None:
    response = client.open("/sparql", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.data
    _error(response)
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_browsers_get_errors_as_html(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": "ASK {"},
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Traceback" not in response.get_data(as_text=True)


def test_request_size_limit(settings: Settings, engine: object) -> None:
    app = create_app(settings.with_(max_request_bytes=1000), engine=engine)  # type: ignore[arg-type]
    client = app.test_client()
    big = "ASK { " + "?s ?p ?o . " * 200 + "}"
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413
    response = client.get("/sparql", query_string={"query": big})
    assert response.status_code == 413
    _error(response)


def test_truncation_is_announced(settings: Settings, engine: object) -> None:
    client = create_app(settings.with_(max_rows=3), engine=engine).test_client()  # type: ignore[arg-type]
    response = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert response.headers["X-Peninsula-Truncated"] == "true"
    assert response.headers["X-Peninsula-Max-Rows"] == "3"
    body = json.loads(response.data)
    assert body["truncated"] is True and len(body["results"]["bindings"]) == 3
    small = client.get("/sparql", query_string={"query": SELECT + " LIMIT 2"})
    assert "X-Peninsula-Truncated" not in small.headers


def test_protocol_graphs_not_in_the_store_are_empty(client: FlaskClient) -> None:
    """As in Fuseki and Oxigraph's server: a graph the store does not hold is an empty
    graph (never fetched), and the response names it in X-Peninsula-Empty-Graphs."""
    graph = BASE + "graph/reference"
    ok = client.get("/sparql", query_string={"query": "ASK { ?s a ?c }", "default-graph-uri": graph})
    assert ok.status_code == 200 and b"true" in ok.data
    assert "X-Peninsula-Empty-Graphs" not in ok.headers
    empty = client.get(
        "/sparql", query_string={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://127.0.0.1:9/x"}
    )
    assert empty.status_code == 200 and json.loads(empty.data)["boolean"] is False
    assert empty.headers["X-Peninsula-Empty-Graphs"] == "http://127.0.0.1:9/x"
    from_clause = client.get(
        "/sparql", query_string={"query": "SELECT * FROM <http://127.0.0.1:9/y> { ?s ?p ?o }"}
    )
    assert from_clause.status_code == 200 and json.loads(from_clause.data)["results"]["bindings"] == []
    assert from_clause.headers["X-Peninsula-Empty-Graphs"] == "http://127.0.0.1:9/y"


def test_cors_and_preflight(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "http://elsewhere"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Peninsula-Truncated" in response.headers["Access-Control-Expose-Headers"]
    pre = client.options(
        "/sparql",
        headers={
            "Origin": "http://elsewhere",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 204
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert pre.headers["Access-Control-Allow-Headers"] == "content-type"


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=ASK%7B%7D",
        "/sparql",
        "/health",
        "/void",
        "/resource/state/japan",
        "/ontology",
        "/dump/nt",
    ],
)
def test_head_where_get_is_served(client: FlaskClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    get.close()
    head.close()


def test_health(client: FlaskClient) -> None:
    body = client.get("/health").get_json()
    assert body["status"] == "ok" and body["build"] == "data:fixture.trig" and body["triples"] > 100


def test_service_description_negotiates(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.mimetype == "application/ld+json"
    g = _parse(response.data, "application/ld+json")
    assert (
        None,
        URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"),
        URIRef("http://127.0.0.1:8000/sparql"),  # the public URL: the bound address
    ) in g


def test_the_host_header_is_never_reflected(client: FlaskClient) -> None:
    evil = {"Host": "evil.example"}
    for path in ("/sparql", "/void", "/editor"):
        response = client.get(path, headers={**evil, "Accept": "text/turtle"})
        assert response.status_code == 200
        assert b"evil.example" not in response.data, path


@pytest.mark.parametrize("path", ["/void", "/.well-known/void"])
def test_void(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/turtle"})
    g = Graph().parse(data=response.data, format="turtle")
    void = "http://rdfs.org/ns/void#"
    ds = URIRef(BASE + "void#dataset")  # under the base IRI, not the server's address
    assert int(g.value(ds, URIRef(void + "triples"))) > 100  # type: ignore[arg-type]
    assert int(g.value(ds, URIRef(void + "entities"))) > 10  # type: ignore[arg-type]
    assert int(g.value(ds, URIRef(void + "classes"))) > 5  # type: ignore[arg-type]
    assert g.value(ds, URIRef(void + "sparqlEndpoint")) == URIRef("http://127.0.0.1:8000/sparql")
    assert len(list(g.objects(ds, URIRef(void + "dataDump")))) == 4
    sd_name = URIRef("http://www.w3.org/ns/sparql-service-description#name")
    subsets = list(g.objects(ds, URIRef(void + "subset")))
    assert len([s for s in subsets if (s, sd_name, None) in g]) == 3  # the named graphs
    # the fixture's one owl:sameAs to Wikidata, counted in a linkset
    linksets = [s for s in subsets if (s, RDF.type, URIRef(void + "Linkset")) in g]
    assert [int(g.value(s, URIRef(void + "triples"))) for s in linksets] == [1]  # type: ignore[arg-type]
    target = g.value(linksets[0], URIRef(void + "objectsTarget"))
    assert str(g.value(target, URIRef(void + "uriSpace"))) == "http://www.wikidata.org/"
    assert list(g.objects(ds, URIRef(void + "exampleResource")))


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=[f.name for f in GRAPH_FORMATS])
def test_resource_by_accept(client: FlaskClient, fmt: object) -> None:
    response = client.get(
        "/resource/launch/2021-03-21-north-korea-cruise-missile", headers={"Accept": fmt.media_type}
    )  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.mimetype == fmt.media_type  # type: ignore[attr-defined]
    assert "Accept" in response.headers["Vary"]
    data = _inline_context(client, response.data) if fmt.name == "jsonld" else response.data  # type: ignore[attr-defined]
    g = _parse(data, fmt.media_type)  # type: ignore[attr-defined]
    launch = URIRef(BASE + "resource/launch/2021-03-21-north-korea-cruise-missile")
    state = URIRef(BASE + "resource/state/north-korea")
    assert (launch, URIRef(BASE + "ontology#launchingState"), state) in g
    labels = list(g.objects(state, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert [str(x) for x in labels] == ["North Korea"]  # linked nodes come with their labels


def test_resource_html_and_404(client: FlaskClient) -> None:
    html = client.get("/resource/state/japan", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html" and "Japan" in html.get_data(as_text=True)
    missing = client.get("/resource/state/atlantis", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404
    _error(missing)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=[f.name for f in GRAPH_FORMATS])
def test_ontology_in_every_rdf_format(client: FlaskClient, fmt: object) -> None:
    response = client.get("/ontology", headers={"Accept": fmt.media_type})  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.mimetype == fmt.media_type  # type: ignore[attr-defined]
    data = _inline_context(client, response.data) if fmt.name == "jsonld" else response.data  # type: ignore[attr-defined]
    g = _parse(data, fmt.media_type)  # type: ignore[attr-defined]
    assert (URIRef(BASE + "ontology#MissileLaunch"), None, None) in g


def test_ontology_html(client: FlaskClient) -> None:
    response = client.get("/ontology", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "MissileLaunch" in response.get_data(as_text=True)
    response.close()


@pytest.mark.parametrize(
    ("name", "parse", "named"),
    [("trig", "trig", True), ("nq", "nquads", True), ("ttl", "turtle", False), ("nt", "nt", False)],
)
def test_dumps(client: FlaskClient, name: str, parse: str, named: bool) -> None:
    response = client.get(f"/dump/{name}")
    assert response.status_code == 200
    data = response.get_data()
    response.close()
    import pyoxigraph as ox

    quads = list(ox.parse(data, format=ox.RdfFormat.from_extension(name)))
    graphs = {str(q.graph_name) for q in quads}
    if named:
        assert f"<{BASE}graph/reference>" in graphs and len(graphs) == 3
    else:
        assert graphs == {"DEFAULT"} and len(quads) > 100
    assert client.get("/dump/csv").status_code == 404


def test_graph_store_reads_and_refuses_writes_without_token(client: FlaskClient) -> None:
    response = client.get(
        "/graphs", query_string={"graph": BASE + "graph/runs"}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200 and b"ExtractionRun" in response.data
    assert client.get("/graphs", query_string={"graph": "http://nowhere/"}).status_code == 404
    assert (
        client.put("/graphs?default", data="<a:b> <a:c> <a:d> .", content_type="text/turtle").status_code
        == 403
    )


@pytest.fixture
def writable() -> Iterator[Flask]:
    settings = Settings.load({"update_token": "s3cret", "query_workers": 1}, env={})
    app = create_app(settings, data=[FIXTURE])
    yield app
    close_app(app)


def test_updates_and_graph_store_with_token(writable: Flask) -> None:
    client = writable.test_client()
    auth = {"Authorization": "Bearer s3cret"}
    wrong = client.post("/sparql", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "Bearer" in wrong.headers["WWW-Authenticate"]
    insert = "INSERT DATA { GRAPH <http://ex/new> { <http://ex/a> <http://ex/p> 42 } }"
    assert (
        client.post(
            "/sparql", data=insert, content_type="application/sparql-update", headers=auth
        ).status_code
        == 204
    )
    ask = client.get(
        "/sparql", query_string={"query": "ASK { GRAPH <http://ex/new> { <http://ex/a> <http://ex/p> 42 } }"}
    )
    assert json.loads(ask.data)["boolean"] is True
    put = client.put(
        "/graphs?graph=http://ex/g2",
        data="<http://ex/s> <http://ex/p> <http://ex/o> .",
        content_type="text/turtle",
        headers=auth,
    )
    assert put.status_code == 201
    got = client.get("/graphs?graph=http://ex/g2", headers={"Accept": "application/n-triples"})
    assert got.data.strip() == b"<http://ex/s> <http://ex/p> <http://ex/o> ."
    assert client.delete("/graphs?graph=http://ex/g2", headers=auth).status_code == 204
    assert client.get("/graphs?graph=http://ex/g2").status_code == 404
    refused = client.post("/sparql", data={"update": "LOAD <http://127.0.0.1:9/x.ttl>"}, headers=auth)
    assert refused.status_code == 400 and "LOAD" in _error(refused)["message"]  # type: ignore[operator]

"""``kg serve`` on the remote store keeps the embedded store's guarantees: the protocol's
content negotiation, the row cap, the time limit, the SSRF refusals, the error shape and
the canned-query pages. Through real apps (Flask's test client, one app on the remote
engine and one on the same build's on-disk store) and one real ``kg serve`` process on
loopback, read with SPARQLWrapper as a client would."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from live_helpers import LiveServer, start_live_server
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
from test_live import CROSS, Canary
from virtuoso_server import VirtuosoServer

from kg.engine.remote.engine import RemoteEngine
from kg.settings import Settings
from server.app import close_app, create_app

pytestmark = pytest.mark.virtuoso

ORDERED = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _client(settings: Settings) -> Iterator[FlaskClient]:
    app = create_app(settings)
    app.config["TESTING"] = True
    try:
        yield app.test_client()
    finally:
        close_app(app)


@pytest.fixture(scope="module")
def remote(published: Settings) -> Iterator[FlaskClient]:
    """The app on the remote store, with a row cap of 5 and a time limit of 1 s."""
    yield from _client(published.with_(max_rows=5, query_timeout_s=1.0))


@pytest.fixture(scope="module")
def local(published: Settings) -> Iterator[FlaskClient]:
    """The app on the same build's on-disk store, with the same limits."""
    yield from _client(published.with_(store_endpoint="", max_rows=5, query_timeout_s=1.0))


def test_the_app_answers_from_the_remote_store(remote: FlaskClient) -> None:
    state = remote.application.extensions["peninsula"]
    assert isinstance(state.engine, RemoteEngine)


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_results_negotiated_as_the_embedded_store_does(
    remote: FlaskClient, local: FlaskClient, accept: str
) -> None:
    got = remote.get("/sparql", query_string={"query": ORDERED}, headers={"Accept": accept})
    want = local.get("/sparql", query_string={"query": ORDERED}, headers={"Accept": accept})
    assert got.status_code == want.status_code == 200
    assert got.mimetype == want.mimetype == accept
    assert got.data == want.data


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES)],
)
def test_graphs_negotiated(remote: FlaskClient, published: Settings, accept: str, fmt: ox.RdfFormat) -> None:
    """A CONSTRUCT in Turtle and N-Triples: the same graph as the embedded store (without
    the row cap: a graph is cut by triples, in an order SPARQL leaves open)."""
    apps = [create_app(published.with_(store_endpoint=e)) for e in (published.store_endpoint, "")]
    try:
        graphs = []
        for app in apps:
            response = app.test_client().get(
                "/sparql", query_string={"query": GRAPH}, headers={"Accept": accept}
            )
            assert response.status_code == 200 and response.mimetype == accept
            graphs.append(set(ox.parse(response.data, format=fmt)))
    finally:
        for app in apps:
            close_app(app)
    assert graphs[0] == graphs[1] and graphs[0]


def test_row_cap_cuts_and_says_so(remote: FlaskClient, local: FlaskClient) -> None:
    got = remote.get(
        "/sparql", query_string={"query": ORDERED}, headers={"Accept": "application/sparql-results+json"}
    )
    want = local.get(
        "/sparql", query_string={"query": ORDERED}, headers={"Accept": "application/sparql-results+json"}
    )
    assert got.headers["X-Peninsula-Truncated"] == "true" and got.headers["X-Peninsula-Max-Rows"] == "5"
    body = json.loads(got.data)
    assert body["truncated"] is True and len(body["results"]["bindings"]) == 5
    assert got.data == want.data


def test_a_slow_query_is_the_timeout_error(remote: FlaskClient) -> None:
    """Virtuoso's partial "anytime" answer is never passed on: the project's 503."""
    response = remote.get("/sparql", query_string={"query": CROSS}, headers={"Accept": "application/json"})
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["title"] == "Query Timeout" and "limit of 1 s" in error["message"]


def test_service_and_load_are_refused_before_the_store_sees_them(remote: FlaskClient) -> None:
    """The query core refuses SERVICE and LOAD; Virtuoso, which would federate, never
    receives them (a listener at the named address records no request)."""
    canary = Canary()
    try:
        queries = [
            f"SELECT * {{ SERVICE <{canary.url}sparql> {{ ?s ?p ?o }} }}",
            f"ASK {{ SERVICE SILENT <{canary.url}> {{ }} }}",
        ]
        for text in queries:
            response = remote.get(
                "/sparql", query_string={"query": text}, headers={"Accept": "application/json"}
            )
            assert response.status_code == 400, response.data
            assert response.get_json()["error"]["title"] == "Query Refused"
        update = remote.post(
            "/sparql", data={"update": f"LOAD <{canary.url}data.ttl>"}, headers={"Accept": "application/json"}
        )
        assert update.status_code in (400, 401, 403)
        assert canary.hits == []
    finally:
        canary.close()


def test_a_malformed_query_is_a_400_with_the_embedded_parsers_message(
    remote: FlaskClient, local: FlaskClient
) -> None:
    """Whose parser: the query core checks brackets, sizes and SERVICE first; then the
    remote engine parses with Oxigraph's parser (the embedded engine's) before sending, so
    the 400 is the same on both backends, positions in the client's text. Virtuoso's own
    parser never answers: it would speak of the LIMIT the core appends."""
    for text in ("SELECT ?s WHERE { ?s ?p }", "SELECT * WHERE { ?s ?p ?o"):
        got, want = (
            c.get("/sparql", query_string={"query": text}, headers={"Accept": "application/json"})
            for c in (remote, local)
        )
        assert got.status_code == want.status_code == 400
        assert got.get_json() == want.get_json()
        error = got.get_json()["error"]
        assert error["title"] == "Bad Request" and error["message"].startswith("error at 1:")


def test_a_canned_query_page(remote: FlaskClient, local: FlaskClient) -> None:
    for accept in ("application/sparql-results+json", "text/html"):
        got = remote.get("/queries/cq-class-counts", headers={"Accept": accept})
        want = local.get("/queries/cq-class-counts", headers={"Accept": accept})
        assert got.status_code == want.status_code == 200, got.data[:500]
        assert got.mimetype == want.mimetype
    rows = [
        json.loads(
            c.get("/queries/cq-class-counts", headers={"Accept": "application/sparql-results+json"}).data
        )
        for c in (remote, local)
    ]
    assert rows[0] == rows[1] and rows[0]["results"]["bindings"]


@pytest.fixture(scope="module")
def served(published: Settings, virtuoso: VirtuosoServer) -> Iterator[LiveServer]:
    """A real ``kg serve`` process reading the remote store (no update credentials)."""
    server = start_live_server(
        store=published.store,
        env={"PENINSULA_STORE_ENDPOINT": virtuoso.store, "PENINSULA_QUERY_TIMEOUT_S": "1"},
    )
    yield server
    server.stop()


def test_kg_serve_answers_a_sparql_client(served: LiveServer, local: FlaskClient) -> None:
    client = SPARQLWrapper(served.sparql)
    client.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    client.setReturnFormat(JSON)
    got = client.queryAndConvert()
    want = json.loads(
        local.get(
            "/sparql",
            query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        ).data
    )
    assert got == want
    client.setQuery(GRAPH)
    client.setReturnFormat(TURTLE)
    turtle = client.queryAndConvert()
    assert len(set(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == int(
        want["results"]["bindings"][0]["n"]["value"]
    )

"""What real clients see from a real ``kg serve`` process: no outbound requests (a canary
listener on loopback must never be contacted), a time limit that stops a runaway query
while others are answered, crash-proofing, and interoperability with SPARQLWrapper and
rdflib's SPARQLStore."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from live_helpers import BASE, FIXTURE, LiveServer
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

pytestmark = pytest.mark.live
TOKEN = "live-test-token"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"


class Canary:
    """A loopback HTTP listener that records every request it receives."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.hits = hits
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


@pytest.fixture(scope="module")
def guarded() -> Iterator[LiveServer]:
    """A server with an update token and a 2 s time limit."""
    from live_helpers import start_live_server

    server = start_live_server(
        data=[FIXTURE], env={"PENINSULA_UPDATE_TOKEN": TOKEN, "PENINSULA_QUERY_TIMEOUT_S": "2"}
    )
    yield server
    server.stop()


def test_the_canary_works(canary: Canary) -> None:
    assert requests.get(canary.url + "probe", timeout=5).status_code == 200
    assert canary.hits == ["/probe"]
    canary.hits.clear()


def test_no_query_or_update_makes_the_server_fetch(guarded: LiveServer, canary: Canary) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    attempts = [
        {"params": {"query": f"SELECT * {{ SERVICE <{canary.url}sparql> {{ ?s ?p ?o }} }}"}},
        {"params": {"query": f"SELECT * {{ SERVICE SILENT <{canary.url}> {{ ?s ?p ?o }} }}"}},
        {"data": {"update": f"LOAD <{canary.url}data.ttl>"}, "headers": auth},
        {"data": {"update": f"LOAD SILENT <{canary.url}data.ttl> INTO GRAPH <http://ex/g>"}, "headers": auth},
        {
            "data": {"update": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}"},
            "headers": auth,
        },
    ]
    for kwargs in attempts:
        method = "POST" if "data" in kwargs else "GET"
        response = requests.request(method, guarded.sparql, timeout=10, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 400, (kwargs, response.text)
        assert response.json()["error"]["title"] == "Query Refused"
    # a dataset naming a graph the store does not hold reads it as empty, never fetched
    empty = [
        {"query": f"SELECT * FROM <{canary.url}x> {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{canary.url}x> {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": canary.url + "d"},
        {"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": canary.url + "n"},
    ]
    for params in empty:
        response = requests.get(guarded.sparql, params=params, timeout=10)
        assert response.status_code == 200, (params, response.text)
        assert response.json()["results"]["bindings"] == []
        assert canary.url in response.headers["X-Peninsula-Empty-Graphs"]
    time.sleep(0.2)
    assert canary.hits == []


def test_a_runaway_query_is_stopped_while_others_are_served(guarded: LiveServer) -> None:
    slow: list[requests.Response] = []
    thread = threading.Thread(
        target=lambda: slow.append(requests.get(guarded.sparql, params={"query": CROSS}, timeout=60))
    )
    started = time.monotonic()
    thread.start()
    time.sleep(0.3)
    for _ in range(3):
        t = time.monotonic()
        quick = requests.get(guarded.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        assert time.monotonic() - t < 1.5
    thread.join(60)
    assert slow and slow[0].status_code == 503
    assert "limit of 2 s" in slow[0].json()["error"]["message"]
    assert time.monotonic() - started < 15
    assert requests.get(guarded.url + "health", timeout=10).status_code == 200


def test_queries_that_would_crash_the_engine_never_reach_it(guarded: LiveServer) -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    response = requests.post(guarded.sparql, data={"query": deep}, timeout=10)
    assert response.status_code == 400 and "nests brackets" in response.json()["error"]["message"]
    assert requests.get(guarded.url + "health", timeout=10).json()["status"] == "ok"


def test_update_needs_the_token_and_works_with_it(guarded: LiveServer) -> None:
    update = "INSERT DATA { GRAPH <http://ex/live> { <http://ex/s> <http://ex/p> 'x' } }"
    assert requests.post(guarded.sparql, data={"update": update}, timeout=10).status_code == 401
    ok = requests.post(
        guarded.sparql, data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
    )
    assert ok.status_code == 204
    ask = requests.get(
        guarded.sparql, params={"query": "ASK { GRAPH <http://ex/live> { ?s ?p 'x' } }"}, timeout=10
    )
    assert ask.json()["boolean"] is True


# --------------------------------------------------------------------- clients

SELECT = f"SELECT ?s ?label WHERE {{ ?s a <{BASE}ontology#State> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }} ORDER BY ?label"
ASK = f"ASK {{ <{BASE}resource/state/japan> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT WHERE {{ ?s a <{BASE}ontology#State> }}"
DESCRIBE = f"DESCRIBE <{BASE}resource/state/japan>"


def _wrapper(server: LiveServer, query: str, fmt: str, method: str) -> SPARQLWrapper:
    w = SPARQLWrapper(server.sparql)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    if method == "POST":
        w.setMethod(POST)
    return w


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV])
def test_sparqlwrapper_select(live_server: LiveServer, method: str, fmt: str) -> None:
    result = _wrapper(live_server, SELECT, fmt, method).query().convert()
    if fmt == JSON:
        labels = [b["label"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    elif fmt == XML:
        labels = [
            n.firstChild.firstChild.data
            for n in result.getElementsByTagName("binding")
            if n.getAttribute("name") == "label"
        ]  # type: ignore[union-attr]
    else:
        labels = [line.split(",")[-1] for line in result.decode().splitlines()[1:]]  # type: ignore[union-attr]
    assert labels == ["Japan", "North Korea", "South Korea", "United States"]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(live_server: LiveServer, method: str, fmt: str) -> None:
    result = _wrapper(live_server, ASK, fmt, method).query().convert()
    value = (
        result["boolean"]
        if fmt == JSON
        else result.getElementsByTagName("boolean")[0].firstChild.data == "true"
    )  # type: ignore[index,union-attr]
    assert value is True


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("fmt", [TURTLE, XML])
def test_sparqlwrapper_graphs(live_server: LiveServer, method: str, query: str, fmt: str) -> None:
    response = _wrapper(live_server, query, fmt, method).query()
    # read the body ourselves: SPARQLWrapper's RDF/XML convert() uses rdflib's deprecated ConjunctiveGraph
    body = response.response.read()
    assert response.response.headers["Content-Type"].startswith(
        "text/turtle" if fmt == TURTLE else "application/rdf+xml"
    )
    g = Graph().parse(data=body, format="turtle" if fmt == TURTLE else "xml")
    assert (URIRef(BASE + "resource/state/japan"), None, None) in g


def test_rdflib_sparqlstore(live_server: LiveServer) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(live_server.sparql)  # asks for SPARQL XML or RDF/XML
    g = Graph(store=store)
    rows = list(g.query(SELECT))
    assert [str(r[1]) for r in rows] == ["Japan", "North Korea", "South Korea", "United States"]  # type: ignore[index]
    assert g.query(ASK).askAnswer is True
    assert len(g.query(CONSTRUCT).graph) == 4  # type: ignore[arg-type]
    store.close()


def test_serve_over_a_store_builds_nothing_when_one_is_published(
    tmp_path: object, start_server: Callable[..., LiveServer]
) -> None:
    from pathlib import Path

    from live_helpers import make_store

    store = Path(str(tmp_path)) / "store"
    make_store(store, [FIXTURE])
    server = start_server(store=store)
    health = requests.get(server.url + "health", timeout=10).json()
    assert health["triples"] > 100 and health["build"] != "none"


def test_entity_page_under_data_files_shows_label_and_source_sentence(live_server: LiveServer) -> None:
    """The UI reads through the server's query engine, so `kg serve --data` files get the
    full entity page: its label and the article sentence a fact came from, highlighted."""
    response = requests.get(
        live_server.url + "resource/state/north-korea", headers={"Accept": "text/html"}, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    html = response.text
    assert "<h1" in html and "North Korea</h1>" in html
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "North Korea fired two cruise missiles on Sunday, officials said." in words
    assert re.search(r'<mark[^>]*class="[^"]*hl-fact[^"]*"[^>]*>fired two cruise missiles</mark>', html)
    missing = requests.get(
        live_server.url + "resource/state/atlantis", headers={"Accept": "text/html"}, timeout=30
    )
    assert missing.status_code == 404


def test_the_endpoint_honours_the_federation_allow_list(canary: Canary, tmp_path: object) -> None:
    """SERVICE to an endpoint on the operator's allow-list reaches the engine (which then
    calls it); any other SERVICE is refused before the engine sees it."""
    from kg.settings import Settings
    from server.app import close_app, create_app

    settings = Settings.load({"store": str(tmp_path), "federation_allow_list": canary.url}, env={})
    app = create_app(settings, data=[FIXTURE])
    try:
        client = app.test_client()
        refused = client.get(
            "/sparql", query_string={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> {} }"}
        )
        assert refused.status_code == 400 and "allow-list" in refused.get_json()["error"]["message"]
        client.get("/sparql", query_string={"query": f"SELECT * {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}"})
        assert canary.hits, "the allowed endpoint was never called"
    finally:
        close_app(app)


def test_serve_says_where_to_point_a_browser(live_server: LiveServer) -> None:
    said = "".join(live_server.output)
    assert f"open {live_server.url} in a browser" in said
    assert f"SPARQL endpoint: {live_server.url}sparql" in said


def test_serve_stops_with_the_reason_when_the_data_cannot_be_loaded(tmp_path: object) -> None:
    """The workers load the dataset before the server says it listens; one that cannot be
    loaded stops `kg serve` with the reason instead of a server that fails every query."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    bad = Path(str(tmp_path)) / "bad.ttl"
    bad.write_text("this is not Turtle\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--data",
            str(bad),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("PENINSULA_")},
    )
    assert done.returncode == 2
    assert "could not load the dataset" in done.stderr and "listening" not in done.stdout

"""Strict input, security headers, links from data and the update-token throttle, through
Flask's test client (issue 16). The live-process side (slow clients, smuggling, fairness,
memory) is in test_abuse.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from live_helpers import FIXTURE

from kg.engine.oxigraph.pool import WorkerPool
from kg.rdf.terms import iri
from kg.settings import Settings
from server.app import close_app, create_app
from server.hardening import CONTENT_SECURITY_POLICY
from server.serve import token_warning
from server.ui_cells import cell, local_href

TOKEN = "hardening-test-token"
BAD_IRIS = ["not an iri", "http://ex/a b", "<http://ex/>", "http://ex/\u0000", "relative/path", ""]


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("bad", BAD_IRIS)
def test_an_invalid_iri_in_the_dataset_is_a_400_that_never_reaches_a_worker(
    client: FlaskClient, param: str, bad: str
) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}", param: bad})
    assert response.status_code == 400, response.data
    assert "not a valid absolute IRI" in response.get_json()["error"]["message"]
    form = client.post("/sparql", data={"query": "ASK {}", param: bad})
    assert form.status_code == 400
    # the workers are all still there and answer
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


@pytest.mark.parametrize("bad", BAD_IRIS)
def test_an_invalid_graph_iri_in_the_graph_store_protocol_is_a_400(client: FlaskClient, bad: str) -> None:
    response = client.get("/graphs", query_string={"graph": bad})
    assert response.status_code == 400 and "IRI" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=ASK%20%7B%7D%FF",
        "/sparql?query=ASK%20%7B%7D&default-graph-uri=http://ex/%C3",
        "/queries/cq01-launches?x=%FF",
        "/resource/%FF",
    ],
)
def test_invalid_utf8_in_a_get_is_a_400(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400, path
    assert "UTF-8" in response.get_json()["error"]["message"]


def test_invalid_utf8_in_a_form_or_a_direct_post_is_a_400(client: FlaskClient) -> None:
    form = client.post(
        "/sparql", data=b"query=ASK%20%7B%7D%FF", content_type="application/x-www-form-urlencoded"
    )
    assert form.status_code == 400 and "UTF-8" in form.get_json()["error"]["message"]
    direct = client.post("/sparql", data=b"ASK {} \xff", content_type="application/sparql-query")
    assert direct.status_code == 400
    fine = client.post("/sparql", data={"query": "ASK { FILTER('é' = 'é') }"})
    assert fine.status_code == 200 and json.loads(fine.data)["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "ASK { FILTER(" + " || ".join(["false"] * 10_000) + ") }",
        "SELECT (" + " + ".join(["1"] * 10_000) + " AS ?x) {}",
        "SELECT * {" + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + "}",
        "SELECT * { ?s ?p ?o " + " ".join(f"OPTIONAL {{ ?s ?p ?o{i} }}" for i in range(3_000)) + "}",
        "SELECT * { ?s " + "/".join(["<http://ex/p>"] * 1_000) + " ?o }",
        "SELECT * {" + " . ".join(f"?s{i} ?p ?o" for i in range(500)) + "}",
    ],
    ids=["or-chain", "plus-chain", "unions", "optionals", "path", "patterns"],
)
def test_flat_chains_are_refused_before_the_engine(client: FlaskClient, query: str) -> None:
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert response.get_json()["error"]["title"] == "Query Refused"
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


@pytest.mark.parametrize(
    "path", ["/", "/sparql?query=ASK%7B%7D", "/health", "/editor", "/nowhere", "/dump/ttl"]
)
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY  # no inline or eval'd scripts
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    response.close()


@pytest.mark.parametrize("path", ["//sparql", "/queries//cq01-launches", "/resource//state/japan"])
def test_redirects_do_not_reflect_the_host_header(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 308
    assert response.headers["Location"].startswith("http://127.0.0.1:8000/")
    assert "evil.example" not in response.headers["Location"]


def test_the_turtle_dump_names_its_charset_once(client: FlaskClient) -> None:
    response = client.get("/dump/ttl")
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    response.close()


def test_only_http_iris_from_the_data_are_rendered_as_links() -> None:
    base = "https://w3id.org/peninsula/"
    assert local_href("javascript:alert(1)", base) == ""
    assert local_href("JavaScript:alert(1)", base) == ""
    assert local_href("data:text/html,<script>alert(1)</script>", base) == ""
    assert local_href("https://www.wikidata.org/wiki/Q1", base) == "https://www.wikidata.org/wiki/Q1"
    assert local_href(base + "resource/state/japan", base) == "/resource/state/japan"
    assert cell(iri("javascript:alert(1)"), {}, base)["href"] == ""


@pytest.fixture
def xss_app(settings: Settings, tmp_path: Path) -> Iterator[Flask]:
    """An app over the fixture plus a triple whose object is a javascript: IRI."""
    extra = tmp_path / "xss.trig"
    extra.write_text(
        "<https://w3id.org/peninsula/graph/xss> {\n"
        "  <https://w3id.org/peninsula/resource/state/japan> <http://www.w3.org/2002/07/owl#sameAs>"
        " <javascript:alert(document.domain)> ;\n"
        "    <http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(2)> .\n}\n",
        encoding="utf-8",
    )
    app = create_app(settings, data=[FIXTURE, extra])
    app.config["TESTING"] = True
    yield app
    close_app(app)


def test_a_javascript_iri_in_the_data_is_no_link_on_a_resource_page(xss_app: Flask) -> None:
    page = xss_app.test_client().get("/resource/state/japan", headers={"Accept": "text/html"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "javascript:alert" in html  # shown as text
    assert 'href="javascript:' not in html.lower()


def test_a_token_on_a_public_address_without_tls_warns(settings: Settings) -> None:
    with_token = settings.with_(update_token=TOKEN)
    assert token_warning(with_token, "0.0.0.0")
    assert token_warning(with_token, "192.0.2.10")
    assert token_warning(with_token, "127.0.0.1") is None
    assert token_warning(with_token, "::1") is None
    assert token_warning(with_token.with_(public_url="https://kg.example/"), "0.0.0.0") is None
    assert token_warning(settings, "0.0.0.0") is None  # no token, nothing to leak


@pytest.fixture
def token_app(settings: Settings, engine: WorkerPool) -> Iterator[Flask]:
    app = create_app(settings.with_(update_token=TOKEN, token_failures_per_minute=5), engine=engine)
    app.config["TESTING"] = True
    yield app
    close_app(app)


def test_wrong_tokens_are_logged_without_the_token_and_then_refused(
    token_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = token_app.test_client()
    wrong = "not-the-token-" + "x" * 20
    statuses = []
    with caplog.at_level("WARNING", logger="peninsula.security"):
        for _ in range(8):
            response = client.delete(
                "/graphs?graph=http://ex/g", headers={"Authorization": f"Bearer {wrong}"}
            )
            statuses.append(response.status_code)
    assert statuses == [401] * 5 + [429] * 3
    assert int(response.headers["Retry-After"]) > 0
    logged = caplog.text
    assert "wrong or missing update token from 127.0.0.1" in logged
    assert wrong not in logged and TOKEN not in logged
    # the right token from that address is refused too until the minute is over
    right = client.delete("/graphs?graph=http://ex/g", headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status_code == 429
    # another address is not affected
    other = client.delete(
        "/graphs?graph=http://ex/g",
        headers={"Authorization": f"Bearer {wrong}"},
        environ_base={"REMOTE_ADDR": "127.0.0.2"},
    )
    assert other.status_code == 401

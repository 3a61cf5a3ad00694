"""/queries and /queries/<name> through Flask's test client, over an in-memory copy of the
canned-query fixture (tests/test_kg/test_canned.py) served by a LocalEngine."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.engine.oxigraph.pool import LocalEngine
from kg.settings import Settings
from server.app import create_app


def _fixture_module() -> ModuleType:
    """The canned-query fixture of tests/test_kg/test_canned.py (tests are not a package)."""
    path = Path(__file__).resolve().parent.parent / "test_kg" / "test_canned.py"
    spec = importlib.util.spec_from_file_location("canned_query_fixture", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_FIXTURE = _fixture_module()
ISSUE_QUERIES: dict[str, str] = _FIXTURE.ISSUE_QUERIES
LAUNCH: str = _FIXTURE.LAUNCH
_dataset = _FIXTURE._dataset

SRJ = "application/sparql-results+json"


@pytest.fixture(scope="module")
def canned_app() -> Iterator[Flask]:
    store = ox.Store()
    for q in _dataset():
        store.add(q)
        store.add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
    app = create_app(Settings.load(env={}), engine=LocalEngine(store))
    app.config["TESTING"] = True
    yield app


@pytest.fixture
def web(canned_app: Flask) -> FlaskClient:
    return canned_app.test_client()


def test_listing_as_json(web: FlaskClient) -> None:
    for response in (
        web.get("/queries?format=json"),
        web.get("/queries", headers={"Accept": "application/json"}),
    ):
        assert response.status_code == 200
        listing = {q["name"]: q for q in response.get_json()["queries"]}
        assert set(ISSUE_QUERIES) <= set(listing)
        cq11 = listing["cq11-events-before"]
        assert cq11["url"] == "/queries/cq11-events-before"
        assert cq11["key"] == ["item"]  # the column that identifies one answer (one row each)
        assert [(p["name"], p["type"], p["default"]) for p in cq11["params"]] == [
            ("date", "xsd:date", "2021-03-23"),
            ("days", "xsd:nonNegativeInteger", "7"),
        ]


def test_listing_as_html(web: FlaskClient) -> None:
    response = web.get("/queries", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Missile launches" in page and "/queries/cq01-launches" in page


def test_run_with_parameters_as_sparql_json(web: FlaskClient) -> None:
    response = web.get("/queries/cq11-events-before?date=2021-03-23&days=2", headers={"Accept": SRJ})
    assert response.status_code == 200 and response.mimetype == SRJ
    data = response.get_json()
    assert data["head"]["vars"] == ISSUE_QUERIES["cq11-events-before"].split()
    assert {b["item"]["value"] for b in data["results"]["bindings"]} == {LAUNCH}


@pytest.mark.parametrize(
    ("accept", "fmt", "mimetype"),
    [
        ("text/csv", None, "text/csv"),
        (None, "tsv", "text/tab-separated-values"),
        (None, "xml", "application/sparql-results+xml"),
    ],
)
def test_any_result_format(web: FlaskClient, accept: str | None, fmt: str | None, mimetype: str) -> None:
    url = "/queries/cq16-articles" + (f"?format={fmt}" if fmt else "")
    response = web.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == mimetype
    if mimetype == "text/csv":
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0] == ISSUE_QUERIES["cq16-articles"].split() and len(rows) == 3


def test_construct_as_turtle(web: FlaskClient) -> None:
    response = web.get("/queries/cq-wikidata-holdings", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert list(ox.parse(response.get_data(as_text=True), format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("date=2021-13-01", "date"),
        ("days=-3", "days"),
        ("date=2021-01-01%22%20%7D%20%3B%20DROP%20ALL", "date"),
        ("nope=1", "nope"),
    ],
)
def test_bad_parameter_is_a_400_naming_it(web: FlaskClient, query: str, param: str) -> None:
    response = web.get(f"/queries/cq11-events-before?{query}", headers={"Accept": SRJ})
    assert response.status_code == 400
    error = json.loads(response.get_data(as_text=True))["error"]
    assert f"parameter '{param}'" in error["message"]


def test_unknown_query_is_404_and_unacceptable_format_406(web: FlaskClient) -> None:
    assert web.get("/queries/no-such-query", headers={"Accept": SRJ}).status_code == 404
    assert web.get("/queries/cq16-articles", headers={"Accept": "image/png"}).status_code == 406


def test_html_page_runs_the_query_and_shows_errors(web: FlaskClient) -> None:
    ok = web.get("/queries/cq11-events-before?days=2", headers={"Accept": "text/html"})
    assert ok.status_code == 200 and ok.mimetype == "text/html"
    assert "2021-03-21-dprk" in ok.get_data(as_text=True)
    bad = web.get("/queries/cq11-events-before?days=many", headers={"Accept": "text/html"})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True).replace("&#39;", "'").replace("&#x27;", "'")
    assert "parameter 'days'" in page


@pytest.mark.parametrize("name", sorted(ISSUE_QUERIES))
def test_every_query_page_renders_with_no_raw_iri_in_its_table(web: FlaskClient, name: str) -> None:
    """Each gallery page runs its query; an IRI, alone or in a joined cell, is a link (shown
    by its label where it has one), never plain text in the cell."""
    response = web.get(f"/queries/{name}", headers={"Accept": "text/html"})
    assert response.status_code == 200, name
    page = response.get_data(as_text=True)
    table = (
        page.split('<table class="results">', 1)[1].split("</table>", 1)[0]
        if '<table class="results">' in page
        else ""
    )
    cells = re.findall(r"<td>(.*?)</td>", table, re.S)
    assert cells or "No results." in page, name
    unlinked = [re.sub(r"<[^>]*>", "", re.sub(r"<a [^>]*>.*?</a>", "", cell)) for cell in cells]
    assert all("://" not in text for text in unlinked), (name, unlinked)


def test_a_joined_cell_links_each_of_its_iris(web: FlaskClient) -> None:
    """cq01 lists the fixture's launch once; the two weapon classes its articles give are
    one cell of two links to the ontology, in IRI order."""
    page = web.get("/queries/cq01-launches", headers={"Accept": "text/html"}).get_data(as_text=True)
    rows = re.findall(r"<tr><td>.*?</tr>", page, re.S)
    assert len(rows) == 1
    cell = re.findall(r"<td>(.*?)</td>", rows[0], re.S)[4]  # weapon_class
    assert re.findall(r'<a href="([^"]+)"', cell) == [
        "/ontology#CruiseMissile",
        "/ontology#ShortRangeMissile",
    ]
    assert re.sub(r"<[^>]*>", "", cell) == "cruise missile; short-range missile"  # their labels

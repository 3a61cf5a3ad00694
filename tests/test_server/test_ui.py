"""The web UI through Flask's test client: pages render server-side from the store, with
accessible markup, readable facts grounded in highlighted sentences, and the JSON behind
the network view. Data: tests/data/ui/fixture.trig (one article about a launch and a
meeting, plus reference data) loaded into a temporary published build."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.engine.oxigraph.store import new_build_dir, publish, write_build
from kg.kinds import sentences
from kg.rdf.terms import iri, literal
from kg.settings import Settings
from server import create_app
from server.app import close_app
from server.entity_pages import entity_html
from server.pages import (
    ParamField,
    QueryEntry,
    ResultTable,
    error_html,
    query_index_html,
    query_page,
)
from server.ui_facts import EVENT_CLASSES, describe
from server.ui_read import Node

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "ui" / "fixture.trig"
BASE = "https://w3id.org/peninsula/"
RES = BASE + "resource/"


def build_store(store_dir: Path) -> Path:
    """Publish the fixture dataset and the ontology as one build of ``store_dir``."""
    quads = list(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    ontology = ox.NamedNode(BASE + "graph/ontology")
    for triple in ox.parse(path=str(ROOT / "ontology" / "peninsula.ttl"), format=ox.RdfFormat.TURTLE):
        quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, ontology))
    build = new_build_dir(store_dir)
    write_build(build, quads)
    publish(store_dir, build)
    return store_dir


@pytest.fixture(scope="module")
def ui_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("ui-store"))


@pytest.fixture(scope="module")
def ui_app(ui_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    queries = tmp_path_factory.mktemp("queries")
    (queries / "cq99-example.rq").write_text(
        "# title: Every launch\nPREFIX pen: <https://w3id.org/peninsula/ontology#>\n"
        "SELECT ?launch WHERE { ?launch a pen:MissileLaunch }\n",
        encoding="utf-8",
    )
    app = create_app(Settings.load({"store": ui_store, "queries_dir": queries}, env={}))
    app.testing = True
    yield app
    close_app(app)


@pytest.fixture
def ui_client(ui_app: Flask) -> FlaskClient:
    return ui_app.test_client()


class _Outline(HTMLParser):
    """Collects what accessibility checks need: the html lang, landmarks, images without
    alt, inputs and the ids of their labels."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.tags: list[str] = []
        self.inputs: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.images_without_alt = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit"}:
            self.inputs.append(a)
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"] or "")
        if tag == "img" and "alt" not in a:
            self.images_without_alt += 1


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def text_of(html: str) -> str:
    """The page's words without tags, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize(
    "path", ["/", "/editor", "/timeline", "/network", "/articles", "/article/fixture-launch"]
)
def test_pages_are_accessible_html(ui_client: FlaskClient, path: str) -> None:
    response = ui_client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = outline(response.get_data(as_text=True))
    assert page.lang == "en"
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in page.tags, f"{path} lacks <{landmark}>"
    assert page.images_without_alt == 0
    for field in page.inputs:
        assert field.get("id") in page.label_for, f"{path}: input {field} has no label"


def test_home_shows_the_size_of_the_graph_from_the_store(ui_client: FlaskClient, ui_store: Path) -> None:
    store = ox.Store.read_only(str((ui_store / "current").resolve()))
    triples = len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    html = ui_client.get("/").get_data(as_text=True)
    assert re.search(rf'id="stat-triples">{triples:,}<', html)
    assert re.search(r'id="stat-articles">1<', html)
    assert re.search(r'id="stat-events">2<', html)  # the launch and the talks
    assert "North Korea fires cruise missiles" in html
    for link in (
        'href="/editor"',
        'href="/queries"',
        'href="/timeline"',
        'href="/network"',
        'href="/ontology"',
    ):
        assert link in html


def test_home_without_a_build_says_how_to_make_one(tmp_path: Path) -> None:
    app = create_app(Settings.load({"store": tmp_path / "empty", "query_workers": 1}, env={}))
    try:
        response = app.test_client().get("/")
        assert response.status_code == 200
        assert "<code>kg build</code>" in response.get_data(as_text=True)
        assert "No events." in app.test_client().get("/timeline").get_data(as_text=True)
    finally:
        close_app(app)


def test_entity_page_of_a_state_tells_its_facts_in_sentences(ui_app: Flask) -> None:
    with ui_app.test_request_context("/"):
        html = entity_html(RES + "state/north-korea")
    assert html is not None
    words = text_of(html)
    assert "North Korea launched 2 cruise missiles on 2021-03-21 from South Pyongan" in words
    # the sentence the launch came from, with the launch's words and the state's marked
    assert '<mark class="hl-fact">fired two cruise missiles</mark>' in html
    assert '<mark class="hl-entity">North Korea</mark>' in html
    assert 'href="http://www.wikidata.org/entity/Q423"' in html
    assert 'href="/resource/place/south-pyongan"' in html


def test_entity_page_of_a_person_lists_meetings_and_posts(ui_app: Flask) -> None:
    with ui_app.test_request_context("/"):
        html = entity_html(RES + "person/antony-blinken")
    assert html is not None
    words = text_of(html)
    assert "Antony Blinken and Chung Eui-yong held talks in Seoul on 2021-03-18" in words
    assert "Antony Blinken held the post Secretary of State of the United States from 2021-01-26" in words
    assert '<mark class="hl-fact">met</mark>' in html


def test_entity_page_of_an_event_shows_its_own_sentence(ui_app: Flask) -> None:
    with ui_app.test_request_context("/"):
        html = entity_html(RES + "launch/2021-03-21-north-korea-cruise-missile")
    assert html is not None
    assert "What was reported" in html
    assert "South Korean military said of" in text_of(html)  # the claim about it


def test_entity_html_is_none_for_unknown_resources(ui_app: Flask) -> None:
    with ui_app.test_request_context("/"):
        assert entity_html(RES + "person/nobody") is None
        assert entity_html("not an iri") is None


def test_article_page_marks_mentions_and_links_them(ui_client: FlaskClient, ui_app: Flask) -> None:
    html = ui_client.get("/article/fixture-launch").get_data(as_text=True)
    assert (
        '<a class="mark-link" href="/resource/person/antony-blinken" title="Antony Blinken">'
        '<mark class="hl-mention">Antony Blinken</mark></a>'
    ) in html
    assert "8 mentions marked" in html
    assert "Yonhap" in html and "2021-03-23" in html
    with ui_app.test_request_context("/"):
        assert entity_html(RES + "article/fixture-launch") == html
    assert ui_client.get("/article/no-such-article").status_code == 404


def test_timeline_lists_events_by_date_and_filters_by_kind(ui_client: FlaskClient) -> None:
    html = ui_client.get("/timeline").get_data(as_text=True)
    talks, launch = html.index('datetime="2021-03-18"'), html.index('datetime="2021-03-21"')
    assert talks < launch
    only = ui_client.get("/timeline?type=MissileLaunch").get_data(as_text=True)
    assert 'datetime="2021-03-21"' in only and 'datetime="2021-03-18"' not in only


def test_network_json_links_meetings_to_participants(ui_client: FlaskClient) -> None:
    data = ui_client.get("/network.json").get_json()
    nodes = {n["data"]["id"]: n["data"] for n in data["nodes"]}
    meeting = RES + "meeting/2021-03-18-antony-blinken-chung-eui-yong"
    assert nodes[meeting]["kind"] == "meeting"
    assert nodes[RES + "person/antony-blinken"]["kind"] == "person"
    assert nodes[RES + "state/united-states"]["kind"] == "state"
    edges = {(e["data"]["source"], e["data"]["target"]) for e in data["edges"]}
    assert (meeting, RES + "person/chung-eui-yong") in edges
    assert (RES + "person/antony-blinken", RES + "state/united-states") in edges
    assert all(e["data"]["source"] in nodes and e["data"]["target"] in nodes for e in data["edges"])


def test_editor_points_yasgui_at_the_local_endpoint_with_prefixes_and_examples(
    ui_client: FlaskClient,
) -> None:
    html = ui_client.get("/editor").get_data(as_text=True)
    assert "/ui-static/vendor/yasgui.min.js" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    config = re.search(r'<script type="application/json" id="editor-config">(.*?)</script>', html, re.S)
    assert config
    import json

    data = json.loads(config.group(1))
    assert data["endpoint"] == "/sparql"  # made absolute by the page, from its own origin
    assert set(data["prefixes"]) == {"pen", "rdf", "rdfs", "xsd", "skos", "owl", "prov", "schema"}
    assert "PREFIX pen: <https://w3id.org/peninsula/ontology#>" in data["query"]
    assert [e["name"] for e in data["examples"]] == ["cq99-example"]
    assert data["examples"][0]["title"] == "Every launch"
    chosen = ui_client.get("/editor?query=cq99-example").get_data(as_text=True)
    assert '"tabName": "cq99-example"' in chosen


def test_query_page_renders_form_table_and_downloads(ui_app: Flask) -> None:
    launch = iri(RES + "launch/2021-03-21-north-korea-cruise-missile")
    with ui_app.test_request_context("/queries/cq11-events-before"):
        html = query_page(
            name="cq11-events-before",
            title="What happened before a date?",
            description="Events in the days before a date.",
            params=[
                ParamField("date", "xsd:date", "2021-03-25", "The day to look back from"),
                ParamField("days", "integer", "7"),
            ],
            query_text="SELECT ?item ?date WHERE { }",
            table=ResultTable(
                ["item", "date"],
                [
                    [
                        launch,
                        literal("2021-03-21", datatype="http://www.w3.org/2001/XMLSchema#date"),
                    ],
                    [launch, None],
                ],
                truncated=True,
            ),
        )
    page = outline(html)
    assert {f.get("id") for f in page.inputs} <= page.label_for
    assert '<input id="param-date" type="date" name="date" value="2021-03-25"' in html
    assert 'type="number" name="days" value="7"' in html
    assert '<th scope="col">item</th>' in html
    # IRIs are shown by their label and link to their page
    assert '<a href="/resource/launch/2021-03-21-north-korea-cruise-missile"' in html
    assert "North Korea cruise missile launch, 2021-03-21" in html
    assert "row cap" in html
    assert 'href="/queries/cq11-events-before?date=2021-03-25&amp;days=7&amp;format=csv"' in html


def test_query_page_links_every_iri_of_a_joined_cell(ui_app: Flask) -> None:
    """A canned query's list cell ("iri; iri", one row per answer) reads as the labels of
    its IRIs, each a link to its page, in the cell's order; other text with "; " and IRIs
    of schemes that are no web links stay as they are."""
    talks = iri(RES + "talks/fixture")
    people = literal(RES + "person/antony-blinken; " + RES + "person/chung-eui-yong")
    unknown = literal(RES + "state/north-korea; " + RES + "state/nowhere")
    text = literal("hit Guam; reach the mainland")
    odd = literal("javascript://alert(1); " + RES + "place/seoul")
    with ui_app.test_request_context("/queries/cq06-meetings"):
        html = query_page(
            name="cq06-meetings",
            title="Meetings",
            table=ResultTable(
                ["meeting", "participants", "states", "capability", "odd"],
                [[talks, people, unknown, text, odd]],
            ),
        )
    cells = re.findall(r"<td>(.*?)</td>", html, re.S)
    assert cells[1] == (
        '<span class="joined"><a href="/resource/person/antony-blinken" title="'
        + RES
        + 'person/antony-blinken">Antony Blinken</a>; <a href="/resource/person/chung-eui-yong" title="'
        + RES
        + 'person/chung-eui-yong">Chung Eui-yong</a></span>'
    )
    # an IRI without a label is linked by its short form
    assert '">North Korea</a>; <a href="/resource/state/nowhere"' in cells[2]
    assert cells[3] == '<span class="literal">hit Guam; reach the mainland</span>'
    assert (
        'href="javascript' not in cells[4] and '<span class="iri" title="javascript://alert(1)">' in cells[4]
    )
    assert '">Seoul</a>' in cells[4]


def test_query_page_shows_errors_without_a_table(ui_app: Flask) -> None:
    with ui_app.test_request_context("/"):
        html = query_page(name="cq11", title="t", error="parameter 'date': not a date")
    assert 'role="alert">parameter &#39;date&#39;: not a date<' in html
    assert "<table" not in html


def test_query_index_and_error_pages(ui_app: Flask) -> None:
    with ui_app.test_request_context("/"):
        index = query_index_html([QueryEntry("cq01-launches", "Launches", "All launches", [ParamField("x")])])
        error = error_html(404, "no such thing")
    assert 'href="/queries/cq01-launches"' in index and "<code>x</code>" in index
    assert "Error 404" in error and "no such thing" in error


def test_vendored_assets_are_served_locally(ui_client: FlaskClient) -> None:
    for asset in ("vendor/yasgui.min.js", "vendor/yasgui.min.css", "vendor/cytoscape.min.js", "ui.css"):
        response = ui_client.get("/ui-static/" + asset)
        assert response.status_code == 200, f"{asset} missing: run scripts/install-ui-assets.sh"
        response.close()


def test_the_timeline_knows_every_event_kind() -> None:
    """EVENT_CLASSES is kept by hand (its order is the timeline menu's, not kg.kinds'), so
    every class an event kind's row tells has to be in it."""
    assert {cls for cls, _ in sentences()} <= set(EVENT_CLASSES)


def test_facts_of_month_precision_read_in_not_on(ui_app: Flask) -> None:
    node = Node(RES + "meeting/2019-02-x")
    node.props["type"] = [iri(BASE + "ontology#Summit")]
    node.props["participant"] = [iri(RES + "person/a"), iri(RES + "person/b")]
    node.props["date"] = [literal("2019-02", datatype="http://www.w3.org/2001/XMLSchema#gYearMonth")]
    words = "".join(p["text"] for p in describe(node, {RES + "person/a": "A", RES + "person/b": "B"}, BASE))
    assert words == "A and B met for a summit in 2019-02"


def test_install_ui_assets_fails_clearly_without_npm(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess

    bin_dir = tmp_path / "bin"  # a PATH with the basics but no npm
    bin_dir.mkdir()
    for tool in ("dirname", "cp", "mkdir"):
        found = shutil.which(tool)
        assert found
        os.symlink(found, bin_dir / tool)
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "install-ui-assets.sh")],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "npm is not installed" in result.stderr


def test_npm_lockfile_pins_the_ui_packages() -> None:
    import json

    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for package in ("node_modules/@zazuko/yasgui", "node_modules/cytoscape"):
        assert lock["packages"][package]["integrity"].startswith("sha512-")


def test_a_large_timeline_is_shown_a_year_and_a_page_at_a_time(
    ui_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import server.ui

    whole = ui_client.get("/timeline").get_data(as_text=True)
    days = re.findall(r'datetime="(\d{4})-\d\d-\d\d"', whole)
    assert len(days) >= 2 and 'aria-label="Years"' not in whole  # a small graph: one page
    monkeypatch.setattr(server.ui, "TIMELINE_PAGE", 1)
    latest = max(days)
    page = ui_client.get("/timeline").get_data(as_text=True)
    assert 'aria-label="Years"' in page and f"<strong>{latest} (" in page
    assert set(re.findall(r'datetime="(\d{4})-\d\d-\d\d"', page)) == {latest}
    assert len(re.findall(r'<li class="event"', page)) == 1
    if days.count(latest) > 1:
        second = ui_client.get(f"/timeline?year={latest}&page=2").get_data(as_text=True)
        assert len(re.findall(r'<li class="event"', second)) == 1
    assert ui_client.get(f"/timeline?year={latest}&page=999").status_code == 404
    assert ui_client.get("/timeline?year=1066").status_code == 404


def test_a_busy_entity_page_shows_its_first_mentions_and_counts_the_rest(
    ui_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import server.entity_pages

    page = "/resource/state/north-korea"
    whole = ui_client.get(page, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "times in all" not in whole
    monkeypatch.setattr(server.entity_pages, "MENTIONS_SHOWN", 1)
    html = ui_client.get(page, headers={"Accept": "text/html"}).get_data(as_text=True)
    found = re.search(r"Mentioned (\d+) times in all; the first 1 are shown here", html)
    assert found is not None and int(found.group(1)) > 1

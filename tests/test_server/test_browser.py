"""The UI in a real browser: headless Chromium (Debian's package) driven by Playwright
against a real ``kg serve`` process on a loopback port. Screenshots are kept in
tests/artifacts/ as test artefacts.

A missing Chromium is a failure, not a skip: `make test` installs it through
scripts/install-system-deps.sh."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
SHARED_FIXTURE = ROOT / "tests" / "data" / "fixture.trig"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed: run scripts/install-system-deps.sh (make test does)")
    return path


@pytest.fixture
def server_url(start_server: Callable[..., Any]) -> str:
    """A real ``kg serve`` process (see conftest's ``start_server``) over the shared
    fixture dataset and the ontology (canned queries walk its class hierarchy)."""
    server = start_server(data=[SHARED_FIXTURE, ROOT / "ontology" / "peninsula.ttl"])
    return str(server.url).rstrip("/")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: object, server_url: str) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server_url)
    outside: list[str] = []

    def no_outside_requests(route: object) -> None:
        from playwright.sync_api import Route

        assert isinstance(route, Route)
        if route.request.url.startswith(server_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", no_outside_requests)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # the Content-Security-Policy every response carries: a script, style or font it blocks
    # shows as a console message, so the UI must run without any
    blocked: list[str] = []
    pg.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        yield pg
    finally:
        context.close()
    assert not outside, f"the UI asked other hosts: {outside}"
    assert not errors, f"JavaScript errors: {errors}"
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def _shot(pg: object, name: str) -> Path:
    from playwright.sync_api import Page

    assert isinstance(pg, Page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def test_home_page_shows_the_dataset(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peninsula KG")
    expect(page.locator("#stat-articles")).to_have_text("1")
    expect(page.get_by_role("link", name="North Korea fires cruise missiles")).to_be_visible()
    assert _shot(page, "home").stat().st_size > 0


def test_editor_runs_a_query_and_shows_results(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    response = page.goto("/editor")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    editor = page.locator("#yasgui .CodeMirror").first
    expect(editor).to_be_visible()
    page.evaluate(
        """() => window.peninsulaEditor.yasgui.getTab().setQuery(
            'PREFIX pen: <https://w3id.org/peninsula/ontology#>\\n'
            + 'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n'
            + 'SELECT ?person WHERE { ?x a pen:Person ; rdfs:label ?person } ORDER BY ?person')"""
    )
    page.locator("#yasgui .yasqe_queryButton").first.click()
    results = page.locator("#yasgui .yasr table")
    expect(results.first).to_contain_text("Antony Blinken", timeout=15_000)
    expect(results.first).to_contain_text("Chung Eui-yong")
    _shot(page, "editor")
    # a canned query opens in a tab of its own, ready to run
    page.get_by_label("Example query").select_option("cq16-articles")
    page.get_by_role("button", name="Open in a new tab").click()
    expect(page.locator("#yasgui .tabPanel.active .CodeMirror").first).to_contain_text("pen:Article")
    page.locator("#yasgui .tabPanel.active .yasqe_queryButton").first.click()
    expect(page.locator("#yasgui .tabPanel.active .yasr table").first).to_contain_text(
        "North Korea fires cruise missiles", timeout=15_000
    )


def test_entity_page_shows_facts_with_their_sentences(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    page.locator("li.event").filter(has_text="launched").get_by_role(
        "link", name="North Korea", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North Korea")
    expect(page.locator(".fact .sentence").first).to_contain_text(
        "North Korea launched 2 cruise missiles on 2021-03-21"
    )
    expect(page.locator("mark.hl-fact").first).to_have_text("fired two cruise missiles")
    _shot(page, "entity")


def test_article_page_marks_mentions(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/articles")
    page.get_by_role("link", name="North Korea fires cruise missiles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North Korea fires cruise missiles")
    marked = page.locator(".article-text a.mark-link", has_text="Blinken")
    expect(marked).to_have_attribute("href", "/resource/person/antony-blinken")
    _shot(page, "article")


def test_network_view_draws_the_graph(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/network")
    expect(page.locator("#network[data-ready=true] canvas").first).to_be_attached(timeout=15_000)
    _shot(page, "network")


def test_canned_query_form_shows_a_results_table(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/queries")
    page.get_by_role("link", name="Events before a date").click()
    page.get_by_label("date").fill("2021-03-22")
    page.get_by_label("days").fill("5")
    page.get_by_role("button", name="Run query").click()
    expect(page).to_have_url(re.compile(r"date=2021-03-22"))
    table = page.locator("table.results")
    expect(table).to_contain_text("North Korea cruise missile launch, 2021-03-21")
    expect(table).to_contain_text("Antony Blinken and Chung Eui-yong meeting, 2021-03-18")
    _shot(page, "canned-query")
    # one row per meeting: its participants in one cell, each by name, each a link
    page.goto("/queries/cq06-meetings")
    rows = page.locator("table.results tbody tr")
    expect(rows).to_have_count(1)
    participants = rows.first.locator("td").nth(3)
    expect(participants).to_have_text("Antony Blinken; Chung Eui-yong")
    expect(participants.get_by_role("link", name="Chung Eui-yong")).to_have_attribute(
        "href", "/resource/person/chung-eui-yong"
    )


def test_search_box_suggests_entities_despite_typos(page: object) -> None:
    """The header's search box asks /lookup as one types: a misspelt name is suggested,
    a suggestion opens the entity; Enter opens the results page."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/timeline")
    box = page.get_by_role("searchbox", name="Find an entity by name")
    box.press_sequentially("blinkn", delay=30)
    suggestions = page.locator("#site-search-suggestions")
    person = suggestions.get_by_role("link", name="Antony Blinken — Person")
    expect(person).to_be_visible(timeout=10_000)
    expect(suggestions.get_by_role("link").first).to_have_accessible_name("Antony Blinken — Person")
    assert _shot(page, "lookup-suggestions").stat().st_size > 0
    person.click()
    expect(page).to_have_url(re.compile(r"/resource/person/antony-blinken$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Antony Blinken")
    box = page.get_by_role("searchbox", name="Find an entity by name")
    box.fill("hwasnog")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/lookup\?q=hwasnog"))
    expect(page.locator(".lookup-results li").first).to_contain_text("Hwasong-12")

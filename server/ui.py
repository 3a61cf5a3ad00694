"""The web UI: the start page, the SPARQL editor, the timeline, the network view, the list
of articles and article pages. Entity and article pages are rendered by
``server.entity_pages``, the query gallery by ``server.pages``, for the blueprints that own
their URLs.

Every page reads through the app's query engine (``server.pages.app_reader``) and renders
on the server, so reading needs no JavaScript; the editor (YASGUI) and the network (cytoscape) are scripts
vendored from npm into ``static/vendor`` by scripts/install-ui-assets.sh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from kg.canned import catalogue as canned
from kg.engine.binding import values_column
from kg.errors import KGError
from kg.rdf.terms import iri
from kg.settings import Settings
from server.endpoint import quarantined_articles
from server.entity_pages import render_article
from server.pages import app_reader
from server.ui_cells import cell, iris_in
from server.ui_facts import EVENT_CLASSES, describe
from server.ui_read import PREFIXES, Reader, labels_of, load_nodes

__all__ = ["CannedExample", "bp", "canned_examples"]

bp = Blueprint("ui", __name__, static_folder="static", static_url_path="/ui-static")

_MEETING_CLASSES = ("Meeting", "Summit", "Talks", "Visit", "PhoneCall")


def _settings() -> Settings:
    settings = current_app.config["PENINSULA"]
    assert isinstance(settings, Settings)
    return settings


def _classes(variable: str, classes: tuple[str, ...], base: str) -> str:
    """``VALUES ?variable { pen:A pen:B }``: the ontology classes of these local names."""
    return values_column(variable, (iri(f"{base}ontology#{c}") for c in classes))


# ---------------------------------------------------------------- start page


def _count(reader: Reader, query: str) -> int:
    rows = reader.select(query)
    return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0


@bp.get("/")
def home() -> Any:
    """The start page: what the store holds and the latest articles (how to build, when nothing is published)."""
    reader = app_reader()
    try:
        stats = _stats(reader)
    except KGError as exc:  # nothing published yet: say how to build
        return render_template("home.html", stats=None, articles=[], problem=str(exc))
    return render_template("home.html", stats=stats, articles=_articles(reader, limit=8), problem=None)


def _stats(reader: Reader) -> dict[str, int]:
    return {
        "triples": _count(reader, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "articles": _count(reader, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pen:Article }"),
        "events": _count(
            reader,
            f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ?c {_classes('c', EVENT_CLASSES, reader.base)} }}",
        ),
        "people": _count(reader, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pen:Person }"),
        "states": _count(reader, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pen:State }"),
    }


_ARTICLES = """
SELECT ?a (SAMPLE(?l) AS ?label) (MAX(?p) AS ?published) (SAMPLE(?pub) AS ?publisher) WHERE {
  ?a a pen:Article . OPTIONAL { ?a rdfs:label ?l } OPTIONAL { ?a pen:published ?p }
  OPTIONAL { ?a pen:publisher ?pub }
} GROUP BY ?a ORDER BY DESC(?published) ?a
"""


def _articles(reader: Reader, limit: int | None = None) -> list[dict[str, Any]]:
    """Articles, newest first (undated last), as dicts for templates."""
    query = _ARTICLES + (f" LIMIT {int(limit)}" if limit else "")
    rows = reader.select(query)
    labels = labels_of(reader, {r["publisher"].value for r in rows if "publisher" in r})
    base = reader.base
    return [
        {
            "link": {**cell(r["a"], {}, base), "label": r["label"].value if "label" in r else r["a"].value},
            "published": r["published"].value if "published" in r else "",
            "publisher": cell(r.get("publisher"), labels, base),
        }
        for r in rows
    ]


@bp.get("/articles")
def articles() -> Any:
    """The articles of the graph, newest first, and those the live build quarantined."""
    quarantined = (
        quarantined_articles(_settings()) if current_app.config.get("PENINSULA_SERVES_STORE") else []
    )
    return render_template("articles.html", articles=_articles(app_reader()), quarantined=quarantined)


@bp.get("/article/<slug>")
def article(slug: str) -> Any:
    """An article's text with its mentions marked (the same page as its /resource/ IRI)."""
    settings = _settings()
    if not re.fullmatch(r"[A-Za-z0-9._-]+", slug):
        abort(404)
    reader = app_reader()
    resource = settings.base_iri + "resource/article/" + slug
    found = reader.select("SELECT ?a WHERE { ?a a pen:Article } LIMIT 1", a=iri(resource))
    if not found:
        abort(404, description=f"no article {slug!r} in this graph")
    return render_article(reader, resource)


# ---------------------------------------------------------------- SPARQL editor


@dataclass(frozen=True)
class CannedExample:
    """A canned query offered in the editor: its name, title and text (parameters bound
    to their defaults, so it runs as it stands)."""

    name: str
    title: str
    text: str


def canned_examples(queries_dir: Path) -> list[CannedExample]:
    """The canned queries of ``queries_dir``, in name order."""
    out = []
    for name, query in sorted(canned.load_queries(queries_dir).items()):
        try:
            text = canned.prepare(query, {})
        except KGError:  # a parameter without a usable default: offer the text as written
            text = query.text
        out.append(CannedExample(name, query.title, text))
    return out


_DEFAULT_QUERY = """SELECT ?launch ?date ?state ?weapon WHERE {
  ?launch a pen:MissileLaunch .
  OPTIONAL { ?launch pen:date ?date }
  OPTIONAL { ?launch pen:launchingState/rdfs:label ?state }
  OPTIONAL { ?launch (pen:weaponSystem|pen:weaponClass)/rdfs:label ?weapon }
}
ORDER BY ?date
LIMIT 100
"""


@bp.get("/editor")
def editor() -> Any:
    """The SPARQL editor, with the prefixes and the canned queries as examples."""
    settings = _settings()
    prefixes = PREFIXES(settings.base_iri)
    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    examples = canned_examples(Path(settings.queries_dir))
    chosen = request.args.get("query", "")
    start = next((e for e in examples if e.name == chosen), None)
    config = {
        "endpoint": "/sparql",
        "prefixes": prefixes,
        "query": start.text if start is not None else header + "\n" + _DEFAULT_QUERY,
        "tabName": start.name if start is not None else "Launches",
        "examples": [{"name": e.name, "title": e.title, "query": e.text} for e in examples],
    }
    return render_template("editor.html", config=config, examples=examples, default_query=config["query"])


# ---------------------------------------------------------------- timeline

_TIMELINE = """
SELECT DISTINCT ?e ?when WHERE {
  ?e a ?c . %s
  OPTIONAL { ?e pen:date ?d } OPTIONAL { ?e pen:startDate ?s } OPTIONAL { ?e pen:earliest ?x }
  BIND (STR(COALESCE(?d, ?s, ?x, "")) AS ?when)
}
"""
# Events drawn on one page of the timeline: a larger store is shown a year at a time (and a
# year in pages of this many), so the page costs what one year holds, not the whole graph.
TIMELINE_PAGE = 300


@bp.get("/timeline")
def timeline() -> Any:
    """Events in date order, grouped by year, each as a sentence with its sources: all of
    them in a small graph, else one year (``?year=``, the latest by default) a page
    (``?page=``) of TIMELINE_PAGE at a time, with the count of every year."""
    reader = app_reader()
    kind = request.args.get("type", "")
    classes = (kind,) if kind in EVENT_CLASSES else EVENT_CLASSES
    when: dict[str, str] = {}
    for r in reader.select(_TIMELINE % _classes("c", classes, reader.base)):
        event, day = r["e"].value, r["when"].value if "when" in r else ""
        when[event] = max(when.get(event, ""), day)
    counts: dict[str, int] = {}
    for day in when.values():
        counts[day[:4] or "Undated"] = counts.get(day[:4] or "Undated", 0) + 1
    year, page, pages = "", 1, 1
    chosen = sorted(when, key=lambda i: (when[i] == "", when[i], i))
    if len(chosen) > TIMELINE_PAGE:
        dated = sorted((y for y in counts if y != "Undated"), reverse=True)
        year = request.args.get("year", "") or (dated[0] if dated else "Undated")
        if year not in counts:
            abort(404, description=f"no events in {year!r}")
        chosen = [i for i in chosen if (when[i][:4] or "Undated") == year]
        pages = max(1, -(-len(chosen) // TIMELINE_PAGE))
        page = _page_number(request.args.get("page", "1"), pages)
        chosen = chosen[(page - 1) * TIMELINE_PAGE : page * TIMELINE_PAGE]
    items = _timeline_items(reader, chosen)
    years: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        years.setdefault(item["date"][:4] or "Undated", []).append(item)
    return render_template(
        "timeline.html",
        years=years,
        kind=kind,
        kinds=EVENT_CLASSES,
        total=len(when),
        counts=counts if year else {},
        year=year,
        page=page,
        pages=pages,
    )


def _page_number(text: str, pages: int) -> int:
    if not text.isdigit() or not 1 <= int(text) <= pages:
        abort(404, description=f"no page {text!r}: there are {pages}")
    return int(text)


def _timeline_items(reader: Any, iris: list[str]) -> list[dict[str, Any]]:
    """The timeline's entries for these events, in date order."""
    nodes = load_nodes(reader, iris)
    seen: set[str] = set(iris)
    for node in nodes.values():
        for values in node.props.values():
            seen |= iris_in([values])
    labels = labels_of(reader, seen)
    base = reader.base
    items: list[dict[str, Any]] = []
    for node in nodes.values():
        date = node.first("date") or node.first("startDate") or node.first("earliest")
        items.append(
            {
                "date": date.value if date is not None else "",
                "link": cell(iri(node.iri), labels, base),
                "kinds": sorted(k for k in node.kinds() if k in EVENT_CLASSES),
                "parts": describe(node, labels, base),
                "articles": [cell(a, labels, base) for a in node.props.get("reportedIn", [])],
            }
        )
    items.sort(key=lambda i: (i["date"] == "", i["date"], i["link"]["label"]))
    return items


# ---------------------------------------------------------------- network

_NETWORK_MEETINGS = """
SELECT DISTINCT ?m ?role ?a WHERE {
  ?m a ?c . %s
  ?m ?role ?a . VALUES ?role { pen:participant pen:visitor pen:host }
}
"""
_NETWORK_POSTS = """
SELECT DISTINCT ?person ?state WHERE {
  ?h a pen:PostHolding ; pen:holder ?person ; pen:post ?post . ?post pen:postIn ?state .
  FILTER EXISTS { ?person pen:denotedBy ?mention }
}
"""
_KINDS = {"Person": "person", "State": "state", "Meeting": "meeting"}


def network_data(reader: Reader) -> dict[str, list[dict[str, Any]]]:
    """Officials, states and meetings as cytoscape elements: meetings link to their
    participants, officials to the states whose posts they hold. Only officials the
    articles mention are drawn (the reference data lists many more)."""
    meetings = reader.select(_NETWORK_MEETINGS % _classes("c", _MEETING_CLASSES, reader.base))
    posts = reader.select(_NETWORK_POSTS)
    edges: dict[tuple[str, str], str] = {}
    for r in meetings:
        role = r["role"].value.rsplit("#", 1)[-1]
        edges.setdefault((r["m"].value, r["a"].value), role)
    for r in posts:
        edges.setdefault((r["person"].value, r["state"].value), "holds a post of")
    ids = {i for pair in edges for i in pair}
    kinds: dict[str, str] = {m["m"].value: "meeting" for m in meetings}
    if ids:
        values = values_column("x", map(iri, sorted(ids)))
        for r in reader.select(f"SELECT ?x ?t WHERE {{ {values} ?x a ?t }}"):
            kind = _KINDS.get(r["t"].value.rsplit("#", 1)[-1])
            if kind and r["x"].value not in kinds:
                kinds[r["x"].value] = kind
    labels = labels_of(reader, ids)
    base = reader.base
    nodes = [
        {
            "data": {
                "id": i,
                "label": labels.get(i, i.rsplit("/", 1)[-1]),
                "kind": kinds.get(i, "other"),
                "href": cell(iri(i), labels, base)["href"],
            }
        }
        for i in sorted(ids)
    ]
    links = [
        {"data": {"id": f"e{n}", "source": s, "target": t, "label": role}}
        for n, ((s, t), role) in enumerate(sorted(edges.items()))
    ]
    return {"nodes": nodes, "edges": links}


@bp.get("/network.json")
def network_json() -> Any:
    """The network view's data (who met whom) as JSON."""
    return jsonify(network_data(app_reader()))


@bp.get("/network")
def network() -> Any:
    """The network view; without JavaScript, the same data as lists."""
    data = network_data(app_reader())
    by_id = {n["data"]["id"]: n["data"] for n in data["nodes"]}
    meetings: dict[str, list[dict[str, Any]]] = {}
    for e in data["edges"]:
        source = by_id[e["data"]["source"]]
        if source["kind"] == "meeting":
            meetings.setdefault(source["id"], []).append(by_id[e["data"]["target"]])
    return render_template(
        "network.html",
        meetings=[(by_id[m], sorted(ps, key=lambda p: p["label"])) for m, ps in sorted(meetings.items())],
        counts={
            k: sum(1 for n in data["nodes"] if n["data"]["kind"] == k) for k in ("person", "state", "meeting")
        },
    )

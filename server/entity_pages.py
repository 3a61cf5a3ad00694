"""The entity and article pages, assembled from SPARQL over the default graph (the
materialised union, see docs/graph-conventions.md) through the app's reader.

``entity_html(iri) -> str | None`` (call it inside a Flask request or app context)
    The HTML page of one resource, for ``/resource/...`` when a browser asks for HTML
    (``server.linked_data``). Returns None when the store says nothing about ``iri`` (as
    subject or object), so the caller answers 404 in its own error shape. Articles
    (``pen:Article``) get the article page: their text with mentions highlighted.

``render_entity`` and ``render_article`` render them over any ``Reader``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import render_template

from kg.engine.binding import values_column
from kg.rdf.terms import Term, check_iri
from kg.rdf.terms import iri as iri_term
from server.pages import app_reader
from server.ui_cells import cell, iris_in, is_web_link
from server.ui_facts import FACT_CLASSES, describe, highlight
from server.ui_read import PREFIXES, Node, Reader, groundings, labels_of, load_nodes

__all__ = ["FACTS_SHOWN", "MENTIONS_SHOWN", "entity_html", "render_article", "render_entity"]


def entity_html(iri: str) -> str | None:
    """The HTML page of the resource ``iri``, or None when the graph knows nothing of it."""
    return render_entity(app_reader(), iri)


_LINK_OUT = {
    "http://www.w3.org/2002/07/owl#sameAs",
    "http://www.w3.org/2004/02/skos/core#exactMatch",
    "http://www.w3.org/2004/02/skos/core#closeMatch",
}
_HIDDEN = {"text", "denotedBy"}  # shown in their own sections


def _exists(reader: Reader, node: Term) -> bool:
    return bool(reader.select("SELECT ?p WHERE { { ?this ?p ?o } UNION { ?s ?p ?this } } LIMIT 1", this=node))


def _fact_view(
    fact: Node,
    grounded: list[dict[str, Any]],
    own: list[dict[str, Any]],
    labels: Mapping[str, str],
    base: str,
) -> dict[str, Any]:
    """A fact's sentence and the article sentences it came from, with the fact's words
    marked, and the page entity's own words too where they fall in the same sentence."""
    sources = []
    for g in grounded:
        spans = [(g["begin"], g["end"], "hl-fact")]
        spans += [(o["begin"], o["end"], "hl-entity") for o in own if o["article"] == g["article"]]
        sources.append(
            {
                "article": cell(iri_term(g["article"]), labels, base),
                "parts": highlight(g["sentence"], g["sentence_begin"], spans),
            }
        )
    date = fact.first("date") or fact.first("startDate")
    return {
        "iri": fact.iri,
        "link": cell(iri_term(fact.iri), labels, base),
        "kinds": sorted(fact.kinds()),
        "parts": describe(fact, labels, base),
        "date": date.value if date is not None else "",
        "sources": sources,
    }


MENTIONS_SHOWN = 100
FACTS_SHOWN = 100  # the facts a page lists of its entity; SPARQL has the rest


def _count_mentions(reader: Reader, this: Term) -> int:
    rows = reader.select("SELECT (COUNT(?m) AS ?n) WHERE { ?this pen:denotedBy ?m }", this=this)
    return int(rows[0]["n"].value) if rows else 0


def render_entity(reader: Reader, iri: str) -> str | None:
    """The entity page (or the article page for an article); None if ``iri`` is unknown."""
    try:
        this = iri_term(check_iri(iri))
    except ValueError:
        return None
    if not _exists(reader, this):
        return None
    base = reader.base
    node = load_nodes(reader, [iri])[iri]
    if "Article" in node.kinds():
        return render_article(reader, iri)
    pen = base + "ontology#"
    # (its mentions are listed apart, and a busy entity has thousands)
    out = reader.select(
        "SELECT ?p ?o WHERE { ?this ?p ?o FILTER(?p != pen:denotedBy) } ORDER BY ?p ?o LIMIT 1000", this=this
    )
    incoming = reader.select(
        "SELECT ?s ?p WHERE { ?s ?p ?this FILTER(?p != pen:denotedBy) } ORDER BY ?p ?s LIMIT 300",
        this=this,
    )
    types = values_column("c", (iri_term(f"{pen}{t}") for t in FACT_CLASSES))
    related = [
        r["f"].value
        for r in reader.select(
            f"SELECT DISTINCT ?f WHERE {{ ?f ?role ?this . ?f a ?c . {types} }} LIMIT {FACTS_SHOWN}",
            this=this,
        )
    ]
    is_fact = bool(node.kinds() & set(FACT_CLASSES))
    fact_iris = ([iri] if is_fact else []) + [f for f in related if f != iri]
    facts = load_nodes(reader, fact_iris)
    # a busy entity (North Korea) is mentioned in every article: its page shows the first
    # MENTIONS_SHOWN mentions and how many there are, not all of them
    grounded = groundings(reader, fact_iris)
    grounded[iri] = groundings(reader, [iri], limit=MENTIONS_SHOWN)[iri]
    mention_count = (
        _count_mentions(reader, this) if len(grounded[iri]) >= MENTIONS_SHOWN else len(grounded[iri])
    )
    seen: set[str] = set()
    for f in facts.values():
        for values in f.props.values():
            seen |= iris_in([values])
    seen |= iris_in([[r["p"], r["o"]] for r in out]) | iris_in([[r["s"], r["p"]] for r in incoming])
    seen |= {g["article"] for gs in grounded.values() for g in gs} | set(fact_iris)
    labels = labels_of(reader, seen)
    own = grounded[iri]
    views = [_fact_view(facts[f], grounded[f], own if f != iri else [], labels, base) for f in fact_iris]
    this_fact = views.pop(0) if is_fact else None
    views.sort(key=lambda v: (v["date"] == "", v["date"], v["iri"]))
    label = node.first("label")
    mentions = [
        {
            "article": cell(iri_term(g["article"]), labels, base),
            "parts": highlight(g["sentence"], g["sentence_begin"], [(g["begin"], g["end"], "hl-entity")]),
        }
        for g in own
    ]
    return render_template(
        "entity.html",
        iri=iri,
        label=label.value if label is not None else iri.rsplit("/", 1)[-1],
        types=[cell(t, labels, base) for t in node.props.get("type", [])],
        this_fact=this_fact,
        facts=views,
        mentions=mentions if not is_fact else [],
        mention_count=mention_count,
        links_out=[
            r["o"].value
            for r in out
            if r["p"].value in _LINK_OUT and r["o"].kind == "iri" and is_web_link(r["o"].value)
        ],
        statements=[
            (cell(r["p"], labels, base), cell(r["o"], labels, base))
            for r in out
            if r["p"].value.removeprefix(pen) not in _HIDDEN
        ],
        incoming=[(cell(r["s"], labels, base), cell(r["p"], labels, base)) for r in incoming],
        prefixes=PREFIXES(base),
    )


_ARTICLE_MENTIONS = """
SELECT ?m ?b ?e ?entity WHERE {
  ?m pen:inArticle ?this ; a pen:Mention ; pen:beginIndex ?b ; pen:endIndex ?e .
  OPTIONAL { ?entity pen:denotedBy ?m }
} ORDER BY ?b DESC(?e)
"""


def render_article(reader: Reader, iri: str) -> str:
    """An article's page: metadata, its stored text with every mention marked and linked
    to the entity it denotes, and the facts reported in it."""
    base = reader.base
    this = iri_term(iri)
    node = load_nodes(reader, [iri])[iri]
    text_term = node.first("text")
    text = text_term.value if text_term is not None else ""
    rows = reader.select(_ARTICLE_MENTIONS, this=this)
    reported = [
        r["f"].value
        for r in reader.select(
            "SELECT DISTINCT ?f WHERE { { ?f pen:reportedIn ?this } UNION { ?f pen:statedIn ?this } }",
            this=this,
        )
    ]
    facts = load_nodes(reader, reported)
    seen = {r["entity"].value for r in rows if "entity" in r} | set(reported)
    for f in facts.values():
        for values in f.props.values():
            seen |= iris_in([values])
    for values in node.props.values():
        seen |= iris_in([values])
    labels = labels_of(reader, seen)
    # One span per mention; a mention that denotes several things links to the first.
    targets: dict[tuple[int, int], str] = {}
    for r in rows:
        key = (int(r["b"].value), int(r["e"].value))
        if "entity" in r:
            targets.setdefault(key, r["entity"].value)
        else:
            targets.setdefault(key, "")
    parts = highlight(text, 0, [(b, e, "hl-mention") for b, e in targets])
    at = 0
    for part in parts:
        end = at + len(part["text"])
        if part.get("mark"):
            target = targets.get((at, end), "")
            if target:
                part["href"] = cell(iri_term(target), labels, base)["href"]
                part["title"] = labels.get(target, target)
        at = end
    views = [_fact_view(facts[f], [], [], labels, base) for f in reported]
    views.sort(key=lambda v: (v["date"] == "", v["date"], v["iri"]))
    meta = {
        key: cell(node.first(key), labels, base)
        for key in ("title", "published", "publisher", "url", "dateStatus", "sourceFile")
        if node.first(key) is not None
    }
    label = node.first("label")
    return render_template(
        "article.html",
        iri=iri,
        label=label.value if label is not None else iri.rsplit("/", 1)[-1],
        meta=meta,
        text_parts=parts,
        facts=views,
        mention_count=len(targets),
    )

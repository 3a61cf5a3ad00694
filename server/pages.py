"""Server-rendered HTML pages that other blueprints call, and the UI's read access to the store.

Public functions (call them inside a Flask request or app context; they read the app's
``Settings`` from ``current_app.config["PENINSULA"]``):

``entity_html(iri) -> str | None``
    The HTML page of one resource, for ``/resource/...`` when a browser asks for HTML
    (``server.linked_data``). Returns None when the store says nothing about ``iri`` (as
    subject or object), so the caller answers 404 in its own error shape. Articles
    (``pen:Article``) get the article page: their text with mentions highlighted.

``query_page(...) -> str``
    The HTML page of one canned query, for ``/queries/<name>`` when a browser asks for HTML
    (``server.canned``): title, description, a typed parameter form (GET to the same
    URL), the query text, the result as a table (or an error message) and download links
    per format. The caller parses parameters and runs the query; this only renders.

``query_index_html(entries) -> str``
    The gallery of canned queries, for ``/queries`` as HTML.

``error_html(status, message) -> str``
    An error page in the site's layout (no stack traces), for any blueprint.

``app_reader() -> Reader``
    How pages read the graph: always through the app's query engine
    (``server.endpoint.run``), so the query time limit and row cap apply, and the pages show
    whatever the endpoint serves: the published store or ``kg serve --data`` files.

The entity and article pages are assembled from SPARQL over the default graph (the
materialised union, see docs/graph-conventions.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import current_app, render_template

from kg.engine.binding import values_column
from kg.engine.formats import OutputFormat
from kg.engine.interface import Result
from kg.errors import KGError
from kg.rdf.terms import Term, check_iri
from kg.rdf.terms import iri as iri_term
from kg.settings import Settings
from server.endpoint import run
from server.ui_cells import cell, iris_in, is_web_link, table_cell
from server.ui_facts import FACT_CLASSES, describe, highlight
from server.ui_read import PREFIXES, Node, Reader, groundings, labels_of, load_nodes

__all__ = [
    "FORMATS",
    "PREFIXES",
    "ParamField",
    "QueryEntry",
    "ResultTable",
    "app_reader",
    "entity_html",
    "error_html",
    "query_index_html",
    "query_page",
    "render_article",
    "render_entity",
]

# Download links offered under a query's results: label → value of ``?format=``.
FORMATS: dict[str, str] = {"JSON": "json", "CSV": "csv", "TSV": "tsv", "XML": "xml"}


@dataclass(frozen=True)
class ParamField:
    """One parameter of a canned query, as the form shows it.

    ``datatype`` is one of 'iri', 'date', 'integer', 'decimal', 'boolean', 'string' (an
    xsd datatype IRI or ``xsd:``-prefixed name is accepted too); it picks the input type.
    ``value`` is what the form is filled with: the value the user sent, else the default.
    """

    name: str
    datatype: str = "string"
    value: str = ""
    description: str = ""
    default: str = ""


@dataclass(frozen=True)
class ResultTable:
    """A SELECT result ready to render. Cells are terms (``kg.rdf.terms.Term``), or None
    where a variable is unbound. ``truncated`` says the row cap cut it."""

    variables: Sequence[str]
    rows: Sequence[Sequence[Term | None]]
    truncated: bool = False


@dataclass(frozen=True)
class QueryEntry:
    """One canned query in the gallery listing."""

    name: str
    title: str
    description: str = ""
    params: Sequence[ParamField] = field(default_factory=tuple)


def _settings() -> Settings:
    settings = current_app.config["PENINSULA"]
    assert isinstance(settings, Settings)
    return settings


# ---------------------------------------------------------------- pages


def app_reader() -> Reader:
    """The current app's reader: its query engine (``server.endpoint.run``, the same worker
    pool, time limit and row cap as /sparql), whatever dataset the engine holds."""

    def run_on_engine(text: str, output: OutputFormat) -> Result:
        return run(text, output=output)

    return Reader(run_on_engine, _settings())


def entity_html(iri: str) -> str | None:
    """The HTML page of the resource ``iri``, or None when the graph knows nothing of it."""
    return render_entity(app_reader(), iri)


def query_page(
    *,
    name: str,
    title: str,
    description: str = "",
    params: Sequence[ParamField] = (),
    query_text: str = "",
    table: ResultTable | None = None,
    graph_text: str | None = None,
    error: str | None = None,
    formats: Mapping[str, str] | None = None,
    action: str | None = None,
) -> str:
    """The page of one canned query.

    ``table`` is the SELECT result (None before the form is submitted or on error);
    ``graph_text`` is a CONSTRUCT/DESCRIBE result shown as Turtle; ``error`` a message
    shown instead of results (e.g. "parameter 'date': not a date"). ``formats`` maps link
    labels to download URLs; by default they are ``/queries/<name>?<params>&format=<f>``
    for each of ``FORMATS``. ``action`` is the form's target (default ``/queries/<name>``).
    """
    settings = _settings()
    action = action or f"/queries/{name}"
    if formats is None:
        values = [(p.name, p.value) for p in params if p.value != ""]
        formats = {
            label: action + "?" + urlencode([*values, ("format", fmt)]) for label, fmt in FORMATS.items()
        }
    table_view = None
    if table is not None:
        try:
            labels = labels_of(app_reader(), iris_in(table.rows))
        except KGError:  # labels are a nicety; the table stands without
            labels = {}
        table_view = {
            "variables": list(table.variables),
            "rows": [[table_cell(v, labels, settings.base_iri) for v in row] for row in table.rows],
            "truncated": table.truncated,
        }
    return render_template(
        "query.html",
        name=name,
        title=title,
        description=description,
        params=[_field_view(p) for p in params],
        query_text=query_text,
        table=table_view,
        graph_text=graph_text,
        error=error,
        formats=formats,
        action=action,
    )


def query_index_html(entries: Sequence[QueryEntry]) -> str:
    """The gallery listing of canned queries, each linking to ``/queries/<name>``."""
    return render_template("queries.html", entries=entries)


def error_html(status: int, message: str) -> str:
    """An error page in the site's layout."""
    return render_template("error.html", status=status, message=message)


_INPUT_TYPES = {
    "date": "date",
    "integer": "number",
    "int": "number",
    "nonnegativeinteger": "number",
    "positiveinteger": "number",
    "decimal": "number",
    "double": "number",
    "float": "number",
    "iri": "url",
    "anyuri": "url",
    "string": "text",
    "boolean": "checkbox",
}


def _field_view(p: ParamField) -> dict[str, Any]:
    kind = p.datatype.rsplit("#", 1)[-1].removeprefix("xsd:").lower()
    return {
        "name": p.name,
        "datatype": p.datatype.rsplit("#", 1)[-1].removeprefix("xsd:"),
        "input_type": _INPUT_TYPES.get(kind, "text"),
        "step": "any" if kind in {"decimal", "double", "float"} else None,
        "min": "0" if kind in {"nonnegativeinteger", "positiveinteger"} else None,
        "value": p.value,
        "checked": p.value.lower() in {"true", "1"},
        "description": p.description,
        "default": p.default,
    }


# ---------------------------------------------------------------- entity and article pages

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

"""Canned queries over HTTP: ``/queries`` lists them, ``/queries/<name>`` runs one.

Parameters come from the query string (``?date=2021-03-23&days=7``) and are bound as RDF
terms by ``kg.canned.catalogue.prepare`` (never pasted into the text); a bad one is a 400 naming it.
The result format is chosen by ``format=`` or ``Accept`` through ``server.negotiation``,
and the query runs through ``server.endpoint.run`` (the app's engine, time limit and row
cap). Browsers (who prefer text/html) get the gallery pages of ``server.pages``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from kg.canned.catalogue import CannedQuery, ParameterError, load_queries, prepare
from kg.engine.query import analyse
from kg.engine.reader import solutions
from kg.errors import KGError
from kg.rdf.terms import Term, literal
from kg.settings import Settings
from server.endpoint import result_response, run
from server.errors import error_response, status_of
from server.negotiation import FORMATS, negotiate, wants_html
from server.pages import ParamField, QueryEntry, ResultTable, query_index_html, query_page

__all__ = ["bp", "query_listing"]

bp = Blueprint("canned", __name__)

_HTML = "text/html; charset=utf-8"


def _settings() -> Settings:
    settings = current_app.config["PENINSULA"]
    assert isinstance(settings, Settings)
    return settings


def _queries() -> dict[str, CannedQuery]:
    return load_queries(_settings().queries_dir)


def _wants_html() -> bool:
    return wants_html(
        request.accept_mimetypes,
        ("application/json", "application/sparql-results+json"),
        format_param=request.args.get("format"),
    )


def query_listing(query: CannedQuery) -> dict[str, Any]:
    """The JSON description of one canned query."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "params": [
            {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
            for p in query.params
        ],
        "key": list(query.key),
        "example": query.example,
        "url": url_for("canned.run_canned", name=query.name),
        "text": query.text,
    }


@bp.get("/queries")
def index() -> Response | str:
    """``GET /queries``: the catalogue of canned queries, as JSON or as an HTML page."""
    queries = _queries()
    fmt = request.args.get("format", "")
    if fmt not in ("", "json", "html"):
        return error_response(406, f"format={fmt!r} is not offered here; use json or html")
    if not _wants_html():
        return jsonify({"queries": [query_listing(q) for q in queries.values()]})
    entries = [
        QueryEntry(
            name=q.name,
            title=q.title,
            description=q.description,
            params=tuple(
                ParamField(
                    name=p.name,
                    datatype=p.type,
                    value=p.default or "",
                    description=p.description,
                    default=p.default or "",
                )
                for p in q.params
            ),
        )
        for q in queries.values()
    ]
    return Response(query_index_html(entries), content_type=_HTML)


@bp.get("/queries/<name>")
def run_canned(name: str) -> Response:
    """``GET /queries/<name>``: run one canned query with the request's parameters, as a result format or an HTML page."""
    query = _queries().get(name)
    if query is None:
        return error_response(404, f"no canned query named {name!r}; see /queries")
    values = {k: v for k, v in request.args.items() if k != "format"}
    if _wants_html():
        return _html_page(query, values)
    text = prepare(query, values)  # ParameterError → 400 through the app's error handlers
    kind = analyse(text, max_depth=_settings().max_query_depth).kind or "solutions"
    fmt = negotiate(kind, request.accept_mimetypes, request.args.get("format"))
    return result_response(run(text, output=fmt.output))


# --------------------------------------------------------------------- HTML


def _html_page(query: CannedQuery, values: dict[str, str]) -> Response:
    """The gallery page: run the query (with defaults when nothing was sent) and render
    its results, or the error, with ``server.pages.query_page``."""
    variables: list[str] = []
    rows: list[list[Term | None]] = []
    truncated = False
    graph_text: str | None = None
    error: str | None = None
    status = 200
    try:
        text = prepare(query, values)
        kind = analyse(text, max_depth=_settings().max_query_depth).kind or "solutions"
        if kind == "graph":
            fmt = next(f for f in FORMATS if f.name == "ttl")
            graph_text = run(text, output=fmt.output).body.decode("utf-8")
        else:
            fmt = next(f for f in FORMATS if f.name == "json")
            found = solutions(run(text, output=fmt.output))
            truncated = found.truncated
            if found.boolean is not None:
                variables, rows = ["boolean"], [[literal(str(found.boolean).lower())]]
            else:
                variables = list(found.variables)
                rows = [[row.get(v) for v in variables] for row in found.rows]
    except ParameterError as exc:
        error, status = str(exc), 400
    except KGError as exc:
        error, status = str(exc), status_of(exc)[0]
    params = [
        ParamField(
            name=p.name,
            datatype=p.type,
            value=values.get(p.name, p.default or ""),
            description=p.description,
            default=p.default or "",
        )
        for p in query.params
    ]
    table = ResultTable(variables, rows, truncated) if error is None and graph_text is None else None
    page = query_page(
        name=query.name,
        title=query.title,
        description=query.description,
        params=params,
        query_text=query.text,
        table=table,
        graph_text=graph_text,
        error=error,
    )
    return Response(page, status=status, content_type=_HTML)

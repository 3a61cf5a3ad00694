"""The SPARQL 1.1 Protocol at ``/sparql``, the Graph Store Protocol at ``/graphs``, and
``/health``. Views parse the request, call the query core, and render; nothing else.

Other blueprints run queries through ``server.endpoint.run`` (the app's engine and limits).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    NotAcceptable,
    RequestEntityTooLarge,
    TooManyRequests,
    Unauthorized,
    UnsupportedMediaType,
)

from kg.engine.formats import OutputFormat
from kg.engine.jobs import GraphGetJob, GraphWriteJob, StatsJob, StoreSource, UpdateJob
from kg.engine.oxigraph.store import current_build
from kg.engine.query import analyse_update
from kg.errors import KGError
from server.body import chunks_response
from server.endpoint import (
    endpoint_state,
    endpoint_url,
    plan_for,
    quarantined_articles,
    query_limits,
    result_response,
    run,
)
from server.hardening import check_iri
from server.negotiation import FORMATS, Format, negotiate
from server.void import service_description_response

__all__ = ["bp"]

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Peninsula-Truncated, X-Peninsula-Max-Rows, X-Peninsula-Empty-Graphs, Content-Type",
}


@bp.after_request
def _cors(response: Response) -> Response:
    if request.path in ("/sparql", "/sparql/", "/health"):
        response.headers.update(CORS_HEADERS)
    return response


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], strict_slashes=False)
def sparql() -> Response:
    """``/sparql``: the SPARQL 1.1 Protocol (query and update, GET and POST), and the service description on a plain GET."""
    if request.method == "OPTIONS":
        return _preflight()
    params = _Params.from_request()
    if params.update is not None:
        return _update(params)
    if params.query is None:
        return service_description_response()
    plan = plan_for(params.query)
    fmt_param = request.values.get("format") or request.values.get("output")
    outputs: dict[str, OutputFormat] = {}
    for kind in ("solutions", "boolean", "graph"):
        if plan.kind in (None, kind):
            try:
                outputs[kind] = negotiate(kind, request.accept_mimetypes, fmt_param).output
            except NotAcceptable:
                if plan.kind is not None:
                    raise
    if not outputs:  # unknown form: let the engine say what is wrong with the query
        outputs["solutions"] = FORMATS[0].output
    result = run(
        params.query,
        output=outputs,
        default_graph_uris=params.get("default-graph-uri"),
        named_graph_uris=params.get("named-graph-uri"),
        plan=plan,
    )
    return result_response(result)


def _preflight() -> Response:
    response = Response(status=204)
    response.headers.update(CORS_HEADERS)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = request.headers.get(
        "Access-Control-Request-Headers", "Content-Type, Accept, Authorization"
    )
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


_GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")


@dataclass
class _Params:
    """A protocol request, read the same way whether it came by GET, form or direct POST."""

    query: str | None
    update: str | None
    lists: dict[str, list[str]]

    def get(self, name: str) -> list[str]:
        return self.lists.get(name, [])

    @classmethod
    def from_request(cls) -> _Params:
        params = cls._read()
        for name, values in params.lists.items():
            for value in values:
                check_iri(value, name)
        return params

    @classmethod
    def _read(cls) -> _Params:
        names = _GRAPH_PARAMS
        lists = {n: request.args.getlist(n) for n in _GRAPH_PARAMS}
        limit = endpoint_state().settings.max_request_bytes
        if request.method in ("GET", "HEAD"):
            if "update" in request.args:
                raise BadRequest("SPARQL Update must be sent by POST, never by GET")
            queries = request.args.getlist("query")
            if len(queries) > 1:
                raise BadRequest("more than one 'query' parameter; send exactly one query")
            if queries and len(queries[0].encode()) > limit:
                raise RequestEntityTooLarge(f"the query is longer than {limit} bytes")
            return cls(queries[0] if queries else None, None, lists)
        mime = request.mimetype
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if mime in (QUERY_TYPE, UPDATE_TYPE):
            if charset not in ("utf-8", "utf8"):
                raise UnsupportedMediaType(f"{mime} must be sent as UTF-8, not {charset}")
            try:
                text = request.get_data().decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest("the request body is not valid UTF-8") from None
            if "query" in request.args or "update" in request.args:
                raise BadRequest(f"a {mime} request carries its operation in the body, not in the URL")
            return cls(text, None, lists) if mime == QUERY_TYPE else cls(None, text, lists)
        if mime == FORM_TYPE:
            for n in names:
                lists[n] = lists[n] + request.form.getlist(n)
            queries, updates = request.form.getlist("query"), request.form.getlist("update")
            if len(queries) + len(updates) > 1:
                raise BadRequest("send exactly one 'query' or one 'update' parameter")
            if not queries and not updates:
                raise BadRequest("the form has neither a 'query' nor an 'update' parameter")
            return cls(queries[0] if queries else None, updates[0] if updates else None, lists)
        raise UnsupportedMediaType(
            f"POST to /sparql needs Content-Type {QUERY_TYPE}, {UPDATE_TYPE} or {FORM_TYPE}"
            + (f", not {mime}" if mime else "")
        )


def _check_token() -> None:
    """The update token, compared in constant time. A client address that sent more than
    ``token_failures_per_minute`` wrong tokens in the last minute gets 429 (whatever it
    sends) until that minute is over; each wrong token is logged, without the token."""
    state = endpoint_state()
    token = state.settings.update_token
    if not token:
        raise Forbidden("this endpoint is read-only: no update token is configured")
    address = request.remote_addr or "unknown"
    wait = state.throttle.retry_after(address)
    if wait:
        raise TooManyRequests(
            f"too many wrong update tokens from this address; try again in {wait} s",
            retry_after=wait,
        )
    sent = request.headers.get("Authorization", "")
    scheme, _, value = sent.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        state.throttle.failed(address, request.path)
        raise Unauthorized("SPARQL Update and the Graph Store Protocol need 'Authorization: Bearer <token>'")


def _update(params: _Params) -> Response:
    _check_token()
    state = endpoint_state()
    s = state.settings
    assert params.update is not None
    plan = analyse_update(
        params.update,
        limits=query_limits(s),
        allow_list=state.allow_list,
        using_graphs=params.get("using-graph-uri"),
        using_named_graphs=params.get("using-named-graph-uri"),
    )
    base = endpoint_url()
    state.engine.run(UpdateJob(plan.text, base_iri=base), timeout_s=s.query_timeout_s)
    return Response(status=204)


# --------------------------------------------------------------------- Graph Store Protocol


@bp.route("/graphs", methods=["GET", "PUT", "POST", "DELETE"])
def graphs() -> Response:
    """SPARQL 1.1 Graph Store HTTP Protocol (indirect identification: ``?graph=<iri>``
    or ``?default``). Reading needs no token; writing needs the update token."""
    if ("graph" in request.args) == ("default" in request.args):
        raise BadRequest("name exactly one graph: ?graph=<iri> or ?default")
    graph = request.args.get("graph")
    if graph is not None:
        check_iri(graph, "graph")
    state = endpoint_state()
    timeout = state.settings.query_timeout_s
    if request.method in ("GET", "HEAD"):
        fmt = negotiate("graph", request.accept_mimetypes, request.args.get("format"))
        result = state.engine.run(GraphGetJob(graph, fmt.output), timeout_s=timeout)
        response = chunks_response(result.parts, fmt.content_type)
        response.vary.add("Accept")
        return response
    _check_token()
    data = b""
    engine_format = "TURTLE"
    if request.method in ("PUT", "POST"):
        fmt = _body_format(request.mimetype)
        data, engine_format = request.get_data(), fmt.engine_format
    reply = state.engine.run(
        GraphWriteJob(request.method, graph, data, engine_format, base_iri=graph or request.base_url),
        timeout_s=timeout,
    )
    return Response(status=201 if reply.get("created") and graph else 204)


def _body_format(mime: str) -> Format:
    for fmt in FORMATS:
        if "graph" in fmt.kinds and mime in (fmt.media_type, *fmt.aliases) and mime != "application/xml":
            return fmt
    raise UnsupportedMediaType(
        f"a graph must be sent as Turtle, N-Triples, RDF/XML or JSON-LD, not {mime or 'nothing'}"
    )


# --------------------------------------------------------------------- health


@bp.route("/health")
def health() -> Response:
    """``GET /health``: whether the engine answers, with the build and its size (503 when it does not)."""
    state = endpoint_state()
    try:
        stats = state.engine.run(StatsJob(), timeout_s=state.settings.query_timeout_s)
    except KGError as exc:
        response = jsonify({"status": "unavailable", "message": str(exc)})
        response.status_code = 503
        return response
    body = {"status": "ok", **stats, "updatable": bool(state.settings.update_token)}
    if current_app.config.get("PENINSULA_SERVES_STORE"):
        body["quarantined"] = len(quarantined_articles(state.settings))
    origin = getattr(state.engine, "origin_build", None)
    source = getattr(state.engine, "source", None)
    if state.settings.update_token and isinstance(source, StoreSource):
        # the rule for update servers: they serve their private copy of the build they
        # started on, with its updates, until restarted; a newer published build is named
        published = current_build(Path(source.store_dir))
        body["copy_of_build"] = origin
        body["published_build"] = published.name if published else None
        body["newer_build_published"] = published is not None and published.name != origin
    return jsonify(body)

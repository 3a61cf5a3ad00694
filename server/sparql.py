"""The SPARQL 1.1 Protocol at ``/sparql``, the Graph Store Protocol at ``/graphs``, and
``/health``. Views parse the request, call the query core, and render; nothing else.

Other blueprints run queries through ``run`` (the app's engine and limits).
"""

from __future__ import annotations

import hmac
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    NotAcceptable,
    TooManyRequests,
    Unauthorized,
    UnsupportedMediaType,
)

from kg.build.report import quarantine_of
from kg.engine.oxigraph.pool import Engine, GraphGetJob, GraphWriteJob, StatsJob, StoreSource, UpdateJob
from kg.engine.oxigraph.store import live_report
from kg.engine.query import OutputFormat, QueryLimits, QueryPlan, Result, analyse, analyse_update, run_query
from kg.errors import KGError
from kg.settings import Settings
from server.body import chunks_response
from server.hardening import TokenThrottle, check_iri
from server.negotiation import FORMATS, Format, negotiate

__all__ = ["EndpointState", "bp", "endpoint_state", "plan_for", "public_root", "query_limits", "run"]

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Peninsula-Truncated, X-Peninsula-Max-Rows, X-Peninsula-Empty-Graphs, Content-Type",
}
EMPTY_GRAPHS_HEADER = "X-Peninsula-Empty-Graphs"
_HEADER_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "%")


@dataclass
class EndpointState:
    """What the endpoint holds per app: settings and the engine (closed with the app)."""

    settings: Settings
    engine: Engine
    owns_engine: bool = True
    caches: dict[Any, Any] = field(default_factory=dict)
    # the URL clients reach this server at: ``public_url``, else the bound address (set by
    # ``kg serve`` once bound); never taken from the request's Host header
    public_root: str = ""
    throttle: TokenThrottle = field(default_factory=lambda: TokenThrottle(10))

    def __post_init__(self) -> None:
        s = self.settings
        root = s.public_url or (
            f"http://[{s.host}]:{s.port}/" if ":" in s.host else f"http://{s.host}:{s.port}/"
        )
        self.public_root = self.public_root or root.rstrip("/") + "/"
        self.throttle = TokenThrottle(s.token_failures_per_minute)

    @property
    def allow_list(self) -> list[str]:
        return self.settings.federation_allow_list.split()

    def close(self) -> None:
        folder = self.caches.pop("dump-dir", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        close = getattr(self.engine, "close", None)
        if self.owns_engine and callable(close):
            close()


def query_limits(s: Settings) -> QueryLimits:
    """The query guard's limits, from the settings."""
    return QueryLimits(
        depth=s.max_query_depth,
        expression_terms=s.max_expression_terms,
        group_elements=s.max_group_elements,
        path_steps=s.max_path_steps,
    )


def endpoint_state() -> EndpointState:
    state = current_app.extensions["peninsula"]
    assert isinstance(state, EndpointState)
    return state


def public_root() -> str:
    """This server's root URL as clients reach it, ending with '/' (see EndpointState)."""
    return endpoint_state().public_root


def run(
    text: str,
    *,
    output: OutputFormat | Mapping[str, OutputFormat],
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    bindings: Mapping[str, object] | None = None,
    plan: QueryPlan | None = None,
) -> Result:
    """Run a query with the app's engine, limits and base IRI (the endpoint's URL).
    ``plan`` is the text already checked by ``plan_for`` (so it is not analysed twice)."""
    state = endpoint_state()
    s = state.settings
    return run_query(
        state.engine,
        text,
        output=output,
        default_graph_uris=default_graph_uris,
        named_graph_uris=named_graph_uris,
        bindings=bindings,
        timeout_s=s.query_timeout_s,
        max_rows=s.max_rows,
        max_depth=s.max_query_depth,
        allow_list=state.allow_list,
        base_iri=_endpoint_url() if request else None,
        plan=plan,
        limits=query_limits(s),
    )


def plan_for(text: str) -> QueryPlan:
    """``analyse`` with the app's limits: the same checks ``run`` would make."""
    state = endpoint_state()
    s = state.settings
    return analyse(text, allow_list=state.allow_list, max_rows=s.max_rows, limits=query_limits(s))


def _endpoint_url() -> str:
    """This endpoint's URL (the base IRI of queries and updates), from the public URL: the
    Host header is the client's to choose, so it is never reflected."""
    return public_root() + "sparql"


def result_response(result: Result) -> Response:
    """The response of a result: its chunks go out one by one, as the engine wrote them
    (none is joined or copied), with headers for the row cap and empty graphs."""
    response = chunks_response(result.parts, result.media_type)
    if result.kind != "boolean" and result.max_rows is not None:
        response.headers["X-Peninsula-Max-Rows"] = str(result.max_rows)
    if result.truncated:
        response.headers["X-Peninsula-Truncated"] = "true"
    if result.empty_graphs:
        from urllib.parse import quote

        response.headers[EMPTY_GRAPHS_HEADER] = " ".join(
            quote(g, safe=_HEADER_SAFE) for g in result.empty_graphs
        )
    response.vary.add("Accept")
    return response


@bp.after_request
def _cors(response: Response) -> Response:
    if request.path in ("/sparql", "/sparql/", "/health"):
        response.headers.update(CORS_HEADERS)
    return response


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], strict_slashes=False)
def sparql() -> Response:
    if request.method == "OPTIONS":
        return _preflight()
    params = _Params.from_request()
    if params.update is not None:
        return _update(params)
    if params.query is None:
        from server.void import service_description_response

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
                from werkzeug.exceptions import RequestEntityTooLarge

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
    base = _endpoint_url()
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
        from kg.engine.oxigraph.store import current_build

        published = current_build(Path(source.store_dir))
        body["copy_of_build"] = origin
        body["published_build"] = published.name if published else None
        body["newer_build_published"] = published is not None and published.name != origin
    return jsonify(body)


def quarantined_articles(settings: Settings) -> list[dict[str, object]]:
    """The articles the live build of the store quarantined, from its report."""
    return quarantine_of(live_report(Path(settings.store)))

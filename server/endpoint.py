"""The endpoint's state per app, and how every blueprint runs a query through it.

``EndpointState`` (in ``app.extensions["peninsula"]``) holds the settings, the engine
(closed with the app), caches and the public URL. ``run`` runs a query with the app's
engine, limits and base IRI; ``result_response`` turns its result into a streamed response.
The protocol views (``server.sparql``), the linked-data, canned-query, lookup and UI
blueprints, VoID and the HTTP cache all read from here, so none imports another for it.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, request

from kg.build.report import quarantine_of
from kg.engine.formats import OutputFormat
from kg.engine.interface import Engine, Result
from kg.engine.oxigraph.store import live_report
from kg.engine.query import QueryPlan, analyse, run_query
from kg.engine.tokens import QueryLimits
from kg.settings import Settings
from server.body import chunks_response
from server.throttle import TokenThrottle

__all__ = [
    "EMPTY_GRAPHS_HEADER",
    "EndpointState",
    "endpoint_state",
    "endpoint_url",
    "plan_for",
    "public_root",
    "quarantined_articles",
    "query_limits",
    "result_response",
    "run",
]

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
        if self.owns_engine:
            self.engine.close()


def query_limits(s: Settings) -> QueryLimits:
    """The query guard's limits, from the settings."""
    return QueryLimits(
        depth=s.max_query_depth,
        expression_terms=s.max_expression_terms,
        group_elements=s.max_group_elements,
        path_steps=s.max_path_steps,
    )


def endpoint_state() -> EndpointState:
    """The current app's endpoint state."""
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
        base_iri=endpoint_url() if request else None,
        plan=plan,
        limits=query_limits(s),
    )


def plan_for(text: str) -> QueryPlan:
    """``analyse`` with the app's limits: the same checks ``run`` would make."""
    state = endpoint_state()
    s = state.settings
    return analyse(text, allow_list=state.allow_list, max_rows=s.max_rows, limits=query_limits(s))


def endpoint_url() -> str:
    """This endpoint's URL (the base IRI of queries and updates), from the public URL: the
    Host header is the client's to choose, so it is never reflected."""
    return public_root() + "sparql"


def result_response(result: Result) -> Response:
    """The response of a result: its chunks go out one by one, as the engine wrote them
    (none is joined or copied), with headers for the row cap and empty graphs."""
    response = chunks_response(result.sent_parts(), result.media_type)
    if result.kind != "boolean" and result.max_rows is not None:
        response.headers["X-Peninsula-Max-Rows"] = str(result.max_rows)
    if result.truncated:
        response.headers["X-Peninsula-Truncated"] = "true"
    if result.empty_graphs:
        response.headers[EMPTY_GRAPHS_HEADER] = " ".join(
            quote(g, safe=_HEADER_SAFE) for g in result.empty_graphs
        )
    response.vary.add("Accept")
    return response


def quarantined_articles(settings: Settings) -> list[dict[str, object]]:
    """The articles the live build of the store quarantined, from its report."""
    return quarantine_of(live_report(Path(settings.store)))

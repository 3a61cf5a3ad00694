"""The app factory. No module-level app, store or graph: tests build apps with their own
settings. Blueprints, by owner:

- ``server.sparql``      the SPARQL 1.1 Protocol endpoint, Graph Store Protocol, /health
- ``server.linked_data`` IRI dereferencing (resources, graphs, ontology documents),
                         /context.jsonld, /void, /dump
- ``server.canned``      /queries and /queries/<name>
- ``server.lookup``      /lookup: entities by label or alias
- ``server.ui``          /, the editor, gallery, entity and article pages, timeline, network

The app's query engine (``kg.engine.oxigraph.pool``) lives in ``app.extensions["peninsula"]``
(``server.endpoint.EndpointState``); ``close_app`` stops its worker processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flask import Flask

from kg.engine.interface import Engine
from kg.engine.jobs import FilesSource, StoreSource
from kg.engine.oxigraph.pool import WorkerPool
from kg.engine.remote.client import RemoteStore, is_remote
from kg.engine.remote.engine import RemoteEngine
from kg.settings import Settings
from server.canned import bp as canned_bp
from server.endpoint import EndpointState
from server.errors import register_error_handlers
from server.hardening import install
from server.linked_data import bp as linked_data_bp
from server.lookup import bp as lookup_bp
from server.sparql import bp as sparql_bp
from server.ui import bp as ui_bp

__all__ = ["close_app", "create_app", "make_engine"]


def make_engine(settings: Settings, data: Sequence[Path] | None = None) -> Engine:
    """The worker pool over ``data`` files, or else the store of ``settings``: the remote
    store when ``store_endpoint`` names one (kg.engine.remote), else the on-disk store.
    Updatable (a private writable copy, see kg.engine.oxigraph.pool) only when an update
    token is configured."""
    if not data and is_remote(settings):
        return RemoteEngine(RemoteStore.from_settings(settings))
    source = FilesSource(tuple(str(p) for p in data)) if data else StoreSource(str(settings.store))
    return WorkerPool(
        source,
        size=settings.query_workers,
        updatable=bool(settings.update_token),
        short_workers=settings.short_query_workers,
        short_s=settings.short_query_s,
        queue_wait_s=settings.queue_wait_s,
        max_queued=settings.max_queued,
        memory_limit_mb=settings.query_memory_mb,
    )


def create_app(
    settings: Settings | None = None,
    *,
    data: Sequence[Path] | None = None,
    engine: Engine | None = None,
) -> Flask:
    """The Flask app. ``data`` serves RDF files instead of the store; ``engine`` reuses an
    engine the caller owns (it is then not closed by ``close_app``)."""
    settings = settings or Settings.load()
    app = Flask(__name__)
    app.config["PENINSULA"] = settings
    app.config["PENINSULA_SERVES_STORE"] = not data and engine is None
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_request_bytes

    app.extensions["peninsula"] = EndpointState(
        settings, engine or make_engine(settings, data), owns_engine=engine is None
    )
    for blueprint in (sparql_bp, linked_data_bp, canned_bp, lookup_bp, ui_bp):
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    install(app)
    return app


def close_app(app: Flask) -> None:
    """Stop the app's worker processes (when it owns them)."""
    state = app.extensions.get("peninsula")
    if state is not None:
        state.close()

"""The app factory. No module-level app, store or graph: tests build apps with their own
settings. Blueprints, by owner:

- ``server.sparql``      the SPARQL 1.1 Protocol endpoint, service description, /health
- ``server.linked_data`` IRI dereferencing, /ontology, /void, /dump
- ``server.canned``      /queries and /queries/<name>
- ``server.ui``          /, the editor, gallery, entity and article pages, timeline, network
"""

from __future__ import annotations

from flask import Flask

from kg.settings import Settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.load()
    app = Flask(__name__)
    app.config["PENINSULA"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes

    from server import canned, linked_data, sparql, ui

    for module in (sparql, linked_data, canned, ui):
        app.register_blueprint(module.bp)
    return app

"""One error shape for the whole site, and the one place domain errors get a status.

JSON clients get ``{"error": {"status": 400, "title": "Bad Request", "message": ...}}``;
browsers (who prefer text/html) get the same in an HTML page. Never a stack trace.
"""

from __future__ import annotations

import json
import logging
from html import escape
from http import HTTPStatus

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from kg.engine.jobs import (
    EngineCrashedError,
    GraphNotFoundError,
    QueryMemoryError,
    ReadOnlyError,
    WorkersBusyError,
)
from kg.errors import KGError, QueryError, QueryRefusedError, QueryTimeoutError
from server.negotiation import wants_html
from server.pages import error_html

__all__ = ["error_response", "register_error_handlers", "status_of"]

log = logging.getLogger(__name__)

# Most specific first.
_STATUS: tuple[tuple[type[KGError], int, str], ...] = (
    (WorkersBusyError, 503, "Service Busy"),
    (QueryTimeoutError, 503, "Query Timeout"),
    (QueryMemoryError, 503, "Query Over Memory Limit"),
    (QueryRefusedError, 400, "Query Refused"),
    (QueryError, 400, "Bad Request"),
    (GraphNotFoundError, 404, "Not Found"),
    (ReadOnlyError, 403, "Forbidden"),
    (EngineCrashedError, 500, "Query Engine Failure"),
)


def status_of(exc: KGError) -> tuple[int, str]:
    """The HTTP status and title of a domain error (500 for one no rule names)."""
    for cls, status, title in _STATUS:
        if isinstance(exc, cls):
            return status, title
    return 500, "Internal Server Error"


def error_response(status: int, message: str, title: str | None = None) -> Response:
    """The site's error response for ``status`` with ``message`` (HTML or JSON)."""
    title = title or HTTPStatus(status).phrase
    if wants_html(request.accept_mimetypes, ["application/json"]):
        body = _html(status, title, message)
        response = Response(body, status=status, content_type="text/html; charset=utf-8")
    else:
        payload = {"error": {"status": status, "title": title, "message": message}}
        response = Response(
            json.dumps(payload, ensure_ascii=False),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _html(status: int, title: str, message: str) -> str:
    try:
        return error_html(status, message)
    except (ImportError, RuntimeError, KeyError, OSError):
        return (
            f"<!doctype html><html lang=en><meta charset=utf-8><title>{status} {escape(title)}</title>"
            f"<h1>{status} {escape(title)}</h1><p>{escape(message)}</p></html>"
        )


def register_error_handlers(app: Flask) -> None:
    """Give ``app`` the one error shape for domain errors and HTTP errors."""

    @app.errorhandler(KGError)
    def _domain(exc: KGError) -> Response:
        status, title = status_of(exc)
        response = error_response(status, str(exc), title)
        if status == 503:
            response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        response = error_response(status, exc.description or exc.name, exc.name)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="peninsula"'
        retry_after = getattr(exc, "retry_after", None)
        if status in (429, 503) and retry_after:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "an internal error occurred; it has been logged")

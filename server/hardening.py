"""What every request and response goes through, whatever the route: strict input
(UTF-8 in the path, the query string and form bodies; IRIs of the protocol's graph
parameters), security headers, the public URL used instead of the Host header (in
redirects too). The throttle of wrong update tokens is ``server.throttle``.

The HTTP-level guards below the app (slow clients, Content-Length with Transfer-Encoding)
are in ``server.http_guard``; limits on the query's shape in ``kg.engine.query.check_shape``.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes, urlsplit, urlunsplit

from flask import Flask, Response, request
from werkzeug.exceptions import BadRequest

from kg.rdf.terms import check_iri as checked
from server.endpoint import public_root

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SECURITY_HEADERS",
    "check_iri",
    "install",
]


# The UI and the editor (YASGUI) load scripts, styles and fonts from this server only;
# YASGUI and CodeMirror set inline styles, hence 'unsafe-inline' for styles (never for
# scripts). No page may be framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
FORM_TYPE = "application/x-www-form-urlencoded"


def check_iri(value: str, what: str) -> str:
    """``value`` if it is an absolute IRI the engine accepts, else a 400 naming ``what``."""
    try:
        checked(value)
    except ValueError as exc:
        raise BadRequest(f"{what} {value!r} is not a valid absolute IRI: {exc}") from None
    return value


def _percent_utf8(raw: bytes, what: str) -> None:
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"the {what} is not valid UTF-8 once percent-decoded (byte {exc.object[exc.start]:#04x} "
            f"at {exc.start}); send UTF-8"
        ) from None


def _check_encoding() -> None:
    """Invalid UTF-8 in the path, the query string or a form body is a 400 here, before any
    view: decoders elsewhere would replace it with U+FFFD and run the query."""
    environ = request.environ
    path = environ.get("PATH_INFO", "")
    try:
        path.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise BadRequest("the request path is not valid UTF-8") from None
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")  # as sent, when the server says
    if raw:
        _percent_utf8(raw.split("?", 1)[0].encode("latin-1", "replace"), "request path")
    _percent_utf8(request.query_string, "query string")
    if request.method == "POST" and request.mimetype == FORM_TYPE:
        _percent_utf8(request.get_data(cache=True), "form body")


def _headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    location = response.headers.get("Location")
    if location:
        # werkzeug builds its own redirects (merged or added slashes) from the Host header
        parts = urlsplit(location)
        if parts.netloc and parts.netloc == request.host:
            rest = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
            response.headers["Location"] = public_root().rstrip("/") + rest
    return response


def install(app: Flask) -> None:
    """Register the encoding check and the security headers on ``app``."""
    app.before_request(_check_encoding)
    app.after_request(_headers)

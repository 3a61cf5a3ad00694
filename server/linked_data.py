"""Linked data: ``/resource/<path>`` dereferences ``<base>resource/<path>``; ``/ontology``
serves the ontology; ``/dump/<format>`` streams the whole dataset; ``/void`` (see
``server.void``). Every RDF view negotiates through ``server.negotiation`` and says
``Vary: Accept``; browsers get HTML.
"""

from __future__ import annotations

import re
import tempfile
import threading
from html import escape
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, request, send_file
from werkzeug.exceptions import NotFound

from kg.workers import DumpJob, StatsJob
from server.negotiation import FORMATS, Format, negotiate
from server.sparql import endpoint_state, result_response, run
from server.void import void_response

__all__ = ["DUMPS", "bp", "describe_query"]

bp = Blueprint("linked_data", __name__)

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# The resource's own triples, the labels of the nodes it links to, and the triples of
# blank nodes it links to (a concise bounded description with labels).
describe_query = f"""
CONSTRUCT {{ ?x ?p ?o . ?o <{RDFS_LABEL}> ?label . ?o ?bp ?bo }}
WHERE {{
  ?x ?p ?o .
  OPTIONAL {{ ?o <{RDFS_LABEL}> ?label }}
  OPTIONAL {{ FILTER(isBlank(?o)) ?o ?bp ?bo }}
}}"""
_EXISTS = "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }"
_UNSAFE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
DUMPS = {"trig": True, "nq": True, "ttl": False, "nt": False}  # format → named graphs only


def _wants_html() -> bool:
    accept = request.accept_mimetypes
    if request.args.get("format"):
        return request.args["format"] == "html"
    rdf = [f.media_type for f in FORMATS if "graph" in f.kinds]
    return accept.best_match(["text/html", *rdf]) == "text/html" and accept.quality("text/html") > 0


def _valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _vary(response: Response) -> Response:
    response.vary.add("Accept")
    return response


@bp.route("/resource/<path:path>")
def resource(path: str) -> Response:
    iri = endpoint_state().settings.base_iri + "resource/" + path
    if _UNSAFE_IRI.search(iri) or not _valid_iri(iri):
        raise NotFound(f"<{iri}> is not an IRI this dataset uses")
    from rdflib import URIRef

    if _wants_html():
        from server.pages import entity_html

        page = entity_html(iri)  # None when the graph says nothing about the IRI
        if page is None:
            raise NotFound(f"the dataset says nothing about <{iri}>")
        return _vary(Response(page, content_type="text/html; charset=utf-8"))
    exists = run(_EXISTS, output=FORMATS[0].output, bindings={"x": URIRef(iri)})
    if b"true" not in exists.body:
        raise NotFound(f"the dataset says nothing about <{iri}>")
    fmt = negotiate("graph", request.accept_mimetypes, request.args.get("format"))
    return _vary(result_response(run(describe_query, output=fmt.output, bindings={"x": URIRef(iri)})))


# --------------------------------------------------------------------- ontology


@bp.route("/ontology")
@bp.route("/ontology/")
def ontology() -> Response:
    folder = Path(endpoint_state().settings.ontology_dir)
    if _wants_html():
        page = folder / "peninsula.html"
        if page.is_file():
            return _vary(send_file(page, mimetype="text/html"))
        text = (folder / "peninsula.ttl").read_text(encoding="utf-8")
        html = f"<!doctype html><html lang=en><meta charset=utf-8><title>Peninsula ontology</title><pre>{escape(text)}</pre></html>"
        return _vary(Response(html, content_type="text/html; charset=utf-8"))
    fmt = negotiate("graph", request.accept_mimetypes, request.args.get("format"))
    return _vary(Response(_ontology_bytes(folder, fmt), content_type=fmt.content_type))


_ontology_lock = threading.Lock()


def _ontology_bytes(folder: Path, fmt: Format) -> bytes:
    caches = endpoint_state().caches
    source = folder / "peninsula.ttl"
    key = ("ontology", fmt.name, source.stat().st_mtime_ns)
    with _ontology_lock:
        if key not in caches:
            quads = list(ox.parse(path=str(source), format=ox.RdfFormat.TURTLE))
            prefixes = {
                "owl": "http://www.w3.org/2002/07/owl#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            }
            caches[key] = ox.serialize(
                [q.triple for q in quads], format=getattr(ox.RdfFormat, fmt.engine_format), prefixes=prefixes
            )
        body = caches[key]
    assert isinstance(body, bytes)
    return body


# --------------------------------------------------------------------- dumps and VoID


@bp.route("/dump/<name>")
def dump(name: str) -> Response:
    """The whole dataset as a file: ``trig``/``nq`` hold the named graphs, ``ttl``/``nt``
    the default graph (their union). Written once per build by a worker, then streamed
    from disk."""
    if name not in DUMPS:
        raise NotFound(f"no dump in format {name!r}; try one of {', '.join(DUMPS)}")
    fmt = next(f for f in FORMATS if f.name == name)
    state = endpoint_state()
    timeout = max(state.settings.query_timeout_s, 600.0)
    build = state.engine.run(StatsJob(), timeout_s=state.settings.query_timeout_s)["build"]
    folder = _dump_dir(state.caches)
    safe_build = re.sub(r"[^A-Za-z0-9._-]", "_", str(build))[:100]
    path = folder / f"{safe_build}.{name}"
    lock = state.caches.setdefault(("dump-lock", name), threading.Lock())
    with lock:
        if not path.exists():
            state.engine.run(DumpJob(fmt.engine_format, str(path), DUMPS[name]), timeout_s=timeout)
    response = send_file(path, mimetype=fmt.media_type, download_name=f"peninsula.{name}", conditional=True)
    response.headers["Content-Type"] = fmt.content_type  # send_file would add a second charset
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _dump_dir(caches: dict[Any, Any]) -> Path:
    if "dump-dir" not in caches:  # removed by EndpointState.close
        caches["dump-dir"] = tempfile.mkdtemp(prefix="peninsula-dumps-")
    return Path(caches["dump-dir"])


@bp.route("/void")
@bp.route("/.well-known/void")
def void() -> Response:
    return _vary(void_response())

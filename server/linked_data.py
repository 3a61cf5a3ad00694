"""Linked data: every IRI under the base that the dataset or its ontology names
dereferences here, and the dataset describes itself.

- ``/resource/<path>``: a resource's page (HTML) or its bounded description with incoming
  links (``server.rdf_docs``) in any RDF format;
- ``/graph/<path>``: a named graph's page, or its content (what the Graph Store Protocol's
  ``/graphs?graph=`` returns: direct graph identification);
- ``/ontology``, its version IRI (``/ontology/0.1.0``), ``/ontology/alignments`` and any
  other ontology document of the ontology folder, by the IRIs the documents declare;
- ``/context.jsonld``: the JSON-LD context every JSON-LD document here is compacted with;
- ``/dump/<format>``: the whole dataset, written once per build, gzip on request;
- ``/void``: VoID and DCAT (``server.void``).

Every view negotiates through ``server.negotiation`` (``Vary: Accept``), sends ``Link``
headers (alternate formats, describedby, the dataset), validators tied to the build
(``server.http_cache``: 304 before any query runs) and gzip when asked.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, render_template, request, send_file
from werkzeug.exceptions import NotFound

import server.http_cache as hc
from kg.engine.formats import DUMPS, format_named
from kg.engine.jobs import DumpJob, GraphGetJob
from kg.engine.reader import triples as triples_of
from kg.rdf.documents import Quad
from kg.rdf.terms import check_iri, iri, literal
from server.endpoint import endpoint_state, public_root, run
from server.entity_pages import entity_html
from server.negotiation import FORMATS, Format, negotiate, wants_html
from server.ontology_docs import OntologyDoc, file_prefixes, ontology_docs, ontology_triples
from server.rdf_docs import IN_CAP, OUT_CAP, context, describe, prefixes, serialize
from server.void import void_response

__all__ = ["bp"]

bp = Blueprint("linked_data", __name__)

_UNSAFE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_GRAPH_FORMATS = [f for f in FORMATS if "graph" in f.kinds]
_NT = format_named("nt").output
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Link, ETag, Last-Modified"}


def _wants_html() -> bool:
    rdf = [f.media_type for f in _GRAPH_FORMATS]
    return wants_html(request.accept_mimetypes, rdf, format_param=request.args.get("format"), html_first=True)


def _checked_iri(iri: str) -> str:
    try:
        check_iri(iri)
    except ValueError:
        raise NotFound(f"<{iri}> is not an IRI this dataset uses") from None
    if _UNSAFE_IRI.search(iri):
        raise NotFound(f"<{iri}> is not an IRI this dataset uses")
    return iri


def _here() -> str:
    """This request's URL as clients reach the server (never from the Host header)."""
    return public_root().rstrip("/") + quote(request.path, safe="/:@!$&'()*+,;=-._~")


def _links(
    formats: list[Format], *, describedby: str | None = None, html: bool = True, extra: tuple = ()
) -> str:
    """Link values: each format as rel=alternate, the RDF description, the dataset."""
    here = _here()
    links: list[tuple[str, dict[str, Any]]] = []
    if html:
        links.append((here + "?format=html", {"rel": "alternate", "type": "text/html"}))
    links += [(f"{here}?format={f.name}", {"rel": "alternate", "type": f.media_type}) for f in formats]
    if describedby:
        links.append((describedby, {"rel": "describedby", "type": "text/turtle"}))
    links.append((public_root() + "void", {"rel": "http://rdfs.org/ns/void#inDataset"}))
    links += list(extra)
    return hc.link_header(links)


def _serve(
    representation: str,
    make: Callable[[], Response],
    *,
    links: str,
    info: hc.BuildInfo | None = None,
    max_age: int = hc.MAX_AGE_S,
) -> Response:
    """The common end of every view: a 304 when the client's copy is current (before
    ``make`` runs any query), else ``make()`` with validators, links, CORS and gzip."""
    info = info or hc.build_info()
    tag = hc.etag(info, representation, "gzip" if hc.accepts_gzip() else "")
    unchanged = hc.not_modified(tag, info, "Accept, Accept-Encoding")
    if unchanged is not None:
        unchanged.headers["Link"] = links
        unchanged.headers.update(CORS)
        return unchanged
    response = make()
    response.vary.add("Accept")
    response.headers["Link"] = links
    response.headers.update(CORS)
    hc.cacheable(response, tag, info, max_age)
    return hc.gzip_body(response)


EXPANDED = "http://www.w3.org/ns/json-ld#expanded"


def _expanded(fmt: Format) -> bool:
    """True when a JSON-LD client asks for the expanded form (``Accept:
    application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"``, or
    ``?profile=expanded``): it needs no context, for clients that cannot fetch one."""
    if fmt.name != "jsonld":
        return False
    return request.args.get("profile") == "expanded" or EXPANDED in request.headers.get("Accept", "")


def _rep(fmt: Format) -> str:
    """The name of a representation, for its ETag."""
    return fmt.name + ("-expanded" if _expanded(fmt) else "")


def _rdf(triples: list[Quad], fmt: Format, extra_prefixes: dict[str, str] | None = None) -> Response:
    settings = endpoint_state().settings
    body = serialize(
        triples,
        fmt,
        base=settings.base_iri,
        ontology_dir=Path(settings.ontology_dir),
        context_url=public_root() + "context.jsonld",
        extra_prefixes=extra_prefixes,
        expanded=_expanded(fmt),
    )
    return Response(body, content_type=fmt.content_type)


# --------------------------------------------------------------------- resources


@bp.route("/resource/<path:path>")
def resource(path: str) -> Response:
    """A resource under ``<base>resource/``: HTML for browsers, else its description."""
    iri = _checked_iri(endpoint_state().settings.base_iri + "resource/" + path)
    links = _links(_GRAPH_FORMATS, describedby=_here() + "?format=ttl")
    if _wants_html():
        return _serve("html", lambda: _resource_html(iri), links=links)
    fmt = negotiate("graph", request.accept_mimetypes, request.args.get("format"))
    return _serve(_rep(fmt), lambda: _resource_rdf(iri, fmt), links=links)


def _resource_html(iri: str) -> Response:
    page = entity_html(iri)  # None when the graph says nothing about the IRI
    if page is None:
        raise NotFound(f"the dataset says nothing about <{iri}>")
    return Response(page, content_type="text/html; charset=utf-8")


def _resource_rdf(resource: str, fmt: Format) -> Response:
    found = describe(resource)
    if not found.triples and not found.out_total and not found.in_total:
        raise NotFound(f"the dataset says nothing about <{resource}>")
    triples = found.triples
    if found.truncated:
        doc = iri(_here())
        note = (
            f"This description holds {min(found.out_total, OUT_CAP)} of the {found.out_total} triples "
            f"about the resource and {min(found.in_total, IN_CAP)} of the {found.in_total} triples "
            "that point at it; the SPARQL endpoint has them all."
        )
        triples = [
            *triples,
            Quad(doc, iri("http://xmlns.com/foaf/0.1/primaryTopic"), iri(resource)),
            Quad(doc, iri("http://www.w3.org/2000/01/rdf-schema#comment"), literal(note)),
        ]
    response = _rdf(triples, fmt)
    if found.truncated:
        response.headers["X-Peninsula-Truncated"] = "true"
    return response


# --------------------------------------------------------------------- named graphs


@bp.route("/graph/<path:path>")
def graph(path: str) -> Response:
    """A named graph: a page for browsers; else its content, as the Graph Store Protocol
    serves it (direct identification), in any RDF format (TriG/N-Quads with its name)."""
    settings = endpoint_state().settings
    iri = _checked_iri(settings.base_iri + "graph/" + path)
    gsp = public_root() + "graphs?graph=" + quote(iri, safe="")
    extra = ((gsp, {"rel": "alternate", "title": "SPARQL 1.1 Graph Store Protocol"}),)
    links = _links(_GRAPH_FORMATS, describedby=_here() + "?format=ttl", extra=extra)
    if _wants_html():
        return _serve("html", lambda: _graph_html(iri, gsp), links=links)
    fmt = negotiate("graph", request.accept_mimetypes, request.args.get("format"))
    return _serve(_rep(fmt), lambda: _graph_rdf(iri, fmt), links=links)


def _graph_size(iri: str) -> int | None:
    """The triples of the named graph ``iri``, or None when the store has no such graph."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    rows = json.loads(run(text, output=FORMATS[0].output).body)["results"]["bindings"]
    n = int(rows[0]["n"]["value"]) if rows else 0
    return n or None


def _graph_html(iri: str, gsp: str) -> Response:
    size = _graph_size(iri)
    if size is None:
        raise NotFound(f"the dataset has no graph <{iri}>")
    base = endpoint_state().settings.base_iri
    slug = iri[len(base + "graph/article/") :] if iri.startswith(base + "graph/article/") else ""
    page = render_template(
        "graph.html",
        iri=iri,
        size=size,
        gsp=gsp,
        article=f"/article/{quote(slug)}" if slug else "",
        formats=[(f.name, f.media_type) for f in _GRAPH_FORMATS],
    )
    return Response(page, content_type="text/html; charset=utf-8")


def _graph_rdf(name: str, fmt: Format) -> Response:
    if _graph_size(name) is None:
        raise NotFound(f"the dataset has no graph <{name}>")
    state = endpoint_state()
    result = state.engine.run(GraphGetJob(name, _NT), timeout_s=state.settings.query_timeout_s)
    quads = fmt.name in ("trig", "nq")  # with the graph's name; JSON-LD and the triple formats without
    return _rdf([q._replace(graph=name) if quads else q for q in triples_of(result)], fmt)


# --------------------------------------------------------------------- ontology


@bp.route("/ontology")
@bp.route("/ontology/")
def ontology() -> Response:
    """The ontology (``<base>ontology``)."""
    return _ontology_document("")


@bp.route("/ontology/<path:rest>")
def ontology_document(rest: str) -> Response:
    """Another ontology document by the IRI it declares: the ontology's version IRI, the
    alignments and their version IRI (``owl:versionIRI``)."""
    return _ontology_document(rest)


def _ontology_document(rest: str) -> Response:
    settings = endpoint_state().settings
    iri = settings.base_iri + "ontology" + (("/" + rest) if rest else "")
    docs = ontology_docs(Path(settings.ontology_dir), settings.base_iri)
    doc = docs.get(iri.rstrip("/"))
    if doc is None:
        known = ", ".join(sorted(f"<{i}>" for i in docs))
        raise NotFound(f"no ontology document is named <{iri}>; these are: {known}")
    info = hc.file_info(doc.path)
    links = _links(_GRAPH_FORMATS, describedby=None)
    max_age = 86400 if doc.is_version else hc.MAX_AGE_S  # a version IRI names fixed content
    if _wants_html():
        return _serve("html", lambda: _ontology_html(doc), links=links, info=info, max_age=max_age)
    fmt = negotiate("graph", request.accept_mimetypes, request.args.get("format"))
    return _serve(_rep(fmt), lambda: _ontology_rdf(doc, fmt), links=links, info=info, max_age=max_age)


def _ontology_html(doc: OntologyDoc) -> Response:
    page = doc.path.with_suffix(".html")
    if page.is_file():
        return Response(page.read_bytes(), content_type="text/html; charset=utf-8")
    text = doc.path.read_text(encoding="utf-8")
    html = (
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{escape(doc.title)}</title>"
        f"<h1>{escape(doc.title)}</h1><p><code>{escape(doc.iri)}</code></p><pre>{escape(text)}</pre></html>"
    )
    return Response(html, content_type="text/html; charset=utf-8")


def _ontology_rdf(doc: OntologyDoc, fmt: Format) -> Response:
    return _rdf(ontology_triples(doc.path), fmt, file_prefixes(doc.path))


@bp.route("/context.jsonld")
def jsonld_context() -> Response:
    """The JSON-LD context of every JSON-LD document this server writes."""
    settings = endpoint_state().settings
    source = Path(settings.ontology_dir) / "peninsula.ttl"
    info = hc.file_info(source)

    def make() -> Response:
        """The context, generated from the ontology."""
        body = context(settings.base_iri, Path(settings.ontology_dir))
        return Response(json.dumps(body, indent=2), content_type="application/ld+json; charset=utf-8")

    return _serve("context", make, links=_links([], html=False), info=info, max_age=86400)


# --------------------------------------------------------------------- dumps and VoID


@bp.route("/dump/<name>")
def dump(name: str) -> Response:
    """The whole dataset as a file: ``trig``/``nq`` hold the named graphs, ``ttl``/``nt``
    the default graph (their union). Written once per build by a worker, compressed once
    when a client first asks for gzip, then streamed from disk; conditional and range
    requests are answered from the build's validators."""
    if name not in DUMPS:
        raise NotFound(f"no dump in format {name!r}; try one of {', '.join(DUMPS)}")
    fmt = format_named(name)
    state = endpoint_state()
    info = hc.build_info()
    gz = hc.accepts_gzip()
    tag = hc.etag(info, name, "gzip" if gz else "")
    described = hc.link_header([(public_root() + "void", {"rel": "describedby", "type": "text/turtle"})])
    unchanged = hc.not_modified(tag, info, "Accept-Encoding")
    if unchanged is not None:
        unchanged.headers.update(CORS)
        unchanged.headers["Link"] = described
        return unchanged
    path = _dump_file(name, fmt, info.build)
    if gz:
        with state.caches.setdefault(("dump-lock", name), threading.Lock()):
            path = hc.gzip_file(path)
    response = send_file(
        path,
        mimetype=fmt.media_type,
        download_name=f"peninsula.{name}",
        conditional=True,
        etag=tag,
        last_modified=info.modified,
        max_age=hc.MAX_AGE_S,
    )
    response.headers["Content-Type"] = fmt.content_type  # send_file would add a second charset
    response.headers["Cache-Control"] = f"public, max-age={hc.MAX_AGE_S}"
    if gz:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.headers.update(CORS)
    response.headers["Link"] = described  # the dataset's VoID and DCAT description
    return response


def _dump_file(name: str, fmt: Format, build: str) -> Path:
    """The dump of ``build`` in format ``name``, written by a worker the first time."""
    state = endpoint_state()
    timeout = max(state.settings.query_timeout_s, 600.0)
    folder = _dump_dir(state.caches)
    safe_build = re.sub(r"[^A-Za-z0-9._-]", "_", build)[:100]
    path = folder / f"{safe_build}.{name}"
    with state.caches.setdefault(("dump-lock", name), threading.Lock()):
        if not path.exists():
            job = DumpJob(fmt.engine_format, str(path), fmt.datasets, prefixes(state.settings.base_iri))
            state.engine.run(job, timeout_s=timeout)
    return path


def _dump_dir(caches: dict[Any, Any]) -> Path:
    if "dump-dir" not in caches:  # removed by EndpointState.close
        caches["dump-dir"] = tempfile.mkdtemp(prefix="peninsula-dumps-")
    return Path(caches["dump-dir"])


@bp.route("/void")
@bp.route("/.well-known/void")
def void() -> Response:
    """The VoID and DCAT description of the dataset."""
    links = _links(_GRAPH_FORMATS, describedby=None)
    return _serve("void", void_response, links=links)

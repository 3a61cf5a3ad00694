"""``RemoteEngine``: the ``Engine`` of a remote SPARQL 1.1 store (Protocol, Update, Graph Store
Protocol), tested against Virtuoso Open Source (docs/decisions/0016-remote-store.md).

Queries go to the store's query endpoint with an explicit dataset pinned to the live build
(:mod:`kg.engine.remote.layout`), under the store's execution time limit (Virtuoso's
``timeout`` parameter, in milliseconds) and a client time limit; a result Virtuoso cut at
its time limit (it answers 200 with ``X-SQL-State: S1TAT``, an "anytime" result) is a
``QueryTimeoutError``, never a partial answer. The store answers in one exchange format
(SPARQL XML results, N-Triples), which is parsed and written out as the job asks, so the
bytes have the embedded engine's shape and row cap, and the ``Result`` its truncation flag. pyoxigraph is used
here as a parser and serialiser only; nothing of ``kg.engine.oxigraph`` is imported.

Writes (``UpdateJob``, ``GraphWriteJob``) need the update credentials of the environment.
"""

from __future__ import annotations

import functools
import os
import re
import time
from dataclasses import replace
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from kg.engine.formats import FORM_KIND, Kind
from kg.engine.interface import Result
from kg.engine.jobs import (
    DumpJob,
    GraphGetJob,
    GraphNotFoundError,
    GraphWriteJob,
    Job,
    QueryJob,
    StatsJob,
    UpdateJob,
)
from kg.engine.query import tokenize
from kg.engine.remote.client import RemoteStore, RemoteStoreError, Reply
from kg.engine.remote.layout import (
    EMPTY_GRAPH,
    HAS_PART,
    IDENTIFIER,
    default_graph,
    pointer_graph,
    split_dataset,
    with_dataset,
)
from kg.engine.remote.paths import expand_closures
from kg.errors import QueryError, QueryTimeoutError

__all__ = ["RemoteEngine"]

# SPARQL JSON results, not XML: pyoxigraph's XML results parser trims a literal's trailing
# line breaks (a gist ending in "\n\n" came back without them).
_RESULTS = "application/sparql-results+json"
_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_VIRTUOSO_BOOLEAN = re.compile(
    rb'("datatype"\s*:\s*"http://www.w3.org/2001/XMLSchema#boolean"\s*,\s*"value"\s*:\s*")([01])"'
)
_NTRIPLES = "application/n-triples"
_GRACE_S = 2.0  # the client waits this much longer than the store's own limit
_LIVE_TTL_S = 5.0  # how long the list of the live build's graphs is reused
_ATTEMPTS = 3


class RemoteEngine:
    """Runs jobs on a remote store; thread-safe (no connection is shared)."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store
        self.union = default_graph(store.base_iri)
        self.pointer = pointer_graph(store.base_iri)
        self._live: tuple[float, str, tuple[str, ...]] | None = None
        self._closures: dict[tuple[Any, ...], list[str] | None] = {}

    def start(self) -> None:
        """Read the live build once, as ``kg serve`` asks of an engine before it says it
        listens: a store that cannot be reached stops the server there, with the reason."""
        self.live(fresh=True)

    def close(self) -> None:
        """Nothing to free: every request opens and closes its own connection."""

    def run(self, job: Job, *, timeout_s: float) -> Any:
        """Run ``job`` within ``timeout_s`` seconds (see ``kg.engine.interface.Engine``)."""
        if isinstance(job, QueryJob):
            return self._query(job, timeout_s)
        if isinstance(job, GraphGetJob):
            return self._graph(job, timeout_s)
        if isinstance(job, StatsJob):
            return self._stats(timeout_s)
        if isinstance(job, DumpJob):
            return self._dump(job, timeout_s)
        if isinstance(job, UpdateJob):
            return self._update(job, timeout_s)
        return self._write_graph(job, timeout_s)

    # --- the live build -----------------------------------------------------------------

    def live(self, timeout_s: float = 30.0, *, fresh: bool = False) -> tuple[str, tuple[str, ...]]:
        """The live build's id and named graphs, from the pointer (``("none", ())`` before a
        first publication); reused for ``_LIVE_TTL_S``."""
        now = time.monotonic()
        if self._live is not None and not fresh and now - self._live[0] < _LIVE_TTL_S:
            return self._live[1], self._live[2]
        text = f"SELECT ?p ?o WHERE {{ GRAPH <{self.pointer}> {{ <{self.pointer}> ?p ?o }} }}"
        rows = self._select(text, timeout_s, default=(EMPTY_GRAPH,), named=(self.pointer,))
        build = next((o.value for p, o in rows if p.value == IDENTIFIER), "none")
        graphs = tuple(sorted(o.value for p, o in rows if p.value == HAS_PART))
        self._live = (now, build, graphs)
        return build, graphs

    def _select(
        self, text: str, timeout_s: float, *, default: tuple[str, ...], named: tuple[str, ...]
    ) -> list[tuple[Any, ...]]:
        reply = self._send(text, _RESULTS, default, named, timeout_s)
        parsed = _parse_results(reply.body)
        assert isinstance(parsed, ox.QuerySolutions)
        return [tuple(row) for row in parsed]

    def _send(
        self, text: str, accept: str, default: tuple[str, ...], named: tuple[str, ...], timeout_s: float
    ) -> Reply:
        form = {
            "query": with_dataset(text, default, named or (EMPTY_GRAPH,)),
            "timeout": str(max(int(timeout_s * 1000), 1)),
        }
        reply = self.store.request(
            self.store.query_url, form=form, headers={"Accept": accept}, timeout_s=timeout_s + _GRACE_S
        )
        if reply.headers.get("X-SQL-State", "").strip() == "S1TAT":  # Virtuoso's anytime result
            raise QueryTimeoutError(f"the query ran past the time limit of {timeout_s:g} s")
        return reply

    # --- queries --------------------------------------------------------------------------

    def _query(self, job: QueryJob, timeout_s: float) -> Result:
        """Run the query on the live build (a malformed one is refused first, see
        ``_check_syntax``). Its named graphs are listed in the query's
        dataset; a publication switching builds between reading that list and the end of
        the query would mix two builds, so the pointer is read again after it, and the
        query run again (at most ``_ATTEMPTS`` times) if the build changed."""
        _check_syntax(job)
        for _ in range(_ATTEMPTS):
            build, graphs = self.live(timeout_s)
            result = self._query_on(job, graphs, timeout_s)
            if self._build_is(build, timeout_s):
                return result
            self._live = None
        raise RemoteStoreError("the remote store published builds faster than a query could run; try again")

    def _build_is(self, build: str, timeout_s: float) -> bool:
        text = f'ASK {{ GRAPH <{self.pointer}> {{ <{self.pointer}> <{IDENTIFIER}> "{build}" }} }}'
        if build == "none":
            text = f"ASK {{ FILTER NOT EXISTS {{ GRAPH <{self.pointer}> {{ ?s ?p ?o }} }} }}"
        reply = self._send(text, _RESULTS, (EMPTY_GRAPH,), (self.pointer,), timeout_s)
        return bool(_parse_results(reply.body))

    def _query_on(self, job: QueryJob, graphs: tuple[str, ...], timeout_s: float) -> Result:
        text, from_default, from_named = split_dataset(job.text, job.prefixes, job.base_iri)
        if job.default_graphs or job.named_graphs:  # the protocol's dataset replaces FROM
            default, named = job.default_graphs or (self.union,), job.named_graphs
        elif from_default or from_named:
            default, named = from_default or (EMPTY_GRAPH,), from_named
        elif any(tok.is_word("GRAPH") for tok in tokenize(text)):
            default, named = (self.union,), graphs
        else:  # no GRAPH: named graphs cannot show, and Virtuoso refuses thousands of them
            default, named = (self.union,), ()
        text = expand_closures(
            text, job.prefixes, job.base_iri, lambda p, op, o: self._closure(p, op, o, default, timeout_s)
        )
        if job.bindings:
            text = _with_values(text, job.bindings)
        kind = _kind(text)
        reply = self._send(text, _NTRIPLES if kind == "graph" else _RESULTS, default, named, timeout_s)
        result = _graph_result(reply, job) if kind == "graph" else _solutions_result(reply.body, job)
        live = set(graphs)
        missing = tuple(g for g in job.check_graphs if g not in live)
        return replace(result, empty_graphs=missing) if missing else result

    def _closure(
        self, predicate: str, op: str, obj: str, default: tuple[str, ...], timeout_s: float
    ) -> list[str] | None:
        """The subjects of ``?x <predicate>op <obj>`` alone in the default graph ``default``
        (see kg.engine.remote.paths), kept while the live build stays the same; ``None``
        when one is a blank node, which ``VALUES`` cannot name."""
        key = (self._live[1] if self._live else "none", predicate, op, obj, default)
        if key not in self._closures:
            text = f"SELECT DISTINCT ?x WHERE {{ ?x <{predicate}>{op} <{obj}> }}"
            rows = self._select(text, timeout_s, default=default, named=())
            if len(self._closures) > 1000:
                self._closures.clear()
            iris = [row[0].value for row in rows if isinstance(row[0], ox.NamedNode)]
            self._closures[key] = iris if len(iris) == len(rows) else None
        return self._closures[key]

    def _graph(self, job: GraphGetJob, timeout_s: float) -> Result:
        name = job.graph or self.union
        if job.graph is not None and job.graph not in self.live(timeout_s)[1]:
            raise GraphNotFoundError(f"no graph <{job.graph}> in the store")
        triples = self._triples(name, timeout_s)
        fmt = _rdf_format(job.output.engine_format, job.output.media_type)
        body = ox.serialize(triples, format=fmt) or b""
        return Result((body,), job.output.media_type, "graph")

    def _triples(self, graph: str, timeout_s: float) -> list[ox.Triple]:
        """The triples of one graph, by a query (reads need no credentials, and no GSP)."""
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        return _parse_triples(self._send(text, _NTRIPLES, (EMPTY_GRAPH,), (graph,), timeout_s))

    # --- statistics and dumps ---------------------------------------------------------------

    def _stats(self, timeout_s: float) -> dict[str, Any]:
        build, graphs = self.live(timeout_s, fresh=True)
        rows = self._select(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout_s, default=(self.union,), named=()
        )
        return {"build": build, "triples": int(rows[0][0].value), "named_graphs": len(graphs)}

    def _dump(self, job: DumpJob, timeout_s: float) -> str:
        fmt = _rdf_format(job.engine_format)
        prefixes = dict(job.prefixes) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        tmp = job.path + ".part"
        if job.named_graphs_only:
            quads = [
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                for g in self.live(timeout_s, fresh=True)[1]
                for t in self._triples(g, timeout_s)
            ]
            ox.serialize(quads, output=tmp, format=fmt, prefixes=prefixes)
        else:
            ox.serialize(self._triples(self.union, timeout_s), output=tmp, format=fmt, prefixes=prefixes)
        os.replace(tmp, job.path)
        return job.path

    # --- writes ------------------------------------------------------------------------------

    def _update(self, job: UpdateJob, timeout_s: float) -> dict[str, Any]:
        """An update; the default graph it writes is the materialised default graph."""
        form = {"update": job.text, "default-graph-uri": self.union, "using-graph-uri": self.union}
        self.store.request(self.store.update_url, form=form, timeout_s=timeout_s + _GRACE_S, writes=True)
        self._live = None
        return {}

    def _write_graph(self, job: GraphWriteJob, timeout_s: float) -> dict[str, Any]:
        name = job.graph or self.union
        exists = job.graph is None or job.graph in self.live(timeout_s, fresh=True)[1]
        data = job.data
        if job.method != "DELETE":
            try:
                fmt = _rdf_format(job.engine_format)
                data = (
                    ox.serialize(
                        ox.parse(job.data, format=fmt, base_iri=job.base_iri), format=ox.RdfFormat.N_TRIPLES
                    )
                    or b""
                )
            except (SyntaxError, ValueError) as exc:
                raise QueryError(f"the request body is not valid RDF: {exc}") from None
        self.store.request(
            self.store.gsp_url,
            method=job.method,
            params={"graph-uri": name},
            body=None if job.method == "DELETE" else data,
            headers={} if job.method == "DELETE" else {"Content-Type": _NTRIPLES},
            timeout_s=timeout_s + _GRACE_S,
            writes=True,
        )
        if job.graph is not None and not exists and job.method != "DELETE":
            self._register(job.graph, timeout_s)
        self._live = None
        return {"created": not exists}

    def _register(self, graph: str, timeout_s: float) -> None:
        text = f"INSERT DATA {{ GRAPH <{self.pointer}> {{ <{self.pointer}> <{HAS_PART}> <{graph}> }} }}"
        self.store.request(self.store.update_url, form={"update": text}, timeout_s=timeout_s, writes=True)


@functools.cache
def _parser() -> ox.Store:
    """An empty in-memory store, used only to parse queries (a query on it reads nothing)."""
    return ox.Store()


def _check_syntax(job: QueryJob) -> None:
    """Refuse a malformed query with the embedded engine's parser message, positions in the
    client's text, before the store sees it: the same 400 on both backends, not Virtuoso's
    message about the ``LIMIT`` the core appended. Parsing takes about 0.04 ms. A query
    with ``SERVICE`` (an allowed endpoint) is left to the store: an ``ASK`` on the empty
    store would call it from the web process."""
    text = job.original_text or job.text
    if any(tok.is_word("SERVICE") for tok in tokenize(text)):
        return
    try:
        _parser().query(text, base_iri=job.base_iri)
    except SyntaxError as exc:
        raise QueryError(str(exc)) from None
    except (RuntimeError, ValueError, TypeError):
        return  # an evaluation error: the store's to report on the real data


def _kind(text: str) -> Kind:
    for tok in tokenize(text):
        if tok.depth == 0 and tok.is_word(*FORM_KIND):
            return FORM_KIND[tok.text.upper()]
    return "solutions"


def _with_values(text: str, bindings: Any) -> str:
    """The query with a ``VALUES`` block binding each variable to its term (written by
    rdflib, escaped, never pasted) first in the outermost group, so the group's patterns
    join with it as with a pre-bound variable."""
    names = list(bindings)
    terms = []
    for name in names:
        value = bindings[name]
        if not isinstance(value, Node):
            raise QueryError(f"cannot bind a {type(value).__name__}")
        terms.append(value.n3())
    first = next((t for t in tokenize(text) if t.depth == 0 and t.text == "{"), None)
    if first is None:
        raise QueryError("the query has no group pattern to bind variables in")
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }} "
    return text[: first.end] + block + text[first.end :]


def _rdf_format(name: str, media_type: str = "") -> ox.RdfFormat:
    value = getattr(ox.RdfFormat, name, None)
    if not isinstance(value, ox.RdfFormat):
        raise QueryError(f"{media_type or name} cannot carry an RDF graph")
    return value


def _results_format(name: str, media_type: str) -> ox.QueryResultsFormat:
    value = getattr(ox.QueryResultsFormat, name, None)
    if not isinstance(value, ox.QueryResultsFormat):
        raise QueryError(f"{media_type} cannot carry a SELECT or ASK result")
    return value


def _parse_triples(reply: Reply) -> list[ox.Triple]:
    media = reply.headers.get_content_type()
    fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
    try:
        return [q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(reply.body, format=fmt)]
    except SyntaxError as exc:
        raise QueryError(f"the remote store sent unreadable {media}: {exc}") from None


def _graph_result(reply: Reply, job: QueryJob) -> Result:
    """The triples of a CONSTRUCT or DESCRIBE, at most ``max_rows`` of them."""
    triples = _parse_triples(reply)
    fmt = _rdf_format(job.output.engine_format, job.output.media_type)
    truncated = len(triples) > job.max_rows
    kept = triples[: job.max_rows]
    prefixes = dict(job.prefixes) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    body = ox.serialize(kept, format=fmt, prefixes=prefixes) or b""
    return Result((body,), job.output.media_type, "graph", truncated, job.max_rows)


def _parse_results(body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    """A store's SPARQL JSON results. Virtuoso names blank nodes ``nodeID://b10000``, which
    is no blank node label: the prefix is dropped (the label stays the store's). It writes
    a boolean stored as ``"false"`` as ``"0"`` (in JSON only; it keeps no lexical form):
    written back in the canonical form, which the build writes."""
    body = _VIRTUOSO_BNODE.sub(rb"\1", body)
    body = _VIRTUOSO_BOOLEAN.sub(lambda m: m.group(1) + (b'true"' if m.group(2) == b"1" else b'false"'), body)
    try:
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    except SyntaxError as exc:
        raise RemoteStoreError(f"the remote store sent unreadable results: {exc}") from None


def _solutions_result(results: bytes, job: QueryJob) -> Result:
    """A SELECT's or ASK's result in the job's format; a SELECT cut at ``max_rows`` rows (the
    text asked for one more) says so in its ``truncated`` flag, as the embedded engine's does."""
    parsed = _parse_results(results)
    target = _results_format(job.output.engine_format, job.output.media_type)
    if isinstance(parsed, ox.QueryBoolean):
        return Result((parsed.serialize(format=target) or b"",), job.output.media_type, "boolean")
    tsv = ox.QueryResultsFormat.TSV
    table = parsed.serialize(format=tsv) or b""
    lines = table.split(b"\n")  # TSV escapes line breaks inside terms: one row a line
    truncated = len(lines) - 2 > job.max_rows
    if truncated:
        table = b"\n".join(lines[: job.max_rows + 1]) + b"\n"
    if target == tsv:
        body = table
    else:
        capped = ox.parse_query_results(table, format=tsv)
        assert isinstance(capped, ox.QuerySolutions)
        body = capped.serialize(format=target) or b""
    # (the truncation flag is the Result's; the wire adds it to JSON: Result.sent_parts)
    return Result((body,), job.output.media_type, "solutions", truncated, job.max_rows)

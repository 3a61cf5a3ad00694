"""Running one job on a pyoxigraph store, in whichever process holds the store.

:func:`evaluate_query` runs a query and serialises its result inside the engine, capping
rows (with a truncation flag) by asking for one row more than the cap; :func:`load_files`
builds an in-memory dataset from RDF files; :func:`dump` streams the dataset to a file.
Both the worker processes (:mod:`kg.worker_main`) and the in-process ``LocalEngine``
(:mod:`kg.workers`) run jobs with these functions.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import pyoxigraph as ox

from kg.engine_jobs import DumpJob, QueryJob, rdf_format_for_path
from kg.errors import QueryError
from kg.query import OutputFormat, Result
from kg.store import to_ox

__all__ = ["dump", "evaluate_query", "graph_node", "load_files", "rdf_format", "store_query"]


def _term(value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term (or a plain str/int/float/bool) as a pyoxigraph term."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    if isinstance(value, URIRef | BNode | RLiteral):
        return to_ox(value)
    if isinstance(value, bool | int | float | str):
        return to_ox(RLiteral(value))
    raise QueryError(f"cannot bind a {type(value).__name__}")


def graph_node(iri: str | None) -> ox.NamedNode | ox.DefaultGraph:
    """The graph an IRI names; None is the default graph."""
    return ox.DefaultGraph() if iri is None else ox.NamedNode(iri)


def evaluate_query(store: ox.Store, job: QueryJob) -> Result:
    """Run one query on ``store`` and serialise it as ``job.output`` asks. A graph of the
    dataset that the store does not hold is an empty graph, as in Fuseki and Oxigraph's
    server (never fetched); the result lists it in ``empty_graphs``."""
    missing = tuple(g for g in job.check_graphs if not store.contains_named_graph(ox.NamedNode(g)))
    result = _evaluate(store, job)
    return replace(result, empty_graphs=missing) if missing else result


def _evaluate(store: ox.Store, job: QueryJob) -> Result:
    kwargs: dict[str, Any] = {}
    if job.default_graphs or job.named_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs] or ox.DefaultGraph()
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.bindings:
        kwargs["substitutions"] = {ox.Variable(k): _term(v) for k, v in job.bindings.items()}
    try:
        results = store.query(job.text, base_iri=job.base_iri, **kwargs)
    except SyntaxError as exc:
        if job.original_text is not None:  # report positions in the client's text, not ours
            try:
                store.query(job.original_text, base_iri=job.base_iri, **kwargs)
            except SyntaxError as original:
                raise QueryError(str(original)) from None
        raise QueryError(str(exc)) from None
    except (RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"the engine cannot evaluate this query: {exc}") from None
    fmt = job.output
    if isinstance(results, ox.QueryBoolean):
        return Result(results.serialize(format=_results_format(fmt)) or b"", fmt.media_type, "boolean")
    if isinstance(results, ox.QuerySolutions):
        return _solutions(results, job)
    return _triples(results, job)


def _results_format(fmt: OutputFormat) -> ox.QueryResultsFormat:
    value = getattr(ox.QueryResultsFormat, fmt.engine_format, None)
    if not isinstance(value, ox.QueryResultsFormat):
        raise QueryError(f"{fmt.media_type} cannot carry a SELECT or ASK result")
    return value


def rdf_format(name: str, media_type: str = "") -> ox.RdfFormat:
    """The engine's RDF format of that name; QueryError (naming ``media_type``) when there is
    none, as for a results-only format."""
    value = getattr(ox.RdfFormat, name, None)
    if not isinstance(value, ox.RdfFormat):
        raise QueryError(f"{media_type or name} cannot carry an RDF graph")
    return value


def _solutions(results: ox.QuerySolutions, job: QueryJob) -> Result:
    """Serialise solutions; the text asked for at most max_rows+1, so one row too many
    means the cap cut the result, and that row is dropped."""
    fmt = job.output
    target = _results_format(fmt)
    tsv = ox.QueryResultsFormat.TSV
    # CSV cannot be read back losslessly, so a capped CSV result goes through TSV.
    first = tsv if (target == ox.QueryResultsFormat.CSV and job.limit_applied) else target
    body = results.serialize(format=first) or b""
    truncated = False
    # Each row takes at least one byte, so a short body cannot hold max_rows+1 rows.
    if job.limit_applied and len(body) > job.max_rows:
        table = body if first == tsv else _reserialize(body, first, tsv)
        lines = table.split(b"\n")  # TSV escapes newlines inside terms
        if len(lines) - 2 > job.max_rows:  # header + rows + final empty piece
            truncated = True
            table = b"\n".join(lines[: job.max_rows + 1]) + b"\n"
            body = table
            first = tsv
    if first != target:
        body = _reserialize(body, first, target)
    if truncated and target == ox.QueryResultsFormat.JSON:
        body = b'{"truncated":true,"max_rows":%d,' % job.max_rows + body[1:]
    return Result(body, fmt.media_type, "solutions", truncated, job.max_rows)


def _reserialize(body: bytes, source: ox.QueryResultsFormat, target: ox.QueryResultsFormat) -> bytes:
    parsed = ox.parse_query_results(body, format=source)
    assert isinstance(parsed, ox.QuerySolutions)
    return parsed.serialize(format=target) or b""


def _triples(results: ox.QueryTriples, job: QueryJob) -> Result:
    fmt = job.output
    target = rdf_format(fmt.engine_format, fmt.media_type)
    if target == ox.RdfFormat.TURTLE or target == ox.RdfFormat.TRIG:
        # keep the query's prefixes for a readable document
        triples = list(results)
        if len(triples) > job.max_rows:
            return _capped_graph(triples, job, target)
        body = ox.serialize(triples, format=target, prefixes=dict(job.prefixes)) or b""
        return Result(body, fmt.media_type, "graph", False, job.max_rows)
    body = results.serialize(format=target) or b""
    if len(body) > job.max_rows:
        triples = [q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(body, format=target)]
        if len(triples) > job.max_rows:
            return _capped_graph(triples, job, target)
    return Result(body, fmt.media_type, "graph", False, job.max_rows)


def _capped_graph(triples: list[Any], job: QueryJob, target: ox.RdfFormat) -> Result:
    body = ox.serialize(triples[: job.max_rows], format=target, prefixes=dict(job.prefixes)) or b""
    return Result(body, job.output.media_type, "graph", True, job.max_rows)


def store_query(store: ox.Store, text: str) -> Iterator[Any]:
    """The solutions of a SELECT query on ``store``."""
    result = store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    return iter(result)


def load_files(store: ox.Store, paths: Sequence[str]) -> None:
    """Load RDF files; then copy the named graphs into the default graph (set-union)."""
    for path in paths:
        try:
            store.bulk_load(path=str(path), format=rdf_format_for_path(path))
        except SyntaxError as exc:
            raise QueryError(f"{path}: {exc}") from None
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def dump(store: ox.Store, job: DumpJob) -> str:
    """Write the dataset to ``job.path`` in Rust, streaming: the named graphs for TriG and
    N-Quads, the default graph for triple formats."""
    fmt = rdf_format(job.engine_format)
    tmp = job.path + ".part"
    prefixes = dict(job.prefixes) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if job.named_graphs_only:
        quads = (q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
        ox.serialize(quads, output=tmp, format=fmt, prefixes=prefixes)
    else:
        store.dump(output=tmp, format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    os.replace(tmp, job.path)
    return job.path

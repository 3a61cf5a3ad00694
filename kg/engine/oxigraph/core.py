"""Running one job on a pyoxigraph store, in whichever process holds the store.

:func:`evaluate_query` runs a query and serialises its result inside the engine, capping
rows (with a truncation flag) by asking for one row more than the cap; :func:`load_files`
builds an in-memory dataset from RDF files; :func:`dump` streams the dataset to a file.
Both the worker processes (:mod:`kg.engine.oxigraph.worker`) and the in-process ``LocalEngine``
(:mod:`kg.engine.oxigraph.pool`) run jobs with these functions.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.engine.formats import Kind, OutputFormat
from kg.engine.interface import Result
from kg.engine.jobs import DumpJob, QueryJob
from kg.errors import QueryError
from kg.rdf.terms import to_ox

__all__ = [
    "CHUNK_BYTES",
    "Emit",
    "Sink",
    "dump",
    "evaluate_query",
    "graph_node",
    "load_files",
    "rdf_format",
    "rdf_format_for_path",
    "store_query",
]


def _term(value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A bound value (an rdflib term, or a plain str/int/float/bool) as a pyoxigraph term."""
    try:
        return to_ox(value)
    except TypeError:
        raise QueryError(f"cannot bind a {type(value).__name__}") from None


def graph_node(iri: str | None) -> ox.NamedNode | ox.DefaultGraph:
    """The graph an IRI names; None is the default graph."""
    return ox.DefaultGraph() if iri is None else ox.NamedNode(iri)


def evaluate_query(store: ox.Store, job: QueryJob, emit: Emit | None = None) -> Result:
    """Run one query on ``store`` and serialise it as ``job.output`` asks. A graph of the
    dataset that the store does not hold is an empty graph, as in Fuseki and Oxigraph's
    server (never fetched); the result lists it in ``empty_graphs``.

    With ``emit``, the body is handed out in chunks while the engine serialises it, and the
    result returned is ``streamed`` (it holds no body): unless the row cap cut it, then the
    chunks handed out are void and the result holds the body, whole."""
    missing = tuple(g for g in job.check_graphs if not store.contains_named_graph(ox.NamedNode(g)))
    result = _evaluate(store, job, emit)
    return replace(result, empty_graphs=missing) if missing else result


def _evaluate(store: ox.Store, job: QueryJob, emit: Emit | None) -> Result:
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
        body = results.serialize(format=_results_format(fmt)) or b""
        return Result((body,), fmt.media_type, "boolean")
    sink = Sink(emit)
    if isinstance(results, ox.QuerySolutions):
        return _solutions(results, job, sink)
    return _triples(results, job, sink)


Emit = Callable[[bytes], None]
CHUNK_BYTES = 256 * 1024  # what one message of a streamed body holds, at most about


class Sink:
    """A binary file that pyoxigraph serialises into (it writes 8 KiB at a time). The sink
    gathers the writes into chunks of about ``CHUNK_BYTES``, counts ``marks`` in them (also
    across the joins of chunks: a mark is a few bytes that begins each row of a format),
    and hands each chunk to ``emit`` as soon as it is full. ``chunks`` are the chunks made,
    in order, kept when there is no ``emit`` or while ``keep`` (to read the body again when
    the row cap may have cut it); ``size`` is the bytes made."""

    def __init__(self, emit: Emit | None = None) -> None:
        self.emit = emit
        self.chunks: list[bytes] = []
        self.marks: tuple[bytes, ...] = ()
        self.keep = True
        self.count = 0
        self.size = 0
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._tail = b""

    def write(self, data: bytes) -> int:
        """Take one write of the engine's."""
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= CHUNK_BYTES:
            self._push()
        return len(data)

    def flush(self) -> None:
        """Nothing: a chunk goes when full, or at ``close``."""

    @property
    def file(self) -> IO[bytes]:
        """The sink as pyoxigraph's ``output`` (it needs no more than ``write`` and ``flush``)."""
        return cast(IO[bytes], self)

    def close(self) -> None:
        """Hand out what is left."""
        if self._pending:
            self._push()

    def _push(self) -> None:
        chunk = b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        if not chunk:
            return
        for mark in self.marks:
            self.count += chunk.count(mark)
            if self._tail and len(mark) > 1:  # a mark split between two chunks
                self.count += (self._tail[-(len(mark) - 1) :] + chunk[: len(mark) - 1]).count(mark)
        self._tail = chunk[-8:]
        self.size += len(chunk)
        if self.keep or self.emit is None:
            self.chunks.append(chunk)
        if self.emit is not None:
            self.emit(chunk)

    def result(self, media_type: str, kind: Kind, truncated: bool, max_rows: int | None) -> Result:
        """The result of what went through: streamed when the chunks were emitted."""
        self.close()
        if self.emit is not None:
            return Result((), media_type, kind, truncated, max_rows, streamed=True)
        return Result(tuple(self.chunks), media_type, kind, truncated, max_rows)

    def body(self) -> bytes:
        """Everything written, as one bytes object (a copy); only while ``keep``."""
        self.close()
        assert self.keep or self.emit is None, "a body streamed away cannot be read again"
        return b"".join(self.chunks)


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


# A mark each row of a results format holds, outside its header, and how many more (or,
# negative, fewer) marks than rows there are: a JSON row begins with "{", after a "," for
# every row but the first. A mark may also occur inside a term (a literal holding "},{"), so
# the count bounds the rows from above, exactly for TSV (which escapes newlines) and XML
# (which escapes "<"): at or under the cap, it proves that the cap did not cut the result.
# One pass over the body each: on this machine a pass over 28 MB takes 20-40 ms.
_ROW_MARKS: dict[str, tuple[tuple[bytes, ...], int]] = {
    "JSON": ((b",{",), -1),
    "XML": ((b"<result>",), 0),
    "TSV": ((b"\n",), 1),
    "CSV": ((b"\r\n",), 1),
}


def _solutions(results: ox.QuerySolutions, job: QueryJob, sink: Sink) -> Result:
    """Serialise solutions straight into ``sink``. The text asked for at most max_rows+1
    rows; the rows counted in passing show that most results are under the cap, and only a
    result that may be over it is read again (then one row too many means the cap cut it,
    and that row is dropped)."""
    fmt = job.output
    target = _results_format(fmt)
    marks, extra = _ROW_MARKS.get(fmt.engine_format, ((), 0))
    sink.marks = marks if job.limit_applied else ()
    sink.keep = job.limit_applied  # without our LIMIT no cap can cut it: nothing to read again
    results.serialize(output=sink.file, format=target)
    sink.close()
    bound = sink.count - extra if marks else sink.size
    if not job.limit_applied or bound <= job.max_rows:
        return sink.result(fmt.media_type, "solutions", False, job.max_rows)
    body, truncated = _cap_rows(sink.body(), target, job.max_rows)
    return Result((body,), fmt.media_type, "solutions", truncated, job.max_rows)


def _cap_rows(body: bytes, target: ox.QueryResultsFormat, max_rows: int) -> tuple[bytes, bool]:
    """The body cut to ``max_rows`` rows, and whether it had more."""
    if target == ox.QueryResultsFormat.CSV:
        return _cap_csv(body, max_rows)
    tsv = ox.QueryResultsFormat.TSV
    table = body if target == tsv else _reserialize(body, target, tsv)
    lines = table.split(b"\n")  # TSV escapes newlines inside terms
    if len(lines) - 2 <= max_rows:  # header + rows + final empty piece
        return body, False
    table = b"\n".join(lines[: max_rows + 1]) + b"\n"
    body = table if target == tsv else _reserialize(table, tsv, target)
    return body, True


def _cap_csv(body: bytes, max_rows: int) -> tuple[bytes, bool]:
    """CSV cut after its header and ``max_rows`` rows. Rows end in CRLF; a term holding a
    line break is quoted, with its quotes doubled, so a CRLF ends a row only where an even
    number of quotes come before it."""
    lines = 0
    at = 0
    for i, piece in enumerate(body.split(b'"')):
        if i % 2 == 0:  # outside quotes
            start = 0
            while (found := piece.find(b"\r\n", start)) >= 0:
                lines += 1
                if lines == max_rows + 1:  # the header and max_rows rows
                    end = at + found + 2
                    return body[:end], end < len(body)
                start = found + 2
        at += len(piece) + 1
    return body, False


def _reserialize(body: bytes, source: ox.QueryResultsFormat, target: ox.QueryResultsFormat) -> bytes:
    parsed = ox.parse_query_results(body, format=source)
    assert isinstance(parsed, ox.QuerySolutions)
    return parsed.serialize(format=target) or b""


def _triples(results: ox.QueryTriples, job: QueryJob, sink: Sink) -> Result:
    """Serialise the triples of a CONSTRUCT or DESCRIBE into ``sink``; more than max_rows
    triples are cut to max_rows."""
    fmt = job.output
    target = rdf_format(fmt.engine_format, fmt.media_type)
    if target == ox.RdfFormat.TURTLE or target == ox.RdfFormat.TRIG:
        # keep the query's prefixes for a readable document; the row after the last one
        # written tells whether the cap cut the graph
        sink.keep = False
        first = itertools.islice(results, job.max_rows)
        ox.serialize(first, output=sink.file, format=target, prefixes=dict(job.prefixes))
        more = next(results, None) is not None
        return sink.result(fmt.media_type, "graph", more, job.max_rows)
    lines = target in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)  # one triple a line
    sink.marks = (b"\n",) if lines else ()
    results.serialize(output=sink.file, format=target)
    sink.close()
    if (sink.count if lines else sink.size) > job.max_rows:
        triples = [q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(sink.body(), format=target)]
        if len(triples) > job.max_rows:
            body = ox.serialize(triples[: job.max_rows], format=target, prefixes=dict(job.prefixes)) or b""
            return Result((body,), fmt.media_type, "graph", True, job.max_rows)
    return sink.result(fmt.media_type, "graph", False, job.max_rows)


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


def rdf_format_for_path(path: str | Path) -> ox.RdfFormat:
    """The RDF format of a file, by its extension (``.ttl``, ``.nt``, ``.nq``, ``.trig``,
    ``.rdf``/``.owl``/``.xml``, ``.jsonld``)."""
    ext = Path(path).suffix.lstrip(".").lower()
    ext = {"owl": "rdf", "xml": "rdf", "json": "jsonld"}.get(ext, ext)
    fmt = ox.RdfFormat.from_extension(ext)
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF file extension")
    return fmt

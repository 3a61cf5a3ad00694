"""Streamed results: the worker sends a result's body in chunks as the engine writes it, and
the server sends them on without joining them. The bytes must be those the engine writes
for the query (and, where the row cap cuts a result, those of its first ``max_rows`` rows),
in every format, in-process, through the worker pool and over HTTP; the row cap, the time
limit and the memory limit must hold while a body streams."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from live_helpers import LiveServer

from kg.engine.formats import OutputFormat
from kg.engine.jobs import FilesSource, QueryJob, QueryMemoryError
from kg.engine.oxigraph.core import CHUNK_BYTES, Sink, load_files
from kg.engine.oxigraph.pool import LocalEngine, WorkerPool
from kg.engine.query import run_query
from kg.errors import QueryTimeoutError
from server.negotiation import FORMATS

EX = "http://example.org/s/"
# literals that hold what the row counts look for, and what CSV and TSV must escape or quote
ODD = [
    "},{",
    '[{"a":1},{"b":2}]',
    "<result>",
    "a\r\nb",
    "tab\there",
    'say "hi", twice',
    "line\nbreak",
    "ü ∑ 🚀",
]
RESULTS = {f.name: f.output for f in FORMATS if "solutions" in f.kinds}  # json xml csv tsv
GRAPHS = {f.name: f.output for f in FORMATS if "graph" in f.kinds}
ACCEPT = {f.name: f.media_type for f in FORMATS}
SELECT = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{EX}')) }} ORDER BY ?s ?p ?o"
CONSTRUCT = (
    f"PREFIX ex: <{EX}> CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), STR(ex:))) }}"
)


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 12,000 quads in 400 named graphs: bodies of several chunks in every format."""
    path = tmp_path_factory.mktemp("stream") / "data.nq"
    lines = []
    for i in range(4000):
        s, g = f"<{EX}{i:05d}>", f"<{EX}graph/{i % 400}>"
        lines.append(f"{s} <{EX}label> {_literal(ODD[i % len(ODD)] + f' {i}')} {g} .")
        lines.append(f'{s} <{EX}n> "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> {g} .')
        lines.append(f'{s} <{EX}name> "n{i}"@en {g} .')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(data: Path) -> ox.Store:
    """The data in memory with its union default graph, as ``kg serve --data`` holds it."""
    store = ox.Store()
    load_files(store, [str(data)])
    return store


@pytest.fixture(scope="module")
def pool(data: Path) -> Iterator[WorkerPool]:
    """One worker over the data."""
    with WorkerPool(FilesSource((str(data),)), size=1, memory_limit_mb=2048) as pool:
        yield pool


def expected_results(
    store: ox.Store, text: str, fmt: OutputFormat, cap: int, *, sent: bool = False
) -> tuple[bytes, bool]:
    """What the endpoint answered before streaming: the engine's bytes for the query, or,
    past the cap, for its first ``cap`` rows (as ``sent`` to a client, in JSON with the
    truncation flag first: ``Result.sent_parts``)."""
    target = getattr(ox.QueryResultsFormat, fmt.engine_format)
    rows = sum(1 for _ in store.query(text))  # type: ignore[union-attr]
    if rows <= cap:
        return store.query(text).serialize(format=target) or b"", False  # type: ignore[union-attr]
    body = store.query(f"{text} LIMIT {cap}").serialize(format=target) or b""  # type: ignore[union-attr]
    if sent and fmt.engine_format == "JSON":
        body = b'{"truncated":true,"max_rows":%d,' % cap + body[1:]
    return body, True


def expected_graph(store: ox.Store, text: str, fmt: OutputFormat, cap: int) -> tuple[bytes, bool]:
    """The same for a graph: its triples, or its first ``cap``, with the query's prefixes
    where the format has them (Turtle, TriG) or the graph was cut."""
    target = getattr(ox.RdfFormat, fmt.engine_format)
    triples = list(store.query(text))  # type: ignore[arg-type]
    prefixes = {"ex": EX}
    if len(triples) > cap:
        return ox.serialize(triples[:cap], format=target, prefixes=prefixes) or b"", True
    if target in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return ox.serialize(triples, format=target, prefixes=prefixes) or b"", False
    return store.query(text).serialize(format=target) or b"", False  # type: ignore[union-attr]


def rows_of(body: bytes, fmt: OutputFormat) -> list[tuple[str, ...]]:
    """The rows of a results document, as the engine reads them back (CSV: its lines)."""
    if fmt.engine_format == "CSV":
        return [tuple(row) for row in csv.reader(io.StringIO(body.decode(), newline=""))][1:]
    parsed = ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, fmt.engine_format))
    return [tuple(str(v) for v in row) for row in parsed]  # type: ignore[union-attr]


# --------------------------------------------------------------------- the sink


@pytest.mark.parametrize("piece", [1, 2, 7, 8192, CHUNK_BYTES - 1, CHUNK_BYTES + 3])
def test_the_sink_counts_marks_split_between_chunks(piece: int) -> None:
    body = (b"x,{y" * 70_000) + b"<result>" * 50_000 + b"\r\n" * 90_000
    sink = Sink()
    sink.marks = (b",{", b"<result>", b"\r\n")
    for at in range(0, len(body), piece):
        sink.write(body[at : at + piece])
    sink.close()
    assert sink.count == body.count(b",{") + body.count(b"<result>") + body.count(b"\r\n")
    assert b"".join(sink.chunks) == body and sink.size == len(body)
    assert all(CHUNK_BYTES <= len(c) < CHUNK_BYTES + piece for c in sink.chunks[:-1])
    assert 0 < len(sink.chunks[-1]) < CHUNK_BYTES + piece


@pytest.mark.parametrize("keep", [True, False])
def test_the_sink_hands_out_each_chunk_once(keep: bool) -> None:
    got: list[bytes] = []
    sink = Sink(got.append)
    sink.keep = keep  # a body no cap can cut is not kept in the worker once sent
    for _ in range(100):
        sink.write(b"a" * 10_000)
    result = sink.result("text/plain", "solutions", False, 5)
    assert result.streamed and result.parts == ()
    assert b"".join(got) == b"a" * 1_000_000 and len(got) == 4
    assert sink.chunks == (got if keep else [])


# --------------------------------------------------------------------- the same bytes


@pytest.mark.parametrize("name", sorted(RESULTS))
@pytest.mark.parametrize("cap", [1, 7, 5_000, 11_999, 12_000, 100_000])
def test_results_are_the_engines_bytes_in_process(store: ox.Store, name: str, cap: int) -> None:
    fmt = RESULTS[name]
    result = run_query(LocalEngine(store), SELECT, output=fmt, max_rows=cap)
    body, truncated = expected_results(store, SELECT, fmt, cap)
    assert result.body == body
    assert result.truncated is truncated
    assert b"".join(result.sent_parts()) == expected_results(store, SELECT, fmt, cap, sent=True)[0]
    assert len(rows_of(result.body, fmt)) == min(cap, 12_000)
    if cap == 100_000:  # far from the cap: the chunks as written, rows counted across them
        assert len(result.parts) > 1


@pytest.mark.parametrize("name", sorted(RESULTS))
@pytest.mark.parametrize("cap", [3, 11_999, 100_000])
def test_results_stream_through_a_worker_unchanged(
    store: ox.Store, pool: WorkerPool, name: str, cap: int
) -> None:
    fmt = RESULTS[name]
    result = run_query(pool, SELECT, output=fmt, max_rows=cap, timeout_s=60)
    body, truncated = expected_results(store, SELECT, fmt, cap)
    assert result.body == body and result.truncated is truncated and not result.streamed
    assert rows_of(result.body, fmt) == rows_of(body, fmt)


@pytest.mark.parametrize("name", sorted(GRAPHS))
@pytest.mark.parametrize("cap", [5, 11_999, 100_000])
def test_graphs_are_the_engines_bytes(store: ox.Store, pool: WorkerPool, name: str, cap: int) -> None:
    fmt = GRAPHS[name]
    body, truncated = expected_graph(store, CONSTRUCT, fmt, cap)
    for engine in (LocalEngine(store), pool):
        result = run_query(engine, CONSTRUCT, output=fmt, max_rows=cap, timeout_s=60)
        assert result.body == body and result.truncated is truncated


def test_ask_and_empty_results_are_unchanged(store: ox.Store, pool: WorkerPool) -> None:
    for name, fmt in RESULTS.items():
        for text in ("ASK { ?s ?p ?o }", "SELECT * { ?s <http://nothing/> ?o }", "SELECT * {}"):
            target = getattr(ox.QueryResultsFormat, fmt.engine_format)
            expected = store.query(text).serialize(format=target)  # type: ignore[union-attr]
            assert run_query(pool, text, output=fmt, max_rows=10, timeout_s=30).body == expected, (name, text)


# --------------------------------------------------------------------- limits while streaming


def test_the_time_limit_stops_a_body_that_streams_on(pool: WorkerPool) -> None:
    # a cross product starts giving rows at once and would give them for minutes: the
    # chunks never stop coming, and the limit must still stop the worker on time
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=r"limit of 1\.5 s"):
        run_query(pool, cross, output=RESULTS["json"], max_rows=10**9, timeout_s=1.5)
    assert time.monotonic() - started < 4
    assert run_query(pool, "ASK {}", output=RESULTS["json"], timeout_s=30).body.endswith(b"true}")


def test_the_memory_limit_stops_a_body_that_streams_on(data: Path) -> None:
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # capped: the worker keeps what it sent
    with WorkerPool(FilesSource((str(data),)), size=1, memory_limit_mb=64) as small:
        with pytest.raises(QueryMemoryError, match="64 MiB"):
            small.run(
                QueryJob(cross + " LIMIT 100000000", RESULTS["json"], max_rows=10**8 - 1, limit_applied=True),
                timeout_s=60,
            )
        assert small.run(QueryJob("ASK {}", RESULTS["json"]), timeout_s=30).body.endswith(b"true}")


# --------------------------------------------------------------------- over HTTP


@pytest.fixture(scope="module")
def served(data: Path) -> Iterator[LiveServer]:
    """A real ``kg serve`` over the data, with a row cap of 11,999."""
    from live_helpers import start_live_server

    server = start_live_server(data=[data], env={"PENINSULA_MAX_ROWS": "11999"})
    yield server
    server.stop()


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_a_large_result_over_http_is_the_engines_bytes(
    store: ox.Store, served: LiveServer, name: str
) -> None:
    fmt = RESULTS[name]
    text = SELECT.replace("} ORDER BY", "FILTER(?p != <http://example.org/s/name>) } ORDER BY")  # 8,000 rows
    response = requests.get(
        served.sparql, params={"query": text}, headers={"Accept": ACCEPT[name]}, timeout=60
    )
    body, truncated = expected_results(store, text, fmt, 11_999, sent=True)
    assert response.status_code == 200 and not truncated
    assert response.content == body and len(body) > CHUNK_BYTES
    assert response.headers["Content-Length"] == str(len(body))
    assert (
        response.headers["X-Peninsula-Max-Rows"] == "11999"
        and "X-Peninsula-Truncated" not in response.headers
    )


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_the_row_cap_holds_over_http(store: ox.Store, served: LiveServer, name: str) -> None:
    fmt = RESULTS[name]
    response = requests.get(
        served.sparql, params={"query": SELECT}, headers={"Accept": ACCEPT[name]}, timeout=60
    )
    body, truncated = expected_results(store, SELECT, fmt, 11_999, sent=True)
    assert truncated and response.headers["X-Peninsula-Truncated"] == "true"
    assert response.content == body and len(rows_of(response.content, fmt)) == 11_999
    if name == "json":
        assert json.loads(response.content)["truncated"] is True


def test_a_graph_over_http_is_the_engines_bytes(store: ox.Store, served: LiveServer) -> None:
    for name in ("ttl", "nt", "jsonld"):
        fmt = GRAPHS[name]
        got = requests.get(
            served.sparql, params={"query": CONSTRUCT}, headers={"Accept": ACCEPT[name]}, timeout=60
        )
        body, truncated = expected_graph(store, CONSTRUCT, fmt, 11_999)
        assert got.status_code == 200 and got.content == body and truncated
    dump = requests.get(
        served.url + "graphs", params={"default": ""}, headers={"Accept": "application/n-triples"}, timeout=60
    )
    assert dump.status_code == 200 and dump.content == store.dump(
        format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
    )
    head = requests.head(served.sparql, params={"query": SELECT}, timeout=60)
    assert head.status_code == 200 and head.content == b""


def test_a_time_limit_mid_stream_gives_the_same_error_over_http(
    data: Path, start_server: Callable[..., LiveServer]
) -> None:
    server = start_server(
        data=[data], env={"PENINSULA_QUERY_TIMEOUT_S": "1.5", "PENINSULA_MAX_ROWS": "100000000"}
    )
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    started = time.monotonic()
    response = requests.get(server.sparql, params={"query": cross}, timeout=60)
    assert response.status_code == 503 and "limit of 1.5 s" in response.text
    assert time.monotonic() - started < 5
    again = requests.get(server.sparql, params={"query": "ASK {}"}, timeout=60)
    assert again.status_code == 200 and again.json()["boolean"] is True


def test_a_long_job_is_lowered_and_put_back_where_it_was(data: Path) -> None:
    # decision 0011: past short_s a job on a general worker runs at nice 10, then gets its
    # own priority back; a server already at nice 10 or lower (as under `nice -n 10`) is
    # left where it is, never raised above it
    import os
    import threading

    base = os.getpriority(os.PRIO_PROCESS, 0)
    with WorkerPool(FilesSource((str(data),)), size=1, short_workers=1, short_s=0.2) as lanes:
        general = next(w for w in lanes._all if w.lane == "general")
        seen: list[int] = []

        def slow() -> None:
            with pytest.raises(QueryTimeoutError):
                lanes.run(QueryJob("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", RESULTS["json"]), timeout_s=1.5)

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.8)
        seen.append(os.getpriority(os.PRIO_PROCESS, general.process.pid))
        thread.join(30)
        fresh = next(w for w in lanes._all if w.lane == "general")
        assert seen == [max(base, 10)]
        lanes.run(
            QueryJob("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 150000", RESULTS["json"]), timeout_s=30
        )
        assert os.getpriority(os.PRIO_PROCESS, fresh.process.pid) in (base, 10)

"""The remote engine on a real Virtuoso: the jobs of docs/decisions/0015 answered as the
embedded engine answers them (same bytes where the result is ordered), the row cap, the
time limit, the dataset pinned to the live build, writes only with credentials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.engine.formats import format_named
from kg.engine.jobs import DumpJob, GraphGetJob, GraphNotFoundError, GraphWriteJob, ReadOnlyError, StatsJob
from kg.engine.oxigraph.pool import LocalEngine
from kg.engine.oxigraph.store import current_build, open_read_only
from kg.engine.query import run_query
from kg.engine.remote.client import RemoteStore
from kg.engine.remote.engine import RemoteEngine
from kg.errors import QueryError, QueryTimeoutError
from kg.settings import Settings

pytestmark = pytest.mark.virtuoso

BASE = "https://w3id.org/peninsula/"


@pytest.fixture
def remote(published: Settings) -> RemoteEngine:
    """A read-only engine on the published store (no credentials)."""
    return RemoteEngine(RemoteStore.from_settings(published, env={}))


@pytest.fixture
def local(published: Settings) -> LocalEngine:
    return LocalEngine(open_read_only(published.store))


ORDERED = [
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "json"),
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", "csv"),
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o", "tsv"),
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o", "xml"),
    ("ASK { ?s a ?class }", "json"),
    ("ASK { ?s a <http://example.org/Nothing> }", "xml"),
    (f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/reference> WHERE {{ ?s ?p ?o }}", "json"),
    (
        f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{BASE}graph/reference> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
        "json",
    ),
]


@pytest.mark.parametrize(("text", "fmt"), ORDERED)
def test_ordered_results_are_the_embedded_engines_bytes(
    remote: RemoteEngine, local: LocalEngine, text: str, fmt: str
) -> None:
    output = format_named(fmt).output
    assert run_query(remote, text, output=output).body == run_query(local, text, output=output).body


def test_construct_gives_the_same_graph(remote: RemoteEngine, local: LocalEngine) -> None:
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    output = format_named("nt").output
    lines = [set(run_query(e, text, output=output).body.splitlines()) for e in (remote, local)]
    assert lines[0] == lines[1] and lines[0]


def test_the_default_graph_holds_each_triple_once(remote: RemoteEngine) -> None:
    """Virtuoso's own default graph repeats a triple per graph; the engine's does not."""
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    rows = json.loads(run_query(remote, text, output=format_named("json").output).body)["results"]["bindings"]
    keys = [json.dumps(r, sort_keys=True) for r in rows]
    assert len(keys) == len(set(keys)) > 0


def test_graph_query_sees_only_the_builds_named_graphs(remote: RemoteEngine, local: LocalEngine) -> None:
    text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    output = format_named("csv").output
    body = run_query(remote, text, output=output).body
    assert body == run_query(local, text, output=output).body
    assert b"virtrdf" not in body and b"graph/current" not in body and b"graph/default" not in body


@pytest.mark.parametrize("fmt", ["json", "csv", "xml"])
def test_row_cap_cuts_and_says_so(remote: RemoteEngine, local: LocalEngine, fmt: str) -> None:
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    output = format_named(fmt).output
    got = run_query(remote, text, output=output, max_rows=7)
    assert got.truncated and got.max_rows == 7
    assert got.body == run_query(local, text, output=output, max_rows=7).body


def test_under_the_cap_is_not_truncated(remote: RemoteEngine) -> None:
    got = run_query(
        remote, "SELECT * WHERE { ?s ?p ?o } LIMIT 3", output=format_named("json").output, max_rows=5
    )
    assert not got.truncated


def test_a_query_past_the_time_limit_raises(remote: RemoteEngine) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    with pytest.raises(QueryTimeoutError):
        run_query(remote, text, output=format_named("json").output, timeout_s=1.0)


def test_bindings_are_bound_as_terms(remote: RemoteEngine, local: LocalEngine) -> None:
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p ?o"
    bindings = {"s": URIRef(BASE + "resource/org/yonhap")}
    output = format_named("csv").output
    body = run_query(remote, text, output=output, bindings=bindings).body
    assert body == run_query(local, text, output=output, bindings=bindings).body
    assert body.count(b"\r\n") > 1


def test_a_syntax_error_is_a_query_error(remote: RemoteEngine) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(remote, "SELECT ?s WHERE { ?s ?p }", output=format_named("json").output)
    assert "SPARQL query:" not in str(caught.value)


def test_graph_get_and_missing_graph(remote: RemoteEngine, local: LocalEngine) -> None:
    output = format_named("nt").output
    got = remote.run(GraphGetJob(BASE + "graph/reference", output), timeout_s=10).body
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{BASE}graph/reference> {{ ?s ?p ?o }} }}"
    want = run_query(local, text, output=output).body
    assert set(got.splitlines()) == set(want.splitlines()) and got
    with pytest.raises(GraphNotFoundError):
        remote.run(GraphGetJob(BASE + "graph/nothing", output), timeout_s=10)


def test_stats_count_the_default_graph_and_named_graphs(
    remote: RemoteEngine, local: LocalEngine, published: Settings
) -> None:
    got, want = remote.run(StatsJob(), timeout_s=10), local.run(StatsJob(), timeout_s=10)
    assert (got["triples"], got["named_graphs"]) == (want["triples"], want["named_graphs"])
    live = current_build(published.store)
    assert live is not None and got["build"] == live.name


@pytest.mark.parametrize("fmt", ["nq", "nt"])
def test_dump_writes_the_same_dataset(
    remote: RemoteEngine, local: LocalEngine, tmp_path: Path, fmt: str
) -> None:
    spec = format_named(fmt)
    paths = [
        engine.run(DumpJob(spec.engine_format, str(tmp_path / f"{name}.{fmt}"), spec.datasets), timeout_s=30)
        for name, engine in (("remote", remote), ("local", local))
    ]
    remote_lines, local_lines = (set(Path(p).read_bytes().splitlines()) for p in paths)
    assert remote_lines == local_lines and remote_lines


def test_writes_need_the_credentials(remote: RemoteEngine) -> None:
    with pytest.raises(ReadOnlyError):
        remote.run(
            GraphWriteJob("PUT", BASE + "graph/x", b"<http://ex/a> <http://ex/b> <http://ex/c> ."),
            timeout_s=10,
        )

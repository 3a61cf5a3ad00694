"""The query core without Flask: the token-level checks, the row cap, and the worker pool's
time limit and crash isolation."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from live_helpers import BASE, FIXTURE, make_store

from kg.engine.formats import OutputFormat
from kg.engine.jobs import EngineCrashedError, FilesSource, QueryJob, StatsJob, StoreSource
from kg.engine.oxigraph.core import load_files
from kg.engine.oxigraph.pool import LocalEngine, WorkerPool
from kg.engine.query import analyse, analyse_update, run_query
from kg.engine.tokens import tokenize
from kg.errors import QueryError, QueryRefusedError, QueryTimeoutError

JSON = OutputFormat("application/sparql-results+json", "JSON")
TSV = OutputFormat("text/tab-separated-values", "TSV")
CSV = OutputFormat("text/csv", "CSV")
TURTLE = OutputFormat("text/turtle", "TURTLE")
NT = OutputFormat("application/n-triples", "N_TRIPLES")
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"


@pytest.fixture(scope="module")
def local() -> LocalEngine:
    store = ox.Store()
    load_files(store, [str(FIXTURE)])
    return LocalEngine(store)


# --------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "PREFIX x: <http://127.0.0.1:9/> SELECT * { SeRvIcE x: { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "BASE <http://127.0.0.1:9/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
        'SELECT * { ?s ?p "x" # comment\n SERVICE <http://127.0.0.1:9/> { } }',
    ],
)
def test_service_is_refused_however_written(query: str) -> None:
    with pytest.raises(QueryRefusedError, match="SERVICE"):
        analyse(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
        "SELECT * { ?s ?p '''LOAD <http://x/>''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> {}",
        "PREFIX ex: <http://ex/> SELECT ?service { ?service ex:load ex:service }",
        "SELECT * { ?s <http://ex/SERVICE#load> ?o }",
    ],
)
def test_keywords_inside_strings_comments_and_names_are_not_refused(query: str) -> None:
    assert analyse(query).form == "SELECT"


def test_an_allowed_service_passes() -> None:
    analyse("SELECT * { SERVICE <http://allowed/sparql> {} }", allow_list=["http://allowed/sparql"])


def test_load_is_refused_in_updates() -> None:
    with pytest.raises(QueryRefusedError, match="LOAD"):
        analyse_update("load <http://127.0.0.1:9/data.ttl>")


def test_deep_nesting_is_refused_before_the_engine() -> None:
    with pytest.raises(QueryRefusedError, match="nests brackets 3000 deep"):
        analyse("SELECT * WHERE " + "{" * 3000 + "}" * 3000, max_depth=200)
    assert analyse("SELECT * WHERE " + "{" * 10 + "}" * 10, max_depth=200).form == "SELECT"


def test_from_graphs_are_collected_with_prefixes_resolved() -> None:
    plan = analyse("PREFIX g: <http://g/> SELECT * FROM g:a FROM NAMED <http://g/b> { ?s ?p ?o }")
    assert plan.dataset_graphs == ("http://g/a", "http://g/b")


def test_tokenizer_knows_iris_from_less_than() -> None:
    kinds = [(t.kind, t.text) for t in tokenize("FILTER(?a < 3 && <http://x> != ?b)")]
    assert ("iri", "<http://x>") in kinds
    assert ("punct", "<") in kinds


def test_tokens_carry_the_depth_before_them() -> None:
    # an opening bracket is outside what it opens, a closing one outside what it closes
    depths = [(t.text, t.depth) for t in tokenize("{ ( ?a [ ] ) } # { comment\n ?b")]
    assert depths == [("{", 0), ("(", 1), ("?a", 2), ("[", 2), ("]", 2), (")", 1), ("}", 0), ("?b", 0)]


# --------------------------------------------------------------------- row cap


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o }\nLIMIT 11\n"),
        ("SELECT * { ?s ?p ?o } LIMIT 500", "SELECT * { ?s ?p ?o } LIMIT 11"),
        ("SELECT * { ?s ?p ?o } LIMIT 5", "SELECT * { ?s ?p ?o } LIMIT 5"),
        (
            "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 99 } }",
            "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 99 } }\nLIMIT 11\n",
        ),
        ("SELECT * { ?s ?p ?o } VALUES ?s { <x> }", "SELECT * { ?s ?p ?o } LIMIT 11\nVALUES ?s { <x> }"),
    ],
)
def test_row_cap_becomes_a_top_level_limit(query: str, expected: str) -> None:
    assert analyse(query, max_rows=10).text == expected


def test_a_capped_select_says_so(local: LocalEngine) -> None:
    result = run_query(local, "SELECT * { ?s ?p ?o }", output=JSON, max_rows=5)
    body = json.loads(result.body)
    assert result.truncated and "truncated" not in body  # the Result carries the flag
    assert len(body["results"]["bindings"]) == 5
    sent = json.loads(b"".join(result.sent_parts()))  # and the JSON a client is sent says it
    assert sent["truncated"] is True and sent["max_rows"] == 5 and sent["results"] == body["results"]


@pytest.mark.parametrize("fmt", [TSV, CSV], ids=["tsv", "csv"])
def test_a_capped_table_keeps_exactly_the_cap(local: LocalEngine, fmt: OutputFormat) -> None:
    result = run_query(local, "SELECT ?s ?o { ?s ?p ?o }", output=fmt, max_rows=7)
    assert result.truncated
    assert len(result.body.decode().strip().splitlines()) == 8  # header + 7


def test_a_result_under_the_cap_is_not_truncated(local: LocalEngine) -> None:
    result = run_query(local, "SELECT * { ?s a ?c }", output=JSON, max_rows=100_000)
    assert not result.truncated and b"truncated" not in result.body


def test_a_capped_construct_says_so(local: LocalEngine) -> None:
    result = run_query(local, "CONSTRUCT WHERE { ?s ?p ?o }", output=NT, max_rows=4)
    assert result.truncated and len(result.body.splitlines()) == 4


def test_syntax_errors_are_reported_against_the_clients_text(local: LocalEngine) -> None:
    with pytest.raises(QueryError, match="1:11"):
        run_query(local, "SELECT * {", output=JSON, max_rows=10)


def test_bindings_are_terms_not_text(local: LocalEngine) -> None:
    from rdflib import URIRef

    result = run_query(
        local,
        "SELECT ?x ?label { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        output=JSON,
        bindings={"x": URIRef(BASE + "resource/state/japan")},
    )
    rows = json.loads(result.body)["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["Japan"]


def test_union_default_graph_returns_each_triple_once(local: LocalEngine) -> None:
    query = f"SELECT (COUNT(*) AS ?n) {{ <{BASE}resource/state/north-korea> a ?c }}"
    body = json.loads(run_query(local, query, output=JSON).body)
    assert body["results"]["bindings"][0]["n"]["value"] == "1"


def test_graphs_outside_the_store_are_empty(local: LocalEngine) -> None:
    result = run_query(local, "SELECT * FROM <http://127.0.0.1:9/x> { ?s ?p ?o }", output=JSON)
    assert json.loads(result.body)["results"]["bindings"] == []
    assert result.empty_graphs == ("http://127.0.0.1:9/x",)
    asked = run_query(local, "ASK { ?s ?p ?o }", output=JSON, default_graph_uris=["file:///etc/passwd"])
    assert json.loads(asked.body)["boolean"] is False and asked.empty_graphs == ("file:///etc/passwd",)


# --------------------------------------------------------------------- worker pool


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(FilesSource((str(FIXTURE),)), size=2) as pool:
        yield pool


def test_a_runaway_query_is_stopped_while_a_simple_one_answers(pool: WorkerPool) -> None:
    outcome: list[BaseException] = []

    def slow() -> None:
        try:
            run_query(pool, CROSS, output=JSON, timeout_s=2.0)
        except QueryTimeoutError as exc:
            outcome.append(exc)

    started = time.monotonic()
    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.2)
    quick_start = time.monotonic()
    assert json.loads(run_query(pool, "ASK { ?s ?p ?o }", output=JSON, timeout_s=2.0).body)["boolean"]
    assert time.monotonic() - quick_start < 1.5
    thread.join(20)
    assert outcome and "limit of 2 s" in str(outcome[0])
    assert time.monotonic() - started < 10
    # the killed worker was replaced: both workers answer again
    for _ in range(4):
        run_query(pool, "ASK {}", output=JSON, timeout_s=30)


def test_an_engine_crash_costs_one_request(pool: WorkerPool) -> None:
    depth = 20_000  # past the guard, straight to the engine: pyoxigraph 0.5 overflows its stack
    job = QueryJob("SELECT * WHERE " + "{" * depth + "}" * depth, JSON)
    with pytest.raises(EngineCrashedError, match="crashed"):
        pool.run(job, timeout_s=30)
    assert json.loads(run_query(pool, "ASK {}", output=JSON, timeout_s=30).body)["boolean"] is True


def test_a_pool_has_started_only_when_every_worker_holds_the_dataset(tmp_path: Path) -> None:
    with WorkerPool(FilesSource((str(FIXTURE),)), size=2) as pool:
        assert len(pool._all) == 2 and all(worker.ready for worker in pool._all)
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not Turtle\n", encoding="utf-8")
    broken = WorkerPool(FilesSource((str(bad),)), size=2)
    with pytest.raises(EngineCrashedError, match="could not load the dataset"):
        broken.start()
    assert not broken._all  # no worker is left running
    broken.close()


def test_store_workers_pick_up_a_new_build(tmp_path: Path) -> None:
    store = tmp_path / "store"
    empty = tmp_path / "empty.trig"
    empty.write_text("<http://ex/g> { <http://ex/a> <http://ex/p> 1 . }\n", encoding="utf-8")
    make_store(store, [empty])
    with WorkerPool(StoreSource(str(store)), size=1) as pool:
        first = pool.run(StatsJob(), timeout_s=30)
        assert first["triples"] == 1
        make_store(store, [FIXTURE])
        second = pool.run(StatsJob(), timeout_s=30)
        assert second["build"] != first["build"] and second["triples"] > 100


def test_fixture_offsets_match_the_article_text() -> None:
    """Every mention and sentence of the fixture quotes its article: text[begin:end] ==
    anchorOf, and a mention lies inside its sentence (offsets are what the UI highlights)."""
    store = ox.Store()
    load_files(store, [str(FIXTURE)])
    pen = BASE + "ontology#"
    solutions = store.query(
        f"""PREFIX pen: <{pen}>
            SELECT ?x ?b ?e ?anchor ?text ?sb ?se WHERE {{
              ?x pen:inArticle ?a ; pen:beginIndex ?b ; pen:endIndex ?e ; pen:anchorOf ?anchor .
              ?a pen:text ?text .
              OPTIONAL {{ ?x pen:sentence ?s . ?s pen:beginIndex ?sb ; pen:endIndex ?se }}
            }}"""
    )
    assert isinstance(solutions, ox.QuerySolutions)
    rows = list(solutions)
    assert len(rows) == 8  # 2 sentences, 6 mentions
    for x, b, e, anchor, text, sb, se in rows:
        begin, end = int(b.value), int(e.value)
        assert text.value[begin:end] == anchor.value, f"{x.value}: [{begin}:{end}]"
        assert x.value.endswith(f"/{begin}-{end}"), f"{x.value} names other offsets"
        if sb is not None:
            assert int(sb.value) <= begin and end <= int(se.value), f"{x.value} outside its sentence"

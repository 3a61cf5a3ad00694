"""Fuzzing the query guard (``kg.engine.query.check_shape``) with Hypothesis: random operator
chains of random length, in expressions, groups and paths, some wrapped in brackets. Each
query is either refused by the guard, before the engine, or evaluated by a real worker
process without crashing it (a result, a syntax error or a timeout are all fine)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.engine.formats import OutputFormat
from kg.engine.jobs import EngineCrashedError
from kg.engine.oxigraph.pool import WorkerPool
from kg.engine.query import analyse, run_query
from kg.engine.tokens import QueryLimits
from kg.errors import QueryError, QueryRefusedError

JSON = OutputFormat("application/sparql-results+json", "JSON")
LIMITS = QueryLimits()  # the defaults of the settings
EXPRESSION_OPS = ["||", "&&", "+", "-", "*", "/", "=", "!=", "<", ">", "<=", ">="]
ATOMS = ["1", "?x", "true", "'a'", "(2)", "STR(?x)"]


def _chain(atoms: list[str], ops: list[str], n: int) -> str:
    parts = [atoms[0]]
    for i in range(n):
        parts += [ops[i % len(ops)], atoms[(i + 1) % len(atoms)]]
    return " ".join(parts)


@st.composite
def chains(draw: st.DrawFn) -> str:
    n = draw(st.one_of(st.integers(1, 200), st.integers(200, 1_500), st.integers(1_500, 12_000)))
    wrap = draw(st.integers(0, 3))
    kind = draw(
        st.sampled_from(["expression", "union", "optional", "minus", "filter", "path", "alternative"])
    )
    if kind == "expression":
        ops = draw(st.lists(st.sampled_from(EXPRESSION_OPS), min_size=1, max_size=4))
        atoms = draw(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=3))
        body = "(" * wrap + _chain(atoms, ops, n) + ")" * wrap
        return f"SELECT * {{ BIND(1 AS ?x) FILTER({body}) }}"
    if kind == "union":
        inner = " UNION ".join(["{ ?s ?p ?o }"] * n)
        return "SELECT * { " + "{ " * wrap + inner + " }" * wrap + " }"
    if kind in ("optional", "minus", "filter"):
        word = {
            "optional": "OPTIONAL { ?s ?p ?o }",
            "minus": "MINUS { ?s ?p 1 }",
            "filter": "FILTER(?o != 1)",
        }
        return "SELECT * { ?s ?p ?o " + " ".join([word[kind]] * n) + " }"
    sep = "/" if kind == "path" else "|"
    path = sep.join(["<http://ex/p>"] * min(n, 3_000))
    return "SELECT * { ?s " + "(" * wrap + path + ")" * wrap + " ?o }"


@pytest.mark.live
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=chains())
def test_a_random_operator_chain_is_refused_or_runs_without_crashing_a_worker(
    engine: WorkerPool, query: str
) -> None:
    try:
        analyse(query, limits=LIMITS)
    except QueryRefusedError:
        return  # refused before the engine
    try:
        run_query(engine, query, output=JSON, timeout_s=5, limits=LIMITS)
    except EngineCrashedError as exc:  # the one outcome that is a failure
        pytest.fail(f"a query the guard let through crashed a worker: {exc}; query starts {query[:120]!r}")
    except QueryError:
        pass  # a syntax error the engine reports, or a timeout: the worker is fine

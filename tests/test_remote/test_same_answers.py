"""Same answers on both backends: every canned query (queries/*.rq, parameters at their
defaults) on the seeds' build, in the embedded store and in Virtuoso loaded with the same
build, returns the same rows.

A SELECT's rows are compared as a multiset of whole rows (SPARQL leaves the order of an
unordered result open, and an ordered one is compared by its keys anyway); a joined cell
(``GROUP_CONCAT``) is compared as written, so its order counts (the queries order it with
an inner ``ORDER BY``, which SPARQL does not promise to keep and both engines keep here).
A CONSTRUCT's answer is compared as a set of N-Triples lines (a graph is a set).

Two queries meet a bug of Virtuoso 7.2 that the engine does not work around
(docs/decisions/0016-remote-store.md, "Canned queries on Virtuoso"): each is
``xfail(strict=True)`` with the bug, so a Virtuoso that answers them right makes the test
fail until the mark is removed.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from virtuoso_server import VirtuosoServer

from kg.build.remote import publish_remote
from kg.canned.catalogue import load_queries, prepare
from kg.engine.formats import FORM_KIND, format_named
from kg.engine.interface import Engine
from kg.engine.oxigraph.pool import LocalEngine
from kg.engine.oxigraph.store import open_read_only
from kg.engine.query import run_query, tokenize
from kg.engine.remote.client import RemoteStore
from kg.engine.remote.engine import RemoteEngine
from kg.settings import Settings, data_dir

pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]

QUERIES = load_queries(data_dir("queries"))

_SQ156 = (
    "Virtuoso 7.2 bug: 'SQ156: Internal Optimized compiler error: Bad dfe in sqlo_place_exp' "
    "(and no xsd:dayTimeDuration: 'SR185: Undefined procedure')"
)
VIRTUOSO_BUGS = {"cq11-events-before": _SQ156, "cq12-person-activity": _SQ156}


@pytest.fixture(scope="module")
def engines(built_store: Settings, virtuoso: VirtuosoServer) -> tuple[Engine, Engine]:
    """(embedded, remote) engines on the seeds' build."""
    settings = built_store.with_(store_endpoint=virtuoso.store)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in virtuoso.env.items():
            mp.setenv(name, value)
        publish_remote(settings)
    return LocalEngine(open_read_only(Path(settings.store))), RemoteEngine(
        RemoteStore.from_settings(settings, env={})
    )


def _is_graph(text: str) -> bool:
    form = next((t.text.upper() for t in tokenize(text) if t.depth == 0 and t.is_word(*FORM_KIND)), "SELECT")
    return FORM_KIND[form] == "graph"


def _rows(engine: Engine, text: str) -> Counter[str]:
    if _is_graph(text):
        body = run_query(
            engine, text, output=format_named("nt").output, max_rows=1_000_000, timeout_s=120
        ).body
        return Counter(set(body.decode("utf-8").splitlines()))
    body = run_query(engine, text, output=format_named("json").output, max_rows=1_000_000, timeout_s=120).body
    data = json.loads(body)
    if "boolean" in data:
        return Counter([str(data["boolean"])])
    return Counter(json.dumps(row, sort_keys=True) for row in data["results"]["bindings"])


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=VIRTUOSO_BUGS[name]))
        if name in VIRTUOSO_BUGS
        else name
        for name in sorted(QUERIES)
    ],
)
def test_canned_query_same_rows_on_both_backends(engines: tuple[Engine, Engine], name: str) -> None:
    text = prepare(QUERIES[name], {})
    embedded, remote = (_rows(e, text) for e in engines)
    assert remote == embedded

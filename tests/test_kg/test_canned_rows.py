"""One row per answer, for every canned query (issue 12): each SELECT query declares the
columns that identify its answer (``# key:``), and on the seeds and on the fixture of
``test_canned.py`` (one launch told two ways by two articles) no two of its rows share
them. Several values of another column are joined in one cell with "; ", each once and in
order. Generic over the catalogue: a query added later is checked the same way."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

from kg.canned import catalogue as canned
from kg.canned.catalogue import CannedQuery
from kg.engine.oxigraph.store import open_read_only
from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent.parent
QUERIES = canned.load_queries(ROOT / "queries")
IRI = re.compile(r"[a-z][a-z0-9+.-]*://\S+")

# Parameters tried besides the defaults: other people, a window with several events, a
# provenance question with more than one graph per subject.
MORE_PARAMS: dict[str, list[dict[str, str]]] = {
    "cq12-person-activity": [
        {"person": "Kim Yo Jong"},
        {"person": "Donald Trump"},
        {"person": "Kim Jong Un"},
    ],
    "cq11-events-before": [{"date": "2021-03-23", "days": "4000"}, {"date": "2024-12-31", "days": "4000"}],
    "cq-provenance": [{"predicate": "pen:participant"}, {"predicate": "pen:reportedIn"}],
}


def _fixture_module() -> ModuleType:
    """tests/test_kg/test_canned.py, whose fixture is reused (tests are not a package)."""
    path = Path(__file__).resolve().parent / "test_canned.py"
    spec = importlib.util.spec_from_file_location("canned_rows_fixture", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _selects() -> list[str]:
    """Names of the catalogue's SELECT queries (a CONSTRUCT returns a graph, not rows)."""
    empty = ox.Store()
    return [
        name
        for name, query in QUERIES.items()
        if isinstance(empty.query(canned.prepare(query, {})), ox.QuerySolutions)
    ]


SELECTS = _selects()


@pytest.fixture(scope="module")
def fixture_store() -> ox.Store:
    """The fixture of test_canned.py in memory, the default graph the union of its graphs."""
    store = ox.Store()
    for q in _fixture_module()._dataset():
        store.add(q)
        store.add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
    return store


@pytest.fixture(scope="module")
def seed_store(built_store: Settings) -> ox.Store:
    return open_read_only(built_store.store)


def _rows(
    store: ox.Store, query: CannedQuery, params: dict[str, str]
) -> tuple[list[str], list[list[object]]]:
    results = store.query(canned.prepare(query, params))
    assert isinstance(results, ox.QuerySolutions)
    return [v.value for v in results.variables], [list(row) for row in results]


def _runs(name: str) -> list[dict[str, str]]:
    return [{}, *MORE_PARAMS.get(name, [])]


def _check_one_row_per_answer(store: ox.Store, name: str) -> int:
    """Assert the key is unique and joined cells are well formed; the number of rows."""
    query = QUERIES[name]
    total = 0
    for params in _runs(name):
        variables, rows = _rows(store, query, params)
        assert set(query.key) <= set(variables), f"{name}: key {query.key} not among {variables}"
        at = [variables.index(k) for k in query.key]
        keys = Counter(tuple(str(row[i]) if row[i] is not None else "" for i in at) for row in rows)
        shared = {k: n for k, n in keys.items() if n > 1}
        assert not shared, f"{name} {params}: several rows for one answer {shared}"
        for row in rows:
            for column, term in zip(variables, row, strict=True):
                if not isinstance(term, ox.Literal) or "; " not in term.value:
                    continue
                parts = term.value.split("; ")
                if all(IRI.fullmatch(p) for p in parts):
                    assert parts == sorted(set(parts)), f"{name}: {column} not each once, in order: {parts}"
        total += len(rows)
    return total


def test_every_select_query_declares_its_key() -> None:
    assert SELECTS, "no canned SELECT query found"
    for name in SELECTS:
        assert QUERIES[name].key, f"{name} has no '# key:' line in its header"


@pytest.mark.parametrize("name", SELECTS)
def test_one_row_per_answer_on_the_fixture(name: str, fixture_store: ox.Store) -> None:
    _check_one_row_per_answer(fixture_store, name)


@pytest.mark.parametrize("name", SELECTS)
def test_one_row_per_answer_on_the_seeds(name: str, seed_store: ox.Store) -> None:
    _check_one_row_per_answer(seed_store, name)


def test_the_check_has_answers_to_check(seed_store: ox.Store) -> None:
    """The seeds give most queries rows, so the checks above are not vacuous."""
    empty = [n for n in SELECTS if _check_one_row_per_answer(seed_store, n) == 0]
    assert empty == ["cq-source-disagreements"], empty  # the seeds merge no event told two ways


def test_a_query_with_one_row_per_value_fails_the_check(fixture_store: ox.Store) -> None:
    """The check catches what it is for: the launch of the fixture, listed once per weapon
    class (as cq01 did before issue 12), is two rows for one answer."""
    text = (
        "# title: Launches, one row per class\n# key: launch\n"
        "PREFIX pen: <https://w3id.org/peninsula/ontology#>\n"
        "SELECT ?launch ?weapon_class WHERE { ?launch a pen:MissileLaunch ; pen:weaponClass ?weapon_class }"
    )
    QUERIES["test-one-row-per-class"] = canned.parse_query(text, "test-one-row-per-class")
    try:
        with pytest.raises(AssertionError, match="several rows for one answer"):
            _check_one_row_per_answer(fixture_store, "test-one-row-per-class")
    finally:
        del QUERIES["test-one-row-per-class"]


def test_key_lines_are_parsed_and_checked() -> None:
    query = canned.parse_query("# title: t\n# key: launch  article\nSELECT * { ?s ?p ?o }", "t")
    assert query.key == ("launch", "article")
    assert canned.parse_query("# title: t\nSELECT * { ?s ?p ?o }", "t").key == ()
    with pytest.raises(canned.CannedQueryError, match="key column"):
        canned.parse_query("# title: t\n# key: ?launch\nSELECT * { ?s ?p ?o }", "t")

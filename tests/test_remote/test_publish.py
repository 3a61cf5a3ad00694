"""Publishing to a real Virtuoso is atomic for readers: a reader querying all along while
builds are published sees one whole build at a time, never a mix or half of one; a failed
upload leaves the live build as it was; kg build publishes there end to end."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from virtuoso_server import VirtuosoServer, remote_settings

from kg.cli import main
from kg.engine.formats import format_named
from kg.engine.query import run_query
from kg.engine.remote.client import RemoteStore
from kg.engine.remote.engine import RemoteEngine
from kg.engine.remote.publish import publish_graphs
from kg.errors import KGError

pytestmark = pytest.mark.virtuoso

BASE = (
    "https://example.org/publish-test/"  # a base of its own: these builds do not touch the other tests' store
)
GRAPHS, TRIPLES = 6, 200
INT = "http://www.w3.org/2001/XMLSchema#integer"
CHECK = """SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?v) AS ?versions) (MIN(?v) AS ?version)
             (COUNT(DISTINCT ?g) AS ?graphs)
           WHERE { GRAPH ?g { ?s <urn:x-test:version> ?v } }"""
DEFAULT = "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?v) AS ?versions) WHERE { ?s <urn:x-test:version> ?v }"


def _graph(version: int, n: int) -> Iterator[bytes]:
    for i in range(TRIPLES):
        yield f'<urn:x-test:s{n}-{i}> <urn:x-test:version> "{version}"^^<{INT}> .\n'.encode()


def _publish(store: RemoteStore, version: int, graphs: int = GRAPHS) -> None:
    named = {f"{BASE}graph/g{n}": _graph(version, n) for n in range(graphs)}
    union = (line for n in range(graphs) for line in _graph(version, n))
    publish_graphs(store, f"v{version}", named, union)


@pytest.fixture
def store(virtuoso: VirtuosoServer) -> RemoteStore:
    settings = remote_settings(Path("unused"), virtuoso, base_iri=BASE)
    return RemoteStore.from_settings(settings, env=virtuoso.env)


def _row(engine: RemoteEngine, text: str) -> dict[str, int]:
    body = run_query(engine, text, output=format_named("json").output).body
    row = json.loads(body)["results"]["bindings"][0]
    return {k: int(v["value"]) for k, v in row.items()}


def test_a_reader_never_sees_half_a_build(store: RemoteStore) -> None:
    _publish(store, 1)
    reader = RemoteEngine(RemoteStore(store.query_url, store.update_url, store.gsp_url, store.base_iri))
    seen: list[dict[str, int]] = []
    defaults: list[dict[str, int]] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.append(_row(reader, CHECK))
            defaults.append(_row(reader, DEFAULT))
            done.wait(0.05)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for version in range(2, 9):
            _publish(store, version, graphs=GRAPHS - version % 2)  # one graph dropped, then back
    finally:
        done.set()
        thread.join()
    assert len({row["version"] for row in seen}) >= 3, "the reader should have run during the publications"
    for row in seen:
        graphs = GRAPHS - row["version"] % 2 if row["version"] > 1 else GRAPHS
        assert row == {"n": graphs * TRIPLES, "versions": 1, "version": row["version"], "graphs": graphs}
    for row in defaults:
        assert row["versions"] == 1 and row["n"] in (GRAPHS * TRIPLES, (GRAPHS - 1) * TRIPLES)
    assert _row(reader, CHECK)["version"] == 8


def test_a_failed_upload_leaves_the_live_build(store: RemoteStore) -> None:
    _publish(store, 5)

    def broken() -> Iterator[bytes]:
        yield f'<urn:x-test:a> <urn:x-test:version> "6"^^<{INT}> .\n'.encode()
        yield b"this is not N-Triples\n"

    with pytest.raises(KGError):
        publish_graphs(store, "v6", {f"{BASE}graph/g0": broken()}, iter(()))
    reader = RemoteEngine(store)
    assert _row(reader, CHECK) == {"n": GRAPHS * TRIPLES, "versions": 1, "version": 5, "graphs": GRAPHS}
    leftovers = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:peninsula:staging:')) }"
    rows = reader._select(leftovers, 10, default=("urn:peninsula:no-graph",), named=())
    assert int(rows[0][0].value) == 0


def test_kg_build_publishes_to_the_remote_store(
    virtuoso: VirtuosoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The command a user runs, with the credentials in the environment only."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    source = Path(__file__).resolve().parents[2] / "seeds"
    for path in sorted(source.iterdir())[:2]:
        (seeds / path.name).write_bytes(path.read_bytes())
    base = "https://example.org/cli-test/"
    for name, value in {
        **virtuoso.env,
        "PENINSULA_STORE_ENDPOINT": virtuoso.store,
        "PENINSULA_BASE_IRI": base,
    }.items():
        monkeypatch.setenv(name, value)
    code = main(["build", "--seeds", str(seeds), "--store", str(tmp_path / "store")])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert "published build" in err and virtuoso.password not in err
    assert main(["stats", "--store", str(tmp_path / "store")]) == 0
    out = capsys.readouterr().out
    assert "named graphs:" in out and "triples in the default graph: 0" not in out


def test_a_build_of_many_graphs_is_queried(store: RemoteStore) -> None:
    """Each query names the live build's graphs; Virtuoso echoed protocol graphs in one
    header each, and past a hundred Python's client refused the answer."""
    many = 300
    named = {
        f"{BASE}graph/many/{n}": iter([f"<urn:x-test:m{n}> <urn:x-test:version> 9 .\n".encode()])
        for n in range(many)
    }
    union = (f"<urn:x-test:m{n}> <urn:x-test:version> 9 .\n".encode() for n in range(many))
    publish_graphs(store, "many", named, union)
    reader = RemoteEngine(store)
    assert _row(reader, CHECK) == {"n": many, "versions": 1, "version": 9, "graphs": many}
    assert _row(reader, DEFAULT) == {"n": many, "versions": 1}

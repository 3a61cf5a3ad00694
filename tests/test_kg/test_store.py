"""The store alone: builds, the default-graph union, atomic publication, pruning, rollback
on failure, export and statistics."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.engine.oxigraph.store import (
    build_lock,
    current_build,
    discard_build,
    export,
    named_quads,
    new_build_dir,
    open_read_only,
    previous_build,
    publish,
    quads_of_graph,
    stats,
    write_build,
)
from kg.errors import BuildError
from kg.rdf.terms import to_ox

EX = "https://example.org/"
PEN = "https://w3id.org/peninsula/ontology#"
G1 = ox.NamedNode("https://w3id.org/peninsula/graph/article/a")
G2 = ox.NamedNode("https://w3id.org/peninsula/graph/article/b")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _quads(tag: str = "x") -> list[ox.Quad]:
    kim = ox.NamedNode(EX + "kim")
    return [
        # the same triple in two graphs: the default graph must hold it once
        ox.Quad(kim, TYPE, ox.NamedNode(PEN + "Person"), G1),
        ox.Quad(kim, TYPE, ox.NamedNode(PEN + "Person"), G2),
        ox.Quad(kim, LABEL, ox.Literal("Kim Jong Un"), G1),
        ox.Quad(ox.NamedNode(EX + "a"), TYPE, ox.NamedNode(PEN + "Article"), G1),
        ox.Quad(ox.NamedNode(EX + "b"), TYPE, ox.NamedNode(PEN + "Article"), G2),
        ox.Quad(ox.NamedNode(EX + "b"), LABEL, ox.Literal(tag), G2),
    ]


def _publish(store_dir: Path, tag: str = "x") -> Path:
    build = new_build_dir(store_dir)
    write_build(build, _quads(tag))
    publish(store_dir, build)
    return build


def _all_quads(store_dir: Path) -> set[str]:
    store = open_read_only(store_dir)
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)}


def test_nothing_published_yet(tmp_path: Path) -> None:
    assert current_build(tmp_path) is None
    with pytest.raises(FileNotFoundError, match="kg build"):
        open_read_only(tmp_path)


def test_write_materialises_the_default_graph_as_a_set(tmp_path: Path) -> None:
    build = new_build_dir(tmp_path)
    named, union = write_build(build, _quads())
    assert (named, union) == (6, 5)
    store = ox.Store.read_only(str(build))
    default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert len(default) == len({q.triple for q in default}) == 5
    rows = list(store.query(f"SELECT ?s WHERE {{ ?s a <{PEN}Person> }}"))  # type: ignore[arg-type]
    assert len(rows) == 1  # once, though two graphs say it
    assert {q.graph_name for q in named_quads(store)} == {G1, G2}


def test_publish_swaps_the_link_and_keeps_one_predecessor(tmp_path: Path) -> None:
    first = _publish(tmp_path, "first")
    assert current_build(tmp_path) == first.resolve()
    assert os.readlink(tmp_path / "current") == os.path.join("builds", first.name)  # relative link
    second = _publish(tmp_path, "second")
    assert current_build(tmp_path) == second.resolve()
    assert previous_build(tmp_path) == first
    third = _publish(tmp_path, "third")
    assert sorted(p.name for p in (tmp_path / "builds").iterdir()) == sorted([second.name, third.name])
    assert not first.exists()
    assert '"third"' in " ".join(_all_quads(tmp_path))


def test_publish_clears_folders_left_by_a_crashed_build(tmp_path: Path) -> None:
    _publish(tmp_path)
    stale = new_build_dir(tmp_path)  # as if a build had died half-way
    (stale / "junk").write_text("half written")
    live = _publish(tmp_path)
    assert not stale.exists()
    assert current_build(tmp_path) == live.resolve()


def test_a_failing_write_leaves_the_live_build_and_no_folder(tmp_path: Path) -> None:
    live = _publish(tmp_path, "live")
    before = _all_quads(tmp_path)

    def exploding() -> Iterator[ox.Quad]:
        yield from _quads("new")
        raise RuntimeError("disk on fire")

    build = new_build_dir(tmp_path)
    with pytest.raises(RuntimeError, match="disk on fire"):
        try:
            write_build(build, exploding())
        finally:
            discard_build(build)
    assert not build.exists()
    assert current_build(tmp_path) == live.resolve()
    assert _all_quads(tmp_path) == before


def test_publish_refuses_a_folder_outside_the_store(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="not a build folder"):
        publish(tmp_path / "store", tmp_path)


def test_a_reader_keeps_its_build_while_a_new_one_is_published(tmp_path: Path) -> None:
    _publish(tmp_path, "old")
    reader = open_read_only(tmp_path)
    _publish(tmp_path, "new")
    labels = {str(q.object) for q in reader.quads_for_pattern(None, LABEL, None, G2)}
    assert labels == {'"old"'}
    assert {str(q.object) for q in open_read_only(tmp_path).quads_for_pattern(None, LABEL, None, G2)} == {
        '"new"'
    }


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    with build_lock(tmp_path):
        errors: list[BaseException] = []

        def other() -> None:
            try:
                with build_lock(tmp_path):
                    pass
            except BuildError as exc:
                errors.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert len(errors) == 1 and "another build" in str(errors[0])
    with build_lock(tmp_path):  # released
        pass


_HOLD = """
import sys, time
from pathlib import Path
from kg.engine.oxigraph.store import build_lock
with build_lock(Path(sys.argv[1])):
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(store: Path) -> subprocess.Popen[str]:
    """Another process holding the store's lock (for 30 s at most)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(store), "30"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def test_another_process_holding_the_lock_is_named(tmp_path: Path) -> None:
    with _holder(tmp_path) as holder:
        try:
            with (
                pytest.raises(BuildError, match=rf"another build is writing .* \(process {holder.pid}\)"),
                build_lock(tmp_path),
            ):
                pass
        finally:
            holder.kill()


def test_a_lock_whose_holder_was_killed_is_recovered_with_a_message(tmp_path: Path) -> None:
    with _holder(tmp_path) as holder:
        holder.kill()  # kill -9: no chance to release or to clean the file
    with build_lock(tmp_path) as note:
        assert (
            note == f"recovered the store's lock from process {holder.pid}, which ended without releasing it"
        )
    with build_lock(tmp_path) as note:  # released cleanly this time: nothing to say
        assert note is None


def test_rdflib_terms_convert() -> None:
    g = rdflib.Graph()
    s = rdflib.URIRef(EX + "s")
    g.add((s, rdflib.RDFS.label, rdflib.Literal("Kim", lang="en")))
    g.add((s, rdflib.URIRef(EX + "n"), rdflib.Literal(3)))
    g.add((s, rdflib.URIRef(EX + "t"), rdflib.Literal("plain")))
    g.add((s, rdflib.URIRef(EX + "b"), rdflib.BNode("b1")))
    quads = {str(q) for q in quads_of_graph(g, EX + "g")}
    assert f'<{EX}s> <http://www.w3.org/2000/01/rdf-schema#label> "Kim"@en <{EX}g>' in quads
    assert f'<{EX}s> <{EX}n> "3"^^<http://www.w3.org/2001/XMLSchema#integer> <{EX}g>' in quads
    assert f'<{EX}s> <{EX}t> "plain" <{EX}g>' in quads
    assert isinstance(to_ox(rdflib.BNode("b1")), ox.BlankNode)
    with pytest.raises(TypeError):
        to_ox(rdflib.Variable("v"))


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [
        ("trig", ox.RdfFormat.TRIG),
        ("nq", ox.RdfFormat.N_QUADS),
        ("ttl", ox.RdfFormat.TURTLE),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ],
)
def test_export_round_trips(tmp_path: Path, fmt: str, rdf_format: ox.RdfFormat) -> None:
    _publish(tmp_path)
    out = io.BytesIO()
    export(open_read_only(tmp_path), fmt, out)
    parsed = list(ox.parse(out.getvalue(), rdf_format))
    if rdf_format.supports_datasets:
        graphs = Counter(q.graph_name for q in parsed)  # type: ignore[union-attr]
        assert graphs == {G1: 3, G2: 3}  # the named graphs only; the default graph is derived
    else:
        assert len(parsed) == len(set(parsed)) == 5  # the union, each triple once


def test_export_refuses_unknown_format(tmp_path: Path) -> None:
    _publish(tmp_path)
    with pytest.raises(ValueError, match="unknown export format"):
        export(open_read_only(tmp_path), "xml", io.BytesIO())


def test_stats_counts(tmp_path: Path) -> None:
    _publish(tmp_path)
    result = stats(open_read_only(tmp_path))
    assert dict(result.classes) == {PEN + "Person": 1, PEN + "Article": 2}
    assert dict(result.graphs) == {G1.value: 3, G2.value: 3}
    assert result.default_triples == 5
    assert result.articles == 2

"""The build written as it goes: graphs in, graphs out, the default graph always the union
of the named graphs (docs/decisions/0013)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from kg.build.writer import BuildWriter
from kg.namespaces import PEN

EX = "http://example.org/"


def _nt(*triples: tuple[str, str, str]) -> bytes:
    return "".join(f"<{EX}{s}> <{EX}{p}> {o} .\n" for s, p, o in triples).encode()


def _default(store: ox.Store) -> set[str]:
    return {
        str(q.subject) + str(q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


def _union(store: ox.Store) -> set[str]:
    return {
        str(q.subject) + str(q.object)
        for q in store.quads_for_pattern(None, None, None, None)
        if not isinstance(q.graph_name, ox.DefaultGraph)
    }


def test_the_default_graph_stays_the_union_as_graphs_come_and_go(tmp_path: Path) -> None:
    writer = BuildWriter(tmp_path / "build")
    a, b = URIRef(EX + "graph/a"), URIRef(EX + "graph/b")
    writer.add(a, _nt(("north-korea", "label", '"North Korea"'), ("a/s1", "text", '"one"')), "a")
    writer.add(b, _nt(("north-korea", "label", '"North Korea"'), ("b/s1", "text", '"two"')), "b")
    writer.flush()
    assert _default(writer.store) == _union(writer.store)
    assert writer.shared() == {
        URIRef(EX + "north-korea")
    }  # a node minted with an article's id is never shared
    writer.remove([a])
    assert _default(writer.store) == _union(writer.store)  # the label b also gives stays
    assert any("North Korea" in t for t in _default(writer.store))
    replaced = Graph()
    replaced.add((URIRef(EX + "b/s1"), URIRef(EX + "text"), Literal("two, told again")))
    writer.replace({b: replaced})
    assert _default(writer.store) == _union(writer.store) and writer.names == [b]
    assert writer.close() == (1, 1)


def test_events_dated_differently_by_two_graphs_are_found(tmp_path: Path) -> None:
    writer = BuildWriter(tmp_path / "build")
    day = '"2017-07-04"^^<http://www.w3.org/2001/XMLSchema#date>'
    other = '"2017-07-05"^^<http://www.w3.org/2001/XMLSchema#date>'
    nt = "<{ex}launch> <{p}> {d} .\n"
    writer.add(URIRef(EX + "graph/a"), nt.format(ex=EX, p=PEN.earliest, d=day).encode(), "a")
    writer.add(URIRef(EX + "graph/b"), nt.format(ex=EX, p=PEN.earliest, d=day).encode(), "b")
    assert writer.disagreeing() == set()
    writer.add(URIRef(EX + "graph/c"), nt.format(ex=EX, p=PEN.earliest, d=other).encode(), "c")
    assert writer.disagreeing() == {URIRef(EX + f"graph/{g}") for g in "abc"}
    writer.close()


def test_reports_that_disagree_are_kept_apart_in_the_store_as_in_memory(tmp_path: Path) -> None:
    from kg.build.disagreements import separate_disagreeing_reports

    writer = BuildWriter(tmp_path / "build")
    launch = f"<{EX}launch/2017-07>"
    graphs: dict[URIRef, Graph] = {}
    for g, day in (("a", "04"), ("b", "05"), ("c", None)):
        lines = f'{launch} <{PEN.label}> "a launch" .\n<{EX}{g}/m> <{PEN.denotes}> {launch} .\n'
        if day:
            lines += f'{launch} <{PEN.earliest}> "2017-07-{day}"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        name = URIRef(f"{EX}graph/{g}")
        writer.add(name, lines.encode(), g)
        graphs[name] = Graph().parse(data=lines, format="nt")
    assert writer.separate() == 2  # a and b date it differently; c gives no date and keeps it
    expected = separate_disagreeing_reports(graphs)
    for name, graph in expected.items():
        stored = {
            (str(q.subject), str(q.predicate), str(q.object))
            for q in writer.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))
        }
        assert stored == {(s.n3(), p.n3(), o.n3()) for s, p, o in graph}
    assert _default(writer.store) == _union(writer.store)
    writer.close()

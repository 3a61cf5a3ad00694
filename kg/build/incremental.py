"""Ingest whose cost follows the change: what ``kg ingest`` reads of the live build and how it
writes the next one, without copying the store.

- :func:`live_articles` reads the ids and sources of the live build's articles (one small
  query) and the signatures of their stories for finding copies (from the build's
  ``stories`` file, else from their texts once);
- :func:`graph_of` and :func:`descriptions` read only the graphs and the nodes an ingest
  touches: an article being replaced, and what other articles say of the nodes the new
  graphs share with them;
- :func:`write_next_build` checkpoints the live build (``Store.backup``: hard links, a few
  milliseconds whatever its size), removes the replaced article graphs and adds the new
  ones in the checkpoint, keeps the default graph the set-union of the named graphs by
  updating only the triples those graphs hold, and leaves the folder ready to publish.

Readers keep the live build until the ``current`` link is swapped; a failure or a kill at
any point leaves a half-written folder that the next publication removes.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from kg.build.duplicates import StoryIndex
from kg.engine.oxigraph.store import named_quads, prune_default, quads_of_graph
from kg.namespaces import PEN
from kg.rdf.terms import from_ox

__all__ = ["descriptions", "graph_of", "live_articles", "stories_path", "write_next_build"]


def stories_path(build: Path) -> Path:
    """Where the signatures of a build's stories are kept, beside the build."""
    return Path(build).with_name(Path(build).name + ".stories.json")


def _slug(graph: str) -> str:
    return graph.rstrip("/").rsplit("/", 1)[-1]


def live_articles(store: ox.Store, build: Path, prefix: str) -> tuple[dict[str, str], StoryIndex]:
    """The article ids of the live build with their sources (URL, else file name), and an
    index of the stories it extracted (not its duplicates), read from the build's stories
    file when there is one."""
    ids: dict[str, str] = {}
    rows = store.query(
        f"""SELECT ?g ?file ?url ?dup WHERE {{ GRAPH ?g {{
              ?a a <{PEN.Article}> ; <{PEN.sourceFile}> ?file .
              OPTIONAL {{ ?a <{PEN.url}> ?url }} OPTIONAL {{ ?a <{PEN.duplicateOf}> ?dup }} }}
              FILTER(STRSTARTS(STR(?g), "{prefix}")) }}"""
    )
    extracted: list[str] = []
    for row in rows:  # type: ignore[union-attr]
        slug = _slug(row["g"].value)
        url = row["url"]
        ids[slug] = url.value if url is not None else Path(row["file"].value).name
        if row["dup"] is None:
            extracted.append(slug)
    index = StoryIndex()
    saved = _load_stories(build)
    missing = [s for s in extracted if s not in saved]
    index.restore({s: v for s, v in saved.items() if s in set(extracted)})
    for slug in missing:
        graph = ox.NamedNode(prefix + slug)
        text = next(iter(store.quads_for_pattern(None, ox.NamedNode(str(PEN.text)), None, graph)), None)
        title = next(iter(store.quads_for_pattern(None, ox.NamedNode(str(PEN.title)), None, graph)), None)
        if text is not None and isinstance(text.object, ox.Literal):
            body = text.object.value
            index.add(slug, body[body.find("\n\n") + 2 :] if title is not None else body)
    return ids, index


def _load_stories(build: Path) -> dict[str, list[object]]:
    try:
        saved = json.loads(stories_path(build).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def triples_of(store: ox.Store, name: URIRef) -> list[tuple[Node, Node, Node]]:
    """The triples of one named graph of the store, as rdflib terms, without a graph."""
    return [
        (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))
    ]


def graph_of(store: ox.Store, name: URIRef) -> Graph:
    """One named graph of the store, as an rdflib graph."""
    graph = Graph()
    for triple in triples_of(store, name):
        graph.add(triple)
    return graph


def descriptions(
    store: ox.Store, nodes: Iterable[URIRef], *, prefix: str, skip: set[URIRef]
) -> dict[URIRef, Graph]:
    """What the article graphs of the store (but ``skip``) say of ``nodes``, by graph: the
    triples with the node as subject, and the types of their objects in that graph."""
    out: dict[URIRef, Graph] = {}
    rdf_type = ox.NamedNode(str(RDF.type))
    for node in nodes:
        for q in store.quads_for_pattern(ox.NamedNode(str(node)), None, None, None):
            name = q.graph_name
            if not isinstance(name, ox.NamedNode) or not name.value.startswith(prefix):
                continue
            graph_name = URIRef(name.value)
            if graph_name in skip:
                continue
            graph = out.setdefault(graph_name, Graph())
            graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
            if isinstance(q.object, ox.NamedNode):
                for t in store.quads_for_pattern(q.object, rdf_type, None, name):
                    graph.add((from_ox(t.subject), RDF.type, from_ox(t.object)))
    return out


def _default(quad: ox.Quad) -> ox.Quad:
    return ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())


def write_next_build(
    live: Path,
    target: Path,
    *,
    remove: Iterable[URIRef],
    add: Mapping[URIRef, Graph],
    stories: StoryIndex,
    counts: tuple[int, int] | None,
) -> tuple[int, int]:
    """The next build in ``target`` (which must not exist): a checkpoint of ``live`` with
    the graphs ``remove`` taken out and the graphs ``add`` put in (a graph in both is
    replaced), the default graph kept the set-union of the named graphs, and the stories
    file beside it. ``counts`` are the live build's (quads in named graphs, triples in the
    default graph), from its report; returns the new build's, counting only what changed
    (or everything, when ``counts`` is None)."""
    source = ox.Store.read_only(str(live))
    try:
        source.backup(str(target))
    finally:
        del source
        gc.collect()
    store = ox.Store(str(target))
    named = union = 0
    try:
        gone: set[ox.Quad] = set()
        for name in {*remove, *add}:
            old = ox.NamedNode(str(name))
            quads = list(store.quads_for_pattern(None, None, None, old))
            named -= len(quads)
            gone.update(_default(q) for q in quads)
            if quads:
                store.remove_graph(old)
        for name, new in add.items():
            quads = list(quads_of_graph(new, name))
            named += len(quads)
            store.extend(quads)
            for quad in map(_default, quads):
                gone.discard(quad)
                if quad not in store:
                    store.add(quad)
                    union += 1
        union -= prune_default(store, gone)
        store.flush()
        if counts is None:
            counts = (
                -named + sum(1 for _ in named_quads(store)),
                -union + sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
            )
    finally:
        del store
        gc.collect()
    stories_path(target).write_text(json.dumps(stories.dump()), encoding="utf-8")
    return counts[0] + named, counts[1] + union

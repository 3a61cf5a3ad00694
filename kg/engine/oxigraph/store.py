"""The on-disk Oxigraph store and its atomic publication.

Layout of the store folder (setting ``store``)::

    <store>/builds/<build-id>/   one complete Oxigraph database per build, never written
                                 again once published
    <store>/current              symlink → builds/<build-id>: the live build
    <store>/.lock                held by the one process writing a build

A build is written into a fresh ``builds/<id>`` folder, validated, and published by
atomically replacing the ``current`` symlink (``os.replace`` of a new link). Readers open
``current`` read-only and notice a new build by its resolved path, so a failed build
never touches the live graph and a reader never sees half a build.

Graphs inside a build: one named graph per article (``<base>graph/article/<slug>``),
plus ``<base>graph/reference``, ``<base>graph/ontology`` and ``<base>graph/runs``. The
default graph holds the set-union of all named graphs, materialised at publication, so
that queries over the default graph see every triple exactly once (pyoxigraph 0.5's
union-default-graph mode returns a triple once per graph that holds it).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import secrets
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.engine.formats import EXPORTS, format_named
from kg.errors import BuildError
from kg.namespaces import DEFAULT_BASE
from kg.rdf.terms import to_ox

__all__ = [
    "EXPORT_FORMATS",
    "StoreStats",
    "build_lock",
    "current_build",
    "discard_build",
    "export",
    "live_report",
    "named_quads",
    "new_build_dir",
    "open_read_only",
    "previous_build",
    "publish",
    "quads_of_graph",
    "report_path",
    "stats",
    "to_ox",
    "write_build",
]

EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    name: getattr(ox.RdfFormat, format_named(name).engine_format) for name in EXPORTS
}


def current_build(store_dir: Path) -> Path | None:
    """The folder of the live build, or None when nothing has been published."""
    link = Path(store_dir) / "current"
    if not link.exists():
        return None
    return link.resolve()


def open_read_only(store_dir: Path) -> ox.Store:
    """Open the live build read-only. Raises FileNotFoundError when there is none."""
    build = current_build(store_dir)
    if build is None:
        raise FileNotFoundError(f"no published build in {store_dir}; run 'kg build' first")
    return ox.Store.read_only(str(build))


def previous_build(store_dir: Path) -> Path | None:
    """The build published before the live one (kept for rollback), if any."""
    live = current_build(store_dir)
    builds = sorted(p for p in (Path(store_dir) / "builds").glob("*") if p.is_dir() and p != live)
    return builds[-1] if builds else None


@contextlib.contextmanager
def build_lock(store_dir: Path) -> Iterator[str | None]:
    """Hold the store's writer lock: one build or ingest at a time per store, so that
    pruning never removes a folder another writer is filling. Fails at once (rather than
    waiting) when another writer holds it, naming its process.

    The lock is a POSIX record lock (``fcntl.lockf``): the kernel drops it when its
    process dies, however it dies, and worker processes do not inherit it, so no orphan
    can keep it. The holder writes its process id into the file; when the last holder
    died without releasing, the lock is taken over and the context value says so (None
    otherwise)."""
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    key = str(store_dir.resolve())
    with _HELD_GUARD:  # a record lock does not exclude the process that holds it
        if key in _HELD:
            raise BuildError(
                f"another build is writing {store_dir} (in this process); try again when it has finished"
            )
        _HELD.add(key)
    fd = os.open(store_dir / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _lock_holder(fd)
            who = f" (process {holder})" if holder else ""
            raise BuildError(
                f"another build is writing {store_dir}{who}; try again when it has finished"
            ) from None
        previous = _lock_holder(fd)
        note = None
        if previous and previous != os.getpid() and not _alive(previous):
            note = f"recovered the store's lock from process {previous}, which ended without releasing it"
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield note
        finally:
            os.ftruncate(fd, 0)
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
        with _HELD_GUARD:
            _HELD.discard(key)


_HELD: set[str] = set()
_HELD_GUARD = threading.Lock()


def _lock_holder(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def new_build_dir(store_dir: Path) -> Path:
    """A fresh, empty build folder; ids sort by creation time."""
    builds = Path(store_dir) / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    build_id = (
        time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}-{secrets.token_hex(2)}"
    )
    path = builds / build_id
    path.mkdir()
    return path


def discard_build(build: Path) -> None:
    """Remove a build folder that was not published (after a failure), and its report."""
    shutil.rmtree(build, ignore_errors=True)
    report_path(build).unlink(missing_ok=True)


def report_path(build: Path) -> Path:
    """Where the report of ``build`` is kept: ``builds/<id>.report.json``, beside the
    database folder (never inside it, which belongs to the engine)."""
    return Path(build).with_name(Path(build).name + ".report.json")


def live_report(store_dir: Path) -> dict[str, Any] | None:
    """The report of the live build, or None (nothing published, or a build made before
    reports were written)."""
    build = current_build(store_dir)
    if build is None:
        return None
    try:
        report = json.loads(report_path(build).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


# --- terms --------------------------------------------------------------------------------


def quads_of_graph(graph: Graph, name: URIRef | str) -> Iterator[ox.Quad]:
    """The triples of an rdflib graph as quads of the named graph ``name``."""
    g = ox.NamedNode(str(name))
    for s, p, o in graph:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)  # type: ignore[arg-type]


def prune_default(store: ox.Store, quads: Iterable[ox.Quad]) -> int:
    """Take out of the default graph each of ``quads`` (default-graph quads) that no named
    graph holds any more, so the default graph stays their union (decision 0001); returns
    how many went."""
    removed = 0
    for quad in quads:
        if not any(
            not isinstance(q.graph_name, ox.DefaultGraph)
            for q in store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
        ):
            store.remove(quad)
            removed += 1
    return removed


def named_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """Every quad of the store's named graphs (not the derived default graph)."""
    for quad in store.quads_for_pattern(None, None, None, None):
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield quad


# --- writing and publishing -----------------------------------------------------------------


def write_build(build: Path, quads: Iterable[ox.Quad]) -> tuple[int, int]:
    """Write named-graph ``quads`` into the empty build folder ``build`` and materialise
    the default graph as their set-union. Returns (named quads, default-graph triples).

    The database is closed when this returns, so the folder can be opened read-only."""
    store = ox.Store(str(build))
    try:
        store.bulk_extend(quads)
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        store.flush()
        named = sum(1 for _ in named_quads(store))
        union = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    finally:
        del store
        gc.collect()  # the Rust store closes its database when the object is freed
    return named, union


def publish(store_dir: Path, build: Path, *, keep_previous: bool = True) -> Path | None:
    """Make ``build`` the live build by atomically replacing the ``current`` symlink, then
    remove every other build except the one that was live until now (kept for rollback
    unless ``keep_previous`` is False). Folders left half-written by a crashed build go
    too. Returns the build that was live before, if any. Call under :func:`build_lock`."""
    store_dir = Path(store_dir)
    build = Path(build).resolve()
    if build.parent != (store_dir / "builds").resolve():
        raise BuildError(f"{build} is not a build folder of {store_dir}")
    before = current_build(store_dir)
    tmp = store_dir / f".current-{build.name}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(os.path.join("builds", build.name), tmp)
    os.replace(tmp, store_dir / "current")
    keep = {build} | ({before} if before is not None and keep_previous else set())
    for path in (store_dir / "builds").iterdir():
        if path.is_dir() and path.resolve() not in keep:
            shutil.rmtree(path, ignore_errors=True)
        elif (
            path.name.endswith(".report.json")
            and (path.parent / path.name.removesuffix(".report.json")).resolve() not in keep
        ):
            path.unlink(missing_ok=True)
    return before


# --- reading out ------------------------------------------------------------------------------


def export(store: ox.Store, fmt: str, output: IO[bytes]) -> None:
    """Serialise the dataset: ``trig``/``nq`` write the named graphs (the default graph is
    derived from them), ``ttl``/``jsonld`` write the default graph (the union)."""
    try:
        rdf_format = EXPORT_FORMATS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        ) from None
    prefixes = _prefixes(store)
    if rdf_format.supports_datasets:
        ox.serialize(named_quads(store), output, rdf_format, prefixes=prefixes)
    else:
        triples = (q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        ox.serialize(triples, output, rdf_format, prefixes=prefixes)


def _prefixes(store: ox.Store) -> dict[str, str] | None:
    base = DEFAULT_BASE
    # The base IRI is a setting; find it from the graph names this store holds.
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and "/graph/" in graph.value:
            base = graph.value.split("/graph/")[0] + "/"
            break
    return {
        "pen": base + "ontology#",
        "res": base + "resource/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "prov": "http://www.w3.org/ns/prov#",
    }


# --- statistics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreStats:
    """Counts of a build: instances per class (default graph), triples per named graph,
    triples in the default graph, and the number of articles."""

    classes: list[tuple[str, int]]
    graphs: list[tuple[str, int]]
    default_triples: int
    articles: int


def _count_rows(store: ox.Store, query: str) -> list[tuple[str, int]]:
    results = store.query(query)
    assert isinstance(results, ox.QuerySolutions)
    rows = []
    for solution in results:
        key, count = solution[0], solution[1]
        if key is None or count is None:
            continue
        rows.append((key.value, int(count.value)))
    return rows


def stats(store: ox.Store) -> StoreStats:
    """Counts per class (distinct instances in the default graph), triples per named graph
    and in the default graph, and articles (instances of ``pen:Article``)."""
    classes = _count_rows(
        store,
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class",
    )
    graphs = _count_rows(
        store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    articles = sum(n for c, n in classes if c.endswith("ontology#Article"))
    return StoreStats(classes, graphs, default, articles)

"""Benchmark: the embedded Oxigraph store beside Virtuoso on one generated store (issue 14,
item 5a; not a test: prints a markdown table).

Generates ``--triples`` named-graph triples shaped like a build (the generator of
scripts/bench_endpoint.py: a graph per article, reference data) plus the ontology in
``graph/ontology``, then in one run:

1. writes the embedded on-disk store (named graphs and the materialised default graph);
2. starts a scratch Virtuoso (tests/virtuoso_server.py) and bulk-loads the same named
   graphs, the same default graph as ``<base>graph/default`` and the pointer graph naming
   them (docs/decisions/0016-remote-store.md);
3. runs each query of the endpoint benchmark and each canned query (default parameters)
   through the engine interface on both (``run_query``, SPARQL JSON or N-Triples, as the
   server does): one warm-up run, then ``--runs`` timed runs; prints the medians, the ratio
   Virtuoso / Oxigraph and whether both returned the same rows.

Both engines run in this process's machine; the remote engine's time includes its HTTP
round trips (the query, and the ASK that checks the build did not change). The load average
is printed before and after: on a shared machine it moves both columns.

Usage: nice -n 10 .venv/bin/python scripts/bench_backends.py [--triples 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]  # the generator, the Virtuoso fixture

from bench_endpoint import BASE, QUERIES, generate  # noqa: E402
from virtuoso_server import start_virtuoso  # noqa: E402

from kg.canned.catalogue import load_queries, prepare  # noqa: E402
from kg.engine.formats import FORM_KIND, format_named  # noqa: E402
from kg.engine.interface import Engine  # noqa: E402
from kg.engine.oxigraph.pool import LocalEngine  # noqa: E402
from kg.engine.oxigraph.store import new_build_dir, open_read_only, publish, write_build  # noqa: E402
from kg.engine.query import run_query, tokenize  # noqa: E402
from kg.engine.remote.client import RemoteStore  # noqa: E402
from kg.engine.remote.engine import RemoteEngine  # noqa: E402
from kg.engine.remote.layout import HAS_PART, IDENTIFIER, default_graph, pointer_graph  # noqa: E402
from kg.errors import KGError  # noqa: E402
from kg.settings import data_dir  # noqa: E402

ONTOLOGY = ROOT / "ontology" / "peninsula.ttl"
SLOW_S = 5.0  # a query slower than this once is not repeated
TIMEOUT_S = 60.0


def _quads(data: Path) -> list[ox.Quad]:
    """The generated quads and the ontology in ``graph/ontology``."""
    quads = list(ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS))
    onto = ox.NamedNode(BASE + "graph/ontology")
    quads += [ox.Quad(t.subject, t.predicate, t.object, onto) for t in ox.parse(path=str(ONTOLOGY))]
    return quads


def _virtuoso_files(folder: Path, store: ox.Store) -> list[Path]:
    """N-Quads files of the named graphs, the default graph under its name, and the pointer."""
    named, union, pointer = folder / "named.nq", folder / "default.nq", folder / "pointer.nq"
    ox.serialize(
        (q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)),
        output=str(named),
        format=ox.RdfFormat.N_QUADS,
    )
    dg = ox.NamedNode(default_graph(BASE))
    ox.serialize(
        (
            ox.Quad(q.subject, q.predicate, q.object, dg)
            for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        ),
        output=str(union),
        format=ox.RdfFormat.N_QUADS,
    )
    pg = ox.NamedNode(pointer_graph(BASE))
    parts = [
        ox.Quad(pg, ox.NamedNode(HAS_PART), g, pg)
        for g in store.named_graphs()
        if isinstance(g, ox.NamedNode)
    ]
    ox.serialize(
        [ox.Quad(pg, ox.NamedNode(IDENTIFIER), ox.Literal("bench"), pg), *parts],
        output=str(pointer),
        format=ox.RdfFormat.N_QUADS,
    )
    return [named, union, pointer]


def _answer(engine: Engine, text: str) -> Counter[str]:
    form = next((t.text.upper() for t in tokenize(text) if t.depth == 0 and t.is_word(*FORM_KIND)), "SELECT")
    graph = FORM_KIND[form] == "graph"
    output = format_named("nt" if graph else "json").output
    body = run_query(engine, text, output=output, max_rows=100_000, timeout_s=TIMEOUT_S).body
    if graph:
        return Counter(set(body.decode("utf-8").splitlines()))
    data = json.loads(body)
    if "boolean" in data:
        return Counter([str(data["boolean"])])
    return Counter(json.dumps(row, sort_keys=True) for row in data["results"]["bindings"])


def _median_ms(run: Callable[[], object], runs: int) -> float:
    """The median of ``runs`` timed runs after a warm-up; a query whose warm-up took more
    than ``SLOW_S`` is timed by that one run (marked in the table)."""
    t = time.perf_counter()
    run()  # warm-up
    first = time.perf_counter() - t
    if first > SLOW_S:
        return -first * 1000
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def _row(name: str, text: str, engines: tuple[Engine, Engine], runs: int) -> str:
    cells = []
    answers = []
    for engine in engines:
        try:
            answers.append(_answer(engine, text))
            cells.append(_median_ms(lambda e=engine: _answer(e, text), runs))
        except KGError as exc:
            answers.append(None)
            cells.append(f"error: {str(exc).splitlines()[0][:60]}")
    local, remote = (abs(c) if isinstance(c, float) else c for c in cells)
    ratio = "–"
    if isinstance(local, float) and isinstance(remote, float):
        ratio = f"{remote / local:.2f}×" if remote < local else f"{remote / local:.1f}×"
    rows = sum(answers[0].values()) if answers[0] is not None else "–"
    same = "yes" if answers[0] is not None and answers[0] == answers[1] else "**no**"
    fmt = [(f"{c:.1f}" if c >= 0 else f"{-c:.0f} (1 run)") if isinstance(c, float) else c for c in cells]
    return f"| {name} | {fmt[0]} | {fmt[1]} | {ratio} | {rows} | {same} |"


def main() -> None:
    """Load one generated dataset into the embedded store and into Virtuoso, and print the medians of every query on both side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query on each side")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="peninsula-backends-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        generated = generate(folder / "bench.nq", args.triples)
        build = new_build_dir(folder / "store")
        write_build(build, _quads(folder / "bench.nq"))
        publish(folder / "store", build)
        local = LocalEngine(open_read_only(folder / "store"))
        store = ox.Store.read_only(str(build))
        quads, graphs = len(store), sum(1 for _ in store.named_graphs())
        print(
            f"embedded store: {quads:,} quads, {graphs:,} named graphs, {time.perf_counter() - t:.0f} s",
            file=sys.stderr,
        )
        t = time.perf_counter()
        files = _virtuoso_files(folder, store)
        del store
        server = start_virtuoso(folder / "virtuoso", buffers=170_000, load=files)
        print(f"Virtuoso started and bulk-loaded: {time.perf_counter() - t:.0f} s", file=sys.stderr)
        try:
            remote = RemoteEngine(RemoteStore(server.url, "", "", BASE))
            canned = load_queries(data_dir("queries"))
            lines = [
                f"Generated {generated:,} named-graph triples + the ontology: {quads:,} quads with the default "
                f"graph, {graphs:,} named graphs; medians of {args.runs} runs after a warm-up, in ms "
                f"(a query slower than {SLOW_S:g} s once: that run; time limit {TIMEOUT_S:g} s).",
                "",
                "| query | Oxigraph (embedded) | Virtuoso 7.2 (remote) | ratio | rows | same rows |",
                "|---|---:|---:|---:|---:|---|",
            ]
            queries = [*QUERIES.items(), *((name, prepare(q, {})) for name, q in canned.items())]
            for name, text in queries:
                lines.append(_row(name, text, (local, remote), args.runs))
                print(lines[-1], file=sys.stderr)
        finally:
            server.stop()
            local.close()
    print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Benchmark: large results in-process and through ``kg serve`` (not a test; prints a table).

On the news-shaped graphs of the shared benchmark (``gen.py`` and ``queries/`` of
``--bench``, by default ``../shared/bench`` beside this checkout), for each size given, in
one run:

- results of 1,000, 10,000 and 100,000 rows (``GRAPH ?g { ?s ?p ?o }`` in a sub-select with
  that LIMIT: the outer query has none, so the endpoint's row cap of 100,000 applies and is
  checked, and the largest result sits exactly at it), the same with 1 row (what the HTTP
  path costs apart from the size of the result), and the shared benchmark's q4 (multi-join
  + DISTINCT) and q7 (``GRAPH ?g`` + OPTIONAL);
- each in-process on pyoxigraph and over HTTP through a real ``kg serve --data`` process
  on loopback (one keep-alive ``http.client`` connection, the whole body read), run by run
  in turn, so that the load of a shared machine falls on both sides alike;
- optionally also through a second ``kg serve`` started from another source tree
  (``--baseline-src``, e.g. ``git archive`` of an older commit), in the same turns.

Like with like: ``kg serve`` answers on the default graph it materialises as the set union
of the named graphs (docs/decisions/0001), so the in-process side queries a store loaded the
same way (``load_files``) and serialises the same bytes the client gets (SPARQL JSON by
default): query plus serialisation. (The shared benchmark's own in-process figures query
with ``use_default_graph_as_union`` and only iterate, which is another evaluation: a triple
comes once per graph that holds it; ``--union`` adds that figure for q4 and q7, as a
column apart.) Each HTTP body is checked once against the in-process body, byte for byte.
The target is HTTP ≤ 1.3 × in-process + 2 ms.

Usage: .venv/bin/python scripts/bench_results.py [--sizes 100000,1000000] [--runs 9]
       [--format json|xml|csv|tsv] [--bench DIR] [--data SIZE=DIR ...] [--baseline-src DIR]
       [--union]
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_endpoint import cpus, load, serve

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
}
ROWS = "SELECT ?g ?s ?p ?o WHERE {{ {{ SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {n} }} }}"


def queries(bench: Path, quads: int) -> dict[str, str]:
    """The queries measured on a graph of ``quads`` quads: row counts it can give, q4, q7."""
    out = {
        f"{n:,} row{'s' if n > 1 else ''}": ROWS.format(n=n)
        for n in (1, 1_000, 10_000, 100_000)
        if n <= quads
    }
    for name in ("q4", "q7"):
        out[name] = (bench / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    return out


class Http:
    """One keep-alive connection to a ``kg serve``."""

    def __init__(self, root: str, accept: str) -> None:
        host, port = root.split("//", 1)[1].rstrip("/").rsplit(":", 1)
        self.conn = http.client.HTTPConnection(host, int(port), timeout=600)
        self.accept = accept

    def get(self, query: str) -> bytes:
        """The body of GET /sparql for ``query``, read whole; once more on a new connection
        when the server closed this one (it closes one idle for ``client_timeout_s``, as it
        is while a slow query runs in-process)."""
        target = "/sparql?" + urlencode({"query": query})
        try:
            self.conn.request("GET", target, headers={"Accept": self.accept})
            response = self.conn.getresponse()
        except (http.client.HTTPException, ConnectionError):
            self.conn.close()
            self.conn.request("GET", target, headers={"Accept": self.accept})
            response = self.conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{response.status}: {body[:300]!r}")
        if response.getheader("X-Peninsula-Truncated"):
            raise RuntimeError("the row cap cut a result this benchmark means to be whole")
        return body


@dataclass
class Row:
    """One query on one graph: its times on each side, in seconds."""

    size: str
    name: str
    rows: int = 0
    nbytes: int = 0
    times: dict[str, list[float]] = field(default_factory=dict)

    def median_ms(self, side: str) -> float:
        """The median of ``side``'s runs, in ms."""
        return statistics.median(self.times[side]) * 1000


def timed(run: Callable[[], object]) -> float:
    """Seconds one call of ``run`` takes."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(
    size: str,
    store: ox.Store,
    union: ox.Store | None,
    sides: dict[str, Http],
    todo: dict[str, str],
    args: argparse.Namespace,
) -> list[Row]:
    """Each query ``args.runs`` times on every side, in turns (in-process, then each server;
    then, for q4 and q7, the shared benchmark's own way on ``union``)."""
    fmt = FORMATS[args.format][1]
    rows: list[Row] = []
    for name, text in todo.items():
        row = Row(size, name)
        local = store.query(text)
        assert isinstance(local, ox.QuerySolutions)
        expected = local.serialize(format=fmt) or b""
        row.rows = sum(1 for _ in store.query(text))  # type: ignore[union-attr]
        row.nbytes = len(expected)
        runs = {"in-process": lambda t=text: store.query(t).serialize(format=fmt)}  # type: ignore[union-attr]
        for side, client in sides.items():
            body = client.get(text)  # also warms the worker
            if body != expected:
                raise SystemExit(f"{side}: {name} on {size} differs from the in-process body")
            runs[side] = lambda c=client, t=text: c.get(t)
        if union is not None and name.startswith("q"):
            runs["union"] = lambda t=text: sum(1 for _ in union.query(t, use_default_graph_as_union=True))  # type: ignore[union-attr]
        warm = min(timed(runs["in-process"]) for _ in range(2))  # the first run may be cold
        count = args.runs if warm < 1.0 else max(3, args.runs // 3)
        row.times = {side: [] for side in runs}
        for _ in range(count):
            for side, run in runs.items():
                row.times[side].append(timed(run))
        rows.append(row)
        print(f"  {size} {name}: done ({count} runs a side)", file=sys.stderr)
    return rows


def dataset(size: int, bench: Path, tmp: Path, given: dict[int, Path]) -> Path:
    """The N-Quads file of the shared benchmark's graph of ``size`` quads (generated unless given)."""
    if size in given:
        return given[size] / "data.nq"
    out = tmp / str(size)
    subprocess.run(
        [sys.executable, str(bench / "gen.py"), "--triples", str(size), "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out / "data.nq"


def start(data: Path, src: Path | None) -> tuple[subprocess.Popen[str], str]:
    """``kg serve --data`` from this checkout, or from the source tree ``src``."""
    if src is None:
        return serve(["--data", str(data)], {})
    here = Path.cwd()
    os.chdir(src)  # python -m kg.cli then imports kg from src
    try:
        return serve(["--data", str(data)], {})
    finally:
        os.chdir(here)


def report(rows: list[Row], sides: list[str], args: argparse.Namespace, loads: list[str]) -> None:
    """Print the table, with the machine and its load."""
    print(f"\nmachine: {cpus()}; load average (1/5/15 min) before: {loads[0]}, after: {loads[-1]}")
    print(f"format: {args.format}; median of the runs; target: kg serve ≤ 1.3 × in-process + 2 ms\n")
    head = "| quads | query | rows | MB | in-process ms | kg serve ms | ratio | allowed ms | met |"
    rule = "|---:|---|---:|---:|---:|---:|---:|---:|---|"
    for side in sides[2:]:
        head += f" {side} ms | {side} / kg serve |"
        rule += "---:|---:|"
    if args.union:
        head += " union, iterate only ms |"
        rule += "---:|"
    print(head)
    print(rule)
    for row in rows:
        local, http = row.median_ms("in-process"), row.median_ms("kg serve")
        allowed = 1.3 * local + 2
        line = (
            f"| {row.size} | {row.name} | {row.rows:,} | {row.nbytes / 1e6:.1f} | {local:.1f} | {http:.1f} "
            f"| {http / local:.2f} | {allowed:.1f} | {'yes' if http <= allowed else 'no'} |"
        )
        for side in sides[2:]:
            other = row.median_ms(side)
            line += f" {other:.1f} | {other / http:.2f} |"
        if args.union:
            line += f" {row.median_ms('union'):.1f} |" if "union" in row.times else " |"
        print(line)


def main() -> None:
    """Generate (or take) each graph, start the servers, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="quads of each graph, comma-separated")
    parser.add_argument("--runs", type=int, default=9, help="runs a side of each query (a third if slow)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="json")
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--data", action="append", default=[], help="SIZE=DIR: gen.py output to reuse")
    parser.add_argument("--baseline-src", type=Path, help="a source tree to serve from as well, to compare")
    parser.add_argument("--union", action="store_true", help="also q4, q7 the shared benchmark's way")
    args = parser.parse_args()
    from kg.engine.oxigraph.core import load_files

    given = {int(k): Path(v) for k, v in (d.split("=", 1) for d in args.data)}
    loads = [load()]
    rows: list[Row] = []
    sides = ["in-process", "kg serve"] + (["baseline"] if args.baseline_src else [])
    accept = FORMATS[args.format][0]
    with tempfile.TemporaryDirectory(prefix="peninsula-results-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            data = dataset(size, args.bench, Path(tmp), given)
            store = ox.Store()
            load_files(store, [str(data)])
            union = None
            if args.union:
                union = ox.Store()
                union.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            procs = [start(data, None)] + ([start(data, args.baseline_src)] if args.baseline_src else [])
            try:
                clients = {side: Http(root, accept) for side, (_, root) in zip(sides[1:], procs, strict=True)}
                rows += measure(f"{size:,}", store, union, clients, queries(args.bench, size), args)
            finally:
                for proc, _ in procs:
                    proc.terminate()
                    proc.wait(30)
            del store, union
    loads.append(load())
    report(rows, sides, args, loads)


if __name__ == "__main__":
    main()

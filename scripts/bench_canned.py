"""Benchmark: the median time of every canned query on a built store (not a test).

Runs each query of ``--queries`` (default ``queries/``) with its default parameters on the
live build of ``--store`` (opened read-only, in this process, on pyoxigraph), reading
every row, in ``--rounds`` rounds of ``--runs`` runs spread across the measurement so that
a burst of load on a shared machine touches every query alike. With ``--baseline DIR``
(another version of the queries, e.g. ``git show`` of an earlier commit), each round runs
both versions of a query one after the other, and the table compares them. Prints a
markdown table of the median and the rows returned per query, and the load average before
and after.

Usage: .venv/bin/python scripts/bench_canned.py [--store var/store] [--queries DIR]
       [--baseline DIR] [--runs 5] [--rounds 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from kg.canned import catalogue as canned
from kg.engine.oxigraph.store import open_read_only
from kg.settings import Settings


def run_once(store: ox.Store, text: str) -> tuple[float, int]:
    """Seconds one run of ``text`` took, reading every row or triple, and their number."""
    start = time.perf_counter()
    result = store.query(text)
    rows = sum(1 for _ in result) if not isinstance(result, ox.QueryBoolean) else 1  # type: ignore[union-attr]
    return time.perf_counter() - start, rows


def measure(
    store: ox.Store, versions: list[dict[str, str]], runs: int, rounds: int
) -> list[dict[str, tuple[float, int]]]:
    """Median seconds and row count of each query of each version (name → text), over
    ``runs`` × ``rounds`` runs; the versions of one query run one after the other."""
    names = sorted(set().union(*versions))
    times: list[dict[str, list[float]]] = [{n: [] for n in texts} for texts in versions]
    rows: list[dict[str, int]] = [{} for _ in versions]
    for i, texts in enumerate(versions):  # one warm-up run each, not counted
        for name, text in texts.items():
            rows[i][name] = run_once(store, text)[1]
    for _ in range(rounds):
        for name in names:
            for i, texts in enumerate(versions):
                if name in texts:
                    for _ in range(runs):
                        times[i][name].append(run_once(store, texts[name])[0])
    return [
        {n: (statistics.median(times[i][n]), rows[i][n]) for n in texts} for i, texts in enumerate(versions)
    ]


def _texts(folder: Path) -> dict[str, str]:
    """Each canned query of ``folder``, prepared with its default parameters."""
    return {name: canned.prepare(q, {}) for name, q in sorted(canned.load_queries(folder).items())}


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("var/store"))
    parser.add_argument("--queries", type=Path, help="folder of canned queries (setting 'queries_dir')")
    parser.add_argument("--baseline", type=Path, help="another folder of the same queries, to compare")
    parser.add_argument("--runs", type=int, default=5, help="runs of each query per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    settings = Settings.load({"store": args.store, "queries_dir": args.queries or None}, env={})
    store = open_read_only(settings.store)
    versions = [_texts(settings.queries_dir)]
    if args.baseline:
        versions.insert(0, _texts(args.baseline))
    before = os.getloadavg()
    figures = measure(store, versions, args.runs, args.rounds)
    after = os.getloadavg()
    print(f"cpus {os.cpu_count()}; load average before {before[0]:.2f}, after {after[0]:.2f}\n")
    if args.baseline:
        old, new = figures
        print("| query | rows before | rows after | median ms before | median ms after |")
        print("|---|---:|---:|---:|---:|")
        for name, (median, n) in new.items():
            m0, n0 = old.get(name, (float("nan"), 0))
            print(f"| {name} | {n0} | {n} | {m0 * 1000:.2f} | {median * 1000:.2f} |")
    else:
        print("| query | rows | median ms |\n|---|---:|---:|")
        for name, (median, n) in figures[0].items():
            print(f"| {name} | {n} | {median * 1000:.2f} |")
    if args.json:
        data = [{n: {"median_ms": m * 1000, "rows": r} for n, (m, r) in f.items()} for f in figures]
        args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

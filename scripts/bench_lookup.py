"""Benchmark: ``/lookup`` and linked-data responses on a published store (not a test;
prints markdown tables).

Builds the lookup index in this process and times searches alone; then starts a real
``kg serve --store STORE`` on a free loopback port, then times over HTTP
(one keep-alive ``http.client`` connection): the first lookup (which builds the index of
the build), lookups of exact names, prefixes, typos and nonsense, and the linked-data
documents an integrator asks for (the description of a busy entity, a graph, VoID, the
service description, each asked again with its ETag). Medians of ``--runs`` runs.

Usage: .venv/bin/python scripts/bench_lookup.py --store DIR [--runs 20]
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

QUERIES = ["Kim Jong Un", "kim", "north kor", "dprk", "blinkn", "hwasnog", "moon jae", "zzqxv"]
DOCUMENTS = [
    ("/resource/state/north-korea", "text/turtle"),
    ("/resource/person/kim-jong-un", "application/ld+json"),
    ("/graph/reference", "text/turtle"),
    ("/void", "text/turtle"),
    ("/sparql", "text/turtle"),
]


def _serve(store: str) -> tuple[subprocess.Popen[str], int]:
    """A ``kg serve`` process over ``store`` and the port it bound."""
    cmd = [sys.executable, "-m", "server.cli", "serve", "--store", store, "--port", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "http://127.0.0.1:" in line:
            return proc, int(line.split("http://127.0.0.1:")[1].split("/")[0])
    raise SystemExit("kg serve did not start")


def _get(
    conn: http.client.HTTPConnection, path: str, headers: dict[str, str]
) -> tuple[float, int, dict[str, str]]:
    """One GET: milliseconds, status and headers (the body is read and dropped)."""
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - start) * 1000, response.status, dict(response.getheaders())


def _median(conn: http.client.HTTPConnection, path: str, headers: dict[str, str], runs: int) -> float:
    return statistics.median(_get(conn, path, headers)[0] for _ in range(runs))


def _in_process(store_dir: str, runs: int) -> None:
    """The index built and searched in this process, without HTTP."""
    import pyoxigraph as ox

    from kg.settings import Settings
    from server.lookup import _INDEX_QUERY, _MENTIONS_QUERY, LookupIndex

    store = ox.Store.read_only(str(Path(store_dir) / "current"))
    prefix = str(ox.Literal(Settings.load().base_iri + "resource/"))
    start = time.perf_counter()
    result = store.query(_INDEX_QUERY.replace("PREFIX", prefix))
    assert isinstance(result, ox.QuerySolutions)
    rows = [(r["s"].value, r["name"].value, r["kind"].value, r["types"].value.split()) for r in result]
    counts = store.query(_MENTIONS_QUERY.replace("ONTOLOGY", Settings.load().base_iri + "ontology#"))
    assert isinstance(counts, ox.QuerySolutions)
    index = LookupIndex(rows, {r["s"].value: int(r["n"].value) for r in counts})
    built = (time.perf_counter() - start) * 1000
    print(f"index: {len(index)} entities, {len(index.names)} names, built in {built:.0f} ms\n")
    print("| query | in-process median ms | first hit |\n|---|---:|---|")
    for q in QUERIES:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            hits = index.search(q)
            times.append((time.perf_counter() - t) * 1000)
        first = f"{hits[0].label} ({hits[0].score})" if hits else "none"
        print(f"| {q} | {statistics.median(times):.2f} | {first} |")
    print()


def main() -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    _in_process(args.store, args.runs)
    proc, port = _serve(args.store)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        _get(conn, "/health", {})
        first, _, _ = _get(conn, "/lookup?q=warm&format=json", {})
        print(
            f"store {Path(args.store).name}; load average {os.getloadavg()[0]:.2f}; first lookup {first:.0f} ms\n"
        )
        print("| query | over HTTP median ms |\n|---|---:|")
        for q in QUERIES:
            print(f"| {q} | {_median(conn, '/lookup?format=json&q=' + quote(q), {}, args.runs):.1f} |")
        print("\n| document | format | 200 ms | 200 gzip ms | 304 ms |\n|---|---|---:|---:|---:|")
        for path, media in DOCUMENTS:
            plain = _median(conn, path, {"Accept": media}, args.runs)
            packed = _median(conn, path, {"Accept": media, "Accept-Encoding": "gzip"}, args.runs)
            _, _, headers = _get(conn, path, {"Accept": media})
            tag = next((v for k, v in headers.items() if k.lower() == "etag"), "")
            again = (
                _median(conn, path, {"Accept": media, "If-None-Match": tag}, args.runs)
                if tag
                else float("nan")
            )
            print(f"| {path} | {media} | {plain:.1f} | {packed:.1f} | {again:.1f} |")
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()

"""Benchmark: the endpoint under abuse, on loopback (not a test; prints a markdown table).

Generates a graph of ``--triples`` triples shaped like ours (``bench_endpoint.generate``),
serves it as a published on-disk store (``kg serve --store``; ``--data``: in memory) at
default settings (2 general workers, 1 kept for short
queries), and measures:

1. ``ASK {}`` latency alone, then while N = workers + 2 slow queries run (each a cross
   product that runs to the time limit; they are resent as they end): median and p99;
2. ``GET /health`` latency while 200 connections trickle their headers a byte at a time;
3. a mixed load: 16 clients for ``--seconds`` (12 sending cheap queries, 2 slow ones, 2 ones
   that need more memory than ``query_memory_mb``) beside 50 trickling connections: the
   cheap queries' median and p99, their 5xx count, and the peak resident memory of the
   server with all its worker processes (read from /proc every 0.2 s).

Every connection goes to 127.0.0.1; every loop is bounded by a count or a deadline and
stops by itself.

Usage: .venv/bin/python scripts/bench_abuse.py [--triples 100000] [--asks 200] [--seconds 30] [--data]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_endpoint import generate, serve

SLOW = "SELECT (COUNT(*) AS ?n) {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?i != {n}) }}"
HUNGRY = (
    "SELECT (GROUP_CONCAT(CONCAT(STR(?a), STR(?b), STR(?c), STR(?d)); separator=' ') AS ?x) "
    "{{ ?a ?b ?c . ?d ?e ?f FILTER(?f != {n}) }}"
)
CHEAP = [
    "ASK {}",
    "SELECT ?s WHERE { ?s a ?c } LIMIT 5",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10",
]


def publish_store(data: Path, store_dir: Path) -> Path:
    """``data`` (N-Quads) published as a build of an on-disk store, as ``kg build`` does."""
    import pyoxigraph as ox

    from kg.engine.oxigraph.store import new_build_dir, publish, write_build

    build = new_build_dir(store_dir)
    write_build(build, ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS))
    publish(store_dir, build)
    return store_dir


def start(source: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str, int]:
    """Start ``kg serve`` on a free loopback port: the process, its URL and its port."""
    proc, url = serve(source, env)
    return proc, url, int(urlsplit(url).port or 80)


def get(port: int, path: str, timeout: float = 60) -> tuple[int, float]:
    """One GET on a fresh connection: (status, seconds)."""
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - t0
    except (OSError, http.client.HTTPException):
        return 0, time.perf_counter() - t0
    finally:
        conn.close()


def q(text: str) -> str:
    """The path of a GET of the SPARQL endpoint for ``text``."""
    return "/sparql?query=" + quote(text)


def pct(values: list[float], p: float) -> float:
    """The ``p``-th percentile of durations in seconds, in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        todo += children.get(p, [])
    return total


class Loop(threading.Thread):
    """Sends ``make(i)`` queries one after the other until ``stop`` or ``deadline``."""

    def __init__(self, port: int, make: object, stop: threading.Event, deadline: float) -> None:
        super().__init__(daemon=True)
        self.port, self.make, self.stop, self.deadline = port, make, stop, deadline
        self.results: list[tuple[int, float]] = []

    def run(self) -> None:
        """Send queries one after another until stopped or past the deadline, keeping each (status, seconds)."""
        i = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            self.results.append(get(self.port, q(self.make(i))))  # type: ignore[operator]
            i += 1


def trickle(port: int, count: int, stop: threading.Event, deadline: float) -> threading.Thread:
    """``count`` connections that send a header byte every second, reopening when closed."""

    def run() -> None:
        socks: list[socket.socket | None] = [None] * count
        while not stop.is_set() and time.monotonic() < deadline:
            for i in range(count):
                s = socks[i]
                try:
                    if s is None:
                        s = socket.create_connection(("127.0.0.1", port), timeout=2)
                        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                        socks[i] = s
                    else:
                        s.send(b"a")
                except OSError:
                    if s is not None:
                        s.close()
                    socks[i] = None
            stop.wait(1.0)
        for s in socks:
            if s is not None:
                s.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def main() -> None:
    """Serve a generated graph and print the table of the endpoint's figures under abuse."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--asks", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=30.0, help="query_timeout_s of the server")
    parser.add_argument("--short-workers", type=int, help="short_query_workers of the server")
    parser.add_argument(
        "--data", action="store_true", help="serve the data in memory (kg serve --data), not as a store"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-abuse-"))
    data = folder / "data.nq"
    quads = generate(data, args.triples)
    source = ["--data", str(data)] if args.data else ["--store", str(publish_store(data, folder / "store"))]
    env = {"PENINSULA_QUERY_TIMEOUT_S": str(args.timeout)}
    if args.short_workers is not None:
        env["PENINSULA_SHORT_QUERY_WORKERS"] = str(args.short_workers)
    proc, _url, port = start(source, env)
    rows: list[tuple[str, str]] = []
    try:
        rows += measure_alone(port, args.asks)
        rows.append(measure_beside_slow_queries(port, args.asks, args.timeout, workers=2))
        rows.append(measure_beside_trickling(port))
        rows += measure_mixed_load(proc, port, args.seconds, args.timeout)
    finally:
        stop_server(proc)
    mode = "in memory (--data)" if args.data else "on-disk store (--store)"
    print(f"\n{quads:,} quads, {mode}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n")
    print("| measure | figure |\n|---|---|")
    for name, figure in rows:
        print(f"| {name} | {figure} |")


def measure_alone(port: int, asks: int) -> list[tuple[str, str]]:
    """The latency of ``ASK {}`` and of the cheap queries on an idle server."""
    alone = [get(port, q("ASK {}"))[1] for _ in range(asks)]
    mix = [get(port, q(CHEAP[i % len(CHEAP)]))[1] for i in range(3 * 30)]
    return [
        ("`ASK {}` alone", f"median {pct(alone, 50):.1f} ms, p99 {pct(alone, 99):.1f} ms"),
        ("the cheap queries alone", f"median {pct(mix, 50):.1f} ms, p99 {pct(mix, 99):.1f} ms"),
    ]


def measure_beside_slow_queries(port: int, asks: int, timeout: float, *, workers: int) -> tuple[str, str]:
    """The latency of ``ASK {}`` while ``workers + 2`` queries run to the time limit."""
    stop = threading.Event()
    end = time.monotonic() + 600
    slow = [Loop(port, lambda i, k=k: SLOW.format(n=k * 1000 + i), stop, end) for k in range(workers + 2)]
    for t in slow:
        t.start()
    time.sleep(2.0)
    busy = [get(port, q("ASK {}")) for _ in range(asks)]
    stop.set()
    ok = [s for s, _ in busy if s == 200]
    times = [d for _, d in busy]
    for t in slow:
        t.join(timeout + 15)
    return (
        f"`ASK {{}}` with {workers + 2} slow queries running",
        f"median {pct(times, 50):.1f} ms, p99 {pct(times, 99):.1f} ms, {len(ok)}/{len(busy)} 200",
    )


def measure_beside_trickling(port: int) -> tuple[str, str]:
    """The latency of ``GET /health`` while 200 connections trickle their headers."""
    stop = threading.Event()
    trick = trickle(port, 200, stop, time.monotonic() + 120)
    time.sleep(3.0)
    health = [get(port, "/health", timeout=10) for _ in range(50)]
    stop.set()
    trick.join(10)
    htimes = [d for _, d in health]
    return (
        "`/health` with 200 slow connections",
        f"median {pct(htimes, 50):.1f} ms, max {max(htimes) * 1000:.1f} ms, "
        f"{sum(1 for s, _ in health if s == 200)}/{len(health)} 200",
    )


def measure_mixed_load(
    proc: subprocess.Popen[str], port: int, seconds: float, timeout: float
) -> list[tuple[str, str]]:
    """16 clients (cheap, slow and hungry queries) beside 50 trickling connections for
    ``seconds``: the cheap queries' latency and 5xx, the others' statuses, the peak RSS."""
    stop = threading.Event()
    end = time.monotonic() + seconds
    base_rss = tree_rss(proc.pid)
    peak = [base_rss]

    def watch() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            stop.wait(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    trick = trickle(port, 50, stop, end)
    cheap = [Loop(port, lambda i, k=k: CHEAP[(i + k) % len(CHEAP)], stop, end) for k in range(12)]
    slow = [Loop(port, lambda i, k=k: SLOW.format(n=5000 + k * 1000 + i), stop, end) for k in range(2)]
    hungry = [Loop(port, lambda i, k=k: HUNGRY.format(n=k * 1000 + i), stop, end) for k in range(2)]
    everyone = cheap + slow + hungry
    for t in everyone:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in everyone:
        t.join(timeout + 15)
    trick.join(10)
    watcher.join(5)
    results = [r for t in cheap for r in t.results]
    ctimes = [d for _, d in results]
    other = [r[0] for t in slow + hungry for r in t.results]
    return [
        (
            f"mixed load, 16 clients, {seconds:g} s: cheap queries",
            f"{len(results)} sent, median {pct(ctimes, 50):.1f} ms, p99 {pct(ctimes, 99):.1f} ms, "
            f"{sum(1 for s, _ in results if s >= 500 or s == 0)} 5xx",
        ),
        (
            "mixed load: slow and hungry queries",
            ", ".join(f"{s}: {other.count(s)}" for s in sorted(set(other))),
        ),
        (
            "mixed load: server RSS (parent + workers)",
            f"{base_rss / 2**20:.0f} MiB before, peak {peak[0] / 2**20:.0f} MiB",
        ),
    ]


def stop_server(proc: subprocess.Popen[str]) -> None:
    """Terminate the server, and kill it if it is still running after 15 s."""
    proc.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(15)
    if proc.poll() is None:
        proc.kill()


if __name__ == "__main__":
    main()

"""Benchmark: what the HTTP endpoint adds to the engine (not a test; prints a markdown table).

Generates a graph of about ``--triples`` triples shaped like ours (one named graph per
article with sentences, mentions, entities and events; reference data; the default graph
as their union), then in one run:

1. each typical query in-process on pyoxigraph (query + serialisation to SPARQL JSON or
   Turtle) and over HTTP through a real ``kg serve`` process: medians of ``--runs`` runs
   taken in ``--rounds`` rounds across the measurement, and their ratio;
2. the throughput of a mixed workload at 1 and at 8 concurrent clients (each measured in
   two halves, alternating);

both for the dataset in memory (``kg serve --data``) and, unless ``--no-disk``, as a
published on-disk store (``kg serve --store``). It prints the number of CPUs and the load
average before and after: on a small machine shared with other work, the load moves the
HTTP figures (the client, waitress and the query workers compete for the same cores).

The HTTP client holds one persistent HTTP/1.1 connection per client thread (keep-alive, as
Jena, YASGUI and SPARQLWrapper with keep-alive do), with the standard library's
``http.client``: its own work per request is about 0.1 ms here. ``--client requests``
measures with ``requests.Session`` instead, which also keeps the connection but spends
0.3-0.9 ms more per request here in its own Python (proxy and netrc lookups in the
environment, hooks, adapters): time no server can remove. Either way the GET /health floor
is printed for both clients, and the share of the CPUs other processes used during the
throughput runs (8 clients can only scale if both cores are free).

For the latency rounds it prints how quiet the machine was: the CPU share of other
processes, the hypervisor's steal, and how far apart the rounds' in-process medians were.
A machine slowed by its neighbours slows every hop of the HTTP path too, while the target's
2 ms stays fixed, so a run that says it was disturbed is one to repeat, not to compare.

Usage: .venv/bin/python scripts/bench_endpoint.py [--triples 1000000] [--runs 30] [--rounds 5]
       [--seconds 8] [--no-disk] [--client http.client|requests]

It stays one file (over 400 lines): a benchmark run by path, whose generator, clients and
report are used together only here.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import requests

BASE = "https://w3id.org/peninsula/"
PEN = BASE + "ontology#"
RES = BASE + "resource/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
STATES = ["north-korea", "south-korea", "japan", "united-states", "china", "russia"]
PEOPLE = [f"person-{i}" for i in range(400)]
CLASSES = ["MissileLaunch", "Meeting", "Visit", "Statement", "MilitaryExercise", "Sanction"]

QUERIES = {
    "label of one IRI": f"SELECT ?l WHERE {{ <{RES}state/japan> <{LABEL}> ?l }}",
    "launches by a state": f"""PREFIX pen: <{PEN}>
SELECT ?e ?date WHERE {{ ?e a pen:MissileLaunch ; pen:launchingState <{RES}state/north-korea> ; pen:date ?date }}
ORDER BY DESC(?date) LIMIT 100""",
    "events per class": f"PREFIX pen: <{PEN}> SELECT ?c (COUNT(?e) AS ?n) WHERE {{ ?e a ?c ; pen:reportedIn ?a }} GROUP BY ?c",
    "facts to sentences": f"""PREFIX pen: <{PEN}>
SELECT ?fact ?text WHERE {{ ?fact pen:participant <{RES}person/person-7> ; pen:denotedBy ?m .
  ?m pen:sentence ?s . ?s pen:anchorOf ?text }} LIMIT 50""",
    "ask": f"ASK {{ <{RES}state/china> a <{PEN}State> }}",
    "describe an event": f"CONSTRUCT {{ <{RES}launch/e-17> ?p ?o }} WHERE {{ <{RES}launch/e-17> ?p ?o }}",
}


def generate(path: Path, triples: int) -> int:
    """Write N-Quads shaped like a built store's named graphs; returns the quad count."""
    n = 0
    with path.open("w", encoding="utf-8") as out:

        def q(s: str, p: str, o: str, g: str) -> None:
            nonlocal n
            out.write(f"<{s}> <{p}> {o} <{g}> .\n")
            n += 1

        ref = BASE + "graph/reference"
        for st in STATES:
            q(RES + "state/" + st, RDF_TYPE, f"<{PEN}State>", ref)
            q(RES + "state/" + st, LABEL, f'"{st.replace("-", " ").title()}"', ref)
        for p in PEOPLE:
            q(RES + "person/" + p, RDF_TYPE, f"<{PEN}Person>", ref)
            q(RES + "person/" + p, LABEL, f'"{p}"', ref)
        i = 0
        while n < triples:
            g = f"{BASE}graph/article/a-{i}"
            art = f"{RES}article/a-{i}"
            q(art, RDF_TYPE, f"<{PEN}Article>", g)
            q(art, LABEL, f'"Article {i}"', g)
            q(
                art,
                PEN + "published",
                f'"20{10 + i % 14}-0{1 + i % 9}-1{i % 9}"^^<http://www.w3.org/2001/XMLSchema#date>',
                g,
            )
            q(art, PEN + "text", f'"Text of article {i}, with several sentences about the peninsula."', g)
            for k in range(3):
                sent = f"{RES}sentence/a-{i}/{k * 40}-{k * 40 + 39}"
                q(sent, RDF_TYPE, f"<{PEN}Sentence>", g)
                q(sent, PEN + "inArticle", f"<{art}>", g)
                q(sent, PEN + "anchorOf", f'"Sentence {k} of article {i}."', g)
                for m in range(2):
                    men = f"{RES}mention/a-{i}/{k * 40 + m * 10}-{k * 40 + m * 10 + 5}"
                    q(men, RDF_TYPE, f"<{PEN}Mention>", g)
                    q(men, PEN + "inArticle", f"<{art}>", g)
                    q(men, PEN + "sentence", f"<{sent}>", g)
                    q(men, PEN + "anchorOf", f'"m{m}"', g)
            cls = CLASSES[i % len(CLASSES)]
            ev = f"{RES}{'launch' if cls == 'MissileLaunch' else 'event'}/e-{i}"
            state = STATES[i % len(STATES)]
            q(ev, RDF_TYPE, f"<{PEN}{cls}>", g)
            q(ev, LABEL, f'"{cls} {i}"', g)
            q(ev, PEN + "reportedIn", f"<{art}>", g)
            q(ev, PEN + "denotedBy", f"<{RES}mention/a-{i}/0-5>", g)
            q(
                ev,
                PEN + "date",
                f'"20{10 + i % 14}-0{1 + i % 9}-0{1 + i % 9}"^^<http://www.w3.org/2001/XMLSchema#date>',
                g,
            )
            q(
                ev,
                PEN + "launchingState" if cls == "MissileLaunch" else PEN + "actor",
                f"<{RES}state/{state}>",
                g,
            )
            for p in (PEOPLE[i % len(PEOPLE)], PEOPLE[(i * 7) % len(PEOPLE)]):
                q(ev, PEN + "participant", f"<{RES}person/{p}>", g)
                q(RES + "person/" + p, PEN + "denotedBy", f"<{RES}mention/a-{i}/10-15>", g)
            i += 1
    return n


def in_process(store: ox.Store, query: str) -> float:
    """Seconds to run ``query`` on ``store`` and serialise its result, without HTTP."""
    t = time.perf_counter()
    result = store.query(query)
    if isinstance(result, ox.QueryTriples):
        result.serialize(format=ox.RdfFormat.TURTLE)
    else:
        result.serialize(format=ox.QueryResultsFormat.JSON)
    return time.perf_counter() - t


class Client(Protocol):
    """An HTTP client that GETs a path and returns the whole body."""

    def get(self, path: str, params: dict[str, str], accept: str) -> bytes: ...


class KeepAlive:
    """One persistent HTTP/1.1 connection with ``http.client``; reconnects once if the
    server closed it between requests."""

    def __init__(self, root: str) -> None:
        url = urlsplit(root)
        self.conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=120)

    def get(self, path: str, params: dict[str, str], accept: str) -> bytes:
        """GET ``path`` with ``params`` on the kept connection; the body."""
        target = "/" + path + ("?" + urlencode(params) if params else "")
        for attempt in (1, 2):
            try:
                self.conn.request("GET", target, headers={"Accept": accept})
                response = self.conn.getresponse()
                body = response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                if attempt == 2:
                    raise
                continue
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
            return body
        raise AssertionError("unreachable")


class RequestsClient:
    """``requests.Session`` (keeps the connection too, but heavier per request)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.session = requests.Session()

    def get(self, path: str, params: dict[str, str], accept: str) -> bytes:
        """GET ``path`` with ``params`` through the session; the body."""
        response = self.session.get(self.root + path, params=params, headers={"Accept": accept}, timeout=120)
        body = response.content
        response.raise_for_status()
        return body


CLIENTS: dict[str, Callable[[str], Client]] = {
    "http.client": KeepAlive,
    "requests": RequestsClient,
}


def over_http(client: Client, query: str) -> float:
    """Seconds to run ``query`` over HTTP with ``client``, the body read whole."""
    accept = "text/turtle" if query.startswith("CONSTRUCT") else "application/sparql-results+json"
    t = time.perf_counter()
    client.get("sparql", {"query": query}, accept)  # the whole body is read
    return time.perf_counter() - t


def floor(client: Client, runs: int) -> float:
    """Median ms of GET /health: no query, one worker round trip."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get("health", {}, "application/json")
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def start_server(
    workers: int, *, data: Path | None = None, store: Path | None = None
) -> tuple[subprocess.Popen[str], str]:
    """``kg serve`` on a free loopback port over ``data`` files or a published ``store``."""
    source = ["--data", str(data)] if data is not None else ["--store", str(store)]
    return serve(source, {"PENINSULA_QUERY_WORKERS": str(workers)})


def serve(source: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """``kg serve`` with the options ``source`` and the settings ``env`` (and none of this
    environment's) on a free loopback port, once it listens: the process and its root URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", "0", *source],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("PENINSULA_")}, **env},
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        match = re.search(r"listening on (http://\S+/)", line)
        if match:
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, match.group(1)
    proc.kill()
    raise SystemExit("kg serve did not start")


def throughput(root: str, make: Callable[[str], Client], clients: int, seconds: float) -> float:
    """Queries per second of ``clients`` threads sending the query mix for ``seconds``."""
    mix = list(QUERIES.values())
    stop = time.monotonic() + seconds
    counts = [0] * clients

    def client(k: int) -> None:
        connection = make(root)
        j = k
        while time.monotonic() < stop:
            over_http(connection, mix[j % len(mix)])
            counts[k] += 1
            j += 1

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return sum(counts) / seconds


@dataclass
class Side:
    """One way of holding the dataset, measured in-process and over HTTP."""

    name: str
    local: dict[str, float] = field(default_factory=dict)  # query → median ms in-process
    http: dict[str, float] = field(default_factory=dict)  # query → median ms over HTTP
    floors: dict[str, float] = field(default_factory=dict)  # client → median ms of GET /health
    qps: dict[int, float] = field(default_factory=dict)  # clients → queries/s
    others: dict[int, float] = field(default_factory=dict)  # clients → share of the CPUs other work used
    quiet: Quietness | None = None  # how undisturbed the machine was during the latency rounds


@dataclass(frozen=True)
class Quietness:
    """What else the machine did while the latency rounds ran: the share of the CPUs other
    processes kept busy, the share the hypervisor took (steal), and how much slower the
    in-process runs of the slowest round were than those of the fastest (a machine slowed
    by its neighbours slows every figure; the target's 2 ms does not grow with it)."""

    others: float
    steal: float
    spread: float

    @property
    def disturbed(self) -> bool:
        return self.others > 0.05 or self.steal > 0.02 or self.spread > 1.5

    def describe(self) -> str:
        """How quiet the machine was, in one sentence."""
        return (
            f"other processes used {self.others:.0%} of the CPUs, steal {self.steal:.0%}; "
            f"the slowest round's in-process medians were {self.spread:.2f}× the fastest's"
        )


def measure(
    side: Side, store: ox.Store, proc: subprocess.Popen[str], root: str, args: argparse.Namespace
) -> None:
    """Time every query in process and over HTTP on one side, in rounds, and its throughput; stop its server."""
    try:
        make = CLIENTS[args.client]
        client = make(root)
        # The runs of each query are taken in rounds spread over the whole measurement, each
        # round as one block (warm both sides, then in-process runs, then HTTP runs), so that
        # a burst of other work on a shared machine spoils a few runs of every query rather
        # than all the runs of one.
        local: dict[str, list[float]] = {name: [] for name in QUERIES}
        remote: dict[str, list[float]] = {name: [] for name in QUERIES}
        per_round = max(1, args.runs // args.rounds)
        rounds: list[dict[str, float]] = []  # per round: query → in-process median
        before = cpu_seconds(proc.pid)
        for _ in range(args.rounds):
            rounds.append({})
            for name, query in QUERIES.items():
                for _ in range(3):  # warm both sides
                    in_process(store, query)
                    over_http(client, query)
                runs = [in_process(store, query) for _ in range(per_round)]
                rounds[-1][name] = statistics.median(runs)
                local[name] += runs
                remote[name] += [over_http(client, query) for _ in range(per_round)]
        side.quiet = quietness(before, cpu_seconds(proc.pid), rounds)
        for name in QUERIES:
            side.local[name] = statistics.median(local[name]) * 1000
            side.http[name] = statistics.median(remote[name]) * 1000
        for name, other in CLIENTS.items():
            side.floors[name] = floor(client if other is make else other(root), args.runs)
        # 1 and 8 clients alternate in two halves each, for the same reason
        served = {1: 0.0, 8: 0.0}
        others = {1: 0.0, 8: 0.0}
        for _ in range(2):
            for clients in served:
                before = cpu_seconds(proc.pid)
                served[clients] += throughput(root, make, clients, args.seconds / 2) / 2
                others[clients] += other_share(before, cpu_seconds(proc.pid)) / 2
        side.qps.update(served)
        side.others.update(others)
    finally:
        proc.terminate()
        proc.wait(30)


def cpu_seconds(server: int) -> tuple[float, float, float, float]:
    """(wall clock, CPU seconds busy on the machine, CPU seconds of this benchmark and the
    server with its workers, CPU seconds the hypervisor stole), from /proc; zeros where
    there is no /proc."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        parents: dict[int, int] = {}
        times: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                        stat = f.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry)] = int(stat[1])
                times[int(entry)] = int(stat[11]) + int(stat[12])  # utime + stime
    except OSError:
        return (time.monotonic(), 0.0, 0.0, 0.0)
    ours = {os.getpid(), server}
    grew = True
    while grew:  # the server's workers and fork server are its descendants
        found = {pid for pid, parent in parents.items() if parent in ours} - ours
        grew = bool(found)
        ours |= found
    tick = os.sysconf("SC_CLK_TCK")
    busy = sum(fields[:3]) + sum(fields[5:7])  # user nice system, irq softirq
    steal = fields[7] if len(fields) > 7 else 0
    ours_s = sum(times.get(pid, 0) for pid in ours) / tick
    return (time.monotonic(), busy / tick, ours_s, steal / tick)


CpuSample = tuple[float, float, float, float]


def other_share(before: CpuSample, after: CpuSample) -> float:
    """The share of the machine's CPUs that processes other than ours kept busy meanwhile."""
    wall = after[0] - before[0]
    others = (after[1] - before[1]) - (after[2] - before[2])
    return max(0.0, others) / (wall * (os.cpu_count() or 1)) if wall > 0 else 0.0


def quietness(before: CpuSample, after: CpuSample, rounds: list[dict[str, float]]) -> Quietness:
    """How undisturbed the latency rounds were (see ``Quietness``). The spread is the
    geometric mean over queries of each round's in-process median against the fastest
    round's, for the slowest round; only queries of a millisecond or more count (the
    median of a few sub-millisecond runs moves by half with no change in the machine)."""
    wall = after[0] - before[0]
    steal = (after[3] - before[3]) / (wall * (os.cpu_count() or 1)) if wall > 0 else 0.0
    spread = 1.0
    if rounds:
        fastest = {name: min(r[name] for r in rounds) for name in rounds[0]}
        steady = [name for name, t in fastest.items() if t >= 0.001] or list(fastest)
        for r in rounds:
            ratios = [r[name] / fastest[name] for name in steady if fastest[name] > 0]
            if ratios:
                spread = max(spread, statistics.geometric_mean(ratios))
    return Quietness(other_share(before, after), max(0.0, steal), spread)


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def cpus() -> str:
    """The machine's CPUs and how many this process may use."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{os.cpu_count()} CPUs ({usable} usable by this process)"


def report(sides: list[Side], n: int, quads: int, args: argparse.Namespace, loads: list[str]) -> None:
    """Print the markdown table of the sides' figures."""
    print(
        f"\n{n:,} triples in named graphs ({quads:,} quads with the union), {args.workers} query workers, "
        f"HTTP client: {args.client} (one keep-alive connection per client thread)"
    )
    print(f"machine: {cpus()}; load average (1/5/15 min) before: {loads[0]}, after: {loads[-1]}\n")
    head = "| query |"
    rule = "|---|"
    for side in sides:
        head += f" {side.name}: in-process (ms) | HTTP (ms) | ratio | within 1.3× + 2 ms |"
        rule += "---:|---:|---:|---|"
    print(head)
    print(rule)
    for name in QUERIES:
        row = f"| {name} |"
        for side in sides:
            local, http = side.local[name], side.http[name]
            ok = "yes" if http <= 1.3 * local + 2 else "no"
            row += f" {local:.2f} | {http:.2f} | {http / local:.2f} | {ok} |"
        print(row)
    print("\nHTTP floor (GET /health: client, waitress, Flask, one worker round trip), by client:")
    for side in sides:
        print(f"- {side.name}: " + ", ".join(f"{c} {ms:.2f} ms" for c, ms in side.floors.items()))
    print("\n| store | 1 client (queries/s) | 8 clients (queries/s) | 8 / 1 (target ≥ 1.6×) |")
    print("|---|---:|---:|---:|")
    for side in sides:
        one, eight = side.qps[1], side.qps[8]
        print(f"| {side.name} | {one:.1f} | {eight:.1f} | {eight / one:.2f}× |")
    print(
        "\nCPU share other processes on this machine used meanwhile (8 clients need both cores): "
        + "; ".join(f"{s.name}: {s.others[1]:.0%} with 1 client, {s.others[8]:.0%} with 8" for s in sides)
    )
    print("\nDuring the latency rounds:")
    for side in sides:
        if side.quiet is not None:
            print(f"- {side.name}: {side.quiet.describe()}")
    if any(side.quiet is not None and side.quiet.disturbed for side in sides):
        print(
            "WARNING: the machine was disturbed during the latency rounds (other work, steal, or "
            "rounds more than 1.5× apart in-process); a slowed machine stretches the HTTP path's "
            "fixed cost past the target's 2 ms: run again on a quiet machine before comparing."
        )


def main() -> None:
    """Generate a graph, measure it in memory and on disk, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each query on each side")
    parser.add_argument("--rounds", type=int, default=5, help="rounds the runs are spread over")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-disk", action="store_true", help="skip the on-disk store (kg serve --store)")
    parser.add_argument(
        "--client", choices=sorted(CLIENTS), default="http.client", help="HTTP client to measure with"
    )
    args = parser.parse_args()
    from kg.engine.oxigraph.core import load_files
    from kg.engine.oxigraph.store import new_build_dir, publish, write_build

    loads = [load()]
    print(f"{cpus()}; load average {loads[0]}", file=sys.stderr)
    sides: list[Side] = []
    with tempfile.TemporaryDirectory(prefix="peninsula-bench-") as tmp:
        data = Path(tmp) / "bench.nq"
        t = time.perf_counter()
        n = generate(data, args.triples)
        print(f"generated {n:,} named-graph triples in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        memory = ox.Store()
        load_files(memory, [str(data)])
        quads = len(memory)
        print(f"store holds {quads:,} quads (named graphs + their union)", file=sys.stderr)
        side = Side("in memory (--data)")
        measure(side, memory, *start_server(args.workers, data=data), args)
        sides.append(side)
        del memory
        if not args.no_disk:
            t = time.perf_counter()
            store_dir = Path(tmp) / "store"
            build = new_build_dir(store_dir)
            write_build(build, ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS))
            publish(store_dir, build)
            print(f"wrote the on-disk store in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            side = Side("on disk (--store)")
            disk = ox.Store.read_only(str(build))
            measure(side, disk, *start_server(args.workers, store=store_dir), args)
            sides.append(side)
            del disk
        loads.append(load())
    report(sides, n, quads, args, loads)


if __name__ == "__main__":
    main()

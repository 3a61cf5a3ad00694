"""Benchmark: ``kg build`` with the local pool of worker processes vs on a Dask cluster of two
one-thread workers on this machine, in one run (not a test).

It generates N articles (``scripts/gen_corpus.py``, default 1,000, seed 7), builds them
with the local pool, starts a ``dask scheduler`` and two ``dask worker --nworkers 1
--nthreads 1`` on loopback, builds them again with ``--scheduler``, stops the cluster, and
prints side by side: wall time, articles/s and its ratio to the local build, the extract
stage's time (from the build report), the peak RSS of the ``kg build`` process tree and of
the workers' (sampled from /proc every 0.1 s), and whether the two published datasets are
the same (sorted N-Quads, without the run's end time).

    nice -n 10 .venv/bin/python scripts/bench_dask.py [--articles 1000] [--seed 7] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench_corpus import run_measured, tree_rss_kib

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROV_ENDED = "<http://www.w3.org/ns/prov#endedAtTime>"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_cluster(work: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and two one-thread workers on loopback, once both workers are in."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{free_port()}"
    port = address.rsplit(":", 1)[1]
    commands = [["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"]] + [
        ["worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"]
    ] * 2
    procs = []
    for i, args in enumerate(commands):
        with (work / f"dask-{i}.log").open("wb") as log:
            procs.append(
                subprocess.Popen([str(BIN / "dask"), *args], stdout=log, stderr=log, start_new_session=True)
            )
    with Client(address, timeout=60, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=300)
    return address, procs


def stop_cluster(procs: list[subprocess.Popen[bytes]]) -> None:
    """Stop the scheduler and worker processes."""
    for proc in reversed(procs):
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


class PeakRSS:
    """The peak summed RSS of some process trees, sampled in a thread while in use."""

    def __init__(self, roots: list[int]) -> None:
        self.roots, self.peak = roots, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, sum(tree_rss_kib(r) for r in self.roots))
            self._done.wait(0.1)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def nquads(store: Path) -> list[str]:
    """The store's dataset as sorted N-Quads, without the run's end time (which differs between runs)."""
    out = subprocess.run(
        [str(BIN / "kg"), "export", "--store", str(store), "--format", "nq"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(line for line in out.splitlines() if line and PROV_ENDED not in line)


def build(corpus: Path, store: Path, *extra: str) -> dict[str, object]:
    """Run ``kg build`` of ``corpus`` into ``store`` with ``extra`` options; its wall time, peak memory and summary."""
    report = store.with_suffix(".report.json")
    cmd = [str(BIN / "kg"), "build", "--seeds", str(corpus), "--store", str(store), "--report", str(report)]
    wall, peak, _ = run_measured([*cmd, *extra], dict(os.environ))
    data = json.loads(report.read_text())
    return {
        "wall": wall,
        "peak_mib": peak / 1024,
        "extract": data["timings"]["extract"],
        "published": data["counts"]["published"],
        "quarantined": data["counts"]["quarantined"],
    }


def main() -> None:
    """Build one generated corpus with the local pool and on a two-worker Dask cluster; print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--work", type=Path, help="folder for the corpus and stores (default: a temporary one)"
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="peninsula-bench-dask-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{args.articles}-{args.seed}"
    if not corpus.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "gen_corpus.py"),
                "--articles",
                str(args.articles),
                "--seed",
                str(args.seed),
                "--out",
                str(corpus),
            ],
            check=True,
        )
    local = build(corpus, work / "store-local")
    address, procs = start_cluster(work)
    try:
        with PeakRSS([p.pid for p in procs[1:]]) as workers:
            cluster = build(corpus, work / "store-dask", "--scheduler", address)
        cluster["workers_mib"] = workers.peak / 1024
    finally:
        stop_cluster(procs)
    same = nquads(work / "store-local") == nquads(work / "store-dask")
    n = args.articles
    print(f"\n{n:,} articles, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n")
    print(
        "| extraction | build s | articles/s | ratio | extract stage s | kg build peak RSS MiB | workers' peak RSS MiB | published | quarantined |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in (
        ("local pool (2 processes)" if n >= 32 else "local pool (in process)", local),
        ("Dask, 2 workers × 1 thread", cluster),
    ):
        workers_mib = f"{r['workers_mib']:.0f}" if "workers_mib" in r else "(in the build's tree)"
        print(
            f"| {name} | {r['wall']:.1f} | {n / r['wall']:.2f} | {local['wall'] / r['wall']:.2f} | "  # type: ignore[operator]
            f"{r['extract']:.1f} | {r['peak_mib']:.0f} | {workers_mib} | {r['published']} | {r['quarantined']} |"
        )
    print(f"\nsame published dataset (sorted N-Quads without the run's end time): {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()

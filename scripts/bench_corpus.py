"""Benchmark: build, ingest and query at corpus scale, in one run (not a test).

For each size N (default 100, 1,000 and 10,000 articles made by ``scripts/gen_corpus.py``)
it prints, measured in this one run:

- ``kg build`` wall time and articles/s, beside raw spaCy throughput (the project's
  pipeline, ``nlp.pipe`` with two processes, on the same cleaned texts) and their ratio;
  the time of each stage (from the build report); the peak RSS of the build's whole
  process tree (sampled from /proc every 0.1 s); the store's size on disk;
- ``kg ingest`` of one more article into the N-article store, beside the same article
  ingested into an empty store, and their ratio;
- the median time of every canned query on the N-article store (in-process, 3 runs), and
  of the UI pages (Flask's test client over a real app on the store, 3 runs).

    .venv/bin/python scripts/bench_corpus.py [--sizes 100,1000,10000] [--seed 7] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).with_name("kg")
PAGES = (
    "/",
    "/articles",
    "/timeline",
    "/network",
    "/resource/state/north-korea",
    "/resource/person/kim-jong-un",
)


def tree_rss_kib(root: int) -> int:
    """The resident memory of ``root`` and all its descendants, in KiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run ``cmd``; its wall time, the peak RSS of its process tree (KiB), and stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kib(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return wall, peak, err


def spacy_throughput(folder: Path) -> float:
    """Articles per second of the project's spaCy pipeline alone on the folder's texts."""
    from kg.extract.annotate import pipeline
    from kg.namespaces import DEFAULT_BASE
    from kg.read.inputs import collect_files, read_all

    files, _ = collect_files([folder])
    articles, _ = read_all(files, max_bytes=2_000_000)
    nlp = pipeline(DEFAULT_BASE)
    texts = [a.text for a in articles]
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=2 if len(texts) >= 32 else 1, batch_size=16):
        pass
    return len(texts) / (time.perf_counter() - start)


def size_of(folder: Path) -> int:
    """The bytes of the files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def query_medians(store: Path) -> dict[str, float]:
    """The median seconds of each canned query (default parameters) on ``store``."""
    from kg.canned import catalogue as canned
    from kg.engine.oxigraph.pool import LocalEngine
    from kg.engine.oxigraph.store import open_read_only
    from kg.settings import Settings

    settings = Settings.load({"store": store}, env={})
    reader = LocalEngine(open_read_only(store))
    out: dict[str, float] = {}
    for name, query in sorted(canned.load_queries(Path(settings.queries_dir)).items()):
        text = canned.prepare(query, {})
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            canned.run_local(reader, text, "json", prefixes=query.prefixes, max_rows=100_000, timeout_s=60.0)
            runs.append(time.perf_counter() - start)
        out[name] = statistics.median(runs)
    return out


def page_medians(store: Path) -> dict[str, float]:
    """The median seconds of each HTML page of :data:`PAGES` served from ``store``."""
    from kg.settings import Settings
    from server.app import close_app, create_app

    app = create_app(Settings.load({"store": store}, env={}))
    try:
        client = app.test_client()
        out = {}
        for page in PAGES:
            client.get(page, headers={"Accept": "text/html"})  # warm the worker
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                client.get(page, headers={"Accept": "text/html"})
                runs.append(time.perf_counter() - start)
            out[page] = statistics.median(runs)
        return out
    finally:
        close_app(app)


def bench(n: int, seed: int, work: Path) -> dict[str, object]:
    """Generate ``n`` articles, build and ingest them, and measure the build, the store and the queries."""
    corpus, extra = work / f"corpus-{n}", work / f"extra-{n}"
    for folder, count, s in ((corpus, n, seed), (extra, 1, seed + 1_000_003)):
        if not folder.exists():
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "scripts" / "gen_corpus.py"),
                    "--articles",
                    str(count),
                    "--seed",
                    str(s),
                    "--out",
                    str(folder),
                ],
                check=True,
            )
    one = sorted(extra.glob("*.txt"))[0]
    store, empty = work / f"store-{n}", work / f"empty-{n}"
    for folder in (store, empty):
        shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "PENINSULA_STORE": str(store)}
    report = work / f"report-{n}.json"
    wall, peak, _ = run_measured([str(KG), "build", "--seeds", str(corpus), "--report", str(report)], env)
    stages = json.loads(report.read_text())["timings"]
    raw = spacy_throughput(corpus)
    ingest_n, ingest_peak, _ = run_measured([str(KG), "ingest", str(one)], env)
    ingest_0, _, _ = run_measured(
        [str(KG), "ingest", str(one)], {**os.environ, "PENINSULA_STORE": str(empty)}
    )
    return {
        "n": n,
        "build_s": wall,
        "articles_per_s": n / wall,
        "spacy_per_s": raw,
        "stages": stages,
        "peak_mib": peak / 1024,
        "store_mib": size_of(store / "builds") / 2**20,
        "ingest_n_s": ingest_n,
        "ingest_peak_mib": ingest_peak / 1024,
        "ingest_0_s": ingest_0,
        "queries": query_medians(store),
        "pages": page_medians(store),
    }


def main() -> None:
    """Print the table of figures for each corpus size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, help="folder for corpora and stores (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="peninsula-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = [bench(int(n), args.seed, work) for n in args.sizes.split(",")]
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n")
    print(
        "| articles | build s | articles/s | raw spaCy articles/s | ratio | peak RSS MiB | store MiB | ingest 1 into N s | into empty s | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['n']:,} | {r['build_s']:.1f} | {r['articles_per_s']:.2f} | {r['spacy_per_s']:.2f} | "
            f"{r['articles_per_s'] / r['spacy_per_s']:.2f} | {r['peak_mib']:.0f} | {r['store_mib']:.0f} | "  # type: ignore[operator]
            f"{r['ingest_n_s']:.1f} | {r['ingest_0_s']:.1f} | {r['ingest_n_s'] / r['ingest_0_s']:.2f} |"  # type: ignore[operator]
        )
    print(
        "\nstages (s): "
        + "; ".join(
            f"N={r['n']}: " + ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items()) for r in results
        )
    )  # type: ignore[union-attr]
    names = sorted({q for r in results for q in r["queries"]})  # type: ignore[attr-defined]
    print("\n| canned query | " + " | ".join(f"N={r['n']} ms" for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{r['queries'][name] * 1000:.1f}" for r in results) + " |")  # type: ignore[index]
    print("\n| UI page | " + " | ".join(f"N={r['n']} ms" for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    for page in PAGES:
        print(f"| {page} | " + " | ".join(f"{r['pages'][page] * 1000:.1f}" for r in results) + " |")  # type: ignore[index]


if __name__ == "__main__":
    main()

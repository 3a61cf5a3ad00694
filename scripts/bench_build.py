"""Benchmark: the per-article stage of a build with one worker against two, in one run (not a
test).

Reads the seeds and our test articles, repeats them under distinct slugs to make a larger
batch, and times what a build does to each article (``kg.build.processing.process_articles``:
extraction, mapping to RDF and the per-article SHACL check) in this process and in two
worker processes, after one warm-up that loads the model. Prints a markdown table; the
ratio is what decides ``kg.build.pipeline.PARALLEL_THRESHOLD``.

    .venv/bin/python scripts/bench_build.py [--copies 8]
"""

from __future__ import annotations

import argparse
import functools
import os
import time
from dataclasses import replace
from pathlib import Path

from kg.build.pipeline import current_run, processor
from kg.build.processing import process_articles
from kg.facts import Article
from kg.namespaces import DEFAULT_BASE
from kg.read.article import read_article

ROOT = Path(__file__).resolve().parent.parent


def articles(copies: int) -> list[Article]:
    """The seeds and test articles, ``copies`` times (each copy with its own slug)."""
    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/data/articles").glob("*.txt"))
    base = [read_article(p, name=p.name, max_bytes=2_000_000) for p in paths]
    return [replace(a, slug=f"{a.slug}-copy{i}") for i in range(copies) for a in base]


def timed(batch: list[Article], n_process: int) -> float:
    """Seconds to extract and check ``batch`` with ``n_process`` processes."""
    factory = functools.partial(processor, DEFAULT_BASE, current_run(), str(ROOT / "ontology"))
    start = time.perf_counter()
    failed = [o for o in process_articles(batch, factory, n_process=n_process) if not o.ok]
    if failed:
        raise SystemExit(f"{len(failed)} articles failed: {failed[0].reason}")
    return time.perf_counter() - start


def main() -> None:
    """Print the table of articles per second with one process and with two."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=8, help="how many times to repeat the articles")
    args = parser.parse_args()
    batch = articles(args.copies)
    timed(batch[:4], 1)  # load the model, the gazetteer and the shapes once
    one = timed(batch, 1)
    two = timed(batch, 2)
    print(f"{len(batch)} articles, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n")
    print("| processes | seconds | articles/s |")
    print("|---|---:|---:|")
    print(f"| 1 (this one) | {one:.2f} | {len(batch) / one:.1f} |")
    print(f"| 2 workers | {two:.2f} | {len(batch) / two:.1f} |")
    print(f"\nspeed-up with 2 workers: {one / two:.2f}x")


if __name__ == "__main__":
    main()

"""Benchmark: extraction with one spaCy process against two, in one run (not a test).

Reads the seeds and our test articles, repeats them under distinct slugs to make a larger
batch, and times the extraction stage (``kg.pipeline.extract_all``) with ``n_process=1``
and ``n_process=2`` on the same batch, after one warm-up that loads the model. Prints a
markdown table; the ratio is what decides ``kg.pipeline.PARALLEL_THRESHOLD``.

    .venv/bin/python scripts/bench_build.py [--copies 8]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace
from pathlib import Path

from kg import __version__
from kg.model import Article, ExtractionRun
from kg.namespaces import DEFAULT_BASE
from kg.pipeline import extract_all
from kg.read import read_article

ROOT = Path(__file__).resolve().parent.parent


def articles(copies: int) -> list[Article]:
    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/data/articles").glob("*.txt"))
    base = [read_article(p, name=p.name, max_bytes=2_000_000) for p in paths]
    return [replace(a, slug=f"{a.slug}-copy{i}") for i in range(copies) for a in base]


def timed(batch: list[Article], n_process: int) -> float:
    run = ExtractionRun(__version__, "en_core_web_sm", "3.8.0")
    start = time.perf_counter()
    for _ in extract_all(batch, base=DEFAULT_BASE, run=run, n_process=n_process, progress=False):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=8, help="how many times to repeat the articles")
    args = parser.parse_args()
    batch = articles(args.copies)
    timed(batch[:4], 1)  # load the model and the gazetteer once
    one = timed(batch, 1)
    two = timed(batch, 2)
    print(f"{len(batch)} articles, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n")
    print("| spaCy processes | seconds | articles/s |")
    print("|---|---:|---:|")
    print(f"| 1 | {one:.2f} | {len(batch) / one:.1f} |")
    print(f"| 2 | {two:.2f} | {len(batch) / two:.1f} |")
    print(f"\nspeed-up with 2 processes: {one / two:.2f}x")


if __name__ == "__main__":
    main()

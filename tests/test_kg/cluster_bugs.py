"""Preloaded into the test cluster's workers (``dask worker --preload``): plants a bug in
extraction for the articles whose id holds :data:`MARK`, as the in-process tests do with
monkeypatch (a bug cannot be planted in the extractor for real), and a crash of the worker
process for those whose id holds :data:`KILLS` (as a segfault in native code or the OOM
killer would); every other article is extracted as usual."""

from __future__ import annotations

import os
from typing import Any

from kg.extract import batch as extraction

MARK = "plants-a-bug"
KILLS = "kills-its-worker"
_real = extraction.facts_of


def _buggy(article: Any, doc: Any, *, base: str) -> Any:
    if KILLS in article.slug:
        os._exit(1)
    if MARK in article.slug:
        raise KeyError("Meeting")  # the class of bug seen on real text: a table missing a row
    return _real(article, doc, base=base)


def dask_setup(worker: Any) -> None:
    """Called by the worker when it starts."""
    extraction.facts_of = _buggy

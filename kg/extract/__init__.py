"""Extraction: articles → facts with provenance → one RDF graph per article.

``extract_batch`` is the stage's entry point: it annotates the articles with one cached
spaCy pipeline (``nlp.pipe``, batched), links their entity mentions, extracts post
holdings, events and claims, and maps them to each article's named graph. The work is done
in ``kg.extract.batch``; it is imported when first used, so that ``kg.extract.link`` can use
this package's plain fact types without an import cycle.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib

    from kg.facts import Article, ExtractionRun

__all__ = ["extract_batch"]


def extract_batch(
    articles: Sequence[Article], *, base: str, run: ExtractionRun, n_process: int = 1
) -> Iterator[tuple[Article, rdflib.Graph]]:
    """For each article, in order, the triples of its named graph (graph-conventions.md):
    the article node with its text, its sentences and mentions, the entities they denote,
    its events, post holdings, claims and sources, all linked to the run."""
    from kg.extract.batch import extract_batch as run_batch

    return run_batch(articles, base=base, run=run, n_process=n_process)

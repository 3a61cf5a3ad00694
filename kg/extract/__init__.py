"""Extraction: articles → facts with provenance → one RDF graph per article.

``extract_batch`` is the stage's entry point: it annotates the articles with one cached
spaCy pipeline (``nlp.pipe``, batched), links their entity mentions, extracts post
holdings, events and claims, and maps them to each article's named graph. The work is done
in :mod:`kg.extract.batch`.
"""

from __future__ import annotations

from kg.extract.batch import extract_batch

__all__ = ["extract_batch"]

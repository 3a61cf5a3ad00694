"""Shared helpers of the extraction tests: run the real pipeline on a snippet."""

from __future__ import annotations

from datetime import date

from kg.extract.annotate import pipeline
from kg.extract.batch import facts_of
from kg.facts import Article
from kg.namespaces import DEFAULT_BASE
from kg.rdf.mapping import ArticleFacts

BASE = DEFAULT_BASE


def facts(text: str, published: date | None = None, slug: str = "snippet") -> ArticleFacts:
    """The facts the pipeline extracts from ``text``."""
    doc = pipeline(BASE)(text)
    return facts_of(Article(slug, text, f"{slug}.txt", published=published), doc, base=BASE)


def slug(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]

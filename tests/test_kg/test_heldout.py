"""The held-out set (tests/data/heldout/README.md): its gold files load, find their
articles and follow the documented format, as the own gold does in test_evaluate.py.

No score is asserted: the held-out figures are a measurement, not a target, and extraction
rules must not be tuned on these articles."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.evaluation.gold import load_gold, ontology_classes, validate_gold
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "data" / "heldout"
GOLD_FILES = sorted((HELDOUT / "gold").glob("*.yaml"))
ARTICLES = sorted((HELDOUT / "articles").glob("*.txt"))


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda p: p.stem)
def test_heldout_gold_file_is_valid(gold_file: Path) -> None:
    (doc,) = load_gold(gold_file)
    assert doc.path is not None and doc.path.is_file(), f"article {doc.article} not found"
    assert doc.path.parent == HELDOUT / "articles" and doc.path.name == doc.article
    assert validate_gold(doc, ontology_classes(Settings.load(env={}))) == []


def test_every_heldout_article_has_gold() -> None:
    annotated = sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["article"] for p in GOLD_FILES)
    assert annotated == [p.name for p in ARTICLES]
    assert len(ARTICLES) >= 6


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_heldout_articles_are_short_news(article: Path) -> None:
    assert 150 <= len(article.read_text(encoding="utf-8").split()) <= 400


def test_heldout_articles_are_not_own_articles() -> None:
    # a held-out article that is also an own article (or a seed) would be scored, and
    # tuned on, with the own set
    own = {p.name for p in (ROOT / "tests" / "data" / "articles").glob("*.txt")}
    seeds = {p.name for p in (ROOT / "seeds").glob("*.txt")}
    assert not ({p.name for p in ARTICLES} & (own | seeds))

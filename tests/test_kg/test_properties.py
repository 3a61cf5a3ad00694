"""Property-based tests (Hypothesis): no text makes the reader or the extractor crash, and
every graph the extractor makes conforms to the shapes.

The texts are arbitrary, or our own articles mutated the way real pages are: Title Case
and capital headlines, lost sentence ends, only furniture, one very long sentence, other
scripts, control characters, a date header on the same line as the first paragraph or a
caption, truncation mid-word. On CI (``CI`` set) the examples are derandomised, so a run
is repeatable; elsewhere each run draws new ones. 1,500 + 500 examples run in all.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kg.build import pipeline
from kg.errors import ArticleError
from kg.extract.annotate import annotate
from kg.extract.batch import facts_of
from kg.facts import Article
from kg.rdf.mapping import article_graph
from kg.read.article import read_article
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/peninsula/"
PARAGRAPHS = [
    p.strip()
    for path in sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))
    for p in path.read_text(encoding="utf-8").split("\n\n")
    if p.strip()
]
FURNITURE = [
    "Share this article",
    "READ MORE: North Korea's missile programme explained",
    "Advertisement",
    "Kim Jong Un watches the launch in this photo released by KCNA. KCNA via REUTERS",
    "By Jane DoeReuters",
    "Reporting by Hyonhee Shin; Editing by Jane Doe",
    "Tags: North Korea, missiles, Japan",
    "(c) 2023 The Associated Press",
    "Photo: AFP",
    "3 hours ago",
]
HEADERS = [
    " date 2024-03-17 ",
    "Published: 17 March 2024 ",
    "Updated Mar 17, 2024 9:01 a.m. ET ",
    "JUL 4, 2017 ",
]

CI = bool(os.environ.get("CI"))
hypothesis_settings.register_profile(
    "peninsula", derandomize=CI, database=None, deadline=None, print_blob=True
)
hypothesis_settings.load_profile("peninsula")


def _mutate(text: str, how: str) -> str:
    if how == "title":
        return text.title()
    if how == "upper":
        return text.upper()
    if how == "no_stops":
        return text.replace(".", "").replace("?", "").replace("!", "")
    if how == "one_sentence":
        return text.replace(". ", ", and ").replace("\n\n", " ")
    if how == "truncate":
        return text[: max(1, len(text) * 2 // 3)]
    if how == "controls":
        return text.replace(" ", " \x07", 3).replace("e", "e\u200b", 5)
    if how == "scripts":
        return text.replace("North Korea", "北朝鮮 North Korea", 1).replace("Seoul", "서울 Seoul", 1)
    return text


@st.composite
def articles(draw: st.DrawFn) -> str:
    """An article-like text: furniture, a date header glued to a caption or the first
    paragraph, paragraphs of our articles, each part possibly mutated."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(PARAGRAPHS))[:90])  # a headline-like first line
    header = draw(st.sampled_from(["", *HEADERS]))
    body = draw(st.lists(st.sampled_from(PARAGRAPHS), min_size=0, max_size=4))
    furniture = draw(st.lists(st.sampled_from(FURNITURE), max_size=3))
    glue = draw(st.sampled_from(["caption", "lead", "none"]))
    if glue == "caption" and furniture:
        furniture[0] = header + furniture[0]
    elif glue == "lead" and body:
        body[0] = header + body[0]
    else:
        parts.append(header)
    parts += furniture + body
    how = draw(
        st.sampled_from(
            ["none", "title", "upper", "no_stops", "one_sentence", "truncate", "controls", "scripts"]
        )
    )
    text = "\n\n".join(_mutate(p, how) for p in parts if p)
    if draw(st.booleans()):
        text += draw(st.text(max_size=80))
    return text


@hypothesis_settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(articles(), st.text(max_size=400), st.binary(max_size=400)))
def test_the_reader_never_fails_but_with_a_reason(text: str | bytes) -> None:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    try:
        article = read_article(data, name="x.txt", max_bytes=100_000)
    except ArticleError as exc:
        assert exc.reason
        return
    assert isinstance(article, Article)
    assert article.text[article.body_start :] == article.body and article.body.strip()


@pytest.fixture(scope="module")
def checks() -> object:
    return pipeline.make_checks(
        str(Settings.load(env={}).ontology_dir), BASE, pipeline.current_run(), reasoner=False
    )


@hypothesis_settings(
    max_examples=500, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(text=articles())
def test_the_extractor_never_crashes_and_its_graphs_conform(text: str, checks: object) -> None:
    try:
        article = read_article(text.encode("utf-8", "surrogatepass"), name="x.txt", max_bytes=100_000)
    except ArticleError:
        return
    (doc,) = list(annotate([article.text], base=BASE))
    graph = article_graph(facts_of(article, doc, base=BASE), base=BASE, run=pipeline.current_run())
    problems = checks.article(graph)  # type: ignore[attr-defined]
    assert problems == [], [p.line() for p in problems]

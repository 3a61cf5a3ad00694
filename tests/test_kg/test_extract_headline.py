"""The headline as part of the article: read from text whose first line is a headline
(through kg.read.article, as the pipeline reads files), its events join the body's that they sum
up, and its attribution (", X says", "…: X", "X says …") gives a claim grounded in it.
Texts written for these tests."""

from __future__ import annotations

import pytest
from extract_helpers import BASE, slug

from kg.extract.annotate import pipeline
from kg.extract.batch import facts_of
from kg.rdf.mapping import ArticleFacts
from kg.read.article import read_article

BODY = (
    "North Korea launched two cruise missiles off its west coast on Saturday. The missiles "
    "flew for about two hours before falling into the sea, officials in Seoul said."
)


def _facts(headline: str, body: str = BODY) -> ArticleFacts:
    article = read_article(f"{headline}\n\n{body}\n".encode(), name="headline-case.txt")
    assert article.title == headline
    return facts_of(article, pipeline(BASE)(article.text), base=BASE)


@pytest.mark.parametrize(
    ("headline", "source"),
    [
        ("North Korea test-fires two cruise missiles, Japan says", "japan"),
        ("Japan says North Korea fired cruise missiles off its coast", "japan"),
        ("North Korea launches cruise missiles: Yonhap", "yonhap-news-agency"),
        ("Yonhap: North Korea fires two cruise missiles", "yonhap-news-agency"),
        ("Kim Jong Un oversees cruise missile test: state media", "state media"),
    ],
)
def test_headline_attribution_is_a_claim_about_the_body_event(headline: str, source: str) -> None:
    facts = _facts(headline)
    launches = [e for e in facts.events if e.kind == "launch"]
    assert len(launches) == 1, [(e.kind, e.trigger) for e in facts.events]
    launch = launches[0]
    # the headline's words are one more telling of the body's launch
    assert any(sp.end <= len(headline) for sp in launch.spans)
    assert any(sp.begin > len(headline) for sp in launch.spans)
    told = [c for c in facts.claims if c.span.begin < len(headline)]
    assert told and all(c.about is launch for c in told)
    names = {slug(c.source.entity.iri) if c.source.entity else c.source.description for c in told}
    assert source in names


def test_a_headline_event_the_body_does_not_tell_is_its_own() -> None:
    facts = _facts("Seoul and Washington to stage joint drills next month")
    exercises = [e for e in facts.events if e.kind == "exercise"]
    assert len(exercises) == 1
    assert exercises[0].modality == "planned"
    assert {slug(e.iri) for e in exercises[0].roles.get("participant", [])} == {
        "south-korea",
        "united-states",
    }
    assert len([e for e in facts.events if e.kind == "launch"]) == 1


def test_a_headline_without_attribution_makes_no_claim() -> None:
    facts = _facts("North Korea fires two cruise missiles into the sea")
    assert all(c.span.begin > len("North Korea fires two cruise missiles into the sea") for c in facts.claims)
    assert len([e for e in facts.events if e.kind == "launch"]) == 1


def test_a_headline_infinitive_is_what_is_to_come() -> None:
    body = "Diplomats said the UN Security Council would hold an emergency meeting on the launches on Monday."
    facts = _facts("Security Council to meet on North Korea", f"{BODY} {body}")
    meetings = [e for e in facts.events if e.kind == "meeting"]
    assert len(meetings) == 1 and meetings[0].modality == "planned"
    assert any(sp.end <= len("Security Council to meet on North Korea") for sp in meetings[0].spans)

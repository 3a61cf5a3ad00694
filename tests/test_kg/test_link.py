"""Linking: aliases, typos, demonyms, metonyms, partial names, bodies, minting."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from extract_helpers import facts, slug

from kg.extract.batch import linker
from kg.extract.link import FUZZY_THRESHOLD, ArticleLinker, fold, same_words
from kg.facts import Entity
from kg.namespaces import DEFAULT_BASE, PEN


def _linked(text: str) -> dict[str, tuple[str, str]]:
    f = facts(text)
    return {text[m.span.begin : m.span.end]: (slug(m.entity.iri), m.how) for m in f.mentions}


@pytest.mark.parametrize(
    ("text", "surface", "expected", "how"),
    [
        ("Antony Binken arrived in Seoul.", "Antony Binken", "antony-blinken", "fuzzy"),
        ("The launch of a Hwansong 12 was reported.", "Hwansong 12", "hwasong-12", "exact"),
        ("North Korean troops moved.", "North Korean", "north-korea", "demonym"),
        ("Pyongyang launched a missile.", "Pyongyang", "north-korea", "metonym"),
        ("Washington confirmed the report.", "Washington", "united-states", "metonym"),
        ("Antony Blinken spoke. Later Blinken left.", "Blinken", "antony-blinken", "partial"),
        (
            "South Korea's Defence Ministry said so.",
            "South Korea's Defence Ministry",
            "ministry-of-national-defense-south-korea",
            "body",
        ),
        (
            "The South Korean Defence Ministry said so.",
            "South Korean Defence Ministry",
            "ministry-of-national-defense-south-korea",
            "body",
        ),
    ],
)
def test_mention_links_to_entity(text: str, surface: str, expected: str, how: str) -> None:
    linked = _linked(text)
    assert surface in linked, linked
    assert linked[surface][0] == expected
    if how != "exact":
        assert linked[surface][1] == how


def test_capital_in_a_locative_phrase_stays_a_place() -> None:
    linked = _linked("The envoys held talks in Pyongyang.")
    assert linked["Pyongyang"][0] != "north-korea"


def test_unknown_names_are_minted_deterministically() -> None:
    a = facts("Officials said Park Min-soo of the Example Institute for Peace spoke.")
    b = facts("Officials said Park Min-soo of the Example Institute for Peace spoke.")
    minted_a = {m.entity.iri for m in a.mentions if m.entity.minted}
    minted_b = {m.entity.iri for m in b.mentions if m.entity.minted}
    assert minted_a and minted_a == minted_b
    person = next(m.entity for m in a.mentions if m.entity.cls == PEN.Person)
    assert str(person.iri).endswith("/resource/person/park-min-soo")


def test_unknown_body_of_a_known_state_is_part_of_it() -> None:
    f = facts("The Mongolian Foreign Ministry said it would reply.")
    body = next(m.entity for m in f.mentions if m.entity.cls == PEN.GovernmentBody)
    assert body.minted and slug(body.part_of or "") == "mongolia"


def test_person_after_a_title_is_not_a_place() -> None:
    f = facts("Secretary Austin spoke. Lloyd Austin then left.")
    assert all(m.entity.cls != PEN.Settlement for m in f.mentions)


def test_fuzzy_threshold_rejects_other_names() -> None:
    lk = linker(DEFAULT_BASE)
    assert FUZZY_THRESHOLD > 80
    found = lk.fuzzy("Kim Yo Jong", ("Person",))
    assert found is None or slug(found.iri) == "kim-yo-jong"
    assert fold("The U.S.") == "us" and fold("Hwasong-12") == "hwasong 12"


# -- snippets of tests/data/extract/entities.yaml ------------------------------------------

_SNIPPETS = yaml.safe_load((Path(__file__).parents[1] / "data" / "extract" / "entities.yaml").read_text())


@pytest.mark.parametrize("case", _SNIPPETS, ids=[c["id"] for c in _SNIPPETS])
def test_entity_snippet(case: dict[str, Any]) -> None:
    text = case["text"]
    f = facts(text, published=date(2023, 3, 1))
    found: dict[str, list[Entity]] = {}
    for m in f.mentions:
        found.setdefault(text[m.span.begin : m.span.end], []).append(m.entity)
    for surface, expected in (case.get("linked") or {}).items():
        want_slug, _, want_cls = expected.partition(" ")
        assert surface in found, (surface, sorted(found))
        assert any(slug(e.iri) == want_slug for e in found[surface]), (surface, found[surface])
        if want_cls:
            assert any(e.cls == PEN[want_cls] for e in found[surface]), (surface, found[surface])
    for surface in case.get("absent") or []:
        assert surface not in found, (surface, found.get(surface))
    for person, (role, state) in (case.get("posts") or {}).items():
        posts = [p for p in f.posts if slug(p.person.iri) == person]
        assert posts, (person, [slug(p.person.iri) for p in f.posts])
        assert posts[0].role == PEN[role], posts[0]
        assert posts[0].post_in is not None and slug(posts[0].post_in.iri) == state, posts[0]


@pytest.mark.parametrize(
    ("name", "other", "same"),
    [
        ("antony binken", "antony blinken", True),
        ("hwansong 12", "hwasong 12", True),
        ("hwasong12", "hwasong 12", True),
        ("national security council", "united nations security council", False),
        ("hwasong 14", "hwasong 15", False),
        ("kim yo jong", "kim jong un", False),
    ],
)
def test_fuzzy_names_keep_their_distinguishing_words(name: str, other: str, same: bool) -> None:
    assert same_words(name, other) is same


def test_fuzzy_linking_does_not_drop_words() -> None:
    lk = linker(DEFAULT_BASE)
    assert lk.fuzzy("National Security Council", ("InternationalOrganisation", "GovernmentBody")) is None
    found = lk.fuzzy("Antony Binken", ("Person",))
    assert found is not None and slug(found.iri) == "antony-blinken"


def test_description_resolves_to_an_organisation_named_before() -> None:
    lk = linker(DEFAULT_BASE)
    article = ArticleLinker(lk)
    unsc = lk.exact("United Nations Security Council")
    assert unsc is not None
    article.remember(unsc)
    assert article.described("the fifteen-member world security council") == unsc
    assert article.described("council") is None  # one word says too little
    assert article.described("the national assembly") is None

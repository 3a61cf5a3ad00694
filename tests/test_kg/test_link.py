"""Linking: aliases, typos, demonyms, metonyms, partial names, bodies, minting."""

from __future__ import annotations

import pytest
from extract_helpers import facts, slug

from kg.extract.pipeline import linker
from kg.link import FUZZY_THRESHOLD, fold
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
    assert (
        lk.fuzzy("Kim Yo Jong", ("Person",)) is None
        or slug(lk.fuzzy("Kim Yo Jong", ("Person",)).iri) == "kim-yo-jong"
    )  # type: ignore[union-attr]
    assert fold("The U.S.") == "us" and fold("Hwasong-12") == "hwasong 12"

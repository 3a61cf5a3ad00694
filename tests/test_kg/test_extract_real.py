"""Kinds of error real news pages showed in the extraction, each fixed by a general rule
and tested on a snippet written for this file (none is copied from an article)."""

from __future__ import annotations

from datetime import date

from extract_helpers import facts


def test_one_source_telling_one_event_twice_is_one_claim() -> None:
    text = (
        "North Korea launched a long-range missile on Monday, the state news agency KCNA said. "
        "The missile flew for 70 minutes and came down in the sea, KCNA said."
    )
    f = facts(text, published=date(2025, 5, 6))
    kcna = [c for c in f.claims if c.source.entity is not None and "Korean Central" in c.source.entity.label]
    assert len(kcna) == 1
    assert kcna[0].also  # the second telling grounds the same claim

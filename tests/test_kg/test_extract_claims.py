"""Attribution and claims (kg.extract.claims) on snippets written for these tests
(tests/data/extract/claims.yaml), through the real annotation, linking and events, with
claims made by ``sentence_claims`` sentence by sentence as the pipeline does."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from extract_helpers import BASE, slug

from kg.extract.annotate import pipeline
from kg.extract.batch import linker
from kg.extract.claims import attribution_of, sentence_claims
from kg.extract.coref import EventMerger
from kg.extract.entities import find_mentions
from kg.extract.events import find_events
from kg.facts import Claim, EventFact

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent.parent / "data" / "extract" / "claims.yaml").read_text(encoding="utf-8")
)


def claims_of(text: str, published: date | None) -> list[Claim]:
    doc = pipeline(BASE)(text)
    lk = linker(BASE)
    mentions = find_mentions(doc, lk)
    merger = EventMerger()
    out: list[Claim] = []
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        attribution = attribution_of(sent, mentions, lk)
        told: list[EventFact] = []
        for ev in find_events(sent, mentions, lk, published):
            target = merger.add(ev)
            if target in merger.events and all(target is not t for t in told):
                told.append(target)
        out += sentence_claims(sent, attribution, told, merger.salient, lk)
    return out


def _source_matches(claim: Claim, by: str) -> bool:
    src = claim.source
    if by.startswith(("anon:", "group:")):
        kind, words = by.split(":", 1)
        return (
            src.entity is None
            and words.lower() in src.description.lower()
            and src.anonymous == (kind == "anon")
        )
    if src.entity is not None:
        return slug(src.entity.iri) == by
    return by.lower() in src.description.lower()


def _matches(claim: Claim, want: dict[str, Any]) -> bool:
    if not _source_matches(claim, want["by"]):
        return False
    if claim.about is None or claim.about.kind != want["about"]:
        return False
    if claim.compliance != want.get("compliance", False):
        return False
    if "violates" in want and claim.violates != want["violates"]:
        return False
    if claim.polarity != want.get("polarity", True):
        return False
    if "hedged" in want and claim.hedged != want["hedged"]:
        return False
    if "count" in want and claim.source.count != want["count"]:
        return False
    return not ("via" in want and (claim.via is None or slug(claim.via.iri) != want["via"]))


def _show(c: Claim) -> str:
    who = (
        slug(c.source.entity.iri)
        if c.source.entity
        else f"{c.source.description!r} anon={c.source.anonymous}"
    )
    about = c.about.kind if c.about else None
    return f"{who} -> {about} pol={c.polarity} hedged={c.hedged} compliance={c.compliance}/{c.violates}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_claims_snippet(case: dict[str, Any]) -> None:
    published = case["published"] if isinstance(case.get("published"), date) else None
    found = claims_of(case["text"], published)
    shown = [_show(c) for c in found]
    for want in case["claims"]:
        assert any(_matches(c, want) for c in found), (want, shown)
    if case.get("exact", True):
        assert len(found) == len(case["claims"]), shown


def test_sources_are_remembered_per_document() -> None:
    # the same text twice gives the same claims: memory of earlier sources is per document
    text = "Two officials who spoke on condition of anonymity said North Korea fired a missile on Monday."
    first = [_show(c) for c in claims_of(text, date(2023, 5, 9))]
    second = [_show(c) for c in claims_of(text, date(2023, 5, 9))]
    assert first == second and len(first) == 1

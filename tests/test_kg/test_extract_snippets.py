"""Golden snippets (tests/data/extract/snippets.yaml): input text → expected facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from extract_helpers import facts, slug

from kg.facts import Claim, Entity, EventFact
from kg.namespaces import PEN, local_name
from kg.rdf.mapping import ArticleFacts

_DATA = Path(__file__).parent.parent / "data" / "extract"
CASES: list[dict[str, Any]] = [
    case
    for name in ("snippets.yaml", "events.yaml")
    for case in yaml.safe_load((_DATA / name).read_text(encoding="utf-8"))
]


def _matches(ev: EventFact, want: dict[str, Any]) -> bool:
    if ev.kind != want["kind"] or ev.modality != want["modality"]:
        return False
    if "cls" in want and local_name(ev.cls) != want["cls"]:
        return False
    if want.get("undated") and ev.date is not None:
        return False
    checks = {
        "launchingState": "launchingState",
        "speaker": "speaker",
        "addressee": "addressee",
        "actor": "actor",
        "target": "target",
        "launchSite": "launchSite",
    }
    for key, role in checks.items():
        if key in want and [slug(e.iri) for e in ev.roles.get(role, [])][:1] != [want[key]]:
            return False
    for key, role in (
        ("impactArea", "impactArea"),
        ("participants", "participant"),
        ("visitors", "visitor"),
        ("hosts", "host"),
        ("addressees", "addressee"),
        ("speakers", "speaker"),
        ("places", "place"),
    ):
        if key in want and sorted(slug(e.iri) for e in ev.roles.get(role, [])) != sorted(want[key]):
            return False
    if "classes" in want and [local_name(c) for c in ev.weapon_classes] != want["classes"]:
        return False
    if "count" in want and ev.count != want["count"]:
        return False
    if "date" in want and (ev.date is None or ev.date.value != want["date"]):
        return False
    if "start" in want and (ev.start is None or ev.start.value != want["start"]):
        return False
    if "range_km" in want and ev.range_km != want["range_km"]:
        return False
    return not ("end" in want and (ev.end is None or ev.end.value != want["end"]))


def _by(claims: list[Claim], entity: Entity, by: str) -> bool:
    """Whether a claim about ``entity`` comes from the source ``by`` (a slug, or
    group:/anon: words of an unnamed source's description)."""
    for c in claims:
        if c.subject is None or c.subject.iri != entity.iri:
            continue
        src = c.source
        if by.startswith(("group:", "anon:")):
            kind, words = by.split(":", 1)
            if src.entity is None and words in src.description.lower() and src.anonymous == (kind == "anon"):
                return True
        elif src.entity is not None and slug(src.entity.iri) == by:
            return True
    return False


def _check_facilities(f: ArticleFacts, case: dict[str, Any]) -> None:
    found = {m.entity.iri: m.entity for m in f.mentions if m.entity.cls == PEN.MilitaryFacility}
    shown = [
        (e.label, [(a.prop, a.value) for a in f.attributes if a.entity.iri == e.iri]) for e in found.values()
    ]
    for want in case.get("facilities", []):
        hits = [e for e in found.values() if e.label == want["label"]]
        assert len(hits) == 1, (want, shown)
        entity = hits[0]
        attrs = [a for a in f.attributes if a.entity.iri == entity.iri]
        if "locatedIn" in want:
            places = [
                slug(a.value.iri) for a in attrs if a.prop == "locatedIn" and isinstance(a.value, Entity)
            ]
            assert places == ([want["locatedIn"]] if want["locatedIn"] else []), (want, shown)
        if "purpose" in want:
            assert any(a.prop == "purpose" and want["purpose"] in str(a.value) for a in attrs), (want, shown)
        if "mentions" in want:
            assert sum(1 for m in f.mentions if m.entity.iri == entity.iri) == want["mentions"], (want, shown)
        if "by" in want:
            assert _by(f.claims, entity, want["by"]), (want, [(c.source, c.subject) for c in f.claims])
    if "nfacilities" in case:
        assert len(found) == case["nfacilities"], shown


def _check_weapons(f: ArticleFacts, case: dict[str, Any]) -> None:
    facts_told = [
        (slug(a.entity.iri), a.prop, a.value) for a in f.attributes if a.entity.cls == PEN.WeaponSystem
    ]
    for want in case.get("weapons", []):
        for prop in ("rangeKm", "capability"):
            if prop in want:
                assert (want["system"], prop, want[prop]) in facts_told, (want, facts_told)
    if "nweapon_facts" in case:
        assert len(facts_told) == case["nweapon_facts"], facts_told


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_snippet_gives_expected_facts(case: dict[str, Any]) -> None:
    published = case["published"] if isinstance(case["published"], date) else None
    f = facts(case["text"], published)
    for want in case.get("events", []):
        found = [ev for ev in f.events if _matches(ev, want)]
        assert len(found) == 1, (
            want,
            [(e.kind, e.modality, e.roles, e.weapon_classes, e.count, e.date) for e in f.events],
        )
    for key, kinds in (
        ("nstatements", {"statement"}),
        ("nmeetings", {"meeting", "summit", "talks"}),
        ("ncalls", {"call"}),
        ("nvisits", {"visit"}),
        ("nlaunches", {"launch"}),
        ("nnuclear", {"nuclear-test"}),
    ):
        if key in case:
            assert sum(1 for e in f.events if e.kind in kinds) == case[key], [
                (e.kind, e.cls) for e in f.events
            ]
    launches = [e for e in f.events if e.kind == "launch"]
    if any(w["kind"] == "launch" for w in case.get("events", [])):
        # one launch told by several sentences is one event
        assert len(launches) == sum(1 for w in case["events"] if w["kind"] == "launch")
    for want in case.get("claims", []):
        assert any(
            c.source.entity is not None
            and slug(c.source.entity.iri) == want["by"]
            and c.about is not None
            and c.about.kind == want["about"]
            and (
                "about_date" not in want
                or (c.about.date is not None and c.about.date.value == want["about_date"])
            )
            for c in f.claims
        ), [(c.source, c.about and c.about.kind, c.about and c.about.date) for c in f.claims]
    for want in case.get("anonymous", []):
        sources = [c.source for c in f.claims if c.source.anonymous]
        assert any(s.count == want["count"] for s in sources), sources
    _check_facilities(f, case)
    _check_weapons(f, case)
    for want in case.get("compliance", []):
        found_c = [c for c in f.claims if c.compliance]
        assert any(c.violates == want["violates"] and c.hedged == want["hedged"] for c in found_c), found_c
        assert all(c.about is not None and c.about.kind == "launch" for c in found_c)

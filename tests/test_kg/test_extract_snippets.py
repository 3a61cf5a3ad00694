"""Golden snippets (tests/data/extract/snippets.yaml): input text → expected facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from extract_helpers import facts, slug

from kg.annotate import local_name
from kg.extract.types import EventFact

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
    }
    for key, role in checks.items():
        if key in want and [slug(e.iri) for e in ev.roles.get(role, [])][:1] != [want[key]]:
            return False
    for key, role in (
        ("participants", "participant"),
        ("visitors", "visitor"),
        ("hosts", "host"),
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
    return not ("end" in want and (ev.end is None or ev.end.value != want["end"]))


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
            for c in f.claims
        ), [(c.source, c.about and c.about.kind) for c in f.claims]
    for want in case.get("anonymous", []):
        sources = [c.source for c in f.claims if c.source.anonymous]
        assert any(s.count == want["count"] for s in sources), sources
    for want in case.get("compliance", []):
        found_c = [c for c in f.claims if c.compliance]
        assert any(c.violates == want["violates"] and c.hedged == want["hedged"] for c in found_c), found_c
        assert all(c.about is not None and c.about.kind == "launch" for c in found_c)

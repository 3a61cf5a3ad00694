"""Meetings (summits, talks, visits, phone calls) and military exercises: participants,
visitors and hosts, place, count and purpose read from the trigger's syntactic arguments.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.eventbase import (
    ACTOR_CLASSES,
    NUMBERS,
    PLACE_CLASSES,
    TIMES,
    Sent,
    place_entity,
    prep_objects,
    prep_objects_direct,
    state_of,
    subject,
)
from kg.extract.types import Entity, EventFact
from kg.namespaces import PEN

__all__ = ["EXERCISE_NOUNS", "MEETING_NOUNS", "MEETING_VERBS", "exercise_event", "meeting_events"]

MEETING_NOUNS = {
    "meeting": ("meeting", PEN.Meeting),
    "summit": ("summit", PEN.Summit),
    "talk": ("talks", PEN.Talks),
    "talks": ("talks", PEN.Talks),
    "negotiation": ("talks", PEN.Talks),
    "visit": ("visit", PEN.Visit),
    "trip": ("visit", PEN.Visit),
    "call": ("call", PEN.PhoneCall),
}
MEETING_VERBS = {
    "meet": ("meeting", PEN.Meeting),
    "visit": ("visit", PEN.Visit),
    "discuss": ("talks", PEN.Talks),
    "negotiate": ("talks", PEN.Talks),
}
_HOLD_VERBS = {"hold", "have", "conduct", "host", "begin", "start", "open", "attend"}
EXERCISE_NOUNS = {"exercise", "exercises", "drill", "drills", "wargame", "wargames", "war game", "maneuvers"}


_PEOPLE_NOUNS = {"counterpart", "leader", "official", "president", "minister", "delegation", "envoy"}


def _participants(s: Sent, trig: Token, verb: bool) -> list[Entity]:
    toks: list[Token] = []
    if verb:
        toks += subject(trig)
        for c in trig.children:
            if c.dep_ == "dobj":
                toks += list(c.subtree)
        toks += prep_objects_direct(trig, {"with", "between"})
    else:
        for c in trig.children:
            if c.dep_ in ("poss", "compound", "nmod", "amod"):
                toks += list(c.subtree)
        toks += prep_objects_direct(trig, {"with", "between", "among", "of"})
        if trig.head.lemma_ in _HOLD_VERBS and trig.dep_ in ("dobj", "nsubjpass"):
            toks += subject(trig.head)
    ents = [e for e in s.entities(toks, ACTOR_CLASSES)]
    return ents


def meeting_events(s: Sent, trig: Token, verb: bool) -> list[EventFact]:
    kind, cls = (MEETING_VERBS if verb else MEETING_NOUNS)[trig.lemma_]
    if not verb and kind == "talks":
        # abstract 'negotiations' are events only when held, placed or between parties
        held = trig.head.lemma_ in _HOLD_VERBS or any(c.lemma_ in _HOLD_VERBS for c in trig.head.children)
        has_between = bool(prep_objects_direct(trig, {"between", "with"}))
        if not (held or has_between or trig.dep_ == "nsubjpass"):
            return []
    if (
        not verb
        and kind == "call"
        and not any(t.lower_ in ("phone", "video", "telephone") for t in trig.lefts)
    ):
        return []
    if verb and kind == "talks" and not prep_objects_direct(trig, {"with"}):
        return []
    if verb and kind == "meeting":
        # one meets people, not demands or acts ('would meet any hostile act with …')
        dobjs = [c for c in trig.children if c.dep_ == "dobj"]
        if (
            dobjs
            and not any(s.entities(list(d.subtree), ACTOR_CLASSES) for d in dobjs)
            and not any(d.lemma_.lower() in _PEOPLE_NOUNS for d in dobjs)
        ):
            return []
    ev = EventFact(kind, cls, [s.span_of(trig)], trigger=trig.text)
    parts = _participants(s, trig, verb)
    if kind == "visit":
        visitors = s.entities(
            subject(trig) if verb else [t for c in trig.children if c.dep_ == "poss" for t in c.subtree],
            ACTOR_CLASSES,
        )
        hosts_toks = (
            [t for c in trig.children if c.dep_ == "dobj" for t in c.subtree]
            if verb
            else [t for p in prep_objects(trig, {"to"}) for t in p.subtree]
        )
        for v in visitors:
            ev.add_role("visitor", v)
        for h in s.entities(hosts_toks, {PEN.State}):
            ev.add_role("host", h)
    else:
        for p in parts:
            ev.add_role("participant", p)
    place_objs = prep_objects(trig, {"in", "at"}) if verb else []
    for c in [trig] if verb else [trig, trig.head]:
        for pobj in prep_objects_direct(c, {"in", "at"}) + place_objs:
            for e in s.entities(list(pobj.subtree), PLACE_CLASSES | {PEN.State}):
                place = place_entity(e, s.linker)
                # A region ("the Indo-Pacific") is what talks are about, never where they sit.
                if place is None or place.cls == PEN.Region or place in ev.roles.get("place", []):
                    continue
                ev.add_role("place", place)
    for c in trig.children:
        if c.dep_ in ("advmod", "npadvmod") and c.lower_ in TIMES:
            ev.count = TIMES[c.lower_]
        if c.dep_ == "nummod" and c.lower_ in NUMBERS and trig.tag_ == "NNS":
            ev.count = NUMBERS[c.lower_]
        if c.dep_ == "npadvmod" and c.lower_ == "times":
            n = next((NUMBERS.get(g.lower_) for g in c.children if g.dep_ == "nummod"), None)
            ev.count = n or ev.count
    purpose = [
        c for c in trig.children if c.dep_ in ("xcomp", "advcl") and any(g.lower_ == "to" for g in c.lefts)
    ]
    if purpose:
        ev.purpose = " ".join(t.text for t in purpose[0].subtree)
    ev.definite = not verb and any(c.lower_ in ("the", "their", "this", "that") for c in trig.lefts)
    return [ev]


def exercise_event(s: Sent, trig: Token) -> EventFact | None:
    mods = {c.lower_ for c in trig.children}
    if trig.lower_ in ("exercise",) and not mods & {
        "military",
        "joint",
        "naval",
        "air",
        "live-fire",
        "drills",
    }:
        return None
    ev = EventFact("exercise", PEN.MilitaryExercise, [s.span_of(trig)], trigger=trig.text)
    toks = [t for c in trig.children if c.dep_ in ("compound", "nmod", "amod", "poss") for t in c.subtree]
    toks += [t for p in prep_objects(trig, {"by", "between", "of", "with"}) for t in p.subtree]
    if trig.dep_ in ("dobj", "pobj") and trig.head.lemma_ in ("hold", "conduct", "stage", "hold", "carry"):
        toks += subject(trig.head)
        # 'for holding joint exercises': the parties are the object of the verb above
        if trig.head.dep_ == "pcomp" and trig.head.head.lower_ == "for":
            toks += [t for c in trig.head.head.head.children if c.dep_ == "dobj" for t in c.subtree]
    ents = s.entities(toks, {PEN.State, PEN.GovernmentBody})
    for e in ents:
        ev.add_role("participant", state_of([e], s.linker) or e)
    return ev

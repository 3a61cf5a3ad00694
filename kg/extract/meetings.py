"""Meetings (summits, talks, visits, phone calls) and military exercises: participants,
visitors and hosts, place, count and purpose read from the trigger's syntactic arguments.

Who took part and where are read by :mod:`kg.extract.meeting_args` ('the Hanoi summit',
'talks between officials from the two countries were held in Sweden'). A verb of speaking
is a call when told by phone ('spoke by phone with'); a passive 'be met with' is no
meeting. Several meetings told at once in as many places ('met twice, in Singapore and Vietnam')
are one meeting per place. Whether a meeting is a summit is decided for the whole article
(:mod:`kg.extract.summits`).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from kg.extract.eventbase import (
    ACTOR_CLASSES,
    NUMBERS,
    PLACE_CLASSES,
    TIMES,
    Sent,
    prep_objects,
    prep_objects_direct,
    state_of,
    subject,
)
from kg.extract.meeting_args import (
    HOLD_VERBS,
    PEOPLE_NOUNS,
    TRAVEL_VERBS,
    host_of,
    meeting_places,
    parties,
    visit_parties,
)
from kg.extract.venues import most_specific
from kg.facts import EventFact
from kg.kinds import KINDS, kind
from kg.namespaces import PEN

__all__ = ["EXERCISE_NOUNS", "MEETING_NOUNS", "MEETING_VERBS", "exercise_event", "meeting_events"]

# trigger lemma → meeting kind, from the kinds' rows (kg.kinds): nouns and verbs apart
MEETING_NOUNS = {lemma: k.name for k in KINDS for lemma in k.nouns}
MEETING_VERBS = {lemma: k.name for k in KINDS for lemma in k.verbs}
_PHONE_WORDS = {"phone", "telephone", "video", "videoconference", "teleconference"}
EXERCISE_NOUNS = {"exercise", "exercises", "drill", "drills", "wargame", "wargames", "war game", "maneuvers"}


def _accepted(s: Sent, trig: Token, verb: bool, name: str) -> bool:
    """Whether a trigger word tells a meeting here at all."""
    if not verb and name == "talks":
        # abstract 'negotiations' are events only when held, placed or between parties
        held = trig.head.lemma_ in HOLD_VERBS or any(c.lemma_ in HOLD_VERBS for c in trig.head.children)
        has_between = bool(prep_objects_direct(trig, {"between", "with"}))
        hosted = host_of(trig) is not None
        # 'the Camp David talks': talks named by where they were held
        placed = any(
            (m := s.mentions.at(c)) is not None and m.entity.cls in PLACE_CLASSES
            for c in trig.children
            if c.dep_ in ("compound", "nmod")
        )
        if not (held or has_between or hosted or placed or trig.dep_ == "nsubjpass"):
            return False
    if (
        not verb
        and name == "call"
        and not any(t.lower_ in ("phone", "video", "telephone") for t in trig.lefts)
    ):
        return False
    if verb and name == "talks" and not prep_objects_direct(trig, {"with"}):
        return False
    if verb and name == "call" and not _by_phone(trig):
        return False
    if verb and name == "meeting" and any(c.dep_ == "auxpass" for c in trig.children):
        return False  # 'the provocation would be met with a response'
    if verb and name == "meeting":
        # one meets people, not demands or acts ('would meet any hostile act with …')
        dobjs = [c for c in trig.children if c.dep_ == "dobj"]
        if (
            dobjs
            and not any(s.entities(list(d.subtree), ACTOR_CLASSES) for d in dobjs)
            and not any(d.lemma_.lower() in PEOPLE_NOUNS for d in dobjs)
        ):
            return False
    return True


def _by_phone(verb: Token) -> bool:
    """'spoke by phone', 'talked over the telephone', 'spoke on a video call'."""
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("by", "over", "on", "via")
        and any(g.lemma_.lower() in _PHONE_WORDS or g.lower_ in ("call", "link") for g in c.children)
        for c in verb.children
    )


def _count(trig: Token) -> int | None:
    """How many meetings the trigger tells: 'met twice', 'met three times', 'two meetings'."""
    count: int | None = None
    for c in trig.children:
        if c.dep_ in ("advmod", "npadvmod") and c.lower_ in TIMES:
            count = TIMES[c.lower_]
        if c.dep_ == "nummod" and c.lower_ in NUMBERS and trig.tag_ == "NNS":
            count = NUMBERS[c.lower_]
        if c.dep_ == "npadvmod" and c.lower_ == "times":
            n = next((NUMBERS.get(g.lower_) for g in c.children if g.dep_ == "nummod"), None)
            count = n or count
    return count


def _copy(ev: EventFact) -> EventFact:
    """A copy of an event that shares no list with it."""
    return replace(
        ev,
        spans=list(ev.spans),
        roles={r: list(v) for r, v in ev.roles.items()},
        role_spans={k: list(v) for k, v in ev.role_spans.items()},
        weapon_classes=list(ev.weapon_classes),
        back_refs=list(ev.back_refs),
        about_families=list(ev.about_families),
    )


def split_by_place(ev: EventFact) -> list[EventFact]:
    """Several meetings told at once, in as many places ('met twice, in Singapore and
    Vietnam'): one meeting per place. When the count is larger than the places ('met three
    times, in Singapore and Hanoi'), the counted meetings stay an event of their own beside
    the placed ones; with fewer places than meetings told, nothing is split."""
    places = ev.roles.get("place", [])
    if ev.count is None or ev.count < 2 or len(places) < 2 or len(places) > ev.count:
        return [ev]
    out: list[EventFact] = []
    if ev.count > len(places):
        rest = _copy(ev)
        del rest.roles["place"]
        out.append(rest)
    for place in places:
        one = _copy(ev)
        one.roles["place"] = [place]
        one.count = None
        out.append(one)
    return out


def meeting_events(s: Sent, trig: Token, verb: bool) -> list[EventFact]:
    """The meetings (or the visit) a trigger word tells: none when it tells none here, else
    one, or one per place when several are told at once (:func:`split_by_place`)."""
    name = (MEETING_VERBS if verb else MEETING_NOUNS)[trig.lemma_]
    if not _accepted(s, trig, verb, name):
        return []
    ev = kind(name).event([s.span_of(trig)], trig.text)
    places, place_states = meeting_places(s, trig, verb, name)
    if name == "visit":
        visitors, hosts = visit_parties(s, trig, verb)
        if verb and trig.lemma_ in TRAVEL_VERBS and not hosts:
            return []  # a journey home, or nowhere named
        if verb and trig.lemma_ == "fly" and not any(v.cls == PEN.Person for v in visitors):
            return []  # 'the missile flew to an altitude of …' is a flight, not a visit
        for v in visitors:
            ev.add_role("visitor", v)
        for h in hosts:
            ev.add_role("host", h)
    else:
        told = parties(s, trig, verb)
        for p in told.entities:
            if p.iri not in place_states:
                ev.add_role("participant", p)
        ev.leaders = told.leaders
    for place in most_specific(places):
        ev.add_role("place", place)
    ev.count = _count(trig)
    purpose = [
        c for c in trig.children if c.dep_ in ("xcomp", "advcl") and any(g.lower_ == "to" for g in c.lefts)
    ]
    if purpose:
        # from its 'to' on: a misparse may hang words before it on the clause ('met with X
        # and Y in London to promote …')
        to = next(g for g in purpose[0].lefts if g.lower_ == "to")
        ev.purpose = " ".join(t.text for t in purpose[0].subtree if t.i >= to.i)
    # 'the talks', 'their meeting', 'Saturday's meeting': a meeting told before
    ev.definite = not verb and any(
        c.lower_ in ("the", "their", "this", "that") or (c.dep_ == "poss" and c.ent_type_ == "DATE")
        for c in trig.lefts
    )
    return split_by_place(ev) if name != "visit" else [ev]


# words that make a drill a launch ('launching drill', 'firing drill')
_LAUNCH_WORDS = {"launch", "launching", "firing"}


def exercise_event(s: Sent, trig: Token) -> EventFact | None:
    """A military exercise told by the noun ``trig`` ('joint drills'), with the states and bodies that took part."""
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
    before = trig.doc[trig.i - 1] if trig.i > 0 else trig
    if before.lower_ in _LAUNCH_WORDS or any(
        c.lower_ in _LAUNCH_WORDS and c.dep_ == "compound" for c in trig.children
    ):
        return None  # 'a surprise ICBM launching drill': the launch itself, told as a drill
    ev = kind("exercise").event([s.span_of(trig)], trig.text)
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

"""Statements (accusations, threats, confirmations, denials, appeals, condemnations),
sanctions and UN resolutions: a speech-act verb with its speaker, addressee and quote; a
sanction or resolution noun governed by a verb of imposing or adopting, with its actor and
target.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from spacy.tokens import Token

from kg.extract.eventbase import ACTOR_CLASSES, Sent, prep_objects, subject
from kg.extract.sources import source_of
from kg.extract.types import EventFact
from kg.namespaces import PEN

__all__ = ["SPEECH_LEMMAS", "STATEMENT_VERBS", "resolution_event", "sanction_event", "statement_event"]

STATEMENT_VERBS: dict[str, URIRef] = {
    "accuse": PEN.Accusation,
    "blame": PEN.Accusation,
    "threaten": PEN.Threat,
    "warn": PEN.Threat,
    "confirm": PEN.Confirmation,
    "deny": PEN.Denial,
    "urge": PEN.Appeal,
    "press": PEN.Appeal,
    "appeal": PEN.Appeal,
    "demand": PEN.Appeal,
    "condemn": PEN.Condemnation,
    "criticize": PEN.Condemnation,
    "criticise": PEN.Condemnation,
    "denounce": PEN.Condemnation,
    "slam": PEN.Condemnation,
}
SPEECH_LEMMAS = {
    "say",
    "tell",
    "report",
    "add",
    "announce",
    "state",
    "note",
    "claim",
    "confirm",
    "disclose",
    "reveal",
    "point",
    "write",
    "brief",
}
_SANCTION_VERBS = {"slap", "impose", "tighten", "make", "adopt", "expand", "extend", "levy", "announce"}


def statement_event(s: Sent, trig: Token) -> EventFact | None:
    cls = STATEMENT_VERBS[trig.lemma_]
    if trig.lemma_ == "press" and not any(c.dep_ == "dobj" for c in trig.children):
        return None
    subj = subject(trig)
    ev = EventFact("statement", cls, [s.span_of(trig)], trigger=trig.text)
    heads = [t for t in subj if t.head.i not in {x.i for x in subj} or t.head is t]
    head_m = s.mentions.at(heads[0]) if heads else None
    speakers = [head_m.entity] if head_m is not None and head_m.entity.cls in ACTOR_CLASSES else []
    if speakers:
        ev.add_role("speaker", speakers[0])
    elif subj:
        src = source_of(subj, s.mentions, s.linker)
        if src is not None:
            ev.speaker_source = src
        else:
            return None  # a pronoun or an unreadable speaker: not a statement we can ground
    else:
        return None
    for c in trig.children:
        if c.dep_ == "dobj":
            for e in s.entities(list(c.subtree), ACTOR_CLASSES):
                ev.add_role("addressee", e)
                break
    quote = re.search(r"[“\"](.+?)[”\"]", s.sent.text)
    if quote:
        ev.quote = quote.group(1).strip()
    ev.gist = s.sent.text
    return ev


def sanction_event(s: Sent, trig: Token) -> EventFact | None:
    verb = trig.head
    if trig.dep_ not in ("dobj", "nsubjpass") or verb.lemma_ not in _SANCTION_VERBS:
        return None
    ev = EventFact("sanction", PEN.Sanction, [s.span_of(trig), s.span_of(verb)], trigger=trig.text)
    actors = s.entities(subject(verb), ACTOR_CLASSES)
    if actors:
        ev.add_role("actor", actors[0])
    for pobj in prep_objects(verb, {"on", "against"}):
        for e in s.entities(list(pobj.subtree), ACTOR_CLASSES):
            ev.add_role("target", e)
    return ev


def resolution_event(s: Sent, trig: Token) -> EventFact | None:
    verb = trig.head
    if trig.dep_ not in ("dobj", "nsubjpass") or verb.lemma_ not in ("adopt", "pass", "approve"):
        return None
    ev = EventFact("resolution", PEN.Resolution, [s.span_of(trig)], trigger=trig.text)
    actors = s.entities(subject(verb), ACTOR_CLASSES)
    if actors:
        ev.add_role("actor", actors[0])
    return ev

"""Events told by one sentence: launches and tests, nuclear tests, meetings (summits, talks,
visits, calls), exercises, statements, sanctions and resolutions.

A trigger word (a verb such as 'fired', 'met', 'accused', or a noun such as 'launches',
'summit', 'exercises') opens an event; its arguments are read from the dependency parse
around the trigger and from the linked mentions there. Dates come from ``kg.dates`` and
attach to the trigger they depend on. Modality is ``kg.extract.modality``'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef
from spacy.tokens import Span, Token

from kg.dates import DateSpan, find_dates
from kg.extract.entities import ArticleMentions, sentence_span
from kg.extract.modality import is_future, modality_of
from kg.extract.sources import source_of
from kg.extract.types import Entity, EventFact, TextSpan
from kg.link import Linker
from kg.namespaces import PEN

__all__ = ["SPEECH_LEMMAS", "find_events", "weapon_classes_in"]

_WEAPON_WORDS = {
    "missile",
    "missiles",
    "rocket",
    "rockets",
    "projectile",
    "projectiles",
    "icbm",
    "icbms",
    "slbm",
    "irbm",
    "srbm",
    "weapon",
    "weapons",
    "system",
    "warhead",
    "satellite",
}
_LAUNCH_VERBS = {"fire", "launch", "test", "shoot", "test-fire", "lob"}
# verbs whose subject carries out the launches they govern ('conducted tests', 'refrained
# from tests'); a speaker who condemns or confirms the launches is not their actor
_DO_VERBS = {
    "conduct",
    "carry",
    "stage",
    "resume",
    "refrain",
    "halt",
    "freeze",
    "stop",
    "continue",
    "suspend",
    "hold",
    "perform",
    "make",
    "begin",
    "start",
    "increase",
    "end",
    "have",
    "launch",
    "fire",
    "test",
    "ramp",
    "step",
    "accelerate",
    "avoid",
    "give",
    "restart",
}
_LAUNCH_NOUNS = {"launch", "launching", "test", "testing", "firing", "launches", "tests", "testings"}
_BACKREF_NOUNS = {"launch", "launching", "test", "testing", "firing", "incident", "provocation"}
_GENERIC_HEADS = {
    "ban",
    "prohibition",
    "resolution",
    "moratorium",
    "sanction",
    "program",
    "programme",
    "capability",
}
_MEETING_NOUNS = {
    "meeting": ("meeting", PEN.Meeting),
    "summit": ("summit", PEN.Summit),
    "talk": ("talks", PEN.Talks),
    "talks": ("talks", PEN.Talks),
    "negotiation": ("talks", PEN.Talks),
    "visit": ("visit", PEN.Visit),
    "trip": ("visit", PEN.Visit),
    "call": ("call", PEN.PhoneCall),
}
_MEETING_VERBS = {
    "meet": ("meeting", PEN.Meeting),
    "visit": ("visit", PEN.Visit),
    "discuss": ("talks", PEN.Talks),
    "negotiate": ("talks", PEN.Talks),
}
_HOLD_VERBS = {"hold", "have", "conduct", "host", "begin", "start", "open", "attend"}
_EXERCISE_NOUNS = {"exercise", "exercises", "drill", "drills", "wargame", "wargames", "war game", "maneuvers"}
_STATEMENT_VERBS: dict[str, URIRef] = {
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

# weapon classes as written; the most specific phrase wins where two overlap
_CLASS_PATTERNS: list[tuple[re.Pattern[str], URIRef]] = [
    (re.compile(r"intercontinental[- ]ballistic|\bICBMs?\b", re.I), PEN.ICBM),
    (re.compile(r"intermediate[- ]range[- ]ballistic|\bIRBMs?\b", re.I), PEN.IRBM),
    (re.compile(r"medium[- ]range[- ]ballistic|\bMRBMs?\b", re.I), PEN.MRBM),
    (re.compile(r"short[- ]range[- ]ballistic|\bSRBMs?\b", re.I), PEN.SRBM),
    (re.compile(r"submarine[- ]launched|\bSLBMs?\b", re.I), PEN.SLBM),
    (re.compile(r"cruise missiles?", re.I), PEN.CruiseMissile),
    (re.compile(r"hypersonic", re.I), PEN.HypersonicMissile),
    (re.compile(r"anti[- ]ship", re.I), PEN.AntiShipMissile),
    (re.compile(r"short[- ]range", re.I), PEN.ShortRangeMissile),
    (re.compile(r"long[- ]range", re.I), PEN.LongRangeMissile),
    (re.compile(r"ballistic missiles?", re.I), PEN.BallisticMissile),
    (re.compile(r"satellite|space launch vehicle|carrier rocket", re.I), PEN.SpaceLaunchVehicle),
]
_BROADER = {
    PEN.ICBM: PEN.BallisticMissile,
    PEN.IRBM: PEN.BallisticMissile,
    PEN.MRBM: PEN.BallisticMissile,
    PEN.SRBM: PEN.BallisticMissile,
    PEN.SLBM: PEN.BallisticMissile,
}
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
    "an": 1,
    "single": 1,
}
_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_DISTANCE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(km|kilomet(?:er|re)s?|miles?)\b", re.I)


def weapon_classes_in(text: str) -> list[URIRef]:
    """The weapon classes a phrase names, most specific first, without the broader class
    of one already named ('short-range ballistic missile' → SRBM only)."""
    found: list[URIRef] = []
    taken: list[tuple[int, int]] = []
    for rx, cls in _CLASS_PATTERNS:
        for m in rx.finditer(text):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if cls not in found:
                found.append(cls)
    return [c for c in found if not any(_BROADER.get(o) == c for o in found)]


@dataclass
class _Sent:
    sent: Span
    mentions: ArticleMentions
    linker: Linker
    dates: list[DateSpan]
    published: object
    sb: int
    se: int

    def span_of(self, tok: Token) -> TextSpan:
        return TextSpan(tok.idx, tok.idx + len(tok.text), self.sb, self.se)

    def phrase_span(self, toks: Sequence[Token]) -> TextSpan:
        begin = min(t.idx for t in toks)
        end = max(t.idx + len(t.text) for t in toks)
        return TextSpan(begin, end, self.sb, self.se)

    def entities(self, toks: Sequence[Token] | Span, classes: set[URIRef] | None = None) -> list[Entity]:
        """The entities mentioned in ``toks``, leaving out a state or body that only
        qualifies a person named there ('US Secretary of State Antony Blinken')."""
        out: list[Entity] = []
        tokset = {t.i for t in toks}
        person_toks = {
            t.i for t in toks if (m := self.mentions.at(t)) is not None and m.entity.cls == PEN.Person
        }
        for t in toks:
            m = self.mentions.at(t)
            if m is None:
                continue
            if classes is not None and m.entity.cls not in classes:
                continue
            if m.entity.cls != PEN.Person and person_toks and _qualifies(t, person_toks, tokset):
                continue
            if all(e.iri != m.entity.iri for e in out):
                out.append(m.entity)
        return out


def _qualifies(tok: Token, person_toks: set[int], scope: set[int]) -> bool:
    """Whether a token modifies (through compounds, titles, possessives) a person's name."""
    cur = tok
    for _ in range(6):
        if cur.dep_ not in ("compound", "nmod", "amod", "poss", "pobj", "prep", "case") or cur.head is cur:
            return False
        cur = cur.head
        if cur.i in person_toks:
            return True
        if cur.i not in scope:
            return False
    return False


_ACTOR_CLASSES = {PEN.State, PEN.Person, PEN.GovernmentBody, PEN.Organisation, PEN.InternationalOrganisation}
_PLACE_CLASSES = {
    PEN.Place,
    PEN.Settlement,
    PEN.AdministrativeRegion,
    PEN.WaterBody,
    PEN.MilitaryFacility,
    PEN.Region,
}


def _subtree(tok: Token) -> list[Token]:
    return list(tok.subtree)


def _subject(verb: Token) -> list[Token]:
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            return _subtree(c)
    # 'agent' of a passive: 'confirmed by two officials'
    for c in verb.children:
        if c.dep_ == "agent":
            return _subtree(c)
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _subject(verb.head)
    return []


def _state_of(ents: Sequence[Entity], linker: Linker) -> Entity | None:
    for e in ents:
        if e.cls == PEN.State:
            return e
    for e in ents:
        if e.state is not None and e.state in linker.by_iri:
            return linker.by_iri[e.state]
        if e.part_of is not None and e.part_of in linker.by_iri:
            return linker.by_iri[e.part_of]
    return None


def _assign_dates(s: _Sent, triggers: list[Token]) -> dict[int, DateSpan]:
    """Each date expression goes to the trigger (or speech verb) it depends on; a date
    that depends on none of them goes to the nearest trigger still without a date."""
    trig_ids = {t.i for t in triggers}
    owners = trig_ids | {t.i for t in s.sent if t.lemma_ in SPEECH_LEMMAS and t.pos_ == "VERB"}
    out: dict[int, DateSpan] = {}
    orphans: list[tuple[DateSpan, Span]] = []
    for d in s.dates:
        span = s.sent.doc.char_span(d.begin, d.end, alignment_mode="expand")
        if span is None:
            continue
        owner: int | None = None
        for anc in [span.root, *span.root.ancestors]:
            if anc.i in owners and anc.i not in range(span.start, span.end):
                owner = anc.i
                break
        if owner is None:
            orphans.append((d, span))
            continue
        if owner in trig_ids and owner not in out:
            out[owner] = d
    for d, span in orphans:
        free = [t for t in triggers if t.i not in out]
        if free:
            nearest = min(free, key=lambda t: min(abs(t.i - span.start), abs(t.i - span.end)))
            out[nearest.i] = d
    return out


def _count(noun: Token) -> int | None:
    for c in noun.children:
        if c.dep_ == "nummod":
            if c.like_num and c.text.isdigit():
                return int(c.text)
            if c.lower_ in _NUMBERS:
                return _NUMBERS[c.lower_]
    if noun.head.lower_ == "of" and noun.head.head.lower_ in ("pair", "couple"):
        return 2
    if noun.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children):
        return 1
    if noun.head.lower_ == "of" and noun.head.head.lower_ in ("barrage", "salvo", "volley", "series"):
        return None
    return None


def _weapon_nouns(toks: Sequence[Token]) -> list[Token]:
    return [t for t in toks if t.lower_ in _WEAPON_WORDS or t.ent_type_ == "WEAPON"]


def _place_entity(e: Entity, linker: Linker) -> Entity | None:
    """A place for pen:place / pen:launchSite (a state's name read as its territory has no
    place entity of its own, so a reference place of the same name is used, if any)."""
    if e.cls in _PLACE_CLASSES:
        return e
    if e.cls == PEN.State:
        return linker.exact(e.label, ("Settlement", "Place", "Region", "AdministrativeRegion"))
    return None


def _prep_objects(tok: Token, preps: set[str]) -> list[Token]:
    out: list[Token] = []
    for c in tok.subtree:
        if c.dep_ == "prep" and c.lower_ in preps:
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def _launch(s: _Sent, trig: Token, verb: bool) -> EventFact | None:
    if verb:
        if trig.dep_ in ("csubj", "csubjpass") or (
            trig.tag_ == "VBG"
            and trig.dep_ in ("pobj", "pcomp")
            and trig.head.lower_ in ("on", "against", "of")
        ):
            return None  # 'launching cruise missiles isn't prohibited': a kind of act, not an event
        objs = [c for c in trig.children if c.dep_ in ("dobj", "nsubjpass")]
        obj_toks = [t for o in objs for t in o.subtree]
        subj = _subject(trig)
        if not _weapon_nouns(obj_toks) and not any(
            m is not None and m.entity.cls == PEN.WeaponSystem for m in map(s.mentions.at, obj_toks)
        ):
            return None
        scope = obj_toks
        actor_toks = [t for t in subj if not _weapon_nouns([t])]
    else:
        if any(a.lemma_ in _GENERIC_HEADS for a in trig.ancestors):
            return None
        scope = [t for t in trig.subtree]
        left = [t for t in trig.lefts]
        weaponish = _weapon_nouns(scope) or any(
            s.mentions.at(t) is not None and s.mentions.at(t).entity.cls == PEN.WeaponSystem  # type: ignore[union-attr]
            for t in scope
        )
        definite = any(c.lower_ in ("the", "these", "those", "this", "that") for c in left)
        if not weaponish and not (definite and trig.lemma_ in _BACKREF_NOUNS):
            return None
        actor_toks = [t for c in trig.children if c.dep_ in ("poss", "compound", "nmod") for t in c.subtree]
        actor_toks += _prep_objects(trig, {"of", "by"})
        if not s.entities(actor_toks, _ACTOR_CLASSES):
            # 'North Korea conducted tests', 'had refrained from missile tests'
            head = trig.head
            while head.pos_ not in ("VERB", "AUX") and head.head is not head:
                head = head.head
            if head.pos_ in ("VERB", "AUX") and head.lemma_ in _DO_VERBS:
                actor_toks = _subject(head)
    first, last = min(t.idx for t in scope), max(t.idx + len(t) for t in scope)
    text = s.sent.doc.text[first:last]
    classes = weapon_classes_in(text)
    if not verb and trig.lemma_ in ("test", "testing") and "nuclear" in {t.lower_ for t in trig.children}:
        return None  # a nuclear test, told by _nuclear
    ev = EventFact("launch", PEN.MissileLaunch, [s.span_of(trig)], trigger=trig.text)
    ev.weapon_classes = classes
    systems = s.entities(scope, {PEN.WeaponSystem}) or (
        s.entities(s.sent, {PEN.WeaponSystem}) if verb else []
    )
    for system in systems[:1]:
        ev.add_role("weaponSystem", system)
        if not classes and system.weapon_class is not None:
            ev.weapon_classes = [system.weapon_class]
    state = _state_of(s.entities(actor_toks, _ACTOR_CLASSES), s.linker)
    operator = systems[0].state if systems else None
    if state is None and operator is not None and operator in s.linker.by_iri:
        state = s.linker.by_iri[operator]
    if state is not None:
        ev.add_role("launchingState", state)
    for w in _weapon_nouns(scope):
        n = _count(w)
        if (n is not None and w.tag_ in ("NNS", "NNPS")) or (n is not None and n == 1):
            ev.count = n
            break
    head = trig if verb else trig.head
    for pobj in _prep_objects(head if verb else trig, {"from"}):
        for e in s.entities(list(pobj.subtree), _PLACE_CLASSES | {PEN.State}):
            place = _place_entity(e, s.linker)
            if place is not None:
                ev.add_role("launchSite", place)
                break
    for pobj in _prep_objects(head, {"into", "over", "toward", "towards", "in", "off"}):
        toks = list(pobj.subtree)
        ents = [e for e in s.entities(toks, _PLACE_CLASSES)]
        if ents:
            # a described area without a name ('the sea between the peninsula and China')
            # is left unlinked: minting it would make a new place of every wording
            ev.add_role("impactArea", ents[0])
    for m in _DISTANCE.finditer(s.sent.text):
        before = s.sent.text[max(0, m.start() - 40) : m.start()].lower()
        value = float(m.group(1).replace(",", ""))
        if m.group(2).lower().startswith("mile"):
            value *= 1.609344
        if "altitude" in before or "high" in s.sent.text[m.end() : m.end() + 10]:
            ev.altitude_km = ev.altitude_km or value
        elif any(w in before for w in ("range", "flew", "travel", "distance")):
            ev.range_km = ev.range_km or value
    ev.definite = not verb and any(c.lower_ in ("the", "these", "those", "this", "that") for c in trig.lefts)
    return ev


def _nuclear(s: _Sent, trig: Token) -> EventFact | None:
    if trig.lemma_ not in ("test", "testing") or trig.pos_ != "NOUN":
        return None
    mods = {c.lower_ for c in trig.children} | {g.lower_ for c in trig.children for g in c.children}
    if "nuclear" not in mods:
        return None
    if any(a.lemma_ in _GENERIC_HEADS for a in trig.ancestors):
        return None
    ev = EventFact("nuclear-test", PEN.NuclearTest, [s.span_of(trig)], trigger=trig.text)
    actor = [t for c in trig.children if c.dep_ in ("poss", "compound") for t in c.subtree]
    if not actor and trig.head.pos_ == "VERB":
        actor = _subject(trig.head)
    state = _state_of(s.entities(actor, _ACTOR_CLASSES), s.linker)
    if state is not None:
        ev.add_role("launchingState", state)
    return ev


def _participants(s: _Sent, trig: Token, verb: bool) -> list[Entity]:
    toks: list[Token] = []
    if verb:
        toks += _subject(trig)
        for c in trig.children:
            if c.dep_ == "dobj":
                toks += list(c.subtree)
        toks += _prep_objects_direct(trig, {"with", "between"})
    else:
        for c in trig.children:
            if c.dep_ in ("poss", "compound", "nmod", "amod"):
                toks += list(c.subtree)
        toks += _prep_objects_direct(trig, {"with", "between", "among", "of"})
        if trig.head.lemma_ in _HOLD_VERBS and trig.dep_ in ("dobj", "nsubjpass"):
            toks += _subject(trig.head)
    ents = [e for e in s.entities(toks, _ACTOR_CLASSES)]
    return ents


def _prep_objects_direct(tok: Token, preps: set[str]) -> list[Token]:
    out: list[Token] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            for g in c.children:
                if g.dep_ == "pobj":
                    out += list(g.subtree)
    return out


def _meeting(s: _Sent, trig: Token, verb: bool) -> list[EventFact]:
    kind, cls = (_MEETING_VERBS if verb else _MEETING_NOUNS)[trig.lemma_]
    if not verb and kind == "talks":
        # abstract 'negotiations' are events only when held, placed or between parties
        held = trig.head.lemma_ in _HOLD_VERBS or any(c.lemma_ in _HOLD_VERBS for c in trig.head.children)
        has_between = bool(_prep_objects_direct(trig, {"between", "with"}))
        if not (held or has_between or trig.dep_ == "nsubjpass"):
            return []
    if (
        not verb
        and kind == "call"
        and not any(t.lower_ in ("phone", "video", "telephone") for t in trig.lefts)
    ):
        return []
    if verb and kind == "talks" and not _prep_objects_direct(trig, {"with"}):
        return []
    ev = EventFact(kind, cls, [s.span_of(trig)], trigger=trig.text)
    parts = _participants(s, trig, verb)
    if kind == "visit":
        visitors = s.entities(
            _subject(trig) if verb else [t for c in trig.children if c.dep_ == "poss" for t in c.subtree],
            _ACTOR_CLASSES,
        )
        hosts_toks = (
            [t for c in trig.children if c.dep_ == "dobj" for t in c.subtree]
            if verb
            else [t for p in _prep_objects(trig, {"to"}) for t in p.subtree]
        )
        for v in visitors:
            ev.add_role("visitor", v)
        for h in s.entities(hosts_toks, {PEN.State}):
            ev.add_role("host", h)
    else:
        for p in parts:
            ev.add_role("participant", p)
    place_objs = _prep_objects(trig, {"in", "at"}) if verb else []
    for c in [trig] if verb else [trig, trig.head]:
        for pobj in _prep_objects_direct(c, {"in", "at"}) + place_objs:
            for e in s.entities(list(pobj.subtree), _PLACE_CLASSES | {PEN.State}):
                place = _place_entity(e, s.linker)
                if place is not None and place not in ev.roles.get("place", []):
                    ev.add_role("place", place)
    for c in trig.children:
        if c.dep_ in ("advmod", "npadvmod") and c.lower_ in _TIMES:
            ev.count = _TIMES[c.lower_]
        if c.dep_ == "nummod" and c.lower_ in _NUMBERS and trig.tag_ == "NNS":
            ev.count = _NUMBERS[c.lower_]
        if c.dep_ == "npadvmod" and c.lower_ == "times":
            n = next((_NUMBERS.get(g.lower_) for g in c.children if g.dep_ == "nummod"), None)
            ev.count = n or ev.count
    purpose = [
        c for c in trig.children if c.dep_ in ("xcomp", "advcl") and any(g.lower_ == "to" for g in c.lefts)
    ]
    if purpose:
        ev.purpose = " ".join(t.text for t in purpose[0].subtree)
    ev.definite = not verb and any(c.lower_ in ("the", "their", "this", "that") for c in trig.lefts)
    return [ev]


def _exercise(s: _Sent, trig: Token) -> EventFact | None:
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
    toks += [t for p in _prep_objects(trig, {"by", "between", "of", "with"}) for t in p.subtree]
    if trig.dep_ in ("dobj", "pobj") and trig.head.lemma_ in ("hold", "conduct", "stage", "hold", "carry"):
        toks += _subject(trig.head)
        # 'for holding joint exercises': the parties are the object of the verb above
        if trig.head.dep_ == "pcomp" and trig.head.head.lower_ == "for":
            toks += [t for c in trig.head.head.head.children if c.dep_ == "dobj" for t in c.subtree]
    ents = s.entities(toks, {PEN.State, PEN.GovernmentBody})
    for e in ents:
        ev.add_role("participant", _state_of([e], s.linker) or e)
    return ev


def _statement(s: _Sent, trig: Token) -> EventFact | None:
    cls = _STATEMENT_VERBS[trig.lemma_]
    if trig.lemma_ == "press" and not any(c.dep_ == "dobj" for c in trig.children):
        return None
    subj = _subject(trig)
    ev = EventFact("statement", cls, [s.span_of(trig)], trigger=trig.text)
    heads = [t for t in subj if t.head.i not in {x.i for x in subj} or t.head is t]
    head_m = s.mentions.at(heads[0]) if heads else None
    speakers = [head_m.entity] if head_m is not None and head_m.entity.cls in _ACTOR_CLASSES else []
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
            for e in s.entities(list(c.subtree), _ACTOR_CLASSES):
                ev.add_role("addressee", e)
                break
    quote = re.search(r"[“\"](.+?)[”\"]", s.sent.text)
    if quote:
        ev.quote = quote.group(1).strip()
    ev.gist = s.sent.text
    return ev


def _sanction(s: _Sent, trig: Token) -> EventFact | None:
    verb = trig.head
    if trig.dep_ not in ("dobj", "nsubjpass") or verb.lemma_ not in _SANCTION_VERBS:
        return None
    ev = EventFact("sanction", PEN.Sanction, [s.span_of(trig), s.span_of(verb)], trigger=trig.text)
    actors = s.entities(_subject(verb), _ACTOR_CLASSES)
    if actors:
        ev.add_role("actor", actors[0])
    for pobj in _prep_objects(verb, {"on", "against"}):
        for e in s.entities(list(pobj.subtree), _ACTOR_CLASSES):
            ev.add_role("target", e)
    return ev


def _resolution(s: _Sent, trig: Token) -> EventFact | None:
    verb = trig.head
    if trig.dep_ not in ("dobj", "nsubjpass") or verb.lemma_ not in ("adopt", "pass", "approve"):
        return None
    ev = EventFact("resolution", PEN.Resolution, [s.span_of(trig)], trigger=trig.text)
    actors = s.entities(_subject(verb), _ACTOR_CLASSES)
    if actors:
        ev.add_role("actor", actors[0])
    return ev


def _events_at(s: _Sent, t: Token) -> list[EventFact]:
    lemma = t.lemma_.lower()
    if t.pos_ == "VERB":
        if lemma in _LAUNCH_VERBS:
            ev = _launch(s, t, verb=True)
            return [ev] if ev else []
        if lemma in _MEETING_VERBS:
            return _meeting(s, t, verb=True)
        if lemma in _STATEMENT_VERBS:
            ev = _statement(s, t)
            return [ev] if ev else []
        return []
    if t.pos_ in ("NOUN", "PROPN"):
        out: list[EventFact] = []
        nuc = _nuclear(s, t)
        if nuc is not None:
            out.append(nuc)
            # 'nuclear or long-range missile tests' also tells of missile tests
            if not any(w.lower_ in ("missile", "missiles") for w in t.subtree):
                return out
        if lemma in _LAUNCH_NOUNS or t.lower_ in _LAUNCH_NOUNS:
            ev = _launch(s, t, verb=False)
            if ev:
                out.append(ev)
        elif lemma in _MEETING_NOUNS:
            out += _meeting(s, t, verb=False)
        elif t.lower_ in _EXERCISE_NOUNS or lemma in _EXERCISE_NOUNS:
            ev = _exercise(s, t)
            if ev:
                out.append(ev)
        elif lemma == "sanction":
            ev = _sanction(s, t)
            if ev:
                out.append(ev)
        elif lemma == "resolution":
            ev = _resolution(s, t)
            if ev:
                out.append(ev)
        return out
    return []


def find_events(sent: Span, mentions: ArticleMentions, linker: Linker, published: object) -> list[EventFact]:
    """The events one sentence tells, with their modality and date."""
    sb, se = sentence_span(sent)
    future = is_future(sent)
    text = sent.doc.text[sent.start_char : sent.end_char]
    dates = [
        DateSpan(d.begin + sent.start_char, d.end + sent.start_char, d.text, d.value, d.start, d.end_value)
        for d in find_dates(text, published, tense_past=not future)  # type: ignore[arg-type]
    ]
    s = _Sent(sent, mentions, linker, dates, published, sb, se)
    found: list[tuple[Token, EventFact]] = []
    for t in sent:
        for ev in _events_at(s, t):
            found.append((t, ev))
    dated = _assign_dates(s, [t for t, _ in found])
    for t, ev in found:
        ev.modality = modality_of(t)
        d = dated.get(t.i)
        if d is None and ev.kind == "exercise":
            d = next((x for x in dates if x.is_period), None)
        if d is not None:
            ev.date_text = d.text
            if d.is_period:
                ev.start, ev.end = d.start, d.end_value
                ev.date = d.value if ev.kind != "exercise" else None
            else:
                ev.date = d.value
    return [ev for _, ev in found]

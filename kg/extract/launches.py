"""Missile launches and weapon tests, and nuclear tests: a launch verb with a weapon as its
object ('fired two missiles') or a launch noun ('the launch of a Hwasong-15', 'missile
tests'); launching state, weapon system and class, count, launch site, impact area,
range and altitude read around the trigger.

It stays one module (over 400 lines): launches and nuclear tests are told by the same verbs
of firing and testing and share the reading of what a verb acts on (:func:`object_words`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rdflib import URIRef
from spacy.tokens import Token

from kg.extract.annotate import doc_text
from kg.extract.eventbase import (
    ACTOR_CLASSES,
    NUMBERS,
    PLACE_CLASSES,
    Sent,
    clause_prep_objects,
    clause_verb,
    place_entity,
    prep_objects,
    state_of,
    subject,
)
from kg.extract.measures import distances_in
from kg.extract.place_refs import place_referred
from kg.extract.weapons import system_ranges
from kg.facts import EventFact
from kg.kinds import kind
from kg.namespaces import PEN

__all__ = [
    "FLIGHT_VERBS",
    "GENERIC_HEADS",
    "LAUNCH_NOUNS",
    "LAUNCH_VERBS",
    "in_flight",
    "launch_event",
    "nuclear_test_event",
    "nuclear_verb_event",
    "weapon_classes_in",
]

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
LAUNCH_VERBS = {"fire", "launch", "test", "shoot", "test-fire", "test-launch", "lob"}
# verbs whose subject carries out the launches they govern ('conducted tests', 'refrained
# from tests'); a speaker who condemns or confirms the launches is not their actor
_DO_VERBS = {
    "plan",  # 'Pyongyang plans more tests': who plans them would carry them out
    "prepare",
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
LAUNCH_NOUNS = {"launch", "launching", "test", "testing", "firing", "launches", "tests", "testings"}
_BACKREF_NOUNS = {"launch", "launching", "test", "testing", "firing", "incident", "provocation"}
GENERIC_HEADS = {
    "ban",
    "prohibition",
    "resolution",
    "moratorium",
    "sanction",
    "program",
    "programme",
    "capability",
}


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
# verbs a launch noun is the subject of when the sentence tells where it came from
_ORIGIN_VERBS = {"come", "originate"}


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


def _count(noun: Token) -> int | None:
    for c in noun.children:
        if c.dep_ == "nummod":
            if c.like_num and c.text.isdigit():
                return int(c.text)
            if c.lower_ in NUMBERS:
                return NUMBERS[c.lower_]
    if noun.head.lower_ == "of" and noun.head.head.lower_ in ("pair", "couple"):
        return 2
    if noun.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children):
        return 1
    if noun.head.lower_ == "of" and noun.head.head.lower_ in ("barrage", "salvo", "volley", "series"):
        return None
    return None


# participles that say what a weapon is ('believed to be a Hwasong-17', 'called the …')
_NAMING_VERBS = {"believe", "think", "identify", "call", "name", "dub", "suspect", "presume", "assess"}


def _weapon_nouns(toks: Sequence[Token]) -> list[Token]:
    return [t for t in toks if t.lower_ in _WEAPON_WORDS or t.ent_type_ == "WEAPON"]


def _own_words(tok: Token) -> list[Token]:
    """A phrase without the clauses that hang on it ('the Hwasong-15, ending a pause')."""
    skip = {t.i for c in tok.children if c.dep_ in ("acl", "relcl", "advcl") for t in c.subtree}
    return [t for t in tok.subtree if t.i not in skip]


def object_words(verb: Token) -> list[Token]:
    """The words of what a verb acts on: its object (or passive subject), and what a free
    relative names ('test-fired what it called a new ICBM, the Hwasong-15', 'exploded what
    it said was a hydrogen bomb': the parser hangs the naming clause and the appositive on
    the verb)."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    words = [t for o in objs for t in o.subtree]
    free_relative = [c for c in verb.children if c.dep_ == "ccomp" and c.left_edge.lower_ == "what"]
    if free_relative or any(o.lower_ == "what" for o in objs):
        words += [t for c in verb.children if c.dep_ in ("ccomp", "npadvmod", "appos") for t in _own_words(c)]
    return words


# verbs that launch what they put 'into orbit' ('put a satellite into orbit')
ORBIT_VERBS = {"put", "place", "send", "deliver", "inject"}


def into_orbit(verb: Token) -> bool:
    """Whether a launch verb puts something 'into orbit' (a satellite launch)."""
    return verb.lemma_ in ORBIT_VERBS and any(
        c.dep_ == "prep" and c.lower_ == "into" and any(g.lemma_ == "orbit" for g in c.children)
        for c in verb.children
    )


def launch_event(s: Sent, trig: Token, verb: bool) -> EventFact | None:
    """A missile launch told by a verb ('fired a missile') or a noun ('the launch'), or None."""
    words = _verb_launch_words(s, trig) if verb else _noun_launch_words(s, trig)
    if words is None:
        return None
    scope, actor_toks = words
    first, last = min(t.idx for t in scope), max(t.idx + len(t) for t in scope)
    text = doc_text(s.sent.doc)[first:last]
    classes = weapon_classes_in(text)
    if not verb and trig.lemma_ in ("test", "testing") and "nuclear" in {t.lower_ for t in trig.children}:
        return None  # a nuclear test, told by nuclear_test_event
    ev = kind("launch").event([s.span_of(trig)], trig.text)
    ev.weapon_classes = classes
    _add_system_and_state(s, ev, scope, actor_toks, verb)
    ev.count = _launch_count(scope)
    # a noun trigger's places are its own, or its verb's when it is the verb's object
    # ('conducted a test off the coast') or a flight it tells ('the missile fell into the
    # sea'); never those of a clause it is the subject of
    head = trig if verb or not (trig.dep_ == "dobj" or in_flight(trig)) else trig.head
    _launch_site(s, trig, verb, ev)
    _add_impact_area(s, head, ev)
    _add_distances(s, ev)
    ev.definite = (
        (_refers_back(trig) or _said_of_it(trig))
        if not verb
        else any(
            c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN" and _refers_back(c) for c in trig.children
        )
    )
    return ev


def _verb_launch_words(s: Sent, trig: Token) -> tuple[list[Token], list[Token]] | None:
    """For a verb that tells a launch, the words of what was launched and of who launched
    it; None when it launches no weapon or names a kind of act rather than an event."""
    if trig.dep_ in ("csubj", "csubjpass") or (
        trig.tag_ == "VBG" and trig.dep_ in ("pobj", "pcomp") and trig.head.lower_ in ("on", "against", "of")
    ):
        return None  # 'launching cruise missiles isn't prohibited': a kind of act, not an event
    obj_toks = object_words(trig)
    subj = subject(trig)
    if not _weapon_nouns(obj_toks) and not any(
        m is not None and m.entity.cls == PEN.WeaponSystem for m in map(s.mentions.at, obj_toks)
    ):
        return None
    return obj_toks, [t for t in subj if not _weapon_nouns([t])]


def _noun_launch_words(s: Sent, trig: Token) -> tuple[list[Token], list[Token]] | None:
    """For a noun that tells a launch, its own words and those of who launched it; None
    when it is generic or tells of no weapon (and does not refer back to a launch)."""
    if any(a.lemma_ in GENERIC_HEADS for a in trig.ancestors):
        return None
    # a relative clause or appositive tells of something else ('a test of a bomb that
    # could be mounted on a missile' is not a missile test)
    # (an appositive that is a weapon's name names the weapon launched: 'the test launch of
    # the "new-type" missile, the Hwasong-17,', where the parser hangs it on the launch)
    skip = {t.i for c in trig.children if c.dep_ == "appos" and not _names_a_weapon(s, c) for t in c.subtree}
    # ('the missile, believed to be a Hwasong-17' names the missile itself)
    skip |= {
        t.i
        for c in trig.subtree
        if c.dep_ in ("relcl", "acl") and c.i != trig.i and c.lemma_ not in _NAMING_VERBS
        for t in c.subtree
    }
    scope = [t for t in trig.subtree if t.i not in skip]
    left = [t for t in trig.lefts]
    weaponish = _weapon_nouns(scope) or any(
        s.mentions.at(t) is not None and s.mentions.at(t).entity.cls == PEN.WeaponSystem  # type: ignore[union-attr]
        for t in scope
    )
    definite = any(c.lower_ in ("the", "these", "those", "this", "that") for c in left)
    if not weaponish and not (definite and trig.lemma_ in _BACKREF_NOUNS):
        return None
    # "North Korea's missiles", "a North Korean missile"
    actor_toks = [
        t for c in trig.children if c.dep_ in ("poss", "compound", "nmod", "amod") for t in c.subtree
    ]
    actor_toks += prep_objects(trig, {"of", "by"})
    if not s.entities(actor_toks, ACTOR_CLASSES):
        # 'North Korea conducted tests', 'had refrained from missile tests'
        head = clause_verb(trig.head)
        if head.pos_ in ("VERB", "AUX") and head.lemma_ in _DO_VERBS:
            actor_toks = subject(head)
    return scope, actor_toks


def _names_a_weapon(s: Sent, tok: Token) -> bool:
    """Whether ``tok`` is the name of a weapon system."""
    m = s.mentions.at(tok)
    return m is not None and m.entity.cls == PEN.WeaponSystem


def _add_system_and_state(
    s: Sent, ev: EventFact, scope: list[Token], actor_toks: list[Token], verb: bool
) -> None:
    """The launch's weapon system (in its words or, for a verb, its sentence) and the state
    that launched it (named by the actor's words, or the system's operator)."""
    systems = s.entities(scope, {PEN.WeaponSystem}) or (
        s.entities(s.sent, {PEN.WeaponSystem}) if verb else []
    )
    for system in systems[:1]:
        ev.add_role("weaponSystem", system)
        if not ev.weapon_classes and system.weapon_class is not None:
            ev.weapon_classes = [system.weapon_class]
    state = state_of(s.entities(actor_toks, ACTOR_CLASSES), s.linker)
    operator = systems[0].state if systems else None
    if state is None and operator is not None and operator in s.linker.by_iri:
        state = s.linker.by_iri[operator]
    if state is not None:
        ev.add_role("launchingState", state)


def _launch_count(scope: list[Token]) -> int | None:
    """How many weapons were launched, as a count of the first counted weapon noun."""
    for w in _weapon_nouns(scope):
        n = _count(w)
        if (n is not None and w.tag_ in ("NNS", "NNPS")) or (n is not None and n == 1):
            return n
    return None


def _add_impact_area(s: Sent, head: Token, ev: EventFact) -> None:
    """Where the launch fell: the named places 'into', 'over', 'toward', 'in' or 'off' of ``head``."""
    for pobj in clause_prep_objects(head, {"into", "over", "toward", "towards", "in", "off"}):
        if _in_from_phrase(pobj, head):
            continue  # 'fired from an airfield in North Pyongan': where it left, not where it fell
        toks = list(pobj.subtree)
        ents = [e for e in s.entities(toks, PLACE_CLASSES)]
        if ents:
            # a described area without a name ('the sea between the peninsula and China')
            # is left unlinked: minting it would make a new place of every wording
            ev.add_role("impactArea", ents[0])


def _add_distances(s: Sent, ev: EventFact) -> None:
    """The altitude and range the sentence gives for the launch."""
    # a weapon system's range ('a Hwasong-12, with a range of 4,500 km') is not the
    # distance this launch flew
    of_systems = {begin for _, _, begin, _ in system_ranges(s.sent, s.mentions)}
    for d in distances_in(s.sent.text):
        if s.sent.start_char + d.begin in of_systems:
            continue
        before = s.sent.text[max(0, d.begin - 40) : d.begin].lower()
        if "altitude" in before or "high" in s.sent.text[d.end : d.end + 10]:
            ev.altitude_km = ev.altitude_km or d.km
        elif any(w in before for w in ("range", "flew", "travel", "distance")):
            ev.range_km = ev.range_km or d.km


def _in_from_phrase(pobj: Token, head: Token) -> bool:
    """Whether a prepositional object sits inside a 'from …' phrase of ``head``."""
    for a in pobj.ancestors:
        if a.i == head.i:
            return False
        if a.dep_ == "prep" and a.lower_ == "from":
            return True
    return False


def _said_of_it(noun: Token) -> bool:
    """'It was the North's first ICBM launch since December': a launch noun said of 'it'
    or 'this' by a copula tells again of the launch told before."""
    if noun.dep_ != "attr" or noun.head.lemma_ != "be":
        return False
    return any(c.dep_ == "nsubj" and c.lower_ in ("it", "this", "that") for c in noun.head.children)


def _refers_back(noun: Token) -> bool:
    """'the launch', 'these tests'; for a verb, its weapon: 'the missile, a Hwasong-18, was
    fired from the Pyongyang area' tells of a launch already told."""
    return any(c.lower_ in ("the", "these", "those", "this", "that") for c in noun.lefts)


# verbs of a missile's flight: with a weapon as subject they tell of its launch ('the
# rocket crashed into the sea', 'a missile landed in Japan's economic zone')
FLIGHT_VERBS = {
    "fly",
    "fall",
    "land",
    "crash",
    "splash",
    "travel",
    "soar",
    "plunge",
    "explode",
    "disintegrate",
}


def in_flight(tok: Token) -> bool:
    """Whether a weapon noun is the subject of a past flight verb ('the missile flew 600
    km'); not of what it can do ('the missile can fly 15,000 km' is a capability)."""
    if tok.dep_ != "nsubj" or tok.lower_ not in _WEAPON_WORDS:
        return False
    # the verb, or a verb coordinated with it that shares the subject ('lost thrust and
    # crashed into the sea')
    verbs = [tok.head, *(c for c in tok.head.conjuncts if not any(g.dep_ == "nsubj" for g in c.children))]
    return any(
        verb.lemma_.lower() in FLIGHT_VERBS
        and verb.tag_ in ("VBD", "VBN")
        and not any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)
        for verb in verbs
    )


def _launch_site(s: Sent, trig: Token, verb: bool, ev: EventFact) -> None:
    """Where a launch came from: 'fired from South Pyongan', 'the launch of … from X',
    'the launching … came from the area' (a back reference to the place told last)."""
    froms = clause_prep_objects(trig, {"from"})
    froms += [  # 'fired from there'
        g
        for c in trig.children
        if c.dep_ == "prep" and c.lower_ == "from"
        for g in c.children
        if g.dep_ in ("pcomp", "advmod") and g.lower_ == "there"
    ]
    if not verb and trig.dep_ in ("nsubj", "nsubjpass") and trig.head.lemma_ in _ORIGIN_VERBS:
        froms += [
            g
            for c in trig.head.children
            if c.dep_ == "prep" and c.lower_ == "from"
            for g in c.children
            if g.dep_ in ("pobj", "pcomp", "advmod")
        ]
    for pobj in froms:  # one site per 'from' phrase: the first place named in it
        named = [
            p
            for e in s.entities(list(pobj.subtree), PLACE_CLASSES | {PEN.State})
            if (p := place_entity(e, s.linker))
        ]
        if named:
            ev.add_role("launchSite", named[0])
        elif not s.entities(list(pobj.subtree)):
            referred = place_referred(s.mentions, pobj)
            if referred is not None:
                ev.add_role("launchSite", referred)


_DETONATE_VERBS = {"detonate", "explode", "set"}
_BLAST_NOUNS = {"device", "bomb", "weapon", "explosion", "blast", "detonation", "test"}


def _nuclear_object(tok: Token) -> bool:
    """A nuclear device or bomb ('its most powerful nuclear device', 'a hydrogen bomb')."""
    if tok.lemma_.lower() not in _BLAST_NOUNS:
        return False
    mods = {c.lower_ for c in tok.children} | {g.lower_ for c in tok.children for g in c.children}
    return bool(mods & {"nuclear", "hydrogen", "atomic", "thermonuclear"})


def nuclear_verb_event(s: Sent, trig: Token) -> EventFact | None:
    """'detonated its most powerful nuclear device', 'exploded a hydrogen bomb'."""
    if trig.lemma_ not in _DETONATE_VERBS or trig.pos_ != "VERB":
        return None
    if not any(_nuclear_object(t) for t in object_words(trig)):
        return None
    if trig.lemma_ == "set" and not any(c.lower_ == "off" for c in trig.children):
        return None
    ev = kind("nuclear-test").event([s.span_of(trig)], trig.text)
    state = state_of(s.entities(subject(trig), ACTOR_CLASSES), s.linker)
    if state is not None:
        ev.add_role("launchingState", state)
    _nuclear_site(s, trig, ev)
    return ev


def _nuclear_site(s: Sent, trig: Token, ev: EventFact) -> None:
    for pobj in prep_objects(trig, {"at", "in"}):
        for e in s.entities(list(pobj.subtree), PLACE_CLASSES):
            ev.add_role("place", e)
            return


# nouns of a place a test noun can modify ('test site', 'test ground')
_SITE_NOUNS = {"site", "ground", "grounds", "range", "facility", "center", "centre", "area", "tunnel"}


def nuclear_test_event(s: Sent, trig: Token) -> EventFact | None:
    """A nuclear test told by a noun ('its sixth nuclear test', 'a nuclear explosion')."""
    if (
        trig.pos_ == "NOUN"
        and trig.lemma_.lower() in ("explosion", "blast", "detonation")
        and _nuclear_object(trig)
    ):
        pass
    elif trig.lemma_ not in ("test", "testing") or trig.pos_ != "NOUN":
        return None
    mods = {c.lower_ for c in trig.children} | {g.lower_ for c in trig.children for g in c.children}
    if not mods & {"nuclear", "hydrogen", "atomic", "thermonuclear"}:
        return None
    if any(a.lemma_ in GENERIC_HEADS for a in trig.ancestors):
        return None
    if trig.dep_ == "compound" and trig.head.lemma_.lower() in _SITE_NOUNS:
        return None  # 'the Punggye-ri nuclear test site' is a place, not a test
    ev = kind("nuclear-test").event([s.span_of(trig)], trig.text)
    actor = [t for c in trig.children if c.dep_ in ("poss", "compound") for t in c.subtree]
    actor += prep_objects(trig, {"by"})  # 'the fifth nuclear test by the North'
    state = state_of(s.entities(actor, ACTOR_CLASSES), s.linker)
    if state is None and trig.head.pos_ == "VERB" and trig.head.lemma_ in _DO_VERBS:
        # 'the North conducted its sixth nuclear test': the doer, when 'its' names no one;
        # not who condemned or reported it ('Seoul's president condemned the test')
        state = state_of(s.entities(subject(trig.head), ACTOR_CLASSES), s.linker)
    if state is not None:
        ev.add_role("launchingState", state)
    _nuclear_site(s, trig, ev)
    return ev

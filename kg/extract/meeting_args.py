"""The arguments of a meeting read from the parse around its trigger: who took part, and
where.

Parties: the subject and 'with'/'between' objects of a verb ('Trump met with Kim'); the
modifiers and 'with'/'between'/'of'/'from' objects of a noun ('the Trump-Kim summit',
'talks between officials from the two countries'); the subject of the verb that holds the
meeting ('Hayashi and Chung had a meeting') or that goes to it ('Yoon will travel to Tokyo
for a summit with Kishida'). An apposition describes a party and adds none. A phrase
that refers back to two states or persons counts them ('the two countries', 'the two
ministers', :mod:`kg.extract.anaphora`).

Visitors and hosts: the subject and object of 'visit', the possessor and 'to' object of
the noun, and the subject and destination of a verb of going to the visit ('Austin arrived
in Seoul for a two-day visit').

Places: the 'in'/'at' phrases of the verb, of the noun, of the verb holding it ('were held
in Sweden') and of its parties ('a meeting with Kim in Singapore', where the parser hangs
the place on the name); the destination of the verb going to it ('travel to Tokyo for a
summit'); and the modifiers of a meeting noun ('the Hanoi summit'). Only the place phrase's
own names count: 'at the request of the United States' names no place. A state named as
the venue stands for its territory or the place its words name (:mod:`kg.extract.venues`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from spacy.tokens import Token

from kg.extract.anaphora import pair_entities_in
from kg.extract.annotate import doc_text
from kg.extract.eventbase import (
    ACTOR_CLASSES,
    PLACE_CLASSES,
    Sent,
    place_entity,
    prep_objects,
    prep_objects_direct,
    subject,
)
from kg.extract.venues import event_place
from kg.facts import Entity
from kg.namespaces import PEN

__all__ = [
    "HOLD_VERBS",
    "PEOPLE_NOUNS",
    "TRAVEL_VERBS",
    "Parties",
    "host_of",
    "meeting_places",
    "parties",
    "visit_parties",
]

HOLD_VERBS = {"hold", "have", "conduct", "host", "begin", "start", "open", "attend"}
# verbs whose subject calls a meeting it then takes part in, when it is 'with' someone
_CALL_VERBS = {"call", "convene", "request", "seek"}
# verbs of going to a meeting: 'travel to Tokyo for a summit'
_MOTION_VERBS = {"travel", "fly", "go", "head", "arrive", "come", "visit", "leave", "return"}
# verbs by which a host receives guests for a meeting: 'hosted Kishida and Yoon for talks'
_HOST_VERBS = {"host", "invite", "welcome", "receive"}
# verbs of a journey that is a visit when it goes abroad: 'Yoon will travel to Tokyo'
TRAVEL_VERBS = {"travel", "arrive", "fly"}
PEOPLE_NOUNS = {"counterpart", "leader", "official", "president", "minister", "delegation", "envoy"}
# words for the head of a state: 'the leaders of Japan and South Korea'
_LEADER_WORDS = {"leader", "president", "premier", "chancellor", "king", "emperor"}
# nouns that name a kind of place before its name: 'the border village of Panmunjom'
_PLACE_NOUNS = {"city", "town", "village", "island", "resort", "port", "province", "region", "capital"}
# kinds whose venue is read as a place even when a state is named; a visit's is its host
_PLACED = {"meeting", "summit", "talks", "call"}


@dataclass
class Parties:
    """The participants of a meeting; ``leaders`` when they are all states whose leaders
    the text says met ('the two Koreas' leaders will meet')."""

    entities: list[Entity] = field(default_factory=list)
    leaders: bool = False


def _without_appositions(toks: list[Token]) -> list[Token]:
    """Tokens outside any apposition among them ('with Kishida, the first visit by …'),
    except the name a description stands beside ('his Russian counterpart Sergei Lavrov':
    the name is the party)."""
    inside = {
        w.i
        for t in toks
        if t.dep_ == "appos" and not (t.pos_ == "PROPN" and t.head.pos_ == "NOUN")
        for w in t.subtree
    }
    return [t for t in toks if t.i not in inside]


# verbs of meeting someone that a meeting noun is the purpose of ('greet Kim for talks')
_GREETING_VERBS = {"greet", "welcome", "receive", "join", "meet"}


def _going_to(trig: Token) -> Token | None:
    """The verb of going a meeting noun is the purpose of ('travel … for a summit', 'arrived
    in Seoul on a three-day visit', 'landed in Pyongyang at the start of a state visit')."""
    head = trig.head
    if trig.dep_ != "pobj" or head.lower_ not in ("for", "on", "of"):
        return None
    verb = head.head
    if head.lower_ == "of":  # 'at the start of a visit'
        start = head.head
        if start.lemma_ not in ("start", "beginning", "outset") or start.head.lower_ != "at":
            return None
        verb = start.head.head
    if verb.lemma_ in _MOTION_VERBS or verb.lemma_ == "land":
        return verb
    return None


def _verb_parties(trig: Token) -> list[Token]:
    """The tokens that may name the parties of a meeting verb."""
    toks = subject(trig)
    if not toks and trig.dep_ == "xcomp":
        # 'Abe and Trump are expected to speak by phone'
        toks += [t for c in trig.head.children if c.dep_ == "nsubjpass" for t in c.subtree]
    if trig.dep_ == "relcl" and any(t.tag_ in ("WP", "WDT") for t in toks):
        # 'Moon Jae-in, who spoke with Trump': the relative pronoun's antecedent
        inner = {t.i for t in trig.subtree}
        toks += [t for t in trig.head.subtree if t.i not in inner]
    for c in trig.children:
        if c.dep_ == "dobj":
            toks += list(c.subtree)
    objects = prep_objects_direct(trig, {"with", "between"})
    return toks + (objects or _with_after(trig))


# words that end a list of parties read off the surface after 'with'
_LIST_ENDS = {"in", "at", "on", "for", "to", "during", "after", "before", "amid", "over", "via", "by"}


def _with_after(trig: Token) -> list[Token]:
    """The words of 'met (today) with A and B' up to the next preposition, infinitive or
    clause, when the parser hung that 'with' elsewhere (as the mark of a later clause):
    the names right after a meeting verb's 'with' are its parties whatever the parse."""
    doc = trig.doc
    i = trig.i + 1
    while i < len(doc) and (doc[i].ent_type_ in ("DATE", "TIME") or doc[i].dep_ in ("advmod", "npadvmod")):
        i += 1
    if i >= len(doc) or doc[i].lower_ != "with" or doc[i].head.i == trig.i:
        return []
    out: list[Token] = []
    for t in doc[i + 1 : doc[i].sent.end]:
        if t.lower_ in _LIST_ENDS or t.tag_ == "TO" or t.pos_ in ("VERB", "AUX") or t.text in (".", ";", ":"):
            break
        out.append(t)
    return out


def host_of(trig: Token) -> Token | None:
    """The verb of hosting a meeting noun is the purpose of: 'Biden hosted Kishida and Yoon
    for talks', '... for a day of talks'."""
    cur = trig
    for _ in range(2):  # the noun, or the noun it is 'of' ('a day of talks')
        prep = cur.head
        if cur.dep_ != "pobj" or prep.i == cur.i:
            return None
        if prep.lower_ == "for" and prep.head.lemma_ in _HOST_VERBS:
            return prep.head
        if prep.lower_ != "of":
            return None
        cur = prep.head
    return None


def _noun_parties(trig: Token) -> list[Token]:
    """The tokens that may name the parties of a meeting noun."""
    toks = [t for c in trig.children if c.dep_ in ("poss", "compound", "nmod", "amod") for t in c.subtree]
    host = host_of(trig)
    if host is not None:  # the host and the guests
        toks += subject(host) + [t for c in host.children if c.dep_ == "dobj" for t in c.subtree]
    # 'talks between officials from the two countries' (the parser may hang 'from …' on
    # the noun): the parties are where the officials are from
    toks += prep_objects_direct(trig, {"with", "between", "among", "of", "from"})
    if not prep_objects_direct(trig, {"with", "between"}):
        # 'held talks and a joint news conference with Moon': the parser hangs 'with' on
        # the last conjunct, and it belongs to them all
        toks += [t for c in trig.conjuncts if c.i > trig.i for t in prep_objects_direct(c, {"with"})]
    head = trig.head
    if trig.dep_ in ("dobj", "nsubjpass") and (
        head.lemma_ in HOLD_VERBS or (head.lemma_ in _CALL_VERBS and prep_objects_direct(trig, {"with"}))
    ):
        toks += subject(head)
    going = _going_to(trig)
    if going is not None:
        toks += subject(going)
    head = trig.head.head
    if trig.dep_ == "pobj" and trig.head.lower_ == "for" and head.lemma_ in _GREETING_VERBS:
        # 'crossed the line to greet Kim for a meeting': who greets and who is greeted
        toks += subject(head) + [t for c in head.children if c.dep_ == "dobj" for t in c.subtree]
    return toks


def _leader_states(s: Sent, toks: list[Token]) -> set[URIRef]:
    """The states whose leaders the tokens name ('the leaders of Japan', 'the two Koreas'
    leaders', 'the South Korean and Japanese leaders')."""
    out: set[URIRef] = set()
    for t in toks:
        if t.lemma_.lower() in _LEADER_WORDS and t.tag_ in ("NNS", "NNPS"):
            sub = list(t.subtree)
            out |= {e.iri for e in s.entities(sub, {PEN.State})}
            out |= {e.iri for e in pair_entities_in(sub, s.mentions, s.linker) if e.cls == PEN.State}
    return out


def parties(s: Sent, trig: Token, verb: bool) -> Parties:
    """Who took part in the meeting a trigger tells."""
    toks = _without_appositions(_verb_parties(trig) if verb else _noun_parties(trig))
    ents = s.entities(toks, ACTOR_CLASSES)
    for e in pair_entities_in(toks, s.mentions, s.linker):
        if all(x.iri != e.iri for x in ents):
            ents.append(e)
    led = _leader_states(s, toks)
    leaders = len(ents) >= 2 and all(e.cls == PEN.State and e.iri in led for e in ents)
    return Parties(ents, leaders)


def visit_parties(s: Sent, trig: Token, verb: bool) -> tuple[list[Entity], list[Entity]]:
    """The visitors and the visited states of a visit: 'Blinken visited Japan', 'Xi's visit
    to Russia', 'Austin arrived in Seoul for a two-day visit', 'Yoon will travel to Tokyo'.
    A place visited stands for its state as host ('visited Seoul'); a visitor's own state
    is never its host, and a journey ('travel to') with no other host is no visit."""
    if verb:
        visitors = subject(trig)
        hosts = [t for c in trig.children if c.dep_ == "dobj" for t in c.subtree]
        if trig.lemma_ in TRAVEL_VERBS:
            hosts += prep_objects_direct(trig, {"to", "in"})  # 'travel to Tokyo', 'arrived in Seoul'
    else:
        visitors = [t for c in trig.children if c.dep_ == "poss" for t in c.subtree]
        hosts = [t for p in prep_objects(trig, {"to"}) for t in p.subtree]
        going = _going_to(trig)
        if going is not None:
            visitors += subject(going)
            hosts += prep_objects_direct(going, {"to", "in"})
    who = s.entities(_without_appositions(visitors), ACTOR_CLASSES)
    states = s.entities(hosts, {PEN.State})
    if not states:
        places = s.entities(hosts, PLACE_CLASSES)
        states = [s.linker.by_iri[p.state] for p in places if p.state in s.linker.by_iri]
    own = {v.iri for v in who} | {v.state for v in who if v.state is not None}
    return who, [h for h in states if h.iri not in own]


def _written(s: Sent, toks: list[Token], e: Entity) -> str:
    """The words of the first mention of ``e`` among ``toks``."""
    for t in toks:
        m = s.mentions.at(t)
        if m is not None and m.entity.iri == e.iri:
            return doc_text(s.sent.doc)[m.span.begin : m.span.end]
    return ""


def _name_tokens(pobj: Token) -> list[Token]:
    """The tokens of a place phrase that may name the place: its head, the compounds and
    conjuncts of it, 'of' after a kind of place ('the village of Panmunjom') and a nested
    'in'/'at' ('at a hotel in Singapore'), not its other complements."""
    out: list[Token] = []
    stack = [pobj]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in ("compound", "conj", "appos", "nmod", "flat"):
                stack.append(c)
            elif c.dep_ == "prep" and (
                c.lower_ in ("in", "at") or (c.lower_ == "of" and t.lemma_.lower() in _PLACE_NOUNS)
            ):
                stack.extend(g for g in c.children if g.dep_ == "pobj")
    return sorted(out, key=lambda t: t.i)


def _modifier_places(s: Sent, trig: Token) -> tuple[list[Entity], set[URIRef]]:
    """Places named by a meeting noun's modifiers ('the Hanoi summit', 'Trump's Singapore
    talks'), and the states among them that were read as places. A lone state there names
    the venue only when it is also a place's name ('the Singapore talks'); otherwise it is
    a party ('the Japan talks')."""
    toks = [t for c in trig.children if c.dep_ in ("poss", "compound", "nmod") for t in c.subtree]
    ents = s.entities(toks, PLACE_CLASSES | ACTOR_CLASSES)
    places = [e for e in ents if e.cls in PLACE_CLASSES and e.cls != PEN.Region]
    states = [e for e in ents if e.cls == PEN.State]
    used: set[URIRef] = set()
    if len(states) == 1 and (city := s.linker.place(states[0].label)) is not None:
        places.append(city)
        used.add(states[0].iri)
    return places, used


def _phrase_places(s: Sent, trig: Token, verb: bool, kind: str) -> list[Entity]:
    """The places the place phrases around a meeting trigger name, in text order."""
    if verb:
        pobjs = prep_objects(trig, {"in", "at"})
        if trig.lemma_ in TRAVEL_VERBS | {"visit"}:
            # 'travel to Tokyo', 'visited Seoul': where the journey goes
            pobjs += [g for p in trig.children if p.dep_ == "prep" and p.lower_ == "to" for g in p.children]
            pobjs += [c for c in trig.children if c.dep_ == "dobj"]
    else:
        named = [g for g in prep_objects_direct(trig, {"with", "between"}) if g.dep_ in ("pobj", "conj")]
        pobjs = [
            g
            for c in [trig, trig.head, *named]
            for p in c.children
            if p.dep_ == "prep" and p.lower_ in ("in", "at")
            for g in p.children
            if g.dep_ == "pobj"
        ]
        going = _going_to(trig)
        if going is not None:
            pobjs += [g for p in going.children if p.dep_ == "prep" and p.lower_ == "to" for g in p.children]
    toks = [t for pobj in pobjs for t in _name_tokens(pobj)]
    out: list[Entity] = []
    for e in s.entities(toks, PLACE_CLASSES | {PEN.State}):
        written = _written(s, toks, e)
        place = event_place(e, s.linker, written) if kind in _PLACED else place_entity(e, s.linker)
        # A region ("the Indo-Pacific") is what talks are about, never where they sit.
        if place is not None and place.cls != PEN.Region and all(p.iri != place.iri for p in out):
            out.append(place)
    return out


def meeting_places(s: Sent, trig: Token, verb: bool, kind: str) -> tuple[list[Entity], set[URIRef]]:
    """Where the meeting a trigger tells took place, in text order, and the states named
    among a noun's modifiers that were read as its place (so not as its parties)."""
    places, used = ([], set()) if verb else _modifier_places(s, trig)
    places += [p for p in _phrase_places(s, trig, verb, kind) if all(p.iri != q.iri for q in places)]
    return places, used

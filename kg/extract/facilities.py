"""Military facilities, told by a name or a description, with where they are and what for.

A facility noun (``FACILITY_NOUNS``: base, site, station, complex, launch pad, reactor,
shipyard …) is a military facility when a word before it says so (``MILITARY_WORDS``: 'a
secret missile base', 'the launch site', 'a submarine base', 'North Korea's nuclear
complex'), when it is military by itself ('the reactor', 'a silo'), or when the phrase
names a known facility ('the Sohae satellite launching station'). Plurals ('military
sites'), negated ones ('has no submarine base') and other senses ('the party's support
base', 'the base of the mountain') are not facilities.

An unnamed facility gets one node per article, minted from the article's slug and its
description (``resource/place/<article>/<description>``, '-2' for a second facility of the
same description), so that two articles' 'missile base' never merge on their wording. A
definite mention ('the base', 'the facility', 'the missile base') refers back to the latest
facility whose words it repeats; a bare 'the base' to the latest facility.

Location: 'in/at/inside X', 'located/situated/built in X', 'the base is in X', or 'near X'
when X is a city or region (a base near a state's border is not in that state); nested
phrases lead to the place ('in an isolated mountain valley in Chagang province').
Purpose: 'intended/designed/used to V', 'used for X', 'a base to house missiles', 'a site
for launching satellites'.

It stays one module (over 400 lines): recognising a facility, minting its node, referring
back to it and reading its place and purpose are the steps of one finder over one article.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from spacy.tokens import Doc, Span, Token

from kg.extract.eventbase import PLACE_CLASSES
from kg.extract.link import fold
from kg.extract.mentions import ArticleMentions, sentence_span
from kg.extract.names import headline
from kg.extract.place_refs import LAND_PLACES
from kg.extract.weapons import phrase_text
from kg.facts import Attribute, Entity, TextSpan
from kg.namespaces import PEN, resource_iri

__all__ = [
    "FACILITY_NOUNS",
    "MILITARY_WORDS",
    "Facilities",
    "find_facilities",
]

FACILITY_NOUNS = {
    "base",
    "site",
    "facility",
    "station",
    "complex",
    "pad",
    "launchpad",
    "reactor",
    "shipyard",
    "dockyard",
    "silo",
    "plant",
    "installation",
    "depot",
    "garrison",
    "bunker",
    "airbase",
    "airfield",
}
# facility nouns that, after a known facility's name, name the whole of it
_WHOLE_NOUNS = {"site", "facility", "complex", "base", "station"}
# facility nouns that are military by themselves in this domain
_MILITARY_NOUNS = {"reactor", "silo", "launchpad", "airbase", "garrison", "bunker"}
MILITARY_WORDS = {
    "missile",
    "military",
    "nuclear",
    "launch",
    "launching",
    "rocket",
    "satellite",
    "test",
    "testing",
    "naval",
    "navy",
    "air",
    "army",
    "submarine",
    "enrichment",
    "uranium",
    "plutonium",
    "icbm",
    "artillery",
    "radar",
    "weapon",
    "weapons",
    "underground",
    "marine",
    "strategic",
    "engine",
    "firing",
    "munitions",
    "ammunition",
    "warhead",
    "troop",
    "defense",
    "defence",
}
# words before a facility noun that give it another sense ('nuclear power plant',
# 'the support base')
_CIVIL_WORDS = {"power", "support", "fan", "customer", "tax", "voter", "data", "web", "industrial"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_INDEFINITE_NO = {"no", "any", "every", "each"}
# where a facility lies
_IN_PREPS = {"in", "at", "inside", "within", "on"}
_NEAR_PREPS = {"near", "outside", "around"}
_FOUND = {"find", "discover", "spot", "detect", "identify", "locate"}
_SITUATED = {"situate", "lie", "sit", "base", "hide", "bury", "build", "construct", "place"} | _FOUND
_MADE = {"build", "construct", "establish", "dig", "develop"}
_BUILT = {
    "build",
    "construct",
    "establish",
    "dig",
    "operate",
    "maintain",
    "develop",
    "expand",
    "complete",
    "widen",
    "extend",
    "upgrade",
    "modernise",
    "modernize",
    "repair",
} | _FOUND
_BORDER_WORDS = {"border", "frontier", "boundary", "coast", "coastline", "shore"}
_NEAR_NOT = {PEN.WaterBody, PEN.Region}
# what a facility is for
_PURPOSE_VERBS = {"use", "intend", "design", "build", "mean", "construct", "dedicate", "develop", "equip"}
_WEAPON_WORDS = {"missile", "rocket", "icbm", "warhead", "weapon", "submarine", "satellite", "bomb"}


@dataclass
class Facilities:
    """An article's facilities: the attributes told of them and each of their mentions
    (entity, mention, whether it introduces the facility: a source telling of a facility
    claims that it exists)."""

    attributes: list[Attribute] = field(default_factory=list)
    told: list[tuple[Entity, TextSpan, bool]] = field(default_factory=list)

    def told_in(self, sent: Span) -> list[tuple[Entity, TextSpan]]:
        """The facilities whose existence or properties the sentence tells, each with the
        words that tell it (the mention that introduces it, the phrase of a property)."""
        out = [
            (entity, mention)
            for entity, mention, introduces in self.told
            if introduces and sent.start_char <= mention.begin < sent.end_char
        ]
        out += [
            (a.entity, a.span) for a in self.attributes if sent.start_char <= a.span.begin < sent.end_char
        ]
        return out


def _modifiers(head: Token) -> list[Token]:
    """The words before a noun that belong to its phrase, possessors included."""
    return [t for c in head.lefts for t in c.subtree]


def _own_modifiers(head: Token) -> list[Token]:
    """The modifiers of a noun without its possessor ('North Korea's') and determiners."""
    poss = {t.i for c in head.lefts if c.dep_ == "poss" for t in c.subtree}
    return [
        t for t in _modifiers(head) if t.i not in poss and t.dep_ not in ("det", "punct") and t.pos_ != "DET"
    ]


def _names_whole(head: Token, facility: Entity) -> bool:
    """Whether a facility noun after a known facility's name names that facility ('the
    Punggye-ri test site', 'the Sohae station') rather than a part of it ('the Yongbyon
    reactor', 'the Sohae launch pad')."""
    return fold(head.lemma_) in set(fold(facility.label).split()) | _WHOLE_NOUNS


def _is_military(head: Token, mods: list[Token]) -> bool:
    words = {t.lemma_.lower() for t in mods} | {t.lower_ for t in mods}
    if words & _CIVIL_WORDS:
        return False
    return bool(words & MILITARY_WORDS) or head.lemma_.lower() in _MILITARY_NOUNS


def _negated(head: Token) -> bool:
    if any(c.dep_ == "det" and c.lower_ in _INDEFINITE_NO for c in head.children):
        return True
    verb = head.head
    return head.dep_ in ("dobj", "nsubj", "nsubjpass") and any(c.dep_ == "neg" for c in verb.children)


def _description(head: Token) -> str:
    """The words that describe an unnamed facility: its modifiers and head, without
    determiners, possessors and numbers ('a secret missile base' → 'secret missile base')."""
    words = [t for t in _own_modifiers(head) if t.dep_ != "nummod" and t.ent_type_ != "ORDINAL"]
    text, _, _ = phrase_text([*words, head])
    return text


def _place_in(
    pobj: Token, mentions: ArticleMentions, near: bool, facility: URIRef, depth: int = 0
) -> Entity | None:
    """The place a prepositional object names, directly or through the phrases nested in
    it ('an isolated mountain valley in Chagang province' → Chagang)."""
    if depth > 3:
        return None
    m = mentions.at(pobj)
    if m is not None and m.entity.iri != facility and m.entity.cls in PLACE_CLASSES | {PEN.State}:
        if near and (m.entity.cls in _NEAR_NOT or m.entity.cls == PEN.State):
            return None  # near a sea or a state is not in it
        return m.entity
    if pobj.lemma_.lower() in _BORDER_WORDS:
        return None  # 'near its border with China' is not in China
    for c in pobj.children:
        if c.dep_ == "compound" and (cm := mentions.at(c)) is not None and cm.entity.cls in PLACE_CLASSES:
            return cm.entity
        if c.dep_ == "prep" and c.lower_ in ("in", "of", "on"):
            for g in c.children:
                if (
                    g.dep_ == "pobj"
                    and (found := _place_in(g, mentions, near, facility, depth + 1)) is not None
                ):
                    return found
    return None


def _location(head: Token, mentions: ArticleMentions, facility: URIRef) -> tuple[Entity, list[Token]] | None:
    preps = [c for c in head.children if c.dep_ == "prep"]
    for c in head.children:
        if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in _SITUATED:
            preps += [g for g in c.children if g.dep_ == "prep"]
    verb = head.head
    lemma = verb.lemma_.lower()
    # 'the base is (located) in X'; 'built a base in X'
    subject_of = head.dep_ in ("nsubj", "nsubjpass") and (lemma in _SITUATED or lemma == "be")
    if subject_of or (head.dep_ == "dobj" and lemma in _BUILT):
        preps += [g for g in verb.children if g.dep_ == "prep"]
    for p in preps:
        low = p.lower_
        if low not in _IN_PREPS | _NEAR_PREPS:
            continue
        for pobj in p.children:
            if pobj.dep_ != "pobj":
                continue
            place = _place_in(pobj, mentions, low in _NEAR_PREPS, facility)
            if place is not None:
                return place, list(p.subtree)
    for t in _modifiers(head):
        # 'the Chagang missile base', "Sohae's new launch pad": a place (not a state, whose
        # bases may lie abroad) named before the noun
        m = mentions.at(t)
        if m is not None and m.entity.iri != facility and m.entity.cls in LAND_PLACES:
            return m.entity, [t]
    where = next((c for c in verb.children if c.dep_ == "advmod" and c.lower_ == "where"), None)
    if (subject_of or head.dep_ == "dobj") and verb.dep_ == "relcl" and where is not None:
        # 'the Sohae station on the west coast, where engineers built a new pad': 'where'
        # is the land place named last before it
        before = [
            m
            for m in mentions.mentions
            if head.sent.start_char <= m.span.begin < where.idx
            and m.entity.cls in LAND_PLACES
            and m.entity.iri != facility
        ]
        if before:
            return max(before, key=lambda m: m.span.begin).entity, [where]
    return None


def _purpose_clause(verb: Token) -> list[Token] | None:
    for c in verb.children:
        if c.dep_ in ("xcomp", "advcl") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            return list(c.subtree)
        if c.dep_ == "prep" and c.lower_ in ("for", "as"):
            return list(c.subtree)
    return None


def _purpose(head: Token) -> list[Token] | None:
    """What the facility is for: 'intended to contain ...', 'used for ...', 'a base to
    house missiles', 'a site for launching satellites'."""
    for c in head.children:
        if c.dep_ in ("acl", "relcl"):
            if c.lemma_.lower() in _PURPOSE_VERBS and (found := _purpose_clause(c)) is not None:
                return found
            if any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) and c.lemma_ != "be":
                return list(c.subtree)
        if c.dep_ == "prep" and c.lower_ == "for":
            words = {t.lemma_.lower() for t in c.subtree}
            if any(g.dep_ == "pcomp" and g.tag_ == "VBG" for g in c.children) or words & _WEAPON_WORDS:
                return list(c.subtree)
    verb = head.head
    if head.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() in _PURPOSE_VERBS:
        return _purpose_clause(verb)
    if head.dep_ == "dobj" and verb.lemma_.lower() in _MADE:
        # 'built a base to house missiles': what it was built for
        for c in verb.children:
            if c.dep_ in ("advcl", "xcomp") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                return list(c.subtree)
    return None


class _Finder:
    def __init__(self, doc: Doc, mentions: ArticleMentions, slug: str, base: str) -> None:
        self.doc, self.mentions, self.slug, self.base = doc, mentions, slug, base
        self.minted: list[Entity] = []
        self.out = Facilities()

    def mint(self, description: str) -> Entity:
        """A new facility entity for ``description``, with an IRI no facility of this article has yet."""
        first = resource_iri("place", self.slug, description, base=self.base)
        iri, n = first, 1
        while any(e.iri == iri for e in self.minted):
            n += 1
            iri = URIRef(f"{first}-{n}")
        return Entity(iri=iri, cls=PEN.MilitaryFacility, label=description, minted=True)

    def refer_back(self, head: Token, *, anywhere: bool = False) -> Entity | None:
        """The facility told last before a definite mention whose name or description holds
        the mention's words ('the missile base' → 'secret missile base', 'the test site' →
        'Punggye-ri nuclear test site'); a bare 'the base' or 'the facility' → the latest
        of all, while 'the reactor' needs a reactor."""
        words = {fold(t.text) for t in _own_modifiers(head)} - {""}
        told = [
            m
            for m in self.mentions.mentions
            if m.entity.cls == PEN.MilitaryFacility and (anywhere or m.span.begin < head.idx)
        ]
        for m in sorted(told, key=lambda m: m.span.begin, reverse=True):
            if _names_whole(head, m.entity) and words <= set(fold(m.entity.label).split()):
                return m.entity
        return None

    def facility_at(
        self, head: Token, summary: bool = False
    ) -> tuple[Entity, TextSpan, Span | None, bool] | None:
        """The facility a facility noun tells: the entity, its mention, the words of a
        mention to add (None when a linked name already denotes it), and whether this
        mention introduces it. In a ``summary`` (the headline, read after the body) even an
        indefinite noun refers to the facility the body tells in the same words."""
        named = self.mentions.at(head)
        if named is not None:  # a name ending in the noun ('Osan Air Base')
            return (
                (named.entity, named.span, None, False) if named.entity.cls == PEN.MilitaryFacility else None
            )
        mods, own = _modifiers(head), _own_modifiers(head)
        for t in own:
            m = self.mentions.at(t)
            if m is not None and m.entity.cls == PEN.MilitaryFacility and _names_whole(head, m.entity):
                return m.entity, m.span, None, False  # 'the Sohae satellite launching station'
        span = self.doc[min([t.i for t in own] + [head.i]) : head.i + 1]
        sb, se = sentence_span(head.sent)
        mention = TextSpan(span.start_char, span.end_char, sb, se)
        # 'Camp Humphreys, the largest U.S. military base overseas': an appositive is the
        # facility it stands beside
        beside = [head.head] if head.dep_ == "appos" else []
        beside += [c for c in head.children if c.dep_ == "appos"]
        for t in beside:
            m = self.mentions.at(t)
            if m is not None and m.entity.cls == PEN.MilitaryFacility:
                return m.entity, mention, span, False
        if head.tag_ not in ("NN", "NNP") or _negated(head):
            return None
        military = _is_military(head, mods)
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children) and not military:
            return None  # 'the base of the mountain'
        det = {c.lower_ for c in head.children if c.dep_ == "det"}
        if summary or det & _DEFINITE or any(c.dep_ == "poss" for c in head.children):
            back = self.refer_back(head, anywhere=summary)
            if back is not None:
                return back, mention, span, False
        if not military:
            return None
        entity = self.mint(_description(head))
        self.minted.append(entity)
        return entity, mention, span, True

    def sentence(self, sent: Span, summary: bool = False) -> None:
        """Finds the facilities one sentence names or describes, with what it says of them."""
        sb, se = sentence_span(sent)
        for head in sent:
            if head.pos_ not in ("NOUN", "PROPN") or head.lemma_.lower() not in FACILITY_NOUNS:
                continue
            found = self.facility_at(head, summary)
            if found is None:
                continue
            entity, mention, words, introduces = found
            if words is not None:
                # the words no other mention holds ('reactor' of 'the Yongbyon reactor')
                free = [t.i for t in words if self.mentions.at(t) is not None]
                start = max(free) + 1 if free else words.start
                if start <= head.i:
                    self.mentions.add(self.doc[start : head.i + 1], entity, "described", "FAC")
            self.out.told.append((entity, mention, introduces))
            located = _location(head, self.mentions, entity.iri)
            if located is not None:
                place, told = located
                self.attribute(entity, "locatedIn", place, mention, told, sb, se)
                self.mentions.located_in.setdefault(entity.iri, place)
            purpose = _purpose(head)
            if purpose is not None:
                text, _, _ = phrase_text(purpose)
                if text:
                    self.attribute(entity, "purpose", text, mention, purpose, sb, se)

    def attribute(
        self,
        entity: Entity,
        prop: str,
        value: Entity | str,
        mention: TextSpan,
        words: list[Token],
        sb: int,
        se: int,
    ) -> None:
        """Records one thing the text says of a facility: where it is, what it is for, which weapon it serves."""
        if any(
            a.entity.iri == entity.iri and a.prop == prop and a.value == value for a in self.out.attributes
        ):
            return
        _, begin, end = phrase_text(words)
        self.out.attributes.append(Attribute(entity, prop, value, mention, TextSpan(begin, end, sb, se)))


def find_facilities(
    doc: Doc, mentions: ArticleMentions, slug: str, base: str, body_start: int = 0
) -> Facilities:
    """The military facilities of an article, in text order: their mentions are added to
    ``mentions`` (and where each lies to ``mentions.located_in``); returns what the article
    tells of them. The article's headline (before ``body_start``) is read after the body,
    as a summary of it; title-case lines are skipped: their case hides descriptions."""
    finder = _Finder(doc, mentions, slug, base)
    sents = [s for s in doc.sents if s.start_char >= body_start]
    sents += [s for s in doc.sents if s.start_char < body_start]
    for sent in sents:
        if sent.text.strip() and not headline(sent):
            finder.sentence(sent, summary=sent.start_char < body_start)
    mentions.mentions.sort(key=lambda m: m.span.begin)
    return finder.out

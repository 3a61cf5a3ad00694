"""What a sentence tells of a weapon system itself: its range and what it can do.

- range: 'a range of N km' ('a Hwasong-12, with a range of 4,500 km', 'the missile has a
  range of up to 1,000 miles'), 'an N-km-range missile', or a distance it can cover ('can
  fly 13,000 km', 'capable of travelling 5,000 km');
- capability: 'capable of hitting Guam', 'able to reach the US mainland', 'can strike
  Seoul', 'a range that could reach the entire US mainland'.

The words are attached to the weapon system they describe: the linked system named in the
noun phrase they modify (its compounds, appositives, or the missile of a launch: 'the
launch of a Hwasong-12, with a range of ...'), else the subject of the clause ('the
Hwasong-12 has a range of ...', '... which can hit Guam'). A distance a missile flew in a
launch ('it flew 950 km') tells of the launch, not of the system, and stays with
:mod:`kg.extract.launches`; so do ranges of missiles no linked system names.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.extract.measures import distances_in
from kg.extract.mentions import ArticleMentions, sentence_span
from kg.facts import Attribute, Entity, TextSpan
from kg.namespaces import PEN

__all__ = ["phrase_text", "system_ranges", "weapon_attributes"]

# verbs of covering a distance: 'can fly 13,000 km'
_DISTANCE_VERBS = {"fly", "travel", "cover", "reach"}
# verbs of what a weapon can do: 'can hit Guam'
_CAPABILITY_VERBS = {
    "hit",
    "strike",
    "reach",
    "carry",
    "target",
    "deliver",
    "penetrate",
    "evade",
    "destroy",
    "hold",
    "threaten",
    "cover",
}
_ABLE_MODALS = {"can", "could"}
_LAUNCH_NOUNS = {"launch", "launching", "test", "testing", "firing"}
_LAUNCH_VERBS = {"fire", "launch", "test", "shoot", "test-fire"}
_NP_DEPS = ("compound", "nmod", "appos", "amod")
_QUOTES = {'"', "“", "”", "'", "‘", "’", "``", "''"}


def phrase_text(tokens: list[Token]) -> tuple[str, int, int]:
    """The words of ``tokens`` as written, without quotation marks or trailing
    punctuation, and their character bounds."""
    toks = sorted((t for t in tokens if t.text not in _QUOTES and not t.is_space), key=lambda t: t.i)
    while toks and toks[-1].is_punct:
        toks.pop()
    if not toks:
        return "", 0, 0
    text = "".join(t.text + (t.whitespace_ if k < len(toks) - 1 else "") for k, t in enumerate(toks))
    return re.sub(r"\s+", " ", text), toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _system_at(tok: Token, mentions: ArticleMentions) -> Token | None:
    m = mentions.at(tok)
    return tok if m is not None and m.entity.cls == PEN.WeaponSystem else None


def _system_in_phrase(noun: Token, mentions: ArticleMentions, depth: int = 0) -> Token | None:
    """The token of the linked weapon system a noun phrase names: the noun itself, a
    modifier or appositive of it ('a Hwasong-12 missile', 'the missile, a Hwasong-17'), or
    the missile of a launch noun ('the launching of a Hwansong 12')."""
    if depth > 3:
        return None
    found = _system_at(noun, mentions)
    if found is not None:
        return found
    for c in noun.children:
        if c.dep_ in _NP_DEPS or c.dep_ == "nummod":
            found = _system_at(c, mentions) or (
                _system_in_phrase(c, mentions, depth + 1) if c.dep_ in ("compound", "nmod", "appos") else None
            )
            if found is not None:
                return found
        if c.dep_ == "prep" and c.lower_ == "of" and noun.lemma_.lower() in _LAUNCH_NOUNS:
            for g in c.children:
                if g.dep_ == "pobj" and (found := _system_in_phrase(g, mentions, depth + 1)) is not None:
                    return found
    return None


def _system_of(tok: Token, mentions: ArticleMentions) -> Token | None:
    """The linked weapon system the words at ``tok`` describe: climbing from them to the
    noun phrase they modify, or through a verb ('has a range', 'can hit') to its subject;
    a relative clause leads to the noun it qualifies."""
    cur = tok
    for _ in range(8):
        if cur.pos_ in ("NOUN", "PROPN", "PRON"):
            found = _system_in_phrase(cur, mentions)
            if found is not None:
                return found
        if cur.pos_ in ("VERB", "AUX"):
            for c in cur.children:
                if c.dep_ in ("nsubj", "nsubjpass") and (found := _system_in_phrase(c, mentions)) is not None:
                    return found
            if cur.lemma_.lower() in _LAUNCH_VERBS:
                for c in cur.children:
                    if c.dep_ == "dobj" and (found := _system_in_phrase(c, mentions)) is not None:
                        return found
            if cur.dep_ not in ("relcl", "acl", "xcomp", "conj") and cur.tag_ != "VBG":
                return None  # the clause ends: its subject was not a weapon system
        if cur.head is cur:
            return None
        cur = cur.head
    return None


def _able(verb: Token) -> bool:
    """Whether a verb tells what something can do: 'can fly', 'could reach', 'capable of
    flying', 'able to strike' (and not 'cannot')."""
    if any(c.dep_ == "neg" for c in verb.children):
        return False
    if any(c.dep_ == "aux" and c.lower_ in _ABLE_MODALS for c in verb.children):
        return True
    head = verb.head
    if verb.dep_ == "pcomp" and head.lower_ == "of" and head.head.lemma_.lower() == "capable":
        return not any(c.dep_ == "neg" for c in head.head.head.children)
    return verb.dep_ == "xcomp" and head.lemma_.lower() == "able"


def _range_word(unit: Token) -> Token | None:
    """The word that makes a distance a range: 'range' governing it ('a range of 4,500 km',
    'a range of up to 1,000 km') or right after it ('a 1,000-km-range missile'), or a verb
    of covering a distance that tells what the weapon can do ('can fly 13,000 km')."""
    cur = unit
    for _ in range(4):
        if cur.lemma_.lower() == "range" and cur.pos_ == "NOUN":
            return cur
        if cur.pos_ == "VERB":
            return cur if cur.lemma_.lower() in _DISTANCE_VERBS and _able(cur) else None
        if cur.head is cur:
            break
        cur = cur.head
    doc = unit.doc
    k = unit.i + 1
    while k < len(doc) and doc[k].text == "-":
        k += 1
    if k < len(doc) and doc[k].lower_ == "range":
        return doc[k]
    return None


def system_ranges(sent: Span, mentions: ArticleMentions) -> list[tuple[Token, float, int, int]]:
    """The ranges of weapon systems a sentence tells: (the system's token, km, and the
    characters of the distance)."""
    out: list[tuple[Token, float, int, int]] = []
    doc = sent.doc
    for d in distances_in(sent.text):
        begin, end = sent.start_char + d.begin, sent.start_char + d.end
        span = doc.char_span(begin, end, alignment_mode="expand")
        if span is None:
            continue
        unit = next((t for t in span if not t.like_num and t.is_alpha), span.root)
        word = _range_word(unit)
        if word is None:
            continue
        system = _system_of(word, mentions)
        if system is not None:
            out.append((system, d.km, begin, end))
    return out


def _capabilities(sent: Span) -> list[tuple[Token, list[Token]]]:
    """The phrases of a sentence that tell what something can do, each with the word
    they hang on ('capable', 'able', or the verb after 'can')."""
    out: list[tuple[Token, list[Token]]] = []
    for t in sent:
        low = t.lemma_.lower()
        if low == "capable" and t.pos_ == "ADJ":
            of = [c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"]
            if of and not any(c.dep_ == "neg" for c in t.head.children):
                out.append((t, [t, *of[0].subtree]))
        elif low == "able" and t.pos_ == "ADJ":
            xcomp = [c for c in t.children if c.dep_ == "xcomp"]
            if xcomp and not any(c.dep_ == "neg" for c in t.head.children):
                out.append((t, [t, *xcomp[0].subtree]))
        elif t.pos_ == "VERB" and low in _CAPABILITY_VERBS and t.dep_ not in ("pcomp", "xcomp"):
            modal = [c for c in t.children if c.dep_ == "aux" and c.lower_ in _ABLE_MODALS]
            if modal and not any(c.dep_ == "neg" for c in t.children):
                subj = {g.i for c in t.children if c.dep_ in ("nsubj", "nsubjpass") for g in c.subtree}
                out.append((t, [g for g in t.subtree if g.i not in subj and g.i >= modal[0].i]))
    return out


def weapon_attributes(sent: Span, mentions: ArticleMentions) -> list[Attribute]:
    """The ranges and capabilities a sentence tells of linked weapon systems."""
    sb, se = sentence_span(sent)
    out: list[Attribute] = []

    def add(system: Token, prop: str, value: str | float, begin: int, end: int) -> None:
        m = mentions.at(system)
        if m is None:
            return
        entity: Entity = m.entity
        if any(a.entity.iri == entity.iri and a.prop == prop and a.value == value for a in out):
            return
        out.append(Attribute(entity, prop, value, m.span, TextSpan(begin, end, sb, se)))

    ranged: set[int] = set()
    for system, km, begin, end in system_ranges(sent, mentions):
        add(system, "rangeKm", km, begin, end)
        ranged.add(begin)
    for anchor, phrase in _capabilities(sent):
        text, begin, end = phrase_text(phrase)
        if not text:
            continue
        if any(begin <= b < end for b in ranged) and not any(
            t.lemma_.lower() in _CAPABILITY_VERBS - _DISTANCE_VERBS for t in phrase
        ):
            continue  # 'capable of flying 5,000 km' is the range, told above
        owner = _system_of(anchor, mentions)
        if owner is not None:
            add(owner, "capability", text, begin, end)
    return out

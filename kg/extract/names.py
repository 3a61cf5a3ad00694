"""Rules on the shape of names: which spans of an annotated article are proper names,
and of what.

A person's name split by the model is rejoined; a title word before a name makes it a
person's; a capitalised word before a gazetteer name extends it into another name
('National' + 'Security Council'); a name that modifies an event noun ('Freedom Shield
exercise') names the event; a name before a place noun ('Capella hotel') is that place; a
capital may stand for its state ('Pyongyang launched'); a phrase whose content words are
not all capitalised is a description, not a name.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from kg.extract.bodies import state_of_ent
from kg.extract.link import Linker

__all__ = [
    "COMMON_TITLES",
    "NOT_NAMES",
    "TITLE_WORDS",
    "WEAPON_SHAPE",
    "extend_person",
    "fix_the_names",
    "headline",
    "is_metonymic",
    "is_proper_name",
    "merge_name_prefix",
    "names_event",
    "place_name",
    "title_before",
]

# Words that, right before a name, say the name is a person's.
# Words of titles both before a name ('Foreign Minister Hayashi') and at the end of a
# title ('foreign minister'); kg.extract.posts builds its TITLE_HEADS from them too.
COMMON_TITLES = {
    "president",
    "minister",
    "secretary",
    "leader",
    "chairman",
    "premier",
    "ambassador",
    "envoy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "general",
    "admiral",
    "commander",
    "chief",
    "director",
    "representative",
    "king",
    "counterpart",
}
TITLE_WORDS = COMMON_TITLES | {
    "gen",
    "adm",
    "senator",
    "sen",
    "rep",
    "lawmaker",
    "analyst",
    "professor",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prime",
    "sister",
}

# Words that alone are never an entity even when the model tags them (pieces of titles).
NOT_NAMES = {"state", "defence", "defense", "treasury", "foreign", "affairs", "north", "south"}

# Nouns of events: a name modifying one names the event ('the Freedom Shield exercise',
# 'the Asia-Pacific summit'), not a place or organisation.
_EVENT_NOUNS = {
    "exercise",
    "drill",
    "summit",
    "conference",
    "forum",
    "games",
    "operation",
    "war",
    "talks",
    "dialogue",
    "meeting",
    "festival",
    "ceremony",
    "olympics",
    "olympic",
    "game",
    "cup",
    "expo",
}
# Nouns of places and buildings: a name before one is that place ('the Capella hotel').
_PLACE_NOUNS = {
    "hotel",
    "airport",
    "palace",
    "hall",
    "stadium",
    "square",
    "bridge",
    "village",
    "harbour",
    "harbor",
    "airfield",
    "resort",
    "compound",
    "mansion",
    "guesthouse",
    "villa",
    "museum",
    "tower",
}
# Nouns of parts of a city: 'the Sunan area of Pyongyang' is the city, not the state.
_CITY_PART_NOUNS = {
    "area",
    "district",
    "outskirts",
    "suburb",
    "suburbs",
    "centre",
    "center",
    "street",
    "streets",
}
# Nouns of people a capital locates when it stands for the government: 'officials in Seoul'.
_PEOPLE_NOUNS = {
    "official",
    "diplomat",
    "authority",
    "leader",
    "government",
    "lawmaker",
    "policymaker",
    "source",
    "counterpart",
    "spokesman",
    "spokeswoman",
    "spokesperson",
}
# Words of a proper name that may stay lower case ('Ministry of Foreign Affairs').
_NAME_FUNCTION_WORDS = {
    "of",
    "the",
    "and",
    "for",
    "on",
    "in",
    "de",
    "la",
    "du",
    "von",
    "van",
    "al",
    "bin",
    "'s",
    "’s",
    "-",
    "&",
}
_LOCATIVE_PREPS = {"in", "at", "near", "into", "outside", "around", "across", "over", "inside"}
_VISIT_LEMMAS = {"visit", "travel", "arrive", "reach", "fly", "tour", "land"}

WEAPON_SHAPE = re.compile(r"\b([A-Z][a-z]{3,}(?:[- ][A-Z][a-z]+)?)[- ]?(\d{1,2}[A-Z]?)\b")


def extend_person(span: Span, taken: set[int]) -> Span:
    """Rejoin a name the model split ('Choe Son' + 'Hui'): following proper nouns in the
    same compound that no other entity claims."""
    doc = span.doc
    end = span.end
    while (
        end < len(doc)
        and doc[end].pos_ == "PROPN"
        and doc[end].text[:1].isupper()
        and end not in taken
        and not doc[end].ent_id_
        and doc[end].ent_type_ in ("", "NORP", "PERSON")
        and doc[end - 1].whitespace_
    ):
        end += 1
    return doc[span.start : end]


def title_before(span: Span) -> bool:
    """Whether a title word ('Minister', 'Gen.') stands just before ``span``."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].is_punct and doc[i].text in (".", ","):
        i -= 1
    return i >= 0 and doc[i].lower_.rstrip(".") in TITLE_WORDS


def is_metonymic(span: Span) -> bool:
    """Whether a capital's name stands for its state here ('Pyongyang launched',
    'Washington's efforts', 'officials in Seoul', 'influence over Pyongyang') rather than
    for the city ('talks in Pyongyang', 'Pyongyang's Sunan airport', 'the Sunan area of
    Pyongyang')."""
    head = span.root
    doc = span.doc
    nxt = doc[head.i + 1] if head.i + 1 < len(doc) else head
    if head.dep_ == "compound" and {head.head.lemma_.lower(), nxt.lemma_.lower()} & (
        _EVENT_NOUNS | {"visit"}
    ):
        return False  # 'the Hanoi summit', 'the Beijing Olympics'
    if head.dep_ == "poss":
        owned = head.head  # 'Pyongyang's Sunan airport' is the city's
        return not (
            owned.lemma_ in _PLACE_NOUNS | _CITY_PART_NOUNS
            or owned.lower_ in _CITY_PART_NOUNS
            or owned.ent_type_ in ("FAC", "LOC")
        )
    if head.dep_ == "pobj":
        prep = head.head
        governor = prep.head
        if prep.lower_ == "of" and (
            governor.lemma_ in _CITY_PART_NOUNS or governor.lower_ in _CITY_PART_NOUNS
        ):
            return False  # 'the Sunan area of Pyongyang'
        if prep.lower_ in _LOCATIVE_PREPS:
            # 'officials in Seoul'; 'influence over Pyongyang'
            return (governor.pos_ in ("NOUN", "PROPN") and governor.lemma_ in _PEOPLE_NOUNS) or (
                prep.lower_ == "over" and governor.pos_ == "NOUN"
            )
        if prep.dep_ == "prep" and governor.lemma_ in _VISIT_LEMMAS:
            return False
    if head.dep_ == "dobj" and head.head.lemma_ in _VISIT_LEMMAS:
        return False
    return not (head.i > 0 and doc[head.i - 1].lower_ in _LOCATIVE_PREPS and head.dep_ != "nsubj")


def fix_the_names(doc: Doc, linker: Linker) -> None:
    """'The South' + 'Korean': a gazetteer match of a metonym with its article ('the
    South') that is really the start of a longer name or demonym gives way to it."""
    ents = list(doc.ents)
    changed = False
    for k, ent in enumerate(ents):
        if ent[0].lower_ != "the" or len(ent) != 2 or ent.end >= len(doc):
            continue
        nxt = doc[ent.end]
        if not nxt.is_title:
            continue
        name = f"{ent[1].text} {nxt.text}"
        state = linker.demonym(name)
        label = "NORP"
        if state is None:
            state, label = linker.exact(name), "GPE"
        if state is None:
            continue
        ents[k] = Span(doc, ent.start + 1, ent.end + 1, label=label, span_id=str(state.iri))
        changed = True
    if changed:
        kept: list[Span] = []
        for e in sorted(ents, key=lambda e: (e.start, -len(e))):
            if kept and e.start < kept[-1].end:
                continue
            kept.append(e)
        doc.ents = kept


def _name_word(t: Token) -> bool:
    """A capitalised word that may continue or begin a name (not a title, not a known
    name, not a date)."""
    return (
        t.text[:1].isupper()
        and t.is_alpha
        and t.pos_ in ("PROPN", "ADJ", "NOUN")
        and not t.ent_id_
        and t.ent_type_ not in ("DATE", "TIME", "PERSON", "NORP", "CARDINAL", "ORDINAL")
        and t.lower_ not in TITLE_WORDS
    )


def merge_name_prefix(doc: Doc, linker: Linker) -> None:
    """Longer names around gazetteer names: capitalised words right before a gazetteer
    organisation that modify it ('National' + 'Security Council'), or right after a
    gazetteer place that modifies them ('the Pacific' + 'Vanguard', 'Seoul' + 'National
    University'), make another name, linked or minted as a whole (an organisation), never
    as the shorter name inside it."""
    ents = list(doc.ents)
    merged: list[Span] = []
    for ent in ents:
        if not ent.ent_id_:
            continue
        if ent.label_ == "ORG" and ent[0].lower_ != "the":
            start = ent.start
            while start > 0:
                t = doc[start - 1]
                if not (
                    _name_word(t)
                    and t.dep_ in ("compound", "amod")
                    and start <= t.head.i < ent.end
                    and (not t.is_sent_start or t.pos_ == "PROPN")
                ):
                    break
                start -= 1
            if start < ent.start:
                merged.append(Span(doc, start, ent.end, label="ORG"))
        elif (
            ent.label_ in ("GPE", "LOC", "FAC")
            and ent[-1].dep_ == "compound"
            and state_of_ent(ent, linker, possessive=False) is None  # states: see bodies
        ):
            head = ent[-1].head.i
            end = ent.end
            while end <= head and _name_word(doc[end]) and doc[end].pos_ == "PROPN":
                end += 1
            if end > ent.end and end - 1 == head:
                start = ent.start + 1 if ent[0].lower_ == "the" else ent.start
                merged.append(Span(doc, start, end, label="ORG"))
    if merged:
        # the longer names win; an entity overlapping one ('the National') gives way
        kept = list(merged)
        for e in ents:
            if not any(e.start < m.end and m.start < e.end for m in kept):
                kept.append(e)
        doc.ents = sorted(kept, key=lambda e: e.start)
        for span in merged:
            for t in span:
                t.ent_id_ = ""  # the shorter name's id does not belong to the longer name


def place_name(span: Span) -> Span | None:
    """'the Capella hotel': a name the model tagged (often as a person) right before a
    noun of places that it modifies is the name of that place."""
    doc = span.doc
    if span.end >= len(doc) or span.ent_id_:
        return None
    nxt = doc[span.end]
    if nxt.is_lower and nxt.lemma_ in _PLACE_NOUNS and span.root.head.i == nxt.i:
        return doc[span.start : span.end + 1]
    return None


def names_event(span: Span) -> bool:
    """Whether a name is an event's: it modifies an event noun ('the Freedom Shield
    exercise') or ends in one ('the Beijing Winter Olympics'; while 'the Hanoi summit',
    lower case, is a summit described by its place)."""
    doc = span.doc
    return (span.end < len(doc) and doc[span.end].lemma_.lower() in _EVENT_NOUNS) or span[
        -1
    ].lemma_.lower() in _EVENT_NOUNS


def is_proper_name(span: Span, place_head: bool = False) -> bool:
    """Whether every content word of a span is capitalised (or a number): a name, not a
    description ('the west coast', 'International security council'). ``place_head``
    allows a lower-case place noun at the end ('Capella hotel')."""
    words = [t for t in span if not t.is_punct and not t.is_space and t.lower_ not in _NAME_FUNCTION_WORDS]
    if place_head and words and words[-1].lemma_ in _PLACE_NOUNS:
        words = words[:-1]

    def capitalised(t: Token) -> bool:
        if t.text[:1].isupper() or any(c.isdigit() for c in t.text):
            return True
        # the second part of a hyphenated word ('Min-soo', 'Chung Eui-yong')
        return t.i > 1 and t.doc[t.i - 1].text == "-" and not t.doc[t.i - 2].whitespace_

    return bool(words) and all(capitalised(t) for t in words)


def headline(sent: Span) -> bool:
    """A title-case line without closing punctuation: a headline or section heading."""
    text = sent.text.strip()
    if text[-1:] in (".", "!", "?", '"', "”", "'", "’"):
        return False
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 4 and sum(t.is_title for t in words) / len(words) > 0.7

"""Entity mentions of one annotated article, each linked to one entity.

Starts from the spaCy entities (gazetteer and statistical NER) and corrects them by
general rules: a person's name split by the model is rejoined; a title word before a name
makes it a person whatever the model said; a state's body ('South Korea's Defence
Ministry', 'the South Korean Joint Chiefs of Staff') becomes one mention of that body;
weapon designations the gazetteer missed (a misspelt 'Hwansong 12') are found by shape and
matched fuzzily; a capital that stands for its state is linked to the state.

Only proper names are minted: a phrase whose content words are not all capitalised ('the
west coast', 'International security council') is a description, linked to an
organisation named before when its head words repeat that name's ('security council'),
else left out. A capitalised word before a gazetteer name extends it into another name
('National' + 'Security Council'). A name that modifies an event noun ('Freedom Shield
exercise') names the event, not a place. A name before a place noun ('Capella hotel') is
that place. A state named inside a longer name ('Japan's Defense Ministry', 'Japan's
exclusive economic zone') is also a mention of the state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef
from spacy.tokens import Doc, Span, Token

from kg.extract.types import Entity, LinkedMention, TextSpan
from kg.link import ArticleLinker, Linker, fold, place_class
from kg.namespaces import PEN

__all__ = [
    "TITLE_WORDS",
    "ArticleMentions",
    "find_mentions",
    "sentence_span",
    "text_span",
]

_KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WEAPON"}

# Words that, right before a name, say the name is a person's.
TITLE_WORDS = {
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
    "gen",
    "admiral",
    "adm",
    "senator",
    "sen",
    "rep",
    "representative",
    "lawmaker",
    "analyst",
    "professor",
    "director",
    "commander",
    "chief",
    "mr",
    "mrs",
    "ms",
    "dr",
    "king",
    "prime",
    "sister",
    "counterpart",
}

# Words that alone are never an entity even when the model tags them (pieces of titles).
_NOT_NAMES = {"state", "defence", "defense", "treasury", "foreign", "affairs", "north", "south"}

# Head words of a state's body: 'Defence Ministry', 'Joint Chiefs of Staff', 'military'.
BODY_HEADS = {
    "ministry",
    "department",
    "office",
    "agency",
    "council",
    "command",
    "staff",
    "military",
    "army",
    "navy",
    "force",
    "forces",
    "government",
    "cabinet",
    "service",
    "committee",
    "commission",
    "guard",
    "assembly",
    "parliament",
    "congress",
    "administration",
    "embassy",
}
# Heads of a body's proper name besides BODY_HEADS ('U.S. Geological Survey').
_NAME_HEADS = {
    "survey",
    "bureau",
    "institute",
    "center",
    "centre",
    "corps",
    "police",
    "authority",
    "board",
    "court",
    "bank",
}
_LOWER_BODY_HEADS = {"military", "government", "army", "navy", "forces", "administration"}
# Lower-case bodies told by description after a state's possessive or 'its': 'the North's
# foreign ministry', 'South Korea's weather agency', 'its defence ministry'.
_DESCRIBED_BODY_HEADS = {"ministry", "agency", "department", "office", "service", "military", "army", "navy"}
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

_WEAPON_SHAPE = re.compile(r"\b([A-Z][a-z]{3,}(?:[- ][A-Z][a-z]+)?)[- ]?(\d{1,2}[A-Z]?)\b")


def sentence_span(sent: Span) -> tuple[int, int]:
    """Character bounds of a sentence without its leading and trailing white space."""
    text = sent.text
    begin = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.end_char - (len(text) - len(text.rstrip()))
    return begin, max(begin, end)


def text_span(doc: Doc, begin: int, end: int) -> TextSpan:
    """A TextSpan for characters ``begin:end`` of ``doc``, with its sentence's bounds."""
    span = doc.char_span(begin, end, alignment_mode="expand")
    sent = span.sent if span is not None else doc[0].sent
    sb, se = sentence_span(sent)
    return TextSpan(begin, end, sb, se)


@dataclass
class ArticleMentions:
    """The linked mentions of one article, with an index from tokens to mentions."""

    doc: Doc
    mentions: list[LinkedMention] = field(default_factory=list)
    by_token: dict[int, LinkedMention] = field(default_factory=dict)

    def add(self, span: Span, entity: Entity, how: str, label: str) -> LinkedMention:
        sb, se = sentence_span(span.sent)
        mention = LinkedMention(
            span=TextSpan(span.start_char, span.end_char, sb, se),
            entity=entity,
            how=how,
            ner_label=label,
        )
        self.mentions.append(mention)
        for i in range(span.start, span.end):
            self.by_token[i] = mention
        return mention

    def add_nested(self, span: Span, entity: Entity, how: str, label: str) -> LinkedMention:
        """A mention inside a longer one ('Japan' in 'Japan's Defense Ministry'): listed,
        while its tokens stay with the longer mention."""
        sb, se = sentence_span(span.sent)
        mention = LinkedMention(
            span=TextSpan(span.start_char, span.end_char, sb, se), entity=entity, how=how, ner_label=label
        )
        self.mentions.append(mention)
        return mention

    def at(self, token: Token) -> LinkedMention | None:
        return self.by_token.get(token.i)

    def in_span(self, span: Span) -> list[LinkedMention]:
        seen: list[LinkedMention] = []
        for i in range(span.start, span.end):
            m = self.by_token.get(i)
            if m is not None and m not in seen:
                seen.append(m)
        return seen


def _trim(span: Span) -> Span:
    """Drop a trailing possessive and surrounding punctuation from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end] if end > start else span


def _extend_person(span: Span, taken: set[int]) -> Span:
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


def _title_before(span: Span) -> bool:
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].is_punct and doc[i].text in (".", ","):
        i -= 1
    return i >= 0 and doc[i].lower_.rstrip(".") in TITLE_WORDS


def _is_metonymic(span: Span) -> bool:
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


@dataclass(frozen=True)
class _Body:
    """A state's body found in the text: its span, its state, its words after the state,
    the span naming the state (None for 'its'), and whether it is a lower-case
    description ('the North's foreign ministry') rather than a name."""

    span: Span
    state: Entity
    words: str
    state_span: Span | None
    described: bool


def _state_of_ent(ent: Span, linker: Linker, possessive: bool) -> Entity | None:
    """The state a GPE or NORP entity names ('South Korea', 'South Korean', 'the North'),
    or, before a possessive, the state a capital stands for ('Seoul's military')."""
    core = _trim(ent)
    state = linker.state(core.text)
    if state is None and ent.ent_id_:
        known = linker.by_iri.get(URIRef(ent.ent_id_))
        if known is not None and known.cls == PEN.State:
            state = known
    if state is None and possessive:
        state = linker.metonym(core.text)
    return state


def _described_body(doc: Doc, i: int) -> int:
    """The end of a lower-case body description starting at token ``i`` ('foreign
    ministry', 'weather agency', 'military'), or ``i`` when there is none. The head must
    head its phrase: 'government officials' tells of officials."""
    j = i
    while j < len(doc) and j < i + 3 and doc[j].is_lower and doc[j].pos_ in ("ADJ", "NOUN"):
        j += 1
        if doc[j - 1].lower_ in _DESCRIBED_BODY_HEADS and not (
            j < len(doc) and doc[j].is_lower and doc[j].pos_ == "NOUN"
        ):
            return j
    return i


def _antecedent_state(doc: Doc, tok: Token, linker: Linker) -> tuple[Entity, Span] | None:
    """The state 'its' or 'their' refers to: a state named before it in its sentence or the
    one before, the subject first, else the nearest."""
    sent = tok.sent
    first = sent.start
    if first > 0:
        first = doc[first - 1].sent.start
    found: list[tuple[Entity, Span]] = []
    for ent in doc.ents:
        if ent.start < first or ent.end > tok.i or ent.label_ not in ("GPE", "NORP"):
            continue
        state = _state_of_ent(ent, linker, possessive=False)
        if state is None and ent.ent_id_ and ent.label_ == "GPE":
            state = linker.metonym(_trim(ent).text)
        if state is not None:
            found.append((state, ent))
    if not found:
        return None
    subjects = [f for f in found if f[1].root.dep_ in ("nsubj", "nsubjpass")]
    return (subjects or found)[-1]


def _body_spans(doc: Doc, linker: Linker) -> list[_Body]:
    """Spans of a state's body: '[the] <state or demonym>['s] <Body Words> [of <Words>]',
    '<state>'s <lower-case description>' and 'its <lower-case description>'."""
    out: list[_Body] = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "NORP"):
            continue
        i = ent.end
        possessive = i < len(doc) and doc[i].tag_ == "POS"
        state = _state_of_ent(ent, linker, possessive)
        if state is None:
            continue
        if possessive:
            i += 1
        j = i
        while j < len(doc) and (
            (doc[j].text[:1].isupper() and doc[j].pos_ in ("PROPN", "NOUN", "ADJ"))
            or doc[j].lower_ in _LOWER_BODY_HEADS
        ):
            j += 1
            if doc[j - 1].lower_ in _LOWER_BODY_HEADS and not doc[j - 1].text[:1].isupper():
                break
        # 'Ministry of Foreign Affairs', 'Joint Chiefs of Staff'
        if j + 1 < len(doc) and doc[j].lower_ == "of" and doc[j + 1].text[:1].isupper() and j > i:
            k = j + 1
            while k < len(doc) and doc[k].text[:1].isupper() and doc[k].pos_ == "PROPN":
                k += 1
            if k > j + 1:
                j = k
        described = False
        if j == i:
            j = _described_body(doc, i)
            described = j > i
        if j == i:
            continue
        words = doc[i:j]
        if not any(t.lower_ in BODY_HEADS | _NAME_HEADS for t in words):
            continue
        last = doc[j - 1]
        if last.is_lower and j < len(doc) and doc[j].is_lower and doc[j].pos_ == "NOUN":
            continue  # 'U.S. government officials': the officials, not the government
        start = ent.start + 1 if doc[ent.start].lower_ == "the" else ent.start
        state_span = _trim(doc[start : ent.end])
        body_text = " ".join(t.text for t in words)
        out.append(_Body(doc[start:j], state, body_text, state_span, described or last.is_lower))
    for tok in doc:
        if tok.lower_ not in ("its", "their") or tok.tag_ != "PRP$":
            continue
        j = _described_body(doc, tok.i + 1)
        if j == tok.i + 1:
            continue
        antecedent = _antecedent_state(doc, tok, linker)
        if antecedent is None:
            continue
        words = doc[tok.i + 1 : j]
        out.append(_Body(words, antecedent[0], words.text, None, True))
    return out


_BODY_CLASSES = ("GovernmentBody", "Organisation", "NewsOutlet", "InternationalOrganisation", "ThinkTank")


def _link_body(linker: Linker, body: _Body) -> tuple[Entity, str]:
    """A state's body: the reference body of that state whose name matches, else minted
    with pen:partOf the state (named '<State> <Words>' when the words are a name, '<State>'s
    <words>' when they describe it)."""
    state, body_text = body.state, body.words
    candidates = [body.span.text, f"{state.label} {body_text}", f"{state.label}'s {body_text}"]
    for name in candidates:
        ent = linker.exact(name, _BODY_CLASSES)
        if ent is not None:
            return ent, "body"
    ent = linker.exact(body_text, ("GovernmentBody",))
    if ent is not None and ent.state == state.iri:
        return ent, "body"  # 'Seoul's Unification Ministry'
    body_key = fold(body_text)
    for ent in linker.by_iri.values():
        if ent.cls != PEN.GovernmentBody or ent.state != state.iri:
            continue
        names = {fold(ent.label)}
        state_key = fold(state.label)
        for name in list(names):
            names.add(name.replace(state_key, "").strip())
        if body_key in names:
            return ent, "body"
    label = f"{state.label}'s {body_text}" if body.described else f"{state.label} {body_text}"
    return linker.mint(PEN.GovernmentBody, label, part_of=state), "body"


def _mint(linker: Linker, span: Span, label: str) -> Entity | None:
    name = re.sub(r"^the\s+", "", span.text, flags=re.IGNORECASE)
    if label == "PERSON":
        return linker.mint(PEN.Person, name)
    if label == "ORG":
        words = set(fold(name).split())
        cls = PEN.GovernmentBody if words & BODY_HEADS else PEN.Organisation
        return linker.mint(cls, name)
    if label in ("GPE", "LOC", "FAC"):
        return linker.mint(place_class(name, label), name)
    if label == "WEAPON":
        return linker.mint(PEN.WeaponSystem, name)
    return None


def _fix_the_names(doc: Doc, linker: Linker) -> None:
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


def _merge_name_prefix(doc: Doc, linker: Linker) -> None:
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
            and _state_of_ent(ent, linker, possessive=False) is None  # states: see bodies
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


def _place_name(span: Span) -> Span | None:
    """'the Capella hotel': a name the model tagged (often as a person) right before a
    noun of places that it modifies is the name of that place."""
    doc = span.doc
    if span.end >= len(doc) or span.ent_id_:
        return None
    nxt = doc[span.end]
    if nxt.is_lower and nxt.lemma_ in _PLACE_NOUNS and span.root.head.i == nxt.i:
        return doc[span.start : span.end + 1]
    return None


def _names_event(span: Span) -> bool:
    """Whether a name is an event's: it modifies an event noun ('the Freedom Shield
    exercise') or ends in one ('the Beijing Winter Olympics'; while 'the Hanoi summit',
    lower case, is a summit described by its place)."""
    doc = span.doc
    return (span.end < len(doc) and doc[span.end].lemma_.lower() in _EVENT_NOUNS) or span[
        -1
    ].lemma_.lower() in _EVENT_NOUNS


def _is_proper_name(span: Span, place_head: bool = False) -> bool:
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


def _inner_states(doc: Doc, out: ArticleMentions, linker: Linker, bodies: list[_Body]) -> None:
    """A state named inside a longer name is a mention of the state too: 'Japan's
    Defense Ministry', 'the South Korean Joint Chiefs of Staff', 'Japan's exclusive
    economic zone'. The tokens stay with the longer mention."""
    spans: dict[int, tuple[Span, Entity]] = {}
    for body in bodies:
        if body.state_span is not None:
            spans[body.state_span.start] = (body.state_span, body.state)
    for m in list(out.mentions):
        if m.entity.cls in (PEN.State, PEN.Person):
            continue
        span = doc.char_span(m.span.begin, m.span.end, alignment_mode="expand")
        if span is None:
            continue
        start = span.start + 1 if span[0].lower_ == "the" else span.start
        for t in span:
            if t.tag_ == "POS" and t.i > start:
                prefix = doc[start : t.i]
                state = linker.state(prefix.text) or linker.metonym(prefix.text)
                if state is not None and state != m.entity:
                    spans.setdefault(prefix.start, (prefix, state))
                break
    for prefix, state in spans.values():
        if prefix.start in out.by_token and out.by_token[prefix.start].entity == state:
            continue
        how = "exact"
        if linker.demonym(prefix.text) == state:
            how = "demonym"
        elif linker.exact(prefix.text, ("State",)) is None:
            how = "metonym"
        out.add_nested(prefix, state, how, "NORP" if how == "demonym" else "GPE")


def find_mentions(doc: Doc, linker: Linker) -> ArticleMentions:
    """Every entity mention of ``doc`` linked to one entity, in text order."""
    _fix_the_names(doc, linker)
    _merge_name_prefix(doc, linker)
    out = ArticleMentions(doc)
    article = ArticleLinker(linker)
    taken: set[int] = set()
    candidates: list[tuple[Span, str]] = []

    bodies = _body_spans(doc, linker)
    body_at: dict[int, _Body] = {b.span.start: b for b in bodies}
    for body in body_at.values():
        taken.update(range(body.span.start, body.span.end))

    for ent in doc.ents:
        if ent.label_ not in _KEPT_LABELS or any(i in taken for i in range(ent.start, ent.end)):
            continue
        span = _trim(ent)
        if not span.text.strip():
            continue
        label = ent.label_
        place = _place_name(span) if label in ("PERSON", "ORG", "GPE", "LOC", "FAC") else None
        if place is not None and place.end not in taken:
            span, label = place, "FAC"
        elif label == "PERSON" or (label in ("NORP", "GPE", "LOC", "ORG") and _title_before(span)):
            extended = _extend_person(span, {t.i for e in doc.ents if e is not ent for t in e})
            if label == "PERSON" or extended.end > span.end or not linker.state(span.text):
                span = extended
                label = "PERSON" if not linker.state(span.text) else label
        if len(span) == 1 and span[0].lower_ in _NOT_NAMES and not span[0].ent_id_:
            continue
        candidates.append((span, label))
        taken.update(range(span.start, span.end))

    # weapon designations of the right shape that no entity covers ('Hwansong 12')
    for match in _WEAPON_SHAPE.finditer(doc.text):
        wspan = doc.char_span(match.start(), match.end(), alignment_mode="contract")
        if wspan is None or any(i in taken for i in range(wspan.start, wspan.end)):
            continue
        if linker.fuzzy(match.group(0), ("WeaponSystem",)) is not None:
            candidates.append((wspan, "WEAPON"))
            taken.update(range(wspan.start, wspan.end))

    items: list[tuple[int, Span, str, Entity | None, str]] = []
    for span, label in candidates:
        items.append((span.start, span, label, None, ""))
    for start, body in body_at.items():
        found, body_how = _link_body(linker, body)
        items.append((start, body.span, "ORG", found, body_how))
    items.sort(key=lambda item: item[0])

    for _, span, label, known, how in items:
        if known is not None:
            out.add(span, known, how, label)
            article.remember(known)
            continue
        resolved = _resolve(span, label, linker, article)
        if resolved is None:
            continue
        entity, how = resolved
        if how.startswith("partial:"):  # linked through a part of the span: keep that part
            _, a, b = how.split(":")
            span, how, label = doc[int(a) : int(b)], "partial", "PERSON"
        if entity.cls not in (PEN.Person, PEN.State) and (entity.minted or entity.cls == PEN.Region):
            if _names_event(span):
                continue  # 'the Ulchi Freedom Shield exercise', 'the Asia-Pacific summit'
            if entity.minted and label in ("GPE", "LOC") and span.root.tag_ == "NNPS":
                continue  # 'the two Koreas': several states, none named
        article.remember(entity)
        out.add(span, entity, how, label)
    _later_names(doc, out)
    _inner_states(doc, out, linker, bodies)
    out.mentions.sort(key=lambda m: m.span.begin)
    return out


def _later_names(doc: Doc, out: ArticleMentions) -> None:
    """A capitalised word no entity covers that is the first or last name of a person
    named earlier in the article ('Trump' at a sentence start, the parts of 'Trump-Kim')."""
    persons = [m for m in out.mentions if m.entity.cls == PEN.Person and len(m.entity.label.split()) > 1]
    if not persons:
        return
    for tok in doc:
        if tok.i in out.by_token or not tok.is_title or not tok.is_alpha or len(tok) < 3:
            continue
        key = fold(tok.text)
        best: LinkedMention | None = None
        for m in persons:
            if m.span.begin >= tok.idx:
                break
            names = fold(m.entity.label).split()
            if key in (names[0], names[-1]):
                best = m
        if best is not None:
            out.add(doc[tok.i : tok.i + 1], best.entity, "partial", "PERSON")


def _headline(sent: Span) -> bool:
    """A title-case line without closing punctuation: a headline or section heading."""
    text = sent.text.strip()
    if text[-1:] in (".", "!", "?", '"', "”", "'", "’"):
        return False
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 4 and sum(t.is_title for t in words) / len(words) > 0.7


def _contextual(span: Span, ent: Entity, how: str, linker: Linker) -> tuple[Entity, str]:
    """A capital's name read as its state where it acts for the state."""
    if ent.cls != PEN.State:
        state = linker.metonym(span.text)
        if state is not None and _is_metonymic(span):
            return state, "metonym"
    return ent, how


def _resolve(span: Span, label: str, linker: Linker, article: ArticleLinker) -> tuple[Entity, str] | None:
    gaz = linker.by_iri.get(URIRef(span.ent_id_)) if span.ent_id_ else None
    if gaz is not None and (label != "PERSON" or gaz.cls == PEN.Person):
        how = "demonym" if label == "NORP" else "exact"
        if gaz.cls == PEN.State and linker.metonym(span.text) == gaz:
            how = "metonym"
        return _contextual(span, gaz, how, linker)
    found = article.link_name(span.text, label)
    if found is not None:
        return _contextual(span, found[0], found[1], linker)
    if label == "NORP":
        return None
    if len(span) > 1 and label in ("PERSON", "ORG"):
        # 'State Antony Binken', 'Blinken Discusses': a name inside a longer span
        for k in range(1, len(span)):
            for part in (span[k:], span[: len(span) - k]):
                if not part[0].is_title or len(part.text) < 3:
                    continue
                person = (
                    linker.exact(part.text, ("Person",))
                    or linker.fuzzy(part.text, ("Person",))
                    or article.partial(part.text, seen_only=True)
                )
                if person is not None:
                    return person, "partial:" + str(part.start) + ":" + str(part.end)
    if _headline(span.sent) and label in ("PERSON", "ORG"):
        return None  # in a title-case line every word looks like a name
    if label == "PERSON" and any(
        t.text == "-" and t.i + 1 < span.end and span.doc[t.i + 1].is_title for t in span
    ):
        return None  # 'Trump-Kim summit': a compound of names, whose parts are linked later
    if label == "PERSON" and len(span) == 1 and linker.persons_named(span.text):
        return None  # a surname several known people share, with none of them named before
    if not _is_proper_name(span, place_head=label == "FAC"):
        if label == "ORG":
            described = article.described(span.text)
            if described is not None:
                return described, "anaphor"  # 'the fifteen-member International security council'
        return None  # a description, not a name: nothing to mint
    minted = _mint(linker, span, label)
    return (minted, "minted") if minted is not None else None

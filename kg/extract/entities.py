"""Entity mentions of one annotated article, each linked to one entity.

Starts from the spaCy entities (gazetteer and statistical NER) and corrects them by
general rules: a person's name split by the model is rejoined; a title word before a name
makes it a person whatever the model said; a state's body ('South Korea's Defence
Ministry', 'the South Korean Joint Chiefs of Staff') becomes one mention of that body;
weapon designations the gazetteer missed (a misspelt 'Hwansong 12') are found by shape and
matched fuzzily; a capital that stands for its state is linked to the state.
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
_LOWER_BODY_HEADS = {"military", "government", "army", "navy", "forces", "administration"}
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
    'Washington's efforts') rather than for the city ('talks in Pyongyang')."""
    head = span.root
    if head.dep_ == "compound" and head.head.lemma_ in ("summit", "talks", "meeting", "visit", "conference"):
        return False  # 'the Hanoi summit'
    if head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE_PREPS:
        return False
    if head.dep_ == "dobj" and head.head.lemma_ in _VISIT_LEMMAS:
        return False
    return not (head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.lemma_ in _VISIT_LEMMAS)


def _body_spans(doc: Doc, linker: Linker) -> list[tuple[Span, Entity, str]]:
    """Spans of a state's body: '[the] <state or demonym>['s] <Body Words> [of <Words>]'."""
    out: list[tuple[Span, Entity, str]] = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "NORP"):
            continue
        core = _trim(ent)
        state = linker.state(core.text)
        if state is None:
            continue
        i = ent.end
        if i < len(doc) and doc[i].tag_ == "POS":
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
        if j == i:
            continue
        words = doc[i:j]
        if not any(t.lower_ in BODY_HEADS for t in words):
            continue
        start = ent.start + 1 if doc[ent.start].lower_ == "the" else ent.start
        body_text = " ".join(t.text for t in words)
        span = doc[start:j]
        out.append((span, state, body_text))
    return out


def _link_body(linker: Linker, state: Entity, body_text: str, full_text: str) -> tuple[Entity, str]:
    """A state's body: the reference body of that state whose name matches, else minted
    with pen:partOf the state."""
    candidates = [full_text, f"{state.label} {body_text}", f"{state.label}'s {body_text}"]
    for name in candidates:
        ent = linker.exact(name, ("GovernmentBody", "Organisation"))
        if ent is not None:
            return ent, "body"
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
    return linker.mint(PEN.GovernmentBody, f"{state.label} {body_text}", part_of=state), "body"


def _mint(linker: Linker, span: Span, label: str) -> Entity | None:
    name = span.text
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


def find_mentions(doc: Doc, linker: Linker) -> ArticleMentions:
    """Every entity mention of ``doc`` linked to one entity, in text order."""
    _fix_the_names(doc, linker)
    out = ArticleMentions(doc)
    article = ArticleLinker(linker)
    taken: set[int] = set()
    candidates: list[tuple[Span, str]] = []

    bodies = _body_spans(doc, linker)
    body_at: dict[int, tuple[Span, Entity, str]] = {b[0].start: b for b in bodies}
    for span, _, _ in bodies:
        taken.update(range(span.start, span.end))

    for ent in doc.ents:
        if ent.label_ not in _KEPT_LABELS or any(i in taken for i in range(ent.start, ent.end)):
            continue
        span = _trim(ent)
        if not span.text.strip():
            continue
        label = ent.label_
        if label == "PERSON" or (label in ("NORP", "GPE", "LOC", "ORG") and _title_before(span)):
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
    for start, (bspan, state, body_text) in body_at.items():
        body, body_how = _link_body(linker, state, body_text, bspan.text)
        items.append((start, bspan, "ORG", body, body_how))
    items.sort(key=lambda item: item[0])

    for _, span, label, known, how in items:
        if known is not None:
            out.add(span, known, how, label)
            continue
        resolved = _resolve(span, label, linker, article)
        if resolved is None:
            continue
        entity, how = resolved
        if how.startswith("partial:"):  # linked through a part of the span: keep that part
            _, a, b = how.split(":")
            span, how, label = doc[int(a) : int(b)], "partial", "PERSON"
        article.remember(entity)
        out.add(span, entity, how, label)
    _later_names(doc, out)
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
    minted = _mint(linker, span, label)
    return (minted, "minted") if minted is not None else None

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

The rules on the shape of names are in :mod:`kg.extract.names`, those on a state's bodies
in :mod:`kg.extract.bodies`, the mention index in :mod:`kg.extract.mentions`; this module
applies them in order and links each span.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from spacy.tokens import Doc, Span

from kg.extract.annotate import doc_text
from kg.extract.bodies import BODY_HEADS, Body, body_spans, inner_states, link_body
from kg.extract.link import ArticleLinker, Linker, fold, place_class
from kg.extract.mentions import ArticleMentions, sentence_span, sentences_back, text_span, trim_span
from kg.extract.names import (
    NOT_NAMES,
    TITLE_WORDS,
    WEAPON_SHAPE,
    extend_person,
    fix_the_names,
    headline,
    is_metonymic,
    is_proper_name,
    merge_name_prefix,
    names_event,
    place_name,
    title_before,
)
from kg.facts import Entity, LinkedMention
from kg.namespaces import PEN
from kg.reference.model import KINSHIP

__all__ = [
    "TITLE_WORDS",
    "ArticleMentions",
    "find_mentions",
    "sentence_span",
    "text_span",
]

_KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WEAPON"}


# heads of the names of places and things named after a person ('Kim Il Sung Square')
_NAMED_AFTER = {
    "square",
    "university",
    "stadium",
    "street",
    "avenue",
    "airport",
    "bridge",
    "station",
    "hall",
    "park",
    "palace",
    "mausoleum",
    "academy",
    "prize",
    "award",
    "foundation",
    "institute",
    "library",
    "museum",
}


# of those, the heads of places
_PLACE_NAMED_AFTER = _NAMED_AFTER - {"prize", "award", "foundation"}


def _mint(linker: Linker, span: Span, label: str) -> Entity | None:
    name = re.sub(r"^the\s+", "", span.text, flags=re.IGNORECASE)
    if label == "PERSON" and span[-1].lower_ in _PLACE_NAMED_AFTER:
        label = "FAC"  # 'Kim Il Sung Square': a place named after a person
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


def find_mentions(doc: Doc, linker: Linker) -> ArticleMentions:
    """Every entity mention of ``doc`` linked to one entity, in text order."""
    fix_the_names(doc, linker)
    merge_name_prefix(doc, linker)
    out = ArticleMentions(doc)
    article = ArticleLinker(linker)
    taken: set[int] = set()
    candidates: list[tuple[Span, str]] = []

    bodies = body_spans(doc, linker)
    body_at: dict[int, Body] = {b.span.start: b for b in bodies}
    for body in body_at.values():
        taken.update(range(body.span.start, body.span.end))

    in_entities = {i for e in doc.ents for i in range(e.start, e.end)}  # entities never overlap
    for ent in doc.ents:
        if ent.label_ not in _KEPT_LABELS or any(i in taken for i in range(ent.start, ent.end)):
            continue
        span = trim_span(ent)
        if not span.text.strip():
            continue
        label = ent.label_
        span, label = _untitled(span, label)
        place = place_name(span) if label in ("PERSON", "ORG", "GPE", "LOC", "FAC") else None
        if place is not None and place.end not in taken:
            span, label = place, "FAC"
        elif label == "PERSON" or (label in ("NORP", "GPE", "LOC", "ORG") and title_before(span)):
            extended = extend_person(span, in_entities - set(range(ent.start, ent.end)))
            if label == "PERSON" or extended.end > span.end or not linker.state(span.text):
                span = extended
                label = "PERSON" if not linker.state(span.text) else label
        if len(span) == 1 and span[0].lower_ in NOT_NAMES and not span[0].ent_id_:
            continue
        candidates.append((span, label))
        taken.update(range(span.start, span.end))

    # weapon designations of the right shape that no entity covers ('Hwansong 12')
    for match in WEAPON_SHAPE.finditer(doc_text(doc)):
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
        found, body_how = link_body(linker, body)
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
        if (entity.minted or entity.cls == PEN.Region) and entity.cls != PEN.State and names_event(span):
            continue  # 'the Ulchi Freedom Shield exercise', 'the Asia-Pacific summit' (also when
            # the model took the name for a person's)
        if entity.minted and label in ("GPE", "LOC") and span.root.tag_ == "NNPS":
            continue  # 'the two Koreas': several states, none named
        article.remember(entity)
        out.add(span, entity, how, label)
    _later_names(doc, out)
    _relatives(doc, out, linker)
    _state_anaphors(doc, out)
    inner_states(doc, out, linker, bodies)
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


def _relatives(doc: Doc, out: ArticleMentions, linker: Linker) -> None:
    """A kinship noun of a named person ('the sister of Kim Jong Un', 'Kim Jong Un's
    younger sister') names the relative the reference data records, when it records
    exactly one; the mention is the description's own words ('the sister')."""
    for tok in doc:
        relation = tok.lemma_.lower()
        if relation not in KINSHIP or tok.pos_ != "NOUN" or tok.i in out.by_token:
            continue
        of = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
        of += [c for c in tok.children if c.dep_ == "poss"]
        persons = [m.entity for t in of if (m := out.at(t)) is not None and m.entity.cls == PEN.Person]
        if len(persons) != 1:
            continue
        relative = linker.relative(relation, persons[0].iri)
        if relative is None:
            continue
        lefts = [c.i for c in tok.lefts if c.dep_ in ("det", "amod") and c.i not in out.by_token]
        out.add(doc[min([*lefts, tok.i]) : tok.i + 1], relative, "relative", "PERSON")


_STATE_NOUNS = {"nation", "country", "regime"}


def _state_anaphors(doc: Doc, out: ArticleMentions) -> None:
    """'the nation', 'the reclusive country': a bare definite noun for a state refers to a
    state named in its sentence or the one before — the one that is a subject or possessor
    there (the topic) before the nearest, and never the subject of its own clause ('Japan
    said the country …' is not Japan speaking of itself)."""
    for tok in doc:
        if tok.lemma_.lower() not in _STATE_NOUNS or tok.pos_ != "NOUN" or tok.tag_ != "NN":
            continue
        if tok.i in out.by_token or tok.dep_ == "compound":
            continue
        kids = list(tok.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in kids) or any(
            c.dep_ not in ("det", "amod") for c in kids
        ):
            continue
        start = sentences_back(tok, 1).i
        own_subject = {t.i for v in tok.ancestors for c in v.children if c.dep_ == "nsubj" for t in c.subtree}
        states = [
            m
            for m in out.mentions
            if m.entity.cls == PEN.State
            and doc[start].idx <= m.span.begin < tok.idx
            and (span := doc.char_span(m.span.begin, m.span.end, alignment_mode="expand")) is not None
            and span.root.i not in own_subject
        ]
        if not states:
            continue

        def topical(m: LinkedMention) -> bool:
            span = doc.char_span(m.span.begin, m.span.end, alignment_mode="expand")
            return span is not None and span.root.dep_ in ("nsubj", "nsubjpass", "poss")

        topic = [m for m in states if topical(m)] or states
        first = min([c.i for c in kids if c.dep_ == "det"] + [tok.i])
        out.add(doc[first : tok.i + 1], topic[-1].entity, "anaphor", "GPE")


def _contextual(span: Span, ent: Entity, how: str, linker: Linker) -> tuple[Entity, str]:
    """A capital's name read as its state where it acts for the state."""
    if ent.cls != PEN.State:
        state = linker.metonym(span.text)
        if state is not None and is_metonymic(span):
            return state, "metonym"
    return ent, how


# titles only a person bears: a span the model begins with one ('Spokesperson Ned Price',
# tagged an organisation) names the person after it
_PERSONAL_TITLES = {"spokesperson", "spokesman", "spokeswoman", "ambassador", "envoy", "senator", "lawmaker"}
# nouns of weapons: a 'person' that modifies one is a weapon's name ('a Scud missile')
_WEAPON_NOUNS = {"missile", "rocket", "launcher", "warhead", "projectile"}


def _untitled(span: Span, label: str) -> tuple[Span, str]:
    """The person's name in a span that begins with a personal title, else the span as it is."""
    if label not in ("ORG", "PERSON") or len(span) < 3 or span[0].lower_ not in _PERSONAL_TITLES:
        return span, label
    rest = span[1:]
    if all(t.is_title and t.pos_ == "PROPN" and t.lower_ not in TITLE_WORDS for t in rest):
        return rest, "PERSON"
    return span, label


def _not_a_name(span: Span, label: str) -> bool:
    """Words the model takes for names of things the reference data does not know, which
    are none: a hashtag or handle ('#NorthKorea'), a compound modifier ('Cabinet-level',
    'Moon-era'), a unit before its number ('Mach 10'), a 'person' that names a kind of
    missile ('a Scud missile'), a time zone after a time ('5:55 a.m. ET'), an adjective or
    adverb that begins a sentence ('Toughest package in two decades')."""
    doc = span.doc
    before = doc_text(doc)[span.start_char - 1] if span.start_char > 0 else ""
    if before in "#@":
        return True
    after = doc[span.end] if span.end < len(doc) else None
    if (
        after is not None
        and after.text in ("-", "–")
        and not span[-1].whitespace_
        and span.end + 1 < len(doc)
        and doc[span.end + 1].is_lower
    ):
        return True
    if label == "PERSON" and span.root.dep_ == "compound" and span.root.head.lemma_ in _WEAPON_NOUNS:
        return True  # 'one shorter-range Scud missile'
    before_tok = doc[span.start - 1] if span.start > 0 else None
    if (
        len(span) == 1
        and span[0].is_upper
        and before_tok is not None
        and before_tok.lower_ in ("a.m.", "p.m.")
    ):
        return True  # '5:55 a.m. ET': a time zone
    if len(span) == 1 and span.start == span.sent.start and span[0].pos_ in ("ADJ", "ADV"):
        return True  # 'Toughest package in two decades …': a capitalised first word
    return label == "PERSON" and len(span) == 1 and after is not None and after.like_num


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
                if part.end < span.end and any(
                    t.lower_ in _NAMED_AFTER for t in span[part.end - span.start :]
                ):
                    continue  # 'Kim Il Sung Square' is a place named after a person, not him
                person = (
                    linker.exact(part.text, ("Person",))
                    or linker.fuzzy(part.text, ("Person",))
                    or article.partial(part.text, seen_only=True)
                )
                if person is not None:
                    return person, "partial:" + str(part.start) + ":" + str(part.end)
    if headline(span.sent) and label in ("PERSON", "ORG"):
        return None  # in a title-case line every word looks like a name
    if label == "PERSON" and any(
        t.text == "-" and t.i + 1 < span.end and span.doc[t.i + 1].is_title for t in span
    ):
        return None  # 'Trump-Kim summit': a compound of names, whose parts are linked later
    if any(
        t.text == "-"
        and span.start < t.i < span.end - 1
        and linker.persons_named(span.doc[t.i - 1].text)
        and linker.persons_named(span.doc[t.i + 1].text)
        for t in span
    ):
        return None  # 'the Xi-Putin summit' taken for a facility: names of persons, linked later
    if label == "PERSON" and span[-1].lower_ in TITLE_WORDS:
        return None  # 'Chief Cabinet Secretary' before a name: a title, not a person
    if label == "PERSON" and len(span) == 1 and linker.persons_named(span.text):
        return None  # a surname several known people share, with none of them named before
    if _not_a_name(span, label):
        return None
    if not is_proper_name(span, place_head=label == "FAC"):
        if label == "ORG":
            described = article.described(span.text)
            if described is not None:
                return described, "anaphor"  # 'the fifteen-member International security council'
        return None  # a description, not a name: nothing to mint
    minted = _mint(linker, span, label)
    return (minted, "minted") if minted is not None else None

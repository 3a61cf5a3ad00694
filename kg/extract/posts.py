"""Post holdings from titles and appositions.

'Japanese Foreign Minister Yoshimasa Hayashi', 'US Secretary of State Antony Blinken',
'North Korean first vice foreign minister Choe Son Hui', 'Choe Son Hui, North Korea's
first vice foreign minister,' and 'leader Kim Jong Un' each tell that a person held a post
of a state. The role is read from the title's words; the state from a demonym or state
name in front of the title, else from the reference data's terms of that person. When the
reference data records that the person held a post of that role for that state, its
holding IRI is reused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from rdflib import URIRef
from spacy.tokens import Doc, Span

from kg import reference
from kg.extract.link import Linker
from kg.extract.mentions import ArticleMentions, sentence_span
from kg.extract.names import COMMON_TITLES
from kg.facts import Entity, LinkedMention, PostFact, TextSpan
from kg.namespaces import PEN

__all__ = ["TITLE_HEADS", "find_posts", "role_of_title"]

# Words that end a title ('foreign minister', 'secretary of state' ends in 'secretary').
TITLE_HEADS = COMMON_TITLES | {
    "chairwoman",
    "adviser",
    "advisor",
    "negotiator",
    "emperor",
    "chancellor",
    "governor",
    "vice-president",
}
# Words allowed before the head inside a title.
_TITLE_MODIFIERS = {
    "first",
    "vice",
    "deputy",
    "foreign",
    "defence",
    "defense",
    "prime",
    "supreme",
    "national",
    "security",
    "special",
    "senior",
    "chief",
    "top",
    "nuclear",
    "unification",
    "trade",
    "finance",
    "interior",
    "executive",
    "state",
    "former",
    "acting",
    "then",
    "then-",
    "assistant",
    "under",
    "joint",
    "chiefs",
    "staff",
    "of",
    "the",
    "affairs",
    "for",
    "press",
    "secretary",
    "minister",
    "general",
    "party",
    "workers",
}
_NOT_TITLE_STARTS = {"of", "the", "for"}


def role_of_title(title: str) -> URIRef:
    """The pen:Role a title means ('Secretary of State' → pen:ForeignMinister)."""
    t = " " + title.lower().replace("-", " ").replace("defense", "defence") + " "
    subordinate = any(w in t for w in (" vice ", " deputy ", " assistant ", " under "))
    if "prime minister" in t or " premier " in t or "chancellor" in t:
        return PEN.OtherOfficial if subordinate else PEN.HeadOfGovernment
    if "foreign minister" in t or "secretary of state" in t or "foreign affairs" in t:
        return PEN.Diplomat if subordinate else PEN.ForeignMinister
    if "foreign secretary" in t:
        return PEN.Diplomat if subordinate else PEN.ForeignMinister
    if ("defence" in t and ("minister" in t or "secretary" in t)) or "secretary of war" in t:
        return PEN.OtherOfficial if subordinate else PEN.DefenceMinister
    if " president " in t or " king " in t or " emperor " in t or t.strip().endswith("leader"):
        if " vice " in t:
            return PEN.OtherOfficial
        if "party" in t:
            return PEN.OtherOfficial
        return PEN.HeadOfState
    if " chairman " in t and "chiefs" not in t:
        return PEN.HeadOfState
    if any(w in t for w in (" ambassador ", " envoy ", " negotiator ", " representative ")):
        return PEN.Diplomat
    if "foreign" in t:
        return PEN.Diplomat
    if any(w in t for w in (" general ", " admiral ", " commander ", " chiefs ")):
        return PEN.MilitaryOfficer
    return PEN.OtherOfficial


def _title_tokens(doc: Doc, person_start: int) -> tuple[int, int] | None:
    """The token range of a title right before a name (possibly empty of state words)."""
    end = person_start
    i = end - 1
    while i >= 0 and doc[i].is_punct and doc[i].text == ".":
        i -= 1
    if i < 0:
        return None
    if doc[i].lower_.rstrip(".") not in TITLE_HEADS:
        # 'Secretary of State', 'Minister of Foreign Affairs', 'Ambassador to the United
        # Nations': a head, 'of' or 'to', a few capitalised words (and 'the')
        k = i
        while k > i - 4 and k >= 0 and (doc[k].is_title or doc[k].lower_ == "the") and doc[k].lower_ != "of":
            k -= 1
        if k < 1 or doc[k].lower_ not in ("of", "to") or doc[k - 1].lower_ not in TITLE_HEADS:
            return None
        if doc[k + 1].lower_ == "the" and k + 2 > i:
            return None
        start = k - 1
        while start - 1 >= 0 and doc[start - 1].lower_ in _TITLE_MODIFIERS | TITLE_HEADS:
            start -= 1
        while start < k and doc[start].lower_ in _NOT_TITLE_STARTS:
            start += 1
        return start, i + 1
    start = i
    while start - 1 >= 0 and doc[start - 1].lower_ in _TITLE_MODIFIERS | TITLE_HEADS:
        start -= 1
    while start < i and doc[start].lower_ in _NOT_TITLE_STARTS:
        start += 1
    return start, i + 1


def _clean_title(words: Span) -> tuple[str, bool]:
    """The title as written without 'former'/'then', and whether it was a former post."""
    kept = []
    former = False
    for t in words:
        if t.lower_ in ("former", "then", "then-", "ex"):
            former = True
            continue
        kept.append(t.text_with_ws)
    return "".join(kept).strip(), former


def _state_before(doc: Doc, start: int, mentions: ArticleMentions) -> tuple[Entity | None, int]:
    """The state named right before a title ('Japanese', 'North Korea's', 'US')."""
    i = start - 1
    if i >= 0 and doc[i].tag_ == "POS":
        i -= 1
    if i < 0:
        return None, start
    m = mentions.at(doc[i])
    if m is None:
        return None, start
    if m.entity.cls in (PEN.State, PEN.GovernmentBody, PEN.InternationalOrganisation, PEN.Organisation):
        first = i
        while first - 1 >= 0 and mentions.at(doc[first - 1]) is m:
            first -= 1
        return m.entity, first
    return None, start


def _apposition(doc: Doc, person: Span) -> tuple[int, int] | None:
    """'<Name>, [the] [state's] <title>,' → the title's token range."""
    i = person.end
    if i >= len(doc) or doc[i].text != ",":
        return None
    j = i + 1
    k = j
    while k < len(doc) and (
        doc[k].lower_ in _TITLE_MODIFIERS | TITLE_HEADS
        or doc[k].tag_ == "POS"
        or doc[k].ent_type_ in ("NORP", "GPE")
    ):
        k += 1
    if k == j or doc[k - 1].lower_ not in TITLE_HEADS:
        return None
    if k < len(doc) and doc[k].text not in (",", ".", ";", ")"):
        return None
    return j, k


HoldingLookup = Callable[[URIRef, URIRef, URIRef | None, date | None], tuple[URIRef, URIRef] | None]


def reference_lookup(base: str) -> HoldingLookup:
    """A function (person, role, state, day) → (reference holding IRI, its state) when the
    reference data records that person in a post of that role (of that state)."""

    def lookup(
        person: URIRef, role: URIRef, state: URIRef | None, on: date | None
    ) -> tuple[URIRef, URIRef] | None:
        found = [
            h
            for h in reference.post_holdings(base)
            if h.person == str(person)
            and str(role) in (h.roles or (h.role,))
            and (state is None or h.state == str(state))
        ]
        if not found:
            return None
        if on is not None:
            covering = [h for h in found if h.covers(on)]
            found = covering or found
        return URIRef(found[0].iri), URIRef(found[0].state)

    return lookup


_ROLES = (
    PEN.HeadOfState,
    PEN.HeadOfGovernment,
    PEN.ForeignMinister,
    PEN.DefenceMinister,
    PEN.Diplomat,
    PEN.MilitaryOfficer,
)


def _recorded_role(
    person: URIRef, state: URIRef | None, on: date | None, lookup: HoldingLookup
) -> URIRef | None:
    """The role the reference data records for a person (of a state), if exactly one."""
    found = [role for role in _ROLES if lookup(person, role, state, on) is not None]
    return found[0] if len(found) == 1 else None


def find_posts(
    doc: Doc,
    mentions: ArticleMentions,
    linker: Linker,
    *,
    published: date | None,
    lookup: HoldingLookup,
) -> list[PostFact]:
    """Post holdings told by titles before names and by appositions after them."""
    facts: list[PostFact] = []
    persons: Sequence[LinkedMention] = [m for m in mentions.mentions if m.entity.cls == PEN.Person]
    previous_state: Entity | None = None
    previous_end = -1
    for m in persons:
        span = doc.char_span(m.span.begin, m.span.end, alignment_mode="expand")
        if span is None:
            continue
        found = _title_before(doc, span, mentions, previous_state, previous_end) or _title_after(
            doc, span, mentions
        )
        if found is None:
            continue
        rng, state, begin_tok = found
        title, _former = _clean_title(_title_words(doc, rng, mentions))
        if not title:
            continue
        role = role_of_title(title)
        if title.split()[-1].lower() == "counterpart":
            role = _counterpart_role(facts, span, m.entity.iri, state, published, lookup) or role
        ref = lookup(m.entity.iri, role, state.iri if state else None, published)
        if state is None and ref is not None:
            state = linker.by_iri.get(ref[1])
        if rng[0] >= span.end:  # apposition: the span runs from the name to the title
            first, last = span.start_char, doc[rng[1] - 1].idx + len(doc[rng[1] - 1])
        else:
            first, last = doc[begin_tok].idx, span.end_char
        sb, se = sentence_span(span.sent)
        facts.append(
            PostFact(
                person=m.entity,
                title=title,
                post_in=state,
                role=role,
                spans=[TextSpan(first, last, sb, se)],
                reference_holding=ref[0] if ref else None,
                confidence=0.9 if ref else 0.75,
            )
        )
        previous_state = state
        previous_end = span.end
    return facts


_TitleFound = tuple[tuple[int, int], Entity | None, int]


def _title_before(
    doc: Doc, span: Span, mentions: ArticleMentions, previous_state: Entity | None, previous_end: int
) -> _TitleFound | None:
    """The title right before a person's name: its token range, the state it names (or,
    in a list of titled names, the state of the one before) and where the post's words begin."""
    rng = _title_tokens(doc, span.start)
    if rng is None:
        return None
    state, begin_tok = _state_before(doc, rng[0], mentions)
    begin_tok = min(begin_tok, rng[0])
    # 'US Secretary of State A and Defence Secretary B': the state carries over
    if state is None and rng[0] > 1 and doc[rng[0] - 1].lower_ in ("and", ",") and previous_end == rng[0] - 1:
        state = previous_state
    return rng, state, begin_tok


def _title_after(doc: Doc, span: Span, mentions: ArticleMentions) -> _TitleFound | None:
    """The title in apposition after a person's name: its token range, the first state it
    names and where the post's words begin (the name)."""
    rng = _apposition(doc, span)
    if rng is None:
        return None
    inner = [mentions.at(t) for t in doc[rng[0] : rng[1]]]
    states = [x.entity for x in inner if x is not None and x.entity.cls == PEN.State]
    return rng, states[0] if states else None, span.start


def _title_words(doc: Doc, rng: tuple[int, int], mentions: ArticleMentions) -> Span:
    """The words of a title, from the first that is not a determiner, possessive or name."""
    words = doc[rng[0] : rng[1]]
    start = next(
        (
            t.i
            for t in words
            if t.lower_ not in _NOT_TITLE_STARTS and t.tag_ != "POS" and mentions.at(t) is None
        ),
        rng[0],
    )
    return doc[start : rng[1]]


def _counterpart_role(
    facts: Sequence[PostFact],
    span: Span,
    person: URIRef,
    state: Entity | None,
    published: date | None,
    lookup: HoldingLookup,
) -> URIRef | None:
    """The role of 'his South Korean counterpart Lee': the role of the post of the person
    told of before in the sentence, else the role the reference data records for this person."""
    before = [f for f in facts if f.spans[0].sent_begin == sentence_span(span.sent)[0]]
    if before:
        return before[-1].role
    return _recorded_role(person, state.iri if state else None, published, lookup)

"""A state's bodies named or described in an article, and the states inside longer names.

'South Korea's Defence Ministry', 'the South Korean Joint Chiefs of Staff', 'the North's
foreign ministry' and 'its defence ministry' are each one mention of a body of a state:
linked to the reference body of that state whose name matches, else minted as part of the
state. A state named inside a longer name ('Japan's Defense Ministry', 'Japan's exclusive
economic zone') is also a mention of the state.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from spacy.tokens import Doc, Span, Token

from kg.extract.link import Linker, fold
from kg.extract.mentions import ArticleMentions, trim_span
from kg.facts import Entity
from kg.namespaces import PEN

__all__ = ["BODY_HEADS", "Body", "body_spans", "inner_states", "link_body", "state_of_ent"]

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


@dataclass(frozen=True)
class Body:
    """A state's body found in the text: its span, its state, its words after the state,
    the span naming the state (None for 'its'), and whether it is a lower-case
    description ('the North's foreign ministry') rather than a name."""

    span: Span
    state: Entity
    words: str
    state_span: Span | None
    described: bool


def state_of_ent(ent: Span, linker: Linker, possessive: bool) -> Entity | None:
    """The state a GPE or NORP entity names ('South Korea', 'South Korean', 'the North'),
    or, before a possessive, the state a capital stands for ('Seoul's military')."""
    core = trim_span(ent)
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
        state = state_of_ent(ent, linker, possessive=False)
        if state is None and ent.ent_id_ and ent.label_ == "GPE":
            state = linker.metonym(trim_span(ent).text)
        if state is not None:
            found.append((state, ent))
    if not found:
        return None
    subjects = [f for f in found if f[1].root.dep_ in ("nsubj", "nsubjpass")]
    return (subjects or found)[-1]


def body_spans(doc: Doc, linker: Linker) -> list[Body]:
    """Spans of a state's body: '[the] <state or demonym>['s] <Body Words> [of <Words>]',
    '<state>'s <lower-case description>' and 'its <lower-case description>'."""
    out: list[Body] = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "NORP"):
            continue
        i = ent.end
        possessive = i < len(doc) and doc[i].tag_ == "POS"
        state = state_of_ent(ent, linker, possessive)
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
        state_span = trim_span(doc[start : ent.end])
        body_text = " ".join(t.text for t in words)
        out.append(Body(doc[start:j], state, body_text, state_span, described or last.is_lower))
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
        out.append(Body(words, antecedent[0], words.text, None, True))
    return out


_BODY_CLASSES = ("GovernmentBody", "Organisation", "NewsOutlet", "InternationalOrganisation", "ThinkTank")


# a state's body described by one of these words alone is the state acting ('Japan's
# government', 'the North's leadership'), not a body of its own to mint
_STATE_ITSELF = {"government", "leadership", "regime", "authorities"}


def link_body(linker: Linker, body: Body) -> tuple[Entity, str]:
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
    if body.described and fold(body_text) in _STATE_ITSELF:
        return state, "metonym"  # 'Japan's government said': the state speaking
    label = f"{state.label}'s {body_text}" if body.described else f"{state.label} {body_text}"
    return linker.mint(PEN.GovernmentBody, label, part_of=state), "body"


def inner_states(doc: Doc, out: ArticleMentions, linker: Linker, bodies: list[Body]) -> None:
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

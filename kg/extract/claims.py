"""Claims of one sentence: which source says each event it tells, and whether it breaks a ban.

The sentence's cues (a source with the words it governs) come from
:mod:`kg.extract.attribution`. An event told in the sentence gets a claim by the source of
the innermost cue whose scope holds the event's words; an event outside every scope (the
article's own voice: 'the North has not tested since 2018, although analysts believe ...')
gets no claim — the article's voice is not a source. A cue whose clause names the article's
launch or nuclear test without telling it ('the military said it flew 950 km') gives a
claim about that event. The compliance claims ('didn't appear to violate a UN ban') come
from :mod:`kg.extract.compliance`. A source that tells of a facility or a weapon system
itself ('the CSIS said the base located in … is intended to …') claims that about the
entity (:func:`entity_claims`); an article's claims by one source about one entity are one
claim (:func:`merge_entity_claims`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spacy.tokens import Doc, Span, Token

from kg.extract.attribution import Attribution, Cue, attribution_of, cues_for, same_source, tokens_of
from kg.extract.compliance import compliance_claims, instrument_of, violation_scopes
from kg.extract.link import Linker
from kg.extract.mentions import sentence_span
from kg.extract.modality import is_hedged
from kg.facts import Claim, Entity, EventFact, Source, TextSpan
from kg.namespaces import PEN

__all__ = [
    "Attribution",
    "Cue",
    "attribution_of",
    "compliance_claims",
    "entity_claims",
    "instrument_of",
    "merge_entity_claims",
    "sentence_claims",
]


def _speaker_is(ev: EventFact, src: Source) -> bool:
    if src.entity is None:
        return ev.speaker_source is not None and same_source(ev.speaker_source, src)
    return any(e.iri == src.entity.iri for e in ev.roles.get("speaker", []))


def _reported_statement(ev: EventFact, tokens: Sequence[Token], cue: Cue) -> bool:
    """A statement is a source's claim only when the cue reports it directly ('quoted by
    KCNA, accused', 'KCNA reported that she threatened') and the source is not its speaker."""
    if _speaker_is(ev, cue.source):
        return False
    a = cue.anchor.i
    return any(t.i == a or (t.head.i == a and t.dep_ in ("ccomp", "conj")) for t in tokens)


# words that name a launch or a nuclear test the sentence does not tell as an event
_FAMILY_WORDS = {
    "launch": {"missile", "rocket", "launch", "firing", "projectile", "icbm", "slbm"},
    "nuclear-test": {"blast", "explosion", "detonation", "device", "bomb", "tremor", "quake", "earthquake"},
}
_BACK_WORDS = {"it", "they", "same", "incident", "test", "tests", "testing"}
_EVENTS_KEY = "kg.claims.events"


def _events_so_far(doc: Doc) -> list[EventFact]:
    seen = doc.user_data.get(_EVENTS_KEY)
    if not isinstance(seen, list):
        seen = []
        doc.user_data[_EVENTS_KEY] = seen
    return seen


def _named_event(cue: Cue, seen: Sequence[EventFact]) -> EventFact | None:
    """The launch or nuclear test the clause a cue reports is about when the sentence
    names it without telling it: its subject or object, or their possessor, is a word for
    one ('the South Korean military said it flew 950 km', 'officials downplayed the
    missiles', 'the agency estimated its yield'). A pronoun or 'the same' is the latest
    such event of the article; a noun the first (the lead event), of its family."""
    clause = [cue.anchor]
    clause += [c for c in cue.anchor.children if c.dep_ in ("ccomp", "xcomp") and c.i not in cue.exclude]
    for verb in clause:
        for c in verb.children:
            if c.i in cue.exclude or c.dep_ not in ("nsubj", "nsubjpass", "dobj"):
                continue
            for w in [c, *[p for p in c.children if p.dep_ == "poss"]]:
                lemma = w.lemma_.lower()
                nuclear = any(m.lower_ == "nuclear" for m in w.children)
                actual = [e for e in seen if e.modality == "actual"]
                if lemma in _BACK_WORDS or w.pos_ == "PRON":
                    if lemma not in _BACK_WORDS and lemma not in ("its", "their"):
                        continue
                    fams = ("nuclear-test",) if nuclear else ("launch", "nuclear-test")
                    hits = [e for e in actual if _family(e) in fams]
                    if hits:
                        return hits[-1]
                    continue
                for fam, words in _FAMILY_WORDS.items():
                    if lemma in words or (fam == "nuclear-test" and nuclear):
                        hits = [e for e in actual if _family(e) == fam]
                        if hits:
                            return hits[0]
    return None


def _family(ev: EventFact) -> str:
    return {"test": "launch"}.get(ev.kind, ev.kind)


def _hedge_scope(cue: Cue, cues: Sequence[Cue]) -> list[Token]:
    """The cue's words without those of another cue nested in it."""
    inner = [c for c in cues if c is not cue and c.anchor.i != cue.anchor.i and cue.covers(c.anchor)]
    return [t for t in cue.scope() if not any(c.covers(t) for c in inner)]


def sentence_claims(
    sent: Span,
    attribution: Attribution,
    told: Sequence[EventFact],
    salient: Callable[[str], EventFact | None],
    linker: Linker,
) -> list[Claim]:
    """The claims of one sentence: for each told event, one by each source whose cue is
    the innermost over some of the event's words; a claim about the article's launch or
    nuclear test when a cue's clause names one the sentence does not tell; and the
    compliance claims. ``salient(family)`` is the article's latest event of a family."""
    seen = _events_so_far(sent.doc)
    claims: list[Claim] = []
    compliance = compliance_claims(sent, attribution, None, told=told, salient=salient)
    for claim, words in compliance:
        claim.instrument = instrument_of(words, linker)
    violators = {id(c.about) for c, _ in compliance if c.about is not None}
    violating_words = violation_scopes(sent)
    covered: set[int] = set()

    def add(cue: Cue, ev: EventFact) -> None:
        if any(c.about is ev and same_source(c.source, cue.source) for c in claims):
            return
        polarity = ev.modality != "negated"
        if cue.denial:
            polarity = not polarity
        claims.append(_claim_by(cue, attribution, sent, about=ev, polarity=polarity, confidence=0.7))
        covered.add(id(cue))

    for ev in told:
        tokens = tokens_of(ev, sent)
        if not tokens:
            continue
        # told only as what breaks (or not) a resolution: the compliance claim says it
        if id(ev) in violators and all(t.i in violating_words for t in tokens):
            continue
        for tok in tokens:
            for cue in cues_for([tok], attribution.cues):
                if ev.kind == "statement" and not _reported_statement(ev, tokens, cue):
                    continue
                add(cue, ev)
                break
    for ev in told:
        if all(e is not ev for e in seen):
            seen.append(ev)
    for cue in attribution.cues:
        if id(cue) in covered:
            continue
        named = _named_event(cue, seen)
        if named is not None and all(e is not named for e in told):
            add(cue, named)
    return claims + [c for c, _ in compliance]


def _claim_by(cue: Cue, attribution: Attribution, sent: Span, **fields: Any) -> Claim:
    """The claim of a cue's source over the sentence (its words, hedging and channel)."""
    sb, se = sentence_span(sent)
    return Claim(
        source=cue.source,
        span=TextSpan(sb, se, sb, se),
        gist=sent.text.strip(),
        hedged=is_hedged(_hedge_scope(cue, attribution.cues)),
        via=cue.via.entity if cue.via is not None else None,
        **fields,
    )


def entity_claims(
    sent: Span, attribution: Attribution, told: Sequence[tuple[Entity, TextSpan]]
) -> list[Claim]:
    """The claims of one sentence about entities it tells of (a facility's existence or
    whereabouts, a weapon system's range), each with the words that tell it: one by the
    source of the innermost cue over those words; none when the article tells it in its own
    voice."""
    out: list[Claim] = []
    for entity, words in told:
        span = sent.doc.char_span(words.begin, words.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        cues = cues_for([span.root], attribution.cues)
        if not cues:
            continue
        cue = cues[0]
        if cue.source.entity is not None and cue.source.entity.iri == entity.iri:
            continue
        if any(
            c.subject is not None and c.subject.iri == entity.iri and same_source(c.source, cue.source)
            for c in out
        ):
            continue
        out.append(_claim_by(cue, attribution, sent, about=None, subject=entity))
    return out


def merge_entity_claims(claims: Sequence[Claim]) -> list[Claim]:
    """One claim per source and subject in an article: a later sentence by the same source
    about the same entity grounds the first claim too ('the CSIS disclosed a report … a
    secret missile base'; 'the CSIS said the base …'), which is hedged only when every
    telling is, and relayed through the outlet any telling names. So does a later sentence
    by the same source about the same event, with the same polarity ('the agency said the
    missile flew 1,000 km'; 'the agency called it a success')."""
    out: list[Claim] = []
    for c in claims:
        first = next((k for k in out if _same_claim(k, c)), None)
        if first is None:
            out.append(c)
            continue
        _fold(first, c)
    return _state_voice(out)


def _fold(first: Claim, c: Claim) -> None:
    """``c`` tells again what ``first`` asserts: its words ground ``first``."""
    if c.span != first.span and c.span not in first.also:
        first.also.append(c.span)
    first.hedged = first.hedged and c.hedged
    first.via = first.via or c.via


def _state_voice(claims: list[Claim]) -> list[Claim]:
    """An unnamed 'state media' source's claim about its state's own launch or test is
    the claim of that state's news outlet when the article names the outlet telling the
    same event ('state media said …' and 'KCNA said …' of the North's launch are one
    source): the outlet's claim keeps both wordings. (A claim by the state itself stays:
    'North Korea said' names who asserts.)"""
    out: list[Claim] = []
    for c in claims:
        state = c.about.first("launchingState") if c.about is not None else None
        outlet = None
        if state is not None and _state_voiced(c):
            outlet = next(
                (
                    k
                    for k in claims
                    if k is not c
                    and k.about is c.about
                    and k.polarity == c.polarity
                    and k.source.entity is not None
                    and k.source.entity.cls == PEN.NewsOutlet
                    and k.source.entity.state == state.iri
                ),
                None,
            )
        if outlet is None:
            out.append(c)
        else:
            _fold(outlet, c)
    return out


def _state_voiced(c: Claim) -> bool:
    """Whether the claim's source is a state's media left unnamed ('its state media')."""
    words = c.source.description.lower()
    return c.source.entity is None and ("state media" in words or "state news" in words)


def _same_claim(k: Claim, c: Claim) -> bool:
    """Whether ``c`` tells again what ``k`` asserts: same source and same subject or event."""
    if not same_source(k.source, c.source):
        return False
    if c.subject is not None:
        return k.subject is not None and k.subject.iri == c.subject.iri
    return (
        c.about is not None
        and k.about is c.about
        and k.subject is None
        and k.polarity == c.polarity
        and k.compliance == c.compliance
        and k.violates == c.violates
    )

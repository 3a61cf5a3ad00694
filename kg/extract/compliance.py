"""Compliance claims: what a sentence says about an event breaking a ban or resolution.

Sentences that say an event does or does not break a ban or resolution give a compliance
claim ('didn't appear to violate a UN ban', 'not covered by UN Security Council
resolutions', 'in violation of UN resolutions'), hedged when the words hedge, by the
sentence's source even when the clause that says it has none of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from spacy.tokens import Span, Token

from kg.extract.attribution import Attribution, Cue, cues_for, tokens_of
from kg.extract.link import Linker
from kg.extract.mentions import sentence_span
from kg.extract.modality import is_hedged
from kg.facts import Claim, Entity, EventFact, TextSpan

__all__ = ["compliance_claims", "instrument_of", "violation_scopes"]

_VIOLATION_VERBS = {"violate", "breach", "defy", "contravene", "flout", "break"}
_COVER_VERBS = {"cover", "prohibit", "ban", "forbid", "bar"}
_VIOLATION_NOUNS = {"violation", "breach", "defiance", "contravention"}
_INSTRUMENT = re.compile(
    r"(?:U\.?N\.?|United Nations)(?: Security Council)?(?: resolutions?| bans?| sanctions)?"
    r"|Security Council (?:resolutions?|bans?|sanctions)|(?:international|U\.?N\.?) (?:constraints|law|sanctions)"
    r"|\bresolutions? \d{3,4}",
)


def instrument_of(words: str, linker: Linker) -> Entity | None:
    """The body whose resolutions or ban a compliance claim names: the UN Security Council
    when the words say UN, United Nations, Security Council or a numbered resolution."""
    if re.search(r"U\.?N\.?|United Nations|Security Council|resolutions? \d", words):
        return linker.exact("UN Security Council", ("InternationalOrganisation", "Organisation"))
    return None


def _negated_around(tok: Token) -> bool:
    chain = [tok, *list(tok.ancestors)[:2]]
    return any(any(c.dep_ == "neg" for c in v.children) for v in chain)


def _violation_word(t: Token) -> bool | None:
    """Whether the word says a breach (True), says none (False), or is no such word (None)."""
    lemma = t.lemma_.lower()
    if t.pos_ in ("VERB", "AUX") and lemma in _VIOLATION_VERBS:
        return not _negated_around(t)
    if t.pos_ in ("VERB", "AUX") and lemma in _COVER_VERBS:
        # 'not covered by UN resolutions' says the act is allowed; 'banned by' that it is not
        if not any(c.dep_ in ("agent", "auxpass", "nsubjpass") for c in t.children):
            return None
        return not _negated_around(t)
    if t.pos_ == "NOUN" and lemma in _VIOLATION_NOUNS:
        return not _negated_around(t)
    return None


def _violator(t: Token) -> Token | None:
    """What is said to break the ban: the subject of the verb, or the clause 'in violation
    of' hangs on."""
    if t.pos_ in ("VERB", "AUX"):
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass")]
        if subj:
            return subj[0]
        # 'appear to violate': the subject of the raising verb
        head = t
        while head.dep_ in ("xcomp", "ccomp") and head.head.i != head.i:
            head = head.head
            subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                return subj[0]
        return None
    head = t.head
    while head.pos_ not in ("VERB", "AUX", "NOUN") and head.head.i != head.i:
        head = head.head
    return head


def violation_scopes(sent: Span) -> set[int]:
    """The token indices under a verb of breaking a ban ('violate', 'breach'), and under its subject when that is not a verb."""
    out: set[int] = set()
    for t in sent:
        if _violation_word(t) is not None and t.pos_ in ("VERB", "AUX"):
            out |= {x.i for x in t.subtree}
            v = _violator(t)  # 'the launch does not appear to violate ...'
            if v is not None and v.pos_ != "VERB":
                out |= {x.i for x in v.subtree}
    return out


def _compliance_cue(tok: Token, attribution: Attribution) -> Cue | None:
    """The cue whose scope holds the compliance words, else the sentence's main one."""
    inner = cues_for([tok], attribution.cues)
    if inner:
        return inner[0]
    if attribution.source is not None:
        return next((c for c in attribution.cues if c.source is attribution.source), None)
    return None


def compliance_claims(
    sent: Span,
    attribution: Attribution,
    about: EventFact | None,
    *,
    told: Sequence[EventFact] = (),
    salient: Callable[[str], EventFact | None] | None = None,
) -> list[tuple[Claim, str]]:
    """Compliance claims of a sentence, each with the instrument's words as written.

    The claim is about the launch the violating words are said of: an event told by them
    ('the tests violate UN resolutions'), or, for a word that refers back ('it', 'the
    incident', 'they', 'launching cruise missiles'), the launch told in the sentence,
    ``about``, or the article's latest launch. Acts that are not launches ('continuing to
    build missiles in violation of ...') give no claim."""
    sb, se = sentence_span(sent)
    out: list[tuple[Claim, str]] = []
    m = _INSTRUMENT.search(sent.text)
    if m is None:
        return out
    for t in sent:
        violates = _violation_word(t)
        if violates is None:
            continue
        target = _violation_target(t, sent, told, about, salient)
        if target is None:
            continue
        cue = _compliance_cue(t, attribution)
        if cue is None:
            continue  # a claim needs its source; the article's own voice is not one
        claim = Claim(
            source=cue.source,
            about=target,
            span=TextSpan(sb, se, sb, se),
            gist=sent.text.strip(),
            polarity=True,
            hedged=is_hedged(list(sent)),
            via=cue.via.entity if cue.via is not None else None,
            compliance=True,
            violates=violates,
            confidence=0.6,
        )
        out.append((claim, m.group(0)))
        break
    return out


_REFERS_BACK = {"it", "they", "this", "that", "these", "those", "which", "incident", "move", "act", "same"}
_LAUNCH_LEMMAS = {"launch", "test", "fire", "firing", "testing", "missile", "rocket", "shot", "projectile"}


def _violation_target(
    t: Token,
    sent: Span,
    told: Sequence[EventFact],
    about: EventFact | None,
    salient: Callable[[str], EventFact | None] | None,
) -> EventFact | None:
    launches = [e for e in told if e.kind in ("launch", "test")]
    fallback = (
        launches[0] if launches else about if about is not None else salient("launch") if salient else None
    )
    v = _violator(t)
    if v is None:
        return fallback
    words = {x.i for x in v.subtree} if v.pos_ != "VERB" else {v.i}
    for ev in told:
        if any(tok.i in words for tok in tokens_of(ev, sent)):
            return ev if ev.kind in ("launch", "test", "nuclear-test") else None
    lemmas = {x.lemma_.lower() for x in (v.subtree if v.pos_ != "VERB" else [v])}
    if lemmas & (_LAUNCH_LEMMAS | _REFERS_BACK):
        return fallback
    return None

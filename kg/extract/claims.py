"""Attribution and compliance claims of one sentence.

A sentence's source is the subject of a reporting verb ('the Defence Ministry said'), the
agent of a passive one ('were confirmed by two senior officials'), or the object of
'according to' / 'as per' / 'per'. An outlet named with 'as per'/'per' beside another
source is the channel (``via``); alone, it is the source. Each event the sentence tells
gets a claim by that source. Sentences that say an event does or does not break a ban or
resolution give a compliance claim, hedged when the words hedge.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.extract.entities import ArticleMentions, sentence_span
from kg.extract.events import SPEECH_LEMMAS
from kg.extract.modality import is_hedged
from kg.extract.sources import source_of
from kg.extract.types import Claim, EventFact, Source, TextSpan
from kg.link import Linker
from kg.namespaces import PEN

__all__ = ["Attribution", "attribution_of", "compliance_claims"]

_REPORT_LEMMAS = SPEECH_LEMMAS | {
    "confirm",
    "downplay",
    "believe",
    "warn",
    "accuse",
    "urge",
    "indicate",
    "point",
}
_VIOLATION_VERBS = {"violate", "breach", "defy", "prohibit", "ban", "cover", "contravene", "flout"}
_VIOLATION_NOUNS = {"violation", "breach", "defiance"}
_DESPITE_NOUNS = {"prohibition", "prohibitions", "ban", "sanctions", "resolution", "resolutions"}
_INSTRUMENT = re.compile(
    r"(?:U\.?N\.?|United Nations)(?: Security Council)?(?: resolutions?| ban| sanctions)?|Security Council resolutions?|international (?:constraints|law|sanctions)",
)


class Attribution:
    """The source of a sentence and the outlet it came through."""

    def __init__(self, source: Source | None, via: Source | None, verb: Token | None) -> None:
        self.source = source
        self.via = via
        self.verb = verb


def _outlet(src: Source | None) -> bool:
    return bool(src and src.entity is not None and src.entity.cls == PEN.NewsOutlet)


def attribution_of(sent: Span, mentions: ArticleMentions, linker: Linker) -> Attribution:
    """Who the sentence says its facts come from."""
    source: Source | None = None
    via: Source | None = None
    verb: Token | None = None
    for t in sent:
        # 'according to X', 'as per X', 'per X', 'citing X'
        if t.lower_ in ("per", "to", "citing") and (
            t.lower_ != "to" or (t.i > 0 and t.doc[t.i - 1].lower_ == "according")
        ):
            objs = [c for c in t.children if c.dep_ == "pobj"]
            if objs:
                src = source_of(list(objs[0].subtree), mentions, linker)
                if src is not None:
                    if t.lower_ == "per" and (
                        _outlet(src) or (src.entity is not None and src.entity.cls == PEN.Organisation)
                    ):
                        via = src
                    elif source is None:
                        source = src
    for t in sent:
        if t.pos_ != "VERB" or t.lemma_ not in _REPORT_LEMMAS:
            continue
        subj = [c for c in t.children if c.dep_ in ("nsubj",)]
        agent = [g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        # 'the officials sought to downplay it, noting that ...': the subject is the clause's
        up = t
        while not (subj or agent) and up.dep_ in ("advcl", "xcomp", "conj") and up.head is not up:
            up = up.head
            subj = [c for c in up.children if c.dep_ == "nsubj"]
        head = subj or agent
        if not head:
            continue
        if head[0].pos_ == "PRON":
            continue
        src = source_of(list(head[0].subtree), mentions, linker)
        if src is None:
            continue
        if source is None or (t.dep_ == "ROOT"):
            source, verb = src, t
    if source is None and via is not None:
        source, via = via, None
    return Attribution(source, via, verb)


def _negated_around(tok: Token) -> bool:
    chain = [tok, *list(tok.ancestors)[:2]]
    return any(any(c.dep_ == "neg" for c in v.children) for v in chain)


def compliance_claims(
    sent: Span, attribution: Attribution, about: EventFact | None
) -> list[tuple[Claim, str]]:
    """Compliance claims of a sentence, each with the instrument's words as written."""
    sb, se = sentence_span(sent)
    out: list[tuple[Claim, str]] = []
    for t in sent:
        lemma = t.lemma_.lower()
        violates: bool | None = None
        if t.pos_ in ("VERB", "AUX") and lemma in _VIOLATION_VERBS:
            if lemma == "cover" and not any(c.dep_ == "agent" for c in t.children):
                continue
            negated = _negated_around(t)
            violates = not negated
        elif t.pos_ == "NOUN" and lemma in _VIOLATION_NOUNS:
            violates = not _negated_around(t)
        elif t.pos_ == "NOUN" and t.lower_ in _DESPITE_NOUNS and t.head.lower_ == "despite":
            violates = True
        if violates is None:
            continue
        m = _INSTRUMENT.search(sent.text)
        if m is None or attribution.source is None:
            continue  # a claim needs its source; the article's own voice is not one
        claim = Claim(
            source=attribution.source or Source(),
            about=about,
            span=TextSpan(sb, se, sb, se),
            gist=sent.text.strip(),
            polarity=True,
            hedged=is_hedged(list(sent)),
            compliance=True,
            violates=violates,
            confidence=0.6,
        )
        out.append((claim, m.group(0)))
        break
    return out

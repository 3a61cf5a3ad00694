"""Plural definite phrases that stand for two states or two persons: 'the two
countries', 'both sides', 'the two nations', 'the two ministers', 'both leaders', and the
fixed 'the two Koreas'.

Such a phrase names no one itself; it refers to the two states (or persons) the text has
just been about. It is resolved to the two most recent distinct states (persons) mentioned
before it, in its own sentence or the two sentences before; with fewer than two there, it
stays unresolved. 'The two Koreas' always means North and South Korea.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from kg.extract.link import Linker
from kg.extract.mentions import ArticleMentions, sentences_back
from kg.facts import Entity
from kg.namespaces import PEN

__all__ = ["PAIR_NOUNS", "PERSON_PAIR_NOUNS", "pair_entities_in", "pair_phrase", "recent_pair"]

# nouns that, counted as two, stand for two states ('party' is left out: political parties)
PAIR_NOUNS = {"country", "nation", "state", "side", "government", "ally", "neighbour", "neighbor"}
# nouns that, counted as two, stand for two persons: 'the two ministers', 'both leaders'
PERSON_PAIR_NOUNS = {"minister", "leader", "man", "woman", "president", "official", "envoy", "diplomat"}
_SENTENCES_BACK = 2
# plural names of a fixed pair of states
_NAMED_PAIRS = {"koreas": ("North Korea", "South Korea")}


def pair_phrase(tok: Token) -> bool:
    """Whether a token heads 'the two countries' / 'both sides' (plural, counted as two)."""
    if tok.lower_ in _NAMED_PAIRS:
        return True
    if tok.lemma_.lower() not in PAIR_NOUNS | PERSON_PAIR_NOUNS or tok.tag_ not in ("NNS", "NNPS"):
        return False
    return any(
        (c.dep_ == "nummod" and c.lower_ == "two") or (c.dep_ in ("det", "predet") and c.lower_ == "both")
        for c in tok.children
    )


def recent_pair(tok: Token, mentions: ArticleMentions) -> list[Entity]:
    """The two states (persons, for 'the two ministers') a pair phrase headed by ``tok``
    refers back to, or none."""
    cls = PEN.Person if tok.lemma_.lower() in PERSON_PAIR_NOUNS else PEN.State
    begin = sentences_back(tok, _SENTENCES_BACK).idx
    before = sorted(
        (m for m in mentions.mentions if begin <= m.span.begin and m.span.end <= tok.idx),
        key=lambda m: m.span.begin,
        reverse=True,
    )
    found: list[Entity] = []
    for m in before:
        if m.entity.cls == cls and all(e.iri != m.entity.iri for e in found):
            found.append(m.entity)
        if len(found) == 2:
            return found
    return []


def pair_entities_in(toks: Sequence[Token], mentions: ArticleMentions, linker: Linker) -> list[Entity]:
    """The states and persons the pair phrases among ``toks`` stand for."""
    out: list[Entity] = []
    for t in toks:
        if not pair_phrase(t):
            continue
        named = _NAMED_PAIRS.get(t.lower_)
        found = [linker.state(n) for n in named] if named else recent_pair(t, mentions)
        for e in found:
            if e is not None and all(x.iri != e.iri for x in out):
                out.append(e)
    return out

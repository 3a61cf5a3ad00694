"""Who a claim or statement comes from, when it is not a named entity: anonymous sources
('two senior officials who spoke on condition of anonymity') and unenumerated groups
('military analysts', 'U.S. officials')."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from kg.extract.annotate import doc_text
from kg.extract.entities import ArticleMentions, sentence_span
from kg.extract.link import Linker
from kg.extract.names import COMMON_TITLES
from kg.facts import Entity, Source, TextSpan
from kg.namespaces import PEN

__all__ = ["BODY_NOUNS", "SOURCE_NOUNS", "source_of"]

SOURCE_NOUNS = {
    "official",
    "source",
    "diplomat",
    "analyst",
    "expert",
    "observer",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "aide",
    "researcher",
    "lawmaker",
    "person",
    "people",
    "insider",
    "officer",
    "scholar",
    "watcher",
}
_ANONYMITY = (
    "anonymity",
    "anonymously",
    "unnamed",
    "not authorized",
    "declined to be named",
    "unidentified",
    "not be named",
    "not to be named",
    "not to be identified",
    "declined to be identified",
    "without being named",
    "on background",
    "requested anonymity",
)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "several": None, "a": 1, "an": 1, "one": 1}


# words for a body the linker did not resolve ('the defence ministry', 'the military')
BODY_NOUNS = {
    "ministry",
    "military",
    "agency",
    "government",
    "army",
    "navy",
    "command",
    "office",
    "department",
    "authorities",
    "administration",
    "media",  # 'state media said'
    "medium",  # (spaCy's lemma of 'media')
}


def _unnamed_body(head: Token, mentions: ArticleMentions) -> Source:
    """A body named by a common noun: a group, not an anonymous source."""
    phrase = sorted(head.subtree, key=lambda t: t.i)
    while phrase and (phrase[-1].is_punct or phrase[-1].is_space):
        phrase.pop()
    sb, se = sentence_span(head.sent)
    begin, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
    return Source(description=doc_text(head.doc)[begin:end], span=TextSpan(begin, end, sb, se))


# nouns by which a text refers back to a news outlet it named ('the news agency said',
# 'the state-run outlet said')
_OUTLET_NOUNS = {"agency", "outlet"}


def _outlet_told_before(head: Token, mentions: ArticleMentions) -> Entity | None:
    """The news outlet a definite 'the (news) agency' or 'the outlet' refers back to: the
    last one the article named before it, if any."""
    if head.lemma_.lower() not in _OUTLET_NOUNS or not any(c.lower_ == "the" for c in head.lefts):
        return None
    before = [m for m in mentions.mentions if m.span.end <= head.idx and m.entity.cls == PEN.NewsOutlet]
    return before[-1].entity if before else None


def _head(tokens: Sequence[Token]) -> Token | None:
    toks = set(t.i for t in tokens)
    for t in tokens:
        if t.head.i not in toks or t.head.i == t.i:
            return t
    return None


def source_of(tokens: Sequence[Token], mentions: ArticleMentions, linker: Linker) -> Source | None:
    """The source a noun phrase names: its entity when the phrase's head is a linked
    mention, else an anonymous source or a group when the head is a word for people."""
    if not tokens:
        return None
    head = _head(tokens)
    if head is None:
        return None
    m = mentions.at(head)
    if m is not None and m.entity.cls != PEN.WeaponSystem:
        return Source(entity=m.entity)
    if head.lemma_.lower() in BODY_NOUNS and head.lemma_.lower() not in SOURCE_NOUNS:
        outlet = _outlet_told_before(head, mentions)
        return Source(entity=outlet) if outlet is not None else _unnamed_body(head, mentions)
    # an apposition set off by a comma ('the ambassador, Zhang Jun,'), not a title run into
    # the name ('the leader Kim Jong Un', which another verb than a saying may govern)
    named_in_apposition = {
        m.entity.iri: m.entity
        for c in head.children
        if c.dep_ == "appos" and c.left_edge.i > 0 and c.doc[c.left_edge.i - 1].text == ","
        for t in c.subtree
        if (m := mentions.at(t)) is not None and m.entity.cls == PEN.Person
    }
    if (
        head.tag_ == "NN"
        and head.lemma_.lower() in SOURCE_NOUNS | COMMON_TITLES
        and len(named_in_apposition) == 1
    ):
        # 'the spokesman of the State Department, Jane Roe', 'China's ambassador to the
        # United Nations, Zhang Jun': the person the apposition names
        return Source(entity=next(iter(named_in_apposition.values())))
    if head.lemma_.lower() not in SOURCE_NOUNS:
        return None
    phrase = sorted(head.subtree, key=lambda t: t.i)
    # the phrase, and an appositive participle after it ('officials, speaking anonymously')
    sent_text = head.sent.text.lower()
    local = " ".join(t.lower_ for t in phrase)
    around = local + " " + " ".join(t.lower_ for t in head.head.subtree if t.i > head.i and t.i < head.i + 8)
    anonymous = any(cue in around or cue in local for cue in _ANONYMITY)
    singular = head.tag_ == "NN"
    named = [m for t in phrase if (m := mentions.at(t)) is not None and m.entity.cls == PEN.Person]
    if singular and not named:
        anonymous = True
    if not anonymous and "anonymity" in sent_text and head.dep_ in ("nsubj", "pobj"):
        anonymous = "condition of anonymity" in sent_text
    affiliation: Entity | None = None
    for t in phrase:
        mt = mentions.at(t)
        if mt is None:
            continue
        ent = mt.entity
        if ent.cls == PEN.Person and ent.state is not None and ent.state in linker.by_iri:
            ent = linker.by_iri[ent.state]
        if ent.cls in (PEN.State, PEN.GovernmentBody, PEN.InternationalOrganisation, PEN.Organisation):
            affiliation = ent
            break
    count = None
    for c in head.children:
        if c.dep_ == "nummod" and c.lower_ in _NUMBERS:
            count = _NUMBERS[c.lower_]
        elif c.dep_ == "nummod" and c.text.isdigit():
            count = int(c.text)
    sb, se = sentence_span(head.sent)
    begin = phrase[0].idx
    end = phrase[-1].idx + len(phrase[-1].text)
    if phrase[-1].is_punct:
        end = phrase[-2].idx + len(phrase[-2].text) if len(phrase) > 1 else end
    text = doc_text(head.doc)[begin:end]
    return Source(
        description=text,
        anonymous=anonymous,
        affiliation=affiliation,
        count=count,
        span=TextSpan(begin, end, sb, se),
    )

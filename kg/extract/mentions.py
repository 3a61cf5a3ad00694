"""The linked mentions of one article and the character spans they are given.

:class:`ArticleMentions` holds an article's mentions with an index from tokens to mentions;
:func:`sentence_span` and :func:`text_span` give the character bounds facts are anchored
to; :func:`trim_span` cleans an entity span's edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from spacy.tokens import Doc, Span, Token

from kg.facts import Entity, LinkedMention, TextSpan

__all__ = ["ArticleMentions", "sentence_span", "sentences_back", "text_span", "trim_span"]


def sentences_back(tok: Token, n: int) -> Token:
    """The first token of the sentence ``n`` sentences before ``tok``'s (or of the
    document's first): where a back reference from ``tok`` may look."""
    first = tok.sent.start
    for _ in range(n):
        if first == 0:
            break
        first = tok.doc[first - 1].sent.start
    return tok.doc[first]


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
    """The linked mentions of one article, with an index from tokens to mentions, and
    where the article says its facilities lie (``located_in``: a back reference to 'the
    area' of a facility means that place)."""

    doc: Doc
    mentions: list[LinkedMention] = field(default_factory=list)
    by_token: dict[int, LinkedMention] = field(default_factory=dict)
    located_in: dict[URIRef, Entity] = field(default_factory=dict)

    def add(self, span: Span, entity: Entity, how: str, label: str) -> LinkedMention:
        """Records that ``span`` mentions ``entity`` (linked by ``how``) and returns the mention."""
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
        """The mention that covers ``token``, if any."""
        return self.by_token.get(token.i)


def trim_span(span: Span) -> Span:
    """Drop a trailing possessive and surrounding punctuation from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end] if end > start else span

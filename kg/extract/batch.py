"""The extraction of one batch of articles: annotate, link, extract facts, map to RDF."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from functools import lru_cache

import rdflib
from rdflib import URIRef
from spacy.tokens import Doc

from kg.dates.resolve import resolve_after
from kg.extract.annotate import annotate, load_reference_entries
from kg.extract.claims import attribution_of, entity_claims, merge_entity_claims, sentence_claims
from kg.extract.coref import EventMerger, family_of
from kg.extract.entities import find_mentions, sentence_span
from kg.extract.events import find_events
from kg.extract.facilities import find_facilities
from kg.extract.link import Linker
from kg.extract.posts import HoldingLookup, find_posts, reference_lookup
from kg.extract.summits import Term, drop_represented_states, head_terms, type_summits
from kg.extract.weapons import weapon_attributes
from kg.facts import Article, Attribute, Claim, EventFact, ExtractionRun
from kg.rdf.mapping import ArticleFacts, article_graph

__all__ = ["extract_batch", "facts_of", "linker"]


@lru_cache(maxsize=4)
def linker(base: str) -> Linker:
    """The linker over the reference data under ``base``; built once per process."""
    return Linker(base, load_reference_entries(base))


@lru_cache(maxsize=4)
def _lookup(base: str) -> HoldingLookup:
    return reference_lookup(base)


@lru_cache(maxsize=4)
def _head_terms(base: str) -> dict[URIRef, list[Term]]:
    return head_terms(base)


def sentences_of(doc: Doc) -> list[tuple[int, int]]:
    """The non-empty sentences of ``doc`` as (begin, end) character offsets."""
    out = []
    for sent in doc.sents:
        begin, end = sentence_span(sent)
        if end > begin:
            out.append((begin, end))
    return out


def facts_of(article: Article, doc: Doc, *, base: str) -> ArticleFacts:
    """The facts of one annotated article: mentions, post holdings, events, claims, and
    what it tells of its facilities and weapon systems."""
    lk = linker(base)
    mentions = find_mentions(doc, lk)
    facilities = find_facilities(doc, mentions, article.slug, base, article.body_start)
    posts = find_posts(doc, mentions, lk, published=article.published, lookup=_lookup(base))
    merger = EventMerger()
    claims: list[Claim] = []
    attributes: list[Attribute] = list(facilities.attributes)
    # The headline is read after the body: it sums up events the body tells in full, so
    # its events join theirs (EventMerger.add(summary=True)) instead of opening new ones.
    body = [s for s in doc.sents if s.start_char >= article.body_start]
    headline = [s for s in doc.sents if s.start_char < article.body_start]
    for sent in body + headline:
        if not sent.text.strip():
            continue
        summary = sent.start_char < article.body_start
        attribution = attribution_of(sent, mentions, lk, headline=summary)
        told: list[EventFact] = []
        for ev in find_events(sent, mentions, lk, article.published):
            target = merger.add(ev, summary=summary)
            if target in merger.events and target not in told:
                told.append(target)
        for ev in told:
            if ev.kind == "statement" and ev.about_event is None and ev.about_families:
                ev.about_event = _about_event(ev, told, merger)
        claims.extend(sentence_claims(sent, attribution, told, merger.salient, lk))
        weapons = weapon_attributes(sent, mentions)
        attributes += weapons
        described = facilities.told_in(sent)
        described += [(a.entity, a.span) for a in weapons]
        claims.extend(entity_claims(sent, attribution, described))
    events = merger.events
    anchor_relative_dates(events)
    drop_represented_states(events, posts)
    type_summits(events, posts, _head_terms(base), article.published)
    the_launching_state(events)
    return ArticleFacts(
        article, sentences_of(doc), mentions.mentions, posts, events, merge_entity_claims(claims), attributes
    )


def the_launching_state(events: list[EventFact]) -> None:
    """A launch or test told without who made it ('two ballistic missiles had been fired
    from near Sunan') is by the one state the article's other launches and tests name, when
    they name exactly one; with none or several, it stays unknown."""
    families = ("launch", "nuclear-test", "test")
    states = {s.iri: s for e in events if e.kind in families and (s := e.first("launchingState")) is not None}
    if len(states) != 1:
        return
    (state,) = states.values()
    # told by the event's own words and by those that named the state for the others
    naming = [
        sp
        for e in events
        if e.kind in families and e.roles.get("launchingState")
        for sp in e.spans_of("launchingState", state)
    ]
    for ev in events:
        if ev.kind in families and not ev.roles.get("launchingState"):
            ev.add_role("launchingState", state, [*ev.spans, *naming])


def anchor_relative_dates(events: list[EventFact]) -> None:
    """Date the events told as 'the next day', 'two days later' or 'hours later' from the
    last event before them, in text order, that has a day of its own."""
    anchor: date | None = None
    for ev in sorted(events, key=lambda e: e.spans[0].begin):
        if ev.date is None and ev.date_text:
            ev.date = resolve_after(ev.date_text, anchor) if anchor is not None else None
        if ev.date is not None and ev.date.precision == "day":
            anchor = ev.date.earliest


def _about_event(ev: EventFact, told: list[EventFact], merger: EventMerger) -> EventFact | None:
    """What a statement's words refer to ('condemned the launch'): an event of the named
    family told in the same sentence, else the most recent one of the article."""
    for e in told:
        if e is not ev and family_of(e.kind) in ev.about_families:
            return e
    for e in reversed(merger.events):
        if e is not ev and family_of(e.kind) in ev.about_families:
            return e
    return None


def extract_batch(
    articles: Sequence[Article], *, base: str, run: ExtractionRun, n_process: int = 1
) -> Iterator[tuple[Article, rdflib.Graph]]:
    """For each article, in order, the triples of its named graph (graph-conventions.md):
    the article node with its text, its sentences and mentions, the entities they denote,
    its events, post holdings, claims and sources, all linked to the run."""
    docs = annotate((a.text for a in articles), base=base, n_process=n_process)
    for article, doc in zip(articles, docs, strict=True):
        facts = facts_of(article, doc, base=base)
        yield article, article_graph(facts, base=base, run=run)

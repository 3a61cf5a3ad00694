"""The one fact model: the plain data the stages pass on (no spaCy objects).

An :class:`Article` is read, extraction finds its facts (entities, events, claims, post
holdings) under an :class:`ExtractionRun`, and :mod:`kg.rdf.mapping` maps them to triples.

Every fact keeps the spans of text it was read from, so that ``kg.rdf.mapping`` can ground it in
mentions with exact character offsets into the article's stored text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from rdflib import URIRef

__all__ = [
    "Article",
    "Attribute",
    "Claim",
    "DateValue",
    "Entity",
    "EventFact",
    "ExtractionRun",
    "LinkedMention",
    "Modality",
    "PostFact",
    "Precision",
    "Source",
    "TextSpan",
]

Modality = Literal["actual", "planned", "predicted", "negated"]
Precision = Literal["day", "week", "month", "year"]


@dataclass(frozen=True)
class DateValue:
    """A date as far as the text lets us know it.

    ``value`` is ISO text of the precision known: '2021-03-21' (day), '2021-03' (month),
    '2021' (year); for a week it is the earliest day. ``earliest``/``latest`` bound the day
    when the date is vague ('this past weekend', 'last month'); for a precise day they are
    both that day. ``text`` is the wording it was resolved from.
    """

    value: str
    precision: Precision
    earliest: date
    latest: date
    text: str = ""


@dataclass(frozen=True)
class Article:
    """An article after reading: cleaned text and what is known of its publication.

    ``text`` is the stored text: every character offset in the graph points into it. It
    opens with the headline (``title``) when there is one; the body begins at
    ``body_start``.
    ``slug`` is a stable identifier derived from the file name (or the URL when given),
    used in the article's IRI and its graph's IRI.
    """

    slug: str
    text: str
    source_name: str
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    date_status: Literal["metadata", "text", "unknown"] = "unknown"
    url: str | None = None
    removed: tuple[str, ...] = field(default_factory=tuple)  # page furniture lines dropped
    body_start: int = 0
    retrieved: date | None = None  # when the page was fetched, when its metadata says

    @property
    def body(self) -> str:
        """The text after the headline."""
        return self.text[self.body_start :]


@dataclass(frozen=True)
class ExtractionRun:
    """What produced a build's facts. Its IRI depends on versions only, not on time, so
    that extracting an article twice yields the same graph."""

    software_version: str
    model_name: str
    model_version: str

    @property
    def key(self) -> str:
        """The run's key: software version, model name and model version."""
        return f"{self.software_version}-{self.model_name}-{self.model_version}"


@dataclass(frozen=True, order=True)
class TextSpan:
    """Characters ``begin:end`` of the article text, inside the sentence ``sent_begin:sent_end``."""

    begin: int
    end: int
    sent_begin: int
    sent_end: int


@dataclass(frozen=True)
class Entity:
    """A resolved entity: a reference entity (``minted`` False) or one minted for this text.

    ``cls`` is the ontology class (``pen:State``, ``pen:Person`` …); ``part_of`` the state a
    minted government body belongs to; ``weapon_class`` the class of a weapon system.
    """

    iri: URIRef
    cls: URIRef
    label: str
    minted: bool = False
    part_of: URIRef | None = None
    state: URIRef | None = None
    weapon_class: URIRef | None = None


@dataclass(frozen=True)
class LinkedMention:
    """One mention of an entity in the text, and how it was linked (``exact``, ``alias``,
    ``fuzzy``, ``demonym``, ``metonym``, ``partial``, ``body`` or ``minted``)."""

    span: TextSpan
    entity: Entity
    how: str
    ner_label: str = ""


@dataclass
class PostFact:
    """A person reported as holding a post: 'Japanese Foreign Minister Yoshimasa Hayashi'."""

    person: Entity
    title: str  # as written, e.g. 'first vice foreign minister'
    post_in: Entity | None  # the state or organisation the post belongs to
    role: URIRef  # a pen:Role individual
    spans: list[TextSpan]
    reference_holding: URIRef | None = None
    confidence: float = 0.8


@dataclass
class Source:
    """Who asserts a claim: a named entity, or an anonymous source / group described by
    the article's words."""

    entity: Entity | None = None
    description: str = ""
    anonymous: bool = False
    affiliation: Entity | None = None
    count: int | None = None
    span: TextSpan | None = None


@dataclass
class EventFact:
    """An event as told by one or more sentences of an article.

    ``kind`` is the IRI kind of graph-conventions.md ('launch', 'meeting', 'summit', …);
    ``cls`` its most specific ontology class. ``roles`` maps a pen: property local name
    ('launchingState', 'participant', 'speaker', 'launchSite' …) to the entities in it.
    """

    kind: str
    cls: URIRef
    spans: list[TextSpan]
    modality: Modality = "actual"
    roles: dict[str, list[Entity]] = field(default_factory=dict)
    weapon_classes: list[URIRef] = field(default_factory=list)
    date: DateValue | None = None
    date_text: str | None = None
    start: DateValue | None = None
    end: DateValue | None = None
    count: int | None = None
    range_km: float | None = None
    altitude_km: float | None = None
    quote: str | None = None
    gist: str | None = None
    purpose: str | None = None
    confidence: float = 0.7
    about_event: EventFact | None = None  # what a statement is about
    responds_to: EventFact | None = None  # 'in response to the test, …' (pen:inResponseTo)
    # the event families a statement's words name ('condemned the launch' → launch), for
    # the pipeline to resolve to an event of the sentence or the salient one
    about_families: list[str] = field(default_factory=list)
    speaker_source: Source | None = None  # an unnamed speaker of a statement
    trigger: str = ""  # the word that told the event (for tests and labels)
    definite: bool = False  # told by a definite noun phrase ('the launches'): may refer back
    # a launch told as what a source says ('officials said two missiles had been fired'),
    # with no word marking it another one ('another', 'previous', 'similar')
    reported: bool = False
    # 'the first ICBM launch since November 2017': the event falls after that date
    after: DateValue | None = None
    leaders: bool = False  # a meeting told as one of its party states' leaders (a summit)
    # mentions that refer back to the event ('the launches'); they join its denotedBy
    back_refs: list[TextSpan] = field(default_factory=list)
    # (role, entity IRI) → the spans of the words that told the event where that role was
    # read, one per sentence: the provenance of each role statement (kg.rdf.mapping)
    role_spans: dict[tuple[str, str], list[TextSpan]] = field(default_factory=dict)

    def add_role(self, role: str, entity: Entity, spans: list[TextSpan] | None = None) -> None:
        """Add ``entity`` to ``role`` (once) and note where it was read: ``spans``, by
        default the event's spans as they are now (the sentence being read)."""
        items = self.roles.setdefault(role, [])
        if all(e.iri != entity.iri for e in items):
            items.append(entity)
        told = self.role_spans.setdefault((role, str(entity.iri)), [])
        told.extend(sp for sp in (self.spans if spans is None else spans) if sp not in told)

    def spans_of(self, role: str, entity: Entity) -> list[TextSpan]:
        """The spans that told ``entity`` in ``role`` (the event's spans when none was noted)."""
        return self.role_spans.get((role, str(entity.iri))) or list(self.spans)

    def first(self, role: str) -> Entity | None:
        """The first entity in ``role``, or None."""
        items = self.roles.get(role)
        return items[0] if items else None


@dataclass(frozen=True)
class Attribute:
    """One thing an article tells of an entity itself rather than of an event: a
    facility's ``locatedIn`` or ``purpose``, a weapon system's ``rangeKm`` or
    ``capability`` (``prop`` is the pen: local name). ``mention`` is the entity's mention
    in the sentence that tells it, ``span`` the words that tell it."""

    entity: Entity
    prop: str
    value: Entity | str | float
    mention: TextSpan
    span: TextSpan


@dataclass
class Claim:
    """A source's assertion about an event reported in the article, or (``subject``) about
    an entity whose existence or properties the source tells (a facility, a weapon
    system)."""

    source: Source
    about: EventFact | None
    span: TextSpan
    gist: str
    polarity: bool = True
    hedged: bool = False
    via: Entity | None = None
    compliance: bool = False
    violates: bool | None = None
    instrument: Entity | None = None
    instrument_event: EventFact | None = None  # a resolution the text names as the instrument
    confidence: float = 0.7
    subject: Entity | None = None  # the entity the claim is about, when not an event
    also: list[TextSpan] = field(default_factory=list)  # further sentences telling the same

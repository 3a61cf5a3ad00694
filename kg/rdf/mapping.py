"""Facts → RDF triples of an article's named graph, per docs/graph-conventions.md.

Only rdflib terms are used (no RDF built from strings). Every event, post holding and
claim is grounded: ``pen:denotedBy`` mentions (sentence and character offsets into the
stored ``pen:text``), ``pen:reportedIn`` the article, ``pen:confidence`` and
``pen:extractedBy`` the run; and each fact it asserts of them (a role, a holder, a claim's
source) is grounded on its own, in the sentences that state it (:mod:`kg.rdf.statements`).
The graph says what it was derived from and by which run (PROV-O).

It stays one module over 400 lines because its builder is one object: every method adds to
the same graph and reads the same index of the article's sentences and mentions, so the
facts of each kind are grounded alike; what identifies an event is apart, in
:mod:`kg.rdf.identity`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from kg.facts import (
    Article,
    Attribute,
    Claim,
    DateValue,
    Entity,
    EventFact,
    ExtractionRun,
    LinkedMention,
    PostFact,
    Source,
    TextSpan,
)
from kg.namespaces import PEN, PROV, graph_iri, resource_iri, slugify
from kg.rdf.identity import event_iri, event_label
from kg.rdf.statements import Ledger

__all__ = [
    "ArticleFacts",
    "article_graph",
    "article_graph_iri",
    "article_iri",
    "date_literal",
    "merge_overlapping",
    "publication_graph",
    "run_graph",
    "run_iri",
]

_PRECISION = {
    "day": PEN.DayPrecision,
    "week": PEN.WeekPrecision,
    "month": PEN.MonthPrecision,
    "year": PEN.YearPrecision,
}
_MODALITY = {
    "actual": PEN.Actual,
    "planned": PEN.Planned,
    "predicted": PEN.Predicted,
    "negated": PEN.Negated,
}
_DATE_STATUS = {
    "metadata": PEN.DateFromMetadata,
    "text": PEN.DateFromText,
    "unknown": PEN.DateUnknown,
}


@dataclass
class ArticleFacts:
    """Everything extracted from one article, ready for mapping to RDF."""

    article: Article
    sentences: list[tuple[int, int]]
    mentions: list[LinkedMention] = field(default_factory=list)
    posts: list[PostFact] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)


def article_iri(slug: str, base: str) -> URIRef:
    """The IRI of an article: ``<base>resource/article/<slug>``."""
    return resource_iri("article", slug, base=base)


def article_graph_iri(slug: str, base: str) -> URIRef:
    """The named graph of an article: ``<base>graph/article/<slug>``."""
    return graph_iri("article/" + slugify(slug), base=base)


def run_iri(run: ExtractionRun, base: str) -> URIRef:
    """The IRI of an extraction run, keyed by software and model versions."""
    return resource_iri("run", run.key, base=base)


def run_graph(run: ExtractionRun, base: str, ended: str | None = None) -> Graph:
    """The run's description, for the runs graph."""
    g = Graph(identifier=graph_iri("runs", base=base))
    node = run_iri(run, base)
    g.add((node, RDF.type, PEN.ExtractionRun))
    g.add((node, RDF.type, PROV.Activity))
    g.add((node, RDFS.label, Literal(f"extraction run {run.key}", lang="en")))
    g.add((node, PEN.softwareVersion, Literal(run.software_version)))
    g.add((node, PEN.modelName, Literal(run.model_name)))
    g.add((node, PEN.modelVersion, Literal(run.model_version)))
    if ended:
        g.add((node, PROV.endedAtTime, Literal(ended, datatype=XSD.dateTime)))
    return g


def date_literal(value: DateValue) -> Literal:
    """A date typed by its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    if value.precision == "month":
        return Literal(value.value[:7], datatype=XSD.gYearMonth)
    if value.precision == "year":
        return Literal(value.value[:4], datatype=XSD.gYear)
    return Literal(value.earliest.isoformat(), datatype=XSD.date)


def _day(d: date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _nni(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def _dec(x: float) -> Literal:
    return Literal(Decimal(str(round(x, 3))), datatype=XSD.decimal)


def _km(x: float) -> Literal:
    """A distance in km as written: '4500', not '4500.0' (the reference data's form)."""
    return Literal(
        Decimal(int(x)) if float(x).is_integer() else Decimal(str(round(x, 3))), datatype=XSD.decimal
    )


_ACTORS = frozenset(
    PEN[name]
    for name in (
        "State",
        "Person",
        "Organisation",
        "GovernmentBody",
        "InternationalOrganisation",
        "NewsOutlet",
        "ThinkTank",
        "AnonymousSource",
        "Group",
    )
)


class _Builder:
    def __init__(self, facts: ArticleFacts, base: str, run: ExtractionRun) -> None:
        self.facts = facts
        self.article = facts.article
        self.base = base
        self.slug = self.article.slug
        self.text = self.article.text
        # rdflib's SimpleMemory store: half the cost of the default one to fill (no
        # per-context index, which one graph does not need)
        self.g = Graph(store="SimpleMemory", identifier=article_graph_iri(self.slug, base))
        self.node = article_iri(self.slug, base)
        self.run = run_iri(run, base)
        self._mentions: set[tuple[int, int]] = set()
        self._spans: list[tuple[int, int, int, int]] = []  # mention begin, end; its sentence's
        self._partition: list[tuple[int, int]] = []
        self.ledger = Ledger(self.slug, base)
        self._named: dict[URIRef, list[TextSpan]] = {}  # entity → its mentions
        for m in facts.mentions:
            self._named.setdefault(m.entity.iri, []).append(m.span)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def sentence_of(self, begin: int, end: int) -> URIRef:
        """The sentence node of the mention ``begin:end`` (see :meth:`sentences`)."""
        for b, e in self._partition:
            if b <= begin and end <= e:
                return resource_iri("sentence", self.slug, f"{b}-{e}", base=self.base)
        raise AssertionError(f"no sentence holds {begin}-{end}")  # the partition covers every mention

    def mention(self, span: TextSpan) -> URIRef:
        node = resource_iri("mention", self.slug, f"{span.begin}-{span.end}", base=self.base)
        if (span.begin, span.end) not in self._mentions:
            self._mentions.add((span.begin, span.end))
            self._spans.append((span.begin, span.end, span.sent_begin, span.sent_end))
            self.add(node, RDF.type, PEN.Mention)
            self.add(node, PEN.inArticle, self.node)
            self.add(node, PEN.beginIndex, _nni(span.begin))
            self.add(node, PEN.endIndex, _nni(span.end))
            self.add(node, PEN.anchorOf, Literal(self.text[span.begin : span.end]))
        return node

    def sentences(self) -> None:
        """The sentence nodes, written last: the parser's sentences and those of the
        mentions, merged where a mention crosses a boundary (a sentence split after 'U.S.'
        in 'U.S. Secretary of Defense Lloyd Austin'), so that every mention lies inside its
        sentence whatever the parser did."""
        spans = [(b, e) for b, e in self.facts.sentences]
        spans += [(sb, se) for _b, _e, sb, se in self._spans]
        spans += [(b, e) for b, e, _sb, _se in self._spans]
        self._partition = merge_overlapping(spans)
        for begin, end in self._partition:
            node = resource_iri("sentence", self.slug, f"{begin}-{end}", base=self.base)
            self.add(node, RDF.type, PEN.Sentence)
            self.add(node, PEN.inArticle, self.node)
            self.add(node, PEN.beginIndex, _nni(begin))
            self.add(node, PEN.endIndex, _nni(end))
            self.add(node, PEN.anchorOf, Literal(self.text[begin:end]))
        for begin, end, _sb, _se in self._spans:
            mention = resource_iri("mention", self.slug, f"{begin}-{end}", base=self.base)
            self.add(mention, PEN.sentence, self.sentence_of(begin, end))

    def grounded(self, node: URIRef, spans: Iterable[TextSpan], confidence: float) -> None:
        for span in spans:
            self.add(node, PEN.denotedBy, self.mention(span))
        self.add(node, PEN.confidence, _dec(confidence))
        self.add(node, PEN.extractedBy, self.run)

    def told(self, s: URIRef, p: URIRef, o: URIRef, spans: list[TextSpan], confidence: float) -> None:
        """Assert ``s p o`` and record the spans that state it, with the mentions of ``o``
        in their sentences ('North Korea' beside 'fired')."""
        self.add(s, p, o)
        sentences = {(sp.sent_begin, sp.sent_end) for sp in spans}
        named = [m for m in self._named.get(o, ()) if (m.sent_begin, m.sent_end) in sentences]
        for span in self.ledger.note(s, p, o, [*spans, *named], _dec(confidence)):
            self.mention(span)  # a mention node now, so that :meth:`sentences` places it

    def statements(self) -> None:
        """The statement nodes (after :meth:`sentences`, which places every span)."""
        self.ledger.write(
            self.g,
            mention=self.mention,
            sentence=lambda sp: self.sentence_of(sp.begin, sp.end),
            run=self.run,
        )

    def entity(self, ent: Entity) -> URIRef:
        self.add(ent.iri, RDF.type, ent.cls)
        self.add(ent.iri, RDFS.label, Literal(ent.label, lang="en"))
        if ent.minted and ent.part_of is not None:
            self.add(ent.iri, PEN.partOf, ent.part_of)
        # (a state's territory, a meeting's venue, is described in the reference graph)
        return ent.iri

    # -- the parts ---------------------------------------------------------------------

    def article_node(self) -> None:
        a = self.article
        n = self.node
        self.add(n, RDF.type, PEN.Article)
        self.add(n, RDFS.label, Literal(a.title or lead_label(a.body) or a.slug, lang="en"))
        if a.title:
            self.add(n, PEN.title, Literal(a.title))
        if a.publisher:
            outlet = resource_iri("org", a.publisher, base=self.base)
            self.add(n, PEN.publisher, outlet)
            self.add(outlet, RDF.type, PEN.NewsOutlet)
            self.add(outlet, RDFS.label, Literal(a.publisher, lang="en"))
        if a.published:
            self.add(n, PEN.published, _day(a.published))
        self.add(n, PEN.dateStatus, _DATE_STATUS[a.date_status])
        if a.url:
            self.add(n, PEN.url, Literal(a.url, datatype=XSD.anyURI))
        if a.retrieved:
            self.add(n, PEN.retrieved, _day(a.retrieved))
        self.add(n, PEN.text, Literal(a.text))
        self.add(n, PEN.sourceFile, Literal(a.source_name))
        self.add(n, PEN.extractedBy, self.run)
        # the graph's own provenance (PROV-O): what it was read from, and by which run
        graph = URIRef(self.g.identifier)
        self.add(graph, PROV.wasDerivedFrom, n)
        source = source_iri(a.url)
        if source is not None:
            self.add(graph, PROV.wasDerivedFrom, source)
        self.add(graph, PROV.wasGeneratedBy, self.run)

    def mentions(self) -> None:
        for m in self.facts.mentions:
            self.entity(m.entity)
            self.add(m.entity.iri, PEN.denotedBy, self.mention(m.span))

    def posts(self) -> None:
        for p in self.facts.posts:
            if p.reference_holding is None and p.post_in is None:
                # 'said Foreign Ministry spokesperson <name>' with no state named: a post
                # of no known state or body is no post the graph can state.
                continue
            person = self.entity(p.person)
            where = p.post_in.label if p.post_in else "unknown"
            title = p.title.strip()
            if p.reference_holding is not None:
                holding = p.reference_holding
            else:
                holding = resource_iri("holding", p.person.label, where, title, base=self.base)
                post = resource_iri("post", where, title, base=self.base)
                self.add(post, RDF.type, PEN.Post)
                self.add(post, RDFS.label, Literal(f"{title[:1].upper()}{title[1:]} of {where}", lang="en"))
                if p.post_in is not None:
                    self.add(post, PEN.postIn, self.entity(p.post_in))
                self.add(post, PEN.role, p.role)
                self.told(holding, PEN.post, post, p.spans, p.confidence)
                self.add(holding, RDFS.label, Literal(f"{p.person.label}, {title} of {where}", lang="en"))
            # (a reference holding's holder is asserted in the reference graph; the article
            # states it again, in these words)
            self.told(holding, PEN.holder, person, p.spans, p.confidence)
            self.add(holding, RDF.type, PEN.PostHolding)
            self.add(holding, PEN.title, Literal(title))
            self.add(holding, PEN.reportedIn, self.node)
            self.grounded(holding, p.spans, p.confidence)

    def events(self) -> dict[int, URIRef]:
        iris: dict[int, URIRef] = {}
        used: set[URIRef] = set()
        for ev in self.facts.events:
            n = 1
            node = event_iri(ev, self.base, article=self.slug)
            while node in used:
                n += 1
                node = event_iri(ev, self.base, n, article=self.slug)
            used.add(node)
            iris[id(ev)] = node
        for ev in self.facts.events:
            node = iris[id(ev)]
            if ev.about_event is not None and id(ev.about_event) in iris:
                self.add(node, PEN.about, iris[id(ev.about_event)])
            if ev.responds_to is not None and id(ev.responds_to) in iris:
                self.add(node, PEN.inResponseTo, iris[id(ev.responds_to)])
            if ev.speaker_source is not None:
                speaker = self.source(ev.speaker_source)
                if speaker is not None and ev.speaker_source.span is not None:
                    said = ev.speaker_source.span
                    words = [
                        sp
                        for sp in ev.spans
                        if (sp.sent_begin, sp.sent_end) == (said.sent_begin, said.sent_end)
                    ]
                    self.told(node, PEN.speaker, speaker, [*words, said], ev.confidence)
                elif speaker is not None:
                    self.told(node, PEN.speaker, speaker, list(ev.spans), ev.confidence)
            self.add(node, RDF.type, ev.cls)
            self.add(node, RDFS.label, Literal(event_label(ev), lang="en"))
            self.add(node, PEN.modality, _MODALITY[ev.modality])
            self.add(node, PEN.reportedIn, self.node)
            self.grounded(node, [*ev.spans, *ev.back_refs], ev.confidence)
            if ev.date is not None:
                self._date(node, ev.date, PEN.date)
            if ev.date_text:
                self.add(node, PEN.dateText, Literal(ev.date_text))
            if ev.start is not None:
                self.add(node, PEN.startDate, date_literal(ev.start))
            if ev.end is not None:
                self.add(node, PEN.endDate, date_literal(ev.end))
            for role, ents in ev.roles.items():
                for ent in ents:
                    self.told(node, PEN[role], self.entity(ent), ev.spans_of(role, ent), ev.confidence)
            for cls in ev.weapon_classes:
                self.add(node, PEN.weaponClass, cls)
            if ev.count is not None:
                self.add(node, PEN["count"], _nni(ev.count))
            if ev.range_km is not None:
                self.add(node, PEN.rangeKm, _dec(ev.range_km))
            if ev.altitude_km is not None:
                self.add(node, PEN.altitudeKm, _dec(ev.altitude_km))
            for prop, value in (
                (PEN.quote, ev.quote),
                (PEN.gist, ev.gist),
                (PEN.purpose, ev.purpose),
            ):
                if value:
                    self.add(node, prop, Literal(value))
        return iris

    def _date(self, node: URIRef, value: DateValue, prop: URIRef) -> None:
        self.add(node, prop, date_literal(value))
        self.add(node, PEN.datePrecision, _PRECISION[value.precision])
        self.add(node, PEN.earliest, _day(value.earliest))
        self.add(node, PEN.latest, _day(value.latest))

    def source(self, src: Source) -> URIRef | None:
        """The node of a claim's or a statement's source; None when it is none an actor can
        be (a name the model took for a place: 'Yu-na Seong, a senior fellow, said')."""
        if src.entity is not None:
            return self.entity(src.entity) if src.entity.cls in _ACTORS else None
        if src.span is None:
            return None
        node = resource_iri("source", self.slug, f"{src.span.begin}-{src.span.end}", base=self.base)
        self.add(node, RDF.type, PEN.AnonymousSource if src.anonymous else PEN.Group)
        self.add(node, PEN.anonymous, Literal(src.anonymous))
        self.add(node, PEN.description, Literal(src.description))
        self.add(node, RDFS.label, Literal(src.description, lang="en"))
        if src.affiliation is not None:
            self.add(node, PEN.affiliation, self.entity(src.affiliation))
        if src.count is not None:
            self.add(node, PEN["count"], _nni(src.count))
        self.add(node, PEN.denotedBy, self.mention(src.span))
        return node

    def claims(self, event_iris: dict[int, URIRef]) -> None:
        used: set[URIRef] = set()
        for c in self.facts.claims:
            if c.source.entity is not None and c.source.entity.cls not in _ACTORS:
                continue  # no actor told it: no claim the graph can state
            n = 1
            key = f"{c.span.begin}-{c.span.end}"
            node = resource_iri("claim", self.slug, key, base=self.base)
            while node in used:
                n += 1
                node = resource_iri("claim", self.slug, f"{key}-{n}", base=self.base)
            used.add(node)
            self.add(node, RDF.type, PEN.ComplianceClaim if c.compliance else PEN.Claim)
            told = [c.span, *c.also]
            source = self.source(c.source)
            if source is not None:
                self.told(node, PEN.claimedBy, source, told, c.confidence)
            if c.about is not None and id(c.about) in event_iris:
                self.told(node, PEN.claimAbout, event_iris[id(c.about)], told, c.confidence)
            elif c.subject is not None:
                self.told(node, PEN.claimAbout, self.entity(c.subject), told, c.confidence)
            self.add(node, PEN.statedIn, self.node)
            self.add(node, PEN.polarity, Literal(c.polarity))
            self.add(node, PEN.hedged, Literal(c.hedged))
            self.add(node, PEN.gist, Literal(c.gist))
            if c.via is not None:
                self.add(node, PEN.via, self.entity(c.via))
            if c.compliance and c.violates is not None:
                self.add(node, PEN.violates, Literal(c.violates))
            if c.compliance and c.instrument is not None:
                self.add(node, PEN.instrument, self.entity(c.instrument))
            elif c.compliance and c.instrument_event is not None and id(c.instrument_event) in event_iris:
                self.add(node, PEN.instrument, event_iris[id(c.instrument_event)])
            self.grounded(node, told, c.confidence)

    def attributes(self) -> None:
        """What the article tells of its entities themselves, on the entity's IRI in the
        article's graph (the reference graph keeps the reference values): the sentence
        that tells it holds a mention of the entity."""
        for a in self.facts.attributes:
            node = self.entity(a.entity)
            self.add(node, PEN.denotedBy, self.mention(a.mention))
            value = a.value
            if isinstance(value, Entity):
                self.add(node, PEN[a.prop], self.entity(value))
            elif isinstance(value, float):
                self.add(node, PEN[a.prop], _km(value))
            else:
                self.add(node, PEN[a.prop], Literal(value))


def article_graph(facts: ArticleFacts, *, base: str, run: ExtractionRun) -> Graph:
    """The named graph of one article: its node, sentences, mentions and facts."""
    b = _Builder(facts, base, run)
    b.article_node()
    b.mentions()
    b.posts()
    iris = b.events()
    b.claims(iris)
    b.attributes()
    b.sentences()
    b.statements()
    return b.g


def publication_graph(article: Article, of: str, *, base: str, run: ExtractionRun) -> Graph:
    """The named graph of an article that repeats the story of the article ``of`` (an id):
    its own node (title, outlet, date, URL, text, file) and ``pen:duplicateOf``, no facts."""
    b = _Builder(ArticleFacts(article, sentences=[]), base, run)
    b.article_node()
    b.add(b.node, PEN.duplicateOf, article_iri(of, base))
    return b.g


def source_iri(url: str | None) -> URIRef | None:
    """The IRI of an article's source page, when its URL is an absolute http(s) IRI (a URL
    that is not stays the literal ``pen:url`` only).

    >>> source_iri("https://example.org/news/2021/03/25/launch.html")
    rdflib.term.URIRef('https://example.org/news/2021/03/25/launch.html')
    >>> source_iri("example.org/launch") is None, source_iri("https://x.org/a b") is None
    (True, True)
    """
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or _NOT_IRI.search(url):
        return None
    return URIRef(url)


_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def lead_label(body: str, limit: int = 80) -> str:
    """A label for an article without a headline: its first sentence, cut at a word.

    >>> lead_label("North Korea fired two missiles on Sunday. Seoul said so.")
    'North Korea fired two missiles on Sunday.'
    >>> lead_label("A very long first sentence " * 5)
    'A very long first sentence A very long first sentence A very long first…'
    """
    first = re.split(r"(?<=[.!?])\s+", body.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def merge_overlapping(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans merged where they overlap, in order; empty spans dropped.

    >>> merge_overlapping([(0, 10), (12, 20), (8, 14), (30, 31)])
    [(0, 20), (30, 31)]
    """
    out: list[tuple[int, int]] = []
    for begin, end in sorted(sp for sp in spans if sp[1] > sp[0]):
        if out and begin < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((begin, end))
    return out

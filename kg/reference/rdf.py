"""The reference graph ``<base>graph/reference``: the reference data as RDF triples.

Entries become instances of their ontology class with labels, aliases (``skos:altLabel``),
demonyms, ISO codes, capitals, containment, affiliations and weapon properties; posts and
terms of office become ``pen:Post`` and ``pen:PostHolding`` nodes whose imprecise dates
are written as ``xsd:gYearMonth`` or ``xsd:gYear``, with ``pen:earliest``/``pen:latest``
day bounds (``xsd:date``) that compare whatever the precision. Every node names its source.

Labels and aliases are English (``@en``); names in other scripts are ``skos:prefLabel``s
tagged with their language. Identifiers in other data sets become ``owl:sameAs`` links: a
state's Wikidata item on the state, its GeoNames feature on its territory.
"""

from __future__ import annotations

from datetime import date

from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, XSD, Graph, URIRef
from rdflib import Literal as RDFLiteral

from kg.namespaces import DEFAULT_BASE, PEN, resource_iri
from kg.reference.load import load_reference
from kg.reference.model import KINSHIP, PLACE_CLASSES, Entry, Holding, Precision

__all__ = ["reference_graph"]


def _date_literal(value: date | None, precision: Precision, *, end: bool) -> RDFLiteral | None:
    if value is None:
        return None
    if precision == "day":
        return RDFLiteral(value.isoformat(), datatype=XSD.date)
    if end:  # the bound is the first day after the period: step back into it
        value = date.fromordinal(value.toordinal() - 1)
    if precision == "month":
        return RDFLiteral(value.strftime("%Y-%m"), datatype=XSD.gYearMonth)
    return RDFLiteral(str(value.year), datatype=XSD.gYear)


def _lit(text: str) -> RDFLiteral:
    return RDFLiteral(text, datatype=XSD.string)


def _en(text: str) -> RDFLiteral:
    return RDFLiteral(text, lang="en")


def _day(value: date) -> RDFLiteral:
    return RDFLiteral(value.isoformat(), datatype=XSD.date)


def holding_bounds(h: Holding) -> tuple[date | None, date | None]:
    """The first and the last day a term covers, as :meth:`Holding.covers` counts them:
    the first day of the start's day, month or year, and the day before the end (the
    handover day belongs to the successor; an end known to the month or year gives the
    last day of that period). None where the term has no recorded start or end."""
    latest = None if h.end is None else date.fromordinal(h.end.toordinal() - 1)
    return h.start, latest


def _names(g: Graph, s: URIRef, e: Entry) -> None:
    g.add((s, RDFS.label, _en(e.label)))
    g.add((s, SKOS.prefLabel, _en(e.label)))
    for alias in e.aliases:
        g.add((s, SKOS.altLabel, _en(alias)))
    for tag, name in e.native_names:
        g.add((s, SKOS.prefLabel, RDFLiteral(name, lang=tag)))


def _same_as(g: Graph, s: URIRef, e: Entry, territory: URIRef | None) -> None:
    """owl:sameAs links; a state's GeoNames feature is its territory, not the state."""
    for link in e.links:
        if link.scheme == "geonames" and e.cls == "State":
            if territory is not None:
                g.add((territory, OWL.sameAs, URIRef(link.iri)))
            continue
        g.add((s, OWL.sameAs, URIRef(link.iri)))


def reference_graph(base: str = DEFAULT_BASE) -> Graph:
    """The triples of ``<base>graph/reference`` (a new graph each call)."""
    data = load_reference(base)
    g = Graph()
    g.bind("pen", PEN)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("owl", OWL)
    for e in data.entries:
        s = URIRef(e.iri)
        g.add((s, RDF.type, PEN[e.cls]))
        _names(g, s, e)
        if e.cls != "State":
            _same_as(g, s, e, None)
        for demonym in e.demonyms:
            g.add((s, PEN.demonym, _lit(demonym)))
        if e.iso_code:
            g.add((s, PEN.isoCode, _lit(e.iso_code)))
        if e.capital:
            g.add((s, PEN.capital, URIRef(e.capital)))
        if e.cls == "GovernmentBody" and e.state and not e.part_of:
            g.add((s, PEN.partOf, URIRef(e.state)))
        if e.part_of:
            g.add((s, PEN.partOf, URIRef(e.part_of)))
        if e.affiliation:
            g.add((s, PEN.affiliation, URIRef(e.affiliation)))
        if e.cls == "Person" and e.state:
            g.add((s, PEN.affiliation, URIRef(e.state)))
        for relation, relative in e.relatives:
            g.add((s, PEN[KINSHIP[relation]], URIRef(relative)))
        if e.cls in PLACE_CLASSES and e.located_in:
            g.add((s, PEN.locatedIn, URIRef(e.located_in)))
        if e.cls == "WeaponSystem":
            if e.weapon_class:
                g.add((s, PEN.weaponClass, URIRef(e.weapon_class)))
            if e.state:
                g.add((s, PEN.operator, URIRef(e.state)))
            if e.range_km is not None:
                g.add((s, PEN.rangeKm, RDFLiteral(f"{e.range_km:g}", datatype=XSD.decimal)))
        g.add((s, DCTERMS.source, _lit(e.source)))
    # Each state's territory, the place a meeting "held in Sweden" took place
    # (kg.extract.venues mints the same IRI), unless a reference place has that IRI already
    # (the city of Singapore).
    for e in data.entries:
        if e.cls != "State":
            continue
        land = resource_iri("place", e.label, base=base)
        if str(land) in data.by_iri:
            _same_as(g, URIRef(e.iri), e, None)  # the city of Singapore is no country feature
            continue
        _same_as(g, URIRef(e.iri), e, land)
        g.add((land, RDF.type, PEN.Place))
        g.add((land, RDFS.label, _en(e.label)))
        g.add((land, PEN.locatedIn, URIRef(e.iri)))
        g.add((URIRef(e.iri), PEN.territory, land))
        g.add((land, DCTERMS.source, _lit("the territory of the state: derived from its record")))
    for p in data.posts:
        s = URIRef(p.iri)
        g.add((s, RDF.type, PEN.Post))
        g.add((s, RDFS.label, _en(p.label)))
        g.add((s, PEN.postIn, URIRef(p.post_in)))
        # One pen:role per post (the shapes say so): the first. Further roles, such as a
        # president's heading of the government, serve holders() only.
        g.add((s, PEN.role, URIRef(p.roles[0])))
        g.add((s, DCTERMS.source, _lit(p.source)))
    for h in data.holdings:
        _holding(g, h)
    return g


def _holding(g: Graph, h: Holding) -> None:
    """A term of office: holder, post, dates typed by precision and their day bounds."""
    s = URIRef(h.iri)
    g.add((s, RDF.type, PEN.PostHolding))
    g.add((s, RDFS.label, _en(h.label)))
    g.add((s, PEN.holder, URIRef(h.person)))
    g.add((s, PEN.post, URIRef(h.post)))
    start = _date_literal(h.start, h.start_precision, end=False)
    end = _date_literal(h.end, h.end_precision, end=True)
    if start is not None:
        g.add((s, PEN.startDate, start))
    if end is not None:
        g.add((s, PEN.endDate, end))
    earliest, latest = holding_bounds(h)
    if earliest is not None:
        g.add((s, PEN.earliest, _day(earliest)))
    if latest is not None:
        g.add((s, PEN.latest, _day(latest)))
    g.add((s, DCTERMS.source, _lit(h.source)))

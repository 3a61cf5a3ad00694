"""Meetings: when a meeting is a summit, when two reports of a summit share one IRI, and
how a state named as a venue enters the graph."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from kg.extract import extract_batch
from kg.extract.summits import Term, is_summit
from kg.facts import Article, DateValue, Entity, EventFact, ExtractionRun
from kg.namespaces import DEFAULT_BASE, PEN, resource_iri
from kg.rdf.identity import event_key

RUN = ExtractionRun("0.1.0", "en_core_web_sm", "3.8.0")


def _state(name: str) -> Entity:
    return Entity(resource_iri("state", name), PEN.State, name)


def _person(name: str, state: str | None = None) -> Entity:
    return Entity(resource_iri("person", name), PEN.Person, name, state=_state(state).iri if state else None)


def _place(name: str, state: str) -> Entity:
    return Entity(resource_iri("place", name), PEN.Settlement, name, state=_state(state).iri)


A, B, C = _person("Leader A", "Alpha"), _person("Leader B", "Beta"), _person("Minister C", "Beta")
ALPHA, BETA = _state("Alpha").iri, _state("Beta").iri
TERMS = {
    A.iri: [Term(ALPHA, date(2010, 1, 1), date(2015, 1, 1)), Term(ALPHA, date(2020, 1, 1), None)],
    B.iri: [Term(BETA, date(2013, 6, 1), date(2018, 6, 1))],
}


def _day(text: str) -> DateValue:
    d = date.fromisoformat(text)
    return DateValue(text, "day", d, d)


def _year(y: int) -> DateValue:
    return DateValue(str(y), "year", date(y, 1, 1), date(y, 12, 31))


def _month(y: int, m: int) -> DateValue:
    return DateValue(f"{y}-{m:02d}", "month", date(y, m, 1), date(y, m, 28))


def _meeting(*people: Entity, when: DateValue | None = None, modality: str = "actual") -> EventFact:
    ev = EventFact("meeting", PEN.Meeting, [], modality=modality, date=when)  # type: ignore[arg-type]
    for p in people:
        ev.add_role("participant", p)
    return ev


@pytest.mark.parametrize(
    ("event", "titled", "published", "summit"),
    [
        (_meeting(A, B, when=_day("2014-03-01")), {}, None, True),  # both in office that day
        (_meeting(A, B, when=_day("2016-03-01")), {}, None, False),  # A out of office
        (_meeting(A, B, when=_year(2014)), {}, None, True),  # a year that both terms reach
        (_meeting(A, B), {}, None, True),  # undated: their terms overlap (2013-2015)
        (_meeting(A, B), {}, date(2013, 1, 1), False),  # ... but not before publication
        (_meeting(A, B, modality="planned"), {}, date(2016, 1, 1), False),  # A returns after B left
        (_meeting(A, C, when=_day("2014-03-01")), {}, None, False),  # C heads nothing
        (_meeting(A, C, when=_day("2014-03-01")), {C.iri: BETA}, None, True),  # ... unless titled so
        (_meeting(A, C, when=_day("2014-03-01")), {C.iri: ALPHA}, None, False),  # one state's two heads
        (_meeting(B, _state("Alpha"), when=_day("2014-03-01")), {}, None, False),  # one person
    ],
)
def test_is_summit(
    event: EventFact, titled: dict[URIRef, URIRef], published: date | None, summit: bool
) -> None:
    assert is_summit(event, TERMS, titled, published) is summit


def _summit(
    *, when: DateValue | None = None, place: Entity | None = None, count: int | None = None
) -> EventFact:
    ev = _meeting(A, B, _state("Alpha"), when=when)
    ev.kind, ev.cls, ev.count = "summit", PEN.Summit, count
    if place is not None:
        ev.add_role("place", place)
    return ev


CITY = _place("Capital City", "Gamma")
OTHER = _place("Other City", "Gamma")


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        # a month or day says when: the place may be told by one report only
        (_summit(when=_month(2019, 2), place=CITY), _summit(when=_month(2019, 2)), True),
        (_summit(when=_month(2019, 2)), _summit(when=_month(2019, 6)), False),
        # else the place says where, a year or no date being too vague to tell apart
        (_summit(place=CITY), _summit(when=_year(2018), place=CITY), True),
        (_summit(when=_year(2018), place=CITY), _summit(when=_year(2018), place=OTHER), False),
        # neither: nothing two articles could share
        (_summit(), _summit(), False),
        (_summit(when=_year(2018)), _summit(when=_year(2018)), True),
        # counted meetings are the collection, kept apart from any one of them
        (_summit(count=3), _summit(count=3), True),
        (_summit(count=3), _summit(count=2), False),
    ],
)
def test_summit_keys_of_two_articles(one: EventFact, other: EventFact, same: bool) -> None:
    assert (event_key(one, "article-one") == event_key(other, "article-two")) is same


def _talks(when: DateValue | None = None) -> EventFact:
    ev = _meeting(A, C, when=when)
    ev.kind, ev.cls = "talks", PEN.Talks
    return ev


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        (_talks(_day("2014-03-01")), _talks(_day("2014-03-01")), True),
        (_talks(), _talks(), False),  # the same parties meet again: undated is no identity
    ],
)
def test_meeting_keys_of_two_articles(one: EventFact, other: EventFact, same: bool) -> None:
    assert (event_key(one, "article-one") == event_key(other, "article-two")) is same


def test_a_summit_key_names_its_leaders_not_their_states() -> None:
    key = event_key(_summit(when=_month(2019, 2)), "article-one")
    assert key == "2019-02-leader-a-leader-b"


def test_a_state_as_venue_is_its_territory_located_in_it() -> None:
    from kg.reference import reference_graph

    text = "Relations between Japan and China cooled. Talks between the two countries were held in Sweden."
    article = Article("venue", text, "venue.txt", published=date(2023, 6, 1), date_status="text")
    [(_, g)] = list(extract_batch([article], base=DEFAULT_BASE, run=RUN))
    sweden = resource_iri("place", "Sweden")
    talks = next(g.subjects(RDF.type, PEN.Talks))
    assert (talks, PEN.place, sweden) in g
    assert (sweden, RDF.type, PEN.Place) in g
    assert (sweden, RDFS.label, Literal("Sweden", lang="en")) in g
    # where the territory lies is reference knowledge, not the article's word
    assert (sweden, PEN.locatedIn, None) not in g
    assert (sweden, PEN.locatedIn, resource_iri("state", "Sweden")) in reference_graph()
    assert set(g.objects(talks, PEN.participant)) == {
        resource_iri("state", "Japan"),
        resource_iri("state", "China"),
    }


def test_articles_sharing_a_summit_label_it_alike() -> None:
    from kg.rdf.identity import event_label as _event_label

    one = _summit(when=_year(2018), place=CITY)  # "… in Capital City in 2018"
    other = _summit(place=CITY)  # "… in Capital City"
    other.roles["participant"].reverse()  # told with the other leader first
    assert event_key(one, "article-one") == event_key(other, "article-two")
    assert _event_label(one) == _event_label(other) == "Alpha and Leader A and Leader B summit, Capital City"

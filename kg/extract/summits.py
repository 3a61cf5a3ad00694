"""Summits: meetings of leaders, told apart from other meetings by who took part.

A meeting or talks is a ``pen:Summit`` when two of its participants are persons who, at
the time, each hold a head-of-state or head-of-government post, of two different states
('Trump met with Kim', 'a second meeting between Kim and Trump in February 2019', 'Biden
and Japanese Prime Minister Fumio Kishida had their first meeting'). A meeting the text
itself calls a summit stays one whoever took part, and so is a meeting told as one of the
leaders of its party states ('the two Koreas' leaders will meet').

Who held such a post when comes from the reference data's terms of office; for a person
the reference data records no such term of, from the article's titles ('French President
Emmanuel Macron'), which say that the person holds or held the post but not when. The
time of a dated meeting is its date; an undated meeting happened at some time before the
article's publication (if known) at which both persons held their posts, so their terms
must overlap there: Obama and Kishida, never in office together, held no summit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

from rdflib import URIRef

from kg import reference
from kg.facts import Entity, EventFact, PostFact
from kg.kinds import kind
from kg.namespaces import DEFAULT_BASE, PEN

__all__ = ["HEAD_ROLES", "Term", "drop_represented_states", "head_terms", "is_summit", "type_summits"]

HEAD_ROLES = (PEN.HeadOfState, PEN.HeadOfGovernment)
_TYPED = ("meeting", "talks")
_MET = ("meeting", "talks", "summit", "call")


@dataclass(frozen=True)
class Term:
    """A head-of-state or head-of-government post of ``state`` held on the days
    ``start <= day < end`` (``None``: unbounded, or not known)."""

    state: URIRef
    start: date | None = None
    end: date | None = None


HeadTerms = Mapping[URIRef, Sequence[Term]]


def head_terms(base: str = DEFAULT_BASE) -> dict[URIRef, list[Term]]:
    """The heads of state and government the reference data records, with their terms."""
    heads = {str(r) for r in HEAD_ROLES}
    out: dict[URIRef, list[Term]] = {}
    for h in reference.post_holdings(base):
        if heads & set(h.roles or (h.role,)):
            out.setdefault(URIRef(h.person), []).append(Term(URIRef(h.state), h.start, h.end))
    return out


def _window(ev: EventFact, published: date | None) -> tuple[date | None, date | None]:
    """The days ``[start, end)`` the meeting took place in, as far as the text tells."""
    if ev.date is not None:
        return ev.date.earliest, ev.date.latest + timedelta(days=1)
    if ev.start is not None:
        end = ev.end.latest if ev.end is not None else ev.start.latest
        return ev.start.earliest, end + timedelta(days=1)
    if published is None:
        return None, None
    if ev.modality in ("planned", "predicted"):
        return published, None
    return None, published + timedelta(days=1)


def _overlap(bounds: Iterable[tuple[date | None, date | None]]) -> bool:
    """Whether intervals ``[start, end)`` (``None``: unbounded) share a day."""
    items = list(bounds)
    starts = [s for s, _ in items if s is not None]
    ends = [e for _, e in items if e is not None]
    return not starts or not ends or max(starts) < min(ends)


def _terms_of(person: Entity, terms: HeadTerms, titled: Mapping[URIRef, URIRef]) -> Sequence[Term]:
    if person.iri in terms:
        return terms[person.iri]
    if person.iri in titled:
        return [Term(titled[person.iri])]
    return []


def is_summit(
    ev: EventFact, terms: HeadTerms, titled: Mapping[URIRef, URIRef], published: date | None
) -> bool:
    """Whether two persons among a meeting's participants headed different states at the
    time (``titled``: person → state of a head post the article's titles give them)."""
    window = _window(ev, published)
    persons = [e for e in ev.roles.get("participant", []) if e.cls == PEN.Person]
    for a, b in combinations(persons, 2):
        for ta in _terms_of(a, terms, titled):
            for tb in _terms_of(b, terms, titled):
                if ta.state != tb.state and _overlap([(ta.start, ta.end), (tb.start, tb.end), window]):
                    return True
    return False


def type_summits(
    events: Iterable[EventFact], posts: Iterable[PostFact], terms: HeadTerms, published: date | None
) -> None:
    """Make a summit (kind and class) of each meeting or talks of an article told as one
    of leaders or that :func:`is_summit` says is one."""
    titled = {p.person.iri: p.post_in.iri for p in posts if p.role in HEAD_ROLES and p.post_in is not None}
    for ev in events:
        if ev.kind in _TYPED and (ev.leaders or is_summit(ev, terms, titled, published)):
            ev.kind, ev.cls = "summit", kind("summit").cls


def drop_represented_states(events: Iterable[EventFact], posts: Iterable[PostFact]) -> None:
    """Leave out of a meeting's participants each state one of its persons takes part for
    ('Blinken met his counterparts from Japan and South Korea' told again as a meeting with
    Hayashi and Chung): the persons are the parties, their states are theirs by the way. A
    person's state is the reference data's, else the one the article's titles give."""
    titled = {p.person.iri: p.post_in.iri for p in posts if p.post_in is not None}
    for ev in events:
        people = ev.roles.get("participant", [])
        if ev.kind not in _MET or not people:
            continue
        represented = {p.state or titled.get(p.iri) for p in people if p.cls == PEN.Person}
        kept = [p for p in people if not (p.cls == PEN.State and p.iri in represented)]
        ev.roles["participant"] = kept

"""Reference data: the domain knowledge that holds independently of any article.

The data lives in reviewable YAML files in ``kg/reference/`` (their format and sources are
described in ``kg/reference/README.md``). This module is its public API: it answers the
entity linker's and the extractors' questions from the data :mod:`kg.reference.load`
loads (types in :mod:`kg.reference.model`), and gives the triples of the reference graph
``<base>graph/reference`` (built by :mod:`kg.reference.rdf`).

Public API (names and signatures are stable):

- ``Entry`` — one thing a name can resolve to (a state, person, organisation, place or
  weapon system), with its aliases, demonyms and metonyms.
- ``load_entries(base)`` — every entry (cached).
- ``entry_index(base)`` — entries by IRI.
- ``posts(base)``, ``post_holdings(base)`` — posts and who held them when.
- ``holding_at(person_iri, on)`` — the posts a person held on a day.
- ``holders(role, state_iri, on)`` — who held a role for a state on a day.
- ``reference_graph(base)`` — the triples of the reference graph.
- ``weapon_spellings(name)`` — the spelling variants of a weapon designation.

Terms of a post holding cover the days ``start <= day < end``; for dates known only to the
month or the year, lookups return everyone who *may* have held the post on the day (see
:mod:`kg.reference.model`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from kg.namespaces import DEFAULT_BASE, PEN
from kg.reference.load import REFERENCE_DIR, load_reference, weapon_spellings
from kg.reference.model import CLASSES, ROLES, Entry, Holding, Post, ReferenceDataError
from kg.reference.rdf import reference_graph

__all__ = [
    "CLASSES",
    "REFERENCE_DIR",
    "ROLES",
    "Entry",
    "Holding",
    "Post",
    "ReferenceDataError",
    "entry_index",
    "holders",
    "holding_at",
    "load_entries",
    "post_holdings",
    "posts",
    "reference_graph",
    "weapon_spellings",
]


def load_entries(base: str = DEFAULT_BASE) -> list[Entry]:
    """Every reference entry: states, capitals and places, organisations, persons, weapon
    systems. Loaded once per base IRI; a new list is returned each call."""
    return list(load_reference(base).entries)


def entry_index(base: str = DEFAULT_BASE) -> Mapping[str, Entry]:
    """Entries by IRI."""
    return load_reference(base).by_iri


def posts(base: str = DEFAULT_BASE) -> list[Post]:
    """Every post of the reference data."""
    return list(load_reference(base).posts)


def post_holdings(base: str = DEFAULT_BASE) -> list[Holding]:
    """Every recorded term of office."""
    return list(load_reference(base).holdings)


def holding_at(person_iri: str, on: date, *, base: str = DEFAULT_BASE) -> list[Holding]:
    """The posts a person held (or may have held, for imprecise dates) on a day."""
    return [h for h in load_reference(base).holdings if h.person == person_iri and h.covers(on)]


def _role_iri(role: str) -> str:
    return role if ":" in role else str(PEN[role])


def holders(role: str, state_iri: str, on: date, *, base: str = DEFAULT_BASE) -> list[Holding]:
    """Who held a role ('ForeignMinister' or its IRI) for a state on a day; acting holders
    and holders of imprecisely dated terms are included, substantive holders first."""
    role_iri = _role_iri(role)
    found = [
        h
        for h in load_reference(base).holdings
        if role_iri in h.roles and h.state == state_iri and h.covers(on)
    ]
    return sorted(found, key=lambda h: (h.acting, h.start_precision != "day" or h.end_precision != "day"))

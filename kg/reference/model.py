"""The reference data's model: what a reference entry, a post and a term of office are.

These are the types :mod:`kg.reference.load` builds from the YAML files in
``kg/reference/`` and :mod:`kg.reference` serves; the constants name the ontology classes,
roles and weapon classes the files may use.

Terms of a post holding: a holding covers the days ``start <= day < end``; ``end`` is the
day the term ended (usually the day the successor took office) and ``None`` while open or
not recorded. When a date is known only to the month or the year (``start_precision`` /
``end_precision``), ``start`` is the first day of that month or year and ``end`` the first
day after it, so lookups return everyone who *may* have held the post on the day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "CLASSES",
    "KINSHIP",
    "LINK_SCHEMES",
    "ORG_CLASSES",
    "PLACE_CLASSES",
    "ROLES",
    "WEAPON_CLASSES",
    "Entry",
    "Holding",
    "Link",
    "Post",
    "Precision",
    "ReferenceData",
    "ReferenceDataError",
]

# Ontology class local name → the IRI kind of kg.namespaces.resource_iri.
CLASSES: Mapping[str, str] = {
    "State": "state",
    "Person": "person",
    "GovernmentBody": "org",
    "InternationalOrganisation": "org",
    "NewsOutlet": "org",
    "ThinkTank": "org",
    "Organisation": "org",
    "Settlement": "place",
    "AdministrativeRegion": "place",
    "WaterBody": "place",
    "MilitaryFacility": "place",
    "Region": "place",
    "Place": "place",
    "WeaponSystem": "weapon",
}
ROLES = (
    "HeadOfState",
    "HeadOfGovernment",
    "ForeignMinister",
    "DefenceMinister",
    "Diplomat",
    "MilitaryOfficer",
    "OtherOfficial",
)
WEAPON_CLASSES = (
    "Missile",
    "BallisticMissile",
    "ICBM",
    "IRBM",
    "MRBM",
    "SRBM",
    "SLBM",
    "CruiseMissile",
    "HypersonicMissile",
    "AntiShipMissile",
    "ShortRangeMissile",
    "LongRangeMissile",
    "SpaceLaunchVehicle",
    "NuclearWeapon",
    "Artillery",
)
PLACE_CLASSES = {c for c, kind in CLASSES.items() if kind == "place"}
ORG_CLASSES = {c for c, kind in CLASSES.items() if kind == "org"}

Precision = Literal["day", "month", "year"]  # of a term's start or end date


class ReferenceDataError(ValueError):
    """The reference data is malformed: a missing field, an unknown name or class."""


# Kinship words of the reference data's `relatives`, and the property each gives in the
# graph ("A is the sister of B" → A pen:siblingOf B; "A is the son of B" → A pen:childOf B).
KINSHIP = {
    "sister": "siblingOf",
    "brother": "siblingOf",
    "daughter": "childOf",
    "son": "childOf",
    "mother": "parentOf",
    "father": "parentOf",
    "wife": "spouseOf",
    "husband": "spouseOf",
}


# Identifier schemes a reference record may link to: the pattern of an id, and the IRI of
# the thing it names (Wikidata's entity IRI; GeoNames' feature IRI as its RDF dumps write it).
LINK_SCHEMES: Mapping[str, tuple[str, str]] = {
    "wikidata": (r"Q[1-9][0-9]*", "http://www.wikidata.org/entity/{}"),
    "geonames": (r"[1-9][0-9]*", "https://sws.geonames.org/{}/"),
}


@dataclass(frozen=True)
class Link:
    """An identifier of the same thing in another data set, with where it was found."""

    scheme: str  # a key of LINK_SCHEMES
    id: str
    source: str  # a library and its version, or the URL of the page or file that gives it
    checked: str = ""  # ISO date the id was looked up, for sources that change

    @property
    def iri(self) -> str:
        """The IRI the identifier names."""
        return LINK_SCHEMES[self.scheme][1].format(self.id)


@dataclass(frozen=True)
class Entry:
    """One thing the linker can resolve a name to.

    ``iri`` is its reference IRI; ``cls`` the local name of its ontology class (see
    ``CLASSES``); ``label`` its preferred English name; ``aliases`` other names, spellings,
    abbreviations and transliterations; ``demonyms`` (states) adjectives and nouns for its
    people; ``metonyms`` (states) names used for its government, such as its capital;
    ``state`` the IRI of the state it belongs to (bodies, persons, places) or that operates
    it (weapon systems); ``weapon_class`` the IRI of a ``pen:WeaponClass`` individual.
    """

    iri: str
    cls: str
    label: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    state: str | None = None
    weapon_class: str | None = None
    part_of: str | None = None  # organisation or state a body belongs to, if not ``state``
    located_in: str | None = None  # places: the smallest known containing place or state
    iso_code: str | None = None  # states: ISO 3166-1 alpha-3
    capital: str | None = None  # states: IRI of the capital (a Settlement entry)
    range_km: float | None = None  # weapon systems: range when well established
    affiliation: str | None = None  # outlets that speak for a state (state media)
    # persons: (kinship word, IRI of the relative): ('sister', <kim-jong-un>) reads "the
    # sister of Kim Jong Un"; the words are those of KINSHIP
    relatives: tuple[tuple[str, str], ...] = ()
    source: str = ""
    links: tuple[Link, ...] = ()  # the same thing in Wikidata, GeoNames
    # names in other scripts: (BCP 47 language tag, name), e.g. ('ko', '북한'), and their source
    native_names: tuple[tuple[str, str], ...] = ()
    native_names_source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The label and all aliases (not demonyms or metonyms)."""
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Post:
    """A post in a state or organisation, such as 'Foreign Minister of Japan'."""

    iri: str
    label: str
    title: str  # the title as commonly written, without the state: 'Foreign Minister'
    post_in: str  # IRI of the state or organisation
    roles: tuple[str, ...]  # IRIs of pen:Role individuals; the first is its pen:role in RDF
    source: str = ""


@dataclass(frozen=True)
class Holding:
    """Who held a post, from when to when (``start <= day < end``, see the module doc)."""

    iri: str
    label: str
    person: str  # IRI
    post: str  # IRI
    role: str  # IRI of the post's first pen:Role individual
    state: str  # IRI of the state or organisation of the post
    start: date | None
    end: date | None
    title: str  # as commonly written: 'Secretary of State'
    start_precision: Precision = "day"
    end_precision: Precision = "day"
    acting: bool = False
    roles: tuple[str, ...] = ()
    source: str = ""

    def covers(self, on: date) -> bool:
        """Whether the person held (or, for imprecise dates, may have held) the post on a day."""
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass(frozen=True)
class ReferenceData:
    """Everything loaded from the reference files for one base IRI; ``by_iri`` indexes the entries."""

    entries: tuple[Entry, ...]
    posts: tuple[Post, ...]
    holdings: tuple[Holding, ...]
    by_iri: Mapping[str, Entry] = field(default_factory=dict)

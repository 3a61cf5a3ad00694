"""Reference data: the domain knowledge that holds independently of any article.

The data lives in reviewable YAML files in ``kg/reference/`` (their format and sources are
described in ``kg/reference/README.md``). This module loads them into a gazetteer for the
entity linker and into the RDF triples of the reference graph ``<base>graph/reference``.

Public API (names and signatures are stable):

- ``Entry`` — one thing a name can resolve to (a state, person, organisation, place or
  weapon system), with its aliases, demonyms and metonyms.
- ``load_entries(base)`` — every entry (cached).
- ``entry_index(base)`` — entries by IRI.
- ``posts(base)``, ``post_holdings(base)`` — posts and who held them when.
- ``holding_at(person_iri, on)`` — the posts a person held on a day.
- ``holders(role, state_iri, on)`` — who held a role for a state on a day.
- ``reference_graph(base)`` — the triples of the reference graph.

Terms of a post holding: a holding covers the days ``start <= day < end``; ``end`` is the
day the term ended (usually the day the successor took office) and ``None`` while open or
not recorded. When a date is known only to the month or the year (``start_precision`` /
``end_precision``), ``start`` is the first day of that month or year and ``end`` the first
day after it, so lookups return everyone who *may* have held the post on the day.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD, Graph, URIRef
from rdflib import Literal as RDFLiteral

from kg.namespaces import DEFAULT_BASE, PEN, resource_iri

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
]

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

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
_PLACE_CLASSES = {c for c, kind in CLASSES.items() if kind == "place"}
_ORG_CLASSES = {c for c, kind in CLASSES.items() if kind == "org"}

Precision = Literal["day", "month", "year"]


class ReferenceDataError(ValueError):
    """The reference data is malformed: a missing field, an unknown name or class."""


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
    source: str = ""

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
class _Data:
    entries: tuple[Entry, ...]
    posts: tuple[Post, ...]
    holdings: tuple[Holding, ...]
    by_iri: Mapping[str, Entry] = field(default_factory=dict)


# --- loading ---------------------------------------------------------------------------


def _read(name: str) -> Any:
    path = REFERENCE_DIR / name
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _require(record: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in record or record[key] in (None, ""):
        raise ReferenceDataError(f"{where}: missing {key!r} in {dict(record)!r}")
    return record[key]


_HYPHENATED = re.compile(r"(?<=[A-Za-z])-(?=[0-9])")


def weapon_spellings(name: str) -> tuple[str, ...]:
    """Spelling variants of a designation: 'Hwasong-12' → 'Hwasong 12', 'Hwasong12'."""
    if not _HYPHENATED.search(name):
        return ()
    return (_HYPHENATED.sub(" ", name), _HYPHENATED.sub("", name))


def _dedupe(names: Iterable[str], exclude: Iterable[str] = ()) -> tuple[str, ...]:
    seen = set(exclude)
    out = []
    for n in names:
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return tuple(out)


def _parse_date(value: Any, *, end: bool, where: str) -> tuple[date | None, Precision]:
    """A YAML date (2021-01-26), year-month ('2024-01') or year (2018) → bound and precision.

    Start bounds are the first day of the period; end bounds the first day after it."""
    if value is None:
        return None, "day"
    if isinstance(value, date):
        return value, "day"
    text = str(value)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if end:
            return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)), "month"
        return date(year, month, 1), "month"
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return (date(year + 1, 1, 1) if end else date(year, 1, 1)), "year"
    raise ReferenceDataError(f"{where}: not a date: {value!r}")


class _Builder:
    """Reads the YAML files in dependency order and resolves names between them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.entries: dict[str, Entry] = {}
        self.by_label: dict[str, list[str]] = {}

    def iri(self, cls: str, name: str) -> str:
        if cls not in CLASSES:
            raise ReferenceDataError(f"unknown class {cls!r} for {name!r}")
        return str(resource_iri(CLASSES[cls], name, base=self.base))

    def add(self, entry: Entry) -> None:
        if entry.iri in self.entries:
            raise ReferenceDataError(f"duplicate IRI {entry.iri} ({entry.label})")
        same = self.by_label.setdefault(entry.label, [])
        if any(CLASSES[self.entries[i].cls] == CLASSES[entry.cls] for i in same):
            raise ReferenceDataError(f"duplicate label {entry.label!r} among {CLASSES[entry.cls]} entries")
        self.entries[entry.iri] = entry
        same.append(entry.iri)

    def ref(self, label: Any, where: str, classes: Iterable[str] | None = None) -> str | None:
        """The IRI of the entry with this label among these classes (None for None); when
        a state and a place share a label (Singapore), a reference without classes means
        the place."""
        if label is None:
            return None
        found = self.by_label.get(str(label), [])
        if classes is not None:
            found = [i for i in found if self.entries[i].cls in set(classes)]
        elif len(found) > 1:
            found = [i for i in found if self.entries[i].cls != "State"]
        if len(found) != 1:
            raise ReferenceDataError(f"{where}: {len(found)} reference entries are labelled {label!r}")
        return found[0]

    # states and their capitals
    def states(self, records: list[dict[str, Any]]) -> None:
        capitals: dict[str, list[str]] = {}
        for r in records:
            where = f"states.yaml {r.get('name')}"
            name = _require(r, "name", where)
            iri = self.iri("State", name)
            capital = r.get("capital")
            capital_iri = self.iri("Settlement", capital) if capital else None
            if capital:
                capitals.setdefault(capital, []).append(iri)
            self.add(
                Entry(
                    iri=iri,
                    cls="State",
                    label=name,
                    aliases=_dedupe(_strs(r.get("aliases")), [name]),
                    demonyms=_strs(r.get("demonyms")),
                    metonyms=_strs(r.get("metonyms")),
                    iso_code=_require(r, "iso3", where),
                    capital=capital_iri,
                    source=_require(r, "source", where),
                )
            )
        self._capitals = capitals

    def places(self, records: list[dict[str, Any]]) -> None:
        """Places from places.yaml; capitals of states not listed there are added after.
        Names in ``in`` may refer to places listed later in the file."""
        listed = {r["name"] for r in records if "name" in r}
        for r in records:
            where = f"places.yaml {r.get('name')}"
            name = _require(r, "name", where)
            cls = _require(r, "class", where)
            if cls not in _PLACE_CLASSES:
                raise ReferenceDataError(f"{where}: {cls!r} is not a place class")
            self.add(
                Entry(
                    iri=self.iri(cls, r.get("id") or name),
                    cls=cls,
                    label=name,
                    aliases=_dedupe(_strs(r.get("aliases")), [name]),
                    state=self.ref(r.get("state"), where, ["State"]),
                    source=_require(r, "source", where),
                )
            )
        for r in records:  # second pass: containment, now that every place is known
            where = f"places.yaml {r['name']}"
            iri = self.ref(r["name"], where, _PLACE_CLASSES)
            assert iri is not None
            entry = self.entries[iri]
            located_in = self.ref(r.get("in"), where, [*_PLACE_CLASSES, "State"]) or entry.state
            self.entries[iri] = replace(entry, located_in=located_in)
        for capital, state_iris in sorted(self._capitals.items()):
            if capital in listed:
                continue
            state = state_iris[0] if len(state_iris) == 1 else None  # a shared capital: no state
            self.add(
                Entry(
                    iri=self.iri("Settlement", capital),
                    cls="Settlement",
                    label=capital,
                    aliases=(),
                    state=state,
                    located_in=state,
                    source=self.entries[state_iris[0]].source,
                )
            )

    def organisations(self, records: list[dict[str, Any]]) -> None:
        """Organisations; ``part_of`` and ``affiliation`` may name ones listed later."""
        for r in records:
            where = f"organisations.yaml {r.get('name')}"
            name = _require(r, "name", where)
            cls = _require(r, "class", where)
            if cls not in _ORG_CLASSES:
                raise ReferenceDataError(f"{where}: {cls!r} is not an organisation class")
            self.add(
                Entry(
                    iri=self.iri(cls, r.get("id") or name),
                    cls=cls,
                    label=name,
                    aliases=_dedupe(_strs(r.get("aliases")), [name]),
                    state=self.ref(r.get("state"), where, ["State"]),
                    source=_require(r, "source", where),
                )
            )
        actors = [*_ORG_CLASSES, "State"]
        for r in records:
            where = f"organisations.yaml {r['name']}"
            iri = self.ref(r["name"], where, _ORG_CLASSES)
            assert iri is not None
            self.entries[iri] = replace(
                self.entries[iri],
                part_of=self.ref(r.get("part_of"), where, actors),
                affiliation=self.ref(r.get("affiliation"), where, actors),
            )

    def weapons(self, records: list[dict[str, Any]]) -> None:
        for r in records:
            where = f"weapons.yaml {r.get('name')}"
            name = _require(r, "name", where)
            wclass = _require(r, "class", where)
            if wclass not in WEAPON_CLASSES:
                raise ReferenceDataError(f"{where}: unknown weapon class {wclass!r}")
            aliases = _strs(r.get("aliases"))
            variants = [v for n in (name, *aliases) for v in weapon_spellings(n)]
            range_km = r.get("range_km")
            self.add(
                Entry(
                    iri=self.iri("WeaponSystem", r.get("id") or name),
                    cls="WeaponSystem",
                    label=name,
                    aliases=_dedupe([*aliases, *variants], [name]),
                    state=self.ref(_require(r, "operator", where), where, ["State"]),
                    weapon_class=str(PEN[wclass]),
                    range_km=float(range_km) if range_km is not None else None,
                    source=_require(r, "source", where),
                )
            )

    def officials(self, data: Mapping[str, Any]) -> tuple[tuple[Post, ...], tuple[Holding, ...]]:
        post_by_key: dict[tuple[str, str], Post] = {}
        for r in data.get("posts", []):
            where = f"officials.yaml post {r.get('title')}"
            title = _require(r, "title", where)
            post_in = self.ref(_require(r, "in", where), where)
            assert post_in is not None
            roles = _strs(_require(r, "roles", where))
            unknown = [x for x in roles if x not in ROLES]
            if unknown:
                raise ReferenceDataError(f"{where}: unknown roles {unknown}")
            owner = self.entries[post_in].label
            post = Post(
                iri=str(resource_iri("post", owner, title, base=self.base)),
                label=r.get("label") or f"{title} of {owner}",
                title=title,
                post_in=post_in,
                roles=tuple(str(PEN[x]) for x in roles),
                source=_require(r, "source", where),
            )
            if (owner, title) in post_by_key:
                raise ReferenceDataError(f"{where}: duplicate post")
            post_by_key[(owner, title)] = post

        holdings: list[Holding] = []
        for r in data.get("persons", []):
            where = f"officials.yaml {r.get('name')}"
            name = _require(r, "name", where)
            person = Entry(
                iri=self.iri("Person", r.get("id") or name),
                cls="Person",
                label=name,
                aliases=_dedupe(_strs(r.get("aliases")), [name]),
                state=self.ref(r.get("state"), where, ["State"]),
                source=_require(r, "source", where),
            )
            self.add(person)
            seen: dict[str, int] = {}
            for h in r.get("holdings", []):
                hwhere = f"{where} holding {h.get('title')}"
                owner_label = _require(h, "in", hwhere)
                key = (owner_label, _require(h, "title", hwhere))
                if key not in post_by_key:
                    raise ReferenceDataError(f"{hwhere}: no post {key[1]!r} in {key[0]!r}")
                post = post_by_key[key]
                start, sp = _parse_date(h.get("start"), end=False, where=hwhere)
                end, ep = _parse_date(h.get("end"), end=True, where=hwhere)
                if start and end and end <= start:
                    raise ReferenceDataError(f"{hwhere}: ends before it starts")
                n = seen.get(post.iri, 0) + 1
                seen[post.iri] = n
                suffix = "" if n == 1 else f"-{n}"
                holdings.append(
                    Holding(
                        iri=str(resource_iri("holding", name, key[0], key[1] + suffix, base=self.base)),
                        label=f"{name}, {post.label}" + (" (acting)" if h.get("acting") else ""),
                        person=person.iri,
                        post=post.iri,
                        role=post.roles[0],
                        roles=post.roles,
                        state=post.post_in,
                        start=start,
                        end=end,
                        title=h.get("as") or post.title,
                        start_precision=sp,
                        end_precision=ep,
                        acting=bool(h.get("acting", False)),
                        source=h.get("source") or person.source,
                    )
                )
        return tuple(post_by_key.values()), tuple(holdings)


def _optional(name: str) -> Any:
    return _read(name) if (REFERENCE_DIR / name).exists() else None


@functools.cache
def _load(base: str) -> _Data:
    b = _Builder(base)
    b.states(_read("states.yaml"))
    b.organisations(_optional("organisations.yaml") or [])
    b.places(_optional("places.yaml") or [])
    b.weapons(_optional("weapons.yaml") or [])
    post_list, holding_list = b.officials(_optional("officials.yaml") or {})
    return _Data(tuple(b.entries.values()), post_list, holding_list, dict(b.entries))


# --- public API ------------------------------------------------------------------------


def load_entries(base: str = DEFAULT_BASE) -> list[Entry]:
    """Every reference entry: states, capitals and places, organisations, persons, weapon
    systems. Loaded once per base IRI; a new list is returned each call."""
    return list(_load(base).entries)


def entry_index(base: str = DEFAULT_BASE) -> Mapping[str, Entry]:
    """Entries by IRI."""
    return _load(base).by_iri


def posts(base: str = DEFAULT_BASE) -> list[Post]:
    """Every post of the reference data."""
    return list(_load(base).posts)


def post_holdings(base: str = DEFAULT_BASE) -> list[Holding]:
    """Every recorded term of office."""
    return list(_load(base).holdings)


def holding_at(person_iri: str, on: date, *, base: str = DEFAULT_BASE) -> list[Holding]:
    """The posts a person held (or may have held, for imprecise dates) on a day."""
    return [h for h in _load(base).holdings if h.person == person_iri and h.covers(on)]


def _role_iri(role: str) -> str:
    return role if ":" in role else str(PEN[role])


def holders(role: str, state_iri: str, on: date, *, base: str = DEFAULT_BASE) -> list[Holding]:
    """Who held a role ('ForeignMinister' or its IRI) for a state on a day; acting holders
    and holders of imprecisely dated terms are included, substantive holders first."""
    role_iri = _role_iri(role)
    found = [h for h in _load(base).holdings if role_iri in h.roles and h.state == state_iri and h.covers(on)]
    return sorted(found, key=lambda h: (h.acting, h.start_precision != "day" or h.end_precision != "day"))


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


def reference_graph(base: str = DEFAULT_BASE) -> Graph:
    """The triples of ``<base>graph/reference`` (a new graph each call)."""
    data = _load(base)
    g = Graph()
    g.bind("pen", PEN)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    for e in data.entries:
        s = URIRef(e.iri)
        g.add((s, RDF.type, PEN[e.cls]))
        g.add((s, RDFS.label, _lit(e.label)))
        for alias in e.aliases:
            g.add((s, SKOS.altLabel, _lit(alias)))
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
        if e.cls in _PLACE_CLASSES and e.located_in:
            g.add((s, PEN.locatedIn, URIRef(e.located_in)))
        if e.cls == "WeaponSystem":
            if e.weapon_class:
                g.add((s, PEN.weaponClass, URIRef(e.weapon_class)))
            if e.state:
                g.add((s, PEN.operator, URIRef(e.state)))
            if e.range_km is not None:
                g.add((s, PEN.rangeKm, RDFLiteral(f"{e.range_km:g}", datatype=XSD.decimal)))
        g.add((s, DCTERMS.source, _lit(e.source)))
    for p in data.posts:
        s = URIRef(p.iri)
        g.add((s, RDF.type, PEN.Post))
        g.add((s, RDFS.label, _lit(p.label)))
        g.add((s, PEN.postIn, URIRef(p.post_in)))
        # One pen:role per post (the shapes say so): the first. Further roles, such as a
        # president's heading of the government, serve holders() only.
        g.add((s, PEN.role, URIRef(p.roles[0])))
        g.add((s, DCTERMS.source, _lit(p.source)))
    for h in data.holdings:
        s = URIRef(h.iri)
        g.add((s, RDF.type, PEN.PostHolding))
        g.add((s, RDFS.label, _lit(h.label)))
        g.add((s, PEN.holder, URIRef(h.person)))
        g.add((s, PEN.post, URIRef(h.post)))
        start = _date_literal(h.start, h.start_precision, end=False)
        end = _date_literal(h.end, h.end_precision, end=True)
        if start is not None:
            g.add((s, PEN.startDate, start))
        if end is not None:
            g.add((s, PEN.endDate, end))
        g.add((s, DCTERMS.source, _lit(h.source)))
    return g

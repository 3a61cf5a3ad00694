"""Loading the reference data: the YAML files of ``kg/reference/`` → entries, posts, holdings.

The files are read in dependency order (states, organisations, places, weapons, officials)
and names between them are resolved to IRIs, so a reference to an unknown or ambiguous
name, a missing field or an unknown class fails with :class:`ReferenceDataError`. The
result is cached per base IRI (:func:`load_reference`). The files' format and sources are
described in ``kg/reference/README.md``.

It stays one module (about 400 lines): one builder reads the files in dependency order and
resolves the names between them, which a split would spread over modules that share its
half-built index.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kg.namespaces import PEN, resource_iri
from kg.reference.model import (
    CLASSES,
    KINSHIP,
    LINK_SCHEMES,
    ORG_CLASSES,
    PLACE_CLASSES,
    ROLES,
    WEAPON_CLASSES,
    Entry,
    Holding,
    Link,
    Post,
    Precision,
    ReferenceData,
    ReferenceDataError,
)

__all__ = ["REFERENCE_DIR", "load_reference", "weapon_spellings"]

REFERENCE_DIR = Path(__file__).resolve().parent


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


def _links(record: Mapping[str, Any], where: str) -> tuple[Link, ...]:
    """The ``links`` of a record: ``{scheme: {id, source, checked}}``; every id needs a source."""
    out = []
    for scheme, value in (record.get("links") or {}).items():
        if scheme not in LINK_SCHEMES:
            raise ReferenceDataError(
                f"{where}: unknown link scheme {scheme!r} (one of {sorted(LINK_SCHEMES)})"
            )
        ident = str(_require(value, "id", f"{where} {scheme}"))
        if not re.fullmatch(LINK_SCHEMES[scheme][0], ident):
            raise ReferenceDataError(f"{where}: {ident!r} is no {scheme} id")
        source = _require(value, "source", f"{where} {scheme}")
        out.append(Link(scheme, ident, str(source), str(value.get("checked") or "")))
    return tuple(out)


def _native(record: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``native_names`` ({language tag: name}) and their source, as Entry fields."""
    names = record.get("native_names") or {}
    if not names:
        return {}
    source = _require(record, "native_names_source", where)
    return {"native_names": tuple((str(k), str(v)) for k, v in names.items()), "native_names_source": source}


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
                    links=_links(r, where),
                    **_native(r, where),
                )
            )
        self._capitals = capitals

    def classed(self, records: list[dict[str, Any]], file: str, classes: set[str], kind: str) -> None:
        """Add the entries of a file whose records name their class, which must be one of
        ``classes`` (``kind`` names them in the error): name, id, aliases, state, source."""
        for r in records:
            where = f"{file} {r.get('name')}"
            name = _require(r, "name", where)
            cls = _require(r, "class", where)
            if cls not in classes:
                raise ReferenceDataError(f"{where}: {cls!r} is not {kind} class")
            self.add(
                Entry(
                    iri=self.iri(cls, r.get("id") or name),
                    cls=cls,
                    label=name,
                    aliases=_dedupe(_strs(r.get("aliases")), [name]),
                    state=self.ref(r.get("state"), where, ["State"]),
                    source=_require(r, "source", where),
                    links=_links(r, where),
                    **_native(r, where),
                )
            )

    def places(self, records: list[dict[str, Any]]) -> None:
        """Places from places.yaml; capitals of states not listed there are added after.
        Names in ``in`` may refer to places listed later in the file."""
        listed = {r["name"] for r in records if "name" in r}
        self.classed(records, "places.yaml", PLACE_CLASSES, "a place")
        for r in records:  # second pass: containment, now that every place is known
            where = f"places.yaml {r['name']}"
            iri = self.ref(r["name"], where, PLACE_CLASSES)
            assert iri is not None
            entry = self.entries[iri]
            located_in = self.ref(r.get("in"), where, [*PLACE_CLASSES, "State"]) or entry.state
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
        self.classed(records, "organisations.yaml", ORG_CLASSES, "an organisation")
        actors = [*ORG_CLASSES, "State"]
        for r in records:
            where = f"organisations.yaml {r['name']}"
            iri = self.ref(r["name"], where, ORG_CLASSES)
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
                    links=_links(r, where),
                )
            )

    def _posts(self, records: list[dict[str, Any]]) -> dict[tuple[str, str], Post]:
        """The posts of officials.yaml by (owner's label, title)."""
        post_by_key: dict[tuple[str, str], Post] = {}
        for r in records:
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
        return post_by_key

    def officials(self, data: Mapping[str, Any]) -> tuple[tuple[Post, ...], tuple[Holding, ...]]:
        post_by_key = self._posts(data.get("posts", []))

        holdings: list[Holding] = []
        kin: list[tuple[str, str, Any, str, str]] = []  # (person IRI, relation, relative, source, where)
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
                links=_links(r, where),
                **_native(r, where),
            )
            self.add(person)
            for k in r.get("relatives", []):
                kwhere = f"{where} relative {k.get('of')}"
                relation = _require(k, "relation", kwhere)
                if relation not in KINSHIP:
                    raise ReferenceDataError(
                        f"{kwhere}: unknown relation {relation!r} (one of {sorted(KINSHIP)})"
                    )
                kin.append((person.iri, relation, _require(k, "of", kwhere), k.get("source", ""), kwhere))
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
        self._relatives(kin)
        return tuple(post_by_key.values()), tuple(holdings)

    def _relatives(self, kin: list[tuple[str, str, Any, str, str]]) -> None:
        """Resolve the recorded kinship (person IRI, relation, relative's name, source,
        where) to IRIs now that every person is known."""
        # relatives may be listed before the record of the person they are related to; a
        # relation's own source is added to the person's
        by_person: dict[str, list[tuple[str, str]]] = {}
        sources: dict[str, list[str]] = {}
        for person_iri, relation, other, source, kwhere in kin:
            other_iri = self.ref(other, kwhere, ["Person"])
            assert other_iri is not None
            by_person.setdefault(person_iri, []).append((relation, other_iri))
            if source and source not in sources.setdefault(person_iri, [self.entries[person_iri].source]):
                sources[person_iri].append(source)
        for person_iri, relatives in by_person.items():
            source = "; ".join(sources.get(person_iri) or [self.entries[person_iri].source])
            self.entries[person_iri] = replace(
                self.entries[person_iri], relatives=tuple(relatives), source=source
            )


@functools.cache
def load_reference(base: str) -> ReferenceData:
    """The reference data with IRIs under ``base``, read once per base; raises
    :class:`ReferenceDataError` when the files are malformed."""
    b = _Builder(base)
    b.states(_read("states.yaml"))
    b.organisations(_read("organisations.yaml") or [])
    b.places(_read("places.yaml") or [])
    b.weapons(_read("weapons.yaml") or [])
    post_list, holding_list = b.officials(_read("officials.yaml") or {})
    return ReferenceData(tuple(b.entries.values()), post_list, holding_list, dict(b.entries))

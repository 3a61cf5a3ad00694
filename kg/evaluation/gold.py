"""The gold format (docs/gold-format.md): loading gold files and checking them against the ontology.

A gold file annotates one article with what a careful reader finds in it: entities by name
and ontology class, post holdings, events by class, date and arguments, claims by source and
the event (or the entity: a facility, a weapon system) they are about, date expressions and
the publication date. :func:`load_gold` reads
the files, :func:`validate_gold` lists what does not follow the format, and the date helpers
turn every gold or extracted date into a closed interval of days so the scorer can compare
them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeAlias

import yaml
from rdflib import OWL, RDF, RDFS, Graph

from kg.errors import KGError
from kg.kinds import KINDS, scored_classes
from kg.namespaces import PEN
from kg.settings import Settings

__all__ = [
    "ARGUMENT_PROPS",
    "ENTITY_FAMILIES",
    "EVENT_FAMILIES",
    "MODALITIES",
    "DayInterval",
    "GoldArticle",
    "GoldError",
    "date_interval",
    "day_interval",
    "event_interval",
    "is_vague",
    "load_gold",
    "ontology_classes",
    "overlaps",
    "subclasses",
    "validate_gold",
]

DayInterval: TypeAlias = tuple[date, date]
"""A closed interval of days: (first day, last day)."""

ENTITY_FAMILIES = ("State", "Organisation", "Person", "Place", "WeaponSystem")
# the classes events are scored under, most specific first (kg.kinds)
EVENT_FAMILIES = scored_classes()
MODALITIES = ("Actual", "Planned", "Predicted", "Negated")
# Gold argument keys → graph properties: the roles of the event kinds (kg.kinds), what a
# launch tells beside them, and plural spellings accepted for lists.
ARGUMENT_PROPS: dict[str, str] = {
    **{role: role for k in KINDS for role in k.roles},
    **{key: key for key in ("weaponClass", "count", "about")},
    "participants": "participant",
    "visitors": "visitor",
}


class GoldError(KGError):
    """A gold file that does not follow docs/gold-format.md."""


# --------------------------------------------------------------------------------------
# Gold files


@dataclass(frozen=True)
class GoldArticle:
    """One gold file, loaded: the article it annotates and what a reader finds in it."""

    article: str
    path: Path | None
    data: Mapping[str, Any]
    gold_file: Path

    @property
    def entities(self) -> list[dict[str, Any]]:
        return list(self.data.get("entities") or [])

    @property
    def events(self) -> list[dict[str, Any]]:
        return list(self.data.get("events") or [])


def _gold_files(gold: Path) -> list[Path]:
    if gold.is_dir():
        return sorted(p for p in gold.iterdir() if p.suffix in (".yaml", ".yml"))
    return [gold]


def _find_article(name: str, gold_file: Path, search_dirs: Sequence[Path]) -> Path | None:
    for d in (gold_file.parent, *search_dirs):
        if (d / name).is_file():
            return d / name
    return None


def load_gold(gold: Path, *, search_dirs: Sequence[Path] = ()) -> list[GoldArticle]:
    """Load a gold file or every ``*.yaml`` of a folder. An article is found by its
    ``path:`` (relative to the gold file) or by its file name in ``search_dirs``."""
    out: list[GoldArticle] = []
    for f in _gold_files(Path(gold)):
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise GoldError(f"{f.name}: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("article"), str):
            raise GoldError(f"{f.name}: a gold file is a mapping with an 'article' file name")
        path = (f.parent / data["path"]).resolve() if data.get("path") else None
        if path is None:
            path = _find_article(data["article"], f, search_dirs)
        out.append(GoldArticle(data["article"], path, data, f))
    return out


def ontology_classes(settings: Settings) -> Graph:
    """The ontology as an rdflib graph (for class names and the class hierarchy)."""
    g = Graph()
    g.parse(Path(settings.ontology_dir) / "peninsula.ttl", format="turtle")
    return g


def subclasses(onto: Graph, local: str) -> set[str]:
    """Local names of the class and all its subclasses."""
    root = PEN[local]
    return {str(c).split("#")[-1] for c in onto.transitive_subjects(RDFS.subClassOf, root)}


def validate_gold(doc: GoldArticle, onto: Graph) -> list[str]:
    """Problems of one gold document against docs/gold-format.md; empty when valid."""
    problems: list[str] = []
    classes = {
        str(c).split("#")[-1] for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(str(PEN))
    }
    entity_types = set().union(*(subclasses(onto, f) for f in ENTITY_FAMILIES))
    event_types = subclasses(onto, "Event")
    roles = {str(r).split("#")[-1] for r in onto.subjects(RDF.type, PEN.Role)}
    weapon_classes = {str(r).split("#")[-1] for r in onto.subjects(RDF.type, PEN.WeaponClass)}
    d = doc.data
    where = doc.gold_file.name
    for key in ("published",):
        if key not in d:
            problems.append(f"{where}: missing '{key}' (null when the article has no date)")
    if d.get("published") is not None:
        date_interval(d["published"], where, problems)
    names: set[str] = set()
    for e in doc.entities:
        if not isinstance(e, dict) or not e.get("name") or e.get("type") not in classes:
            problems.append(f"{where}: entity {e!r} needs a name and an ontology class as type")
        elif e["type"] not in entity_types:
            problems.append(f"{where}: entity {e['name']}: {e['type']} is not an entity class")
        else:
            names.add(e["name"])
    for h in d.get("post_holdings") or []:
        for k in ("person", "state"):
            if h.get(k) not in names:
                problems.append(f"{where}: post holding {h!r}: {k} is not a gold entity")
        if h.get("role") is not None and h["role"] not in roles:
            problems.append(f"{where}: post holding role {h['role']!r} is not a pen:Role")
    ids: set[str] = set()
    for ev in doc.events:
        if ev.get("type") not in event_types:
            problems.append(f"{where}: event {ev.get('id')!r}: type {ev.get('type')!r} is not an event class")
        if ev.get("modality", "Actual") not in MODALITIES:
            problems.append(f"{where}: event {ev.get('id')!r}: bad modality {ev.get('modality')!r}")
        if ev.get("id"):
            ids.add(str(ev["id"]))
        event_interval(ev, where, problems)
        for k, v in (ev.get("arguments") or {}).items():
            if k not in ARGUMENT_PROPS:
                problems.append(f"{where}: event {ev.get('id')!r}: unknown argument {k!r}")
                continue
            for val in v if isinstance(v, list) else [v]:
                if k == "count":
                    if not isinstance(val, int):
                        problems.append(f"{where}: event {ev.get('id')!r}: count must be an integer")
                elif k == "weaponClass":
                    if val not in weapon_classes:
                        problems.append(f"{where}: event {ev.get('id')!r}: {val!r} is not a pen:WeaponClass")
                elif k != "about" and val not in names:
                    problems.append(f"{where}: event {ev.get('id')!r}: {k} {val!r} is not a gold entity")
    for ev in doc.events:
        about = (ev.get("arguments") or {}).get("about")
        if about is not None and about not in ids and about not in names:
            problems.append(
                f"{where}: event {ev.get('id')!r}: about {about!r} is neither an event id nor an entity"
            )
    for c in d.get("claims") or []:
        src = str(c.get("source", ""))
        if not (src.startswith(("anonymous:", "group:")) or src in names):
            problems.append(f"{where}: claim source {src!r} is not a gold entity nor 'anonymous:'/'group:'")
        if c.get("about") not in ids and c.get("about") not in names:
            problems.append(
                f"{where}: claim about {c.get('about')!r} is neither a gold event id nor an entity"
            )
    for dt in d.get("dates") or []:
        if not dt.get("text"):
            problems.append(f"{where}: date {dt!r} needs its text")
        elif dt.get("value") is not None:
            date_interval(dt["value"], where, problems)
    return problems


# --------------------------------------------------------------------------------------
# Dates: every date becomes a closed interval of days


def day_interval(text: str) -> DayInterval:
    """The days an ISO date of day, month or year precision covers ('2021-03' → March 1–31);
    ValueError for anything else."""
    text = str(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        d = date.fromisoformat(text)
        return d, d
    if re.fullmatch(r"\d{4}-\d{2}", text):
        y, m = int(text[:4]), int(text[5:])
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date(y, m, 1), nxt - timedelta(days=1)
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    raise ValueError(f"not an ISO date of day, month or year precision: {text!r}")


def date_interval(value: Any, where: str = "", problems: list[str] | None = None) -> DayInterval | None:
    """A gold date value (ISO text, or a mapping of start/end or earliest/latest) as days.

    A bad value raises :class:`GoldError`, or, when ``problems`` is given, is appended to
    it (prefixed with ``where``) and gives None."""
    try:
        if value is None:
            return None
        if isinstance(value, dict):
            lo = value.get("start", value.get("earliest"))
            hi = value.get("end", value.get("latest", lo))
            return day_interval(str(lo))[0], day_interval(str(hi))[1]
        return day_interval(str(value))
    except (ValueError, TypeError) as exc:
        if problems is None:
            raise GoldError(f"{where}: {exc}") from exc
        problems.append(f"{where}: {exc}")
        return None


def event_interval(
    ev: Mapping[str, Any], where: str = "", problems: list[str] | None = None
) -> DayInterval | None:
    """The days of a gold event: its start/end, else its earliest/latest, else its date;
    None when undated. Errors go to ``problems`` as in :func:`date_interval`."""
    if ev.get("start") or ev.get("end"):
        return date_interval(
            {"start": ev.get("start") or ev.get("end"), "end": ev.get("end") or ev.get("start")},
            where,
            problems,
        )
    if ev.get("earliest") or ev.get("latest"):
        return date_interval({"earliest": ev.get("earliest"), "latest": ev.get("latest")}, where, problems)
    return date_interval(ev.get("date"), where, problems)


def is_vague(value: Any) -> bool:
    """Whether a gold date value is a bound (earliest/latest) rather than a known span."""
    return isinstance(value, dict) and ("earliest" in value or "latest" in value)


def overlaps(a: DayInterval | None, b: DayInterval | None) -> bool:
    """Whether two intervals share a day; an unknown interval overlaps everything."""
    return a is None or b is None or (a[0] <= b[1] and b[0] <= a[1])

"""What identifies an event across sentences and articles: its IRI key and its label.

An event's IRI is built from its date and from what tells it apart from another event of
its kind on that date; each kind's row in :mod:`kg.kinds` names that by its ``identity``,
one of the strategies of :data:`STRATEGIES`:

- ``weapon``: the launching state and the weapon's class (or system);
- ``speaker``: who spoke, and the class of statement;
- ``actor``: who acted (sanctioned, resolved) and on whom;
- ``leaders``: a summit's leaders (its states are told or not, by the way), and how many
  meetings when several are counted; a summit is placed by :func:`summit_locator`;
- ``parties``: everyone who took part, visited or hosted.

Reports that share a key share the event (the evaluation and ``pen:reportedIn`` count on
it), so an event nothing places in time stays local to its article: never merged on a
guess (issue #12).

>>> from kg.facts import EventFact
>>> from kg.namespaces import PEN
>>> event_key(EventFact("launch", PEN.MissileLaunch, []), "an-article")
'undated-unknown-an-article'
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import URIRef

from kg.facts import Entity, EventFact
from kg.kinds import kind
from kg.namespaces import PEN, local_name, resource_iri, slugify

__all__ = ["STRATEGIES", "event_iri", "event_key", "event_label", "summit_locator"]


def _slug_of(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


_CLASS_WORDS = {
    "ICBM": "icbm",
    "IRBM": "irbm",
    "MRBM": "mrbm",
    "SRBM": "srbm",
    "SLBM": "slbm",
}


def _class_word(cls: URIRef) -> str:
    name = local_name(cls)
    if name in _CLASS_WORDS:
        return _CLASS_WORDS[name]
    return slugify("".join(" " + c if c.isupper() else c for c in name).strip())


def summit_locator(ev: EventFact) -> tuple[str, str] | None:
    """What places a summit in the world, as precisely as one article can know it and in
    words another article can know too: its date to the month (or closer); else its
    place, since the same leaders seldom meet twice in one city; else its year. Returns
    the key's part and the label's words."""
    if ev.date is not None and ev.date.precision != "year":
        return ev.date.value, ev.date.value
    place = ev.first("place")
    if place is not None:
        return _slug_of(place.iri), place.label
    return (ev.date.value, ev.date.value) if ev.date is not None else None


def _one(ev: EventFact, role: str) -> list[str]:
    entity = ev.first(role)
    return [_slug_of(entity.iri) if entity else "unknown"]


def _weapon(ev: EventFact) -> list[str]:
    parts = _one(ev, "launchingState")
    system = ev.first("weaponSystem")
    if ev.weapon_classes:
        parts.append(_class_word(ev.weapon_classes[0]))
    elif system is not None:
        parts.append(_slug_of(system.iri))
    return parts


def _speaker(ev: EventFact) -> list[str]:
    return [*_one(ev, "speaker"), slugify(local_name(ev.cls))]


def _actor(ev: EventFact) -> list[str]:
    target = ev.first("target")
    return _one(ev, "actor") + ([_slug_of(target.iri)] if target is not None else [])


def _people(ev: EventFact) -> list[Entity]:
    return ev.roles.get("participant", []) + ev.roles.get("visitor", []) + ev.roles.get("host", [])


def _names(people: list[Entity]) -> list[str]:
    return sorted({_slug_of(p.iri) for p in people})[:4] or ["unknown"]


def _parties(ev: EventFact) -> list[str]:
    return _names(_people(ev))


def _leaders(ev: EventFact) -> list[str]:
    people = _people(ev)
    leaders = [p for p in people if p.cls == PEN.Person]
    counted = [f"{ev.count}-meetings"] if (ev.count or 1) > 1 else []
    return _names(leaders or people) + counted


STRATEGIES: dict[str, Callable[[EventFact], list[str]]] = {
    "weapon": _weapon,
    "speaker": _speaker,
    "actor": _actor,
    "leaders": _leaders,
    "parties": _parties,
}


def _when(ev: EventFact) -> tuple[str, str]:
    """The key's and the label's words for when the event happened."""
    if kind(ev.kind).identity == "leaders":
        located = summit_locator(ev)
        return located if located else ("undated", "undated")
    when = ev.date.value if ev.date else (ev.start.value if ev.start else "undated")
    return when, when


def event_key(ev: EventFact, article: str = "") -> str:
    """The key of an event's IRI: when, the parts its kind's identity names, then
    ``article`` when nothing places the event in time (undated, or only a year; for a
    summit, neither date nor place, and a single meeting), then a modality other than
    actual."""
    row = kind(ev.kind)
    when = _when(ev)[0]
    parts = [when, *STRATEGIES[row.identity](ev)]
    summit = row.identity == "leaders"
    vague = when == "undated" or (not summit and ev.date is not None and ev.date.precision == "year")
    if vague and article and (not summit or (ev.count or 1) == 1):
        # Nothing places it in time (nor, for a summit, in space): the same state fires the
        # same class of missile, the same parties meet or speak, again and again, so another
        # article's undated event of theirs may well be another one. Never merged on a guess.
        parts.append(article)
    if ev.modality != "actual":
        parts.append(ev.modality)
    return "-".join(slugify(p) for p in parts)


def event_iri(ev: EventFact, base: str, n: int = 1, article: str = "") -> URIRef:
    """The IRI of an event told by ``article`` (the n-th of that key in the article)."""
    key = event_key(ev, article) + (f"-{n}" if n > 1 else "")
    return resource_iri(ev.kind, key, base=base)


def event_label(ev: EventFact) -> str:
    """'North Korea icbm launch, 2022-11-18': who, what and when, alike in every article
    that shares the event's IRI (its actors in an order of their own)."""
    row = kind(ev.kind)
    # a statement of a subclass ('condemnation') is called by its class
    what = row.label if ev.cls == row.cls else local_name(ev.cls).lower()
    actors = (
        ev.roles.get("launchingState")
        or ev.roles.get("speaker")
        or ev.roles.get("actor")
        or ev.roles.get("participant")
        or ev.roles.get("visitor")
        or []
    )
    who = " and ".join(sorted(a.label for a in actors)[:3])
    if ev.kind == "launch" and ev.weapon_classes:
        cls_label = _class_word(ev.weapon_classes[0]).replace("-", " ")
        what = f"{cls_label} launch" if cls_label.upper() not in _CLASS_WORDS.values() else what
    modality = "" if ev.modality == "actual" else f" ({ev.modality})"
    return f"{who} {what}, {_when(ev)[1]}{modality}".strip()

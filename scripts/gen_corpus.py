#!/usr/bin/env python3
"""Generate a corpus of synthetic, distinct news articles about Korean-peninsula security.

    python scripts/gen_corpus.py --articles 1000 --seed 7 --out var/corpus

writes ``gNNNNNN.txt`` files (and ``gNNNNNN.meta.yaml`` sidecars for the house styles that
have them) for benchmarks and tests. The same ``--articles`` and ``--seed`` give the same
bytes: every article has its own random generator, seeded from the seed and its number.

Everything an article says comes from the reference data (``kg.reference``): the
publication date is picked first, then only officials whose term covers that date, real
weapon systems with the class the reference gives them (and only in years they were
flown), real launch sites, seas and capitals. Publishers, bylines, analysts, institutes
and URLs are invented (``*.example.com`` / ``.org`` / ``.net``).

Articles must never look like copies of each other to :mod:`kg.build.duplicates` (word
5-shingle containment of 0.8 or more), so the wording is drawn from many templates with
nested alternatives (``[a|b|c]``), sentences and paragraphs come in varied orders, and
almost every sentence carries article-specific details (numbers, names, places, dates).

:func:`generate` returns the articles with the facts each was built from (the date, the
officials named and the posts they held, the events and their dates), which the tests
check against the reference data.

It stays one file (about 1,900 lines): a script run by path, most of whose lines are the
sentence templates of each event kind beside the code that fills them.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from kg.reference import Entry, Holding, entry_index, load_entries, post_holdings

__all__ = ["Generated", "generate", "generate_article", "main"]

FIRST_DAY = date(2017, 1, 2)
LAST_DAY = date(2024, 12, 20)
NUCLEAR_TEST = date(2017, 9, 3)  # the sixth, and the only one of 2017-2024

# ---------------------------------------------------------------------------------------
# Template expansion: "[a|b|[c|d] e]" picks one alternative (nested, innermost first);
# "{key}" fields are filled afterwards from a mapping.

_ALT = re.compile(r"\[([^\[\]]*)\]")


def expand(
    rng: random.Random, template: str, values: dict[str, Any] | None = None, *, cap: bool = True
) -> str:
    """The template with one alternative of each ``[a|b]`` picked, ``{field}`` filled from ``values``, spacing tidied and (with ``cap``) a capital first letter."""
    text = template
    while "[" in text:
        text = _ALT.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    if values is not None:
        text = text.format_map(values)
    text = re.sub(r" {2,}", " ", text).replace(" ,", ",").replace(" .", ".").strip()
    text = re.sub(r",([.,;:!?])", r"\1", text)
    return text[:1].upper() + text[1:] if cap else text


def sentence(text: str) -> str:
    """The text as a sentence: a full stop unless it already ends as one."""
    text = text.rstrip(", ")
    return text if re.search(r"[.!?][\"'”’]?$", text) else text + "."


def pick(rng: random.Random, options: Sequence[str], values: dict[str, Any] | None = None) -> str:
    """One of the templates, expanded as a sentence."""
    return sentence(expand(rng, rng.choice(options), values))


# ---------------------------------------------------------------------------------------
# The reference world

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "11th",
    "12th",
    "13th",
    "14th",
    "15th",
    "16th",
    "17th",
    "18th",
    "19th",
    "20th",
)
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

# Years in which each system was flown or shown (first, last); systems not listed are
# not used for launches. The reference data gives the class; this only keeps an article
# from firing a missile in a year it did not exist.
FLOWN: dict[str, frozenset[int]] = {
    name: frozenset(years)
    for name, years in {
        "Hwasong-6": (2017,),
        "Hwasong-9": (2017, 2022, 2023),
        "Hwasong-12": (2017, 2022),
        "Hwasong-14": (2017,),
        "Hwasong-15": (2017, 2023),
        "Hwasong-17": (2022, 2023),
        "Hwasong-18": (2023, 2024),
        "Hwasong-19": (2024,),
        "Hwasong-8": (2021, 2022),
        "Hwasong-16B": (2024,),
        "KN-02": (2017,),
        "KN-23": (2019, 2020, 2021, 2022, 2023, 2024),
        "KN-24": (2019, 2020, 2022),
        "KN-25": (2019, 2020, 2022, 2023, 2024),
        "Pukguksong-2": (2017,),
        "Pukguksong-3": (2019,),
        "Hwasal-1": (2021, 2022, 2023, 2024),
        "Hwasal-2": (2022, 2023, 2024),
        "Pulhwasal-3-31": (2024,),
        "Padasuri-6": (2024,),
        "Chollima-1": (2023, 2024),
    }.items()
}

CLASS_WORDS: dict[str, tuple[str, ...]] = {
    "ICBM": ("intercontinental ballistic missile", "ICBM", "long-range ballistic missile"),
    "IRBM": ("intermediate-range ballistic missile", "IRBM", "intermediate-range missile"),
    "MRBM": ("medium-range ballistic missile", "MRBM", "medium-range missile"),
    "SRBM": ("short-range ballistic missile", "SRBM", "short-range missile"),
    "SLBM": ("submarine-launched ballistic missile", "SLBM"),
    "CruiseMissile": ("cruise missile", "strategic cruise missile", "long-range cruise missile"),
    "HypersonicMissile": ("hypersonic missile", "missile with a hypersonic glide vehicle"),
    "AntiShipMissile": ("anti-ship cruise missile", "anti-ship missile"),
    "SpaceLaunchVehicle": ("space launch vehicle", "satellite-carrying rocket", "carrier rocket"),
}
# (distance km, apogee km, flight minutes) ranges per class
FLIGHT: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    "ICBM": ((950, 1100), (2800, 6600), (47, 87)),
    "IRBM": ((650, 4600), (500, 2100), (17, 30)),
    "MRBM": ((450, 1100), (60, 600), (8, 15)),
    "SRBM": ((110, 800), (20, 100), (3, 9)),
    "SLBM": ((400, 600), (50, 900), (6, 12)),
    "CruiseMissile": ((600, 2000), (1, 2), (90, 170)),
    "HypersonicMissile": ((600, 1100), (40, 100), (8, 14)),
    "AntiShipMissile": ((100, 300), (1, 2), (10, 30)),
    "SpaceLaunchVehicle": ((1000, 3000), (300, 700), (10, 15)),
}

STATE_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    # adjective forms, possessive forms, capital metonym
    "United States": {"adj": ("U.S.", "US", "American"), "pos": ("the United States'", "Washington's")},
    "South Korea": {"adj": ("South Korean",), "pos": ("South Korea's", "Seoul's")},
    "North Korea": {"adj": ("North Korean",), "pos": ("North Korea's", "Pyongyang's", "the North's")},
    "Japan": {"adj": ("Japanese",), "pos": ("Japan's", "Tokyo's")},
    "China": {"adj": ("Chinese",), "pos": ("China's", "Beijing's")},
    "Russia": {"adj": ("Russian",), "pos": ("Russia's", "Moscow's")},
}
CAPITALS = {
    "United States": "Washington",
    "South Korea": "Seoul",
    "North Korea": "Pyongyang",
    "Japan": "Tokyo",
    "China": "Beijing",
    "Russia": "Moscow",
}
SURNAME_FIRST = {"South Korea", "North Korea", "China"}


@dataclass
class World:
    """What the generator draws from the reference data, loaded once."""

    holdings: list[Holding]
    index: dict[str, Entry]
    weapons: list[Entry]
    places: dict[str, Entry]
    state_iri: dict[str, str]

    @classmethod
    def load(cls) -> World:
        """The world of the reference data: weapons flown, places, officials' holdings."""
        entries = load_entries()
        index = dict(entry_index())
        weapons = [e for e in entries if e.cls == "WeaponSystem" and e.label in FLOWN]
        places = {
            e.label: e
            for e in entries
            if e.cls in ("Settlement", "AdministrativeRegion", "WaterBody", "MilitaryFacility", "Region")
        }
        states = {e.label: e.iri for e in entries if e.cls == "State" and e.label in STATE_FORMS}
        return cls(post_holdings(), index, weapons, places, states)

    def holder(self, state: str, title: str, on: date) -> Holding | None:
        """The substantive holder of a post on a day whose term surely covers the day and
        the four weeks before it (background events of an article reach back that far);
        None when there is none (a vacancy, a handover month)."""
        found = [
            h
            for h in self.holdings
            if h.state == self.state_iri[state]
            and h.title == title
            and not h.acting
            and h.covers(on)
            and h.covers(on - timedelta(days=28))
            and h.start_precision == "day"
            and (h.end is None or h.end_precision == "day")
        ]
        loose = [
            h
            for h in self.holdings
            if h.state == self.state_iri[state] and h.title == title and not h.acting and h.covers(on)
        ]
        if found:
            return found[0]
        # imprecise terms: only when exactly one holder may have held the post that day
        return loose[0] if len(loose) == 1 and loose[0].covers(on - timedelta(days=28)) else None


# ---------------------------------------------------------------------------------------
# An article being written


@dataclass
class Official:
    """An official as an article names them: the holding of their post, who they are, and the spelling used."""

    holding: Holding
    person: Entry
    state: str  # state label
    key: str  # short role key: 'leader', 'fm', 'dm', ...
    name: str = ""  # the spelling this article uses
    mentioned: bool = False

    @property
    def surname(self) -> str:
        parts = self.name.split()
        if self.state in SURNAME_FIRST:
            return parts[0]
        return parts[-1]


POSTS: dict[tuple[str, str], str] = {
    ("United States", "leader"): "President",
    ("United States", "fm"): "Secretary of State",
    ("United States", "dm"): "Secretary of Defense",
    ("South Korea", "leader"): "President",
    ("South Korea", "pm"): "Prime Minister",
    ("South Korea", "fm"): "Foreign Minister",
    ("South Korea", "dm"): "Defense Minister",
    ("North Korea", "leader"): "President of the State Affairs",
    ("North Korea", "fm"): "Foreign Minister",
    ("North Korea", "dm"): "Defence Minister",
    ("Japan", "leader"): "Prime Minister",
    ("Japan", "fm"): "Foreign Minister",
    ("Japan", "dm"): "Defense Minister",
    ("Japan", "ccs"): "Chief Cabinet Secretary",
    ("China", "leader"): "President",
    ("China", "fm"): "Foreign Minister",
    ("Russia", "leader"): "President",
    ("Russia", "fm"): "Foreign Minister",
}


@dataclass
class Ctx:
    """What an article is being written from: its generator, the world, the publication date, the officials named and the events told."""

    rng: random.Random
    world: World
    pub: date
    officials: dict[tuple[str, str], Official] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # background topics already told

    # -- officials -----------------------------------------------------------------------
    def official(self, state: str, key: str) -> Official | None:
        """The official who held a post (by state and short key) on the publication date, the same one for the whole article; None when nobody did."""
        if (state, key) in self.officials:
            return self.officials[(state, key)]
        title = POSTS.get((state, key))
        if title is None:
            return None
        h = self.world.holder(state, title, self.pub)
        if h is None:
            return None
        person = self.world.index[h.person]
        name = person.label

        def norm(text: str) -> str:
            return re.sub(r"[\W_]+", "", text).lower()

        words = len(person.label.split())
        plain = [
            a
            for a in person.aliases
            if norm(a) == norm(person.label)
            and a != person.label
            and len(a.replace("-", " ").split()) == words
        ]
        if plain and self.rng.random() < 0.15:
            name = self.rng.choice(plain)
        o = Official(h, person, state, key, name)
        self.officials[(state, key)] = o
        return o

    def name(self, o: Official, *, subject: bool = True) -> str:
        """A placeholder for the official, resolved by :meth:`resolve_names` once the
        order of the paragraphs is known: in full with the post the first time, then
        mostly by surname."""
        number = list(self.officials.values()).index(o)
        return f"\x01{number}{'s' if subject else 'o'}\x02"

    def _full(self, o: Official, subject: bool) -> str:
        rng = self.rng
        adj = rng.choice(STATE_FORMS[o.state]["adj"])
        pos = rng.choice(STATE_FORMS[o.state]["pos"][:1])
        title = o.holding.title
        if o.state == "North Korea" and o.key == "leader":
            forms = [f"North Korean leader {o.name}", f"{o.name}, the North's leader,", f"leader {o.name}"]
            if subject:
                forms.append(f"{o.name}, who chairs the State Affairs Commission,")
            return rng.choice(forms)
        forms = [f"{adj} {title} {o.name}", f"{pos} {title.lower()}, {o.name},"]
        if subject:
            forms.append(f"{o.name}, {pos} {title.lower()},")
        if not o.state.startswith("United"):
            forms.append(f"{o.state}'s {title} {o.name}")
        return rng.choice(forms)

    def _short(self, o: Official) -> str:
        others = [x for x in self.officials.values() if x is not o and x.surname == o.surname]
        if others:
            return o.name
        if self.rng.random() < 0.8:
            return o.surname
        if o.state == "North Korea" and o.key == "leader":
            return f"leader {o.surname}" if self.rng.random() < 0.5 else o.name
        if o.key == "leader" and o.holding.title == "President":
            return f"President {o.surname}"
        return o.name

    def resolve_names(self, paragraphs: list[str]) -> tuple[list[str], set[int]]:
        """The paragraphs with the officials' placeholders written out, and the numbers
        of the officials named."""
        officials = list(self.officials.values())
        seen: set[int] = set()
        out = []
        token = re.compile("\x01(\\d+)([so])\x02")
        for para in paragraphs:

            def one(m: re.Match[str], para: str = para) -> str:
                number = int(m.group(1))
                o = officials[number]
                text = self._short(o) if number in seen else self._full(o, m.group(2) == "s")
                seen.add(number)
                before = para[: m.start()].rstrip()
                if not before or before.endswith((".", "!", "?", "”", '"', ":")):
                    text = text[:1].upper() + text[1:]
                return text

            para = re.sub("\x03\\d+\x04", "", token.sub(one, para))
            para = re.sub(r",([.,;:!?])", r"\1", para)
            out.append(para)
        return out, seen

    # -- dates ---------------------------------------------------------------------------
    def when(self, day: date, *, allow_weekday: bool = True) -> str:
        """A date phrase for an event on ``day`` (on or before publication) that resolves
        against the publication date: weekday, last week, earlier this month, last month,
        or an absolute date."""
        rng, pub = self.rng, self.pub
        delta = (pub - day).days
        month = MONTHS[day.month - 1] if rng.random() < 0.5 else AP_MONTHS[day.month - 1]
        absolute = f"on {month} {day.day}" + (
            f", {day.year}" if day.year != pub.year or rng.random() < 0.3 else ""
        )
        if rng.random() < 0.5 and day.year == pub.year and rng.random() < 0.4:
            absolute = f"on {day.day} {MONTHS[day.month - 1]}"
        options: list[str] = [absolute]
        if delta <= 6 and allow_weekday:
            wd = WEEKDAYS[day.weekday()]
            options += [
                f"on {wd}",
                f"on {wd}",
                f"early on {wd}",
                f"on {wd} morning",
                f"late on {wd}",
                f"on {wd} afternoon",
            ]
            if delta == 1:
                options.append("yesterday")
        monday = pub - timedelta(days=pub.weekday())
        if monday - timedelta(days=7) <= day < monday:
            options.append("last week")
        if day.month == pub.month and day.year == pub.year and delta >= 3 and day.day < pub.day:
            options.append("earlier this month")
        prev = (pub.replace(day=1) - timedelta(days=1)).replace(day=1)
        if (day.year, day.month) == (prev.year, prev.month):
            options.append("last month")
            options.append(
                f"in {MONTHS[day.month - 1]}"
                if day.year == pub.year
                else f"in {MONTHS[day.month - 1]} {day.year}"
            )
        # a marker after the phrase tells which events the final text still tells
        return rng.choice(options) + f"\x03{len(self.events)}\x04"

    def record(self, kind: str, day: date, phrase: str, **facts: Any) -> None:
        """Keep an event the article tells, with its day, the phrase that dates it and its facts."""
        clean = re.sub("\x03\\d+\x04", "", phrase)
        self.events.append({"kind": kind, "date": day.isoformat(), "phrase": clean, **facts})


def _num(n: int) -> str:
    return NUMBER_WORDS[n] if n <= 9 else str(n)


def _km(rng: random.Random, km: int) -> str:
    miles = round(km * 0.621371)
    return rng.choice(
        [
            f"{km:,} km",
            f"{km:,} kilometres",
            f"{km:,} kilometers ({miles:,} miles)",
            f"{km:,} km ({miles:,} miles)",
            f"{km:,}km",
        ]
    )


# ---------------------------------------------------------------------------------------
# Events: each writes sentences (lists of paragraphs) and records its facts


def _sea(ctx: Ctx, cls: str) -> tuple[Entry, str]:
    rng, places = ctx.rng, ctx.world.places
    if cls in ("CruiseMissile", "AntiShipMissile"):
        name = rng.choice(["Yellow Sea", "East Sea", "East Sea"])
    elif cls == "SpaceLaunchVehicle":
        name = rng.choice(["Yellow Sea", "East China Sea", "Pacific Ocean"])
    elif cls in ("ICBM", "IRBM"):
        name = rng.choice(["East Sea", "Japan's exclusive economic zone", "Pacific Ocean", "East Sea"])
    else:
        name = rng.choice(["East Sea", "East Sea", "Yellow Sea", "East Sea"])
    entry = places[name]
    spelled = rng.choice(
        [entry.label, *[a for a in entry.aliases if not a.startswith(("waters", "the "))][:4]]
    )
    if name == "Pacific Ocean":
        spelled = rng.choice(["the Pacific", "the Pacific Ocean", "the western Pacific"])
    elif name == "Japan's exclusive economic zone":
        spelled = rng.choice(
            ["Japan's exclusive economic zone", "Japan's EEZ", "Japan's exclusive economic zone (EEZ)"]
        )
    elif not spelled.startswith("Japan"):
        spelled = "the " + spelled
    return entry, spelled


def _site(ctx: Ctx, cls: str) -> tuple[Entry, str]:
    rng, places = ctx.rng, ctx.world.places
    if cls == "SpaceLaunchVehicle":
        name = "Sohae Satellite Launching Station"
    elif cls == "SLBM":
        name = rng.choice(["Sinpo", "Sinpo South Shipyard"])
    elif cls in ("ICBM", "IRBM", "HypersonicMissile"):
        name = rng.choice(
            ["Sunan", "Pyongyang International Airport", "Pyongyang", "Chagang", "Kusong", "South Pyongan"]
        )
    elif cls in ("CruiseMissile", "AntiShipMissile"):
        name = rng.choice(["Nampo", "Wonsan", "Kangwon Province", "South Hamgyong", "Sinpo"])
    else:
        name = rng.choice(
            [
                "Wonsan",
                "North Hwanghae",
                "South Pyongan",
                "Kaesong",
                "Sinuiju",
                "Hamhung",
                "South Hwanghae",
                "Kangwon Province",
                "Sunan",
                "North Pyongan",
                "Chagang",
                "Nampo",
            ]
        )
    entry = places[name]
    if entry.cls == "AdministrativeRegion" and not name.endswith("Province"):
        spelled = rng.choice([f"{name} Province", name + " province", name])
        if name == "Sunan":
            spelled = rng.choice(
                ["the Sunan area of Pyongyang", "Pyongyang's Sunan district", "the Sunan area"]
            )
        spelled = "in " + spelled if rng.random() < 0.5 else "from " + spelled
    elif entry.cls == "MilitaryFacility":
        spelled = "from " + rng.choice(
            ["the " + name, "the " + name, *["the " + a for a in entry.aliases[:3]]]
        )
        if name == "Sohae Satellite Launching Station":
            spelled = "from " + rng.choice(
                ["the Sohae Satellite Launching Station", "the Sohae launch site", "Tongchang-ri"]
            )
    else:
        spelled = rng.choice(["from", "near", "from near", "from the area of"]) + " " + name
        if name == "Pyongyang":
            spelled = rng.choice(
                ["from near Pyongyang", "from the Pyongyang area", "from near the capital, Pyongyang"]
            )
    return entry, spelled


def launch(ctx: Ctx, day: date, main: bool) -> list[list[str]]:
    """The paragraphs of a missile launch (a statement when nothing was flown that year)."""
    rng = ctx.rng
    year = min(max(day.year, 2017), 2024)
    options = [w for w in ctx.world.weapons if year in FLOWN[w.label]]
    if not options:  # 2018: no launches at all
        return statement(ctx, day, main)
    weapon = rng.choice(options)
    cls = (weapon.weapon_class or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    count = _launch_count(rng, cls)
    site, site_text = _site(ctx, cls)
    sea, sea_text = _sea(ctx, cls)
    (d0, d1), (a0, a1), (t0, t1) = FLIGHT[cls]
    dist, alt, minutes = rng.randint(d0, d1), rng.randint(a0, a1), rng.randint(t0, t1)
    phrase = ctx.when(day)
    values = _launch_values(ctx, weapon, cls, count, phrase, site_text, sea_text, (dist, alt, minutes))
    ctx.record(
        "launch",
        day,
        phrase,
        weapon=weapon.iri,
        weapon_class=cls,
        count=count,
        site=site.iri,
        impact=sea.iri,
        distance_km=dist,
        apogee_km=alt,
    )
    lead = _SATELLITE_LEADS if cls == "SpaceLaunchVehicle" else _LAUNCH_LEADS
    paras: list[list[str]] = [[pick(rng, lead, values)]]
    details = _launch_details(rng, cls, sea)
    rng.shuffle(details)
    n = 3 if main else 1
    paras.append([pick(rng, [d], values) for d in details[:n]][: 2 if main else 1])
    if main and len(details) > 2:
        paras.append([pick(rng, [details[2]], values)])
    if main:
        leader = ctx.official("North Korea", "leader")
        if leader is not None:
            values["leader"] = ctx.name(leader)
            paras.append([pick(rng, _STATE_MEDIA_ON_LAUNCH, values)])
    return paras


def _launch_count(rng: random.Random, cls: str) -> int:
    """How many weapons of a class are fired at once: one big missile, a salvo of small ones."""
    if cls in ("ICBM", "IRBM", "MRBM", "SLBM", "SpaceLaunchVehicle", "HypersonicMissile"):
        return 1 if rng.random() < 0.85 else 2
    if cls in ("CruiseMissile", "AntiShipMissile"):
        return rng.choice([1, 2, 2, 3, 4, 5])
    return rng.choice([1, 1, 2, 2, 2, 3, 4, 6, 8])


def _with_article(word: str) -> str:
    """'an ICBM', 'a cruise missile'."""
    return (
        "an " if word[0] in "aeiouAEIOU" or word[:4] in ("ICBM", "IRBM", "MRBM", "SRBM", "SLBM") else "a "
    ) + word


def _launch_values(
    ctx: Ctx,
    weapon: Entry,
    cls: str,
    count: int,
    phrase: str,
    site_text: str,
    sea_text: str,
    flight: tuple[int, int, int],
) -> dict[str, Any]:
    """The fields of a launch's templates: what was fired, by whom, from and to where, how
    far, how high and when, with the wording of each drawn from ``ctx.rng``."""
    rng = ctx.rng
    dist, alt, minutes = flight
    cw = rng.choice(CLASS_WORDS[cls])
    plural = count > 1
    what = _with_article(cw) if not plural else f"{_num(count)} {cw}s"
    alias = [a for a in weapon.aliases if not a.startswith(("super-", "600", "Iskander", "North Korean"))]
    wname = weapon.label if rng.random() < 0.7 or not alias else rng.choice(alias)
    jcs = rng.choice(
        [
            "South Korea's Joint Chiefs of Staff",
            "the South Korean military",
            "Seoul's Joint Chiefs of Staff",
            "the Joint Chiefs of Staff in Seoul",
            "South Korea's military",
        ]
    )
    jp = rng.choice(
        [
            "Japan's Defense Ministry",
            "Japan's coast guard",
            "the Japanese government",
            "Tokyo's Defense Ministry",
        ]
    )
    values: dict[str, Any] = dict(
        what=what,
        cw=cw,
        site=site_text,
        sea=sea_text,
        when=phrase,
        jcs=jcs,
        jp=jp,
        wname=wname,
        dist=_km(rng, dist),
        alt=_km(rng, alt),
        minutes=minutes,
        it="they" if plural else "it",
        It="They" if plural else "It",
        was="were" if plural else "was",
        s="s" if plural else "",
        ord=rng.choice(ORDINALS[1:16]),
        hour=rng.randint(5, 11),
        ampm="a.m.",
        minute=rng.choice(["05", "12", "18", "24", "31", "37", "43", "48", "52", "57"]),
        nk=rng.choice(["North Korea", "the North", "Pyongyang", "the North Korean military"]),
    )
    values["What"] = what[0].upper() + what[1:]
    if "late" in phrase or "afternoon" in phrase:
        values["hour"], values["ampm"] = rng.randint(2, 11), "p.m."
    values["a_cw"] = _with_article(cw)
    return values


def _launch_details(rng: random.Random, cls: str, sea: Entry) -> list[str]:
    """The templates of a launch's details (flight, detection, where it fell, what it was)
    that fit its class and the sea it fell in."""
    low = cls in ("CruiseMissile", "AntiShipMissile")
    east = sea.label in ("East Sea", "Japan's exclusive economic zone", "Pacific Ocean")
    details = [
        "The missile{s} flew [about|some|roughly] {dist} [at a maximum altitude of|reaching an altitude of|on a lofted trajectory peaking at] {alt}, [the military said|{jcs} said|according to the military]"
        if not low
        else "The missile{s} [stayed|flew] [low|at low altitude] [for|over] [about|some] {dist}, [hugging the sea|following the coast], [the military said|{jcs} said]",
        "{jp} said the flight lasted [about|around|roughly] {minutes} minutes[ and ended| before ending] in {sea}",
        "The [launch|firing] was detected at [about|around] {hour}:{minute} {ampm} local time, [{jcs} said|officials said], [and [South Korean and U.S. forces|the allied militaries] were [analysing|studying] [the flight data|its trajectory]|adding that [intelligence|the data] was being shared with [Washington and Tokyo|the United States and Japan]]",
        "{jp} said {it} [fell|came down|landed] [outside|inside] Japan's exclusive economic zone [and that no damage to [ships|aircraft|vessels] had been [reported|confirmed]|, [prompting|drawing] a [protest|complaint] [through diplomatic channels|via the embassy in Beijing]]",
        "[Officials in Seoul|South Korean officials|Military officials] said {it} [appeared|seemed] to be [a|the] {wname}, {a_cw} [first shown at a parade|that the North has flown before|the North developed in recent years]",
    ]
    if not east:
        details = [d for d in details if "exclusive" not in d]
    if cls == "CruiseMissile":
        details.append(
            "[State media said the|The] missiles flew for [about|some] {minutes} minutes along [oval|figure-of-eight|pre-set] [flight paths|patterns] over {sea} before hitting [their|an island] target[s|]"
        )
    if cls in ("ICBM", "IRBM"):
        details.append(
            "[Japanese officials|Tokyo] said the missile came down [about|some|roughly] {nmi} [km|kilometres] west of [Hokkaido|Okushiri island|the Oshima peninsula|Aomori]".replace(
                "{nmi}", str(rng.randint(80, 250))
            )
        )
    return details


_SATELLITE_LEADS = [
    "{nk} [launched|fired] a {wname} rocket [carrying|with] what it called a [military reconnaissance|spy] satellite {site} {when}, [and {jcs} said the rocket flew south over {sea}|{jcs} said]",
    "A {cw} [lifted off|was launched] {site} {when}, [{jcs} said|according to {jcs}], in {nk}'s latest attempt to put a spy satellite [into orbit|in orbit]",
    "{jp} [issued|briefly issued] a missile alert {when} after {nk} fired a {cw} southward {site}, with [debris|parts of the rocket] [falling|coming down] in {sea}",
]
_LAUNCH_LEADS = [
    "{nk} [fired|launched|test-fired] {what} {site} [toward|into] {sea} {when}, {jcs} said",
    "{jcs} said {nk} [fired|launched] {what} {when} {site}, [and {it} [landed|splashed down|came down] in {sea}|sending {it} toward {sea}]",
    "{nk} [test-fired|launched] {what} {when}, [the latest in a [string|series|run] of [weapons tests|launches]|its [latest|newest] show of force], [according to|said] {jcs}",
    "{What} [fired|launched] by {nk} {site} {when} [flew|travelled] {dist} before [landing|falling] in {sea}, {jcs} [said|reported]",
    "[In its {ord} launch this year|In a [fresh|new] [show of force|provocation]], {nk} [fired|launched] {what} {site} {when}, {jcs} said",
    "{jp} said {when} that {nk} had [fired|launched] {what} and that {it} {was} [believed|thought] to have [fallen|landed] in {sea}",
]
_STATE_MEDIA_ON_LAUNCH = [
    "State media [said|reported] [the next day|a day later|on the following day] that the [test|launch] of the {wname} had [verified|confirmed] [the reliability of its engine|its [guidance|control] system|the performance of a new [warhead|launcher]] [and that|, adding that] {leader} had [watched|overseen|observed] it",
    "The Korean Central News Agency [said|reported] [later|afterwards] that the {wname} had [hit|struck] its [target|target area] [precisely|accurately] and that {leader} had [called|described] it [a warning to|a message for] the North's [enemies|adversaries]",
    "[Pyongyang's|The North's] [official|state] news agency KCNA [described the [launch|firing] as|called the [launch|firing]] a [routine|regular|planned] [test|drill] [by|of] [an artillery|a missile|a strategic] unit, [attended by|watched by] {leader}",
]


def nuclear_test(ctx: Ctx, day: date, main: bool) -> list[list[str]]:
    """The paragraphs of the nuclear test."""
    rng = ctx.rng
    site = ctx.world.places["Punggye-ri nuclear test site"]
    phrase = ctx.when(day)
    mag = f"{rng.randint(57, 63) / 10:.1f}"
    kt = rng.choice([50, 70, 100, 120, 140, 160, 200, 250])
    values = dict(
        when=phrase,
        site=rng.choice(
            [
                "the Punggye-ri nuclear test site",
                "the Punggye-ri test site",
                "Punggye-ri",
            ]
        ),
        mag=mag,
        kt=kt,
        depth=rng.randint(1, 9),
        nk=rng.choice(["North Korea", "the North", "Pyongyang"]),
        province=rng.choice(["North Hamgyong Province", "the northeastern province of North Hamgyong"]),
    )
    ctx.record("nuclear_test", day, phrase, site=site.iri)
    paras = [
        [
            pick(
                rng,
                [
                    "{nk} [conducted|carried out] [a|another] nuclear test {when} at {site} in {province}, [setting off|causing] a magnitude {mag} [tremor|earthquake] [that seismologists [in|across] the region detected|detected by monitors in [Seoul|South Korea] and [Japan|China]]",
                    "A magnitude {mag} [earthquake|tremor] [struck|was detected near] {site} {when}, and {nk} [said|announced] hours later that it had [tested|detonated] a nuclear [device|warhead]",
                    "{nk} [said|declared] it had [successfully|] [tested|detonated] a nuclear [weapon|device|warhead] {when}, [after|as] [monitoring agencies|seismologists] [recorded|registered] a magnitude {mag} [quake|tremor] near {site}",
                ],
                values,
            )
        ]
    ]
    if main:
        paras.append(
            [
                pick(
                    rng,
                    [
                        "[Experts|Analysts|Seismologists] [estimated|put] the [yield|explosive force] at [about|around|up to] {kt} kilotons, [several times|many times] [the|that of the] bomb dropped on Hiroshima",
                        "[South Korea's weather agency|Seoul's meteorological agency] said the [quake|tremor] [was|struck at] a depth of [about|roughly] {depth} km, [pointing to|consistent with] [a man-made blast|an artificial explosion]",
                        "[The blast|The explosion] [had|was estimated to have] a yield of [around|about] {kt} kilotons, [according to|said] [analysts|experts] [in Seoul|at a Seoul think tank]",
                    ],
                    values,
                ),
                pick(
                    rng,
                    [
                        "[State media|The Korean Central News Agency] [said|claimed] the device was [a hydrogen bomb|a thermonuclear weapon|a warhead] [small enough|light enough] to [fit on|be mounted on] [a missile|an intercontinental ballistic missile]",
                        "[Pyongyang|The North] [called the [test|explosion]|described the [test|explosion] as] [a perfect success|a complete success|flawless] and said [no radioactive material had leaked|there had been no leak of radiation]",
                    ],
                    values,
                ),
            ]
        )
    return paras


MEETING_PAIRS: list[tuple[tuple[str, str], tuple[str, str]]] = [
    (("United States", "leader"), ("South Korea", "leader")),
    (("United States", "leader"), ("Japan", "leader")),
    (("South Korea", "leader"), ("Japan", "leader")),
    (("United States", "fm"), ("South Korea", "fm")),
    (("United States", "fm"), ("Japan", "fm")),
    (("South Korea", "fm"), ("Japan", "fm")),
    (("United States", "dm"), ("South Korea", "dm")),
    (("United States", "dm"), ("Japan", "dm")),
    (("South Korea", "dm"), ("Japan", "dm")),
    (("China", "leader"), ("North Korea", "leader")),
    (("Russia", "leader"), ("North Korea", "leader")),
    (("China", "fm"), ("United States", "fm")),
    (("China", "fm"), ("South Korea", "fm")),
    (("Russia", "fm"), ("North Korea", "fm")),
    (("China", "leader"), ("South Korea", "leader")),
    (("Japan", "leader"), ("China", "leader")),
    (("United States", "fm"), ("China", "fm")),
]

ALLIED_TOPICS = (
    "North Korea's nuclear and missile programmes",
    "the denuclearisation of the Korean Peninsula",
    "extended deterrence",
    "the enforcement of sanctions on Pyongyang",
    "ways to bring the North back to talks",
    "missile defence and the sharing of warning data",
    "supply chains and regional security",
    "the North's cyber theft of cryptocurrency",
    "the abduction of Japanese citizens by North Korean agents",
    "trilateral security cooperation",
    "the defence cost-sharing agreement",
)
PARTNER_TOPICS = (
    "economic cooperation",
    "trade across their shared border",
    "the situation on the Korean Peninsula",
    "what they called U.S. hostility",
    "tourism and transport links",
    "food and fertiliser aid",
    "their friendship treaty",
    "coordination at the United Nations",
)
RIVAL_TOPICS = (
    "the situation on the Korean Peninsula",
    "keeping lines of communication open",
    "trade and export controls",
    "the enforcement of UN sanctions",
    "ways to bring the North back to talks",
    "regional security",
    "the denuclearisation of the Korean Peninsula",
)
ALLIES = {"United States", "South Korea", "Japan"}


def meeting(ctx: Ctx, day: date, main: bool) -> list[list[str]]:
    """The paragraphs of a summit, talks, a phone call or a visit (a statement when no pair of officials is in post)."""
    rng = ctx.rng
    pairs = list(MEETING_PAIRS)
    rng.shuffle(pairs)
    for (sa, ka), (sb, kb) in pairs:
        a, b = ctx.official(sa, ka), ctx.official(sb, kb)
        if a is not None and b is not None:
            break
    else:
        return statement(ctx, day, main)
    kind = rng.choice(
        ["summit", "talks", "phone call", "visit"]
        if a.key == b.key == "leader"
        else ["talks", "phone call", "visit", "talks"]
    )
    host, guest = (a, b) if rng.random() < 0.5 else (b, a)
    city = CAPITALS[host.state]
    phrase = ctx.when(day)
    topic_list = rng.sample(_topics(a, b), 3)
    values = dict(
        a=ctx.name(a),
        b=ctx.name(b),
        when=phrase,
        city=city,
        topic=topic_list[0],
        topic2=topic_list[1],
        topic3=topic_list[2],
        mins=rng.choice([25, 30, 40, 45, 50, 60, 70, 80, 90, 100]),
        hours=rng.choice(["two", "three", "nearly two", "more than three", "about four"]),
        days=rng.choice(["two-day", "three-day", "four-day", "five-day", "week-long"]),
        gpos=rng.choice(STATE_FORMS[guest.state]["pos"][:1]),
        talkword=rng.choice(
            ["talks", "summit talks"] if a.key == b.key == "leader" else ["talks", "meetings"]
        ),
        mtg=rng.choice(["call", "conversation"])
        if kind == "phone call"
        else rng.choice(["talks", "meeting"]),
    )
    values["host"] = values["a"] if host is a else values["b"]
    values["guest"] = values["b"] if host is a else values["a"]
    ctx.record(
        kind.replace(" ", "_"),
        day,
        phrase,
        participants=[a.person.iri, b.person.iri],
        place=CAPITALS[host.state] if kind != "phone call" else None,
    )
    lead = _MEETING_LEADS.get(kind, _MEETING_LEADS["talks"])
    paras = [[pick(rng, lead, values)]]
    follow = [
        "[The two sides|Both sides|The two] also [discussed|touched on|exchanged views on] {topic2} and {topic3}, [according to|said] a [readout|statement] [released afterwards|issued after the talks|from {host}'s office]",
        "[A joint statement|A statement issued afterwards|The readout] said they had [agreed|committed] to [hold|meet for] [further|regular|more frequent] [talks|consultations] on {topic2}",
        "[Aides|Officials] said the {mtg} [also covered|turned to] {topic3}, [an issue|a subject] on which the two [sides|governments] [have differed|have often disagreed|share concerns]",
    ]
    rng.shuffle(follow)
    paras.append([pick(rng, [f], values) for f in follow[: 2 if main else 1]])
    return paras


def _topics(a: Official, b: Official) -> tuple[str, ...]:
    """What two officials talk about: allies, North Korea and a partner, or rivals."""
    if a.state in ALLIES and b.state in ALLIES:
        return ALLIED_TOPICS
    if "North Korea" in (a.state, b.state):
        return PARTNER_TOPICS
    return RIVAL_TOPICS


# the leads of a meeting's story, by kind ("talks" also for a summit)
_MEETING_LEADS = {
    "phone call": [
        "{a} and {b} [spoke by phone|held a phone call|talked by telephone] {when} [and agreed|, agreeing] to [keep working closely on|coordinate closely on|step up cooperation on] {topic}",
        "{a} [discussed|went over] {topic} with {b} in a {mins}-minute [phone call|telephone conversation] {when}, [officials|aides|their offices] said",
        "In a [phone call|call] {when}, {a} told {b} that [the two sides|their governments] [should|would] [stand together|act together|keep in step] on {topic}",
    ],
    "visit": [
        "{guest} [arrived in|landed in|flew into] {city} {when} [for|on] a {days} visit [focused on|centred on|expected to cover] {topic}",
        "{guest} [visited|travelled to] {city} {when} and [met|held talks with] {host}, [with|and] {topic} [topping|high on] the agenda",
        "{host} [received|welcomed|hosted] {guest} in {city} {when}, the [first|latest] such visit [in months|since the start of the year|this year], [and the two discussed|for talks on] {topic}",
    ],
    "talks": [
        "{a} and {b} [held|sat down for] [talks|a summit|a meeting] in {city} {when}, [pledging|and pledged] to [deepen cooperation on|work together on|coordinate on] {topic}",
        "{host} [hosted|welcomed] {guest} for {hours} hours of {talkword} in {city} {when}, [dominated by|focused on|centred on] {topic} and {topic2}",
        "[Meeting|At a meeting|At talks] in {city} {when}, {a} and {b} [agreed|vowed|promised] to [strengthen|bolster|step up] [cooperation|coordination] on {topic}",
    ],
}


EXERCISES: list[tuple[str, int, int, tuple[str, ...]]] = [
    ("Key Resolve", 2017, 2018, ("United States", "South Korea")),
    ("Foal Eagle", 2017, 2018, ("United States", "South Korea")),
    ("Ulchi Freedom Guardian", 2017, 2017, ("United States", "South Korea")),
    ("Vigilant Ace", 2017, 2017, ("United States", "South Korea")),
    ("Dong Maeng", 2019, 2021, ("United States", "South Korea")),
    ("Vigilant Storm", 2022, 2022, ("United States", "South Korea")),
    ("Ulchi Freedom Shield", 2022, 2024, ("United States", "South Korea")),
    ("Freedom Shield", 2023, 2024, ("United States", "South Korea")),
    ("Freedom Edge", 2024, 2024, ("United States", "South Korea", "Japan")),
]
ASSETS = (
    "B-1B bombers",
    "B-52H bombers",
    "F-35A stealth fighters",
    "F-16 fighter jets",
    "an aircraft carrier strike group",
    "Aegis destroyers",
    "amphibious assault ships",
    "attack helicopters",
    "a nuclear-powered submarine",
    "K2 tanks",
    "Patriot missile batteries",
    "KF-21 and F-15K jets",
)


def exercise(ctx: Ctx, day: date, main: bool) -> list[list[str]]:
    """The paragraphs of a joint military exercise."""
    rng = ctx.rng
    name, parties, title = _exercise_named(ctx, day)
    phrase = ctx.when(day)
    party_text = " and ".join([", ".join(parties[:-1]), parties[-1]]) if len(parties) > 1 else parties[0]
    party_text = party_text.replace("United States", "the United States")
    assets = rng.sample(ASSETS, 2)
    aircraft = rng.choice(
        [
            "B-1B bombers",
            "F-35A stealth fighters",
            "F-16 fighter jets",
            "KF-21 and F-15K jets",
            "F-22 stealth fighters",
            "refuelling tankers",
        ]
    )
    values = dict(
        title=title,
        parties=party_text,
        when=phrase,
        asset=assets[0],
        asset2=assets[1],
        aircraft=aircraft,
        troops=f"{rng.randint(3, 48) * 500:,}",
        planes=rng.randint(12, 240),
        days=rng.choice(["five", "six", "10", "11", "12", "14"]),
        nkpos=rng.choice(["the North's", "North Korea's", "Pyongyang's"]),
    )
    values["title"] = expand(rng, title, cap=False)
    ctx.record("exercise", day, phrase, name=name, parties=[ctx.world.state_iri[p] for p in parties])
    lead = [
        "{parties} [began|launched|opened|kicked off] {title} {when}, [involving|with] [about|some|around] {troops} troops and {asset}",
        "[Troops from|Forces of] {parties} [started|began] {title} {when}, [mobilising|deploying] {asset} and {asset2}",
        "{title} [involving|between] {parties} [got under way|began|opened] {when}, [with|featuring] {planes} aircraft [including|among them] {aircraft}",
    ]
    paras = [[pick(rng, lead, values)]]
    if main:
        paras.append(
            [
                pick(
                    rng,
                    [
                        "The {days}-day [drills are|exercise is] [meant|designed|intended] to [sharpen|test|improve] the allies' [response|readiness] [to|against] {nkpos} [missile|nuclear] threats, [a Pentagon|a U.S. Forces Korea|a Defense Ministry] [spokesperson|official] said",
                        "[Officials|Commanders] said the [drills|exercise], [set to run|due to last|scheduled to run] {days} days, [would|will] [rehearse|practise] [intercepting missiles|amphibious landings on the coast|the defence of the capital region] [and the use of|with] {asset2}",
                    ],
                    values,
                )
            ]
        )
    return paras


def _exercise_named(ctx: Ctx, day: date) -> tuple[str, tuple[str, ...], str]:
    """A drill's name (a real exercise of that year, not told yet in the article, or ''),
    the states that hold it and the template of how the story calls it."""
    rng = ctx.rng
    named = [e for e in EXERCISES if e[1] <= day.year <= e[2] and e[0] not in ctx.used]
    if named and rng.random() < 0.6:
        name, _, _, parties = rng.choice(named)
        ctx.used.add(name)
        title = (
            f"the {name} exercise"
            if rng.random() < 0.5
            else f"[the annual|this year's] {name} [drills|exercise]"
        )
    else:
        name = ""
        parties = rng.choice(
            [
                ("United States", "South Korea"),
                ("United States", "South Korea", "Japan"),
                ("United States", "Japan"),
            ]
        )
        title = rng.choice(
            [
                "joint [air|naval|combined air and naval] drills",
                "[large-scale|combined] [live-fire|field training] exercises",
            ]
        )
        if len(parties) == 3:
            title = rng.choice(
                [
                    "a trilateral [naval|missile defence|air] drill",
                    "[three-way|trilateral] [naval|air|missile-warning] exercises",
                ]
            )
    return name, parties, title


def sanctions(ctx: Ctx, day: date, main: bool) -> list[list[str]]:
    """The paragraphs of new sanctions by the UN, the US, South Korea or Japan."""
    rng = ctx.rng
    phrase = ctx.when(day)
    who = rng.choice(["un", "us", "kr", "jp", "un"])
    values = dict(
        when=phrase,
        people=_num(rng.randint(2, 19)),
        firms=_num(rng.randint(2, 14)),
        ships=_num(rng.randint(2, 11)),
        votes=rng.choice(
            ["13 votes in favour", "all 15 members voting in favour", "13 votes to two", "a unanimous vote"]
        ),
        cap=f"{rng.choice([2, 4, 5, 6, 8])},{rng.randint(1, 9)}00,000",
        target=rng.choice(
            [
                "a shipping network that moved coal",
                "IT workers sent abroad to earn money",
                "banks that laundered funds",
                "trading firms that bought missile parts",
                "hackers who stole cryptocurrency",
                "a network that smuggled oil",
            ]
        ),
    )
    ctx.record("sanctions", day, phrase, by=who)
    if who == "un":
        lead = [
            "The United Nations Security Council [adopted|approved|passed] a [new|fresh] resolution {when} [tightening|expanding] sanctions on North Korea, with {votes}",
            "[A new round of|Fresh] UN sanctions [aimed at|targeting] {target} [was|were] [adopted|approved] by the Security Council {when} with {votes}",
            "The Security Council [met|held an emergency meeting] {when} [on|over] a draft resolution that would cap the North's [oil imports|refined petroleum imports] at {cap} barrels a year",
        ]
    elif who == "us":
        lead = [
            "The U.S. Treasury Department [imposed|announced] sanctions {when} on {people} individuals and {firms} [entities|companies] [linked to|accused of supporting] {target}",
            "Washington [blacklisted|sanctioned] {people} people and {firms} firms {when} [over|for] [their role in|ties to] {target} [serving|that funds] [the North's weapons programmes|Pyongyang's missile programme]",
        ]
    elif who == "kr":
        lead = [
            "South Korea [imposed|announced] [unilateral|independent] sanctions {when} on {people} individuals and {firms} [organisations|entities] [involved in|tied to] {target}",
            "Seoul [added {people} North Korean individuals [and|as well as] {ships} vessels to|placed {people} North Korean individuals [and|as well as] {ships} vessels on] its sanctions list {when}, [citing|over] {target}",
        ]
    else:
        lead = [
            "Japan [froze the assets of|imposed sanctions on] {people} individuals and {firms} [groups|entities] {when} [over|linked to] {target}",
            "Tokyo [expanded|widened] its [own|unilateral] sanctions {when}, [adding|listing] {firms} [entities|firms] [tied to|accused of aiding] {target}",
        ]
    paras = [[pick(rng, lead, values)]]
    if main:
        paras.append(
            [
                pick(
                    rng,
                    [
                        "[China and Russia|Beijing and Moscow] [have argued|argued again] that [more sanctions|new penalties] [would|will] [only|] [raise tensions|hurt ordinary North Koreans] and [called for|urged] [dialogue|talks] [instead|first]",
                        "The [measures|sanctions] [also|] [cover|target] {ships} [ships|vessels] [accused of|said to have carried out] [ship-to-ship transfers|illicit transfers at sea], [officials|diplomats] said",
                        "[Diplomats|Officials] said the [measures|steps] would [block|choke off] [a source of|funds for] [hard currency|foreign currency] that [feeds|pays for] the North's [weapons programmes|missile programme]",
                    ],
                    values,
                )
            ]
        )
    return paras


STATEMENT_SOURCES = [
    ("North Korea", "fm"),
    ("North Korea", "dm"),
    ("United States", "fm"),
    ("Japan", "ccs"),
    ("Japan", "leader"),
    ("South Korea", "dm"),
    ("China", "fm"),
    ("Russia", "fm"),
    ("United States", "dm"),
    ("South Korea", "leader"),
]


def statement(ctx: Ctx, day: date, main: bool) -> list[list[str]]:
    """The paragraphs of an official's statement."""
    rng = ctx.rng
    sources = list(STATEMENT_SOURCES)
    rng.shuffle(sources)
    speaker = None
    for s, k in sources:
        speaker = ctx.official(s, k)
        if speaker is not None:
            break
    assert speaker is not None
    phrase = ctx.when(day)
    if speaker.state == "North Korea":
        kind = rng.choice(["threat", "warning", "denial", "condemnation"])
        target = rng.choice(
            ["the United States", "Washington", "South Korea", "Seoul", "the allies", "Tokyo"]
        )
    elif speaker.state in ("China", "Russia"):
        kind = rng.choice(["warning", "denial", "warning"])
        target = rng.choice(["the United States", "Washington", "all sides", "the allies"])
    else:
        kind = rng.choice(["condemnation", "warning", "condemnation", "threat"])
        target = rng.choice(["North Korea", "Pyongyang", "the North"])
    values = dict(
        who=ctx.name(speaker),
        when=phrase,
        target=target,
        thing=rng.choice(
            [
                "the drills",
                "the sanctions",
                "the exercises",
                "the deployment of U.S. strategic assets",
                "the bomber flights",
            ]
            if speaker.state in ("North Korea", "China", "Russia")
            else [
                "the launches",
                "the recent tests",
                "Pyongyang's latest launch",
                "the missile firings",
            ]
            + (["arms deals with Moscow", "the satellite launches"] if ctx.pub.year >= 2023 else [])
        ),
        q=rng.choice(["“", "'", '"']),
        accuser=rng.choice(["Washington", "the United States", "Western media", "Seoul", "Tokyo"])
        if speaker.state != "North Korea"
        else rng.choice(
            ["Washington", "Seoul", "the South Korean puppet military", "hostile forces", "Tokyo"]
        ),
    )
    values["qe"] = {"“": "”", "'": "'", '"': '"'}[values["q"]]
    ctx.record("statement", day, phrase, speaker=speaker.person.iri, statement_kind=kind)
    templates = {
        "condemnation": [
            "{who} [condemned|denounced] {thing} {when} as a [clear|flagrant|serious] violation of UN Security Council resolutions [and a threat to peace|that threatens the region]",
            "{who} [said|told reporters] {when} that {thing} [posed a grave threat to the region|amounted to a serious provocation|could not be tolerated], adding: {q}[We|Our government] will [not tolerate|respond firmly to] [such acts|this behaviour].{qe}",
        ],
        "threat": [
            "{who} [warned|said] {when} that {target} would [pay a heavy price|face an overwhelming response|be held responsible] if {thing} [continued|went on|were repeated]",
            "{who} [threatened|vowed] {when} to take [strong|resolute|countermeasures and] [military|practical] [action|steps] against {target} over {thing}",
        ],
        "warning": [
            "{who} [cautioned|warned] {when} that {thing} [risked raising|could raise|threatened to raise] tensions [on the peninsula|in the region] and urged {target} to [show restraint|return to dialogue]",
            "{who} said {when} that [the situation|tension on the peninsula] could [spiral|grow worse] unless {target} [changed course|stopped {thing}|showed restraint]",
        ],
        "denial": [
            "{who} [denied|rejected] {when} [reports|claims] [put about|spread] by {accuser} [over|about] {thing}, [calling them|dismissing them as] [groundless|absurd|fabrications]",
            "{who} [dismissed|rejected] {when} [accusations|allegations] [over|about] {thing} as [baseless claims|a smear|slander] [spread|invented] by {accuser}",
        ],
    }
    return [[pick(rng, templates[kind], values)]]


EVENTS: dict[str, Callable[[Ctx, date, bool], list[list[str]]]] = {
    "launch": launch,
    "nuclear_test": nuclear_test,
    "meeting": meeting,
    "exercise": exercise,
    "sanctions": sanctions,
    "statement": statement,
}
MAIN_WEIGHTS = {
    "launch": 36,
    "nuclear_test": 4,
    "meeting": 20,
    "exercise": 14,
    "sanctions": 10,
    "statement": 16,
}

# Background sentences that carry numbers of their own
BACKGROUND = [
    "The North has [conducted|carried out] {n1} [missile launches|weapons tests] so far this year, [compared with|against] {n2} in [all of|the whole of] {prev}",
    "[Talks|Negotiations] between Washington and Pyongyang have been stalled since {stall}, [when|after] [a summit in Hanoi ended without a deal|the last round of working-level talks broke down]",
    "[About|Some|Roughly] {troops} U.S. troops [are stationed in South Korea [as a legacy of|under a security pact dating from]|have been stationed in South Korea since] the 1950-53 Korean War, [which ended in an armistice, not a peace treaty|whose fighting stopped with a truce rather than a treaty|so the two Koreas remain technically at war]",
    "[The two Koreas|North and South Korea] [remain|are still] technically at war [because|as] the [fighting|conflict] of 1950-53 [ended|stopped] with [an armistice|a truce], [and|while] {troops} American [troops|soldiers|service members] [stay|remain] in the South",
    "[Analysts|Experts|Observers] [say|believe] the North [may be preparing|could be readying] [[another nuclear test|a new nuclear test] [at|near] [Punggye-ri|its northeastern test site]|another long-range launch [at|from] [Sohae|its west coast launch site]], [citing|pointing to] [satellite imagery|commercial satellite images] from {month}",
    "[South Korea's spy agency|Seoul's National Intelligence Service] told lawmakers in {month} that the North had [sent|shipped] [about|as many as] {containers} containers of [munitions|artillery shells] to Russia",
    "The North [says|has said] its [weapons tests|missile launches] are [a legitimate exercise of its right to self-defence|lawful acts of self-defence|a response to the allies' drills|its answer to the allies' [drills|manoeuvres]|needed to deter [Washington|its enemies]], [which it calls|describing them as] [rehearsals for invasion|a prelude to war]",
    "[Japan's|Tokyo's] [government|coast guard] [issued|sent] a [maritime|navigational] warning [to ships|to vessels] {sea2} [and|, and] [urged|told] [captains|crews] to [report any debris|keep clear of falling objects]",
    "[{analyst}|{analyst}, {inst},] said the [timing|choice of date] [pointed to|suggested] [a message aimed at|an effort to pressure] [Washington|Seoul|the allies] [ahead of|before] {upcoming}",
]
ANALYST_FIRST = (
    "Min-jun",
    "Seo-yeon",
    "Ji-ho",
    "Hana",
    "Daniel",
    "Laura",
    "Tomoko",
    "Kenji",
    "Marcus",
    "Yu-na",
    "Priya",
    "Henrik",
    "Olivia",
    "Sung-ho",
    "Claire",
    "Rafael",
)
ANALYST_LAST = (
    "Baek",
    "Ryu",
    "Nam",
    "Seong",
    "Ahn",
    "Hwangbo",
    "Okafor",
    "Lindqvist",
    "Tanabe",
    "Morita",
    "Calloway",
    "Brennan",
    "Varga",
    "Delacroix",
    "Whitfield",
    "Ishikura",
)
INSTITUTES = (
    "a researcher at the Hanbit Institute for Security Studies",
    "a senior fellow at the Lakeshore Centre for Asian Affairs",
    "a professor at Daegwang University in Seoul",
    "an analyst with the Pacific Rim Policy Forum",
    "director of the Meridian Arms Control Project",
    "a former intelligence officer now at the Bayview Security Institute",
)
UPCOMING = (
    "the U.S. presidential election",
    "a G7 summit",
    "the allies' autumn drills",
    "the anniversary of the armistice",
    "a party congress in Pyongyang",
    "a meeting of the UN General Assembly",
    "South Korea's parliamentary elections",
    "a regional security forum",
)
QUOTES = [
    "{q}[This|The launch|What we saw] [shows|suggests|tells us] that [Pyongyang|the North] [is determined to|wants to] [perfect|refine|test] [its delivery systems|a new launcher|its solid-fuel technology] [before|ahead of] {upcoming},{qe} said {analyst}, {inst}.",
    "{q}[The timing is no accident|Nothing about the timing is random|It is a calculated move],{qe} {analyst}, {inst}, [said|told this outlet]. {q}[They|The North Koreans] [want|are trying] to [be seen as|show they are] a nuclear power [that|which] [cannot be ignored|must be dealt with].{qe}",
    "{analyst}, {inst}, said [sanctions|pressure alone] [had|has] [done little|failed] to [slow|stop] [the programme|the North's weapons work] and [that|] [a return to|renewed] [talks|diplomacy] [looked|seemed] [unlikely|remote] [this year|before {upcoming}].",
]


def background(ctx: Ctx, k: int) -> list[list[str]]:
    """``k`` paragraphs of background on the peninsula, each told once per article."""
    rng, pub = ctx.rng, ctx.pub
    q = rng.choice(["“", '"'])
    values = dict(
        n1=rng.randint(4, 31),
        n2=rng.randint(5, 70),
        prev=pub.year - 1,
        stall=rng.choice(["February 2019", "October 2019", "2019", "the Hanoi summit of February 2019"])
        if pub.year >= 2019
        else "late 2016",
        troops=rng.choice(["28,500", "28,500", "28,000"]),
        month=MONTHS[(pub.month - 2) % 12],
        containers=f"{rng.randint(2, 13) * 1000:,}",
        sea2=rng.choice(
            [
                "in the Yellow Sea",
                "in the East Sea",
                "in the East China Sea",
                "off the east coast of the peninsula",
                "off the west coast of the peninsula",
            ]
        ),
        analyst=rng.choice(ANALYST_FIRST) + " " + rng.choice(ANALYST_LAST),
        inst=rng.choice(INSTITUTES),
        analyst2=rng.choice(ANALYST_FIRST) + " " + rng.choice(ANALYST_LAST),
        inst2=rng.choice(INSTITUTES),
        upcoming=rng.choice(UPCOMING),
        q=q,
        qe={"“": "”", '"': '"'}[q],
    )
    candidates = list(BACKGROUND)
    if pub < date(2019, 3, 1):  # before the Hanoi summit
        candidates = [b for b in candidates if "Hanoi" not in b]
    if pub.year < 2023:  # before the munitions shipments to Russia
        candidates = [b for b in candidates if "Russia" not in b]
    if pub.year in (2018, 2019):  # no launches in 2018 to count or compare with
        candidates = [b for b in candidates if "so far this year" not in b]

    def topic(template: str) -> str:
        return "armistice" if "1950-53" in template else template

    candidates = [b for b in candidates if topic(b) not in ctx.used]
    rng.shuffle(candidates)
    paras = []
    for b in candidates[:k]:
        if topic(b) not in ctx.used:
            ctx.used.add(topic(b))
            paras.append([pick(rng, [b], values)])
    if "quote" not in ctx.used and rng.random() < 0.6:
        ctx.used.add("quote")
        while values["inst2"] == values["inst"]:
            values["inst2"] = rng.choice(INSTITUTES)
        quote = pick(rng, QUOTES, {**values, "analyst": values["analyst2"], "inst": values["inst2"]})
        paras.insert(rng.randrange(len(paras) + 1), [quote])
    return paras


# ---------------------------------------------------------------------------------------
# Headlines


def headline(ctx: Ctx, main: dict[str, Any]) -> str:
    """A headline for an event the article tells (its facts as :meth:`Ctx.record` keeps them)."""
    kind = main["kind"]
    values = _headline_values(ctx, main)
    return expand(ctx.rng, ctx.rng.choice(_HEADLINES.get(kind, _HEADLINES["statement"])), values)


def _headline_values(ctx: Ctx, main: dict[str, Any]) -> dict[str, Any]:
    """The fields of an event's headline templates."""
    kind = main["kind"]
    idx = ctx.world.index
    if kind == "launch":
        sea = idx[main["impact"]].label
        return dict(
            cw=_headline_class_word(main["weapon_class"], main["count"]),
            wl=idx[main["weapon"]].label,
            sea=sea if sea != "Japan's exclusive economic zone" else "waters off Japan",
            ord=ctx.rng.choice(ORDINALS[2:14]),
            dist=f"{main['distance_km']:,}",
        )
    if kind in ("summit", "talks", "phone_call", "visit"):

        def surname(person: Entry) -> str:
            state = idx[person.state].label if person.state else ""
            return person.label.split()[0 if state in SURNAME_FIRST else -1]

        sa, sb = (surname(idx[p]) for p in main["participants"])
        return dict(sa=sa, sb=sb)
    if kind == "exercise":
        return dict(name=main["name"] + " drills" if main["name"] else "joint drills")
    return {}


def _headline_class_word(weapon_class: str, count: int) -> str:
    """How a headline calls a weapon class ('cruise missiles', 'ICBM')."""
    return {
        "ICBM": "ICBM",
        "IRBM": "intermediate-range missile",
        "MRBM": "ballistic missile",
        "SRBM": "short-range missiles" if count > 1 else "short-range missile",
        "SLBM": "submarine-launched missile",
        "CruiseMissile": "cruise missiles" if count > 1 else "cruise missile",
        "HypersonicMissile": "hypersonic missile",
        "AntiShipMissile": "anti-ship missiles",
        "SpaceLaunchVehicle": "spy satellite rocket",
    }[weapon_class]


# headline templates by event kind ("statement" also for any other kind)
_HEADLINES: dict[str, list[str]] = {
    "launch": [
        "North Korea fires {cw} into {sea}",
        "N. Korea launches {wl} {cw}, Seoul says",
        "Pyongyang test-fires {cw} as tensions rise",
        "North fires {cw} in {ord} launch of the year",
        "{wl} flies {dist} km before splashing into {sea}",
        "Seoul, Tokyo condemn North Korean {cw} launch",
        "North Korea's {wl} test draws swift rebuke",
    ],
    "nuclear_test": [
        "North Korea conducts nuclear test, quake detected near Punggye-ri",
        "Pyongyang says it tested a nuclear device",
        "Nuclear test by North Korea sets off a strong tremor",
    ],
    "summit": [
        "{sa} and {sb} meet for summit on North Korea",
        "{sa}, {sb} summit ends with pledge on the peninsula",
    ],
    "talks": [
        "{sa} and {sb} hold talks on North Korea",
        "{sa}-{sb} talks focus on deterrence and sanctions",
    ],
    "phone_call": [
        "{sa}, {sb} discuss North Korea in phone call",
        "{sa} and {sb} agree in call to coordinate on Pyongyang",
    ],
    "visit": ["{sa} visit brings talks with {sb}", "{sa} and {sb} meet as visit opens"],
    "exercise": [
        "Allies open {name} amid North Korean threats",
        "{name} begin as Pyongyang warns of response",
        "{name} under way as the North looks on",
        "U.S., South Korea launch {name}",
    ],
    "sanctions": [
        "New sanctions target North Korea's revenue",
        "Fresh penalties imposed on Pyongyang over weapons",
        "Sanctions widened on North Korean networks",
    ],
    "statement": [
        "Officials trade warnings over North Korea",
        "Pyongyang and its rivals exchange sharp words",
        "War of words flares over peninsula tensions",
    ],
}


def title_case(text: str) -> str:
    """A headline in title case, short function words in lower case."""
    small = {"a", "an", "the", "and", "or", "of", "in", "on", "for", "to", "at", "by", "as", "into", "with"}
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        if i and w.lower() in small:
            out.append(w.lower())
        elif w[:1].islower():
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
    return " ".join(out)


# ---------------------------------------------------------------------------------------
# House styles

OUTLET_A = (
    "Harbor",
    "Meridian",
    "Northgate",
    "Bluewater",
    "Summit",
    "Lantern",
    "Crestline",
    "Pinewood",
    "Riverside",
    "Eastbridge",
    "Granite",
    "Coastal",
)
OUTLET_B = (
    "News",
    "Times",
    "Daily",
    "Herald",
    "Post",
    "Review",
    "Monitor",
    "Observer",
    "Journal",
    "Dispatch",
)
WIRES = (
    "Example Wire",
    "Eastbridge Press",
    "Harbor Wire Service",
    "Meridian News Agency",
    "Example Press Agency",
)
DOMAINS = (
    "news.example.com",
    "world.example.org",
    "daily.example.net",
    "asia.example.com",
    "press.example.org",
    "www.example.com",
)
REPORTER_FIRST = (
    "Jane",
    "Daniel",
    "Soo-ah",
    "Hyun-woo",
    "Emily",
    "Takeshi",
    "Maria",
    "Ji-won",
    "Aaron",
    "Naomi",
    "Lucas",
    "Eun-ji",
    "Grace",
    "Oliver",
)
REPORTER_LAST = (
    "Roe",
    "Whitmore",
    "Kang-Ellis",
    "Moore",
    "Han",
    "Sato",
    "Fielding",
    "Oh",
    "Castillo",
    "Lindgren",
    "Park-Hale",
    "Novak",
    "Yeo",
    "Ashdown",
)
DATELINES = {
    "launch": ("SEOUL", "TOKYO", "SEOUL"),
    "nuclear_test": ("SEOUL", "TOKYO", "BEIJING"),
    "exercise": ("SEOUL", "TOKYO", "WASHINGTON"),
    "sanctions": ("UNITED NATIONS", "WASHINGTON", "SEOUL", "TOKYO"),
    "statement": ("SEOUL", "WASHINGTON", "BEIJING", "MOSCOW", "TOKYO"),
}
STYLES = ("wire", "wire_meta", "online", "caption_date", "lead_date", "plain_meta", "undated")
STYLE_WEIGHTS = (18, 12, 22, 14, 14, 14, 6)
SIDECAR_STYLES = {"wire_meta", "online", "plain_meta"}
DATED_STYLES = set(STYLES) - {"undated"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70].strip("-")


def _caption(ctx: Ctx, main: dict[str, Any]) -> list[str]:
    rng, pub = ctx.rng, ctx.pub
    md = f"{MONTHS[pub.month - 1]} {pub.day}, {pub.year}"
    place = rng.choice(
        [
            "a railway station in Seoul",
            "Seoul Station",
            "a bus terminal in Seoul",
            "a public square in Tokyo",
            "an electronics shop in Seoul",
        ]
    )
    cap = rng.choice(
        [
            f"A photo taken on {md} shows people watching a television broadcast at {place} about the latest news from North Korea.",
            f"In this photo taken on {md}, commuters walk past a screen at {place} showing file footage of a North Korean launch.",
            "This undated picture released by North Korea's official news agency shows a missile being fired from a mobile launcher at an undisclosed location.",
        ]
    )
    credit = rng.choice(
        [
            f"Photo: {rng.choice(REPORTER_FIRST)} {rng.choice(REPORTER_LAST)}/Example Images",
            "Photo: Example Photo Service",
            f"Image credit: {rng.choice(OUTLET_A)} Pictures",
        ]
    )
    return [cap, credit]


def _share(rng: random.Random) -> str:
    return rng.choice(
        [
            "Share this article",
            "Share on Facebook Twitter Email",
            "Share 14",
            "Facebook Twitter LinkedIn Email",
            "Print Email Share",
        ]
    )


def _tags(rng: random.Random, main: dict[str, Any]) -> str:
    base = ["North Korea", "Korean Peninsula", "Diplomacy", "Defence", "Asia"]
    extra = {
        "launch": "Missiles",
        "nuclear_test": "Nuclear weapons",
        "exercise": "Military drills",
        "sanctions": "Sanctions",
    }.get(main["kind"], "Politics")
    chosen = [*rng.sample(base, 3), extra]
    return rng.choice(["Tags: ", "Topics: ", "Filed under: "]) + ", ".join(chosen)


def _truncate(rng: random.Random, paras: list[str]) -> list[str]:
    last = paras[-1].split(" ")
    if len(last) < 10:
        return paras
    cut = rng.randint(len(last) // 3, len(last) - 3)
    return [*paras[:-1], " ".join(last[:cut]).rstrip(",.;:")]


@dataclass
class Generated:
    """One generated article: the file name, its text, its sidecar (or None), and the
    facts it was built from."""

    name: str
    text: str
    meta: dict[str, Any] | None
    facts: dict[str, Any]


def generate_article(world: World, seed: int, number: int) -> Generated:
    """Article ``number`` of the corpus of ``seed``: always the same text for the same seed and number."""
    rng = random.Random(f"gen-corpus:{seed}:{number}")
    kinds = [k for k in MAIN_WEIGHTS if k != "nuclear_test"]
    main_kind, main_day, pub = _main_event(rng, kinds)
    ctx = Ctx(rng, world, pub)
    paragraphs: list[list[str]] = EVENTS[main_kind](ctx, main_day, True)
    main = ctx.events[0]
    paragraphs += [p for g in _other_groups(ctx, kinds, main_kind, main_day) for p in g]
    body = _body(ctx, paragraphs)

    style = rng.choices(STYLES, weights=STYLE_WEIGHTS)[0]
    head = _styled_headline(ctx, main)
    truncated = rng.random() < 0.12
    if truncated:
        body = _truncate(rng, body)
    told = {int(m) for p in body for m in re.findall("\x03(\\d+)\x04", p)}
    body, named = ctx.resolve_names(body)

    name = f"g{number:06d}"
    page = _masthead(ctx, head, number, main_kind, main)
    lines, meta = _PAGE_STYLES[style](ctx, page, body, main, style)
    text = "\n".join(lines).rstrip() + "\n"

    facts = {
        "name": name,
        "style": style,
        "date": pub.isoformat(),
        "dated": style in DATED_STYLES,
        "sidecar": meta is not None,
        "truncated": truncated,
        "officials": [
            {"person": o.person.iri, "name": o.name, "post": o.holding.post, "holding": o.holding.iri}
            for i, o in enumerate(ctx.officials.values())
            if i in named
        ],
        "events": [e for i, e in enumerate(ctx.events) if i in told],
    }
    return Generated(name, text, meta, facts)


def _main_event(rng: random.Random, kinds: list[str]) -> tuple[str, date, date]:
    """The article's main event kind, its day and the publication date."""
    if rng.random() < MAIN_WEIGHTS["nuclear_test"] / 100:
        # North Korea's one nuclear test of 2017-2024: reported that day or in the week after
        pub = NUCLEAR_TEST + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6]))
        return "nuclear_test", NUCLEAR_TEST, pub
    pub = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    main_kind = rng.choices(kinds, weights=[MAIN_WEIGHTS[k] for k in kinds])[0]
    main_day = pub - timedelta(days=rng.choice([0, 0, 0, 1, 1, 2]))
    return main_kind, main_day, pub


def _other_groups(ctx: Ctx, kinds: list[str], main_kind: str, main_day: date) -> list[list[list[str]]]:
    """Reactions, earlier events and background: each event's paragraphs stay together,
    the events and the background come in a random order."""
    rng, pub = ctx.rng, ctx.pub
    others = list(kinds)
    if main_kind != "nuclear_test" and NUCLEAR_TEST < pub < date(2018, 9, 1) and rng.random() < 0.3:
        others.append("nuclear_test")
    groups: list[list[list[str]]] = []
    for _ in range(rng.randint(2, 4)):
        kind = rng.choice(others)
        if kind == "nuclear_test":
            others.remove(kind)
            day = NUCLEAR_TEST
        elif kind in ("statement", "meeting") and rng.random() < 0.5:
            day = main_day + timedelta(days=rng.randint(0, (pub - main_day).days))
        else:
            day = pub - timedelta(days=rng.randint(3, 45))
        groups.append(EVENTS[kind](ctx, day, False))
    groups += [[p] for p in background(ctx, rng.randint(1, 3))]
    rng.shuffle(groups)
    return groups


def _body(ctx: Ctx, paragraphs: list[list[str]]) -> list[str]:
    """The body's paragraphs: the lead alone, some one-sentence paragraphs merged, cut
    to at most about 520 words and padded with background to at least 170."""
    rng = ctx.rng
    body: list[str] = [" ".join(paragraphs[0])]
    buf: list[str] = []
    for para in paragraphs[1:]:
        buf += para
        if len(buf) >= rng.choice([1, 2, 2, 3]):
            body.append(" ".join(buf))
            buf = []
    if buf:
        body.append(" ".join(buf))
    while sum(len(p.split()) for p in body) > 520 and len(body) > 3:
        body.pop()
    while sum(len(p.split()) for p in body) < 170:
        body += [" ".join(p) for p in background(ctx, 2)]
    return body


def _styled_headline(ctx: Ctx, main: dict[str, Any]) -> str:
    """The headline of the main event, in sentence case, title case or capitals."""
    head = headline(ctx, main)
    case = ctx.rng.random()
    if case < 0.2:
        head = title_case(head)
    elif case < 0.32:
        head = head.upper()
    return head


@dataclass
class _Masthead:
    """What a page says of its publication, whichever its house style."""

    head: str
    url: str
    outlet: str
    wire: str
    place: str
    month: str
    reporter: str
    sep: str


def _masthead(ctx: Ctx, head: str, number: int, main_kind: str, main: dict[str, Any]) -> _Masthead:
    rng, pub = ctx.rng, ctx.pub
    outlet = f"{rng.choice(OUTLET_A)} {rng.choice(OUTLET_B)}"
    wire = rng.choice(WIRES)
    domain = rng.choice(DOMAINS)
    section = rng.choice(["world", "asia", "politics", "defence", "news", "international"])
    url = f"https://{domain}/{section}/{pub:%Y/%m/%d}/{_slug(head)}-{number}"
    place = rng.choice(DATELINES.get(main_kind, ("SEOUL", "TOKYO", "WASHINGTON")))
    if main_kind in ("summit", "talks", "visit", "meeting") or main["kind"] in (
        "summit",
        "talks",
        "visit",
        "phone_call",
    ):
        place = (main.get("place") or rng.choice(["Seoul", "Washington", "Tokyo"])).upper()
    month = AP_MONTHS[pub.month - 1] if rng.random() < 0.6 else MONTHS[pub.month - 1]
    reporter = f"{rng.choice(REPORTER_FIRST)} {rng.choice(REPORTER_LAST)}"
    sep = rng.choice(["--", "—", "-"])
    return _Masthead(head, url, outlet, wire, place, month, reporter, sep)


PageLayout = tuple[list[str], dict[str, Any] | None]


def _wire_page(ctx: Ctx, page: _Masthead, body: list[str], main: dict[str, Any], style: str) -> PageLayout:
    """A wire story: a dateline with the agency (and, for ``wire``, the year) opens the body."""
    rng, pub = ctx.rng, ctx.pub
    year = f", {pub.year}" if style == "wire" else ""
    region = rng.choice(["", "", ", South Korea"]) if page.place == "SEOUL" else ""
    body[0] = f"{page.place}{region}, {page.month} {pub.day}{year} ({page.wire}) {page.sep} " + body[0]
    lines = [page.head, ""]
    if rng.random() < 0.3:
        lines += [f"By {page.reporter}", ""]
    lines += [p + "\n" for p in body]
    if rng.random() < 0.5:
        editor = f"{rng.choice(REPORTER_FIRST)} {rng.choice(REPORTER_LAST)}"
        lines.append(rng.choice(["(END)", f"(Reporting by {page.reporter}; editing by {editor})"]))
    meta = {"url": page.url, "title": page.head, "publisher": page.wire, "date": pub}
    return lines, meta if style == "wire_meta" else None


def _online_page(ctx: Ctx, page: _Masthead, body: list[str], main: dict[str, Any], style: str) -> PageLayout:
    """A news site's page: section, byline, caption, share widgets, READ MORE and tags."""
    rng, pub = ctx.rng, ctx.pub
    head, month, reporter, outlet = page.head, page.month, page.reporter, page.outlet
    lines: list[str] = []
    lines += [
        rng.choice(["World", "Asia", "News", "Asia Pacific"]),
        "",
        head,
        "",
        f"By {reporter}{outlet}",
        "",
    ]
    if rng.random() < 0.5:
        lines += [f"Updated {month} {pub.day}, {pub.year}", ""]
    if rng.random() < 0.7:
        lines += [*_caption(ctx, main), ""]
    lines += [_share(rng), ""]
    mid = rng.randint(2, max(2, len(body) - 1))
    for i, p in enumerate(body):
        lines += [p, ""]
        if i == mid and rng.random() < 0.6:
            related = headline(ctx, rng.choice(ctx.events[1:] or ctx.events))
            lines += (["READ MORE:", related] if rng.random() < 0.5 else [f"READ MORE: {related}"]) + [""]
    lines += [_share(rng), _tags(rng, main)]
    meta = {"url": page.url, "title": head, "publisher": outlet, "date": pub}
    return lines, meta


def _caption_date_page(
    ctx: Ctx, page: _Masthead, body: list[str], main: dict[str, Any], style: str
) -> PageLayout:
    """A page whose date line is glued to a photo caption."""
    rng, pub, head = ctx.rng, ctx.pub, page.head
    lines: list[str] = []
    cap = _caption(ctx, main)
    lines += [head, "", f" date {pub.isoformat()} {cap[0]}", cap[1], ""]
    lines += [p + "\n" for p in body]
    if rng.random() < 0.5:
        lines.append(_tags(rng, main))
    return lines, None


def _lead_date_page(
    ctx: Ctx, page: _Masthead, body: list[str], main: dict[str, Any], style: str
) -> PageLayout:
    """A page whose date and place are glued to the lead."""
    rng, pub, head, outlet = ctx.rng, ctx.pub, page.head, page.outlet
    lines: list[str] = []
    cue = rng.choice(["Published: ", "Published ", "Posted: ", ""])
    form = rng.choice(
        [
            f"{pub.day} {MONTHS[pub.month - 1]} {pub.year}",
            f"{MONTHS[pub.month - 1]} {pub.day}, {pub.year}",
            f"{MONTHS[pub.month - 1][:3].upper()} {pub.day}, {pub.year}",
        ]
    )
    body[0] = f"{cue}{form} {page.place} {rng.choice(['—', '-'])} " + body[0]
    lines += [head, ""]
    if rng.random() < 0.5:
        lines += [outlet, ""]
    lines += [p + "\n" for p in body]
    if rng.random() < 0.5:
        lines.append(_share(rng))
    return lines, None


def _plain_meta_page(
    ctx: Ctx, page: _Masthead, body: list[str], main: dict[str, Any], style: str
) -> PageLayout:
    """The headline and the body, with a sidecar."""
    lines = [page.head, "", *[p + "\n" for p in body]]
    return lines, {"url": page.url, "title": page.head, "publisher": page.outlet, "date": ctx.pub}


def _undated_page(ctx: Ctx, page: _Masthead, body: list[str], main: dict[str, Any], style: str) -> PageLayout:
    """An analysis page with no date anywhere."""
    return [page.head, "", f"By {page.reporter}", "", *[p + "\n" for p in body]], None


_PAGE_STYLES: dict[str, Callable[[Ctx, _Masthead, list[str], dict[str, Any], str], PageLayout]] = {
    "wire": _wire_page,
    "wire_meta": _wire_page,
    "online": _online_page,
    "caption_date": _caption_date_page,
    "lead_date": _lead_date_page,
    "plain_meta": _plain_meta_page,
    "undated": _undated_page,
}


def generate(articles: int, seed: int, world: World | None = None) -> list[Generated]:
    """The articles of a corpus of ``articles`` articles for ``seed``, with their facts."""
    world = world or World.load()
    return [generate_article(world, seed, i) for i in range(articles)]


def write(generated: Sequence[Generated], out: Path) -> None:
    """Write the articles (and their sidecars) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for g in generated:
        (out / f"{g.name}.txt").write_text(g.text, encoding="utf-8")
        if g.meta is not None:
            dumped = yaml.safe_dump(g.meta, sort_keys=False, allow_unicode=True, width=1000)
            (out / f"{g.name}.meta.yaml").write_text(dumped, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Generate ``--articles`` articles with ``--seed`` into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles to write")
    parser.add_argument("--seed", type=int, default=0, help="the seed (same seed and count, same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write them to")
    args = parser.parse_args(argv)
    if args.articles < 0:
        parser.error("--articles must be 0 or more")
    started = time.perf_counter()
    generated = generate(args.articles, args.seed)
    write(generated, args.out)
    print(f"{len(generated)} articles in {args.out} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

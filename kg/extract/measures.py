"""Distances as news tells them: '4,500 km (2,800 miles)', 'about 380 kilometers',
'a 1,000-km-range missile', '620 miles (1,000 km)'.

A distance told in two units is one distance; its value is the kilometre figure the text
gives, so that the graph keeps the writer's number rather than a conversion of the other
one. A distance told in miles alone is converted and rounded to the kilometre (the text's
figure is itself rounded, so decimals of a kilometre would be invented precision).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["KM_PER_MILE", "Distance", "distances_in"]

KM_PER_MILE = 1.609344

_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_UNIT = r"km|kms|kilomet(?:er|re)s?|miles?"
# a figure and its unit ('4,500 km', '1,000-km'), optionally followed by the same
# distance in the other unit in brackets, which the text may leave unclosed
_DISTANCE = re.compile(
    rf"(?P<n1>{_NUMBER})\s*-?\s*(?P<u1>{_UNIT})\b"
    rf"(?:\s*\(\s*(?:about\s+|some\s+|around\s+|nearly\s+|roughly\s+)?(?P<n2>{_NUMBER})\s*-?\s*(?P<u2>{_UNIT})\b\)?)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Distance:
    """A distance at characters ``begin:end`` of the text searched, in kilometres."""

    begin: int
    end: int
    km: float


def _is_miles(unit: str) -> bool:
    return unit.lower().startswith("mile")


def _value(number: str) -> float:
    return float(number.replace(",", ""))


def distances_in(text: str) -> list[Distance]:
    """Every distance of ``text``, in text order, one per figure-and-unit (or pair of
    them: '4,500 km (2,800 miles)' is one distance of 4,500 km)."""
    out: list[Distance] = []
    for m in _DISTANCE.finditer(text):
        figures = [(m.group("n1"), m.group("u1"))]
        if m.group("n2"):
            figures.append((m.group("n2"), m.group("u2")))
        km = next((_value(n) for n, u in figures if not _is_miles(u)), None)
        if km is None:
            km = float(round(_value(figures[0][0]) * KM_PER_MILE))
        out.append(Distance(m.start(), m.end(), km))
    return out

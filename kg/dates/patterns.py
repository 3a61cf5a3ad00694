"""The date expressions :mod:`kg.dates.resolve` recognises: one regular expression per kind,
with the word tables they are built from and the matching helpers.

Kinds are listed most specific first; :func:`match_all` takes the leftmost-longest,
non-overlapping matches, so "since Sept. 15" is the day "Sept. 15", not the month "since
Sept". Month and weekday names come from :mod:`dateutil`'s parser tables and are matched
case-sensitively (capitalised), so that "may", "sat" or "march" as ordinary words are not
dates; weekday abbreviations are left out for the same reason, and a month named alone
(without a preposition, day or year) must be written in full and not be "May".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dateutil.parser import parserinfo

__all__ = [
    "COMPILED",
    "NUMBERS",
    "ONE_TO_TEN",
    "count",
    "day_number",
    "match_all",
    "month_number",
    "weekday_number",
    "whole",
]

INFO = parserinfo()
# Number words from one to ten; kg.extract.eventbase builds its NUMBERS from them too.
ONE_TO_TEN = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
NUMBERS = {"a": 1, "an": 1, **ONE_TO_TEN, "eleven": 11, "twelve": 12}


def _alternation(names: Sequence[tuple[str, ...]], *, abbreviations: bool) -> str:
    words = sorted({w for group in names for w in group}, key=len, reverse=True)
    if not abbreviations:
        words = [w for w in words if len(w) > 4]
    # "Jan." and "Sept." are common in news; the dot is optional after abbreviations.
    return "(?-i:" + "|".join(re.escape(w) + (r"\.?" if len(w) <= 4 else "") for w in words) + ")"


_MONTH = _alternation(INFO.MONTHS, abbreviations=True)
# a month alone ("talks in April and August"): full names only, and never the modal "May"
_FULL_MONTH = "(?-i:" + "|".join(g[-1] for g in INFO.MONTHS if g[-1] != "May") + ")"
_WEEKDAY = _alternation(INFO.WEEKDAYS, abbreviations=False)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_NUM = r"(?:\d+|" + "|".join(NUMBERS) + r"|a few|several|a couple of|couple of)"
_DASH = r"\s*(?:-|–|—|to|through|until|till)\s*"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
# not followed by a day number ("Sept. 15"), which makes it a day, not a month
_NO_DAY = r"(?![\w-])(?!\.?,?\s+(?:of\s+)?\d)"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"

# One pattern per kind, most specific first; match_all takes the leftmost-longest match.
PATTERNS: list[tuple[str, str]] = [
    # periods
    (
        "period_md_md",
        rf"(?:from\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?P<m2>{_MONTH})\s+(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "period_md_d",
        rf"(?:from\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})(?!\d)(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (  # 'on February 27 and 28': two days running
        "period_md_and_d",
        rf"(?:on\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})\s+and\s+(?P<d2>{_DAY})(?!\d)(?!\s+(?:{_MONTH}))(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "period_dm_dm",
        rf"(?:from\s+)?(?P<d1>{_DAY})\s+(?P<m1>{_MONTH}){_DASH}(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "period_d_dm",
        rf"(?:from\s+)?(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    # absolute and month-day dates
    ("iso", r"(?P<y>\d{4})-(?P<mn>\d{2})-(?P<dn>\d{2})(?!\d)"),
    (
        "mdy",
        rf"(?:on\s+)?(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<m>{_MONTH})\s+(?P<d>{_DAY})(?!\d)(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "dmy",
        rf"(?:on\s+)?(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    ("part_month", rf"(?:in\s+)?(?P<part>early|mid|late)[-\s](?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"),
    ("part_year", rf"(?:in\s+)?(?P<part>early|mid|late)[-\s](?P<y>{_YEAR})(?![\d-])"),
    ("rel_month_name", rf"(?P<rel>last|next|this|coming)\s+(?P<m>{_MONTH}){_NO_DAY}"),
    ("month_year", rf"(?P<m>{_MONTH})(?:,?\s+|\s+of\s+)(?P<y>{_YEAR})"),
    ("month", rf"(?:in|since|until|by|during|from|of)\s+(?P<m>{_MONTH}){_NO_DAY}"),
    ("month", rf"(?P<m>{_FULL_MONTH}){_NO_DAY}"),
    ("decade", r"(?:in\s+)?(?:the\s+)?(?P<y>(?:1[89]|20)\d0)'?s\b"),
    ("season_year", rf"(?:the\s+)?(?P<season>{_SEASON})\s+(?:of\s+)?(?P<y>{_YEAR})"),
    ("season", rf"(?P<rel>last|next|this|this past|past|coming|in the|the)\s+(?P<season>{_SEASON})\b"),
    (
        "year",
        rf"(?<![\d,.$£€-])(?P<y>{_YEAR})(?!\d|,\d|%|\.\d|\s*(?:km|kilomet|mile|meter|metre|people|troops|soldiers|tons|tonnes|times)\b)",
    ),
    # relative to publication
    (
        "rel_day",
        r"(?P<w>yesterday|today|tomorrow|tonight|last night"
        r"|(?:(?:earlier|later)\s+)?this\s+(?:morning|afternoon|evening))",
    ),
    (
        "weekend",
        r"(?P<w>this past weekend|last weekend|past weekend|over the weekend|the weekend|this weekend|next weekend)",
    ),
    ("earlier_this", r"(?P<edge>earlier|later)\s+(?:this|in the)\s+(?P<unit>week|month|year)"),
    (
        "end_of",
        r"(?P<edge>before|by|until|till|at)\s+the\s+end\s+of\s+(?:the|this)\s+(?P<unit>week|month|year)",
    ),
    ("rel_unit", r"(?P<rel>last|next|this|past|previous|coming)\s+(?P<unit>week|month|year)"),
    # relative to the event the text told last ("the next day", "two days later", "hours
    # later"); not "a day after the launch", whose anchor is the event it names
    (
        "after_event",
        rf"(?P<n>{_NUM}|a|one)\s+days?\s+(?P<dir>later|earlier)"
        r"|(?:the\s+)?(?P<next>next|following|previous)\s+day"
        r"|(?P<before>the\s+day\s+before)(?!\s+(?:the|a|an|its|his|her|their|this|that|last)\b)"
        r"|(?P<same>(?:on\s+)?the\s+same\s+day|(?:earlier|later)\s+(?:that|in\s+the)\s+day"
        r"|(?:earlier|later)\s+that\s+(?:morning|afternoon|evening|night)|that\s+(?:morning|afternoon|evening))"
        r"|(?P<hours>hours|minutes)\s+(?:later|earlier)",
    ),
    ("ago", rf"(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?|decades?)\s+(?P<w>ago|earlier)"),
    ("bare_ago", r"(?P<unit>days|weeks|months|years|decades)\s+(?P<w>ago)"),
    (
        "weekday",
        rf"(?:(?:early|late|earlier|later)\s+(?:on\s+)?)?(?:(?P<rel>last|next|this|on|coming|this past|past)\s+)?"
        rf"(?P<wd>{_WEEKDAY})(?![\w-])(?!,?\s+(?:{_MONTH}|\d)){_PART_OF_DAY}",
    ),
]
COMPILED = [(kind, re.compile(rf"\b(?:{p})", re.IGNORECASE)) for kind, p in PATTERNS]

# a number written after these words is not a year ("Resolution 2094", "No. 2017")
_NOT_A_YEAR_BEFORE = re.compile(
    r"(?:resolutions?|nos?\.?|numbers?|articles?|#)\s*(?:\d+\s*(?:,|and|&)\s*)*$", re.IGNORECASE
)


def month_number(name: str) -> int:
    """The number of a month's name or abbreviation.

    >>> month_number("Sept.")
    9"""
    number = INFO.month(name.rstrip("."))
    if number is None:  # pragma: no cover - the regex only lets month names through
        raise ValueError(name)
    return int(number)


def weekday_number(name: str) -> int:
    """The number of a weekday's name or abbreviation (Monday is 0).

    >>> weekday_number("Tue.")
    1"""
    number = INFO.weekday(name.rstrip("."))
    if number is None:  # pragma: no cover
        raise ValueError(name)
    return int(number)


def day_number(text: str) -> int:
    """The number of a day of the month as written.

    >>> day_number("23rd")
    23"""
    return int(re.sub(r"\D", "", text))


def count(text: str) -> int | None:
    """A count written in digits or in words, or None.

    >>> count("three"), count("12"), count("many")
    (3, 12, None)"""
    text = text.lower()
    if text.isdigit():
        return int(text)
    return NUMBERS.get(text)


def match_all(text: str) -> list[tuple[str, re.Match[str]]]:
    """Leftmost-longest, non-overlapping matches of the patterns in ``text``."""
    found: list[tuple[str, re.Match[str]]] = []
    for kind, rx in COMPILED:
        for m in rx.finditer(text):
            if kind == "year" and _NOT_A_YEAR_BEFORE.search(text, 0, m.start()):
                continue
            found.append((kind, m))
    found.sort(key=lambda km: (km[1].start(), -(km[1].end() - km[1].start())))
    chosen: list[tuple[str, re.Match[str]]] = []
    last_end = -1
    for kind, m in found:
        if m.start() >= last_end:
            chosen.append((kind, m))
            last_end = m.end()
    return chosen


def whole(expression: str) -> tuple[str, re.Match[str]] | None:
    """The pattern matching the whole expression (ignoring a leading 'on'/'in')."""
    expr = expression.strip()
    for kind, rx in COMPILED:
        m = rx.fullmatch(expr)
        if m:
            return kind, m
    stripped = re.sub(r"^(?:on|in|of|since|during|from|by|until)\s+", "", expr, flags=re.IGNORECASE)
    if stripped != expr:
        return whole(stripped)
    return None

"""The date expressions :mod:`kg.dates.resolve` recognises, as rows: a kind, its regular
expression and the function of :mod:`kg.dates.resolvers` that resolves a match; with the
regular expressions' building blocks and the matching helpers.

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
from dataclasses import dataclass, field

from kg.dates import resolvers as r
from kg.dates.resolvers import Resolver
from kg.dates.words import INFO, NUMBERS

__all__ = ["PATTERNS", "DatePattern", "Found", "match_all", "whole"]


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


@dataclass(frozen=True)
class DatePattern:
    """One kind of date expression: its name, its regular expression (matched from a word
    boundary, ignoring case outside the name groups) and the function that resolves a match
    (:mod:`kg.dates.resolvers`)."""

    kind: str
    pattern: str
    resolver: Resolver
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(rf"\b(?:{self.pattern})", re.IGNORECASE))


# One row per pattern, most specific first; match_all takes the leftmost-longest match.
PATTERNS: list[DatePattern] = [
    # periods
    DatePattern(
        "period_md_md",
        rf"(?:from\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?P<m2>{_MONTH})\s+(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?",
        r.period,
    ),
    DatePattern(
        "period_md_d",
        rf"(?:from\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})(?!\d)(?:,?\s+(?P<y>{_YEAR}))?",
        r.period,
    ),
    DatePattern(  # 'on February 27 and 28': two days running
        "period_md_and_d",
        rf"(?:on\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})\s+and\s+(?P<d2>{_DAY})(?!\d)(?!\s+(?:{_MONTH}))(?:,?\s+(?P<y>{_YEAR}))?",
        r.period_two_days,
    ),
    DatePattern(
        "period_dm_dm",
        rf"(?:from\s+)?(?P<d1>{_DAY})\s+(?P<m1>{_MONTH}){_DASH}(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
        r.period,
    ),
    DatePattern(
        "period_d_dm",
        rf"(?:from\s+)?(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
        r.period,
    ),
    # absolute and month-day dates
    DatePattern("iso", r"(?P<y>\d{4})-(?P<mn>\d{2})-(?P<dn>\d{2})(?!\d)", r.iso),
    DatePattern(
        "mdy",
        rf"(?:on\s+)?(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<m>{_MONTH})\s+(?P<d>{_DAY})(?!\d)(?:,?\s+(?P<y>{_YEAR}))?",
        r.month_day,
    ),
    DatePattern(
        "dmy",
        rf"(?:on\s+)?(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
        r.month_day,
    ),
    DatePattern(
        "part_month",
        rf"(?:in\s+)?(?P<part>early|mid|late)[-\s](?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
        r.part_month,
    ),
    DatePattern("part_year", rf"(?:in\s+)?(?P<part>early|mid|late)[-\s](?P<y>{_YEAR})(?![\d-])", r.part_year),
    DatePattern(
        "rel_month_name", rf"(?P<rel>last|next|this|coming)\s+(?P<m>{_MONTH}){_NO_DAY}", r.rel_month_name
    ),
    DatePattern("month_year", rf"(?P<m>{_MONTH})(?:,?\s+|\s+of\s+)(?P<y>{_YEAR})", r.month_year),
    DatePattern("month", rf"(?:in|since|until|by|during|from|of)\s+(?P<m>{_MONTH}){_NO_DAY}", r.month),
    DatePattern("month", rf"(?P<m>{_FULL_MONTH}){_NO_DAY}", r.month),
    DatePattern("decade", r"(?:in\s+)?(?:the\s+)?(?P<y>(?:1[89]|20)\d0)'?s\b", r.decade),
    DatePattern(
        "season_year", rf"(?:the\s+)?(?P<season>{_SEASON})\s+(?:of\s+)?(?P<y>{_YEAR})", r.season_year
    ),
    DatePattern(
        "season",
        rf"(?P<rel>last|next|this|this past|past|coming|in the|the)\s+(?P<season>{_SEASON})\b",
        r.season,
    ),
    DatePattern(
        "year",
        rf"(?<![\d,.$£€-])(?P<y>{_YEAR})(?!\d|,\d|%|\.\d|\s*(?:km|kilomet|mile|meter|metre|people|troops|soldiers|tons|tonnes|times)\b)",
        r.year,
    ),
    # relative to publication
    DatePattern(
        "rel_day",
        r"(?P<w>yesterday|today|tomorrow|tonight|last night"
        r"|(?:(?:earlier|later)\s+)?this\s+(?:morning|afternoon|evening))",
        r.rel_day,
    ),
    DatePattern(
        "weekend",
        r"(?P<w>this past weekend|last weekend|past weekend|over the weekend|the weekend|this weekend|next weekend)",
        r.weekend,
    ),
    DatePattern(
        "earlier_this",
        r"(?P<edge>earlier|later)\s+(?:this|in the)\s+(?P<unit>week|month|year)",
        r.earlier_this,
    ),
    DatePattern(
        "end_of",
        r"(?P<edge>before|by|until|till|at)\s+the\s+end\s+of\s+(?:the|this)\s+(?P<unit>week|month|year)",
        r.end_of,
    ),
    DatePattern(
        "rel_unit", r"(?P<rel>last|next|this|past|previous|coming)\s+(?P<unit>week|month|year)", r.rel_unit
    ),
    # relative to the event the text told last ("the next day", "two days later", "hours
    # later"); not "a day after the launch", whose anchor is the event it names
    DatePattern(
        "after_event",
        rf"(?P<n>{_NUM}|a|one)\s+days?\s+(?P<dir>later|earlier)"
        r"|(?:the\s+)?(?P<next>next|following|previous)\s+day"
        r"|(?P<before>the\s+day\s+before)(?!\s+(?:the|a|an|its|his|her|their|this|that|last)\b)"
        r"|(?P<same>(?:on\s+)?the\s+same\s+day|(?:earlier|later)\s+(?:that|in\s+the)\s+day"
        r"|(?:earlier|later)\s+that\s+(?:morning|afternoon|evening|night)|that\s+(?:morning|afternoon|evening))"
        r"|(?P<hours>hours|minutes)\s+(?:later|earlier)",
        r.after_event,
    ),
    DatePattern(
        "ago", rf"(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?|decades?)\s+(?P<w>ago|earlier)", r.ago
    ),
    DatePattern("bare_ago", r"(?P<unit>days|weeks|months|years|decades)\s+(?P<w>ago)", r.ago),
    DatePattern(
        "weekday",
        rf"(?:(?:early|late|earlier|later)\s+(?:on\s+)?)?(?:(?P<rel>last|next|this|on|coming|this past|past)\s+)?"
        rf"(?P<wd>{_WEEKDAY})(?![\w-])(?!,?\s+(?:{_MONTH}|\d)){_PART_OF_DAY}",
        r.weekday_named,
    ),
]


# a number written after these words is not a year ("Resolution 2094", "No. 2017")
_NOT_A_YEAR_BEFORE = re.compile(
    r"(?:resolutions?|nos?\.?|numbers?|articles?|#)\s*(?:\d+\s*(?:,|and|&)\s*)*$", re.IGNORECASE
)


Found = tuple[DatePattern, re.Match[str]]


def match_all(text: str) -> list[Found]:
    """Leftmost-longest, non-overlapping matches of the patterns in ``text``, with their rows."""
    found: list[Found] = []
    for row in PATTERNS:
        for m in row.regex.finditer(text):
            if row.kind == "year" and _NOT_A_YEAR_BEFORE.search(text, 0, m.start()):
                continue
            found.append((row, m))
    found.sort(key=lambda rm: (rm[1].start(), -(rm[1].end() - rm[1].start())))
    chosen: list[Found] = []
    last_end = -1
    for row, m in found:
        if m.start() >= last_end:
            chosen.append((row, m))
            last_end = m.end()
    return chosen


def whole(expression: str) -> Found | None:
    """The pattern matching the whole expression (ignoring a leading 'on'/'in'), with its row."""
    expr = expression.strip()
    for row in PATTERNS:
        m = row.regex.fullmatch(expr)
        if m:
            return row, m
    stripped = re.sub(r"^(?:on|in|of|since|during|from|by|until)\s+", "", expr, flags=re.IGNORECASE)
    if stripped != expr:
        return whole(stripped)
    return None

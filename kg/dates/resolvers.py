"""The resolvers of date expressions: one small function per pattern kind of
:mod:`kg.dates.patterns`, each turning a match into a date against the publication date.

A resolver takes the match, the publication date (or None) and whether the sentence tells
of the past, and returns ``(value, period start, period end)``: the start and end are the
first and last day of a period, None for a single date; :data:`NOTHING` when the match
cannot be resolved. Resolvers of dates relative to publication are wrapped in
:func:`relative`, which resolves nothing without a publication date. The rules they follow
are those of :mod:`kg.dates.resolve`'s docstring.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeAlias

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday

from kg.dates.values import (
    SEASONS,
    anchor_month,
    anchor_month_day,
    bounded,
    day_of,
    last_day,
    month_value,
    safe_date,
    season_value,
    span,
    week_value,
    year_value,
)
from kg.dates.words import count, day_number, month_number, weekday_number
from kg.facts import DateValue

__all__ = [
    "NOTHING",
    "Resolved",
    "Resolver",
    "after_event",
    "ago",
    "decade",
    "earlier_this",
    "end_of",
    "iso",
    "month",
    "month_day",
    "month_year",
    "part_month",
    "part_year",
    "period",
    "period_two_days",
    "rel_day",
    "rel_month_name",
    "rel_unit",
    "relative",
    "season",
    "season_year",
    "weekday_named",
    "weekend",
    "year",
]

Resolved: TypeAlias = tuple[DateValue | None, DateValue | None, DateValue | None]
"""(value, period start, period end) of one match."""
Resolver: TypeAlias = Callable[[re.Match[str], date | None, bool], Resolved]
"""A match, the publication date (or None) and whether the sentence tells of the past → :data:`Resolved`."""
NOTHING: Resolved = (None, None, None)

_RD_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)


def _one(value: DateValue | None) -> Resolved:
    return value, None, None


# --- absolute dates, and dates of a month or a day without a year ----------------------


def _period(m: re.Match[str], published: date | None, past: bool, *, running: bool) -> Resolved:
    text, g = m.group(0), m.groupdict()
    m1 = month_number(g["m1"])
    m2 = month_number(g["m2"]) if g.get("m2") else m1
    d1, d2 = day_number(g["d1"]), day_number(g["d2"])
    if running and d2 != d1 + 1:
        d2 = d1  # 'March 3 and 10': two days apart, not a period; the first is dated
    if g.get("y"):
        year = int(g["y"])
        first, last = safe_date(year, m1, d1), safe_date(year, m2, d2)
        if first and last and last < first:  # "Dec. 28-Jan. 3, 2021": the year is the end's
            first = safe_date(year - 1, m1, d1)
    else:
        if published is None:
            return NOTHING
        first = anchor_month_day(m1, d1, published, past)
        if first is None and past:
            # a period running on past publication: anchor on its start in the future
            first = anchor_month_day(m1, d1, published, False)
        if first is None:
            return NOTHING
        last = safe_date(first.year, m2, d2)
        if last is not None and last < first:
            last = safe_date(first.year + 1, m2, d2)
    if first is None or last is None or last < first:
        return NOTHING
    return span(first, last, text), day_of(first, text), day_of(last, text)


def period(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'March 8-17', 'Dec. 28 to Jan. 3, 2021': a period, its first and last day."""
    return _period(m, published, past, running=False)


def period_two_days(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'on February 27 and 28': a period of two days running; 'March 3 and 10' is the first."""
    return _period(m, published, past, running=True)


def iso(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'2021-03-23'."""
    d = safe_date(int(m["y"]), int(m["mn"]), int(m["dn"]))
    return _one(day_of(d, m.group(0)) if d else None)


def month_day(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'March 18, 2021', '18 March': a day; without a year, the one nearest publication."""
    mon, day = month_number(m["m"]), day_number(m["d"])
    if m["y"]:
        d = safe_date(int(m["y"]), mon, day)
    elif published is not None:
        d = anchor_month_day(mon, day, published, past)
    else:
        d = None
    return _one(day_of(d, m.group(0)) if d else None)


def part_month(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'early/mid/late March': days 1-10 / 11-20 / 21-end of the month."""
    mon = month_number(m["m"])
    if m["y"]:
        year = int(m["y"])
    elif published is not None:
        year = anchor_month(mon, published, past)
    else:
        return NOTHING
    end = last_day(year, mon).day
    lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, end)}[m["part"].lower()]
    return _one(bounded(month_value(year, mon, m.group(0)), date(year, mon, lo), date(year, mon, hi)))


def month_year(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'February 2019'."""
    return _one(month_value(int(m["y"]), month_number(m["m"]), m.group(0)))


def month(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'in July': the one nearest publication in the direction of the tense."""
    if published is None:
        return NOTHING
    mon = month_number(m["m"])
    return _one(month_value(anchor_month(mon, published, past), mon, m.group(0)))


def rel_month_name(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'last March', 'next July', 'this June'."""
    if published is None:
        return NOTHING
    mon, rel = month_number(m["m"]), m["rel"].lower()
    if rel == "last":
        year = published.year if mon < published.month else published.year - 1
    elif rel in ("next", "coming"):
        year = published.year if mon > published.month else published.year + 1
    else:
        year = published.year
    return _one(month_value(year, mon, m.group(0)))


def part_year(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'early/mid/late 2019': January-April / May-August / September-December."""
    year = int(m["y"])
    lo, hi = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[m["part"].lower()]
    return _one(bounded(year_value(year, m.group(0)), date(year, lo, 1), last_day(year, hi)))


def decade(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'in the 1990s': 1990 .. 1999."""
    first = int(m["y"])
    return _one(bounded(year_value(first, m.group(0)), date(first, 1, 1), date(first + 9, 12, 31)))


def season_year(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'the summer of 2019'."""
    return _one(season_value(m["season"], int(m["y"]), m.group(0)))


def year(m: re.Match[str], published: date | None, past: bool) -> Resolved:
    """'in 2006'."""
    return _one(year_value(int(m["y"]), m.group(0)))


# --- relative to the publication date ---------------------------------------------------

_Relative: TypeAlias = Callable[[re.Match[str], date, bool], Resolved]


def relative(resolver: _Relative) -> Resolver:
    """A resolver of dates relative to publication, which resolves nothing without it."""

    @functools.wraps(resolver)
    def resolve(m: re.Match[str], published: date | None, past: bool) -> Resolved:
        return NOTHING if published is None else resolver(m, published, past)

    return resolve


@relative
def rel_day(m: re.Match[str], p: date, past: bool) -> Resolved:
    """'yesterday', 'today', 'tomorrow', 'earlier this morning', 'last night'."""
    w, text = m["w"].lower(), m.group(0)
    if w in ("today", "tonight") or "this" in w:  # 'earlier this morning': the day of publication
        return _one(day_of(p, text))
    if w == "tomorrow":
        return _one(day_of(p + timedelta(days=1), text))
    if w == "yesterday":
        return _one(day_of(p - timedelta(days=1), text))
    # "last night": the evening before, or earlier on the day of publication
    return _one(bounded(day_of(p - timedelta(days=1), text), p - timedelta(days=1), p))


@relative
def weekend(m: re.Match[str], p: date, past: bool) -> Resolved:
    """'this past weekend', 'over the weekend', 'next weekend': its Saturday .. Sunday."""
    w = m["w"].lower()
    future = w in ("next weekend",) or (w in ("this weekend", "the weekend") and not past)
    if future:
        saturday = p + relativedelta(weekday=SA(+1))
        if w == "next weekend" and saturday - p < timedelta(days=2):
            saturday += timedelta(days=7)
    else:
        saturday = p - timedelta(days=1) + relativedelta(weekday=SA(-1))
    return _one(week_value(saturday, saturday + timedelta(days=1), m.group(0)))


def _this(unit: str, p: date, text: str) -> DateValue:
    """The week (Monday .. Sunday), month or year of publication."""
    if unit == "week":
        monday = p - timedelta(days=p.weekday())
        return week_value(monday, monday + timedelta(days=6), text)
    if unit == "month":
        return month_value(p.year, p.month, text)
    return year_value(p.year, text)


@relative
def earlier_this(m: re.Match[str], p: date, past: bool) -> Resolved:
    """'earlier this week' (Monday .. publication), 'later this month' (publication .. its end)."""
    value = _this(m["unit"].lower(), p, m.group(0))
    if m["edge"].lower() == "earlier":
        return _one(bounded(value, value.earliest, p))
    return _one(bounded(value, p, value.latest))


@relative
def season(m: re.Match[str], p: date, past: bool) -> Resolved:
    """'this spring', 'last winter', 'next summer': the meteorological season."""
    rel, name = m["rel"].lower(), m["season"].lower()
    first_month = SEASONS[name]
    # the season's year: the one whose season started last on or before publication
    # (past and "this"), or the next one to start (future, "next", "coming")
    year = p.year if first_month <= p.month else p.year - 1
    if first_month == 12 and p.month < 12:
        year = p.year - 1
    started = date(year, first_month, 1)
    if rel in ("last", "past", "this past"):
        ends = season_value(name, year, m.group(0)).latest
        if ends >= p:  # the season running now is 'this', not 'last'
            year -= 1
    elif (rel in ("next", "coming") or (not past and rel != "this")) and started <= p:
        year += 1
    elif rel == "this" and started.year < p.year and first_month != 12:
        year = p.year  # 'this autumn', told in April: the autumn to come, not last year's
    return _one(season_value(name, year, m.group(0)))


@relative
def end_of(m: re.Match[str], p: date, past: bool) -> Resolved:
    """'before the end of the year' (publication .. its end), 'at the end of the month'
    (its last ten days; of a year its last month, of a week its last three days)."""
    unit, text = m["unit"].lower(), m.group(0)
    if unit == "week":
        value = week_value(p, p - timedelta(days=p.weekday()) + timedelta(days=6), text)
    else:
        value = _this(unit, p, text)
    if m["edge"].lower() == "at":
        tail = {"week": 2, "month": 9, "year": 30}[unit]
        return _one(bounded(value, value.latest - timedelta(days=tail), value.latest))
    return _one(bounded(value, p, value.latest))


@relative
def rel_unit(m: re.Match[str], p: date, past: bool) -> Resolved:
    """'last week', 'this month', 'next year'."""
    unit, text = m["unit"].lower(), m.group(0)
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this": 0}[m["rel"].lower()]
    if unit == "week":
        monday = p - timedelta(days=p.weekday()) + timedelta(weeks=step)
        return _one(week_value(monday, monday + timedelta(days=6), text))
    if unit == "month":
        first = date(p.year, p.month, 1) + relativedelta(months=step)
        return _one(month_value(first.year, first.month, text))
    return _one(year_value(p.year + step, text))


@relative
def after_event(m: re.Match[str], p: date, past: bool) -> Resolved:
    """'the next day', 'two days later': nothing here; their anchor is an event, not
    publication (``kg.dates.resolve.resolve_after``)."""
    return NOTHING


@relative
def ago(m: re.Match[str], p: date, past: bool) -> Resolved:
    """'five years ago', 'two weeks ago', 'a few days ago', 'two decades ago'."""
    unit, text = m["unit"].lower().rstrip("s"), m.group(0)
    n = count(m["n"]) if m.groupdict().get("n") else None
    if n is None:  # "a few days ago", "days ago": bounded, not exact
        if unit != "day":
            return NOTHING
        return _one(week_value(p - timedelta(days=9), p - timedelta(days=1), text))
    if m["w"].lower() != "ago":  # "two days earlier": earlier than some other event, not publication
        return NOTHING
    if unit == "day":
        return _one(day_of(p - timedelta(days=n), text))
    if unit == "week":
        monday = p - timedelta(days=p.weekday()) - timedelta(weeks=n)
        return _one(week_value(monday, monday + timedelta(days=6), text))
    if unit == "month":
        first = date(p.year, p.month, 1) - relativedelta(months=n)
        return _one(month_value(first.year, first.month, text))
    if unit == "year":
        return _one(year_value(p.year - n, text))
    year = p.year - 10 * n  # decades: vague by nature, bounded five years either side
    return _one(bounded(year_value(year, text), date(year - 5, 1, 1), date(year + 5, 12, 31)))


@relative
def weekday_named(m: re.Match[str], p: date, past: bool) -> Resolved:
    """'on Sunday', 'last Tuesday', 'next Friday': the latest such day on or before
    publication in the past, the earliest on or after it in the future."""
    target: weekday = _RD_WEEKDAYS[weekday_number(m["wd"])]
    rel = (m["rel"] or "").lower()
    if rel in ("last", "past", "this past"):
        d = p - timedelta(days=1) + relativedelta(weekday=target(-1))
    elif rel == "next":
        d = p + timedelta(days=1) + relativedelta(weekday=target(+1))
    elif rel in ("this", "coming") and not past:
        d = p + relativedelta(weekday=target(+1))
    elif past:
        d = p + relativedelta(weekday=target(-1))
    else:
        d = p + relativedelta(weekday=target(+1))
    return _one(day_of(d, m.group(0)))

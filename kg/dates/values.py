"""Date values of a precision (a day, a week, a month, a year, a span of days) and the
calendar arithmetic the resolvers of :mod:`kg.dates.resolvers` share."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from kg.facts import DateValue

__all__ = [
    "SEASONS",
    "anchor_month",
    "anchor_month_day",
    "bounded",
    "day_of",
    "last_day",
    "month_value",
    "safe_date",
    "season_value",
    "span",
    "week_value",
    "year_value",
]

# the first month of each (northern, meteorological) season
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def last_day(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def day_of(d: date, text: str) -> DateValue:
    """The day ``d`` as a date value told by ``text``."""
    return DateValue(d.isoformat(), "day", d, d, text)


def month_value(year: int, month: int, text: str) -> DateValue:
    """A month as a date value told by ``text``."""
    return DateValue(f"{year:04d}-{month:02d}", "month", date(year, month, 1), last_day(year, month), text)


def year_value(year: int, text: str) -> DateValue:
    """A year as a date value told by ``text``."""
    return DateValue(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31), text)


def week_value(first: date, last: date, text: str) -> DateValue:
    """A week (or weekend) from ``first`` to ``last`` as a date value told by ``text``."""
    return DateValue(first.isoformat(), "week", first, last, text)


def bounded(value: DateValue, earliest: date, latest: date) -> DateValue:
    """``value`` with narrower (or wider) bounds."""
    return replace(value, earliest=earliest, latest=latest)


def span(first: date, last: date, text: str) -> DateValue:
    """The value covering a period: the smallest calendar unit holding both ends."""
    if first == last:
        return day_of(first, text)
    if (first.year, first.month) == (last.year, last.month):
        return bounded(month_value(first.year, first.month, text), first, last)
    # across months (or years): the year of its start, bounded by the period
    return bounded(year_value(first.year, text), first, last)


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when there is no such day (30 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def anchor_month_day(month: int, day: int, published: date, past: bool) -> date | None:
    """The year-less date 'month day' nearest publication in the direction of the tense."""
    candidates = [safe_date(published.year + k, month, day) for k in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    if past:
        before = [c for c in valid if c <= published]
        return max(before) if before else None
    after = [c for c in valid if c >= published]
    return min(after) if after else None


def anchor_month(month: int, published: date, past: bool) -> int:
    """The year of the month named without a year, relative to publication."""
    if past:
        return published.year if month <= published.month else published.year - 1
    return published.year if month >= published.month else published.year + 1


def season_value(name: str, year: int, text: str) -> DateValue:
    """A (northern, meteorological) season: spring is March–May, summer June–August,
    autumn September–November, winter December to February of the next year."""
    first = date(year, SEASONS[name.lower()], 1)
    return span(first, first + relativedelta(months=3) - timedelta(days=1), text)

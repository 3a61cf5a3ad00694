"""Dates in article text, normalised against the article's publication date.

Two entry points:

- :func:`resolve` turns one date expression ("on Sunday", "last month", "Jan. 30",
  "February 2019", "this past weekend") into a :class:`~kg.facts.DateValue` with a
  precision and earliest/latest bounds, or ``None`` when it cannot be resolved;
  :func:`resolve_period` does the same for periods ("March 8-17") and returns the start
  and the end.
- :func:`find_dates` scans a text (a sentence) and returns every date expression it
  recognises as a :class:`DateSpan` with character offsets into that text — the helper the
  extractor uses to attach dates to events.

Rules (they are what the tests pin down):

- Absolute dates ("March 18, 2021", "February 2019", "2006") resolve without a
  publication date. Everything relative to the publication date ("on Sunday", "last
  week", "March 18" with no year, "two decades ago") resolves only when the publication
  date is known; otherwise the result is ``None`` — unresolved, never guessed.
- ``tense_past`` says whether the sentence tells of the past (True), the future (False) or
  is unknown (None, treated as the past: news mostly reports what happened). A weekday is
  then the latest such day on or before publication (reports say "said Tuesday" of the
  day of publication) or, for the future, the earliest on or after it; a month or a day
  without a year is the latest one on or before publication, or the next one for the
  future.
- Precision and bounds of what is returned (``value`` is ISO text of the precision;
  ``earliest``/``latest`` bound the day):

  ========================================  =========  ==================================
  expression                                precision  bounds
  ========================================  =========  ==================================
  "March 18, 2021", "Sept. 15", "on Monday  day        that day
  evening", "early Tuesday", "yesterday",
  "earlier this morning"
  "last night"                              day        the day before .. publication
  "this past weekend", "over the weekend"   week       its Saturday .. Sunday
  "last week", "this week", "next week"     week       Monday .. Sunday
  "earlier this week" / "later this week"   week       Monday .. publication / .. Sunday
  "a few days ago", "days ago"              week       nine days .. one day before
  "February 2019", "in July", "last month"  month      first .. last day of the month
  "early/mid/late March"                    month      days 1-10 / 11-20 / 21-end
  "earlier this month"                      month      first of the month .. publication
  "March 8-17" (a period)                   month      its first .. last day (a period
                                                       over two months: year)
  "in 2006", "last year", "five years ago"  year       1 January .. 31 December
  "early/mid/late 2019"                     year       Jan-Apr / May-Aug / Sep-Dec
  "this spring", "the summer of 2019"       year       the meteorological season
                                                       (spring March-May, winter
                                                       December-February)
  "before the end of the year"              year       publication .. 31 December
  "at the end of the year/month"            year/month its last month / ten days
  "in the 1990s"                            year       1990 .. 1999
  "two decades ago"                         year       twenty years before, ± five years
  ========================================  =========  ==================================

  Dates told after the event the text told last ("the next day", "two days later",
  "hours later", "the same day", "later that day", "that evening", "the day before") are found with ``value`` None and resolved by :func:`resolve_after`
  against that event's day (``kg.extract.batch.anchor_relative_dates``). A date that
  names its own anchor ("a day after the launch") is not found: which event it counts
  from, and in which direction, is the parser's to tell, not a pattern's.
- A number is not a year after "Resolution", "No." or "number" ("Resolution 2094").
- The patterns themselves are in :mod:`kg.dates.patterns`; month and weekday names come
  from :mod:`dateutil`'s parser tables; date arithmetic uses ``relativedelta``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday

from kg.dates.patterns import count as _count
from kg.dates.patterns import day_number as _day_number
from kg.dates.patterns import match_all as _match_all
from kg.dates.patterns import month_number as _month_number
from kg.dates.patterns import weekday_number as _weekday_number
from kg.dates.patterns import whole as _whole
from kg.facts import DateValue

__all__ = ["DateSpan", "find_dates", "parse_absolute", "resolve", "resolve_after", "resolve_period"]

_RD_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)


@dataclass(frozen=True)
class DateSpan:
    """A date expression found in a text.

    ``begin``/``end`` are character offsets into the text given to :func:`find_dates`;
    ``text`` is ``text[begin:end]``. ``value`` is the resolved date (for a period, the
    span covering it, as :func:`resolve` returns), or None when unresolved; ``start`` and
    ``end_value`` are the first and last day of a period, None for single dates.
    """

    begin: int
    end: int
    text: str
    value: DateValue | None
    start: DateValue | None = None
    end_value: DateValue | None = None

    @property
    def is_period(self) -> bool:
        return self.start is not None


# --- small helpers ---------------------------------------------------------------------


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(d: date, text: str) -> DateValue:
    return DateValue(d.isoformat(), "day", d, d, text)


def _month(year: int, month: int, text: str) -> DateValue:
    return DateValue(f"{year:04d}-{month:02d}", "month", date(year, month, 1), _last_day(year, month), text)


def _year(year: int, text: str) -> DateValue:
    return DateValue(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31), text)


def _week(first: date, last: date, text: str) -> DateValue:
    return DateValue(first.isoformat(), "week", first, last, text)


def _bounded(value: DateValue, earliest: date, latest: date) -> DateValue:
    return replace(value, earliest=earliest, latest=latest)


def _span(first: date, last: date, text: str) -> DateValue:
    """The value covering a period: the smallest calendar unit holding both ends."""
    if first == last:
        return _day(first, text)
    if (first.year, first.month) == (last.year, last.month):
        return _bounded(_month(first.year, first.month, text), first, last)
    # across months (or years): the year of its start, bounded by the period
    return _bounded(_year(first.year, text), first, last)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _anchor_month_day(month: int, day: int, published: date, past: bool) -> date | None:
    """The year-less date 'month day' nearest publication in the direction of the tense."""
    candidates = [_safe_date(published.year + k, month, day) for k in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    if past:
        before = [c for c in valid if c <= published]
        return max(before) if before else None
    after = [c for c in valid if c >= published]
    return min(after) if after else None


def _anchor_month(month: int, published: date, past: bool) -> int:
    """The year of the month named without a year, relative to publication."""
    if past:
        return published.year if month <= published.month else published.year - 1
    return published.year if month >= published.month else published.year + 1


_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(name: str, year: int, text: str) -> DateValue:
    """A (northern, meteorological) season: spring is March–May, summer June–August,
    autumn September–November, winter December to February of the next year."""
    first = date(year, _SEASONS[name.lower()], 1)
    return _span(first, first + relativedelta(months=3) - timedelta(days=1), text)


# --- resolution --------------------------------------------------------------------------


def _resolve_match(
    kind: str, m: re.Match[str], published: date | None, past: bool
) -> tuple[DateValue | None, DateValue | None, DateValue | None]:
    """(value, period start, period end) for one match of a pattern of ``kind``."""
    text = m.group(0)
    g = m.groupdict()

    if kind.startswith("period"):
        m1 = _month_number(g["m1"])
        m2 = _month_number(g["m2"]) if g.get("m2") else m1
        d1, d2 = _day_number(g["d1"]), _day_number(g["d2"])
        if kind == "period_md_and_d" and d2 != d1 + 1:
            d2 = d1  # 'March 3 and 10': two days apart, not a period; the first is dated
        if g.get("y"):
            year = int(g["y"])
            first, last = _safe_date(year, m1, d1), _safe_date(year, m2, d2)
            if first and last and last < first:  # "Dec. 28-Jan. 3, 2021": the year is the end's
                first = _safe_date(year - 1, m1, d1)
        else:
            if published is None:
                return None, None, None
            first = _anchor_month_day(m1, d1, published, past)
            if first is None and past:
                # a period running on past publication: anchor on its start in the future
                first = _anchor_month_day(m1, d1, published, False)
            if first is None:
                return None, None, None
            last = _safe_date(first.year, m2, d2)
            if last is not None and last < first:
                last = _safe_date(first.year + 1, m2, d2)
        if first is None or last is None or last < first:
            return None, None, None
        return _span(first, last, text), _day(first, text), _day(last, text)

    if kind == "iso":
        d = _safe_date(int(g["y"]), int(g["mn"]), int(g["dn"]))
        return (_day(d, text) if d else None), None, None

    if kind in ("mdy", "dmy"):
        month, day = _month_number(g["m"]), _day_number(g["d"])
        if g.get("y"):
            d = _safe_date(int(g["y"]), month, day)
        elif published is not None:
            d = _anchor_month_day(month, day, published, past)
        else:
            d = None
        return (_day(d, text) if d else None), None, None

    if kind == "part_month":
        month = _month_number(g["m"])
        if g.get("y"):
            year = int(g["y"])
        elif published is not None:
            year = _anchor_month(month, published, past)
        else:
            return None, None, None
        part = g["part"].lower()
        last_day = _last_day(year, month).day
        lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, last_day)}[part]
        return _bounded(_month(year, month, text), date(year, month, lo), date(year, month, hi)), None, None

    if kind == "month_year":
        return _month(int(g["y"]), _month_number(g["m"]), text), None, None

    if kind == "month":
        if published is None:
            return None, None, None
        month = _month_number(g["m"])
        return _month(_anchor_month(month, published, past), month, text), None, None

    if kind == "rel_month_name":
        if published is None:
            return None, None, None
        month, rel = _month_number(g["m"]), g["rel"].lower()
        if rel == "last":
            year = published.year if month < published.month else published.year - 1
        elif rel in ("next", "coming"):
            year = published.year if month > published.month else published.year + 1
        else:
            year = published.year
        return _month(year, month, text), None, None

    if kind == "part_year":
        year, part = int(g["y"]), g["part"].lower()
        lo, hi = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        return _bounded(_year(year, text), date(year, lo, 1), _last_day(year, hi)), None, None

    if kind == "decade":
        decade = int(g["y"])
        return _bounded(_year(decade, text), date(decade, 1, 1), date(decade + 9, 12, 31)), None, None

    if kind == "season_year":
        return _season(g["season"], int(g["y"]), text), None, None

    if kind == "year":
        return _year(int(g["y"]), text), None, None

    # Everything below is relative to the publication date.
    if published is None:
        return None, None, None
    p = published

    if kind == "rel_day":
        w = g["w"].lower()
        if w in ("today", "tonight") or "this" in w:  # 'earlier this morning': the day of publication
            return _day(p, text), None, None
        if w == "tomorrow":
            return _day(p + timedelta(days=1), text), None, None
        if w == "yesterday":
            return _day(p - timedelta(days=1), text), None, None
        # "last night": the evening before, or earlier on the day of publication
        return _bounded(_day(p - timedelta(days=1), text), p - timedelta(days=1), p), None, None

    if kind == "weekend":
        w = g["w"].lower()
        future = w in ("next weekend",) or (w in ("this weekend", "the weekend") and not past)
        if future:
            saturday = p + relativedelta(weekday=SA(+1))
            if w == "next weekend" and saturday - p < timedelta(days=2):
                saturday += timedelta(days=7)
        else:
            saturday = p - timedelta(days=1) + relativedelta(weekday=SA(-1))
        return _week(saturday, saturday + timedelta(days=1), text), None, None

    if kind == "earlier_this":
        unit, edge = g["unit"].lower(), g["edge"].lower()
        if unit == "week":
            monday = p - timedelta(days=p.weekday())
            first, last = monday, monday + timedelta(days=6)
            value = _week(monday, last, text)
        elif unit == "month":
            value = _month(p.year, p.month, text)
            first, last = value.earliest, value.latest
        else:
            value = _year(p.year, text)
            first, last = value.earliest, value.latest
        if edge == "earlier":
            return _bounded(value, first, p), None, None
        return _bounded(value, p, last), None, None

    if kind == "season":
        rel, season = g["rel"].lower(), g["season"].lower()
        first_month = _SEASONS[season]
        # the season's year: the one whose season started last on or before publication
        # (past and "this"), or the next one to start (future, "next", "coming")
        year = p.year if first_month <= p.month else p.year - 1
        if first_month == 12 and p.month < 12:
            year = p.year - 1
        started = date(year, first_month, 1)
        if rel in ("last", "past", "this past"):
            ends = _season(season, year, text).latest
            if ends >= p:  # the season running now is 'this', not 'last'
                year -= 1
        elif (rel in ("next", "coming") or (not past and rel != "this")) and started <= p:
            year += 1
        elif rel == "this" and started.year < p.year and first_month != 12:
            year = p.year  # 'this autumn', told in April: the autumn to come, not last year's
        return _season(season, year, text), None, None

    if kind == "end_of":
        unit, edge = g["unit"].lower(), g["edge"].lower()
        if unit == "week":
            last = p - timedelta(days=p.weekday()) + timedelta(days=6)
            value = _week(p, last, text)
        elif unit == "month":
            value = _month(p.year, p.month, text)
        else:
            value = _year(p.year, text)
        if edge == "at":  # 'at the end of the year': its last month, ten days, three days
            tail = {"week": 2, "month": 9, "year": 30}[unit]
            return _bounded(value, value.latest - timedelta(days=tail), value.latest), None, None
        return _bounded(value, p, value.latest), None, None

    if kind == "rel_unit":
        unit, rel = g["unit"].lower(), g["rel"].lower()
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this": 0}[rel]
        if unit == "week":
            monday = p - timedelta(days=p.weekday()) + timedelta(weeks=step)
            return _week(monday, monday + timedelta(days=6), text), None, None
        if unit == "month":
            first = date(p.year, p.month, 1) + relativedelta(months=step)
            return _month(first.year, first.month, text), None, None
        return _year(p.year + step, text), None, None

    if kind == "after_event":
        return None, None, None  # see resolve_after: the anchor is an event, not publication

    if kind in ("ago", "bare_ago"):
        unit = g["unit"].lower().rstrip("s")
        n = _count(g["n"]) if g.get("n") else None
        forward = g["w"].lower() == "ago"
        if n is None:  # "a few days ago", "days ago": bounded, not exact
            if unit != "day":
                return None, None, None
            return _week(p - timedelta(days=9), p - timedelta(days=1), text), None, None
        if not forward:  # "two days earlier": earlier than some other event, not publication
            return None, None, None
        if unit == "day":
            return _day(p - timedelta(days=n), text), None, None
        if unit == "week":
            monday = p - timedelta(days=p.weekday()) - timedelta(weeks=n)
            return _week(monday, monday + timedelta(days=6), text), None, None
        if unit == "month":
            first = date(p.year, p.month, 1) - relativedelta(months=n)
            return _month(first.year, first.month, text), None, None
        if unit == "year":
            return _year(p.year - n, text), None, None
        year = p.year - 10 * n  # decades: vague by nature, bounded five years either side
        return _bounded(_year(year, text), date(year - 5, 1, 1), date(year + 5, 12, 31)), None, None

    if kind == "weekday":
        wd = _weekday_number(g["wd"])
        rel = (g.get("rel") or "").lower()
        target: weekday = _RD_WEEKDAYS[wd]
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
        return _day(d, text), None, None

    return None, None, None  # pragma: no cover - every kind is handled above


def resolve(expression: str, published: date | None, *, tense_past: bool | None = None) -> DateValue | None:
    """Resolve one date expression against the publication date.

    Returns None when the expression is not a date this module knows, or when it is
    relative and ``published`` is None. A period ("March 8-17") resolves to the value
    covering it, with the period's first and last day as bounds.

    >>> resolve("on Sunday", date(2021, 3, 23)).value
    '2021-03-21'
    >>> resolve("last month", date(2021, 3, 23)).value
    '2021-02'
    >>> resolve("on Sunday", None) is None
    True
    """
    found = _whole(expression)
    if found is None:
        return None
    kind, m = found
    value, _, _ = _resolve_match(kind, m, published, tense_past is not False)
    return value


def resolve_after(expression: str, anchor: date) -> DateValue | None:
    """A date told relative to the event the text told last ("the next day", "two days
    later", "the previous day", "hours later"), resolved against that event's day; None
    for any other expression.

    >>> resolve_after("the next day", date(2023, 8, 30)).value
    '2023-08-31'
    >>> resolve_after("Hours later", date(2023, 5, 31)).value
    '2023-05-31'
    """
    found = _whole(expression)
    if found is None or found[0] != "after_event":
        return None
    g = found[1].groupdict()
    if g.get("hours") or g.get("same"):
        days = 0
    elif g.get("before"):
        days = -1
    elif g.get("next"):
        days = -1 if g["next"].lower() == "previous" else 1
    else:
        n = 1 if g["n"].lower() in ("a", "one") else _count(g["n"])
        if n is None:
            return None
        days = n if g["dir"].lower() == "later" else -n
    return _day(anchor + timedelta(days=days), expression)


def resolve_period(
    expression: str, published: date | None, *, tense_past: bool | None = None
) -> tuple[DateValue, DateValue] | None:
    """The first and last day of a period ("March 8-17", "Dec. 28 to Jan. 3, 2021").

    None when the expression is not a period or cannot be resolved.

    >>> start, end = resolve_period("March 8-17", date(2021, 3, 23))
    >>> start.value, end.value
    ('2021-03-08', '2021-03-17')
    """
    found = _whole(expression)
    if found is None or not found[0].startswith("period"):
        return None
    kind, m = found
    _, start, end = _resolve_match(kind, m, published, tense_past is not False)
    if start is None or end is None:
        return None
    return start, end


def find_dates(text: str, published: date | None = None, *, tense_past: bool | None = None) -> list[DateSpan]:
    """Every date expression in ``text``, in order, with offsets into ``text``.

    Expressions that cannot be resolved (relative ones without a publication date) are
    still returned, with ``value`` None, so the caller can record the wording.

    >>> [(s.text, s.value.value) for s in find_dates("It fired on Sunday.", date(2021, 3, 23))]
    [('on Sunday', '2021-03-21')]
    """
    past = tense_past is not False
    spans: list[DateSpan] = []
    for kind, m in _match_all(text):
        value, start, end = _resolve_match(kind, m, published, past)
        spans.append(DateSpan(m.start(), m.end(), m.group(0), value, start, end))
    return spans


def parse_absolute(text: str) -> date | None:
    """A full calendar date written in ``text`` ('2021-03-23', 'March 23, 2021',
    '23 March 2021', 'Tuesday, March 23, 2021'), or None. Used for header date lines."""
    for kind, m in _match_all(text):
        if kind in ("iso", "mdy", "dmy") and (m.groupdict().get("y")):
            value, _, _ = _resolve_match(kind, m, None, True)
            if value is not None:
                return value.earliest
    return None

"""Dates in article text, normalised against the article's publication date.

Two entry points:

- :func:`resolve` turns one date expression ("on Sunday", "last month", "Jan. 30",
  "February 2019", "this past weekend") into a :class:`~kg.model.DateValue` with a
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
- Vague expressions carry bounds: "this past weekend" is the Saturday–Sunday before
  publication (precision week), "last month" is that month (precision month, bounds its
  first and last day), "earlier this month" is bounded by the first of the month and the
  publication date, "two decades ago" is the year twenty years before, bounded five years
  either side, "a few days ago" is bounded by nine days and one day before publication.
- Month and weekday names come from :mod:`dateutil`'s parser tables; date arithmetic uses
  ``relativedelta``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.parser import parserinfo
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday

from kg.model import DateValue

__all__ = ["DateSpan", "find_dates", "parse_absolute", "resolve", "resolve_period"]

_INFO = parserinfo()
_NUMBERS = {
    "a": 1,
    "an": 1,
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
    "eleven": 11,
    "twelve": 12,
}


_RD_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)


def _alternation(names: Sequence[tuple[str, ...]], *, abbreviations: bool) -> str:
    words = sorted({w for group in names for w in group}, key=len, reverse=True)
    if not abbreviations:
        words = [w for w in words if len(w) > 4]
    # "Jan." and "Sept." are common in news; the dot is optional after abbreviations.
    # Names are matched case-sensitively (capitalised) so that "may", "sat" or "march" as
    # ordinary words are not dates; weekday abbreviations are left out for the same reason.
    return "(?-i:" + "|".join(re.escape(w) + (r"\.?" if len(w) <= 4 else "") for w in words) + ")"


_MONTH = _alternation(_INFO.MONTHS, abbreviations=True)
_WEEKDAY = _alternation(_INFO.WEEKDAYS, abbreviations=False)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_NUM = r"(?:\d+|" + "|".join(_NUMBERS) + r"|a few|several|a couple of|couple of)"
_DASH = r"\s*(?:-|–|—|to|through|until|till)\s*"

# One pattern per kind, most specific first; find_dates takes the leftmost-longest match.
_PATTERNS: list[tuple[str, str]] = [
    # periods
    (
        "period_md_md",
        rf"(?:from\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?P<m2>{_MONTH})\s+(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "period_md_d",
        rf"(?:from\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})(?!\d)(?:,?\s+(?P<y>{_YEAR}))?",
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
    ("part_month", rf"(?P<part>early|mid|late)[-\s](?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"),
    ("rel_month_name", rf"(?P<rel>last|next|this)\s+(?P<m>{_MONTH})"),
    ("month_year", rf"(?P<m>{_MONTH})(?:,?\s+|\s+of\s+)(?P<y>{_YEAR})"),
    ("month", rf"(?:in|since|until|by|during|from)\s+(?P<m>{_MONTH})(?![\w-])(?!,?\s+(?:of\s+)?\d)"),
    (
        "year",
        rf"(?<![\d,.$£€-])(?P<y>{_YEAR})(?![\d,%]|\.\d|\s*(?:km|kilomet|mile|meter|metre|people|troops|soldiers|tons|tonnes|times)\b)",
    ),
    # relative to publication
    ("rel_day", r"(?P<w>yesterday|today|tomorrow|tonight|last night)"),
    (
        "weekend",
        r"(?P<w>this past weekend|last weekend|past weekend|over the weekend|the weekend|this weekend|next weekend)",
    ),
    ("earlier_this", r"(?P<edge>earlier|later)\s+this\s+(?P<unit>week|month|year)"),
    ("rel_unit", r"(?P<rel>last|next|this|past|previous|coming)\s+(?P<unit>week|month|year)"),
    ("ago", rf"(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?|decades?)\s+(?P<w>ago|earlier)"),
    ("bare_ago", r"(?P<unit>days|weeks|months|years|decades)\s+(?P<w>ago)"),
    (
        "weekday",
        rf"(?:(?P<rel>last|next|this|on|coming)\s+)?(?P<wd>{_WEEKDAY})(?![\w-])(?!,?\s+(?:{_MONTH}|\d))(?:\s+(?:morning|afternoon|evening|night))?",
    ),
]
_COMPILED = [(kind, re.compile(rf"\b(?:{p})", re.IGNORECASE)) for kind, p in _PATTERNS]


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


def _month_number(name: str) -> int:
    number = _INFO.month(name.rstrip("."))
    if number is None:  # pragma: no cover - the regex only lets month names through
        raise ValueError(name)
    return int(number)


def _weekday_number(name: str) -> int:
    number = _INFO.weekday(name.rstrip("."))
    if number is None:  # pragma: no cover
        raise ValueError(name)
    return int(number)


def _day_number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


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


def _count(text: str) -> int | None:
    text = text.lower()
    if text.isdigit():
        return int(text)
    return _NUMBERS.get(text)


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
        elif rel == "next":
            year = published.year if month > published.month else published.year + 1
        else:
            year = published.year
        return _month(year, month, text), None, None

    if kind == "year":
        return _year(int(g["y"]), text), None, None

    # Everything below is relative to the publication date.
    if published is None:
        return None, None, None
    p = published

    if kind == "rel_day":
        w = g["w"].lower()
        if w in ("today", "tonight"):
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
        if rel == "last":
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


def _match_all(text: str) -> list[tuple[str, re.Match[str]]]:
    """Leftmost-longest, non-overlapping matches of the patterns in ``text``."""
    found: list[tuple[str, re.Match[str]]] = []
    for kind, rx in _COMPILED:
        found.extend((kind, m) for m in rx.finditer(text))
    found.sort(key=lambda km: (km[1].start(), -(km[1].end() - km[1].start())))
    chosen: list[tuple[str, re.Match[str]]] = []
    last_end = -1
    for kind, m in found:
        if m.start() >= last_end:
            chosen.append((kind, m))
            last_end = m.end()
    return chosen


def _whole(expression: str) -> tuple[str, re.Match[str]] | None:
    """The pattern matching the whole expression (ignoring a leading 'on'/'in')."""
    expr = expression.strip()
    for kind, rx in _COMPILED:
        m = rx.fullmatch(expr)
        if m:
            return kind, m
    stripped = re.sub(r"^(?:on|in|of|since|during|from|by|until)\s+", "", expr, flags=re.IGNORECASE)
    if stripped != expr:
        return _whole(stripped)
    return None


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

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
- The patterns themselves are rows of :mod:`kg.dates.patterns`, each naming its resolver
  in :mod:`kg.dates.resolvers`; month and weekday names come from :mod:`dateutil`'s parser
  tables (:mod:`kg.dates.words`); date arithmetic uses ``relativedelta``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kg.dates.patterns import Found, match_all, whole
from kg.dates.resolvers import Resolved
from kg.dates.values import day_of
from kg.dates.words import count
from kg.facts import DateValue

__all__ = ["DateSpan", "find_dates", "parse_absolute", "resolve", "resolve_after", "resolve_period"]


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


def _resolve_match(found: Found, published: date | None, past: bool) -> Resolved:
    """(value, period start, period end) of one match, by its row's resolver."""
    row, m = found
    return row.resolver(m, published, past)


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
    found = whole(expression)
    if found is None:
        return None
    value, _, _ = _resolve_match(found, published, tense_past is not False)
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
    found = whole(expression)
    if found is None or found[0].kind != "after_event":
        return None
    g = found[1].groupdict()
    if g.get("hours") or g.get("same"):
        days = 0
    elif g.get("before"):
        days = -1
    elif g.get("next"):
        days = -1 if g["next"].lower() == "previous" else 1
    else:
        n = 1 if g["n"].lower() in ("a", "one") else count(g["n"])
        if n is None:
            return None
        days = n if g["dir"].lower() == "later" else -n
    return day_of(anchor + timedelta(days=days), expression)


def resolve_period(
    expression: str, published: date | None, *, tense_past: bool | None = None
) -> tuple[DateValue, DateValue] | None:
    """The first and last day of a period ("March 8-17", "Dec. 28 to Jan. 3, 2021").

    None when the expression is not a period or cannot be resolved.

    >>> start, end = resolve_period("March 8-17", date(2021, 3, 23))
    >>> start.value, end.value
    ('2021-03-08', '2021-03-17')
    """
    found = whole(expression)
    if found is None or not found[0].kind.startswith("period"):
        return None
    _, start, end = _resolve_match(found, published, tense_past is not False)
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
    for found in match_all(text):
        value, start, end = _resolve_match(found, published, past)
        m = found[1]
        spans.append(DateSpan(m.start(), m.end(), m.group(0), value, start, end))
    return spans


def parse_absolute(text: str) -> date | None:
    """A full calendar date written in ``text`` ('2021-03-23', 'March 23, 2021',
    '23 March 2021', 'Tuesday, March 23, 2021'), or None. Used for header date lines."""
    for found in match_all(text):
        row, m = found
        if row.kind in ("iso", "mdy", "dmy") and (m.groupdict().get("y")):
            value, _, _ = _resolve_match(found, None, True)
            if value is not None:
                return value.earliest
    return None

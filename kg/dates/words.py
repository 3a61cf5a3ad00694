"""The words of dates as numbers: month and weekday names (from :mod:`dateutil`'s parser
tables), day numbers and number words ('two', 'a few' is none)."""

from __future__ import annotations

import re

from dateutil.parser import parserinfo

__all__ = ["INFO", "NUMBERS", "ONE_TO_TEN", "count", "day_number", "month_number", "weekday_number"]

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


def month_number(name: str) -> int:
    """The month a name or abbreviation names: 'Sept.' → 9."""
    number = INFO.month(name.rstrip("."))
    if number is None:  # pragma: no cover - the regex only lets month names through
        raise ValueError(name)
    return int(number)


def weekday_number(name: str) -> int:
    """The weekday a name names, Monday 0: 'Sunday' → 6."""
    number = INFO.weekday(name.rstrip("."))
    if number is None:  # pragma: no cover
        raise ValueError(name)
    return int(number)


def day_number(text: str) -> int:
    """The day a day of the month names: '21st' → 21."""
    return int(re.sub(r"\D", "", text))


def count(text: str) -> int | None:
    """The number a numeral or number word names ('12', 'two'), or None ('a few')."""
    text = text.lower()
    if text.isdigit():
        return int(text)
    return NUMBERS.get(text)

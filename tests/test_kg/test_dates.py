"""Date expressions normalised against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from kg.dates.resolve import find_dates, parse_absolute, resolve, resolve_after, resolve_period

# Tuesday 23 March 2021, the publication date of seed 004.
PUB = date(2021, 3, 23)

D = date


# Seasons, parts of a day, ends of units and other less common wordings.
MORE_RELATIVE_CASES = [
    # parts of a day, and a weekday told with 'this past' or 'early'
    ("on Monday evening", None, "2021-03-22", "day", D(2021, 3, 22), D(2021, 3, 22)),
    ("early Saturday", None, "2021-03-20", "day", D(2021, 3, 20), D(2021, 3, 20)),
    ("later on Tuesday", None, "2021-03-23", "day", D(2021, 3, 23), D(2021, 3, 23)),
    ("this past Thursday", None, "2021-03-18", "day", D(2021, 3, 18), D(2021, 3, 18)),
    ("last Thursday", None, "2021-03-18", "day", D(2021, 3, 18), D(2021, 3, 18)),
    ("Sept. 15", None, "2020-09-15", "day", D(2020, 9, 15), D(2020, 9, 15)),
    # a month alone, written in full
    ("August", None, "2020-08", "month", D(2020, 8, 1), D(2020, 8, 31)),
    ("August", False, "2021-08", "month", D(2021, 8, 1), D(2021, 8, 31)),
    ("coming June", None, "2021-06", "month", D(2021, 6, 1), D(2021, 6, 30)),
    # seasons (northern, meteorological)
    ("this spring", None, "2021", "year", D(2021, 3, 1), D(2021, 5, 31)),
    ("last summer", None, "2020", "year", D(2020, 6, 1), D(2020, 8, 31)),
    ("next autumn", None, "2021", "year", D(2021, 9, 1), D(2021, 11, 30)),
    ("last winter", None, "2020", "year", D(2020, 12, 1), D(2021, 2, 28)),
    ("in the fall", False, "2021", "year", D(2021, 9, 1), D(2021, 11, 30)),
    # ends of units
    ("before the end of the year", False, "2021", "year", D(2021, 3, 23), D(2021, 12, 31)),
    ("by the end of this month", False, "2021-03", "month", D(2021, 3, 23), D(2021, 3, 31)),
    ("at the end of the year", False, "2021", "year", D(2021, 12, 1), D(2021, 12, 31)),
    ("later in the year", False, "2021", "year", D(2021, 3, 23), D(2021, 12, 31)),
]


@pytest.mark.parametrize(
    ("expression", "tense_past", "value", "precision", "earliest", "latest"),
    [
        # weekdays: past → on or before publication; future → on or after
        ("on Sunday", None, "2021-03-21", "day", D(2021, 3, 21), D(2021, 3, 21)),
        ("on Sunday", True, "2021-03-21", "day", D(2021, 3, 21), D(2021, 3, 21)),
        ("on Sunday", False, "2021-03-28", "day", D(2021, 3, 28), D(2021, 3, 28)),
        ("Sunday morning", None, "2021-03-21", "day", D(2021, 3, 21), D(2021, 3, 21)),
        ("Tuesday", True, "2021-03-23", "day", D(2021, 3, 23), D(2021, 3, 23)),
        ("Wednesday", True, "2021-03-17", "day", D(2021, 3, 17), D(2021, 3, 17)),
        ("on Friday", False, "2021-03-26", "day", D(2021, 3, 26), D(2021, 3, 26)),
        ("last Tuesday", None, "2021-03-16", "day", D(2021, 3, 16), D(2021, 3, 16)),
        ("next Monday", None, "2021-03-29", "day", D(2021, 3, 29), D(2021, 3, 29)),
        # weekends and weeks
        ("this past weekend", None, "2021-03-20", "week", D(2021, 3, 20), D(2021, 3, 21)),
        ("over the weekend", None, "2021-03-20", "week", D(2021, 3, 20), D(2021, 3, 21)),
        ("the weekend", True, "2021-03-20", "week", D(2021, 3, 20), D(2021, 3, 21)),
        ("this weekend", False, "2021-03-27", "week", D(2021, 3, 27), D(2021, 3, 28)),
        ("next weekend", None, "2021-03-27", "week", D(2021, 3, 27), D(2021, 3, 28)),
        ("last week", None, "2021-03-15", "week", D(2021, 3, 15), D(2021, 3, 21)),
        ("next week", False, "2021-03-29", "week", D(2021, 3, 29), D(2021, 4, 4)),
        ("this week", None, "2021-03-22", "week", D(2021, 3, 22), D(2021, 3, 28)),
        ("earlier this week", None, "2021-03-22", "week", D(2021, 3, 22), D(2021, 3, 23)),
        # days relative to publication
        ("yesterday", None, "2021-03-22", "day", D(2021, 3, 22), D(2021, 3, 22)),
        ("today", None, "2021-03-23", "day", D(2021, 3, 23), D(2021, 3, 23)),
        ("tomorrow", None, "2021-03-24", "day", D(2021, 3, 24), D(2021, 3, 24)),
        ("three days ago", None, "2021-03-20", "day", D(2021, 3, 20), D(2021, 3, 20)),
        ("days ago", None, "2021-03-14", "week", D(2021, 3, 14), D(2021, 3, 22)),
        ("a few days ago", None, "2021-03-14", "week", D(2021, 3, 14), D(2021, 3, 22)),
        # months
        ("last month", None, "2021-02", "month", D(2021, 2, 1), D(2021, 2, 28)),
        ("this month", None, "2021-03", "month", D(2021, 3, 1), D(2021, 3, 31)),
        ("next month", None, "2021-04", "month", D(2021, 4, 1), D(2021, 4, 30)),
        ("earlier this month", None, "2021-03", "month", D(2021, 3, 1), D(2021, 3, 23)),
        ("later this month", None, "2021-03", "month", D(2021, 3, 23), D(2021, 3, 31)),
        ("in July", None, "2020-07", "month", D(2020, 7, 1), D(2020, 7, 31)),
        ("in July", False, "2021-07", "month", D(2021, 7, 1), D(2021, 7, 31)),
        ("in January", True, "2021-01", "month", D(2021, 1, 1), D(2021, 1, 31)),
        ("in March", True, "2021-03", "month", D(2021, 3, 1), D(2021, 3, 31)),
        ("since February", None, "2021-02", "month", D(2021, 2, 1), D(2021, 2, 28)),
        ("last March", None, "2020-03", "month", D(2020, 3, 1), D(2020, 3, 31)),
        ("two months ago", None, "2021-01", "month", D(2021, 1, 1), D(2021, 1, 31)),
        ("early March", None, "2021-03", "month", D(2021, 3, 1), D(2021, 3, 10)),
        ("mid-March", None, "2021-03", "month", D(2021, 3, 11), D(2021, 3, 20)),
        ("late February", None, "2021-02", "month", D(2021, 2, 21), D(2021, 2, 28)),
        # month and day without a year: the latest one on or before publication (past)
        ("March 18", None, "2021-03-18", "day", D(2021, 3, 18), D(2021, 3, 18)),
        ("on March 18", None, "2021-03-18", "day", D(2021, 3, 18), D(2021, 3, 18)),
        ("Jan. 30", None, "2021-01-30", "day", D(2021, 1, 30), D(2021, 1, 30)),
        ("Sept. 4", None, "2020-09-04", "day", D(2020, 9, 4), D(2020, 9, 4)),
        ("Sept. 4", False, "2021-09-04", "day", D(2021, 9, 4), D(2021, 9, 4)),
        ("18 March", None, "2021-03-18", "day", D(2021, 3, 18), D(2021, 3, 18)),
        ("March 30", True, "2020-03-30", "day", D(2020, 3, 30), D(2020, 3, 30)),
        # periods resolve to the value covering them
        ("March 8-17", None, "2021-03", "month", D(2021, 3, 8), D(2021, 3, 17)),
        ("March 28-April 2", False, "2021", "year", D(2021, 3, 28), D(2021, 4, 2)),
        # years
        ("last year", None, "2020", "year", D(2020, 1, 1), D(2020, 12, 31)),
        ("this year", None, "2021", "year", D(2021, 1, 1), D(2021, 12, 31)),
        ("earlier this year", None, "2021", "year", D(2021, 1, 1), D(2021, 3, 23)),
        ("five years ago", None, "2016", "year", D(2016, 1, 1), D(2016, 12, 31)),
        ("two decades ago", None, "2001", "year", D(1996, 1, 1), D(2006, 12, 31)),
        ("a decade ago", None, "2011", "year", D(2006, 1, 1), D(2016, 12, 31)),
        *MORE_RELATIVE_CASES,
    ],
)
def test_relative_expressions(
    expression: str, tense_past: bool | None, value: str, precision: str, earliest: date, latest: date
) -> None:
    result = resolve(expression, PUB, tense_past=tense_past)
    assert result is not None
    assert (result.value, result.precision, result.earliest, result.latest) == (
        value,
        precision,
        earliest,
        latest,
    )
    assert result.earliest <= result.latest


@pytest.mark.parametrize(
    "expression",
    [
        "on Sunday",
        "this past weekend",
        "last week",
        "next week",
        "last month",
        "in July",
        "March 8-17",
        "Jan. 30",
        "March 18",
        "last year",
        "two decades ago",
        "earlier this month",
        "days ago",
        "yesterday",
    ],
)
def test_relative_expressions_without_publication_date_stay_unresolved(expression: str) -> None:
    assert resolve(expression, None) is None
    assert resolve_period(expression, None) is None


@pytest.mark.parametrize(
    ("expression", "value", "precision", "earliest", "latest"),
    [
        ("February 2019", "2019-02", "month", D(2019, 2, 1), D(2019, 2, 28)),
        ("in October 2019", "2019-10", "month", D(2019, 10, 1), D(2019, 10, 31)),
        ("2006", "2006", "year", D(2006, 1, 1), D(2006, 12, 31)),
        ("in 2018", "2018", "year", D(2018, 1, 1), D(2018, 12, 31)),
        ("March 18, 2021", "2021-03-18", "day", D(2021, 3, 18), D(2021, 3, 18)),
        ("Tuesday, March 23, 2021", "2021-03-23", "day", D(2021, 3, 23), D(2021, 3, 23)),
        ("23 March 2021", "2021-03-23", "day", D(2021, 3, 23), D(2021, 3, 23)),
        ("2021-03-23", "2021-03-23", "day", D(2021, 3, 23), D(2021, 3, 23)),
        ("Feb. 29, 2020", "2020-02-29", "day", D(2020, 2, 29), D(2020, 2, 29)),
        ("early June 2018", "2018-06", "month", D(2018, 6, 1), D(2018, 6, 10)),
        ("March 8-17, 2021", "2021-03", "month", D(2021, 3, 8), D(2021, 3, 17)),
    ],
)
def test_absolute_expressions_need_no_publication_date(
    expression: str, value: str, precision: str, earliest: date, latest: date
) -> None:
    for published in (None, PUB):
        result = resolve(expression, published)
        assert result is not None
        assert (result.value, result.precision, result.earliest, result.latest) == (
            value,
            precision,
            earliest,
            latest,
        )


@pytest.mark.parametrize(
    "expression",
    ["", "soon", "recently", "the next phase", "Feb. 30, 2021", "2021-02-30", "a long time ago", "may"],
)
def test_what_is_not_a_date_resolves_to_none(expression: str) -> None:
    assert resolve(expression, PUB) is None


@pytest.mark.parametrize(
    ("expression", "published", "start", "end"),
    [
        ("March 8-17", PUB, D(2021, 3, 8), D(2021, 3, 17)),
        ("March 8 to 17", PUB, D(2021, 3, 8), D(2021, 3, 17)),
        ("from March 8 to March 17", PUB, D(2021, 3, 8), D(2021, 3, 17)),
        ("March 8–17, 2021", None, D(2021, 3, 8), D(2021, 3, 17)),
        ("8-17 March 2021", None, D(2021, 3, 8), D(2021, 3, 17)),
        ("Aug. 22 to Sept. 1, 2022", None, D(2022, 8, 22), D(2022, 9, 1)),
        ("Dec. 28-Jan. 3, 2021", None, D(2020, 12, 28), D(2021, 1, 3)),
        ("March 13-23", D(2023, 3, 13), D(2023, 3, 13), D(2023, 3, 23)),  # a period still running
    ],
)
def test_periods(expression: str, published: date | None, start: date, end: date) -> None:
    period = resolve_period(expression, published)
    assert period is not None
    first, last = period
    assert (first.value, last.value) == (start.isoformat(), end.isoformat())
    assert first.precision == last.precision == "day"


def test_a_single_date_is_not_a_period() -> None:
    assert resolve_period("March 18", PUB) is None


def test_find_dates_offsets_and_values() -> None:
    sentence = (
        "The last face-to-face talks were held in Sweden in October 2019 and have been rebuffed "
        "since February; on Sunday, March 21, it fired 2 missiles with a range of 4,500 km, "
        "after the March 8-17 drills."
    )
    spans = find_dates(sentence, PUB)
    assert [s.text for s in spans] == ["October 2019", "since February", "on Sunday, March 21", "March 8-17"]
    for span in spans:
        assert sentence[span.begin : span.end] == span.text
    assert [s.value.value if s.value else None for s in spans] == [
        "2019-10",
        "2021-02",
        "2021-03-21",
        "2021-03",
    ]
    period = spans[-1]
    assert period.is_period and period.start is not None and period.end_value is not None
    assert (period.start.value, period.end_value.value) == ("2021-03-08", "2021-03-17")
    assert not spans[0].is_period


def test_find_dates_without_publication_date_keeps_the_wording() -> None:
    spans = find_dates("Two missiles were fired on Sunday, weeks after the February 2019 summit.")
    assert [(s.text, s.value.value if s.value else None) for s in spans] == [
        ("on Sunday", None),
        ("February 2019", "2019-02"),
    ]


def test_find_dates_follows_the_tense() -> None:
    [span] = find_dates("They will meet on Friday.", PUB, tense_past=False)
    assert span.value is not None and span.value.value == "2021-03-26"


@pytest.mark.parametrize(
    "sentence",
    [
        "The missile flew 4,500 km (2,800 miles).",
        "He may march 20 miles.",
        "They sat down with the Hwasong-12 team.",
        "About 2000 troops took part.",
    ],
)
def test_find_dates_ignores_numbers_and_words_that_are_not_dates(sentence: str) -> None:
    assert find_dates(sentence, PUB) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("date 2021-03-23 Expand / Collapse search", D(2021, 3, 23)),
        ("Published March 23, 2021", D(2021, 3, 23)),
        ("23 March 2021, 10:00", D(2021, 3, 23)),
        ("March 23", None),
        ("World news", None),
    ],
)
def test_parse_absolute(line: str, expected: date | None) -> None:
    assert parse_absolute(line) == expected


@pytest.mark.parametrize(
    ("expression", "value", "earliest", "latest"),
    [
        ("the summer of 2019", "2019", D(2019, 6, 1), D(2019, 8, 31)),
        ("winter 2017", "2017", D(2017, 12, 1), D(2018, 2, 28)),
        ("mid-2019", "2019", D(2019, 5, 1), D(2019, 8, 31)),
        ("in early 2020", "2020", D(2020, 1, 1), D(2020, 4, 30)),
        ("late 2017", "2017", D(2017, 9, 1), D(2017, 12, 31)),
        ("in the 1990s", "1990", D(1990, 1, 1), D(1999, 12, 31)),
    ],
)
def test_absolute_vague_expressions_need_no_publication_date(
    expression: str, value: str, earliest: date, latest: date
) -> None:
    result = resolve(expression, None)
    assert result is not None
    assert (result.value, result.precision, result.earliest, result.latest) == (
        value,
        "year",
        earliest,
        latest,
    )


@pytest.mark.parametrize(
    "expression", ["this spring", "August", "before the end of the year", "this past Friday"]
)
def test_more_relative_expressions_stay_unresolved_without_publication_date(expression: str) -> None:
    assert resolve(expression, None) is None


def test_find_dates_prefers_the_day_to_the_month() -> None:
    spans = find_dates("No launch has been seen since Sept. 15, when a missile flew over Hokkaido.", PUB)
    assert [(s.text, s.value.value if s.value else None) for s in spans] == [("Sept. 15", "2020-09-15")]


def test_find_dates_without_publication_date_resolves_years_and_months() -> None:
    text = "It first tested a device in 2006, met in October 2019 and again in February 2019 talks."
    spans = find_dates(text)
    assert [(s.text, s.value.value if s.value else None) for s in spans] == [
        ("2006", "2006"),
        ("October 2019", "2019-10"),
        ("February 2019", "2019-02"),
    ]


def test_find_dates_bare_months_but_not_may() -> None:
    spans = find_dates("Talks held in April and August may resume.", PUB)
    assert [s.text for s in spans] == ["in April", "August"]
    assert find_dates("Officials said the envoy may travel.", PUB) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Resolution 2094 tightened the sanctions.",
        "It breached resolutions 2087 and 2094.",
        "Under U.N. Security Council Resolution No. 2017, nothing changed.",
    ],
)
def test_resolution_numbers_are_not_years(sentence: str) -> None:
    assert find_dates(sentence, PUB) == []


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("the next day", date(2023, 8, 31)),
        ("The following day", date(2023, 8, 31)),
        ("the previous day", date(2023, 8, 29)),
        ("two days later", date(2023, 9, 1)),
        ("A day later", date(2023, 8, 31)),
        ("three days earlier", date(2023, 8, 27)),
        ("Hours later", date(2023, 8, 30)),
        ("minutes later", date(2023, 8, 30)),
    ],
)
def test_dates_told_after_an_event_resolve_against_it(expression: str, expected: date) -> None:
    (found,) = find_dates(f"It said so {expression}.", date(2023, 9, 5))
    assert found.text.lower() == expression.lower()
    assert found.value is None  # not against the publication date
    value = resolve_after(expression, date(2023, 8, 30))
    assert value is not None and value.earliest == value.latest == expected


@pytest.mark.parametrize("expression", ["a day after the launch", "the day before the summit", "on Monday"])
def test_a_date_naming_its_own_anchor_is_not_told_after_the_last_event(expression: str) -> None:
    assert resolve_after(expression, date(2023, 8, 30)) is None

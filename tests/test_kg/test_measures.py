"""Distances as news tells them (kg.extract.measures): one distance per figure or pair of
figures, in kilometres, keeping the km figure the text gives."""

from __future__ import annotations

import pytest

from kg.extract.measures import distances_in


@pytest.mark.parametrize(
    ("text", "km"),
    [
        ("with a range of 4,500 km (2,800 miles", [4500.0]),  # an unclosed bracket still pairs
        ("flew 620 miles (1,000 km) east", [1000.0]),  # the km figure, not a conversion
        ("can travel 430 miles", [692.0]),  # miles alone: converted, rounded to the km
        ("a 1,000-km-range cruise missile", [1000.0]),
        ("about 380 kilometers, then 40 kilometres more", [380.0, 40.0]),
        ("an altitude of 6,248.5 km", [6248.5]),
        ("in 2017, 15 missiles", []),
    ],
)
def test_distances(text: str, km: list[float]) -> None:
    assert [d.km for d in distances_in(text)] == km


def test_offsets_cover_both_figures_of_a_pair() -> None:
    text = "a range of 4,500 km (2,800 miles) or more"
    (d,) = distances_in(text)
    assert text[d.begin : d.end] == "4,500 km (2,800 miles)"

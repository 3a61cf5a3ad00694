"""Plain data passed between the pipeline's stages (no RDF, no spaCy objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = ["Article", "DateValue", "ExtractionRun", "Precision"]

Precision = Literal["day", "week", "month", "year"]


@dataclass(frozen=True)
class DateValue:
    """A date as far as the text lets us know it.

    ``value`` is ISO text of the precision known: '2021-03-21' (day), '2021-03' (month),
    '2021' (year); for a week it is the earliest day. ``earliest``/``latest`` bound the day
    when the date is vague ('this past weekend', 'last month'); for a precise day they are
    both that day. ``text`` is the wording it was resolved from.
    """

    value: str
    precision: Precision
    earliest: date
    latest: date
    text: str = ""


@dataclass(frozen=True)
class Article:
    """An article after reading: cleaned text and what is known of its publication.

    ``text`` is the stored text: every character offset in the graph points into it. It
    opens with the headline (``title``) when there is one; the body begins at
    ``body_start``.
    ``slug`` is a stable identifier derived from the file name (or the URL when given),
    used in the article's IRI and its graph's IRI.
    """

    slug: str
    text: str
    source_name: str
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    date_status: Literal["metadata", "text", "unknown"] = "unknown"
    url: str | None = None
    removed: tuple[str, ...] = field(default_factory=tuple)  # page furniture lines dropped
    body_start: int = 0

    @property
    def body(self) -> str:
        """The text after the headline."""
        return self.text[self.body_start :]


@dataclass(frozen=True)
class ExtractionRun:
    """What produced a build's facts. Its IRI depends on versions only, not on time, so
    that extracting an article twice yields the same graph."""

    software_version: str
    model_name: str
    model_version: str

    @property
    def key(self) -> str:
        return f"{self.software_version}-{self.model_name}-{self.model_version}"

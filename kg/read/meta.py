"""Publication data of an article given beside its text: a sidecar file, front matter, the URL.

A sidecar ``<file>.meta.yaml`` (or ``<stem>.meta.yaml``) or a YAML front-matter block
(``---`` … ``---``) may give ``url``, ``title``, ``publisher``, ``date`` (or
``published``) and ``retrieved`` (or ``accessed``: when the page was fetched); other keys
are kept as ``extra``. :func:`merge_meta` combines the sources,
the first one that says something winning; :func:`date_from_url` reads a date from a URL
path ("/2021/03/23/"). What the text itself says (a header date line, a dateline) is found
by :mod:`kg.read.article`, which gives these sources precedence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from dateutil import parser as date_parser

from kg.errors import ArticleError

__all__ = [
    "ArticleMeta",
    "date_from_url",
    "find_sidecar",
    "load_sidecar",
    "merge_meta",
    "meta_from",
    "split_front_matter",
]


@dataclass
class ArticleMeta:
    """Publication data given beside the text; None where a source says nothing."""

    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    retrieved: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def find_sidecar(path: Path) -> Path | None:
    """The metadata file of an article: ``<file>.meta.yaml`` or ``<stem>.meta.yaml``."""
    for candidate in (
        path.with_name(path.name + ".meta.yaml"),
        path.with_name(path.stem + ".meta.yaml"),
        path.with_name(path.stem + ".meta.yml"),
    ):
        if candidate.is_file():
            return candidate
    return None


def _as_date(value: Any, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date_parser.parse(str(value)).date()
    except (ValueError, OverflowError):
        raise ArticleError(name, f"metadata: not a date: {value!r}") from None


_KNOWN_KEYS = ("url", "title", "publisher", "date", "published", "retrieved", "accessed")


def meta_from(mapping: Any, name: str) -> ArticleMeta:
    """The publication data of a metadata mapping; :class:`ArticleError` when it is not a
    mapping or its date is not a date."""
    if not isinstance(mapping, Mapping):
        raise ArticleError(name, "metadata: not a mapping of keys to values")

    def text(key: str) -> str | None:
        value = mapping.get(key)
        return str(value).strip() or None if value is not None else None

    return ArticleMeta(
        url=text("url"),
        title=text("title"),
        publisher=text("publisher"),
        published=_as_date(mapping.get("date", mapping.get("published")), name),
        retrieved=_as_date(mapping.get("retrieved", mapping.get("accessed")), name),
        extra={k: v for k, v in mapping.items() if k not in _KNOWN_KEYS},
    )


def split_front_matter(text: str, name: str) -> tuple[ArticleMeta | None, str]:
    """The front matter's data and the text after it, or (None, text) when the text opens with
    no YAML mapping between ``---`` lines; :class:`ArticleError` when that YAML is invalid."""
    match = re.match(r"^---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.S)
    if not match:
        return None, text
    try:
        loaded = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ArticleError(name, f"front matter is not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(loaded, Mapping):
        return None, text
    return meta_from(loaded, name), text[match.end() :]


def load_sidecar(path: Path, name: str) -> ArticleMeta:
    """The publication data of a sidecar file; :class:`ArticleError` when it is not valid YAML."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ArticleError(
            name, f"metadata file {path.name} is not valid YAML ({exc.__class__.__name__})"
        ) from None
    return meta_from(loaded or {}, name)


def merge_meta(first: ArticleMeta | None, second: ArticleMeta | None) -> ArticleMeta:
    """``first`` wins where it says something."""
    a, b = first or ArticleMeta(), second or ArticleMeta()
    return ArticleMeta(
        url=a.url or b.url,
        title=a.title or b.title,
        publisher=a.publisher or b.publisher,
        published=a.published or b.published,
        retrieved=a.retrieved or b.retrieved,
        extra={**b.extra, **a.extra},
    )


def date_from_url(url: str | None) -> date | None:
    """The date in a URL's path ("/2021/03/23/", "/2021-3-23"), or None."""
    if not url:
        return None
    match = re.search(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|\b)", urlparse(url).path)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None

"""Cleaning an article: its decoded text → the body, the dropped furniture and what its
header and dateline say of its publication.

Page furniture (widgets, captions and credits, tag blocks, comment forms, navigation
words, the outlet's name, headline repeats; see :mod:`kg.read.furniture`) is recognised by its
form, never by the strings of particular pages. Furniture is dropped anywhere; short lines
without sentence punctuation only before the first paragraph of the body and after its last
one (trailing site text). Every dropped line is kept as ``"<reason>: <line>"``.

The publication date comes from the metadata when it has one; else from a date line in the
header, else from a dateline opening the body (a dateline without a year takes the year of
a header date, of the metadata or of the URL), else from the URL; else it is unknown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from dateutil import parser as date_parser

from kg.read.furniture import (
    DATELINE,
    DESK_NOTE,
    FOOTER_HEAD,
    LINK_LINE,
    SENTENCE_END,
    TAG_HEAD,
    header_date,
    is_body_paragraph,
    is_caption,
    is_headline_like,
    is_outlet,
    is_sentence_like,
    is_widget,
    line_words,
    repeats,
    same_headline,
    split_glued_date,
)
from kg.read.meta import ArticleMeta, date_from_url

__all__ = ["Cleaned", "DateStatus", "clean"]

DateStatus = Literal["metadata", "text", "unknown"]

_SPACES = re.compile(r"[^\S\n]+")


@dataclass
class _Line:
    text: str
    keep: bool = True
    reason: str = ""


@dataclass
class Cleaned:
    """An article's body (paragraphs separated by a blank line), its dropped lines, and
    the publication data found in the metadata, the header and the dateline."""

    body: str
    removed: tuple[str, ...]
    title: str | None
    publisher: str | None
    published: date | None
    status: DateStatus


def clean(text: str, meta: ArticleMeta) -> Cleaned:
    """The body of ``text`` without its page furniture, and its publication data (``meta``
    first, then the header, the dateline and the URL)."""
    lines = [_Line(t) for t in _unglue_dates(_normalise(text))]
    content = [ln for ln in lines if ln.text]
    _drop_footer_and_tags(content)
    _drop_line_furniture(content)
    kept = [ln for ln in content if ln.keep]
    first_body, last_body = _body_bounds(kept)
    found = Cleaned("", (), meta.title, meta.publisher, meta.published, _status(meta.published))
    header_year = _read_header(kept[:first_body], found)
    if found.title is not None:  # pages often show the headline twice
        for line in kept[first_body:]:
            if line.keep and same_headline(line.text, found.title):
                _drop(line, "headline repeat")
    _drop_trailing_site_text(kept[last_body + 1 :])
    _read_dateline(lines, content, header_year, meta, found)
    if found.published is None:
        url_date = date_from_url(meta.url)
        if url_date is not None:
            found.published, found.status = url_date, "metadata"
    found.removed = tuple(f"{ln.reason}: {ln.text}" for ln in lines if not ln.keep)
    found.body = _paragraphs(lines)
    return found


def _status(published: date | None) -> DateStatus:
    return "metadata" if published else "unknown"


def _normalise(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def _unglue_dates(lines: list[str]) -> list[str]:
    """The lines with a date header glued to the text after it (" date 2024-03-17 People
    watch …", "Published: 17 March 2024 SEOUL — …") split in two, up to the first body
    paragraph: pages put the date before a caption or the lead on one line."""
    out: list[str] = []
    in_header = True
    for line in lines:
        glued = split_glued_date(line) if in_header else None
        if glued is not None:
            out += list(glued)
            line = glued[1]
        else:
            out.append(line)
        in_header = in_header and not is_body_paragraph(line)
    return out


def _drop(line: _Line, reason: str) -> None:
    """Mark ``line`` as furniture, unless an earlier rule already did (its reason stays)."""
    if line.keep:
        line.keep, line.reason = False, reason


def _drop_footer_and_tags(content: list[_Line]) -> None:
    """Drop the footer and the tag blocks.

    The footer runs from a comment form / related-links / copyright marker to the end, when
    no body paragraph follows it; such a marker with the body still to come ("© AFP 2023 /
    …" over a photo, "READ MORE: …" between paragraphs) is one line of furniture."""
    last_body = max((i for i, ln in enumerate(content) if is_body_paragraph(ln.text)), default=-1)
    for i, line in enumerate(content):
        if FOOTER_HEAD.match(line.text) and i > 0:
            if i < last_body:
                _drop(line, "link")
                continue
            for rest in content[i:]:
                _drop(rest, "footer")
            break
        tag = TAG_HEAD.match(line.text)
        if tag and len(line_words(line.text)) <= 3 + (
            len(tag.group("rest").split(",")) * 4 if "," in tag.group("rest") else 0
        ):
            _drop(line, "tags")
            nxt = content[i + 1] if i + 1 < len(content) else None
            if (
                not tag.group("rest")
                and nxt is not None
                and "," in nxt.text
                and not is_sentence_like(nxt.text)
            ):
                _drop(nxt, "tags")


def _drop_line_furniture(content: list[_Line]) -> None:
    """Drop the furniture a line is by itself, anywhere: widgets, links and captions."""
    for i, line in enumerate(content):
        if not line.keep:
            continue
        if is_widget(line.text):
            _drop(line, "widget")
        elif i > 0 and LINK_LINE.match(line.text):
            _drop(line, "link")
        elif DESK_NOTE.match(line.text.strip()):
            _drop(line, "desk note")
        elif is_caption(line.text) or (
            i > 0
            and content[i - 1].reason in ("caption", "link")
            and not is_sentence_like(line.text)  # a lead that repeats a caption is the lead
            and repeats(line.text, content[i - 1].text)
        ):
            _drop(line, "caption")


def _body_bounds(kept: list[_Line]) -> tuple[int, int]:
    """The index of the body's first paragraph and of its last sentence-like line."""
    first_body = next(
        (i for i, ln in enumerate(kept) if is_body_paragraph(ln.text)),
        # a short article: its first sentence, if it has one
        next((i for i, ln in enumerate(kept) if SENTENCE_END.search(ln.text)), len(kept)),
    )
    last_body = max(
        (i for i, ln in enumerate(kept) if is_sentence_like(ln.text)),
        default=max((i for i, ln in enumerate(kept) if SENTENCE_END.search(ln.text)), default=-1),
    )
    return first_body, last_body


def _read_header(header: list[_Line], found: Cleaned) -> int | None:
    """Drop the header's date line, title, outlet and navigation words, recording the
    title, publisher and date they give in ``found``; the year of the header's date."""
    header_year: int | None = None
    text_date: tuple[date, int] | None = None
    for line in header:
        dated = header_date(line.text)
        if dated is not None:
            _drop(line, "date")
            header_year = dated[0].year
            if text_date is None or dated[1] > text_date[1]:
                text_date = dated
            continue
        if found.title is None and is_headline_like(line.text) and not is_outlet(line.text):
            found.title = line.text
            _drop(line, "title")
            continue
        if found.title is not None and same_headline(line.text, found.title):
            _drop(line, "headline repeat")
            continue
        if is_outlet(line.text):
            found.publisher = found.publisher or line.text
            _drop(line, "publisher")
            continue
        if not is_sentence_like(line.text) and len(line_words(line.text)) <= 6:
            _drop(line, "navigation")
    if found.published is None and text_date is not None:
        found.published, found.status = text_date[0], "text"
    return header_year


def _drop_trailing_site_text(footer: list[_Line]) -> None:
    """Drop the short non-sentences after the body's last sentence."""
    for line in footer:
        if not is_sentence_like(line.text) and len(line_words(line.text)) <= 8:
            _drop(line, "trailing site text")


def _read_dateline(
    lines: list[_Line], content: list[_Line], header_year: int | None, meta: ArticleMeta, found: Cleaned
) -> None:
    """Cut a dateline ("SEOUL, March 23, 2021 (Yonhap) --") from the body's first line into
    a dropped line of its own, recording its date and agency in ``found`` when they are
    not known yet."""
    body_lines = [ln for ln in content if ln.keep]
    if not body_lines:
        return
    opening = body_lines[0]
    dl = DATELINE.match(opening.text)
    if not (dl and (dl.group("date") or dl.group("place").isupper())):
        return
    dl_date = _dateline_date(dl.group("date"), header_year, meta, found.published)
    if found.published is None and dl_date is not None:
        found.published, found.status = dl_date, "text"
    if found.publisher is None and dl.group("agency"):
        found.publisher = dl.group("agency").strip()
    lines.insert(lines.index(opening), _Line(dl.group(0).strip(), keep=False, reason="dateline"))
    opening.text = opening.text[dl.end() :]


def _dateline_date(
    written: str | None, header_year: int | None, meta: ArticleMeta, published: date | None
) -> date | None:
    """The date a dateline gives; without a year, in the year of the header's date, of
    the publication or of the URL."""
    year = re.search(r"\d{4}", written or "")
    default_year = (
        header_year
        or (published.year if published else None)
        or (d.year if (d := date_from_url(meta.url)) else None)
    )
    if not written or not (year or default_year):
        return None
    try:
        return date_parser.parse(written, default=datetime(default_year or 2000, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def _paragraphs(lines: list[_Line]) -> str:
    """The kept lines, as paragraphs separated by one blank line."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.text:
            if current:
                paragraphs.append("\n".join(current))
                current = []
        elif line.keep:
            current.append(line.text)
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)

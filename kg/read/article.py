"""Reading an article: bytes → checked, cleaned text and what is known of its publication.

:func:`read_article` refuses what is not an English news text (empty, binary, not UTF-8,
too large, not English) with :class:`~kg.errors.ArticleError`, strips page furniture by
general rules, and finds the title, the publisher and the publication date.

Page furniture (widgets, captions and credits, tag blocks, comment forms, navigation
words, the outlet's name, headline repeats) is recognised by its form, never by the strings
of particular pages; :mod:`kg.read.clean` drops it and reads the header and the dateline.

The stored ``Article.text`` is the headline, when there is one, then the body: kept lines
with their whitespace normalised (non-breaking and other Unicode spaces become plain
spaces), paragraphs separated by one blank line. The headline is the first paragraph
because it is part of what the article says ("…, White House says"), so facts read from
it are grounded like any other; ``Article.body_start`` is where the body begins. Every
dropped line is recorded in ``Article.removed`` as ``"<reason>: <line>"``.

Publication data: a sidecar ``<file>.meta.yaml`` (or ``<stem>.meta.yaml``) or a YAML
front-matter block (``---`` … ``---``) with ``url``, ``title``, ``publisher``, ``date``
wins; else a date line in the header ("date 2021-03-23", "Published March 23, 2021") or
a dateline opening the body ("SEOUL, March 23, 2021 (Yonhap) --"; a dateline without a
year takes the year of a header date or of the URL); else the date is unknown — never
today.

Language check: English running text is made of function words ("the", "of", "and",
"to", ...) for about 40% of its words; other languages written in Latin letters have
almost none of them, and scripts other than Latin have few ASCII letters. An article is
English when at least :data:`MIN_FUNCTION_WORD_SHARE` of its words are English function
words and at least :data:`MIN_ASCII_LETTER_SHARE` of its letters are ASCII.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlparse

from kg.errors import ArticleError
from kg.facts import Article
from kg.namespaces import slugify
from kg.read.clean import clean
from kg.read.furniture import DESK_TAG
from kg.read.meta import (
    ArticleMeta,
    find_sidecar,
    load_sidecar,
    merge_meta,
    meta_from,
    split_front_matter,
)

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_TEXT_CHARS",
    "MIN_ASCII_LETTER_SHARE",
    "MIN_FUNCTION_WORD_SHARE",
    "is_article_file",
    "read_article",
    "read_bounded",
]

ARTICLE_SUFFIXES = (".txt", ".md")
# spaCy's nlp.max_length: a longer text raises E088 (and a news article is far shorter).
MAX_TEXT_CHARS = 1_000_000
MIN_FUNCTION_WORD_SHARE = 0.12
MIN_ASCII_LETTER_SHARE = 0.8
_MIN_WORDS_FOR_LANGUAGE = 8
_MAX_CONTROL_SHARE = 0.02

_FUNCTION_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "might",
        "more",
        "most",
        "not",
        "of",
        "on",
        "or",
        "our",
        "over",
        "she",
        "should",
        "since",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "under",
        "until",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
    ]
)


def is_article_file(path: Path) -> bool:
    """Whether ``path`` is an article file (``*.txt``/``*.md``, not a sidecar or hidden)."""
    return (
        path.is_file()
        and path.suffix.lower() in ARTICLE_SUFFIXES
        and not path.name.startswith(".")
        and ".meta." not in path.name
    )


# --- decoding and checks -----------------------------------------------------------------


# Byte-order marks, longest first (UTF-32 LE's begins with UTF-16 LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _decode(data: bytes, name: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise ArticleError(name, f"too large (more than {max_bytes} bytes, the limit)")
    if not data.strip():
        raise ArticleError(name, "empty")
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is not None and encoding != "utf-8":
        # A byte-order mark names the encoding: UTF-16 and UTF-32 text is full of NUL bytes.
        try:
            text = data[len(next(b for b, e in _BOMS if e == encoding)) :].decode(encoding)
        except UnicodeDecodeError as exc:
            raise ArticleError(
                name, f"not {encoding.upper()} although it begins with its byte-order mark ({exc.reason})"
            ) from None
    else:
        if b"\x00" in data:
            raise ArticleError(name, f"binary (NUL byte at offset {data.find(0)})")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = data[exc.start : exc.start + 1].hex()
            raise ArticleError(name, f"not UTF-8 (invalid byte 0x{bad} at offset {exc.start})") from None
    text = text.removeprefix("\ufeff")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise ArticleError(name, f"binary ({controls} control characters in {len(text)})")
    return text


def _check_english(text: str, name: str) -> None:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        raise ArticleError(name, "empty (no words after removing page furniture)")
    ascii_share = sum(1 for ch in letters if ch.isascii()) / len(letters)
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text.lower())
    function_share = sum(1 for w in words if w in _FUNCTION_WORDS) / len(words)
    if ascii_share < MIN_ASCII_LETTER_SHARE or (
        len(words) >= _MIN_WORDS_FOR_LANGUAGE and function_share < MIN_FUNCTION_WORD_SHARE
    ):
        raise ArticleError(
            name,
            f"not English ({function_share:.0%} English function words, {ascii_share:.0%} ASCII letters)",
        )


# --- the reader -----------------------------------------------------------------------------


def _slug(name: str, meta: ArticleMeta, title: str | None, text: str) -> str:
    if meta.url:
        parsed = urlparse(meta.url)
        segments = [s for s in parsed.path.split("/") if s]
        last = re.sub(r"\.(?:s?html?|php|aspx?)$", "", segments[-1]) if segments else parsed.netloc
        return slugify(last)
    stem = Path(name).name
    for suffix in ARTICLE_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    if stem and stem not in ("-", "<stdin>", "stdin"):
        return slugify(stem)
    if title:
        return slugify(title)[:80].strip("-")
    return "article-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def read_bounded(stream: BinaryIO, max_bytes: int, name: str) -> bytes:
    """At most ``max_bytes`` from ``stream``; raises ArticleError as soon as there is more,
    without holding more than one byte past the limit in memory."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ArticleError(name, f"too large (more than {max_bytes} bytes, the limit)")
    return data


def read_article(
    source: Path | bytes,
    *,
    name: str | None = None,
    max_bytes: int = 2_000_000,
    meta: Mapping[str, Any] | None = None,
) -> Article:
    """Read one article from a file or from bytes.

    ``name`` is how errors and the article's ``source_name`` call it (default: the file
    name; '-' for bytes from stdin). ``meta`` (url, title, publisher, date) overrides the
    sidecar file and the front matter. Raises :class:`ArticleError` with the reason when
    the input is empty, binary, not UTF-8, larger than ``max_bytes`` or not English.
    """
    sidecar_meta: ArticleMeta | None = None
    if isinstance(source, Path):
        name = name or source.name
        try:
            info = source.stat()
            if not stat.S_ISREG(info.st_mode):
                raise ArticleError(name, "not a regular file")
            if info.st_size > max_bytes:
                raise ArticleError(name, f"too large ({info.st_size} bytes; the limit is {max_bytes})")
            with source.open("rb") as stream:
                data = read_bounded(stream, max_bytes, name)
        except OSError as exc:
            raise ArticleError(name, f"cannot read ({exc.strerror})") from None
        sidecar = find_sidecar(source)
        if sidecar is not None:
            sidecar_meta = load_sidecar(sidecar, name)
    else:
        name = name or "-"
        data = source
    text = _decode(data, name, max_bytes)
    front, text = split_front_matter(text, name)
    given = meta_from(meta, name) if meta is not None else None
    merged = merge_meta(given, merge_meta(sidecar_meta, front))

    cleaned = clean(text, merged)
    body, title = cleaned.body, cleaned.title
    if title:
        title = DESK_TAG.sub("", title) or title  # '(LEAD) S. Korea, U.S. open talks'
    if not body.strip():
        raise ArticleError(name, "empty (no text left after removing page furniture)")
    _check_english(body, name)
    head = f"{title}\n\n" if title else ""
    if len(head) + len(body) > MAX_TEXT_CHARS:
        raise ArticleError(
            name,
            f"too long for the language model ({len(head) + len(body):,} characters of text; "
            f"it reads at most {MAX_TEXT_CHARS:,})",
        )
    return Article(
        slug=_slug(name, merged, title, body),
        text=head + body,
        body_start=len(head),
        source_name=name,
        title=title,
        publisher=cleaned.publisher,
        published=cleaned.published,
        date_status=cleaned.status,
        url=merged.url,
        removed=cleaned.removed,
        retrieved=merged.retrieved,
    )

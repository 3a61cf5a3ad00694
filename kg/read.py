"""Reading an article: bytes → checked, cleaned text and what is known of its publication.

:func:`read_article` refuses what is not an English news text (empty, binary, not UTF-8,
too large, not English) with :class:`~kg.errors.ArticleError`, strips page furniture by
general rules, and finds the title, the publisher and the publication date.

Page furniture is recognised by its form, never by the strings of particular pages:

- widget lines: only numbers and short words ("3 min", "0 3 min 2 yrs", "Share 12");
- photo captions and credits: lines ending in an agency credit ("NAME/POOL/AFP via Getty
  Images", "(AFP PHOTO/KCNA VIA", "Photo: Reuters") or opening as captions do ("This
  undated picture released by ...", "In this photo ...");
- tag blocks: "Tags"/"Topics"/"Filed under" and the comma list after it;
- comment forms and what follows them ("Leave a Reply", "Your email address will not be
  published", "Post Comment");
- navigation and section words: short lines without sentence punctuation before the
  first paragraph of the body, and after its last one (trailing site text);
- a header line holding a date and little else (taken as the publication date);
- repeats of the headline (compared loosely: case, punctuation and "and"/"," aside).

The stored ``Article.text`` is the body: kept lines with their whitespace normalised
(non-breaking and other Unicode spaces become plain spaces), paragraphs separated by one
blank line. The title is not part of it (it is ``Article.title``). Every dropped line is
recorded in ``Article.removed`` as ``"<reason>: <line>"``.

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

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import yaml
from dateutil import parser as date_parser
from rapidfuzz import fuzz

from kg.dates import parse_absolute
from kg.errors import ArticleError
from kg.model import Article
from kg.namespaces import slugify

__all__ = [
    "ARTICLE_SUFFIXES",
    "MIN_ASCII_LETTER_SHARE",
    "MIN_FUNCTION_WORD_SHARE",
    "find_sidecar",
    "is_article_file",
    "read_article",
]

ARTICLE_SUFFIXES = (".txt", ".md")
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

_WIDGET_WORDS = frozenset(
    [
        "min",
        "mins",
        "minute",
        "minutes",
        "read",
        "reads",
        "yr",
        "yrs",
        "year",
        "years",
        "ago",
        "hr",
        "hrs",
        "hour",
        "hours",
        "day",
        "days",
        "share",
        "shares",
        "tweet",
        "tweets",
        "email",
        "print",
        "comment",
        "comments",
        "like",
        "likes",
        "view",
        "views",
        "save",
        "saved",
        "copy",
        "link",
        "facebook",
        "twitter",
        "whatsapp",
        "linkedin",
        "reddit",
        "telegram",
    ]
)

_OUTLET_WORDS = frozenset(
    [
        "news",
        "times",
        "post",
        "herald",
        "journal",
        "tribune",
        "daily",
        "press",
        "agency",
        "gazette",
        "telegraph",
        "guardian",
        "review",
        "monitor",
        "observer",
        "broadcasting",
        "network",
        "tv",
        "radio",
        "media",
        "channel",
        "wire",
        "reuters",
        "yonhap",
        "afp",
        "ap",
        "bbc",
        "cnn",
        "nbc",
        "abc",
        "cbs",
        "fox",
        "nhk",
        "kbs",
        "mbc",
        "sbs",
        "arirang",
        "xinhua",
        "kcna",
        "bloomberg",
        "politico",
        "axios",
        "economist",
        "diplomat",
    ]
)

_CAPTION_OPENING = re.compile(
    r"^(?:\(?(?:file|handout)\s+photo\)?\b|(?:this|the|a|an)\s+(?:undated\s+|file\s+|handout\s+)?"
    r"(?:picture|photo|photograph|image|handout\s+photo)\s+(?:taken|released|provided|made|shows|"
    r"obtained|issued|distributed|from)|in\s+this\s+(?:undated\s+|file\s+|handout\s+)?"
    r"(?:picture|photo|photograph|image)|(?:photo|image|picture|credit|caption)\s*:)",
    re.IGNORECASE,
)
_CREDIT_END = re.compile(
    r"(?:via\s+getty\s+images|getty\s+images|\((?:[A-Z]+\s+)?(?:PHOTO|FILE|Photo)\b[^)]*\)?"
    r"|\b[A-Z][A-Z.'\-]*(?:\s+[A-Z][A-Z.'\-]*)*/[A-Z][A-Za-z.'/\- ]*"
    r"|\((?:AFP|AP|Reuters|REUTERS|EPA|Yonhap|YONHAP|KCNA|Xinhua|XINHUA)[^)]*\)?"
    r"|(?:photo|image)\s*(?:credit)?\s*:\s*[^.]*)\s*$"
)
_TAG_HEAD = re.compile(
    r"^(?:tags?|topics?|related\s+topics|filed\s+under|keywords)\s*:?\s*(?P<rest>.*)$", re.I
)
_FOOTER_HEAD = re.compile(
    r"^(?:leave\s+a\s+(?:reply|comment)|post\s+(?:a\s+)?comment|add\s+(?:a\s+)?comment|comments?"
    r"|\d+\s+comments?|cancel\s+reply|your\s+email\s+address\s+will\s+not\s+be\s+published"
    r"|related\s+(?:articles|stories|posts|news|coverage)|read\s+more|more\s+from\b.*|recommended(?:\s+for\s+you)?"
    r"|you\s+may\s+also\s+like|share\s+this(?:\s+(?:article|story))?|sign\s+up\s+for\b.*"
    r"|subscribe\s+to\b.*|copyright\b.*|©.*|all\s+rights\s+reserved\.?)\s*[.:!]?\s*$",
    re.IGNORECASE,
)
_DATE_CUE = re.compile(
    r"^\s*(?:(?P<cue>date|published|posted|updated|last\s+updated|first\s+published|on)\b\s*:?\s*)?",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'\- ]{1,40}?)(?:,\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?))?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&'-]{0,40})\))?\s*(?:--|—|–|-)\s*"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]?$")
_SPACES = re.compile(r"[^\S\n]+")


@dataclass
class _Meta:
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def is_article_file(path: Path) -> bool:
    """Whether ``path`` is an article file (``*.txt``/``*.md``, not a sidecar or hidden)."""
    return (
        path.is_file()
        and path.suffix.lower() in ARTICLE_SUFFIXES
        and not path.name.startswith(".")
        and ".meta." not in path.name
    )


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


# --- decoding and checks -----------------------------------------------------------------


def _decode(data: bytes, name: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise ArticleError(name, f"too large ({len(data)} bytes; the limit is {max_bytes})")
    if not data.strip():
        raise ArticleError(name, "empty")
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


# --- metadata ------------------------------------------------------------------------------


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


def _meta_from(mapping: Any, name: str) -> _Meta:
    if not isinstance(mapping, Mapping):
        raise ArticleError(name, "metadata: not a mapping of keys to values")

    def text(key: str) -> str | None:
        value = mapping.get(key)
        return str(value).strip() or None if value is not None else None

    return _Meta(
        url=text("url"),
        title=text("title"),
        publisher=text("publisher"),
        published=_as_date(mapping.get("date", mapping.get("published")), name),
        extra={
            k: v for k, v in mapping.items() if k not in ("url", "title", "publisher", "date", "published")
        },
    )


def _split_front_matter(text: str, name: str) -> tuple[_Meta | None, str]:
    match = re.match(r"^---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.S)
    if not match:
        return None, text
    try:
        loaded = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ArticleError(name, f"front matter is not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(loaded, Mapping):
        return None, text
    return _meta_from(loaded, name), text[match.end() :]


def _load_sidecar(path: Path, name: str) -> _Meta:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ArticleError(
            name, f"metadata file {path.name} is not valid YAML ({exc.__class__.__name__})"
        ) from None
    return _meta_from(loaded or {}, name)


def _merge(first: _Meta | None, second: _Meta | None) -> _Meta:
    """``first`` wins where it says something."""
    a, b = first or _Meta(), second or _Meta()
    return _Meta(
        url=a.url or b.url,
        title=a.title or b.title,
        publisher=a.publisher or b.publisher,
        published=a.published or b.published,
        extra={**b.extra, **a.extra},
    )


def _date_from_url(url: str | None) -> date | None:
    if not url:
        return None
    match = re.search(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|\b)", urlparse(url).path)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# --- line classification -------------------------------------------------------------------


def _words(line: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’.\-][^\W_]+)*", line)


def _is_widget(line: str) -> bool:
    if parse_absolute(line) is not None:  # "Nov. 19, 2022" is a date line, not a counter
        return False
    tokens = line.replace("|", " ").replace("·", " ").split()
    if not tokens or len(tokens) > 8:
        return False
    has_number = any(re.fullmatch(r"[\d.,]+[kKmM]?", t) for t in tokens)
    for t in tokens:
        bare = t.strip(".,:;()").lower()
        if re.fullmatch(r"[\d.,]+[km]?", bare) or bare in _WIDGET_WORDS or (has_number and len(bare) <= 3):
            continue
        return False
    return True


def _is_caption(line: str) -> bool:
    return bool(_CAPTION_OPENING.match(line) or _CREDIT_END.search(line))


def _is_sentence_like(line: str) -> bool:
    return bool(_SENTENCE_END.search(line)) and len(_words(line)) >= 6


def _is_body_paragraph(line: str) -> bool:
    return _is_sentence_like(line) and len(_words(line)) >= 12 and not _is_caption(line)


def _is_outlet(line: str) -> bool:
    words = _words(line)
    if not 1 <= len(words) <= 6 or _SENTENCE_END.search(line):
        return False
    return any(w.lower() in _OUTLET_WORDS for w in words) and all(
        w[0].isupper() or w[0].isdigit() for w in words
    )


def _header_date(line: str) -> tuple[date, int] | None:
    """(date, rank) when ``line`` is a short line carrying a full date; the rank prefers
    a publication cue ("Published", "date") to none, and none to "Updated"."""
    if len(_words(line)) > 14 or _is_sentence_like(line):
        return None
    found = parse_absolute(line)
    if found is None:
        return None
    cue = _DATE_CUE.match(line)
    word = (cue.group("cue") or "").lower() if cue else ""
    return found, 0 if "updated" in word else (2 if word else 1)


def _is_headline_like(line: str) -> bool:
    words = _words(line)
    if not 4 <= len(words) <= 30 or line.rstrip().endswith((".", ",", ";", ":")):
        return False
    return not (_is_caption(line) or _is_widget(line))


def _loose(line: str) -> str:
    text = re.sub(r"\band\b", " ", line.lower())
    return re.sub(r"[\W_]+", " ", text).strip()


def _same_headline(line: str, title: str) -> bool:
    a, b = _loose(line), _loose(title)
    return bool(a) and (a == b or fuzz.ratio(a, b) >= 90)


# --- the reader -----------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    keep: bool = True
    reason: str = ""


def _normalise(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def _clean(
    raw_lines: list[str], meta: _Meta
) -> tuple[str, tuple[str, ...], str | None, str | None, date | None, Literal["metadata", "text", "unknown"]]:
    lines = [_Line(t) for t in raw_lines]
    content = [ln for ln in lines if ln.text]

    def drop(line: _Line, reason: str) -> None:
        if line.keep:
            line.keep, line.reason = False, reason

    # Footer: from a comment form / related-links / copyright marker to the end; tag blocks.
    for i, line in enumerate(content):
        if _FOOTER_HEAD.match(line.text) and i > 0:
            for rest in content[i:]:
                drop(rest, "footer")
            break
        tag = _TAG_HEAD.match(line.text)
        if tag and len(_words(line.text)) <= 3 + (
            len(tag.group("rest").split(",")) * 4 if "," in tag.group("rest") else 0
        ):
            drop(line, "tags")
            nxt = content[i + 1] if i + 1 < len(content) else None
            if (
                not tag.group("rest")
                and nxt is not None
                and "," in nxt.text
                and not _is_sentence_like(nxt.text)
            ):
                drop(nxt, "tags")

    # Line-level furniture anywhere.
    for line in content:
        if not line.keep:
            continue
        if _is_widget(line.text):
            drop(line, "widget")
        elif _is_caption(line.text):
            drop(line, "caption")

    kept = [ln for ln in content if ln.keep]
    first_body = next(
        (i for i, ln in enumerate(kept) if _is_body_paragraph(ln.text)),
        # a short article: its first sentence, if it has one
        next((i for i, ln in enumerate(kept) if _SENTENCE_END.search(ln.text)), len(kept)),
    )
    last_body = max(
        (i for i, ln in enumerate(kept) if _is_sentence_like(ln.text)),
        default=max((i for i, ln in enumerate(kept) if _SENTENCE_END.search(ln.text)), default=-1),
    )
    header, footer = kept[:first_body], kept[last_body + 1 :]

    # Header: date line, title, outlet, navigation words.
    title = meta.title
    publisher = meta.publisher
    published, status = meta.published, "metadata" if meta.published else "unknown"
    header_year: int | None = None
    text_date: tuple[date, int] | None = None
    for line in header:
        found = _header_date(line.text)
        if found is not None:
            drop(line, "date")
            header_year = found[0].year
            if text_date is None or found[1] > text_date[1]:
                text_date = found
            continue
        if title is None and _is_headline_like(line.text) and not _is_outlet(line.text):
            title = line.text
            drop(line, "title")
            continue
        if title is not None and _same_headline(line.text, title):
            drop(line, "headline repeat")
            continue
        if _is_outlet(line.text):
            publisher = publisher or line.text
            drop(line, "publisher")
            continue
        if not _is_sentence_like(line.text) and len(_words(line.text)) <= 6:
            drop(line, "navigation")
    if published is None and text_date is not None:
        published, status = text_date[0], "text"

    # Repeated headline anywhere in the body (pages often show it twice).
    if title is not None:
        for line in kept[first_body:]:
            if line.keep and _same_headline(line.text, title):
                drop(line, "headline repeat")

    # Trailing site text: short non-sentences after the last sentence.
    for line in footer:
        if not _is_sentence_like(line.text) and len(_words(line.text)) <= 8:
            drop(line, "trailing site text")

    # A dateline opening the body.
    body_lines = [ln for ln in content if ln.keep]
    if body_lines:
        opening = body_lines[0]
        dl = _DATELINE.match(opening.text)
        if dl and (dl.group("date") or dl.group("place").isupper()):
            year = re.search(r"\d{4}", dl.group("date") or "")
            dl_date: date | None = None
            default_year = (
                header_year
                or (published.year if published else None)
                or (d.year if (d := _date_from_url(meta.url)) else None)
            )
            if dl.group("date") and (year or default_year):
                try:
                    dl_date = date_parser.parse(
                        dl.group("date"), default=datetime(default_year or 2000, 1, 1)
                    ).date()
                except (ValueError, OverflowError):
                    dl_date = None
            if published is None and dl_date is not None:
                published, status = dl_date, "text"
            if publisher is None and dl.group("agency"):
                publisher = dl.group("agency").strip()
            lines.insert(lines.index(opening), _Line(dl.group(0).strip(), keep=False, reason="dateline"))
            opening.text = opening.text[dl.end() :]

    if published is None:
        url_date = _date_from_url(meta.url)
        if url_date is not None:
            published, status = url_date, "metadata"

    removed = tuple(f"{ln.reason}: {ln.text}" for ln in lines if not ln.keep)
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
    return "\n\n".join(paragraphs), removed, title, publisher, published, status  # type: ignore[return-value]


def _slug(name: str, meta: _Meta, title: str | None, text: str) -> str:
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
    sidecar_meta: _Meta | None = None
    if isinstance(source, Path):
        name = name or source.name
        try:
            size = source.stat().st_size
        except OSError as exc:
            raise ArticleError(name, f"cannot read ({exc.strerror})") from None
        if size > max_bytes:
            raise ArticleError(name, f"too large ({size} bytes; the limit is {max_bytes})")
        data = source.read_bytes()
        sidecar = find_sidecar(source)
        if sidecar is not None:
            sidecar_meta = _load_sidecar(sidecar, name)
    else:
        name = name or "-"
        data = source
    text = _decode(data, name, max_bytes)
    front, text = _split_front_matter(text, name)
    given = _meta_from(meta, name) if meta is not None else None
    merged = _merge(given, _merge(sidecar_meta, front))

    body, removed, title, publisher, published, status = _clean(_normalise(text), merged)
    if not body.strip():
        raise ArticleError(name, "empty (no text left after removing page furniture)")
    _check_english(body, name)
    return Article(
        slug=_slug(name, merged, title, body),
        text=body,
        source_name=name,
        title=title,
        publisher=publisher,
        published=published,
        date_status=status,
        url=merged.url,
        removed=removed,
    )

"""Page furniture: how a line of a news page is recognised as not part of the article.

Page furniture is recognised by its form, never by the strings of particular pages:

- widget lines: only numbers and short words ("3 min", "0 3 min 2 yrs", "Share 12");
- photo captions and credits: lines ending in an agency credit ("NAME/POOL/AFP via Getty
  Images", "(AFP PHOTO/KCNA VIA", "Photo: Reuters") or opening as captions do ("This
  undated picture released by ...", "In this photo ...");
- tag blocks: "Tags"/"Topics"/"Filed under" and the comma list after it (:data:`TAG_HEAD`);
- comment forms and what follows them ("Leave a Reply", "Your email address will not be
  published", "Post Comment"; :data:`FOOTER_HEAD`);
- navigation and section words: short lines without sentence punctuation;
- a header line holding a date and little else (:func:`header_date`);
- an outlet's name (:func:`is_outlet`) and repeats of the headline (:func:`same_headline`,
  compared loosely: case, punctuation and "and"/"," aside);
- a dateline opening the body ("SEOUL, March 23, 2021 (Yonhap) --"; :data:`DATELINE`).

This module only classifies single lines; :mod:`kg.read` decides, from where a line stands
in the page, which of them to drop.
"""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz import fuzz

from kg.dates import parse_absolute

__all__ = [
    "DATELINE",
    "FOOTER_HEAD",
    "SENTENCE_END",
    "TAG_HEAD",
    "header_date",
    "is_body_paragraph",
    "is_caption",
    "is_headline_like",
    "is_outlet",
    "is_sentence_like",
    "is_widget",
    "line_words",
    "same_headline",
]

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
TAG_HEAD = re.compile(
    r"^(?:tags?|topics?|related\s+topics|filed\s+under|keywords)\s*:?\s*(?P<rest>.*)$", re.I
)
FOOTER_HEAD = re.compile(
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
# A dateline: the place, a region or country after it ("CAMP DAVID, Maryland,", "SEOUL,
# South Korea,"), the date in American or British order ("Aug. 18, 2023", "18 August
# 2023"), the agency, and a dash.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'\- ]{1,40}?)(?:,\s+(?P<region>[A-Z][A-Za-z.'\- ]{1,30}?))??"
    r"(?:,\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:,?\s+\d{4})?))?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&'-]{0,40})\))?\s*(?:--|—|–|-)\s*"
)
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]?$")


def line_words(line: str) -> list[str]:
    """The words of a line, keeping inner apostrophes, dots and hyphens ("U.S.", "Hwasong-15")."""
    return re.findall(r"[^\W_]+(?:['’.\-][^\W_]+)*", line)


def is_widget(line: str) -> bool:
    """Whether the line is a counter or share widget: at most eight tokens, all numbers, widget
    words or (beside a number) short words; a date is never a widget."""
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


def is_caption(line: str) -> bool:
    """Whether the line opens as a photo caption or ends in a photo or agency credit."""
    return bool(_CAPTION_OPENING.match(line) or _CREDIT_END.search(line))


def is_sentence_like(line: str) -> bool:
    """Whether the line ends as a sentence does and has at least six words."""
    return bool(SENTENCE_END.search(line)) and len(line_words(line)) >= 6


def is_body_paragraph(line: str) -> bool:
    """Whether the line is a sentence of at least twelve words that is not a caption."""
    return is_sentence_like(line) and len(line_words(line)) >= 12 and not is_caption(line)


def is_outlet(line: str) -> bool:
    """Whether the line looks like an outlet's name: one to six capitalised words, one of them a
    news word ("Times", "Yonhap", ...), and no sentence end."""
    words = line_words(line)
    if not 1 <= len(words) <= 6 or SENTENCE_END.search(line):
        return False
    return any(w.lower() in _OUTLET_WORDS for w in words) and all(
        w[0].isupper() or w[0].isdigit() for w in words
    )


def header_date(line: str) -> tuple[date, int] | None:
    """(date, rank) when ``line`` is a short line carrying a full date; the rank prefers
    a publication cue ("Published", "date") to none, and none to "Updated"."""
    if len(line_words(line)) > 14 or is_sentence_like(line):
        return None
    found = parse_absolute(line)
    if found is None:
        return None
    cue = _DATE_CUE.match(line)
    word = (cue.group("cue") or "").lower() if cue else ""
    return found, 0 if "updated" in word else (2 if word else 1)


def is_headline_like(line: str) -> bool:
    """Whether the line could be a headline: four to thirty words, not ending in punctuation that
    continues a sentence, neither a caption nor a widget."""
    words = line_words(line)
    if not 4 <= len(words) <= 30 or line.rstrip().endswith((".", ",", ";", ":")):
        return False
    return not (is_caption(line) or is_widget(line))


def _loose(line: str) -> str:
    text = re.sub(r"\band\b", " ", line.lower())
    return re.sub(r"[\W_]+", " ", text).strip()


def same_headline(line: str, title: str) -> bool:
    """Whether the line repeats the title, compared loosely (case, punctuation and "and" aside,
    90% similar)."""
    a, b = _loose(line), _loose(title)
    return bool(a) and (a == b or fuzz.ratio(a, b) >= 90)

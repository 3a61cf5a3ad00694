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

This module only classifies single lines; :mod:`kg.read.article` decides, from where a line stands
in the page, which of them to drop.
"""

from __future__ import annotations

import difflib
import re
from datetime import date

from rapidfuzz import fuzz

from kg.dates.resolve import parse_absolute

__all__ = [
    "DATELINE",
    "DESK_NOTE",
    "DESK_TAG",
    "FOOTER_HEAD",
    "LINK_LINE",
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
    "repeats",
    "same_headline",
    "split_glued_date",
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
    r"(?:picture|photo|photograph|image)|(?:photo|image|picture|credit|caption)\s*:"
    r"|(?:©|\(c\))\s*[A-Z])",  # a credit first: "© AFP 2023 / NAME People vote …"
    re.IGNORECASE,
)
_CREDIT_END = re.compile(
    r"(?:via\s+getty\s+images|getty\s+images|\((?:[A-Z]+\s+)?(?:PHOTO|FILE|Photo)\b[^)]*\)?"
    r"|\b[A-Z][A-Z.'\-]*(?:\s+[A-Z][A-Z.'\-]*)*/[A-Z][A-Za-z.'/\- ]*"
    r"|\((?:AFP|AP|Reuters|REUTERS|EPA|Yonhap|YONHAP|KCNA|Xinhua|XINHUA)[^)]*\)?"
    r"|(?:photo|image)\s*(?:credit)?\s*:\s*[^.]*)\s*$"
)
# A link to another story between or after the paragraphs ("READ MORE: Seoul weighs new
# sanctions", "Related: Pyongyang slams the accord"): the headline of another page.
LINK_LINE = re.compile(
    r"^(?:read\s+more|related(?:\s+(?:articles?|stories|story|news|coverage|content))?|see\s+also"
    r"|also\s+read|read\s+also|more\s+on\s+this(?:\s+story)?)\s*[:|»>]\s*\S.*$",
    re.IGNORECASE,
)
# A wire desk's note to editors on a line of its own ("(ATTN: RECASTS headline, lead; ADDS
# details)", "(LEAD)", "(2nd LD)", "(URGENT)", "(UPDATE 2)"): about the copy, not the story.
DESK_NOTE = re.compile(
    r"^\((?:ATTN\b[^)]*|LEAD|URGENT|CORRECTED|REFILE|RECASTS?\b[^)]*|\d+(?:st|nd|rd|th)\s+LD\b[^)]*"
    r"|UPDATE\s+\d+)\)\s*$"
)
# The same tags before a headline ("(LEAD) S. Korea, U.S. open talks", "(2nd LD) …").
DESK_TAG = re.compile(r"^\((?:LEAD|URGENT|\d+(?:st|nd|rd|th)\s+LD|UPDATE\s+\d+)\)\s+")
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
# 2023"), the agency, and a dash (some agencies put a full stop before it: "(EFE).-").
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'\- ]{1,40}?)(?:,\s+(?P<region>[A-Z][A-Za-z.'\- ]{1,30}?))??"
    r"(?:,\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:,?\s+\d{4})?))?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&'-]{0,40})\))?\.?\s*(?:--|—|–|-)\s*"
)
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]?$")


def line_words(line: str) -> list[str]:
    """The words of a line, keeping inner apostrophes, dots and hyphens ("U.S.", "Hwasong-15")."""
    return re.findall(r"[^\W_]+(?:['’.\-][^\W_]+)*", line)


def is_widget(line: str) -> bool:
    """Whether the line is a counter or share widget: at most eight tokens, all numbers, widget
    words or (beside a number) short words; a date is never a widget."""
    if _absolute(line) is not None:  # "Nov. 19, 2022" is a date line, not a counter
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


def repeats(line: str, other: str) -> bool:
    """Whether one line of at least eight words repeats the other (a caption shown twice,
    once with a credit or an outlet's name before or after it).

    >>> repeats("People vote at the UN in New York on Dec. 18 - Sputnik International",
    ...         "© AFP / T. CLARY People vote at the UN in New York on Dec. 18")
    True
    """
    a, b = ([w.lower() for w in line_words(x)] for x in (line, other))
    if min(len(a), len(b)) < 8:
        return False
    run = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return run.size >= 8 and run.size >= 0.7 * min(len(a), len(b))


_CREDIT_TAIL = re.compile(r"[.!?][\"'”’)]?\s+(?P<credit>[A-Z][\w.&'/-]*(?:\s+[\w.&'/-]+){0,4})\s*$")
_AGENCIES = frozenset(
    [
        "afp",
        "ap",
        "reuters",
        "yonhap",
        "kcna",
        "xinhua",
        "kyodo",
        "epa",
        "efe",
        "getty",
        "upi",
        "tass",
        "sputnik",
        "anadolu",
        "jiji",
    ]
)


def _credit_tail(line: str) -> bool:
    """Whether the line is a sentence followed by a photo credit ('… in Seoul. Yonhap',
    '… on Sunday. KCNA via REUTERS', '… in Tokyo. Kyodo News')."""
    m = _CREDIT_TAIL.search(line)
    if m is None or m.group("credit").endswith((".", "!", "?")):  # a last sentence, not a credit
        return False
    if len(line_words(line)) <= 14 and _absolute(line) is not None:
        return False  # 'Updated Mar 18, 2024 9:01 a.m. ET': a date line
    words = [w.strip(".,").lower() for w in m.group("credit").split()]
    return bool(words) and (
        any(w in _AGENCIES for w in words) or "via" in words or m.group("credit").isupper()
    )


def is_caption(line: str) -> bool:
    """Whether the line opens as a photo caption or ends in a photo or agency credit."""
    return bool(_CAPTION_OPENING.match(line) or _CREDIT_END.search(line) or _credit_tail(line))


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


_GLUED_DATE = re.compile(
    r"^(?P<head>(?i:(?:date|published|posted|updated|last\s+updated|first\s+published)\b\s*:?\s*)?"
    r"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:\d{4}-\d{2}-\d{2}|(?:[A-Z][a-z]{2,8}\.?|[A-Z]{3,9})\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4})"
    r"(?:(?:,|\s+at)?\s+\d{1,2}[:.]\d{2}(?:\s*[aApP]\.?[mM]\.?)?(?:\s+[A-Z]{2,4})?)?)"
    r"\s+(?:[|/·•–—-]\s+)?(?P<rest>[\"“'‘(A-Z0-9].*)$"
)


def _absolute(text: str) -> date | None:
    """A full date in ``text``, its month's name in any case ('JUL 4, 2017')."""
    return parse_absolute(text) or (
        parse_absolute(text.title()) if text.isupper() or re.search(r"\b[A-Z]{3,}\b", text) else None
    )


def split_glued_date(line: str) -> tuple[str, str] | None:
    """A date header and the text glued after it on one line (a caption, the lead), as two
    lines; None when the line does not open with a full date.

    >>> split_glued_date(" date 2024-03-17 People watch a TV screen in Seoul. Yonhap")
    ('date 2024-03-17', 'People watch a TV screen in Seoul. Yonhap')
    >>> split_glued_date("Published: 17 March 2024 SEOUL — North Korea fired a missile.")
    ('Published: 17 March 2024', 'SEOUL — North Korea fired a missile.')
    >>> split_glued_date("JUL 4, 2017 North Korea launched its first ICBM on Tuesday.")
    ('JUL 4, 2017', 'North Korea launched its first ICBM on Tuesday.')
    >>> split_glued_date("March 2024 was a busy month for the North.") is None
    True
    """
    m = _GLUED_DATE.match(line.strip())
    if m is None or _absolute(m.group("head")) is None:
        return None
    return m.group("head").strip(), m.group("rest").strip()


def header_date(line: str) -> tuple[date, int] | None:
    """(date, rank) when ``line`` is a short line carrying a full date; the rank prefers
    a publication cue ("Published", "date") to none, and none to "Updated"."""
    if len(line_words(line)) > 14 or is_sentence_like(line):
        return None
    found = _absolute(line)
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

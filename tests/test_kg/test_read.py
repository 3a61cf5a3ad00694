"""Reading articles: checks, page furniture, title, publisher, date, slug."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ArticleError
from kg.facts import Article
from kg.read.article import is_article_file, read_article
from kg.read.meta import find_sidecar

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
BAD = ROOT / "tests" / "data" / "bad"

LEAD = (
    "North Korea fired two short-range ballistic missiles into the sea off its east coast on "
    "Thursday, the South Korean military said, in the first such test in a year."
)
SECOND = (
    "The launches came as officials from the United States and Japan met in Tokyo to discuss "
    "the security of the region and their alliance."
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- the seeds: golden expectations --------------------------------------------------------

SEED_CASES: dict[str, dict[str, Any]] = {
    "000_97fe8e58a390c542.txt": {
        "title": None,
        "published": None,
        "status": "unknown",
        "publisher": None,
        "starts": "North Korea fired off a pair of cruise missiles",
        "ends": "the administration official said.",
        "gone": ["3 min", "Leave a Reply", "Your email address"],
        "reasons": {"widget", "footer"},
    },
    "003_6fc4bc33b1531075.txt": {
        "title": "Blinken Discusses With Japan, South Korean Officials About Possible Actions on North Korea's Missile Tests",
        "published": None,
        "status": "unknown",
        "publisher": None,
        "starts": "US Secretary of State Antony Binken met with his counterparts",
        "ends": "to fund its weapons development agenda.",
        "gone": [
            "Getty Images",
            "Tags",
            "Missiles, Nuclear, Weapons",
            "Real Time Analytics",
            "Blinken Discusses",
        ],
        "reasons": {"title", "headline repeat", "caption", "tags", "trailing site text"},
    },
    "004_386a12430256cb01.txt": {
        "title": "North Korea conducts short-range missile test, White House says",
        "published": date(2021, 3, 23),
        "status": "text",
        "publisher": "FOX 10 Phoenix",
        "starts": "North Korea fired short-range missiles this past weekend",
        "ends": 'as "closing that door" to such talks.',
        "gone": ["Expand / Collapse", "This undated picture", "AFP PHOTO", "\nWorld\n"],
        "reasons": {"date", "title", "navigation", "publisher", "caption"},
    },
}


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_seed_is_read_as_expected(name: str) -> None:
    expected = SEED_CASES[name]
    article = read_article(SEEDS / name)
    assert article.title == expected["title"]
    assert article.published == expected["published"]
    assert article.date_status == expected["status"]
    assert article.publisher == expected["publisher"]
    assert article.body.startswith(str(expected["starts"]))
    assert article.body.endswith(str(expected["ends"]))
    for furniture in expected["gone"]:
        assert furniture not in article.body
    reasons = {r.split(":", 1)[0] for r in article.removed}
    assert reasons == expected["reasons"]
    assert article.slug == Path(name).stem.replace("_", "-")
    # the stored text opens with the headline, as its own paragraph, when there is one
    head = f"{expected['title']}\n\n" if expected["title"] else ""
    assert article.text == head + article.body
    assert article.body_start == len(head)


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_seed_text_is_paragraphs_of_the_original(name: str) -> None:
    """Nothing is invented: every kept paragraph is in the original (whitespace aside),
    and paragraphs are separated by one blank line."""
    raw = _norm((SEEDS / name).read_text(encoding="utf-8"))
    article = read_article(SEEDS / name)
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) >= 8
    for paragraph in paragraphs:
        assert paragraph == paragraph.strip() and paragraph
        assert _norm(paragraph) in raw
    assert "\n\n\n" not in article.body
    assert "\u00a0" not in article.body


def test_subheadings_inside_the_body_are_kept() -> None:
    article = read_article(SEEDS / "003_6fc4bc33b1531075.txt")
    assert "Three Countries Working Closely for Security in the Region" in article.body


# --- synthetic pages: each general rule on text of our own -----------------------------------


def _read(text: str, name: str = "page.txt", meta: dict[str, Any] | None = None) -> Article:
    return read_article(text.encode("utf-8"), name=name, meta=meta)


@pytest.mark.parametrize(
    ("furniture", "reason"),
    [
        ("5 min read", "widget"),
        ("Share 12 Tweet 3", "widget"),
        ("0 3 min 2 yrs", "widget"),
        ("Missiles on parade in Pyongyang. JOHN SMITH/POOL/AFP via Getty Images", "caption"),
        ("A launch seen on state television. (AFP PHOTO/KCNA VIA", "caption"),
        ("This undated picture released by the state news agency shows a launch.", "caption"),
        ("In this file photo, soldiers watch a test at a base.", "caption"),
        ("Photo: Reuters", "caption"),
    ],
)
def test_line_furniture_is_dropped(furniture: str, reason: str) -> None:
    article = _read(f"{LEAD}\n\n{furniture}\n\n{SECOND}\n")
    assert article.body == f"{LEAD}\n\n{SECOND}"
    assert f"{reason}: {furniture}" in article.removed


@pytest.mark.parametrize(
    "footer",
    [
        "Tags\nMissiles, Diplomacy, Japan",
        "Tags: Missiles, Diplomacy, Japan",
        "Filed under: Asia, Defence",
        "Leave a Reply\n\nYour email address will not be published. Required fields are marked *",
        "Leave a Comment\nName\nEmail\nPost Comment",
        "Related Articles\nSomething else happened somewhere else today, a reporter wrote at length.",
        "Copyright 2021 Some Outlet. All rights reserved.",
        "Subscribe to our newsletter",
        "Trending Now\nSports",
    ],
)
def test_footer_blocks_are_dropped(footer: str) -> None:
    article = _read(f"{LEAD}\n\n{SECOND}\n\n{footer}\n")
    assert article.body == f"{LEAD}\n\n{SECOND}"


def test_header_navigation_title_date_and_outlet() -> None:
    page = (
        "Home | World | Asia\n"
        "Published: March 25, 2021 10:12 am\n"
        "North Korea fires two ballistic missiles into the sea\n"
        "Asia\n"
        "The Seoul Herald\n"
        "North Korea fires two ballistic missiles into the sea\n\n"
        f"{LEAD}\n\n{SECOND}\n"
    )
    article = _read(page)
    assert article.title == "North Korea fires two ballistic missiles into the sea"
    assert article.published == date(2021, 3, 25)
    assert article.date_status == "text"
    assert article.publisher == "The Seoul Herald"
    assert article.body == f"{LEAD}\n\n{SECOND}"
    reasons = [r.split(":", 1)[0] for r in article.removed]
    assert reasons.count("headline repeat") == 1 and "navigation" in reasons


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("date 2021-03-23", date(2021, 3, 23)),
        ("Published 2021-03-23", date(2021, 3, 23)),
        ("March 23, 2021", date(2021, 3, 23)),
        ("Updated: Tuesday, March 23, 2021 4:00 PM", date(2021, 3, 23)),
        ("23 March 2021", date(2021, 3, 23)),
        ("By Jane Roe | Sept. 4, 2022", date(2022, 9, 4)),
    ],
)
def test_date_line_in_header(line: str, expected: date) -> None:
    article = _read(f"{line}\n\n{LEAD}\n\n{SECOND}\n")
    assert article.published == expected
    assert article.body == f"{LEAD}\n\n{SECOND}"


def test_published_date_wins_over_updated() -> None:
    article = _read(f"Updated March 30, 2021\nPublished March 23, 2021\n\n{LEAD}\n\n{SECOND}\n")
    assert article.published == date(2021, 3, 23)


def test_dateline_with_year_gives_date_and_agency() -> None:
    article = _read(f"SEOUL, March 25, 2021 (Yonhap) -- {LEAD}\n\n{SECOND}\n")
    assert article.published == date(2021, 3, 25)
    assert article.publisher == "Yonhap"
    assert article.body.startswith("North Korea fired two")
    assert any(r.startswith("dateline: SEOUL") for r in article.removed)


@pytest.mark.parametrize(
    ("dateline", "expected", "agency"),
    [
        ("CAMP DAVID, Maryland, Aug. 18, 2023 (Pacific Wire) --", date(2023, 8, 18), "Pacific Wire"),
        ("SEOUL, South Korea, March 25, 2021 (AP) \u2014", date(2021, 3, 25), "AP"),
        ("WASHINGTON, D.C., 18 August 2023 (Reuters) -", date(2023, 8, 18), "Reuters"),
    ],
)
def test_dateline_with_a_region_or_british_date(dateline: str, expected: date, agency: str) -> None:
    article = _read(f"{dateline} {LEAD}\n\n{SECOND}\n")
    assert article.published == expected
    assert article.publisher == agency
    assert article.body.startswith("North Korea fired two")


def test_dateline_with_a_region_and_no_date_is_still_a_dateline() -> None:
    article = _read(f"TOKYO, Japan (Kyodo) -- {LEAD}\n\n{SECOND}\n")
    assert article.published is None
    assert article.publisher == "Kyodo"
    assert article.body.startswith("North Korea fired two")


def test_dateline_without_year_takes_the_url_year() -> None:
    article = _read(
        f"SEOUL, March 25 (Yonhap) -- {LEAD}\n\n{SECOND}\n",
        meta={"url": "https://example.org/news/2021/03/25/missiles"},
    )
    assert article.published == date(2021, 3, 25)


def test_dateline_without_any_year_leaves_the_date_unknown() -> None:
    article = _read(f"SEOUL, March 25 (Yonhap) -- {LEAD}\n\n{SECOND}\n")
    assert article.published is None
    assert article.date_status == "unknown"


def test_no_date_is_unknown_never_today() -> None:
    article = _read(f"{LEAD}\n\n{SECOND}\n")
    assert article.published is None
    assert article.date_status == "unknown"


def test_front_matter_wins_and_is_not_text() -> None:
    page = (
        "---\nurl: https://example.org/asia/missiles-fired.html\ntitle: Missiles fired\n"
        "publisher: Example News\ndate: 2021-03-26\n---\n"
        f"March 23, 2021\n\n{LEAD}\n\n{SECOND}\n"
    )
    article = _read(page, name="whatever.md")
    assert article.title == "Missiles fired"
    assert article.publisher == "Example News"
    assert article.published == date(2021, 3, 26)
    assert article.date_status == "metadata"
    assert article.url == "https://example.org/asia/missiles-fired.html"
    assert article.slug == "missiles-fired"
    assert article.body == f"{LEAD}\n\n{SECOND}"


def test_sidecar_metadata(tmp_path: Path) -> None:
    path = tmp_path / "launch.txt"
    path.write_text(f"{LEAD}\n\n{SECOND}\n", encoding="utf-8")
    sidecar = tmp_path / "launch.txt.meta.yaml"
    sidecar.write_text(
        "title: A launch\npublisher: Example Wire\ndate: 'March 26, 2021'\nretrieved: 2021-03-28\n",
        encoding="utf-8",
    )
    assert find_sidecar(path) == sidecar
    assert not is_article_file(sidecar) and is_article_file(path)
    article = read_article(path)
    assert (article.title, article.publisher, article.published, article.retrieved) == (
        "A launch",
        "Example Wire",
        date(2021, 3, 26),
        date(2021, 3, 28),
    )
    assert article.slug == "launch"


def test_front_matter_accessed_is_the_retrieval_day() -> None:
    page = f"---\naccessed: 2024-05-02\n---\n{LEAD}\n\n{SECOND}\n"
    assert _read(page, name="page.md").retrieved == date(2024, 5, 2)
    assert _read(f"{LEAD}\n\n{SECOND}\n", name="page.md").retrieved is None


def test_bad_sidecar_date_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "launch.txt"
    path.write_text(f"{LEAD}\n\n{SECOND}\n", encoding="utf-8")
    (tmp_path / "launch.meta.yaml").write_text("date: not a date at all\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="not a date"):
        read_article(path)


def test_slug_of_stdin_is_stable_and_content_based() -> None:
    a = _read(f"{LEAD}\n\n{SECOND}\n", name="-")
    b = _read(f"{LEAD}\n\n{SECOND}\n", name="-")
    c = _read(f"{SECOND}\n\n{LEAD}\n", name="-")
    assert a.slug == b.slug != c.slug
    assert a.slug.startswith("article-")


def test_crlf_and_unicode_spaces_are_normalised() -> None:
    spaced = SECOND.replace(" ", "\u00a0", 3)
    article = _read(f"{LEAD}\r\n\r\n{spaced}\r\n")
    assert article.body == f"{LEAD}\n\n{SECOND}"


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", r"^empty"),
        (b"  \n\n \t\n", r"^empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"^binary \(NUL byte at offset 8\)"),
        (bytes(range(1, 32)) * 20 + b"some text", r"^binary \(\d+ control characters"),
        (
            "Kim Jong Un a visité la base. Il était là.".encode("latin-1"),
            r"not UTF-8 \(invalid byte 0xe9 at offset 19\)",
        ),
        (b"0 3 min 2 yrs\n\nLeave a Reply\n", r"^empty \(no text left"),
        (
            "Nordkorea hat am Sonntag zwei Raketen abgefeuert, teilte das Militär in Seoul mit. "
            "Die Regierung verurteilte den Test scharf.".encode(),
            r"^not English",
        ),
        (
            "La Corée du Nord a tiré deux missiles dimanche, selon l'armée sud-coréenne, qui parle "
            "d'une provocation grave.".encode(),
            r"^not English",
        ),
        (
            "북한이 일요일 동해상으로 단거리 탄도미사일 두 발을 발사했다고 합동참모본부가 밝혔다.".encode(),
            r"^not English",
        ),
    ],
    ids=["empty", "blank", "png", "controls", "latin-1", "only-furniture", "german", "french", "korean"],
)
def test_bad_input_is_refused_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ArticleError) as info:
        read_article(data, name="bad.txt")
    assert info.value.name == "bad.txt"
    assert re.search(reason, info.value.reason), info.value.reason


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text((LEAD + "\n\n") * 100, encoding="utf-8")
    with pytest.raises(ArticleError, match=r"too large \(\d+ bytes; the limit is 1000\)"):
        read_article(path, max_bytes=1000)
    with pytest.raises(ArticleError, match="too large"):
        read_article(path.read_bytes(), name="big.txt", max_bytes=1000)


def test_short_english_text_passes_the_language_check() -> None:
    assert _read("Missiles fired again.\n").body == "Missiles fired again."


@pytest.mark.parametrize("path", sorted(BAD.glob("*")) if BAD.is_dir() else [], ids=lambda p: p.name)
def test_bad_files_in_the_data_folder_are_refused(path: Path) -> None:
    with pytest.raises(ArticleError):
        read_article(path, max_bytes=10_000)


def test_a_wire_desks_notes_are_furniture_and_its_tag_leaves_the_title() -> None:
    page = (
        "(2nd LD) Seoul and Tokyo agree to share missile warnings in real time\n\n"
        "(ATTN: UPDATES with minister's remarks in paras 5-6)\n"
        "By Staff Reporter\n\n"
        "SEOUL, Nov. 12 (Yonhap) -- South Korea and Japan agreed on Sunday to share warning data on "
        "North Korean missiles as they are fired, the defence ministry said.\n\n"
        "The two countries will link their radars through a U.S. system by the end of the year.\n"
    )
    a = read_article(page.encode(), name="desk-notes.txt")
    assert a.title == "Seoul and Tokyo agree to share missile warnings in real time"
    assert "ATTN" not in a.text and "UPDATES with" not in a.text
    assert "agreed on Sunday to share warning data" in a.text

"""A build of a varied corpus: our own articles, the seeds and the real-news development set,
with mechanical variants of each (Title Case and capital text, exact and near copies,
truncation, furniture, odd Unicode) and some unreadable files. Everything readable is
published, recorded as a duplicate or quarantined with a reason; nothing crashes, and no
more than 2% is quarantined."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg import pipeline
from kg.build_report import BuildSummary
from kg.settings import Settings
from kg.store import open_read_only

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted((ROOT / "tests" / "data" / "articles").glob("*.txt")),
    *sorted((ROOT / "tests" / "data" / "realnews" / "dev" / "articles").glob("*.txt")),
]


def _variants(name: str, text: str, rng: random.Random) -> dict[str, str]:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    head, body = paragraphs[0], paragraphs[1:] or paragraphs
    return {
        f"{name}": text,
        f"{name}-title": "\n\n".join([head.title(), *body]),
        f"{name}-caps": text.upper(),
        f"{name}-copy": text,  # the same story under another name
        f"{name}-rewrapped": "\n\n".join(
            ["A Different Headline For The Same Story", "By Staff Writer", *body[:-1], "Share this article"]
        ),
        f"{name}-cut": text[: max(200, len(text) * 3 // 5)],  # truncated mid-sentence
        f"{name}-unicode": text.replace(" ", "\u00a0", 7).replace("'", "\u2019").replace("e", "e\u200b", 4)
        + " \U0001f680",
        f"{name}-furniture": "\n\n".join(
            [
                rng.choice(["Advertisement", "Skip to content", "Menu Search"]),
                head,
                f" date 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} {body[0]}",
                *body[1:],
                "READ MORE: More on the Korean peninsula",
                "Tags: North Korea, Missiles",
            ]
        ),
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(20261206)
    folder = tmp_path_factory.mktemp("corpus")
    for source in SOURCES:
        for name, text in _variants(source.stem, source.read_text(encoding="utf-8"), rng).items():
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "zz-binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "zz-empty.txt").write_bytes(b"")
    (folder / "zz-latin1.txt").write_bytes("Le missile a été tiré vers la mer.".encode("latin-1"))
    return folder


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildSummary]:
    settings = Settings.load({"store": tmp_path_factory.mktemp("store")}, env={})
    return settings, pipeline.build(settings, seeds=corpus, reasoner=True, progress=False)


@pytest.mark.slow
@pytest.mark.reasoner
def test_a_varied_corpus_is_published_and_every_input_accounted_for(
    corpus: Path, built: tuple[Settings, BuildSummary]
) -> None:
    settings, summary = built
    inputs = sorted(p.name for p in corpus.glob("*.txt"))
    assert len(inputs) >= 200
    assert summary.error is None and summary.published, summary.render()
    outcomes = [
        *summary.articles,
        *(d.name for d in summary.duplicates),
        *(q.name for q in summary.quarantined),
        *(s.name for s in summary.skipped),
    ]
    assert sorted(outcomes) == inputs  # each input in exactly one list
    assert all(q.reason and q.stage for q in summary.quarantined)
    assert {s.name for s in summary.skipped} >= {"zz-binary.txt", "zz-empty.txt", "zz-latin1.txt"}
    readable = len(inputs) - len(summary.skipped)
    assert len(summary.quarantined) <= 0.02 * readable, summary.render()
    # every exact copy is found, and so is every story told again with a new headline
    duplicates = {d.name: d for d in summary.duplicates}
    for source in SOURCES:
        assert f"{source.stem}-copy.txt" in duplicates or f"{source.stem}.txt" in duplicates
        assert f"{source.stem}-rewrapped.txt" in duplicates
    store = open_read_only(settings.store)
    articles = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, None)
        if q.predicate.value.endswith("#sourceFile")
    }
    assert len(articles) == len(summary.articles) + len(summary.duplicates)

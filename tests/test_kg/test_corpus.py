"""A build of a varied corpus: our own articles, the seeds and the real-news development set,
each in one of five forms (as written, Title Case headline, all capitals, odd Unicode, page
furniture with a date header glued to the lead), with three copies of each (the same words
under another name, rewrapped by another outlet, cut short), and some unreadable files.
Everything readable is published, recorded as a duplicate or quarantined with a reason;
nothing crashes, no more than 2% is quarantined, and every copy is found."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg.build import pipeline
from kg.build.report import BuildSummary
from kg.engine.oxigraph.store import open_read_only
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted((ROOT / "tests" / "data" / "articles").glob("*.txt")),
    *sorted((ROOT / "tests" / "data" / "realnews" / "dev" / "articles").glob("*.txt")),
]


FORMS = ("plain", "title", "caps", "unicode", "furniture")


def _form(text: str, form: str, rng: random.Random) -> str:
    """The article as a page of another form shows it."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    head, body = paragraphs[0], paragraphs[1:] or paragraphs
    if form == "title":
        return "\n\n".join([head.title(), *body])
    if form == "caps":
        return text.upper()
    if form == "unicode":
        return (
            text.replace(" ", "\u00a0", 7).replace("'", "\u2019").replace("e", "e\u200b", 4) + " \U0001f680"
        )
    if form == "furniture":
        return "\n\n".join(
            [
                rng.choice(["Advertisement", "Skip to content", "Menu Search"]),
                head,
                f" date 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} {body[0]}",
                *body[1:],
                "READ MORE: More on the Korean peninsula",
                "Tags: North Korea, Missiles",
            ]
        )
    return text


def _variants(name: str, text: str, form: str, rng: random.Random) -> dict[str, str]:
    """The article in one form (extracted), and three copies of it (duplicates): the same
    words under another name, rewrapped by another outlet, and cut short."""
    main = _form(text, form, rng)
    paragraphs = [p for p in main.split("\n\n") if p.strip()]
    body = paragraphs[1:] or paragraphs
    return {
        f"{name}-{form}": main,
        f"{name}-copy": main,
        f"{name}-rewrapped": "\n\n".join(
            ["A Different Headline For The Same Story", "By Staff Writer", *body[:-1], "Share this article"]
        ),
        f"{name}-cut": main[: max(400, len(main) * 3 // 5)],
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(20261206)
    folder = tmp_path_factory.mktemp("corpus")
    for i, source in enumerate(SOURCES):
        text = source.read_text(encoding="utf-8")
        for name, variant in _variants(source.stem, text, FORMS[i % len(FORMS)], rng).items():
            (folder / f"{name}.txt").write_text(variant, encoding="utf-8")
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
    # the merge of all these articles breaks no shape where they meet, and is consistent
    assert not [q for q in summary.quarantined if q.stage in ("shared", "reasoner")]
    assert {s.name for s in summary.skipped} >= {"zz-binary.txt", "zz-empty.txt", "zz-latin1.txt"}
    readable = len(inputs) - len(summary.skipped)
    assert len(summary.quarantined) <= 0.02 * readable, summary.render()
    # of each story's four versions one is extracted and the other three are found as its copies
    duplicates = {d.name: d for d in summary.duplicates}
    for i, source in enumerate(SOURCES):
        names = [f"{source.stem}-{v}.txt" for v in (FORMS[i % len(FORMS)], "copy", "rewrapped", "cut")]
        extracted = [n for n in names if n in summary.articles]
        assert len(extracted) == 1, names
        assert {duplicates[n].of for n in names if n not in extracted} == {
            extracted[0][:-4].replace("_", "-")
        }
    store = open_read_only(settings.store)
    articles = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, None)
        if q.predicate.value.endswith("#sourceFile")
    }
    assert len(articles) == len(summary.articles) + len(summary.duplicates)

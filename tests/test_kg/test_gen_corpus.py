"""The synthetic corpus generator (scripts/gen_corpus.py): deterministic, one file (and a
sidecar where the house style has one) per article, officials in their posts on the
article's date, date phrases that resolve to the events' days, readable by the reader
with the publication date found, and no two articles near-duplicates of each other."""

from __future__ import annotations

import importlib.util
import itertools
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from kg.build.duplicates import NEAR_DUPLICATE_THRESHOLD, containment, shingles
from kg.dates.resolve import resolve
from kg.read.article import read_article
from kg.reference import entry_index, holding_at

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen_corpus.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_corpus", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_corpus"] = module
    spec.loader.exec_module(module)
    return module


gen_corpus = _load()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """150 articles written by the command line, and the same articles with their facts."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(SCRIPT), "--articles", "150", "--seed", "11", "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return out, gen_corpus.generate(150, 11)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_count_and_seed_give_the_same_bytes(tmp_path: Path, corpus: tuple[Path, list]) -> None:
    out, _ = corpus
    again = tmp_path / "again"
    gen_corpus.main(["--articles", "150", "--seed", "11", "--out", str(again)])
    assert _files(again) == _files(out)
    other = tmp_path / "other"
    gen_corpus.main(["--articles", "150", "--seed", "12", "--out", str(other)])
    assert _files(other) != _files(out)


def test_article_n_does_not_depend_on_the_corpus_size(corpus: tuple[Path, list]) -> None:
    _, generated = corpus
    assert [g.text for g in gen_corpus.generate(20, 11)] == [g.text for g in generated[:20]]


def test_n_files_with_sidecars_where_the_style_has_them(corpus: tuple[Path, list]) -> None:
    out, generated = corpus
    texts = sorted(out.glob("g*.txt"))
    assert [p.name for p in texts] == [f"g{i:06d}.txt" for i in range(150)]
    styles = {g.facts["style"] for g in generated}
    assert len(styles) >= 6  # the seeded choice reaches (nearly) every house style
    for g in generated:
        sidecar = out / f"{g.name}.meta.yaml"
        assert sidecar.exists() == (g.facts["style"] in gen_corpus.SIDECAR_STYLES)
        if sidecar.exists():
            meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
            assert set(meta) == {"url", "title", "publisher", "date"}
            assert meta["date"] == date.fromisoformat(g.facts["date"])
            assert re.match(r"https://[a-z.]+\.example\.(com|org|net)/", meta["url"])


def test_texts_read_as_news(corpus: tuple[Path, list]) -> None:
    _, generated = corpus
    for g in generated:
        words = len(g.text.split())
        assert 150 <= words <= 600, (g.name, words)
        assert not re.search(r"\bNone\b|[{}\[\]\x00-\x08\x0b-\x1f]", g.text), g.name
        assert "http" not in g.text  # URLs only in the sidecars, and only example domains


def test_officials_hold_their_posts_on_the_article_date(corpus: tuple[Path, list]) -> None:
    _, generated = corpus
    index = entry_index()
    named = 0
    for g in generated:
        day = date.fromisoformat(g.facts["date"])
        for o in g.facts["officials"]:
            held = [h.post for h in holding_at(o["person"], day)]
            assert o["post"] in held, (g.name, index[o["person"]].label, day)
            assert o["name"] in g.text
            named += 1
    assert named >= 300


def test_events_come_from_the_reference_and_their_dates_resolve(corpus: tuple[Path, list]) -> None:
    _, generated = corpus
    index = entry_index()
    kinds: set[str] = set()
    for g in generated:
        pub = date.fromisoformat(g.facts["date"])
        for e in g.facts["events"]:
            kinds.add(e["kind"])
            day = date.fromisoformat(e["date"])
            assert day <= pub
            assert e["phrase"] in g.text or e["phrase"][:1].upper() + e["phrase"][1:] in g.text
            value = resolve(e["phrase"], pub)
            assert value is not None and value.earliest <= day <= value.latest, (g.name, e["phrase"], day)
            if e["kind"] == "launch":
                weapon = index[e["weapon"]]
                assert weapon.cls == "WeaponSystem"
                assert weapon.weapon_class is not None and weapon.weapon_class.endswith(e["weapon_class"])
                assert index[e["site"]].cls in ("Settlement", "AdministrativeRegion", "MilitaryFacility")
                assert index[e["impact"]].cls == "WaterBody"
    assert {"launch", "exercise", "sanctions", "statement"} <= kinds
    assert kinds & {"summit", "talks", "phone_call", "visit"}


def test_the_reader_reads_every_article_and_finds_the_date(corpus: tuple[Path, list]) -> None:
    out, generated = corpus
    for g in generated:
        article = read_article(out / f"{g.name}.txt")
        assert article.title, g.name
        if g.facts["dated"]:
            assert article.published == date.fromisoformat(g.facts["date"]), (g.name, g.facts["style"])
        else:
            assert article.published is None, g.name


def test_no_two_articles_are_near_duplicates(corpus: tuple[Path, list]) -> None:
    _, generated = corpus
    sets = [shingles(g.text) for g in generated]
    worst, pair = 0.0, (0, 1)
    for i, j in itertools.combinations(range(len(sets)), 2):
        c = len(sets[i] & sets[j]) / min(len(sets[i]), len(sets[j]))
        if c > worst:
            worst, pair = c, (i, j)
    # the same measure as kg.build.duplicates, computed once per text here for speed
    assert containment(generated[pair[0]].text, generated[pair[1]].text) == pytest.approx(worst)
    assert worst < 0.5 < NEAR_DUPLICATE_THRESHOLD

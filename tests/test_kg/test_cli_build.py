"""Smoke tests of `kg build`, `kg ingest`, `kg export` and `kg stats`, in-process through
``kg.cli.main``, and one run of the installed entry point."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_installed_entry_point_shows_help() -> None:
    kg = Path(sys.executable).parent / "kg"
    result = subprocess.run([str(kg), "--help"], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0
    for command in ("build", "ingest", "export", "stats", "serve"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["build", "ingest", "export", "stats"])
def test_command_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "--store" in capsys.readouterr().out


def test_stats_and_export_of_the_built_store(
    built_store: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(built_store.store)
    assert main(["stats", "--store", store]) == 0
    out = capsys.readouterr().out
    assert "articles: 3" in out
    assert "ontology#Article" in out and "graph/article/004-386a12430256cb01" in out
    for fmt, rdf_format in (
        ("trig", ox.RdfFormat.TRIG),
        ("nq", ox.RdfFormat.N_QUADS),
        ("ttl", ox.RdfFormat.TURTLE),
    ):
        target = tmp_path / f"dump.{fmt}"
        assert main(["export", "--store", store, "--format", fmt, "-o", str(target)]) == 0
        parsed = list(ox.parse(target.read_bytes(), rdf_format))
        assert len(parsed) > 1000
    assert list(tmp_path.glob(".dump*")) == []  # no temporary files left


def test_export_to_stdout(built_store: Settings, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "--store", str(built_store.store), "--format", "jsonld"]) == 0
    assert capsysbinary.readouterr().out.lstrip().startswith(b"[")


def test_stats_and_export_without_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", str(tmp_path / "none")]) == 2
    assert main(["export", "--store", str(tmp_path / "none")]) == 2
    assert "run 'kg build' first" in capsys.readouterr().err


@pytest.mark.slow
def test_build_with_a_bad_article_then_ingest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The full command, validation included: exit 1 when an article is skipped."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / "004_386a12430256cb01.txt", seeds)
    (seeds / "latin.txt").write_bytes("Kim Jong Un a visité la base.".encode("latin-1"))
    store = str(tmp_path / "store")
    code = main(["build", "--seeds", str(seeds), "--store", store])
    err = capsys.readouterr().err
    if code == 2 and "DOES NOT CONFORM" in err:
        pytest.fail(f"the seed does not pass validation yet:\n{err[-3000:]}")
    assert code == 1, err
    assert "skipped latin.txt: not UTF-8" in err
    assert main(["ingest", str(SEEDS / "004_386a12430256cb01.txt"), "--store", store]) == 0
    assert "no change" in capsys.readouterr().err

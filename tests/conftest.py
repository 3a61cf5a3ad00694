"""Shared fixtures.

- ``settings`` — :class:`kg.settings.Settings` with the store in the test's own
  ``tmp_path`` (nothing from the environment); for tests that write a store.
- ``built_store`` (session) — the seeds (``seeds/``) built once with ``kg build`` into a
  temporary store; returns that store's Settings. Treat it as read-only: a test that
  ingests or rebuilds must use ``settings`` instead. The build validates with the SHACL
  shapes (the reasoner's check has its own tests, marked ``reasoner``).
- ``seeds_dir`` — the repository's ``seeds/`` folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def make_settings(store: Path, **values: object) -> Settings:
    """Settings with defaults except ``store`` (and ``values``), ignoring the environment."""
    return Settings.load({"store": store, "seeds": SEEDS, **values}, env={})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose store is ``tmp_path / 'store'`` (not yet built)."""
    return make_settings(tmp_path / "store")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seeds built once into a session-wide store; returns its Settings (read-only use)."""
    from kg.build import pipeline

    settings = make_settings(tmp_path_factory.mktemp("built") / "store")
    summary = pipeline.build(settings, reasoner=False, progress=False)
    if summary.exit_code != 0:
        pytest.fail(f"kg build on seeds/ failed:\n{summary.render()}")
    return settings

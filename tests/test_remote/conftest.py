"""Fixtures of the remote-store tests: one scratch Virtuoso server for the session.

``virtuoso`` starts ``virtuoso-t`` on free loopback ports with a scratch database (see
tests/virtuoso_server.py) and stops it after the session. When Virtuoso is missing or
does not start, every test that asks for it fails with the reason: these tests never skip.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from virtuoso_server import VirtuosoServer, remote_settings, start_virtuoso

from kg.build.remote import publish_remote
from kg.settings import Settings

# The live-server helpers of tests/test_server (make_store, start_live_server) serve these
# tests too; pytest puts their folder on the path only when it collects it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "test_server"))

from live_helpers import FIXTURE, make_store


@pytest.fixture(scope="module")
def published(virtuoso: VirtuosoServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The fixture dataset (tests/data/fixture.trig) built locally and published to the
    Virtuoso server; module-scoped, as other modules publish other builds to the same base."""
    store = tmp_path_factory.mktemp("remote-fixture") / "store"
    make_store(store, [FIXTURE])
    settings = remote_settings(store, virtuoso)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in virtuoso.env.items():
            mp.setenv(name, value)
        publish_remote(settings)
        yield settings


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A running scratch Virtuoso (anonymous read-only /sparql; update user in ``.env``)."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()

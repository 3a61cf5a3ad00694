"""Fixtures of the server tests, reused by other test folders.

- ``settings``       (from tests/conftest.py) Settings with a temporary, empty store.
- ``engine``         one worker pool over ``tests/data/fixture.trig`` for the session.
- ``app``            ``create_app(settings, engine=engine)``: the app over the fixture data.
- ``client``         Flask's test client of ``app``.
- ``live_server``    a real ``kg serve --data tests/data/fixture.trig`` process on a free
                     loopback port (session-wide); ``.url`` is its root URL.
- ``start_server``   a factory: ``start_server(data=[...] | store=DIR, env={...})`` starts
                     another live server, stopped at the end of the test.
Helpers (tests/test_server/live_helpers.py): ``start_live_server``, ``LiveServer``,
``make_store(dir, files)`` (a published on-disk store), ``FIXTURE``, ``W3C``.

A live server is ``kg serve`` started as a subprocess with ``--port 0``; the fixture reads
the port it prints, waits for ``/health`` and terminates it afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from live_helpers import FIXTURE, LiveServer, start_live_server

from kg.engine.jobs import FilesSource
from kg.engine.oxigraph.pool import WorkerPool
from kg.settings import Settings
from server.app import close_app, create_app


@pytest.fixture(scope="session")
def engine() -> Iterator[WorkerPool]:
    pool = WorkerPool(FilesSource((str(FIXTURE),)), size=2)
    with pool:
        yield pool


@pytest.fixture
def app(settings: Settings, engine: WorkerPool) -> Iterator[Flask]:
    app = create_app(settings, engine=engine)
    app.config["TESTING"] = True
    yield app
    close_app(app)  # its caches; the session's engine stays up


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = start_live_server(data=[FIXTURE])
    yield server
    server.stop()


@pytest.fixture
def start_server() -> Iterator[Callable[..., LiveServer]]:
    started: list[LiveServer] = []

    def start(**kwargs: object) -> LiveServer:
        server = start_live_server(**kwargs)  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()

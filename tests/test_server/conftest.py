"""Fixtures of the server tests, reused by other test folders.

- ``settings``       Settings for tests (defaults; no environment).
- ``engine``         one worker pool over ``tests/data/fixture.trig`` for the session.
- ``app``            ``create_app(settings, engine=engine)``: the app over the fixture data.
- ``client``         Flask's test client of ``app``.
- ``live_server``    a real ``kg serve --data tests/data/fixture.trig`` process on a free
                     loopback port (session-wide); ``.url`` is its root URL.
- ``start_server``   a factory: ``start_server(data=[...] | store=DIR, env={...})`` starts
                     another live server, stopped at the end of the test.
- ``make_store(dir, files)`` (a function, not a fixture): a published on-disk store.

A live server is ``kg serve`` started as a subprocess with ``--port 0``; the fixture reads
the port it prints, waits for ``/health`` and terminates it afterwards.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from kg.settings import Settings
from kg.store import new_build_dir, publish, write_build
from kg.workers import FilesSource, WorkerPool, load_files
from server.app import create_app

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURE = DATA / "fixture.trig"
W3C = DATA / "w3c"
BASE = "https://w3id.org/peninsula/"


@pytest.fixture
def settings() -> Settings:
    return Settings.load(env={})


@pytest.fixture(scope="session")
def engine() -> Iterator[WorkerPool]:
    pool = WorkerPool(FilesSource((str(FIXTURE),)), size=2)
    with pool:
        yield pool


@pytest.fixture
def app(settings: Settings, engine: WorkerPool) -> Flask:
    app = create_app(settings, engine=engine)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def make_store(store_dir: Path, files: Sequence[Path]) -> Path:
    """Publish ``files`` as a build of an on-disk store in ``store_dir``; returns the build."""
    import pyoxigraph as ox

    memory = ox.Store()
    load_files(memory, [str(f) for f in files])
    named = [q for q in memory if not isinstance(q.graph_name, ox.DefaultGraph)]
    build = new_build_dir(store_dir)
    write_build(build, named)
    publish(store_dir, build)
    return build


@dataclass
class LiveServer:
    process: subprocess.Popen[str]
    url: str  # root URL, ending with '/'
    output: list[str]

    @property
    def sparql(self) -> str:
        return self.url + "sparql"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_live_server(
    *,
    data: Sequence[Path] | None = None,
    store: Path | None = None,
    env: Mapping[str, str] | None = None,
    startup_timeout_s: float = 60.0,
) -> LiveServer:
    """Start ``kg serve`` on 127.0.0.1 with a free port and wait until /health answers."""
    args = [sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1", "--port", "0"]
    if store is not None:
        args += ["--store", str(store)]
    if data:
        args += ["--data", *map(str, data)]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PENINSULA_")}
    environment.update(env or {})
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
    )
    output: list[str] = []
    found = threading.Event()
    url: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            match = re.search(r"listening on (http://\S+/)", line)
            if match and not url:
                url.append(match.group(1))
                found.set()

    threading.Thread(target=read, daemon=True).start()
    server = LiveServer(process, "", output)
    deadline = time.monotonic() + startup_timeout_s
    if not found.wait(startup_timeout_s) or process.poll() is not None:
        server.stop()
        raise RuntimeError("kg serve did not start:\n" + "".join(output))
    server.url = url[0]
    while time.monotonic() < deadline:
        try:
            if requests.get(server.url + "health", timeout=5).status_code == 200:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError("kg serve never became healthy:\n" + "".join(output))


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

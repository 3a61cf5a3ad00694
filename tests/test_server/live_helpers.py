"""Helpers of the live-server tests: start ``kg serve`` as a subprocess on a free loopback
port, and publish small on-disk stores. Imported by tests/test_server/conftest.py and by
tests that need their own server (``from live_helpers import start_live_server``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import requests

from kg.engine.oxigraph.core import load_files
from kg.engine.oxigraph.store import new_build_dir, publish, write_build

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURE = DATA / "fixture.trig"
W3C = DATA / "w3c"
BASE = "https://w3id.org/peninsula/"


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
    reader: threading.Thread | None = None

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
        if self.reader is not None:
            self.reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_live_server(
    *,
    data: Sequence[Path] | None = None,
    store: Path | None = None,
    env: Mapping[str, str] | None = None,
    startup_timeout_s: float = 60.0,
) -> LiveServer:
    """Start ``kg serve`` on 127.0.0.1 with a free port and wait until /health answers."""
    args = [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", "0"]
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

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    server = LiveServer(process, "", output, reader)
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

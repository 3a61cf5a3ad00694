"""The endpoint probed as an attacker or a careless client would (issue 16), against real
``kg serve`` processes on loopback: slow queries do not starve cheap ones, a query over the
memory limit is stopped, slow connections do not stop /health, Content-Length with
Transfer-Encoding closes the connection, and an update server's rule for new builds.

Every loop here is bounded in count and time and targets 127.0.0.1 only. No assertion is
on a duration: the figures (latencies under load) are measured by scripts/bench_abuse.py.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from live_helpers import FIXTURE, LiveServer, make_store

pytestmark = pytest.mark.live

# A query that runs for tens of seconds on the fixture (141 triples, a 4-way cross product);
# ``n`` makes each text distinct.
SLOW = "SELECT (COUNT(*) AS ?n) {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l FILTER(?l != {n}) }}"
# One row whose string grows past any small memory limit (2.8 M concatenations).
HUNGRY = (
    "SELECT (GROUP_CONCAT(CONCAT(STR(?a), STR(?b), STR(?c), STR(?d), STR(?e)); separator=' ') AS ?x) "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
)


@pytest.fixture(scope="module")
def busy_server() -> Iterator[LiveServer]:
    """Two general workers, one short one, a 6 s limit, and a 150 MiB memory limit."""
    from live_helpers import start_live_server

    server = start_live_server(
        data=[FIXTURE],
        env={
            "PENINSULA_QUERY_TIMEOUT_S": "6",
            "PENINSULA_QUERY_MEMORY_MB": "150",
            "PENINSULA_REQUEST_READ_TIMEOUT_S": "2",
        },
    )
    yield server
    server.stop()


def _ask(server: LiveServer) -> requests.Response:
    return requests.get(
        server.sparql,
        params={"query": "ASK {}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )


def test_cheap_queries_are_answered_while_more_slow_queries_run_than_there_are_workers(
    busy_server: LiveServer,
) -> None:
    """N = workers + 2 slow queries (4) keep both general workers busy and queue; ASK {}
    is answered meanwhile, by the worker kept for short queries, before any slow one ends."""
    done: list[int] = []

    def slow(n: int) -> None:
        response = requests.get(busy_server.sparql, params={"query": SLOW.format(n=n)}, timeout=60)
        done.append(response.status_code)

    threads = [threading.Thread(target=slow, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
        time.sleep(0.3)  # let each take its worker (or move past the short lane) in order
    time.sleep(1.0)
    answered = []
    for _ in range(10):
        response = _ask(busy_server)
        answered.append(response.status_code)
        assert response.json()["boolean"] is True
    still_running = len(done)
    health = requests.get(busy_server.url + "health", timeout=30)
    for t in threads:
        t.join(90)
    assert answered == [200] * 10
    assert health.status_code == 200
    assert still_running == 0, "the slow queries ended before the cheap ones were answered"
    # the slow ones ended by the time limit or the wait limit, each with a 503 and a reason
    assert sorted(set(done)) == [503]


def test_a_query_over_the_memory_limit_is_stopped_and_the_service_goes_on(busy_server: LiveServer) -> None:
    response = requests.get(busy_server.sparql, params={"query": HUNGRY}, timeout=60)
    assert response.status_code == 503, response.text[:300]
    error = response.json()["error"]
    assert error["title"] == "Query Over Memory Limit"
    assert "150 MiB" in error["message"]
    assert response.headers["Retry-After"]
    assert _ask(busy_server).status_code == 200
    assert requests.get(busy_server.url + "health", timeout=30).json()["status"] == "ok"


def _trickle(sockets: list[socket.socket], port: int, count: int) -> None:
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        sockets.append(s)


def test_two_hundred_slow_connections_do_not_stop_health(busy_server: LiveServer) -> None:
    port = int(busy_server.url.rsplit(":", 1)[1].strip("/"))
    sockets: list[socket.socket] = []
    try:
        _trickle(sockets, port, 200)
        for i in range(3):  # keep trickling: a byte each, so the connections are not idle
            for s in sockets:
                with contextlib.suppress(OSError):
                    s.send(b"a")
            response = requests.get(busy_server.url + "health", timeout=10)
            assert response.status_code == 200, i
            time.sleep(0.3)
        # a request not read whole within request_read_timeout_s (2 s) is disconnected
        closed = 0
        deadline = time.monotonic() + 15
        probe = sockets[0]
        while time.monotonic() < deadline:
            try:
                probe.send(b"a")
                probe.settimeout(1)
                if probe.recv(1024) == b"":
                    closed = 1
                    break
            except TimeoutError:
                continue
            except OSError:
                closed = 1
                break
        assert closed, "a connection trickling its headers was kept past the read limit"
    finally:
        for s in sockets:
            s.close()


def _raw_exchange(port: int, payload: bytes) -> tuple[bytes, bool]:
    """Send ``payload`` on one connection; read until the server closes it (or 10 s)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(payload)
        data = b""
        closed = False
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                closed = True
                break
            data += chunk
        return data, closed


def test_content_length_with_transfer_encoding_closes_the_connection(busy_server: LiveServer) -> None:
    port = int(busy_server.url.rsplit(":", 1)[1].strip("/"))
    body = b"query=ASK%20%7B%7D"
    smuggled = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(body):x}".encode()
        + b"\r\n"
        + body
        + b"\r\n0\r\n\r\n"
        + b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    data, closed = _raw_exchange(port, smuggled)
    assert closed
    assert data.split(b"\r\n", 1)[0].split()[1] == b"400"
    assert b"Connection: close" in data
    assert data.count(b"HTTP/1.") == 1, "the pipelined request after it was served"
    # the same request without Content-Length is served, and the pipelined one too
    fine = smuggled.replace(b"Content-Length: 4\r\n", b"").replace(
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n",
    )
    data, closed = _raw_exchange(port, fine)
    assert data.startswith(b"HTTP/1.1 200") and data.count(b"HTTP/1.1 200") == 2


def test_an_update_server_keeps_its_copy_and_names_a_newer_build(
    tmp_path: Path, start_server: Callable[..., LiveServer]
) -> None:
    """The rule: an update server serves its private copy of the build it started on (with
    its updates) until restarted; /health names the newer published build."""
    store = tmp_path / "store"
    first = tmp_path / "a.trig"
    first.write_text("<http://ex/g> { <http://ex/a> <http://ex/p> 'first' . }\n", encoding="utf-8")
    second = tmp_path / "b.trig"
    second.write_text("<http://ex/g> { <http://ex/a> <http://ex/p> 'second' . }\n", encoding="utf-8")
    make_store(store, [first])
    server = start_server(store=store, env={"PENINSULA_UPDATE_TOKEN": "rule-token"})
    before = requests.get(server.url + "health", timeout=10).json()
    assert before["newer_build_published"] is False and before["copy_of_build"]
    time.sleep(1.1)  # build folders are named by the second
    make_store(store, [second])
    after = requests.get(server.url + "health", timeout=10).json()
    assert after["newer_build_published"] is True
    assert after["published_build"] != after["copy_of_build"] == before["copy_of_build"]
    rows = requests.get(
        server.sparql, params={"query": "SELECT ?o { <http://ex/a> <http://ex/p> ?o }"}, timeout=10
    ).json()["results"]["bindings"]
    assert [r["o"]["value"] for r in rows] == ["first"]


def test_wrong_tokens_are_logged_by_the_server_without_the_token(
    start_server: Callable[..., LiveServer],
) -> None:
    token, guess = "the-real-token-0123456789", "a-wrong-guess-9876543210"
    server = start_server(data=[FIXTURE], env={"PENINSULA_UPDATE_TOKEN": token})
    for _ in range(3):
        response = requests.post(
            server.sparql,
            data={"update": "CLEAR ALL"},
            headers={"Authorization": f"Bearer {guess}"},
            timeout=10,
        )
        assert response.status_code == 401
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "(3 in the last minute)" not in "".join(server.output):
        time.sleep(0.1)
    output = "".join(server.output)
    assert "WARNING: wrong or missing update token from 127.0.0.1 on /sparql (3 in the last minute)" in output
    assert token not in output and guess not in output

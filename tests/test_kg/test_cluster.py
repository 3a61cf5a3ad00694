"""``kg build --scheduler``: extraction on a real Dask cluster (a ``dask scheduler`` and two
``dask worker`` processes on loopback, started here with the project's Python) publishes the
same graph as the local build, quarantines an article whose extraction raises as the local
build does; a batch that kills its workers and an unreachable scheduler stop the build with
the previous one left live."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.build import pipeline
from kg.engine.oxigraph.store import current_build
from kg.errors import BuildError
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BUGS = Path(__file__).with_name("cluster_bugs.py")
PROV_ENDED = "<http://www.w3.org/ns/prov#endedAtTime>"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(BIN / "dask"), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=log.parent,
            start_new_session=True,
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the process and its children (a worker's nanny starts the worker process)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler with two one-thread workers, each in its own process."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("cluster")
    address = f"tcp://127.0.0.1:{_free_port()}"
    # A batch is given up after the first worker it kills (Dask's default tries three more:
    # each costs a worker restart, a model load, here).
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    procs = [
        _start(
            ["scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
            logs / "scheduler.log",
            env,
        )
    ]
    try:
        for i in range(2):
            worker = ["worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1"]
            procs.append(_start([*worker, "--no-dashboard", "--preload", str(BUGS)], logs / f"worker{i}.log"))
        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


def _kg_build(
    seeds: Path, store: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], dict]:
    report = store.parent / f"{store.name}.report.json"
    done = subprocess.run(
        [
            str(BIN / "kg"),
            "build",
            "--seeds",
            str(seeds),
            "--store",
            str(store),
            "--report",
            str(report),
            *extra,
        ],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
    )
    return done, json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}


def _nquads(store: Path) -> list[str]:
    """The published dataset as sorted N-Quads, without the run's end time (blank nodes
    are named canonically by the build, so the same data gives the same lines)."""
    out = subprocess.run(
        [str(BIN / "kg"), "export", "--store", str(store), "--format", "nq"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(line for line in out.splitlines() if line and PROV_ENDED not in line)


def _corpus(folder: Path, n: int, seed: int) -> Path:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "gen_corpus.py"),
            "--articles",
            str(n),
            "--seed",
            str(seed),
            "--out",
            str(folder),
        ],
        check=True,
        capture_output=True,
    )
    return folder


@pytest.mark.dask
@pytest.mark.slow
def test_a_build_on_the_cluster_publishes_the_graph_of_the_local_build(cluster: str, tmp_path: Path) -> None:
    seeds = _corpus(tmp_path / "in", 10, seed=14)
    for path in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(path, seeds / path.name)
    local, local_report = _kg_build(seeds, tmp_path / "local")
    assert local.returncode == 0, local.stderr
    remote, remote_report = _kg_build(seeds, tmp_path / "remote", "--scheduler", cluster)
    assert remote.returncode == 0, remote.stderr
    assert remote_report["published_articles"] == local_report["published_articles"]
    assert len(remote_report["published_articles"]) == 13
    local_quads, remote_quads = _nquads(tmp_path / "local"), _nquads(tmp_path / "remote")
    assert len(local_quads) > 10_000
    assert remote_quads == local_quads


@pytest.mark.dask
def test_an_article_whose_extraction_raises_on_a_worker_is_quarantined_and_the_rest_published(
    cluster: str, tmp_path: Path
) -> None:
    seeds = _corpus(tmp_path / "in", 3, seed=15)
    (seeds / "g000001.txt").rename(seeds / "g000001-plants-a-bug.txt")
    done, report = _kg_build(
        seeds, tmp_path / "store", "--scheduler", cluster, env={"PENINSULA_SCHEDULER": ""}
    )
    assert done.returncode == 1, done.stderr
    (q,) = report["quarantined"]
    assert (q["name"], q["stage"]) == ("g000001-plants-a-bug.txt", "extract")
    assert q["reason"].startswith("KeyError: 'Meeting' (at ")
    assert sorted(report["published_articles"]) == ["g000000.txt", "g000002.txt"]


@pytest.mark.dask
def test_kg_ingest_extracts_on_the_cluster_too(cluster: str, tmp_path: Path) -> None:
    seeds = _corpus(tmp_path / "in", 2, seed=17)
    (seeds / "g000001.txt").rename(seeds / "g000001-plants-a-bug.txt")  # the bug is on the workers only
    done = subprocess.run(
        [str(BIN / "kg"), "ingest", str(seeds), "--store", str(tmp_path / "store")],
        env={**os.environ, "PENINSULA_SCHEDULER": cluster},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr
    assert "quarantined g000001-plants-a-bug.txt at extract: KeyError" in done.stderr
    assert current_build(tmp_path / "store") is not None


@pytest.mark.dask
def test_a_batch_that_kills_its_worker_stops_the_build_and_leaves_the_previous_one_live(
    cluster: str, tmp_path: Path
) -> None:
    seeds, store = _corpus(tmp_path / "in", 2, seed=16), tmp_path / "store"
    first, _ = _kg_build(seeds, store, "--scheduler", cluster)
    assert first.returncode == 0, first.stderr
    live = current_build(store)
    (seeds / "g000001.txt").rename(seeds / "g000001-kills-its-worker.txt")
    done, _ = _kg_build(seeds, store, "--scheduler", cluster)
    assert done.returncode == 2, done.stderr
    assert "kg build: error: Dask workers died on every try of the batch of " in done.stderr
    assert "g000001-kills-its-worker.txt" in done.stderr
    assert "nothing published, the live build is unchanged" in done.stderr
    assert current_build(store) == live
    assert sorted(p.name for p in (store / "builds").iterdir() if p.is_dir()) == [live.name]


def test_an_unreachable_scheduler_stops_the_build_and_leaves_the_previous_one_live(tmp_path: Path) -> None:
    seeds = tmp_path / "in"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "004_386a12430256cb01.txt", seeds)
    store = tmp_path / "store"
    first, _ = _kg_build(seeds, store)
    assert first.returncode == 0, first.stderr
    live = current_build(store)
    nowhere = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    done, _ = _kg_build(
        seeds, store, env={"PENINSULA_SCHEDULER": nowhere, "PENINSULA_SCHEDULER_TIMEOUT_S": "1"}
    )
    assert done.returncode == 2
    assert f"kg build: error: cannot reach the Dask scheduler at {nowhere}" in done.stderr
    assert "nothing published, the live build is unchanged" in done.stderr
    assert "Traceback" not in done.stderr
    assert current_build(store) == live
    assert sorted(p.name for p in (store / "builds").iterdir() if p.is_dir()) == [live.name]


@pytest.mark.parametrize("address", ["nonsense", "http://127.0.0.1:8786", "tcp://127.0.0.1"])
def test_a_malformed_scheduler_address_is_refused_with_the_reason(
    address: str, settings: Settings, tmp_path: Path
) -> None:
    seeds = tmp_path / "in"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "004_386a12430256cb01.txt", seeds)
    with pytest.raises(BuildError, match=f"not a Dask scheduler address: {address} .*nothing published"):
        pipeline.build(settings.with_(scheduler=address), seeds=seeds, progress=False)
    assert current_build(settings.store) is None
    assert not any(p.is_dir() for p in (Path(settings.store) / "builds").iterdir())

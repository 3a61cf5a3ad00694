"""One article never stops a build: odd inputs, limits applied while reading, ids that never
collide, duplicates recorded once, the root causes seen on real news, the checks of what
articles share, and a killed build that leaves no process and no lock behind."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef

from kg.build import pipeline
from kg.build.duplicates import NEAR_DUPLICATE_THRESHOLD, StoryIndex, containment, jaccard
from kg.build.ingest import ingest
from kg.engine.oxigraph.store import current_build, live_report, open_read_only
from kg.errors import ArticleError
from kg.extract.annotate import annotate
from kg.extract.batch import facts_of
from kg.namespaces import PEN
from kg.rdf.mapping import article_graph
from kg.read.article import MAX_TEXT_CHARS, read_article, read_bounded
from kg.read.inputs import assign_ids, collect_files, read_all
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "data" / "articles"
BASE = "https://w3id.org/peninsula/"


@pytest.fixture(scope="module")
def checks() -> object:
    return pipeline.make_checks(
        str(Settings.load(env={}).ontology_dir), BASE, pipeline.current_run(), reasoner=False
    )


def _graph_of(text: str, name: str = "x.txt") -> Graph:
    article = read_article(text.encode("utf-8"), name=name)
    (doc,) = list(annotate([article.text], base=BASE))
    return article_graph(facts_of(article, doc, base=BASE), base=BASE, run=pipeline.current_run())


# --- reading: limits, encodings, odd folder entries ---------------------------------------------


class _Endless(io.RawIOBase):
    """A stream that never ends (as a pipe from a runaway process)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        buffer[:] = b"x" * len(buffer)
        self.total = getattr(self, "total", 0) + len(buffer)
        return len(buffer)


def test_a_stream_is_read_no_further_than_the_limit() -> None:
    stream = _Endless()
    with pytest.raises(ArticleError, match=r"too large \(more than 1000 bytes"):
        read_bounded(io.BufferedReader(stream), 1000, "-")
    assert stream.total < 1000 + io.DEFAULT_BUFFER_SIZE * 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_decoded(encoding: str) -> None:
    text = "North Korea fired a ballistic missile into the sea on Sunday, the South's military said."
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert read_article(data, name="a.txt").body == text


def test_a_text_longer_than_the_model_reads_is_refused_with_the_reason() -> None:
    paragraph = "North Korea fired a missile into the sea on Sunday, officials said. " * 50 + "\n\n"
    data = (paragraph * (MAX_TEXT_CHARS // len(paragraph) + 2)).encode()
    with pytest.raises(
        ArticleError, match=r"too long for the language model \(.* it reads at most 1,000,000\)"
    ):
        read_article(data, name="long.txt", max_bytes=len(data))


def test_every_odd_folder_entry_is_reported_and_none_blocks(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "North Korea fired a missile on Sunday, officials said.", encoding="utf-8"
    )
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    outside = tmp_path / "secret.txt"
    outside.write_text("not for reading", encoding="utf-8")
    (folder / "out.txt").symlink_to(outside)
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    os.mkfifo(folder / "pipe.txt")
    files, skipped = collect_files([folder])
    assert [f.name for f in files] == ["good.txt", "inside.txt"]
    reasons = {s.name: s.reason for s in skipped}
    assert reasons["loop.txt"] == "a symbolic link loop"
    assert reasons["dangling.txt"].startswith("a dangling symbolic link (to ")
    assert reasons["out.txt"].startswith("a symbolic link out of the folder (to ")
    assert reasons["pipe.txt"] == "a FIFO, not a regular file"
    assert len(skipped) == 4


def test_a_credit_above_the_body_is_a_caption_not_the_start_of_the_footer() -> None:
    page = (
        "Council Widens Sanctions On Pyongyang\n\n"
        "© AFP 2023 / JOHN ROE Diplomats raise their hands in a vote at the United Nations headquarters in New York\n"
        "Diplomats raise their hands in a vote at the United Nations headquarters in New York - Example News\n"
        "Subscribe\n"
        "The Security Council voted on Friday to widen the sanctions on North Korea after its latest missile test.\n\n"
        "NEW YORK (Example News) — The vote had been put off for a day at the request of one member.\n\n"
        "READ MORE:\n"
        "The Council has voted on such sanctions nine times since 2006, each time after a test by the North.\n\n"
        "© 2023 Example News. All rights reserved.\n"
        "Related stories\n"
        "North Korea fires two missiles toward the sea"
    )
    article = read_article(page.encode(), name="p.txt")
    assert article.body.startswith("The Security Council voted on Friday")
    assert "Diplomats raise" not in article.text and "All rights reserved" not in article.text
    assert "at the request of one member." in article.body
    assert "nine times since 2006" in article.body and "READ MORE" not in article.body


# --- ids ----------------------------------------------------------------------------------------


def _with_url(url: str, text: str) -> bytes:
    return f"---\nurl: {url}\n---\n{text}\n".encode()


def test_two_articles_whose_urls_end_alike_get_two_ids_and_keep_them(
    tmp_path: Path, settings: Settings
) -> None:
    world = _with_url(
        "https://news.example.com/world/index.html",
        "North Korea fired two missiles into the sea off its east coast on Sunday, and the launch was the third of the year, officials in Seoul said.",
    )
    asia = _with_url(
        "https://news.example.com/asia/index.html",
        "The foreign ministers of Japan and South Korea held talks in Tokyo on Monday and agreed to meet again in the spring, officials said.",
    )
    articles, skipped = read_all([("a.txt", world), ("b.txt", asia)], max_bytes=10_000)
    assert skipped == [] and [a.slug for a in articles] == ["index", "index"]
    ided, notes = assign_ids(articles)
    assert ided[0].slug == "index" and ided[1].slug.startswith("index-") and len(ided[1].slug) == 14
    assert "belongs to another article" in notes[0]

    assert (
        ingest(settings, [("a.txt", world), ("b.txt", asia)], reasoner=False, progress=False).exit_code == 0
    )
    again = ingest(settings, [("b.txt", asia.replace(b"Monday", b"Tuesday"))], reasoner=False, progress=False)
    assert again.exit_code == 0
    assert f"b.txt: replaced the article '{ided[1].slug}' in the store" in again.notes
    graphs = {g.value for g in open_read_only(settings.store).named_graphs() if isinstance(g, ox.NamedNode)}
    assert {BASE + "graph/article/index", BASE + f"graph/article/{ided[1].slug}"} <= graphs


# --- duplicates ---------------------------------------------------------------------------------


STORY = (ARTICLES / "09_hwasong17_2022.txt").read_text(encoding="utf-8")


def _rewrapped(story: str) -> str:
    """The same wire story as another outlet runs it: its own headline and byline, share
    furniture, and the last paragraph cut."""
    paragraphs = [p for p in story.split("\n\n") if p.strip()]
    body = "\n\n".join(paragraphs[1:-1])
    return f"Pyongyang Tests Its Largest Missile Yet\n\nBy Staff Writer\n\n{body}\n\nShare this article\n"


def test_the_duplicate_threshold_separates_copies_from_other_stories() -> None:
    copy = read_article(_rewrapped(STORY).encode(), name="copy.txt").body
    original = read_article(STORY.encode(), name="orig.txt").body
    cut = original[: len(original) * 3 // 5]
    assert containment(original, copy) >= NEAR_DUPLICATE_THRESHOLD + 0.1
    assert containment(original, cut) >= NEAR_DUPLICATE_THRESHOLD + 0.1 > 0.7 > jaccard(original, cut)
    others = [read_article(p.read_bytes(), name=p.name).body for p in sorted(ARTICLES.glob("*.txt"))]
    worst = max(containment(a, b) for i, a in enumerate(others) for b in others[i + 1 :])
    assert worst < NEAR_DUPLICATE_THRESHOLD - 0.4  # distinct stories, even of one event (07 and 08)
    index = StoryIndex()
    index.add("orig", original)
    assert index.find(copy) is not None and index.find(copy).kind == "near"  # type: ignore[union-attr]
    assert index.find(original).kind == "exact"  # type: ignore[union-attr]
    assert index.find(original, ignore="orig") is None
    assert index.find(cut).kind == "near"  # type: ignore[union-attr]
    # an article ingested again with other words replaces its story: its old words match nothing
    index.add("orig", others[0])
    assert index.find(original) is None and index.find(others[0]).key == "orig"  # type: ignore[union-attr]


def test_copies_of_a_story_are_recorded_once_with_every_publication(
    tmp_path: Path, settings: Settings
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_wire.txt").write_text(STORY, encoding="utf-8")
    (folder / "b_same_words.txt").write_text(STORY, encoding="utf-8")
    (folder / "c_other_outlet.txt").write_text(_rewrapped(STORY), encoding="utf-8")
    summary = pipeline.build(settings, seeds=folder, reasoner=False, progress=False)
    assert summary.exit_code == 0, summary.render()
    assert summary.articles == ["a_wire.txt"]
    assert {(d.name, d.of, d.kind) for d in summary.duplicates} == {
        ("b_same_words.txt", "a-wire", "exact"),
        ("c_other_outlet.txt", "a-wire", "near"),
    }
    store = open_read_only(settings.store)
    copies = {
        q.subject.value
        for q in store.quads_for_pattern(None, ox.NamedNode(str(PEN.duplicateOf)), None, ox.DefaultGraph())
    }
    assert copies == {BASE + "resource/article/b-same-words", BASE + "resource/article/c-other-outlet"}
    # each event is reported by one article, not three
    rows = store.query(
        f"SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?e <{PEN.reportedIn}> ?a }} GROUP BY ?e"
    )
    assert {int(row["n"].value) for row in rows} == {1}  # type: ignore[union-attr,index]


# --- the root causes seen on real news ------------------------------------------------------------


def test_a_mention_across_a_sentence_split_after_an_abbreviation_stays_in_one_sentence(
    checks: object,
) -> None:
    graph = _graph_of(
        "SEOUL, March 18, 2023 -- U.S. Secretary of Defense Lloyd Austin arrived in Seoul on Monday. "
        "He met South Korea's defense minister, Gen. Lee Jong-sup, on Sept. 3 as planned."
    )
    sentences = sorted(str(graph.value(s, PEN.anchorOf)) for s in graph.subjects(RDF.type, PEN.Sentence))
    assert any(s.startswith("U.S. Secretary of Defense Lloyd Austin arrived") for s in sentences)
    assert any("Gen. Lee Jong-sup, on Sept. 3 as planned." in s for s in sentences)
    assert checks.article(graph) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "headline",
    [
        "UN Security Council Calls Emergency Meeting After North Korea Fires ICBM",
        "UN SECURITY COUNCIL CALLS EMERGENCY MEETING AFTER NORTH KOREA FIRES ICBM",
        "Kim Jong Un Holds Summit With Putin, Vows To Launch More Missiles",
    ],
)
def test_title_case_and_capital_headlines_are_read_like_any_text(headline: str, checks: object) -> None:
    graph = _graph_of(
        f"{headline}\n\nSEOUL, March 24, 2022 (Yonhap) -- North Korea fired an intercontinental "
        "ballistic missile on Thursday, the military said."
    )
    launches = list(graph.subjects(RDF.type, PEN.MissileLaunch))
    assert len(launches) == 1
    assert checks.article(graph) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "The sanctions were unjust and would be answered, said Foreign Ministry spokesperson Jane Miller on Tuesday.",
        "The sanctions were unjust and would be answered, said spokesperson Jane Miller on Tuesday.",
        "The drills were a rehearsal for invasion, spokeswoman Jane Miller told reporters on Tuesday.",
    ],
)
def test_every_post_stated_is_a_post_of_a_state_or_body(text: str, checks: object) -> None:
    graph = _graph_of(text)
    for post in graph.subjects(RDF.type, PEN.Post):
        assert graph.value(post, PEN.postIn) is not None, post
        assert "/post/unknown/" not in str(post)
    assert checks.article(graph) == []  # type: ignore[attr-defined]


# --- what articles share --------------------------------------------------------------------------


def _event_graph(name: str, label: str) -> tuple[URIRef, Graph]:
    graph = Graph()
    event = URIRef(BASE + "resource/launch/shared")
    for triple in _graph_of("North Korea fired a missile on Sunday, officials said.", name=f"{name}.txt"):
        graph.add(triple)
    graph.add((event, RDF.type, PEN.MissileLaunch))
    graph.add((event, PEN.datePrecision, PEN.DayPrecision))
    graph.add((event, PEN.date, Literal(label)))  # a plain string where a date is due
    return pipeline.article_graph_name(name, BASE), graph


def test_a_shared_node_that_breaks_a_shape_names_the_graphs_that_join_it(checks: object) -> None:
    first, second = _event_graph("one", "2022-01-01"), _event_graph("two", "2022-01-02")
    graphs = dict([first, second])
    failing = checks.shared(graphs, {URIRef(BASE + "resource/launch/shared")})  # type: ignore[attr-defined]
    assert set(failing) == {first[0], second[0]}
    blamed = pipeline.blame(failing, graphs, {})
    assert set(blamed) == {second[0]}  # the first report stands; the one that joins it goes
    assert set(pipeline.blame(failing, {second[0]: second[1]}, {first[0]: first[1]})) == {second[0]}


@pytest.mark.reasoner
def test_the_reasoner_finds_the_one_inconsistent_graph_of_a_batch() -> None:
    checks = pipeline.make_checks(str(Settings.load(env={}).ontology_dir), BASE, pipeline.current_run())
    graphs = {}
    for i in range(5):
        g = Graph()
        g.add((URIRef(f"{BASE}resource/person/p{i}"), RDF.type, PEN.Person))
        graphs[URIRef(f"{BASE}graph/article/a{i}")] = g
    graphs[URIRef(f"{BASE}graph/article/a3")].add((URIRef(f"{BASE}resource/person/p3"), RDF.type, PEN.State))
    assert checks.inconsistent(graphs) == [URIRef(f"{BASE}graph/article/a3")]


# --- the whole build -----------------------------------------------------------------------------


def test_the_build_report_is_kept_beside_the_build_and_written_on_request(
    tmp_path: Path, settings: Settings
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        (ARTICLES / "03_hwasong15_2017.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "bad.txt").write_bytes(b"\x00\x01binary")
    report_file = tmp_path / "report.json"
    summary = pipeline.build(settings, seeds=folder, reasoner=False, progress=False, report_file=report_file)
    assert summary.exit_code == 1
    written = json.loads(report_file.read_text(encoding="utf-8"))
    beside = live_report(settings.store)
    assert beside is not None
    # the same report, but that the one beside the build was written before the write ended
    assert {k: v for k, v in written.items() if k != "timings"} == {
        k: v for k, v in beside.items() if k != "timings"
    }
    assert written["counts"] == {
        "published": 1,
        "unchanged": 0,
        "duplicates": 0,
        "quarantined": 0,
        "skipped": 1,
    }
    assert written["skipped"] == [{"name": "bad.txt", "reason": "binary (NUL byte at offset 0)"}]
    assert written["build"] == current_build(settings.store).name  # type: ignore[union-attr]


def _distinct_articles(folder: Path, n: int) -> None:
    """``n`` short, distinct articles (no two copies of one story)."""
    folder.mkdir()
    states = ["North Korea", "South Korea", "Japan", "China", "Russia", "the United States"]
    for i in range(n):
        state = states[i % len(states)]
        (folder / f"a{i:03d}.txt").write_text(
            f"SEOUL, March {1 + i % 28}, {2017 + i % 7} -- {state} said on Monday it had held talks number {i} "
            f"with officials from {states[(i + 1) % len(states)]} about missile number {i * 7}. "
            f"A spokesperson said the {i}th round would follow in {2018 + i % 6}.",
            encoding="utf-8",
        )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        out += [int(x) for x in text.split()]
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_killed_build_leaves_no_worker_and_no_lock_behind(tmp_path: Path, sig: signal.Signals) -> None:
    seeds, store = tmp_path / "seeds", tmp_path / "store"
    _distinct_articles(seeds, pipeline.PARALLEL_THRESHOLD + 8)  # enough for the worker pool
    env = {**os.environ, "PENINSULA_STORE": str(store), "PENINSULA_SEEDS": str(seeds)}
    kg = Path(sys.executable).with_name("kg")
    # A shell starts background jobs with SIGINT ignored, and Python keeps that: the build
    # gets the default disposition, as a command run in a terminal has.
    with subprocess.Popen(
        [str(kg), "build"], env=env, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint
    ) as build:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            workers = [
                c
                for c in _children(build.pid)
                if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text(errors="replace").replace("\0", " ")
            ]
            time.sleep(0.05)
        assert len(workers) == 2, "the build never started its two workers"
        build.send_signal(sig)
        build.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "a worker outlived its build"
    assert current_build(store) is None  # nothing half-published
    done = subprocess.run([str(kg), "build"], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "another build" not in done.stderr


def test_the_quarantine_is_shown_by_stats_health_and_the_articles_page(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.cli import main
    from kg.extract import batch as extraction
    from server.app import close_app, create_app

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("03_hwasong15_2017.txt", "10_nuclear_test_2017.txt"):
        (folder / name).write_text((ARTICLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    real = extraction.facts_of

    def buggy(article, doc, *, base):  # type: ignore[no-untyped-def]
        if article.slug.startswith("10"):
            raise IndexError("list index out of range")
        return real(article, doc, base=base)

    monkeypatch.setattr(extraction, "facts_of", buggy)  # a bug, injected where it would occur
    assert pipeline.build(settings, seeds=folder, reasoner=False, progress=False).exit_code == 1
    monkeypatch.undo()

    assert main(["stats", "--store", str(settings.store)]) == 0
    out = capsys.readouterr().out
    assert (
        "quarantined articles: 1\n  10_nuclear_test_2017.txt (extract): IndexError: list index out of range"
        in out
    )

    app = create_app(settings)
    try:
        client = app.test_client()
        health = client.get("/health").get_json()
        assert health["status"] == "ok" and health["quarantined"] == 1
        page = client.get("/articles", headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "1 quarantined articles" in page and "10_nuclear_test_2017.txt" in page
        assert "IndexError: list index out of range" in page
    finally:
        close_app(app)


@pytest.mark.slow
def test_a_build_killed_at_any_stage_leaves_the_previous_build_live(tmp_path: Path) -> None:
    """kill -9 of a rebuild at moments spread over its run (reading, extraction, checks,
    writing): the live build is always the previous one, whole, or the new one, whole."""
    first, second, store = tmp_path / "first", tmp_path / "second", tmp_path / "store"
    first.mkdir()
    for name in ("03_hwasong15_2017.txt", "10_nuclear_test_2017.txt"):
        (first / name).write_text((ARTICLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    _distinct_articles(second, pipeline.PARALLEL_THRESHOLD + 4)
    kg = Path(sys.executable).with_name("kg")
    env = {**os.environ, "PENINSULA_STORE": str(store)}
    done = subprocess.run(
        [str(kg), "build", "--seeds", str(first)], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    live = current_build(store)
    quads = sum(1 for _ in open_read_only(store))

    for delay in (0.5, 2.0, 5.0, 9.0, 14.0, 20.0):
        with subprocess.Popen(
            [str(kg), "build", "--seeds", str(second)], env=env, stderr=subprocess.DEVNULL
        ) as build:
            try:
                build.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                build.kill()
                build.wait()
        now = current_build(store)
        assert now is not None
        if now == live:
            assert sum(1 for _ in open_read_only(store)) == quads  # the previous build, whole
        else:  # the rebuild finished before the kill: the new build, whole, with its report
            assert live_report(store) is not None and live_report(store)["published"] is True  # type: ignore[index]
            live, quads = now, sum(1 for _ in open_read_only(store))
    again = subprocess.run(
        [str(kg), "build", "--seeds", str(first)], env=env, capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stderr


def test_kg_ingest_reads_standard_input_no_further_than_the_limit(tmp_path: Path) -> None:
    kg = Path(sys.executable).with_name("kg")
    env = {**os.environ, "PENINSULA_STORE": str(tmp_path / "store"), "PENINSULA_MAX_ARTICLE_BYTES": "1000"}
    with subprocess.Popen(
        [str(kg), "ingest", "-"], env=env, stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=False
    ) as proc:
        assert proc.stdin is not None and proc.stderr is not None
        try:
            for _ in range(10_000):  # 10 MB offered; the command stops reading after 1,001 bytes
                proc.stdin.write(b"North Korea fired a missile. " * 40)
        except BrokenPipeError:
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 2
    assert "skipped -: too large (more than 1000 bytes, the limit)" in err
    assert current_build(tmp_path / "store") is None

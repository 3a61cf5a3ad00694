"""The ``kg`` command: thin adapters from arguments to the pipeline's plain functions.

Every command takes the settings options it needs (``--store`` ...); each handler returns
the process exit code. Library code never calls ``sys.exit``; only ``main`` does.

The core never imports the web layer: ``kg serve`` is added by ``server.cli``, whose
``main`` is the installed ``kg`` command (``build_parser`` takes the extra commands).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kg import __version__
from kg.canned import catalogue as canned
from kg.engine.formats import EXPORTS, format_named
from kg.engine.jobs import DumpJob, StatsJob
from kg.engine.oxigraph.pool import LocalEngine
from kg.engine.oxigraph.store import current_build, export, live_report, open_read_only, stats
from kg.engine.remote.client import RemoteStore, is_remote
from kg.engine.remote.engine import RemoteEngine
from kg.errors import ArticleError, KGError
from kg.settings import Settings

__all__ = ["build_parser", "cmd_build", "main", "store_option"]

Handler = Callable[[argparse.Namespace, Settings], int]
Commands = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {
        name: getattr(args, name, None)
        for name in ("store", "seeds", "scheduler", "host", "port", "base_iri", "query_timeout_s", "max_rows")
    }
    return Settings.load(overrides)


def _publish(command: str, run: Callable[[], Any], settings: Settings) -> int:
    """Run a build or ingest and print its summary to stderr. A crash is a bug: show it,
    but say plainly that nothing was published (domain errors go to ``main``). With a
    remote store (setting ``store_endpoint``), the local build is then uploaded to it."""
    try:
        summary = run()
    except KGError:
        raise
    except Exception:
        traceback.print_exc()
        print(f"kg {command}: crashed; nothing published, the live build is unchanged", file=sys.stderr)
        return 2
    print(summary.render(), file=sys.stderr)
    if summary.published and is_remote(settings):
        from kg.build.remote import publish_remote

        sent = publish_remote(settings)
        print(
            f"kg {command}: published build {sent.build} to the remote store "
            f"({sent.graphs} named graphs, {sent.triples} triples sent, {sent.dropped} graphs dropped)",
            file=sys.stderr,
        )
    return int(summary.exit_code)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    """Read, extract, validate and publish; the summary goes to stderr (and, with
    ``--report``, as JSON to a file)."""
    from kg.build import pipeline  # spaCy (about 2 s) loads only for the commands that extract

    report = getattr(args, "report", None)
    return _publish(
        "build", lambda: pipeline.build(settings, progress=sys.stderr.isatty(), report_file=report), settings
    )


def _stdin_article(max_bytes: int) -> tuple[str, bytes] | None:
    """One article from standard input, read no further than the size limit: a larger
    one is reported and None returned, without holding it in memory."""
    from kg.read.article import read_bounded  # the reader's date tables: 0.15 s of every command's start

    try:
        return ("-", read_bounded(sys.stdin.buffer, max_bytes, "-"))
    except ArticleError as exc:
        print(f"kg ingest: skipped -: {exc.reason}", file=sys.stderr)
        return None


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Add or replace articles; '-' reads one article from stdin."""
    from kg.build.ingest import ingest  # spaCy: see cmd_build

    sources: list[Path | tuple[str, bytes]] = []
    for p in args.paths:
        if p != "-":
            sources.append(Path(p))
        elif (item := _stdin_article(int(settings.max_article_bytes))) is not None:
            sources.append(item)
    if not sources:
        return 2
    report = getattr(args, "report", None)
    return _publish(
        "ingest",
        lambda: ingest(settings, sources, progress=sys.stderr.isatty(), report_file=report),
        settings,
    )


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    """Run a canned query (by name) or a .rq file, with typed parameters bound as RDF
    terms, on the local store or a remote endpoint; write the result to stdout."""
    query = canned.find_query(args.query, Path(settings.queries_dir))
    text = canned.prepare(query, canned.parse_assignments(args.param))
    prefixes = {**query.prefixes, "res": str(settings.base_iri) + "resource/"}
    if args.endpoint:
        out = canned.run_remote(args.endpoint, text, args.format, prefixes=prefixes)
    else:
        try:
            store = _remote_engine(settings) or open_read_only(Path(settings.store))
        except (FileNotFoundError, OSError) as exc:
            raise KGError(str(exc)) from None
        out = canned.run_local(
            LocalEngine(store),
            text,
            args.format,
            prefixes=prefixes,
            max_rows=int(settings.max_rows),
            timeout_s=float(settings.query_timeout_s),
        )
    sys.stdout.write(out.text)
    if out.truncated:
        print(f"kg query: result cut at {out.max_rows} rows (setting max_rows)", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Check RDF files (or, with none, the published store) against the shapes and the OWL
    reasoner; print the report. Exit 0 when the graph conforms, 1 when it does not."""
    from kg.validate import graph as v  # pySHACL and owlready2 (0.3 s) load only for this command

    ontology_dir = Path(settings.ontology_dir)
    if args.files:
        report = v.validate_files(args.files, ontology_dir=ontology_dir, reasoner=args.reasoner)
    else:
        try:
            store = open_read_only(Path(settings.store))
        except (FileNotFoundError, OSError) as exc:
            raise v.ValidationInputError(str(exc)) from exc
        report = v.validate(v.dataset_from_store(store), ontology_dir=ontology_dir, reasoner=args.reasoner)
    print(report.summary())
    return 0 if report.conforms else 1


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Score the extraction of the gold's articles: a table per fact type and article set,
    or the full report (with every miss) as JSON with ``--json``. Always exits 0 once scored."""
    from kg.evaluation.score import evaluate  # spaCy: see cmd_build

    graph = getattr(args, "graph", None)  # RDF files of an extraction, instead of building
    report = evaluate(args.gold, settings=settings, graph=graph or None)
    print(report.to_json() if getattr(args, "json", False) else report.format_table())
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the dataset: trig/nq the named graphs, ttl/jsonld the default graph."""
    engine = _remote_engine(settings)
    if engine is not None:
        return _export_remote(engine, args)
    try:
        store = open_read_only(settings.store)
    except FileNotFoundError as exc:
        print(f"kg export: error: {exc}", file=sys.stderr)
        return 2
    if args.output is None:
        export(store, args.format, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return 0
    target = Path(args.output)
    # Written beside the target and renamed, so a failed export leaves no partial file.
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as out:
            export(store, args.format, out)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return 0


def _remote_engine(settings: Settings) -> Any:
    """The remote store's engine when the settings choose one (``store_endpoint``), else None."""
    if not is_remote(settings):
        return None
    return RemoteEngine(RemoteStore.from_settings(settings))


def _export_remote(engine: Any, args: argparse.Namespace) -> int:
    """``kg export`` of a remote store: the engine's dump, written beside the target and renamed."""
    fmt = format_named(args.format)
    with tempfile.TemporaryDirectory() as tmp:
        path = engine.run(
            DumpJob(fmt.engine_format, str(Path(tmp) / f"dump.{fmt.name}"), fmt.datasets), timeout_s=3600.0
        )
        if args.output is None:
            with open(path, "rb") as dump:
                shutil.copyfileobj(dump, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            shutil.move(path, args.output)
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Counts per class, per graph and of articles in the live build."""
    from kg.build.report import quarantine_of  # imports the reader: see _stdin_article

    engine = _remote_engine(settings)
    if engine is not None:
        counts = engine.run(StatsJob(), timeout_s=float(settings.query_timeout_s))
        print(f"build: {counts['build']}")
        print(f"triples in the default graph: {counts['triples']}")
        print(f"named graphs: {counts['named_graphs']}")
        return 0
    try:
        store = open_read_only(settings.store)
    except FileNotFoundError as exc:
        print(f"kg stats: error: {exc}", file=sys.stderr)
        return 2
    result = stats(store)
    build = current_build(settings.store)
    quarantined = quarantine_of(live_report(Path(settings.store)))
    print(f"build: {build.name if build else '-'}")
    print(f"articles: {result.articles}")
    print(f"quarantined articles: {len(quarantined)}")
    for item in quarantined:
        print(f"  {item.get('name')} ({item.get('stage')}): {item.get('reason')}")
    print(f"triples in the default graph: {result.default_triples}")
    print("\ninstances per class:")
    width = max((len(c) for c, _ in result.classes), default=0)
    for cls, n in result.classes:
        print(f"  {cls:<{width}}  {n:>7}")
    print("\ntriples per named graph:")
    width = max((len(g) for g, _ in result.graphs), default=0)
    for graph, n in result.graphs:
        print(f"  {graph:<{width}}  {n:>7}")
    return 0


def store_option(p: argparse.ArgumentParser) -> None:
    """Add the ``--store DIR`` option to the parser of one command."""
    p.add_argument("--store", type=Path, help="store folder (setting 'store', default var/store)")


def _report_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="also write the summary as JSON to FILE (published, unchanged, duplicates, quarantined, skipped)",
    )
    p.epilog = (
        "exit status: 0 every article published (or already in the store, or recorded as a "
        "duplicate); 1 published, but some articles were quarantined or skipped; 2 nothing published"
    )


def build_parser(*extra: Commands) -> argparse.ArgumentParser:
    """The ``kg`` parser: the core's commands, then those each of ``extra`` adds."""
    parser = argparse.ArgumentParser(
        prog="kg", description="Peninsula KG: build, query and serve the knowledge graph."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="read all articles, extract, validate and publish the store")
    p.add_argument("--seeds", type=Path, help="folder of articles (setting 'seeds', default seeds/)")
    p.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="extract on the workers of this Dask distributed scheduler (setting 'scheduler'; default: processes on this machine)",
    )
    store_option(p)
    _report_option(p)
    p.set_defaults(handler=cmd_build)

    p = sub.add_parser("ingest", help="add or replace articles in the published store")
    p.add_argument("paths", nargs="+", help="article files or folders; '-' reads one article from stdin")
    store_option(p)
    _report_option(p)
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("query", help="run a canned query (by name) or a .rq file")
    p.add_argument("query", help="canned query name, or path to a .rq file")
    p.add_argument("--param", action="append", default=[], metavar="K=V", help="query parameter")
    p.add_argument("--format", default="table", choices=["table", "json", "csv", "tsv", "ttl"])
    store_option(p)
    p.add_argument("--endpoint", help="query this SPARQL endpoint instead of the local store")
    p.set_defaults(handler=cmd_query)

    p = sub.add_parser("validate", help="check a graph against the SHACL shapes and the OWL reasoner")
    p.add_argument("files", nargs="*", type=Path, help="RDF files to check (default: the published store)")
    p.add_argument(
        "--no-reasoner",
        dest="reasoner",
        action="store_false",
        help="check the SHACL shapes only (no Java needed)",
    )
    store_option(p)
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("eval", help="score extraction against a gold annotation")
    p.add_argument("gold", type=Path, help="gold file or folder")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--graph", type=Path, nargs="+", help="score these RDF files instead of building the articles"
    )
    p.set_defaults(handler=cmd_eval)

    p = sub.add_parser("export", help="write the whole dataset in one RDF format")
    p.add_argument("--format", default="trig", choices=EXPORTS)
    p.add_argument("--output", "-o", type=Path, help="file to write (default stdout)")
    store_option(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("stats", help="counts per class, per graph and per article")
    store_option(p)
    p.set_defaults(handler=cmd_stats)
    for add in extra:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    """Run one ``kg`` command (parsed by ``parser``, default the core's) and return its exit code."""
    args = (parser or build_parser()).parse_args(argv)
    try:
        return int(args.handler(args, _settings(args)))
    except KGError as exc:
        print(f"kg {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The installed ``kg`` command: the core's commands (``kg.cli``) and ``kg serve``.

``kg.cli`` never imports the web layer; this module composes the two, so the console script
(``kg = "server.cli:main"`` in pyproject.toml) and ``python -m server.cli`` offer every command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kg import cli as core
from kg.engine.oxigraph.store import current_build
from kg.errors import KGError
from kg.settings import Settings
from server.serve import serve

__all__ = ["add_serve", "build_parser", "cmd_serve", "main"]


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve ``--data`` files, or the store (building it first when nothing is published)."""
    data = list(args.data or [])
    for path in data:
        if not Path(path).is_file():
            raise KGError(f"--data {path}: no such file")
    if not data and current_build(Path(settings.store)) is None:
        print(f"kg serve: no published build in {settings.store}; running 'kg build' first", file=sys.stderr)
        code = core.cmd_build(args, settings)
        if current_build(Path(settings.store)) is None:
            print(f"kg serve: the build failed (exit {code}); serving an empty graph", file=sys.stderr)
    return serve(settings, data=data or None)


def add_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kg serve`` to the subcommands ``sub``."""
    p = sub.add_parser("serve", help="serve the store over SPARQL and HTTP (building it first if needed)")
    p.add_argument("--host", help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 8000)")
    core.store_option(p)
    p.add_argument("--data", type=Path, nargs="+", help="serve these RDF files instead of the store")
    p.set_defaults(handler=cmd_serve)


def build_parser() -> argparse.ArgumentParser:
    """The ``kg`` parser with every command, ``serve`` included."""
    return core.build_parser(add_serve)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``kg`` console script."""
    return core.main(argv, build_parser())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

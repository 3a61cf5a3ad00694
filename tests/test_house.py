"""The house rules of docs/architecture.md that a reader relies on, checked on the source.

Every module and every public (module-level) function or class says what it does; no function is over 80
lines; a module over 400 lines says in its docstring why it stays whole. (The import
layering is checked by ``lint-imports`` in ``make lint``.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("kg", "server", "scripts") for p in (ROOT / folder).rglob("*.py"))
MAX_FUNCTION = 80
MAX_MODULE = 400


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _undocumented(tree: ast.Module) -> list[str]:
    """The public functions and classes of a module that have no docstring."""
    return [
        f"{node.name} (line {node.lineno})"
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
        and not ast.get_docstring(node)
    ]


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_module_and_its_public_names_say_what_they_do(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{_name(path)} has no module docstring"
    missing = _undocumented(tree)
    assert not missing, f"{_name(path)}: no docstring on {', '.join(missing)}"


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_function_over_80_lines(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION
    ]
    assert not long, f"{_name(path)}: {', '.join(long)}"


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_a_module_over_400_lines_says_why(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    if lines <= MAX_MODULE:
        return
    doc = ast.get_docstring(ast.parse(text)) or ""
    assert re.search(r"stays one (module|file)|400 lines", doc), (
        f"{_name(path)} has {lines} lines and its docstring does not say why it stays whole"
    )


def test_the_checks_catch_what_they_look_for() -> None:
    bad = ast.parse("def run():\n    pass\n\nclass Thing:\n    pass\n\ndef _helper():\n    pass\n")
    assert _undocumented(bad) == ["run (line 1)", "Thing (line 4)"]
    good = ast.parse('def run():\n    """Runs."""\n')
    assert _undocumented(good) == []

"""Executable docs: the README's set-up commands, settings table and command list are
checked against the code, so they cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.settings import SETTINGS, Setting
from server.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README has no section '## {title}'"
    return match.group(1)


def test_quick_start_gives_exactly_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", _section("Quick start"), re.S)
    commands = [line.strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == ["make serve", "make test"]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert "make test" in lines


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting: Setting) -> None:
    table = _section("Settings")
    row = next((ln for ln in table.splitlines() if ln.startswith(f"| `{setting.name}` |")), None)
    assert row, f"setting {setting.name} missing from the README's table"
    assert f"`{setting.env_var}`" in row


def _commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(sub.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_and_is_documented(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: kg {command}" in capsys.readouterr().out
    assert f"kg {command}" in _section("Commands"), f"'kg {command}' is not in the README's Commands"

"""docs/first-day.md as written: its `slotbook` commands run in order on a fresh demo
database, and print what the page shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.integration.cli_support import Cli

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "first-day.md"


def steps() -> list[tuple[list[list[str]], list[str]]]:
    """Each bash block's `slotbook` commands, with the lines of the text block after it."""
    found = []
    blocks = re.findall(r"```(bash|text)\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    for n, (kind, body) in enumerate(blocks):
        if kind != "bash":
            continue
        joined = re.sub(r"\\\n\s*", " ", body)
        commands = [
            shlex.split(line)[1:] for line in joined.splitlines() if line.startswith("slotbook ")
        ]
        shown: list[str] = []
        if n + 1 < len(blocks) and blocks[n + 1][0] == "text":
            shown = blocks[n + 1][1].strip().splitlines()
        if commands:
            found.append((commands, shown))
    return found


def _shown_in(shown: list[str], printed: list[str]) -> None:
    for line in shown:
        if "…" in line or "..." in line or line.startswith("error:"):
            continue  # keys differ per run; shortened lines
        assert line in printed, (line, printed)


def test_the_commands_of_the_page_work_as_shown(cli: Cli) -> None:
    cli.ok("demo")
    ran = 0
    for commands, shown in steps():
        if commands[0][0] == "apply":
            continue  # shown from nothing: the next test
        printed = [line for command in commands for line in cli.ok(*command)]
        _shown_in(shown, printed)
        ran += len(commands)
    assert ran >= 14


def test_apply_prints_what_the_page_shows(cli: Cli) -> None:
    cli.ok("demo")
    ((command,), shown) = next(s for s in steps() if s[0][0][0] == "apply")
    assert cli.ok(*(str(ROOT / part) if part.endswith(".yaml") else part for part in command)) == (
        shown
    )

"""The reference pages are checked against the code: docs/cli.md lists every `slotbook`
command with its options, docs/configuration.md every setting with its default (and every
variable of .env.example), docs/errors.md every error code. A command, setting or code added
without its line fails here with the line to add."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from pydantic import TypeAdapter

from slotbook.api.errors import _CODE_BY_HTTP_STATUS
from slotbook.cli.main import app
from slotbook.config import Settings

ROOT = Path(__file__).parents[2]
CLI_DOC = ROOT / "docs" / "cli.md"
CONFIG_DOC = ROOT / "docs" / "configuration.md"
ERRORS_DOC = ROOT / "docs" / "errors.md"
ENV_EXAMPLE = ROOT / ".env.example"
PREFIX = "SLOTBOOK_"


# Typer carries its own copy of click, so its classes are told by what they have.
Command = Any


def commands(group: Command, path: tuple[str, ...] = ()) -> dict[str, Command]:
    """Every runnable command of the CLI by its words (`apikey create`)."""
    found: dict[str, Command] = {}
    for name, command in group.commands.items():
        words = (*path, name)
        if hasattr(command, "commands"):
            found |= commands(command, words)
        else:
            found[" ".join(words)] = command
    return found


def documented_commands() -> dict[str, str]:
    """The rows of docs/cli.md's table, by the command's words (up to its first option)."""
    rows: dict[str, str] = {}
    for line in CLI_DOC.read_text().splitlines():
        match = re.match(r"\| `slotbook ([^`]*)` \|", line)
        if match:
            words = re.match(r"[a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)*", match.group(1))
            assert words is not None, line
            rows[words.group(0)] = line
    return rows


def _is_option(param: Any) -> bool:
    return bool(param.param_type_name == "option" and "--help" not in param.opts)


def _options(command: Command) -> list[str]:
    return [max(param.opts, key=len) for param in command.params if _is_option(param)]


CLI = commands(typer.main.get_command(app))


def _row_for(name: str, command: Command) -> str:
    """The line to add for an undocumented command, filled in from its own help."""
    usage = " ".join(
        f"{o} {o.strip('-').upper().replace('-', '_')}" if not p.is_flag else o
        for p in command.params
        if _is_option(p)
        for o in [max(p.opts, key=len)]
    )
    summary = " ".join((command.help or "what it does").split("\n\n")[0].split())
    return f"| `slotbook {name}{' ' + usage if usage else ''}` | {summary} |"


@pytest.mark.parametrize("name", sorted(CLI))
def test_every_command_is_in_the_cli_page(name: str) -> None:
    row = documented_commands().get(name)
    assert row is not None, (
        f"docs/cli.md has no row for `slotbook {name}`. Add to its table:\n"
        f"{_row_for(name, CLI[name])}"
    )
    missing = [o for o in _options(CLI[name]) if o not in row]
    assert not missing, f"docs/cli.md's row of `slotbook {name}` lacks {missing}:\n{row}"


def test_the_cli_page_lists_only_real_commands() -> None:
    extra = sorted(set(documented_commands()) - set(CLI))
    assert not extra, f"docs/cli.md lists commands that do not exist: {extra}; remove them"


def documented_settings() -> dict[str, str]:
    """The configuration tables' rows: variable -> documented default."""
    rows: dict[str, str] = {}
    for line in CONFIG_DOC.read_text().splitlines():
        match = re.match(rf"\| `({PREFIX}[A-Z0-9_]+)` \| ([^|]*) \|", line)
        if match:
            rows[match.group(1)] = match.group(2).strip()
    return rows


SETTINGS = {f"{PREFIX}{name.upper()}": name for name in Settings.model_fields}


def _default_text(name: str) -> str:
    default = Settings.model_fields[name].default
    if default is None:
        return "unset"
    if default == "":
        return "empty"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    return f"`{default}`"


@pytest.mark.parametrize("variable", sorted(SETTINGS))
def test_every_setting_is_documented_with_its_default(variable: str) -> None:
    name = SETTINGS[variable]
    field = Settings.model_fields[name]
    documented = documented_settings().get(variable)
    assert documented is not None, (
        f"docs/configuration.md has no row for {variable}. Add to one of its tables:\n"
        f"| `{variable}` | {_default_text(name)} | what it changes |"
    )
    if field.default is None or field.default == "":
        expected = _default_text(name)
        assert documented == expected, f"{variable}: documented {documented}, default {expected}"
        return
    value = documented.strip("`")
    parsed: Any = TypeAdapter(field.annotation).validate_python(value)
    assert parsed == field.default, (
        f"docs/configuration.md shows {variable} = {documented}; the default is "
        f"{_default_text(name)}"
    )


def test_the_configuration_page_lists_only_real_settings() -> None:
    extra = sorted(set(documented_settings()) - set(SETTINGS))
    assert not extra, (
        f"docs/configuration.md documents {extra}, which src/slotbook/config.py does not "
        "read; remove the rows or add the settings"
    )


def env_example_variables() -> set[str]:
    """Every variable .env.example sets or shows commented out."""
    return set(re.findall(rf"^#? ?({PREFIX}[A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))


def test_every_env_example_variable_is_a_documented_setting() -> None:
    variables = env_example_variables()
    assert variables
    undocumented = sorted(variables - set(documented_settings()))
    assert not undocumented, (
        f".env.example sets {undocumented}, which docs/configuration.md does not list: add a "
        "row for each (and a field in src/slotbook/config.py if it has none)"
    )
    unknown = sorted(variables - set(SETTINGS))
    assert not unknown, f".env.example sets {unknown}, which src/slotbook/config.py never reads"


def _codes_in(path: Path) -> set[str]:
    """Error codes a source file gives: `code = "X"` attributes and booking rules'
    `Violation("X", ...)`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found.add(node.value.value)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Violation"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return found


def server_codes() -> set[str]:
    codes = {"INTERNAL_ERROR", "RATE_LIMITED", "METHOD_NOT_ALLOWED", "NOT_FOUND"}
    codes |= set(_CODE_BY_HTTP_STATUS.values())
    for layer in ("domain", "application", "api"):
        for path in (ROOT / "src" / "slotbook" / layer).glob("*.py"):
            codes |= _codes_in(path)
    return {c for c in codes if re.fullmatch(r"[A-Z][A-Z_]+", c)}


def test_every_error_code_is_in_the_errors_page() -> None:
    table = "\n".join(line for line in ERRORS_DOC.read_text().splitlines() if line.startswith("|"))
    missing = sorted(c for c in server_codes() if f"`{c}`" not in table)
    assert not missing, (
        f"docs/errors.md's table lacks {missing}: add a row for each, "
        "| `CODE` | HTTP status | when it is answered |"
    )

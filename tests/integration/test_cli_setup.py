"""The first day from the command line: an organization's departments, hours, staff,
appointment types and keys, each command printing what it made."""

from __future__ import annotations

from typing import Any

import pytest
import typer
import typer.rich_utils

from slotbook.cli.main import app
from tests.integration.cli_support import Cli

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


def test_an_organization_is_set_up_command_by_command(cli: Cli) -> None:
    org = cli.last("organization", "create", "--name", "Clinic", "--timezone", "Europe/Paris")

    reader = cli.ok("apikey", "create", "--organization", org, "--name", "reader")
    # Without --scopes a key can read, nothing more.
    assert "scopes: appointments:read,departments:read" in reader[0]
    assert reader[-1].startswith("sb_live_")
    admin = cli.ok("apikey", "create", "--organization", org, "--scopes", "admin")
    assert "scopes: admin" in admin[0]

    made = cli.ok(
        *("department", "create", "--organization", org, "--name", "Front desk"),
        *("--timezone", "Africa/Conakry", "--slot-interval", "20", "--capacity", "2"),
    )
    department = made[-1]
    assert made[0] == f"Created department {department} 'Front desk' in organization {org}"
    assert "time zone Africa/Conakry, a slot every 20 min, 2 booking(s) at a time" in made[1]
    default_week = "; ".join(f"{day} 09:00-17:00" for day in WEEKDAYS)
    assert made[2] == f"  opening hours: {default_week}"

    saturday = cli.ok(
        *("hours", "set", "--department", department, "--weekday", "sat"),
        *("--from", "09:00", "--to", "12:00"),
    )
    assert saturday == [f"Hours of department {department}: {default_week}; SATURDAY 09:00-12:00"]
    split = cli.ok(
        *("hours", "set", "--department", department, "--weekday", "mon-fri"),
        *("--from", "08:00", "--to", "12:00", "--from", "13:00", "--to", "17:00"),
    )
    split_week = "; ".join(f"{day} 08:00-12:00 13:00-17:00" for day in WEEKDAYS)
    assert split == [f"Hours of department {department}: {split_week}; SATURDAY 09:00-12:00"]
    closed = cli.ok("hours", "set", "--department", department, "--weekday", "sat", "--closed")
    assert closed == [f"Hours of department {department}: {split_week}"]
    assert cli.ok("hours", "show", "--department", department) == closed

    staff = cli.ok(
        *("staff", "create", "--organization", org, "--name", "Dr Diallo"),
        *("--department", department),
    )
    worker = staff[-1]
    assert staff[0] == f"Created staff member {worker} 'Dr Diallo'; departments: {department}"
    mine = cli.ok(
        *("hours", "set", "--worker", worker, "--weekday", "tue,thu"),
        *("--from", "10:00", "--to", "16:00"),
    )
    assert mine == [f"Hours of staff member {worker}: TUESDAY 10:00-16:00; THURSDAY 10:00-16:00"]
    assert cli.ok("staff", "list", "--organization", org) == [
        f"{worker} Dr Diallo; departments: {department}"
    ]

    kind = cli.ok(
        *("appointment-type", "create", "--organization", org, "--name", "Consultation"),
        *("--duration", "20", "--department", department, "--buffer-after", "5"),
        *("--worker", worker),
    )
    assert kind[0] == (
        f"Created appointment type {kind[-1]} 'Consultation': 20 min, buffers 0/5 min; "
        f"in department {department}; by {worker}"
    )
    assert cli.ok("appointment-type", "list", "--organization", org) == [
        f"{kind[-1]} Consultation: 20 min, buffers 0/5 min; in department {department}; by {worker}"
    ]
    listed = cli.ok("department", "list", "--organization", org)
    assert listed[0] == f"{department} Front desk"
    assert listed[-1] == f"  opening hours: {split_week}"

    always = cli.ok(
        *("department", "create", "--organization", org, "--name", "Hotline"),
        "--always-open",
    )
    assert "  always open: takes any future time (hours do not apply)" in always
    assert "(the organization's)" in always[1]


def test_keys_are_listed_and_revoked(cli: Cli) -> None:
    org = cli.last("organization", "create", "--name", "Clinic")
    cli.ok("apikey", "create", "--organization", org, "--name", "reader")
    cli.ok("apikey", "create", "--organization", org, "--name", "setup", "--scopes", "admin")
    keys = cli.ok("apikey", "list", "--organization", org)
    assert [line.split(" ", 1)[1].split(" scopes")[0].split("… ")[1] for line in keys] == [
        "'setup'",
        "'reader'",
    ]
    assert all(line.endswith("last used: never; active") for line in keys)
    setup_id = keys[0].split()[0]

    revoked = cli.ok("apikey", "revoke", "--organization", org, "--key", setup_id)
    assert revoked[-1] == setup_id
    assert revoked[0].startswith(f"Revoked key {setup_id} sb_live_")
    again = cli.ok("apikey", "list", "--organization", org)
    assert " revoked " in again[0]
    assert again[1].endswith("active")

    other = cli.last("organization", "create", "--name", "Other")
    foreign = cli("apikey", "revoke", "--organization", other, "--key", setup_id)
    assert foreign.exit_code == 1
    assert "FORBIDDEN" in foreign.stderr


def test_mistakes_are_told_plainly(cli: Cli) -> None:
    org = cli.last("organization", "create", "--name", "Clinic")
    department = cli.last("department", "create", "--organization", org, "--name", "Desk")
    cases = [
        (
            ("hours", "set", "--department", department, "--weekday", "someday", "--closed"),
            "Unknown weekday 'someday'",
        ),
        (
            ("hours", "set", "--department", department, "--weekday", "mon", "--from", "9"),
            "Give --from and --to",
        ),
        (
            (
                "hours",
                "set",
                "--department",
                department,
                "--weekday",
                "mon",
                "--from",
                "17:00",
                "--to",
                "09:00",
            ),
            "must start before it ends",
        ),
        (("hours", "set", "--weekday", "mon", "--closed"), "Give --department, or --worker"),
        (("hours", "show", "--department", "999999"), "DEPARTMENT_NOT_FOUND"),
        (
            ("department", "create", "--organization", "999999", "--name", "X"),
            "ORGANIZATION_NOT_FOUND",
        ),
        (
            (
                "department",
                "create",
                "--organization",
                org,
                "--name",
                "X",
                "--timezone",
                "Mars/Base",
            ),
            "INVALID",
        ),
        (
            ("staff", "create", "--organization", org, "--name", "W", "--department", "999999"),
            "Unknown department",
        ),
    ]
    for args, message in cases:
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.stderr, (args, result.stderr)


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group of the CLI, as the words that reach it."""
    found: list[tuple[str, ...]] = [prefix]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def test_help_is_not_cut_at_80_columns(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # The terminal's width, set where Typer reads it (TERMINAL_WIDTH) so that it does not
    # depend on the runner's own terminal or environment: 80 columns, then a wide terminal.
    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 80)
    commands = _commands(typer.main.get_command(app))
    assert ("staff", "create") in commands
    assert ("apikey", "revoke") in commands
    for command in commands:
        shown = cli.ok(*command, "--help")
        assert not any("…" in line for line in shown), (command, shown)
    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 120)
    wide = cli.ok("apikey", "create", "--help")
    assert any("[default: appointments:read,departments:read]" in line for line in wide), wide
    assert max(len(line) for line in wide) > 80

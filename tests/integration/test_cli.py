"""The `slotbook` command line, run as a user runs it (a subprocess per command)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def slotbook(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLOTBOOK_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "slotbook.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_administration(empty_database: str) -> None:
    url = empty_database
    assert slotbook(url, "migrate").returncode == 0

    demo = slotbook(url, "demo")
    assert demo.returncode == 0, demo.stderr
    first_key = demo.stdout.strip().splitlines()[-1]
    assert first_key.startswith("sb_live_")
    again = slotbook(url, "demo")
    assert again.returncode == 0
    assert "already present" in again.stdout
    assert again.stdout.strip().splitlines()[-1] not in (first_key, "")

    created = slotbook(
        url,
        "organization",
        "create",
        "--name",
        "Clinic",
        "--credits",
        "5",
        "--timezone",
        "Europe/Paris",
    )
    assert created.returncode == 0, created.stderr
    org = created.stdout.strip().splitlines()[-1]
    assert org.isdigit()

    key = slotbook(
        url,
        "apikey",
        "create",
        "--organization",
        org,
        "--scopes",
        "appointments:read,departments:read",
        "--name",
        "reader",
        "--rate-limit",
        "50",
    )
    assert key.returncode == 0, key.stderr
    assert key.stdout.strip().splitlines()[-1].startswith("sb_live_")

    assert (
        slotbook(url, "credits", "add", "--organization", org, "--amount", "3")
        .stdout.strip()
        .splitlines()[-1]
        == "8"
    )
    assert (
        slotbook(url, "credits", "add", "--organization", org, "--amount", "-8")
        .stdout.strip()
        .splitlines()[-1]
        == "0"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("credits", "add", "--organization", "1", "--amount", "-1000"),
        ("credits", "add", "--organization", "999", "--amount", "5"),
        ("apikey", "create", "--organization", "1", "--scopes", "everything"),
        ("organization", "create", "--name", "X", "--timezone", "Mars/Base"),
    ],
)
def test_cli_errors_go_to_stderr(tmp_path: Path, args: tuple[str, ...]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    slotbook(url, "migrate")
    slotbook(url, "demo")
    result = slotbook(url, *args)
    assert result.returncode != 0
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr

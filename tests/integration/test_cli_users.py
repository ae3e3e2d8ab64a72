"""`slotbook user create` and the demo logins, run as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.integration.test_cli import slotbook


def test_demo_prints_logins_before_the_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert slotbook(url, "migrate").returncode == 0
    for _ in range(2):  # again on an existing demo database: same logins, a new key last
        demo = slotbook(url, "demo")
        assert demo.returncode == 0, demo.stderr
        lines = demo.stdout.strip().splitlines()
        assert "  owner: owner@example.org / demo-owner-password" in lines
        assert "  staff: staff@example.org / demo-staff-password" in lines
        assert lines[-1].startswith("sb_live_")


def test_user_create(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    slotbook(url, "migrate")
    slotbook(url, "demo")
    created = slotbook(
        url,
        *("user", "create", "--organization", "1", "--email", "Desk@Example.org"),
        *("--role", "staff", "--password", "long enough"),
    )
    assert created.returncode == 0, created.stderr
    assert "staff desk@example.org" in created.stdout
    assert created.stdout.strip().splitlines()[-1].isdigit()

    again = slotbook(
        url,
        *("user", "create", "--organization", "1", "--email", "desk@example.org"),
        *("--role", "owner", "--password", "long enough"),
    )
    assert again.returncode == 1
    assert again.stderr.startswith("error: CONFLICT")

    for args, code in (
        (("--organization", "99", "--email", "a@example.org", "--role", "owner"), "ORGANIZATION"),
        (("--organization", "1", "--email", "not-an-email", "--role", "owner"), "INVALID"),
        (("--organization", "1", "--email", "b@example.org", "--role", "owner"), "INVALID"),
    ):
        password = "short" if "b@example.org" in args else "long enough"
        result = slotbook(url, "user", "create", *args, "--password", password)
        assert result.returncode == 1
        assert result.stderr.startswith(f"error: {code}"), result.stderr


def test_user_create_prompts_for_the_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'prompt.db'}"
    slotbook(url, "migrate")
    slotbook(url, "demo")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "slotbook.cli", "user", "create", "--organization", "1"),
            *("--email", "prompted@example.org", "--role", "owner"),
        ],
        env={**os.environ, "SLOTBOOK_DATABASE_URL": url},
        input="typed secret 1\ntyped secret 1\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "typed secret 1" not in result.stdout
    assert "owner prompted@example.org" in result.stdout

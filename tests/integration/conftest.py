"""Fixtures of the integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from slotbook.config import get_settings
from slotbook.infra.db.migrate import upgrade
from tests.integration.cli_support import Cli


@pytest.fixture
def cli(empty_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """`slotbook` run in process against a freshly migrated database of each backend."""
    upgrade(empty_database)
    monkeypatch.setenv("SLOTBOOK_DATABASE_URL", empty_database)
    get_settings.cache_clear()
    yield Cli(CliRunner())
    get_settings.cache_clear()

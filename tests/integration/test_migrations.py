"""Alembic revisions build the schema and take it down again, on both databases."""

from __future__ import annotations

from sqlalchemy import inspect

from slotbook.infra.db.engine import make_sync_engine
from slotbook.infra.db.migrate import downgrade, upgrade
from slotbook.infra.db.tables import metadata


def _tables(url: str) -> set[str]:
    engine = make_sync_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _round_trip(url: str) -> None:
    upgrade(url)
    assert _tables(url) == set(metadata.tables)
    downgrade(url, "base")
    assert _tables(url) == set()
    upgrade(url)
    assert _tables(url) == set(metadata.tables)


def test_migrations_round_trip(empty_database: str) -> None:
    _round_trip(empty_database)

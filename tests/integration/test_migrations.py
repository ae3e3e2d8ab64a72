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


def test_an_appointment_belongs_to_its_departments_organization(empty_database: str) -> None:
    """Revision 0010 on PostgreSQL: one key (organization, department) to the department, so
    an appointment cannot name a department of another organization; SQLite keeps its two
    separate keys (existence only)."""
    upgrade(empty_database)
    engine = make_sync_engine(empty_database)
    try:
        keys = {
            tuple(key["constrained_columns"]): key["referred_table"]
            for key in inspect(engine).get_foreign_keys("appointment")
        }
        if engine.dialect.name == "postgresql":
            assert keys[("organization_id", "department_id")] == "department"
            assert ("organization_id",) not in keys
            assert ("department_id",) not in keys
        else:
            assert keys[("organization_id",)] == "organization"
            assert keys[("department_id",)] == "department"
    finally:
        engine.dispose()

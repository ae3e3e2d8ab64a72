"""Revision 0003 on both databases: round trip, append-only history, partial indexes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from slotbook.infra.db.engine import make_sync_engine
from slotbook.infra.db.migrate import downgrade, upgrade
from tests.conftest import _postgres_base_url, create_postgres_database, drop_postgres_database
from tests.support import Tenant, book, future


async def test_history_rows_cannot_be_changed_or_deleted(
    client: httpx.AsyncClient, tenant: Tenant, database_url: str
) -> None:
    created = await book(client, tenant, future())
    engine = make_sync_engine(database_url)
    try:
        for statement in (
            "UPDATE appointment_event SET action = 'X' WHERE appointment_id = :id",
            "DELETE FROM appointment_event WHERE appointment_id = :id",
        ):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text(statement), {"id": created["id"]})
    finally:
        engine.dispose()


def _round_trip(url: str) -> None:
    upgrade(url)
    downgrade(url, "0001")
    upgrade(url)
    engine = make_sync_engine(url)
    try:
        inspector = sa.inspect(engine)
        assert {"client", "patient", "appointment_event"} <= set(inspector.get_table_names())
        columns = {c["name"] for c in inspector.get_columns("appointment")}
        assert {"client_id", "version", "archived_at", "repeated_from_id"} <= columns
    finally:
        engine.dispose()


def test_revision_0003_round_trip_on_sqlite(tmp_path: Path) -> None:
    _round_trip(f"sqlite:///{tmp_path / 'trip.db'}")


def test_revision_0003_round_trip_on_postgresql() -> None:
    base = _postgres_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need SLOTBOOK_TEST_DATABASE_URL")
    url = create_postgres_database(base)
    try:
        _round_trip(url)
    finally:
        drop_postgres_database(base, url)

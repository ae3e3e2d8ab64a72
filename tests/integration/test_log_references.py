"""The append-only logs name existing rows, with or without foreign keys (revision 0012)."""

from __future__ import annotations

from importlib import import_module

import httpx
from sqlalchemy import inspect, text

from slotbook.bootstrap import Container
from slotbook.infra.db.engine import make_sync_engine
from slotbook.infra.db.migrate import downgrade, upgrade
from tests.support import Tenant, book, future

# Each log's references, (log, column, referenced table), as revision 0012 lists them.
REFERENCES: tuple[tuple[str, str, str], ...] = import_module(
    "slotbook.infra.db.migrations.versions.0012_log_foreign_keys"
).LOG_REFERENCES


def _keys(url: str) -> set[tuple[str, str, str]]:
    engine = make_sync_engine(url)
    try:
        found = inspect(engine)
        return {
            (table, key["constrained_columns"][0], key["referred_table"])
            for table in {log for log, _, _ in REFERENCES}
            for key in found.get_foreign_keys(table)
        }
    finally:
        engine.dispose()


def test_only_sqlite_keeps_the_log_foreign_keys(empty_database: str) -> None:
    upgrade(empty_database)
    kept = set(REFERENCES) & _keys(empty_database)
    if empty_database.startswith("postgresql"):
        assert kept == set()
        downgrade(empty_database, "0011")
        assert set(REFERENCES) <= _keys(empty_database)
    else:
        assert kept == set(REFERENCES)


async def test_every_log_row_names_existing_rows(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    """Booking, cancelling and adding credits write all three logs; none names a missing row."""
    booked = await book(client, tenant, future(days=40), externalUserId="log-check")
    await book(client, tenant, future(days=41))
    cancelled = await client.delete(f"/api/v1/appointments/{booked['id']}", headers=tenant.headers)
    assert cancelled.status_code == 200, cancelled.text
    async with container.engine.connect() as conn:
        for log, column, referred in REFERENCES:
            written = await conn.scalar(
                text(f"SELECT count(*) FROM {log} WHERE organization_id = :org"),
                {"org": tenant.organization_id},
            )
            assert written, f"the flows wrote no {log} row"
            orphans = await conn.scalar(
                text(
                    f"SELECT count(*) FROM {log} AS entry WHERE entry.organization_id = :org"
                    f" AND entry.{column} IS NOT NULL AND NOT EXISTS"
                    f" (SELECT 1 FROM {referred} AS r WHERE r.id = entry.{column})"
                ),
                {"org": tenant.organization_id},
            )
            assert orphans == 0, f"{log}.{column} names a missing {referred}"

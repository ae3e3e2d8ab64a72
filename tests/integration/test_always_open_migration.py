"""Revision 0014: the departments that had no hours at all become always open, so they keep
taking any time; those with hours (their own or their workers') keep following them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from slotbook.infra.db.engine import make_sync_engine
from slotbook.infra.db.migrate import upgrade

NOW = datetime(2026, 12, 1, tzinfo=UTC).isoformat(sep=" ")


def test_departments_without_hours_become_always_open(empty_database: str) -> None:
    upgrade(empty_database, "0013")
    engine = make_sync_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organization (id, uuid, name, credits, time_zone, created_at)"
                    " VALUES (1, '00000000-0000-0000-0000-0000000000f1', 'O', 0, 'UTC', :now)"
                ),
                {"now": NOW},
            )
            for department_id in (1, 2, 3, 4):
                conn.execute(
                    text(
                        "INSERT INTO department (id, uuid, organization_id, name, created_at)"
                        " VALUES (:id, :uuid, 1, :name, :now)"
                    ),
                    {
                        "id": department_id,
                        "uuid": f"00000000-0000-0000-0000-00000000000{department_id}",
                        "name": f"D{department_id}",
                        "now": NOW,
                    },
                )
            conn.execute(
                text(
                    "INSERT INTO worker (id, uuid, organization_id, name, created_at) VALUES"
                    " (1, '00000000-0000-0000-0000-0000000000a1', 1, 'W1', :now),"
                    " (2, '00000000-0000-0000-0000-0000000000a2', 1, 'W2', :now)"
                ),
                {"now": NOW},
            )
            conn.execute(
                text(
                    "INSERT INTO department_worker (department_id, worker_id)"
                    " VALUES (2, 1), (3, 2), (4, 2)"
                )
            )
            # 1: own hours. 2: its worker's hours for all departments. 3: its worker has
            # hours only in department 4. 4: that worker's hours there.
            conn.execute(
                text(
                    "INSERT INTO working_hours"
                    " (organization_id, worker_id, department_id, weekday, start_minute,"
                    " end_minute) VALUES"
                    " (1, NULL, 1, 0, 540, 1020), (1, 1, NULL, 0, 540, 1020),"
                    " (1, 2, 4, 0, 540, 1020)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO department (id, uuid, organization_id, name, created_at)"
                    " VALUES (5, '00000000-0000-0000-0000-000000000005', 1, 'Bare', :now)"
                ),
                {"now": NOW},
            )
        upgrade(empty_database)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, always_open FROM department ORDER BY id"))
            always_open = {row.id: bool(row.always_open) for row in rows}
    finally:
        engine.dispose()
    assert always_open == {1: False, 2: False, 3: True, 4: False, 5: True}

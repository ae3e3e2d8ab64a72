"""The database itself refuses overlapping active appointments of one worker (AC-1.3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import DBAPIError

from slotbook.bootstrap import Container
from slotbook.domain.errors import SlotConflict
from slotbook.infra.db.overlap_guard import refusal
from slotbook.infra.db.tables import appointment
from tests.support import Tenant

START = datetime(2031, 5, 5, 9, 0, tzinfo=UTC)


def _row(
    tenant: Tenant, n: int, start: datetime, minutes: int = 30, key: str = ""
) -> dict[str, object]:
    end = start + timedelta(minutes=minutes)
    return {
        "organization_id": tenant.organization_id,
        "department_id": tenant.department_id,
        "worker_id": tenant.worker_id,
        "name": "Raw",
        "starts_at": start,
        "ends_at": end,
        "blocked_from": start,
        "blocked_until": end,
        "status": "SCHEDULED",
        "qr_token": f"raw-{tenant.organization_id}-{n}",
        "session_key": key or f"raw-{tenant.organization_id}-{n}",
        "created_at": START,
        "updated_at": START,
    }


async def test_overlapping_insert_and_update_are_refused(
    container: Container, tenant: Tenant
) -> None:
    async with container.engine.begin() as conn:
        await conn.execute(insert(appointment).values(_row(tenant, 1, START)))
        # Back to back is fine (half-open ranges); so are members of one session.
        await conn.execute(
            insert(appointment).values(_row(tenant, 2, START + timedelta(minutes=30)))
        )
    for row in (_row(tenant, 3, START + timedelta(minutes=15)),):
        with pytest.raises(DBAPIError) as caught:
            async with container.engine.begin() as conn:
                await conn.execute(insert(appointment).values(row))
        assert isinstance(refusal(caught.value), SlotConflict)
    with pytest.raises(DBAPIError) as caught:
        async with container.engine.begin() as conn:
            await conn.execute(
                update(appointment)
                .where(appointment.c.qr_token == f"raw-{tenant.organization_id}-2")
                .values(blocked_from=START + timedelta(minutes=20))
            )
    assert isinstance(refusal(caught.value), SlotConflict)
    async with container.engine.begin() as conn:
        # A cancelled appointment frees its time.
        await conn.execute(
            update(appointment)
            .where(appointment.c.qr_token == f"raw-{tenant.organization_id}-1")
            .values(status="CANCELLED")
        )
        await conn.execute(insert(appointment).values(_row(tenant, 4, START)))
        await conn.execute(
            insert(appointment).values(_row(tenant, 5, START + timedelta(hours=3), key="s"))
        )
        await conn.execute(
            insert(appointment).values(_row(tenant, 6, START + timedelta(hours=3), key="s"))
        )

"""Lookups between public UUIDs and integer ids, scoped to one organization."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Table, select

from slotbook.domain.identifiers import Entity
from slotbook.infra.db.repositories import _Scoped
from slotbook.infra.db.tables import (
    appointment,
    appointment_type,
    client,
    department,
    patient,
    worker,
)

_TABLES: dict[Entity, Table] = {
    Entity.DEPARTMENT: department,
    Entity.WORKER: worker,
    Entity.CLIENT: client,
    Entity.PATIENT: patient,
    Entity.APPOINTMENT_TYPE: appointment_type,
    Entity.APPOINTMENT: appointment,
}


class SqlPublicIds(_Scoped):
    async def find(self, entity: Entity, public_id: UUID) -> int | None:
        table = _TABLES[entity]
        # The uuid column's unique index finds the row; the organization keeps tenants apart.
        found = (
            await self._conn.execute(
                select(table.c.id).where(
                    table.c.uuid == public_id, table.c.organization_id == self._org
                )
            )
        ).scalar_one_or_none()
        return int(found) if found is not None else None

    async def public_ids(self, entity: Entity, ids: Sequence[int]) -> dict[int, UUID]:
        if not ids:
            return {}
        table = _TABLES[entity]
        rows = await self._conn.execute(
            select(table.c.id, table.c.uuid).where(
                table.c.organization_id == self._org, table.c.id.in_(sorted(set(ids)))
            )
        )
        return {int(row.id): row.uuid for row in rows}

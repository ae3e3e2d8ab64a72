"""The organization's agenda version: read once per unit of work, bumped by agenda writes."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.infra.db.tables import department, organization


async def bump_agenda_version(connection: AsyncConnection, organization_id: int) -> None:
    """Count one change of the organization's agenda, in the caller's transaction."""
    await connection.execute(
        update(organization)
        .where(organization.c.id == organization_id)
        .values(agenda_version=organization.c.agenda_version + 1)
    )


async def bump_department_owner(connection: AsyncConnection, department_id: int) -> None:
    """The same, for the organization that owns the department."""
    owner = (
        select(department.c.organization_id)
        .where(department.c.id == department_id)
        .scalar_subquery()
    )
    await connection.execute(
        update(organization)
        .where(organization.c.id == owner)
        .values(agenda_version=organization.c.agenda_version + 1)
    )


class AgendaVersion:
    """One unit of work's view of the version: read at most once, and not at all once this
    unit of work changed the agenda (its own uncommitted reads must not be cached)."""

    def __init__(self, connection: AsyncConnection, organization_id: int) -> None:
        self._conn = connection
        self._org = organization_id
        self._read: int | None = None
        self._changed = False

    async def read(self) -> int | None:
        if self._changed:
            return None
        if self._read is None:
            self._read = int(
                (
                    await self._conn.execute(
                        select(organization.c.agenda_version).where(organization.c.id == self._org)
                    )
                ).scalar_one()
            )
        return self._read

    async def changed(self) -> None:
        if not self._changed:
            self._changed = True
            await bump_agenda_version(self._conn, self._org)

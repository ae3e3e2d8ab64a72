"""The appointment history repository: append and read, never change (triggers enforce it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, insert, select

from slotbook.application.ports import NewHistoryEntry, Page
from slotbook.domain.history import Actor, Change, HistoryAction, HistoryEntry
from slotbook.infra.db.repositories import _Scoped, changes_text
from slotbook.infra.db.tables import api_key, appointment_event


def _entry(row: Any) -> HistoryEntry:
    changes = orjson.loads(row.changes)
    return HistoryEntry(
        id=row.id,
        appointment_id=row.appointment_id,
        action=HistoryAction(row.action),
        actor=Actor(row.actor),
        api_key_id=row.api_key_id,
        api_key_name=row.api_key_name,
        change=Change(changes.get("values", {}), tuple(changes.get("personal", ()))),
        created_at=row.created_at,
    )


_APPEND = insert(appointment_event)  # built once; the values are bound by column name


class SqlHistory(_Scoped):
    async def append(self, entries: Sequence[NewHistoryEntry], now: datetime) -> None:
        if not entries:
            return
        rows = [
            {
                "organization_id": self._org,
                "appointment_id": e.appointment_id,
                "action": e.action.value,
                "actor": e.actor.value,
                "api_key_id": e.api_key_id,
                "changes": changes_text(e.change),
                "created_at": now,
            }
            for e in entries
        ]
        # One entry (a booking's) is one plain INSERT; several are executemany.
        await self._conn.execute(_APPEND, rows[0] if len(rows) == 1 else rows)

    async def list(self, appointment_id: int, page: int, size: int) -> Page[HistoryEntry]:
        where = (
            appointment_event.c.organization_id == self._org,
            appointment_event.c.appointment_id == appointment_id,
        )
        total = (
            await self._conn.execute(
                select(func.count()).select_from(appointment_event).where(*where)
            )
        ).scalar_one()
        rows = await self._conn.execute(
            select(appointment_event, api_key.c.name.label("api_key_name"))
            .select_from(
                appointment_event.outerjoin(api_key, api_key.c.id == appointment_event.c.api_key_id)
            )
            .where(*where)
            .order_by(appointment_event.c.id)
            .limit(size)
            .offset(page * size)
        )
        return Page([_entry(row) for row in rows], page, size, total)

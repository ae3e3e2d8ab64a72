"""Due reminders across organizations, claimed with FOR UPDATE SKIP LOCKED (PostgreSQL).

The worker is not scoped to one organization: it looks for every active appointment whose
department has an offset that has come and that `appointment_reminder` does not record yet.
One query per distinct offset in use (a handful), each bounded by `starts_at` so it reads the
next few hours or days of appointments only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, bindparam, exists, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from slotbook.application.integration_ports import OutboxRepository
from slotbook.application.reminder_ports import ReminderCandidate, ReminderRecord
from slotbook.domain.appointments import AWAITED_STATUSES
from slotbook.domain.branding import Logo
from slotbook.domain.reminders import parse_offsets
from slotbook.infra.db.outbox import SqlOutbox
from slotbook.infra.db.repositories import _appointment, _appointment_columns, _appointment_from
from slotbook.infra.db.tables import (
    appointment,
    appointment_reminder,
    client,
    department,
    organization,
)

_AWAITED = sorted(status.value for status in AWAITED_STATUSES)
_padded_offsets = literal(",", String) + department.c.reminder_offsets + literal(",", String)


async def _offsets_in_use(conn: AsyncConnection) -> list[int]:
    rows = await conn.execute(select(department.c.reminder_offsets).distinct())
    return sorted({minutes for (text,) in rows for minutes in parse_offsets(text)})


def _due(minutes: int, now: datetime) -> list[ColumnElement[bool]]:
    """Active appointments of departments with this offset, whose offset time has come and
    which `appointment_reminder` does not record for it."""
    recorded = exists().where(
        appointment_reminder.c.appointment_id == appointment.c.id,
        appointment_reminder.c.offset_minutes == minutes,
    )
    return [
        _padded_offsets.like(f"%,{minutes},%"),
        # Spelled out so each department's appointments are one range scan of the listing
        # index (organization_id, department_id, starts_at), not a scan of the whole table.
        appointment.c.organization_id == department.c.organization_id,
        appointment.c.status.in_(_AWAITED),
        appointment.c.archived_at.is_(None),
        appointment.c.starts_at > now,
        appointment.c.starts_at <= now + timedelta(minutes=minutes),
        ~recorded,
    ]


async def count_due(conn: AsyncConnection, now: datetime) -> int:
    """Reminders whose time has come and that are not sent yet (the worker's backlog)."""
    total = 0
    for minutes in await _offsets_in_use(conn):
        total += (
            await conn.execute(
                select(func.count())
                .select_from(
                    appointment.join(department, department.c.id == appointment.c.department_id)
                )
                .where(*_due(minutes, now))
            )
        ).scalar_one()
    return total


class SqlReminderClaim:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection
        self._committed = False
        # The organization of each candidate, which its appointment_reminder rows carry.
        self._organization_of: dict[int, int] = {}

    async def candidates(
        self, organization_id: int, now: datetime, limit: int
    ) -> Sequence[ReminderCandidate]:
        rows: dict[int, Any] = {}
        postgres = self._conn.dialect.name == "postgresql"
        for minutes in await _offsets_in_use(self._conn):
            if len(rows) >= limit:
                break
            query = (
                select(
                    *_appointment_columns,
                    appointment.c.cancel_token,
                    department.c.reminder_offsets,
                    client.c.email.label("client_email"),
                    client.c.phone.label("client_phone"),
                )
                .select_from(
                    _appointment_from.outerjoin(client, client.c.id == appointment.c.client_id)
                )
                .where(appointment.c.organization_id == organization_id, *_due(minutes, now))
                .order_by(appointment.c.starts_at)
                .limit(limit - len(rows))
            )
            if rows:
                query = query.where(appointment.c.id.not_in(list(rows)))
            if postgres:
                # Another worker's claimed appointments are skipped, not waited for.
                query = query.with_for_update(of=appointment, skip_locked=True)
            for row in await self._conn.execute(query):
                rows[row.id] = row
                self._organization_of[row.id] = organization_id
        if not rows:
            return []
        handled_rows = await self._conn.execute(
            select(
                appointment_reminder.c.appointment_id, appointment_reminder.c.offset_minutes
            ).where(appointment_reminder.c.appointment_id.in_(list(rows)))
        )
        handled: dict[int, set[int]] = {}
        for appointment_id, minutes in handled_rows:
            handled.setdefault(appointment_id, set()).add(minutes)
        return [
            ReminderCandidate(
                appointment=_appointment(row),
                offsets=parse_offsets(row.reminder_offsets),
                handled=frozenset(handled.get(appointment_id, ())),
                cancel_token=row.cancel_token,
                email=row.client_email,
                phone=row.client_phone,
            )
            for appointment_id, row in rows.items()
        ]

    async def record(
        self, records: Sequence[ReminderRecord], now: datetime
    ) -> tuple[frozenset[tuple[int, int]], dict[int, str]]:
        if not records:
            return frozenset(), {}
        upsert = pg_insert if self._conn.dialect.name == "postgresql" else sqlite_insert
        # The primary key is the last word on "once": a row another worker committed after
        # this claim read its candidates is a conflict, not an error, and not ours to send.
        won = await self._conn.execute(
            upsert(appointment_reminder)
            .values(
                [
                    {
                        "organization_id": self._organization_of[r.appointment_id],
                        "appointment_id": r.appointment_id,
                        "offset_minutes": m,
                        "sent_at": now,
                    }
                    for r in records
                    for m in r.offsets
                ]
            )
            .on_conflict_do_nothing()
            .returning(appointment_reminder.c.appointment_id, appointment_reminder.c.offset_minutes)
        )
        recorded = frozenset((int(a), int(m)) for a, m in won)
        # The rows are locked by this claim (PostgreSQL) or the database is (SQLite), so a
        # token read with the candidate is still current: only missing ones are written.
        missing = [r for r in records if r.existing_token is None]
        if missing:
            await self._conn.execute(
                update(appointment)
                .where(appointment.c.id == bindparam("aid"), appointment.c.cancel_token.is_(None))
                .values(cancel_token=bindparam("token")),
                [{"aid": r.appointment_id, "token": r.cancel_token} for r in missing],
            )
        return recorded, {r.appointment_id: r.cancel_token for r in records}

    def outbox(self, organization_id: int) -> OutboxRepository:
        return SqlOutbox(self._conn, organization_id)

    async def commit(self) -> None:
        await self._conn.commit()
        self._committed = True


class SqlReminderStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def due_organizations(self, now: datetime, limit: int) -> Sequence[int]:
        async with self._engine.connect() as conn:
            found: set[int] = set()
            for minutes in await _offsets_in_use(conn):
                rows = await conn.execute(
                    select(appointment.c.organization_id)
                    .select_from(
                        appointment.join(department, department.c.id == appointment.c.department_id)
                    )
                    .where(*_due(minutes, now))
                    .distinct()
                    .limit(limit)
                )
                found.update(org for (org,) in rows)
            return sorted(found)[:limit]

    @asynccontextmanager
    async def claim(self) -> AsyncIterator[SqlReminderClaim]:
        async with self._engine.connect() as connection:
            if self._engine.dialect.name == "sqlite":
                await connection.execution_options(sqlite_begin="IMMEDIATE")
            await connection.begin()
            claim = SqlReminderClaim(connection)
            try:
                yield claim
            finally:
                if not claim._committed:
                    await connection.rollback()

    async def branding_of(self, organization_id: int) -> tuple[str | None, Logo | None]:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(
                        organization.c.accent_color, organization.c.logo, organization.c.logo_type
                    ).where(organization.c.id == organization_id)
                )
            ).first()
        if row is None:
            return None, None
        logo = Logo(bytes(row.logo), row.logo_type) if row.logo and row.logo_type else None
        return row.accent_color, logo

    async def mark_sent(self, appointment_id: int, *, email: bool, sms: bool) -> None:
        values = {"email_reminder_sent": True} if email else {}
        if sms:
            values["sms_reminder_sent"] = True
        if not values:
            return
        async with self._engine.begin() as connection:
            await connection.execute(
                update(appointment).where(appointment.c.id == appointment_id).values(**values)
            )

"""Appointment queries of the lifecycle: QR lookup, series, conflicts, sweep and erasure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from slotbook.application.ports import Overdue
from slotbook.domain.appointments import (
    ACTIVE_STATUSES,
    AWAITED_STATUSES,
    Appointment,
    AppointmentStatus,
)
from slotbook.domain.waitlist import HELD_STATUS
from slotbook.infra.db.repositories import (
    LEGACY_DURATION,
    SqlAppointments,
    _appointment,
    _appointment_columns,
    _appointment_from,
)
from slotbook.infra.db.tables import appointment

SWEEP_BATCH = 500  # appointments marked per transaction, so a backlog never holds long locks
ERASED_NAME = ""  # appointment.name is required; an erased appointment keeps an empty one


def _overlaps(other: Appointment) -> ColumnElement[bool]:
    # Half-open [start, end) ranges: back-to-back appointments do not conflict.
    ends_at = other.ends_at or other.starts_at + LEGACY_DURATION
    return and_(appointment.c.starts_at < ends_at, appointment.c.ends_at > other.starts_at)


class SqlAppointmentStore(SqlAppointments):
    async def _select(
        self, *conditions: ColumnElement[bool], lock: bool = False
    ) -> list[Appointment]:
        query = (
            select(*_appointment_columns)
            .select_from(_appointment_from)
            .where(
                appointment.c.organization_id == self._org,
                appointment.c.status != HELD_STATUS,  # a waitlist hold is no appointment
                *conditions,
            )
            .order_by(appointment.c.starts_at, appointment.c.id)
        )
        if lock:
            # Only the appointment rows: locking the organization row would serialise the
            # whole tenant. (SQLite has no row locks; its write transactions are IMMEDIATE.)
            query = query.with_for_update(of=appointment)
        rows = await self._conn.execute(query)
        return [_appointment(row) for row in rows]

    async def get_for_update(self, appointment_id: int) -> Appointment | None:
        found = await self._select(appointment.c.id == appointment_id, lock=True)
        return found[0] if found else None

    async def get_by_qr_token(self, token: str) -> Appointment | None:
        found = await self._select(appointment.c.qr_token == token)
        return found[0] if found else None

    async def series_from(self, first: Appointment) -> Sequence[Appointment]:
        series = first.series_id
        return await self._select(
            or_(appointment.c.id == series, appointment.c.repeated_from_id == series),
            appointment.c.starts_at >= first.starts_at,
            lock=True,
        )

    async def overlapping(self, subject: Appointment) -> Sequence[Appointment]:
        same_party: list[ColumnElement[bool]] = []
        if subject.worker_id is not None:
            # Members of one group session share the worker on purpose: not a conflict.
            own_session = (
                select(appointment.c.session_key)
                .where(appointment.c.organization_id == self._org, appointment.c.id == subject.id)
                .scalar_subquery()
            )
            same_party.append(
                and_(
                    appointment.c.worker_id == subject.worker_id,
                    appointment.c.session_key != own_session,
                )
            )
        if subject.client_id is not None:
            same_party.append(appointment.c.client_id == subject.client_id)
        if not same_party:
            return []
        return await self._select(
            appointment.c.id != subject.id,
            appointment.c.status.in_([s.value for s in ACTIVE_STATUSES]),
            or_(*same_party),
            _overlaps(subject),
        )

    async def mark_missed_before(self, cutoff: datetime, now: datetime) -> Sequence[Overdue]:
        awaited = [s.value for s in AWAITED_STATUSES]
        rows = (
            await self._conn.execute(
                select(appointment.c.id, appointment.c.client_id, appointment.c.status)
                .where(
                    appointment.c.organization_id == self._org,
                    appointment.c.status.in_(awaited),
                    appointment.c.starts_at < cutoff,
                )
                .order_by(appointment.c.id)
                .limit(SWEEP_BATCH)
                .with_for_update()
            )
        ).all()
        if not rows:
            return []
        await self._conn.execute(
            update(appointment)
            .where(
                appointment.c.organization_id == self._org,
                appointment.c.id.in_([row.id for row in rows]),
            )
            .values(
                status=AppointmentStatus.MISSED.value,
                version=appointment.c.version + 1,
                updated_at=now,
            )
        )
        return [Overdue(row.id, row.client_id, AppointmentStatus(row.status)) for row in rows]

    async def count_no_shows(self, client_id: int, since: datetime) -> int:
        count = (
            await self._conn.execute(
                select(func.count())
                .select_from(appointment)
                .where(
                    and_(
                        appointment.c.organization_id == self._org,
                        appointment.c.client_id == client_id,
                        appointment.c.status == AppointmentStatus.MISSED.value,
                        appointment.c.starts_at >= since,
                    )
                )
            )
        ).scalar_one()
        return int(count)

    async def erase_client(self, client_id: int, now: datetime) -> Sequence[int]:
        rows = await self._conn.execute(
            update(appointment)
            .where(appointment.c.organization_id == self._org, appointment.c.client_id == client_id)
            .values(
                name=ERASED_NAME,
                external_user_id=None,
                notes=None,
                reason=None,
                cancellation_note=None,
                version=appointment.c.version + 1,
                updated_at=now,
            )
            .returning(appointment.c.id)
        )
        return sorted(row.id for row in rows)

    async def cancel_token(self, appointment_id: int) -> str | None:
        token: str | None = (
            await self._conn.execute(
                select(appointment.c.cancel_token).where(
                    appointment.c.organization_id == self._org, appointment.c.id == appointment_id
                )
            )
        ).scalar_one_or_none()
        return token

    async def set_cancel_token(self, appointment_id: int, token: str) -> None:
        # Only while it has none: of two concurrent callers, the first token stays.
        await self._conn.execute(
            update(appointment)
            .where(
                appointment.c.organization_id == self._org,
                appointment.c.id == appointment_id,
                appointment.c.cancel_token.is_(None),
            )
            .values(cancel_token=token)
        )

    async def get_by_cancel_token(self, token: str) -> Appointment | None:
        found = await self._select(appointment.c.cancel_token == token)
        return found[0] if found else None

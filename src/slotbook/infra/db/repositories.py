"""Repositories built for one organization: every query carries its organization_id."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from slotbook.application.ports import AppointmentFilter, NewAppointment, Page
from slotbook.domain.appointments import Appointment, AppointmentStatus, CancellationReason
from slotbook.domain.organizations import Department, Organization
from slotbook.domain.policy import BookingPolicy
from slotbook.domain.reminders import format_offsets, parse_offsets
from slotbook.domain.schedules import SchedulingSettings
from slotbook.infra.db import pg_statements as pg
from slotbook.infra.db.listing import listing_conditions, listing_order
from slotbook.infra.db.pg_compiled import compiled_read
from slotbook.infra.db.pg_direct import PgDirect
from slotbook.infra.db.scheduling_statements import _POLICY_COLUMNS
from slotbook.infra.db.tables import (
    appointment,
    department,
    department_worker,
    organization,
)

# Appointments booked without a type (before scheduling, or in the legacy style) last this long.
LEGACY_DURATION = timedelta(minutes=30)

_zone = func.coalesce(department.c.time_zone, organization.c.time_zone)

_department_columns = (
    department.c.id,
    department.c.organization_id,
    organization.c.name.label("organization_name"),
    department.c.name,
    department.c.description,
    department.c.show_admins_in_booking,
    _zone.label("time_zone"),
    department.c.no_show_limit,
    department.c.no_show_window_days,
    department.c.uuid,
    department.c.booking_page_enabled,
)
_department_from = department.join(organization, organization.c.id == department.c.organization_id)

_appointment_columns = (
    appointment.c.id,
    appointment.c.organization_id,
    appointment.c.department_id,
    department.c.name.label("department_name"),
    _zone.label("time_zone"),
    appointment.c.worker_id,
    appointment.c.name,
    appointment.c.external_user_id,
    appointment.c.starts_at,
    appointment.c.status,
    appointment.c.qr_token,
    appointment.c.created_at,
    appointment.c.updated_at,
    appointment.c.cancelled_at,
    appointment.c.ends_at,
    appointment.c.appointment_type_id,
    appointment.c.client_id,
    appointment.c.patient_id,
    appointment.c.notes,
    appointment.c.reason,
    appointment.c.is_urgent,
    appointment.c.source,
    appointment.c.from_web,
    appointment.c.telehealth_url,
    appointment.c.version,
    appointment.c.arrived_at,
    appointment.c.archived_at,
    appointment.c.cancellation_reason,
    appointment.c.cancellation_note,
    appointment.c.repeated_from_id,
    appointment.c.email_reminder_sent,
    appointment.c.sms_reminder_sent,
    appointment.c.uuid,
)
_appointment_from = appointment.join(
    department, department.c.id == appointment.c.department_id
).join(organization, organization.c.id == appointment.c.organization_id)
_APPOINTMENT_BY_ID = compiled_read(
    select(*_appointment_columns)
    .select_from(_appointment_from)
    .where(appointment.c.organization_id == bindparam("org"), appointment.c.id == bindparam("id"))
)


def _department(row: Any) -> Department:
    return Department(
        id=row.id,
        organization_id=row.organization_id,
        organization_name=row.organization_name,
        name=row.name,
        description=row.description,
        show_admins_in_booking=bool(row.show_admins_in_booking),
        time_zone=row.time_zone,
        no_show_limit=row.no_show_limit,
        no_show_window_days=row.no_show_window_days,
        uuid=row.uuid,
        booking_page_enabled=bool(row.booking_page_enabled),
    )


_DepartmentRead = tuple[
    Department,
    tuple[tuple[int, str, UUID], ...],
    tuple[tuple[int, ...], tuple[tuple[int | None, int, int, int], ...]],
    SchedulingSettings,
    bool,
]


# The same department is read by every booking of it: its row (without the reserved id) parsed
# once, into immutable parts, costs a lookup instead of 20-30 µs. Keyed by the whole row, so a
# changed department is parsed anew.
@lru_cache(maxsize=256)
def _department_read(row: tuple[Any, ...]) -> _DepartmentRead:
    """The department, its workers, its and their weekly hours, its scheduling settings, and
    whether its organization watches its balance, from a row of pg_statements.DEPARTMENT."""
    (id_, org, org_name, name, description, show_admins, own_zone, org_zone) = row[:8]
    (no_show_limit, no_show_window, interval, capacity, public_id, page_on) = row[8:14]
    always_open, policy, (workers, hours) = row[15], row[16:-2], row[-2:]
    staff = tuple((w[0], w[1], UUID(w[2])) for w in orjson.loads(workers))
    settings = SchedulingSettings(
        department_id=id_,
        time_zone=own_zone or org_zone,
        slot_interval_minutes=interval,
        slot_capacity=capacity,
        policy=BookingPolicy(**dict(zip(_POLICY_COLUMNS, policy, strict=True))),
        always_open=bool(always_open),
    )
    found = Department(
        id=id_,
        organization_id=org,
        organization_name=org_name,
        name=name,
        description=description,
        show_admins_in_booking=bool(show_admins),
        time_zone=own_zone if own_zone is not None else org_zone,
        no_show_limit=no_show_limit,
        no_show_window_days=no_show_window,
        uuid=public_id,
        booking_page_enabled=bool(page_on),
    )
    week = tuple((h[0], h[1], h[2], h[3]) for h in orjson.loads(hours))
    return found, staff, (tuple(w[0] for w in staff), week), settings, bool(row[14])


def _appointment(row: Any) -> Appointment:
    return Appointment(
        id=row.id,
        organization_id=row.organization_id,
        department_id=row.department_id,
        department_name=row.department_name,
        time_zone=row.time_zone,
        worker_id=row.worker_id,
        name=row.name,
        external_user_id=row.external_user_id,
        starts_at=row.starts_at,
        status=AppointmentStatus(row.status),
        qr_token=row.qr_token,
        created_at=row.created_at,
        updated_at=row.updated_at,
        cancelled_at=row.cancelled_at,
        ends_at=row.ends_at,
        appointment_type_id=row.appointment_type_id,
        client_id=row.client_id,
        patient_id=row.patient_id,
        notes=row.notes,
        reason=row.reason,
        is_urgent=bool(row.is_urgent),
        source=row.source,
        from_web=bool(row.from_web),
        telehealth_url=row.telehealth_url,
        version=row.version,
        arrived_at=row.arrived_at,
        archived_at=row.archived_at,
        cancellation_reason=(
            CancellationReason(row.cancellation_reason)
            if row.cancellation_reason is not None
            else None
        ),
        cancellation_note=row.cancellation_note,
        repeated_from_id=row.repeated_from_id,
        email_reminder_sent=bool(row.email_reminder_sent),
        sms_reminder_sent=bool(row.sms_reminder_sent),
        uuid=row.uuid,
    )


def _appointment_conditions(
    organization_id: int, criteria: AppointmentFilter
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [appointment.c.organization_id == organization_id]
    if criteria.status is not None:
        conditions.append(appointment.c.status == criteria.status.value)
    if criteria.department_id is not None:
        conditions.append(appointment.c.department_id == criteria.department_id)
    if criteria.external_user_id is not None:
        conditions.append(appointment.c.external_user_id == criteria.external_user_id)
    if criteria.starts_from is not None:
        conditions.append(appointment.c.starts_at >= criteria.starts_from)
    if criteria.starts_until is not None:
        conditions.append(appointment.c.starts_at <= criteria.starts_until)
    conditions.extend(listing_conditions(criteria))
    return conditions


class _Scoped:
    def __init__(
        self, connection: AsyncConnection, organization_id: int, direct: PgDirect | None = None
    ) -> None:
        self._conn = connection
        self._org = organization_id
        # PostgreSQL: the booking path's statements run straight through psycopg (pg_direct).
        self._direct = direct


class SqlOrganization(_Scoped):
    async def get(self) -> Organization | None:
        row = (
            await self._conn.execute(
                select(
                    organization.c.id,
                    organization.c.name,
                    organization.c.time_zone,
                    organization.c.credits,
                ).where(organization.c.id == self._org)
            )
        ).first()
        return Organization(row.id, row.name, row.time_zone, row.credits) if row else None


_DEPARTMENTS = compiled_read(
    select(*_department_columns)
    .select_from(_department_from)
    .where(department.c.organization_id == bindparam("org"))
    .order_by(department.c.id)
)


class SqlDepartments(_Scoped):
    async def list(self) -> Sequence[Department]:
        rows = await _DEPARTMENTS.all(self._conn, self._direct, {"org": self._org})
        return [_department(row) for row in rows]

    async def get(self, department_id: int) -> Department | None:
        if self._direct is not None:
            return await self._get_direct(department_id)
        row = (
            await self._conn.execute(
                select(*_department_columns)
                .select_from(_department_from)
                .where(department.c.organization_id == self._org, department.c.id == department_id)
            )
        ).first()
        return _department(row) if row else None

    async def _get_direct(self, department_id: int) -> Department | None:
        assert self._direct is not None
        direct = self._direct
        reserve = direct.id_wanted
        row = await direct.first(pg.DEPARTMENT, (reserve, self._org, department_id))
        if row is None:
            return None
        if reserve:
            direct.id_wanted = False
            direct.reserved_ids.append(row[-1])
        parsed = _department_read(row[:-1])
        department_, staff, hours, settings, watched = parsed
        direct.low_credits_watched = watched
        direct.workers[department_.id] = staff
        direct.hours[department_.id] = hours
        # The booking reads the settings next: scheduling.settings finds them here.
        direct.settings[department_.id] = settings
        return department_

    async def has_worker(self, department_id: int, worker_id: int) -> bool:
        # The department was already checked to be ours, so the membership row is enough.
        if self._direct is not None:
            found = await self._direct.first(pg.HAS_WORKER, (department_id, worker_id))
            return found is not None
        row = (
            await self._conn.execute(
                select(department_worker.c.worker_id).where(
                    department_worker.c.department_id == department_id,
                    department_worker.c.worker_id == worker_id,
                )
            )
        ).first()
        return row is not None

    async def reminder_offsets(self, department_id: int) -> tuple[int, ...]:
        text = (
            await self._conn.execute(
                select(department.c.reminder_offsets).where(
                    department.c.organization_id == self._org, department.c.id == department_id
                )
            )
        ).scalar_one()
        return parse_offsets(text)

    async def set_reminder_offsets(self, department_id: int, offsets: Sequence[int]) -> None:
        await self._conn.execute(
            update(department)
            .where(department.c.organization_id == self._org, department.c.id == department_id)
            .values(reminder_offsets=format_offsets(offsets))
        )


class SqlAppointments(_Scoped):
    def prepare_add(self) -> None:
        if self._direct is not None:
            self._direct.id_wanted = True

    async def add(self, new: NewAppointment, now: datetime) -> tuple[int, datetime]:
        ends_at = new.ends_at or new.starts_at + LEGACY_DURATION
        if self._direct is not None:
            reserved = self._direct.reserved_ids
            if reserved:
                appointment_id = reserved.pop()
            else:
                taken = await self._direct.first(pg.NEXT_APPOINTMENT_ID, ())
                assert taken is not None
                appointment_id = int(taken[0])
            # Sent with the commit: the overlap guard's refusal, if any, comes from there.
            self._direct.defer(
                pg.INSERT_APPOINTMENT,
                (
                    appointment_id,
                    new.uuid,
                    self._org,
                    new.department_id,
                    new.worker_id,
                    new.name,
                    new.external_user_id,
                    new.starts_at,
                    AppointmentStatus.SCHEDULED.value,
                    new.qr_token,
                    new.created_by_key_id,
                    now,
                    now,
                    ends_at,
                    new.appointment_type_id,
                    new.blocked_from or new.starts_at,
                    new.blocked_until or ends_at,
                    new.session_key or new.qr_token,
                    new.client_id,
                    new.patient_id,
                    new.notes,
                    new.reason,
                    new.is_urgent,
                    new.source,
                    new.from_web,
                    new.telehealth_url,
                    new.repeated_from_id,
                    new.cancel_token,
                ),
            )
            return appointment_id, now
        row = (
            await self._conn.execute(
                insert(appointment)
                .values(
                    organization_id=self._org,
                    department_id=new.department_id,
                    worker_id=new.worker_id,
                    name=new.name,
                    external_user_id=new.external_user_id,
                    starts_at=new.starts_at,
                    status=AppointmentStatus.SCHEDULED.value,
                    qr_token=new.qr_token,
                    created_by_key_id=new.created_by_key_id,
                    created_at=now,
                    updated_at=now,
                    ends_at=ends_at,
                    appointment_type_id=new.appointment_type_id,
                    blocked_from=new.blocked_from or new.starts_at,
                    blocked_until=new.blocked_until or ends_at,
                    session_key=new.session_key or new.qr_token,
                    client_id=new.client_id,
                    patient_id=new.patient_id,
                    notes=new.notes,
                    reason=new.reason,
                    is_urgent=new.is_urgent,
                    source=new.source,
                    from_web=new.from_web,
                    telehealth_url=new.telehealth_url,
                    repeated_from_id=new.repeated_from_id,
                    uuid=new.uuid,
                    cancel_token=new.cancel_token,
                )
                .returning(appointment.c.id, appointment.c.created_at)
            )
        ).one()
        return row.id, row.created_at

    async def get(self, appointment_id: int) -> Appointment | None:
        row = await _APPOINTMENT_BY_ID.first(
            self._conn, self._direct, {"org": self._org, "id": appointment_id}
        )
        return _appointment(row) if row else None

    async def list(self, criteria: AppointmentFilter, page: int, size: int) -> Page[Appointment]:
        where = and_(*_appointment_conditions(self._org, criteria))
        total = (
            await self._conn.execute(select(func.count()).select_from(appointment).where(where))
        ).scalar_one()
        order = listing_order(criteria.sort)
        # Deferred join: the page's ids first, so a deep page skips its offset over index
        # entries only (the listing indexes end with the order's columns), then the page's rows.
        ids = (
            select(appointment.c.id)
            .where(where)
            .order_by(*order)
            .limit(size)
            .offset(page * size)
            .subquery("page_ids")
        )
        rows = await self._conn.execute(
            select(*_appointment_columns)
            .select_from(_appointment_from.join(ids, ids.c.id == appointment.c.id))
            .order_by(*order)
        )
        return Page([_appointment(row) for row in rows], page, size, total)

    async def apply(
        self, appointment_id: int, version: int, values: Mapping[str, Any], now: datetime
    ) -> bool:
        # Compare-and-swap on the version: of two concurrent writers only one succeeds, so a
        # cancellation refunds once and an If-Match check cannot be overtaken.
        result = await self._conn.execute(
            update(appointment)
            .where(
                appointment.c.organization_id == self._org,
                appointment.c.id == appointment_id,
                appointment.c.version == version,
            )
            .values(**values, version=appointment.c.version + 1, updated_at=now)
        )
        return bool(result.rowcount)

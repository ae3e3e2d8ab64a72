"""Repositories built for one organization: every query carries its organization_id."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Integer, String, Text, and_, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from slotbook.application.ports import (
    AppointmentFilter,
    CreationEntry,
    GridAppointment,
    NewAppointment,
    Page,
)
from slotbook.domain.appointments import Appointment, AppointmentStatus, CancellationReason
from slotbook.domain.branding import Branding, Logo
from slotbook.domain.errors import SlotConflict
from slotbook.domain.history import Change, HistoryAction
from slotbook.domain.organizations import Department, Organization
from slotbook.domain.policy import NoShowRule
from slotbook.domain.reminders import format_offsets, parse_offsets
from slotbook.domain.waitlist import HELD_STATUS
from slotbook.infra.db.agenda_version import AgendaVersion
from slotbook.infra.db.listing import listing_conditions, listing_order
from slotbook.infra.db.overlap_guard import refusal
from slotbook.infra.db.tables import (
    appointment,
    appointment_event,
    department,
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
    department.c.address,
    department.c.directions,
    organization.c.accent_color,
    organization.c.logo_type,
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
_APPOINTMENT_BY_ID = (
    select(*_appointment_columns)
    .select_from(_appointment_from)
    .where(
        appointment.c.organization_id == bindparam("org"),
        appointment.c.id == bindparam("id"),
        # A waitlist hold is a row of this table but no appointment (docs/waitlist.md).
        appointment.c.status != HELD_STATUS,
    )
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
        address=row.address,
        directions=row.directions,
        branding=Branding(row.accent_color, row.logo_type),
    )


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
    def __init__(self, connection: AsyncConnection, organization_id: int) -> None:
        self._conn = connection
        self._org = organization_id


class _AgendaWriter(_Scoped):
    """A repository of agenda rows: each of its writes bumps the organization's agenda
    version (infra/db/agenda_version.py)."""

    def __init__(
        self, connection: AsyncConnection, organization_id: int, agenda: AgendaVersion
    ) -> None:
        super().__init__(connection, organization_id)
        self._agenda = agenda


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

    async def branding(self) -> Branding:
        row = (
            await self._conn.execute(
                select(organization.c.accent_color, organization.c.logo_type).where(
                    organization.c.id == self._org
                )
            )
        ).one()
        return Branding(row.accent_color, row.logo_type)

    async def logo(self) -> Logo | None:
        row = (
            await self._conn.execute(
                select(organization.c.logo, organization.c.logo_type).where(
                    organization.c.id == self._org
                )
            )
        ).first()
        if row is None or row.logo is None or row.logo_type is None:
            return None
        return Logo(bytes(row.logo), row.logo_type)

    async def set_accent_color(self, color: str | None) -> None:
        await self._conn.execute(
            update(organization).where(organization.c.id == self._org).values(accent_color=color)
        )

    async def set_logo(self, logo: Logo | None) -> None:
        await self._conn.execute(
            update(organization)
            .where(organization.c.id == self._org)
            .values(logo=logo.data if logo else None, logo_type=logo.media_type if logo else None)
        )


class SqlDepartments(_Scoped):
    async def list(self) -> Sequence[Department]:
        rows = await self._conn.execute(
            select(*_department_columns)
            .select_from(_department_from)
            .where(department.c.organization_id == self._org)
            .order_by(department.c.id)
        )
        return [_department(row) for row in rows]

    async def get(self, department_id: int) -> Department | None:
        row = (
            await self._conn.execute(
                select(*_department_columns)
                .select_from(_department_from)
                .where(department.c.organization_id == self._org, department.c.id == department_id)
            )
        ).first()
        return _department(row) if row else None

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

    async def set_no_show_rule(self, department_id: int, rule: NoShowRule) -> None:
        await self._conn.execute(
            update(department)
            .where(department.c.organization_id == self._org, department.c.id == department_id)
            .values(no_show_limit=rule.limit, no_show_window_days=rule.window_days)
        )


def changes_text(change: Change) -> str:
    """A change as the history's `changes` column keeps it."""
    return orjson.dumps({"values": change.values, "personal": list(change.personal)}).decode()


# A booking's insert and its history entry, built once per dialect (from the columns
# `SqlAppointments._columns` names). On PostgreSQL they are one statement (a data-modifying
# CTE: one round trip); its variant for auto-assignment writes nothing, and returns no row,
# when a constraint refuses the appointment: the overlap guard (an exclusion constraint) when
# the worker's time was taken by a concurrent booking.
_ENTRY = {
    "action": bindparam("h_action", HistoryAction.CREATED.value, type_=String),
    "actor": bindparam("h_actor", type_=String),
    "api_key_id": bindparam("h_api_key_id", type_=Integer),
    "changes": bindparam("h_changes", type_=Text),
}


@cache
def _add_statements(columns: tuple[str, ...], postgresql: bool, unless_taken: bool) -> Any:
    """The insert of an appointment with `columns` (bound as `a_<column>`) and of its history
    entry: one statement on PostgreSQL, two on SQLite."""
    new = {name: bindparam(f"a_{name}", type_=appointment.c[name].type) for name in columns}
    entry: dict[str, Any] = {
        **_ENTRY,
        "organization_id": new["organization_id"],
        "created_at": new["created_at"],
    }
    returned = (appointment.c.id, appointment.c.created_at)
    if not postgresql:
        entry["appointment_id"] = bindparam("h_appointment_id", type_=Integer)
        return (
            insert(appointment).values(new).returning(*returned),
            insert(appointment_event).values(entry),
        )
    add = pg_insert(appointment).values(new)
    if unless_taken:
        add = add.on_conflict_do_nothing()
    added = add.returning(*returned).cte("added")
    entry["appointment_id"] = added.c.id
    history = insert(appointment_event).from_select(list(entry), select(*entry.values()))
    return select(added.c.id, added.c.created_at).add_cte(history.cte("history")), None


class SqlAppointments(_Scoped):
    def _columns(self, new: NewAppointment, now: datetime) -> dict[str, Any]:
        ends_at = new.ends_at or new.starts_at + LEGACY_DURATION
        return {
            "organization_id": self._org,
            "department_id": new.department_id,
            "worker_id": new.worker_id,
            "name": new.name,
            "external_user_id": new.external_user_id,
            "starts_at": new.starts_at,
            "status": AppointmentStatus.SCHEDULED.value,
            "qr_token": new.qr_token,
            "created_by_key_id": new.created_by_key_id,
            "created_at": now,
            "updated_at": now,
            "ends_at": ends_at,
            "appointment_type_id": new.appointment_type_id,
            "blocked_from": new.blocked_from or new.starts_at,
            "blocked_until": new.blocked_until or ends_at,
            "session_key": new.session_key or new.qr_token,
            "client_id": new.client_id,
            "patient_id": new.patient_id,
            "notes": new.notes,
            "reason": new.reason,
            "is_urgent": new.is_urgent,
            "source": new.source,
            "from_web": new.from_web,
            "telehealth_url": new.telehealth_url,
            "repeated_from_id": new.repeated_from_id,
            "uuid": new.uuid,
            "cancel_token": new.cancel_token,
        }

    async def _add(
        self, new: NewAppointment, now: datetime, history: CreationEntry, unless_taken: bool
    ) -> tuple[int, datetime] | None:
        columns = self._columns(new, now)
        values = {f"a_{name}": value for name, value in columns.items()}
        values["h_actor"] = history.actor.value
        values["h_api_key_id"] = history.api_key_id
        values["h_changes"] = changes_text(history.change)
        postgresql = self._conn.dialect.name == "postgresql"
        add, entry = _add_statements(tuple(columns), postgresql, unless_taken)
        row = (await self._conn.execute(add, values)).first()
        if row is not None and entry is not None:
            await self._conn.execute(entry, {**values, "h_appointment_id": row.id})
        return (row.id, row.created_at) if row is not None else None

    async def add(
        self, new: NewAppointment, now: datetime, history: CreationEntry
    ) -> tuple[int, datetime]:
        added = await self._add(new, now, history, unless_taken=False)
        assert added is not None  # a refusal raises
        return added

    async def add_unless_taken(
        self, new: NewAppointment, now: datetime, history: CreationEntry
    ) -> tuple[int, datetime] | None:
        if self._conn.dialect.name == "postgresql":
            # No savepoint: ON CONFLICT DO NOTHING leaves the transaction as it was (a ROLLBACK
            # TO SAVEPOINT would also make psycopg drop its prepared statements, engine.py).
            return await self._add(new, now, history, unless_taken=True)
        try:
            async with self._conn.begin_nested():
                return await self.add(new, now, history)
        except DBAPIError as error:
            refused = refusal(error)
            if isinstance(refused, SlotConflict) and refused.code == "SLOT_UNAVAILABLE":
                return None
            raise

    async def get(self, appointment_id: int) -> Appointment | None:
        row = (
            await self._conn.execute(_APPOINTMENT_BY_ID, {"org": self._org, "id": appointment_id})
        ).first()
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

    async def on_grid(
        self, department_id: int, since: datetime, until: datetime, limit: int
    ) -> Sequence[GridAppointment]:
        c = appointment.c
        rows = await self._conn.execute(
            select(c.id, c.worker_id, c.name, c.starts_at, c.ends_at, c.status, c.version)
            .where(
                c.organization_id == self._org,
                c.department_id == department_id,
                c.starts_at >= since,
                c.starts_at < until,
                c.status != AppointmentStatus.CANCELLED.value,
                c.archived_at.is_(None),
            )
            .order_by(c.starts_at, c.id)
            .limit(limit)
        )
        return [
            GridAppointment(
                r.id,
                r.worker_id,
                r.name,
                r.starts_at,
                r.ends_at,
                AppointmentStatus(r.status),
                r.version,
            )
            for r in rows
        ]

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

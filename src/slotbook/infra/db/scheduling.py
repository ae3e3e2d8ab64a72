"""Scheduling storage for one organization: hours, exceptions, closures, settings, bookings."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    and_,
    bindparam,
    cast,
    delete,
    extract,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from slotbook.application.ports import DepartmentChanges
from slotbook.domain.appointments import ACTIVE_STATUSES
from slotbook.domain.organizations import Worker
from slotbook.domain.policy import BookingPolicy
from slotbook.domain.schedules import (
    MAX_DURATION_MINUTES,
    MINUTES_PER_DAY,
    Booking,
    Closure,
    DailyRange,
    ExceptionKind,
    ScheduleException,
    SchedulingSettings,
)
from slotbook.infra.db.repositories import _Scoped
from slotbook.infra.db.tables import (
    appointment,
    closure,
    department,
    department_worker,
    organization,
    schedule_exception,
    worker,
    working_hours,
)

_ACTIVE = [s.value for s in ACTIVE_STATUSES]
_POLICY_COLUMNS = (
    "max_upcoming_per_client",
    "min_minutes_between_client_appointments",
    "max_advance_days",
    "min_notice_minutes",
    "min_cancel_notice_minutes",
)


def _epoch(column: ColumnElement[Any], sqlite: bool) -> ColumnElement[int]:
    """A stored instant as whole epoch seconds, computed by the database.

    Availability reads thousands of bookings and only compares their instants; converting
    them in SQL skips building and processing a datetime per value.
    """
    if sqlite:
        return cast(func.strftime("%s", column), Integer)
    return cast(func.floor(extract("epoch", column)), BigInteger)


def _exception(row: Any) -> ScheduleException:
    return ScheduleException(
        id=row.id,
        kind=ExceptionKind(row.kind),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        reason=row.reason,
        worker_id=row.worker_id,
        department_id=row.department_id,
    )


def _owner(worker_id: int | None, department_id: int | None) -> list[ColumnElement[bool]]:
    return [
        working_hours.c.worker_id.is_(None)
        if worker_id is None
        else working_hours.c.worker_id == worker_id,
        working_hours.c.department_id.is_(None)
        if department_id is None
        else working_hours.c.department_id == department_id,
    ]


# Namespaces (first key of pg_advisory_xact_lock(int, int)) of the booking locks; see
# docs/scheduling.md "Lock order". The two-key space never meets the one-key space.
_DEPARTMENT_LOCK = 0x5B00_0001
_CLIENT_LOCK = 0x5B00_0002
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:space, :key)")

# A stored blocked interval is at most the longest appointment plus both buffers, so a booking
# meeting [since, until) has blocked_from in (since - _LONGEST_BLOCK, until): a bounded range
# of the (worker_id, blocked_from) index instead of every earlier row.
_LONGEST_BLOCK = timedelta(minutes=MAX_DURATION_MINUTES + 2 * MINUTES_PER_DAY)


def _client_key(organization_id: int, identity: str) -> int:
    """A signed 32-bit key for one client of one organization (a collision only serialises
    two clients' bookings needlessly; it never lets anything through)."""
    digest = hashlib.blake2b(f"{organization_id}:{identity}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


# Statements of the booking path, built once: building and cache-keying a statement on every
# call cost more than running it.
_SETTINGS = (
    select(
        department,
        organization.c.time_zone.label("organization_time_zone"),
    )
    .join(organization, organization.c.id == department.c.organization_id)
    .where(
        department.c.organization_id == bindparam("org"),
        department.c.id == bindparam("department_id"),
    )
)
_WORKERS = (
    select(worker.c.id, worker.c.name)
    .join(department_worker, department_worker.c.worker_id == worker.c.id)
    .where(
        worker.c.organization_id == bindparam("org"),
        department_worker.c.department_id == bindparam("department_id"),
    )
    .order_by(worker.c.id)
)
_HOURS = select(
    working_hours.c.worker_id,
    working_hours.c.weekday,
    working_hours.c.start_minute,
    working_hours.c.end_minute,
).where(
    working_hours.c.organization_id == bindparam("org"),
    or_(
        and_(
            working_hours.c.worker_id.is_(None),
            working_hours.c.department_id == bindparam("department_id"),
        ),
        and_(
            working_hours.c.worker_id.in_(bindparam("worker_ids", expanding=True)),
            or_(
                working_hours.c.department_id.is_(None),
                working_hours.c.department_id == bindparam("department_id"),
            ),
        ),
    ),
)


def _bookings_statement(sqlite: bool, with_workers: bool) -> Any:
    a = appointment.c
    owner = and_(a.worker_id.is_(None), a.department_id == bindparam("department_id"))
    if with_workers:
        owner = or_(a.worker_id.in_(bindparam("worker_ids", expanding=True)), owner)
    return select(
        a.id,
        a.worker_id,
        _epoch(a.starts_at, sqlite),
        _epoch(a.ends_at, sqlite),
        _epoch(a.blocked_from, sqlite),
        _epoch(a.blocked_until, sqlite),
        a.appointment_type_id,
        a.external_user_id,
        a.department_id,
    ).where(
        a.organization_id == bindparam("org"),
        a.status.in_(_ACTIVE),
        a.blocked_from < bindparam("until"),
        a.blocked_from > bindparam("earliest"),
        a.blocked_until > bindparam("since"),
        a.id != bindparam("exclude"),
        owner,
    )


_BOOKINGS = {
    (sqlite, with_workers): _bookings_statement(sqlite, with_workers)
    for sqlite in (False, True)
    for with_workers in (False, True)
}


def _booked_seconds_statement(sqlite: bool) -> Any:
    a = appointment.c
    return (
        select(
            a.worker_id,
            func.sum(_epoch(a.ends_at, sqlite) - _epoch(a.starts_at, sqlite)),
            func.count(),
        )
        .where(
            a.organization_id == bindparam("org"),
            a.status.in_(_ACTIVE),
            a.worker_id.in_(bindparam("worker_ids", expanding=True)),
            a.starts_at >= bindparam("since"),
            a.starts_at < bindparam("until"),
            a.id != bindparam("exclude"),
        )
        .group_by(a.worker_id)
    )


_BOOKED_SECONDS = {sqlite: _booked_seconds_statement(sqlite) for sqlite in (False, True)}


def _client_bookings_statement(sqlite: bool) -> Any:
    a = appointment.c
    return select(
        a.id,
        a.worker_id,
        _epoch(a.starts_at, sqlite),
        _epoch(a.ends_at, sqlite),
        _epoch(a.blocked_from, sqlite),
        _epoch(a.blocked_until, sqlite),
        a.appointment_type_id,
        a.external_user_id,
        a.department_id,
    ).where(
        a.organization_id == bindparam("org"),
        # Known by its externalUserId and, once it has one, by its client record; a None
        # binds NULL, which matches nothing.
        or_(
            a.external_user_id == bindparam("external_user_id"),
            a.client_id == bindparam("client_id"),
        ),
        a.status.in_(_ACTIVE),
        a.ends_at > bindparam("since"),
    )


_CLIENT_BOOKINGS = {sqlite: _client_bookings_statement(sqlite) for sqlite in (False, True)}
# No appointment has this id: the "nothing excluded" value of the `exclude` parameter.
_NONE = 0


class SqlScheduling(_Scoped):
    def __init__(self, connection: AsyncConnection, organization_id: int) -> None:
        super().__init__(connection, organization_id)
        self._sqlite = connection.dialect.name == "sqlite"
        # Settings read once per unit of work (a booking needs them in several steps).
        self._settings: dict[int, SchedulingSettings | None] = {}

    async def _advisory_lock(self, space: int, key: int) -> None:
        # SQLite write units of work begin with BEGIN IMMEDIATE: writers are already serial.
        if not self._sqlite:
            await self._conn.execute(_ADVISORY_LOCK, {"space": space, "key": key})

    async def lock_department(self, department_id: int) -> None:
        await self._advisory_lock(_DEPARTMENT_LOCK, department_id)

    async def lock_client(self, identity: str) -> None:
        await self._advisory_lock(_CLIENT_LOCK, _client_key(self._org, identity))

    async def settings(self, department_id: int) -> SchedulingSettings | None:
        if department_id in self._settings:
            return self._settings[department_id]
        row = (
            await self._conn.execute(_SETTINGS, {"org": self._org, "department_id": department_id})
        ).first()
        found = None
        if row is not None:
            found = SchedulingSettings(
                department_id=row.id,
                time_zone=row.time_zone or row.organization_time_zone,
                slot_interval_minutes=row.slot_interval_minutes,
                slot_capacity=row.slot_capacity,
                policy=BookingPolicy(**{name: getattr(row, name) for name in _POLICY_COLUMNS}),
            )
        self._settings[department_id] = found
        return found

    async def own_time_zone(self, department_id: int) -> str | None:
        return (
            await self._conn.execute(
                select(department.c.time_zone).where(
                    department.c.organization_id == self._org, department.c.id == department_id
                )
            )
        ).scalar_one_or_none()

    def _department_values(self, changes: DepartmentChanges) -> dict[str, Any]:
        return {
            "name": changes.name,
            "description": changes.description,
            "show_admins_in_booking": changes.show_admins_in_booking,
            "time_zone": changes.own_time_zone,
            "slot_interval_minutes": changes.slot_interval_minutes,
            "slot_capacity": changes.slot_capacity,
            **{name: getattr(changes.policy, name) for name in _POLICY_COLUMNS},
        }

    async def add_department(self, changes: DepartmentChanges, now: datetime) -> int:
        return int(
            (
                await self._conn.execute(
                    insert(department)
                    .values(
                        organization_id=self._org,
                        created_at=now,
                        **self._department_values(changes),
                    )
                    .returning(department.c.id)
                )
            ).scalar_one()
        )

    async def update_department(self, department_id: int, changes: DepartmentChanges) -> None:
        self._settings.pop(department_id, None)
        await self._conn.execute(
            update(department)
            .where(department.c.organization_id == self._org, department.c.id == department_id)
            .values(**self._department_values(changes))
        )

    async def department_workers(self, department_id: int) -> Sequence[Worker]:
        rows = await self._conn.execute(
            _WORKERS, {"org": self._org, "department_id": department_id}
        )
        return [Worker(row.id, self._org, row.name) for row in rows]

    async def hours(
        self, department_id: int, worker_ids: Sequence[int]
    ) -> dict[int | None, tuple[DailyRange, ...]]:
        rows = await self._conn.execute(
            _HOURS,
            {"org": self._org, "department_id": department_id, "worker_ids": list(worker_ids)},
        )
        found: dict[int | None, list[DailyRange]] = defaultdict(list)
        for row in rows:
            found[row.worker_id].append(DailyRange(row.weekday, row.start_minute, row.end_minute))
        return {owner: tuple(sorted(ranges)) for owner, ranges in found.items()}

    async def hours_of(
        self, *, worker_id: int | None, department_id: int | None
    ) -> tuple[DailyRange, ...]:
        rows = await self._conn.execute(
            select(working_hours).where(
                working_hours.c.organization_id == self._org, *_owner(worker_id, department_id)
            )
        )
        return tuple(sorted(DailyRange(r.weekday, r.start_minute, r.end_minute) for r in rows))

    async def replace_hours(
        self,
        *,
        worker_id: int | None,
        department_id: int | None,
        ranges: Sequence[DailyRange],
    ) -> None:
        await self._conn.execute(
            delete(working_hours).where(
                working_hours.c.organization_id == self._org, *_owner(worker_id, department_id)
            )
        )
        if ranges:
            await self._conn.execute(
                insert(working_hours),
                [
                    {
                        "organization_id": self._org,
                        "worker_id": worker_id,
                        "department_id": department_id,
                        "weekday": r.weekday,
                        "start_minute": r.start_minute,
                        "end_minute": r.end_minute,
                    }
                    for r in ranges
                ],
            )

    async def exceptions(
        self, department_id: int, worker_ids: Sequence[int], since: datetime, until: datetime
    ) -> Sequence[ScheduleException]:
        rows = await self._conn.execute(
            select(schedule_exception)
            .where(
                schedule_exception.c.organization_id == self._org,
                schedule_exception.c.starts_at < until,
                schedule_exception.c.ends_at > since,
                or_(
                    schedule_exception.c.worker_id.in_(worker_ids),
                    and_(
                        schedule_exception.c.worker_id.is_(None),
                        schedule_exception.c.department_id == department_id,
                    ),
                ),
            )
            .order_by(schedule_exception.c.starts_at)
        )
        return [_exception(row) for row in rows]

    async def list_exceptions(
        self, *, worker_id: int | None, department_id: int | None
    ) -> Sequence[ScheduleException]:
        owner = (
            schedule_exception.c.worker_id == worker_id
            if worker_id is not None
            else and_(
                schedule_exception.c.worker_id.is_(None),
                schedule_exception.c.department_id == department_id,
            )
        )
        rows = await self._conn.execute(
            select(schedule_exception)
            .where(schedule_exception.c.organization_id == self._org, owner)
            .order_by(schedule_exception.c.starts_at, schedule_exception.c.id)
        )
        return [_exception(row) for row in rows]

    async def add_exception(self, exception: ScheduleException, now: datetime) -> int:
        return int(
            (
                await self._conn.execute(
                    insert(schedule_exception)
                    .values(
                        organization_id=self._org,
                        worker_id=exception.worker_id,
                        department_id=exception.department_id,
                        kind=exception.kind.value,
                        starts_at=exception.starts_at,
                        ends_at=exception.ends_at,
                        reason=exception.reason,
                        created_at=now,
                    )
                    .returning(schedule_exception.c.id)
                )
            ).scalar_one()
        )

    async def delete_exception(self, exception_id: int, worker_id: int | None) -> bool:
        result = await self._conn.execute(
            delete(schedule_exception).where(
                schedule_exception.c.organization_id == self._org,
                schedule_exception.c.id == exception_id,
                schedule_exception.c.worker_id == worker_id,
            )
        )
        return bool(result.rowcount)

    async def closures(self, department_id: int) -> Sequence[Closure]:
        rows = await self._conn.execute(
            select(closure)
            .where(closure.c.organization_id == self._org, closure.c.department_id == department_id)
            .order_by(closure.c.day)
        )
        return [Closure(row.id, row.department_id, row.day, row.reason) for row in rows]

    async def add_closure(self, new: Closure) -> int:
        exists = (
            await self._conn.execute(
                select(closure.c.id).where(
                    closure.c.department_id == new.department_id, closure.c.day == new.day
                )
            )
        ).scalar_one_or_none()
        if exists is not None:
            await self._conn.execute(
                update(closure).where(closure.c.id == exists).values(reason=new.reason)
            )
            return int(exists)
        return int(
            (
                await self._conn.execute(
                    insert(closure)
                    .values(
                        organization_id=self._org,
                        department_id=new.department_id,
                        day=new.day,
                        reason=new.reason,
                    )
                    .returning(closure.c.id)
                )
            ).scalar_one()
        )

    async def delete_closure(self, department_id: int, closure_id: int) -> bool:
        result = await self._conn.execute(
            delete(closure).where(
                closure.c.organization_id == self._org,
                closure.c.department_id == department_id,
                closure.c.id == closure_id,
            )
        )
        return bool(result.rowcount)

    async def bookings(
        self,
        department_id: int,
        worker_ids: Sequence[int],
        since: datetime,
        until: datetime,
        exclude: int | None = None,
    ) -> Sequence[Booking]:
        statement = _BOOKINGS[self._sqlite, bool(worker_ids)]
        rows = await self._conn.execute(
            statement,
            {
                "org": self._org,
                "department_id": department_id,
                "worker_ids": list(worker_ids),
                "since": since,
                "until": until,
                "earliest": since - _LONGEST_BLOCK,
                "exclude": _NONE if exclude is None else exclude,
            },
        )
        of = Booking.of_epochs
        return [of(*row) for row in rows]

    async def booked_minutes(
        self, worker_ids: Sequence[int], since: datetime, until: datetime, exclude: int | None
    ) -> dict[int, tuple[int, int]]:
        rows = await self._conn.execute(
            _BOOKED_SECONDS[self._sqlite],
            {
                "org": self._org,
                "worker_ids": list(worker_ids),
                "since": since,
                "until": until,
                "exclude": _NONE if exclude is None else exclude,
            },
        )
        return {row[0]: (int(row[1] or 0) // 60, int(row[2])) for row in rows}

    async def client_bookings(
        self, external_user_id: str | None, since: datetime, client_id: int | None = None
    ) -> Sequence[Booking]:
        if external_user_id is None and client_id is None:
            return []
        rows = await self._conn.execute(
            _CLIENT_BOOKINGS[self._sqlite],
            {
                "org": self._org,
                "external_user_id": external_user_id,
                "client_id": client_id,
                "since": since,
            },
        )
        of = Booking.of_epochs
        return [of(*row) for row in rows]

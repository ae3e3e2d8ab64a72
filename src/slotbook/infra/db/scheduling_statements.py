"""The scheduling repository's SQL, built once at import: statements, lock keys and row helpers."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from slotbook.domain.appointments import ACTIVE_STATUSES
from slotbook.domain.schedules import (
    MAX_DURATION_MINUTES,
    MINUTES_PER_DAY,
    ExceptionKind,
    ScheduleException,
)
from slotbook.infra.db.tables import (
    appointment,
    department,
    department_worker,
    organization,
    worker,
    working_hours,
)

_ACTIVE = [s.value for s in ACTIVE_STATUSES]
# The same condition as written text, in the words of the partial indexes on active
# appointments (tables._ACTIVE_STATUSES): SQLite uses a partial index only when the query
# says what its WHERE says, and a bound parameter says nothing at planning time.
_ACTIVE_TEXT = literal_column("appointment.status").in_(
    [literal_column(f"'{s.value}'") for s in sorted(ACTIVE_STATUSES)]
)
_POLICY_COLUMNS = (
    "max_upcoming_per_client",
    "min_minutes_between_client_appointments",
    "max_advance_days",
    "min_notice_minutes",
    "min_cancel_notice_minutes",
)


# unixepoch() (SQLite 3.38+) reads the stored text straight to an integer; older libraries
# format it with strftime and cast, which costs half as much again.
_SQLITE_UNIXEPOCH = sqlite3.sqlite_version_info >= (3, 38)


def _epoch(column: ColumnElement[Any], sqlite: bool) -> ColumnElement[int]:
    """A stored instant as whole epoch seconds, computed by the database.

    Availability reads thousands of bookings and only compares their instants; converting
    them in SQL skips building and processing a datetime per value. On PostgreSQL,
    date_part() works in double precision: extract() returns numeric since PostgreSQL 14
    and costs twice as much per value (measured on 40,000 values).
    """
    if sqlite:
        if _SQLITE_UNIXEPOCH:
            return cast(func.unixepoch(column), Integer)
        return cast(func.strftime("%s", column), Integer)
    return cast(func.floor(func.date_part("epoch", column)), BigInteger)


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


# The namespace (first key of pg_advisory_xact_lock(int, int)) of the booking locks; see
# docs/scheduling.md "Lock order". The two-key space never meets the one-key space.
_BOOKING_LOCK = 0x5B00_0002
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:space, :key)")

# A stored blocked interval is at most the longest appointment plus both buffers, so a booking
# meeting [since, until) has blocked_from in (since - _LONGEST_BLOCK, until): a bounded range
# of the (worker_id, blocked_from) index instead of every earlier row.
_LONGEST_BLOCK = timedelta(minutes=MAX_DURATION_MINUTES + 2 * MINUTES_PER_DAY)
_LONGEST_BUFFER = timedelta(minutes=MINUTES_PER_DAY)


def _lock_key(organization_id: int, name: str) -> int:
    """A signed 32-bit key for one lock name of one organization (a collision only makes two
    bookings wait for each other needlessly; it never lets anything through)."""
    digest = hashlib.blake2b(f"{organization_id}:{name}".encode(), digest_size=4).digest()
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
    select(worker.c.id, worker.c.name, worker.c.uuid)
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


def _meeting(with_workers: bool) -> list[ColumnElement[bool]]:
    """Active appointments of the workers (any department) and of the department without a
    worker, whose blocked time meets [since, until)."""
    a = appointment.c
    owner = and_(a.worker_id.is_(None), a.department_id == bindparam("department_id"))
    if with_workers:
        owner = or_(a.worker_id.in_(bindparam("worker_ids", expanding=True)), owner)
    return [
        a.organization_id == bindparam("org"),
        _ACTIVE_TEXT,
        a.blocked_from < bindparam("until"),
        a.blocked_from > bindparam("earliest"),
        a.blocked_until > bindparam("since"),
        owner,
    ]


def _bookings_statement(sqlite: bool, with_workers: bool) -> Any:
    a = appointment.c
    return select(
        a.id,
        a.worker_id,
        _epoch(a.starts_at, sqlite),
        _epoch(a.ends_at, sqlite),
        _epoch(a.blocked_from, sqlite),
        _epoch(a.blocked_until, sqlite),
        a.appointment_type_id,
    ).where(*_meeting(with_workers), a.id != bindparam("exclude"))


_BOOKINGS = {
    (sqlite, with_workers): _bookings_statement(sqlite, with_workers)
    for sqlite in (False, True)
    for with_workers in (False, True)
}


def _busy_times_statement(sqlite: bool, with_workers: bool) -> Any:
    """The same appointments, one row per worker: their instants as aggregated lists (comma
    separated text on SQLite, integer arrays on PostgreSQL). Free slots need only these
    columns, and a handful of rows costs far less to fetch than one per appointment."""
    a = appointment.c

    def collected(column: ColumnElement[Any]) -> Any:
        if sqlite:
            return func.group_concat(_epoch(column, sqlite))
        return func.array_agg(_epoch(column, sqlite))

    return (
        select(
            a.worker_id,
            collected(a.blocked_from),
            collected(a.blocked_until),
            collected(a.starts_at).filter(a.appointment_type_id == bindparam("session_type")),
        )
        .where(*_meeting(with_workers))
        .group_by(a.worker_id)
    )


_BUSY_TIMES = {
    (sqlite, with_workers): _busy_times_statement(sqlite, with_workers)
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
            # The same rows, said so the (worker_id, blocked_from) index bounds the read: an
            # appointment's blocked time starts at most one day (the longest buffer) earlier.
            a.blocked_from >= bindparam("earliest"),
            a.blocked_from < bindparam("until"),
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

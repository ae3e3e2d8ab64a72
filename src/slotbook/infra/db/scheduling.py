"""Scheduling storage for one organization: hours, exceptions, closures, settings, bookings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import (
    and_,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.application.ports import DepartmentChanges
from slotbook.domain.organizations import Worker
from slotbook.domain.policy import BookingPolicy
from slotbook.domain.schedules import (
    Booking,
    BusyTimes,
    Closure,
    DailyRange,
    ScheduleException,
    SchedulingSettings,
)
from slotbook.infra.db import pg_availability
from slotbook.infra.db import pg_statements as pg
from slotbook.infra.db.pg_direct import PgDirect
from slotbook.infra.db.repositories import _Scoped
from slotbook.infra.db.scheduling_statements import (
    _ADVISORY_LOCK,
    _BOOKED_SECONDS,
    _BOOKINGS,
    _BUSY_TIMES,
    _CLIENT_BOOKINGS,
    _CLIENT_LOCK,
    _DEPARTMENT_LOCK,
    _HOURS,
    _LONGEST_BLOCK,
    _NONE,
    _POLICY_COLUMNS,
    _SETTINGS,
    _WORKERS,
    _client_key,
    _exception,
    _owner,
)
from slotbook.infra.db.tables import (
    closure,
    department,
    schedule_exception,
    working_hours,
)


class SqlScheduling(_Scoped):
    def __init__(
        self, connection: AsyncConnection, organization_id: int, direct: PgDirect | None = None
    ) -> None:
        super().__init__(connection, organization_id, direct)
        self._sqlite = connection.dialect.name == "sqlite"
        # Settings read once per unit of work (a booking needs them in several steps).
        self._settings: dict[int, SchedulingSettings | None] = {}
        # PostgreSQL: client locks asked for in this transaction (until a
        # savepoint is undone), and a client's appointments read ahead (client_bookings_ahead).
        self._client_locks: set[str] = set()
        self._ahead: dict[tuple[str | None, int | None], list[tuple[Any, ...]]] = {}

    async def _advisory_lock(self, space: int, key: int) -> None:
        # SQLite write units of work begin with BEGIN IMMEDIATE: writers are already serial.
        if self._direct is not None:
            # Taken in the round trip of the next statement, which is the read it protects
            # (the client's or the overlapping bookings): one round trip for both.
            self._direct.defer(pg.ADVISORY_LOCK, (space, key))
        elif not self._sqlite:
            await self._conn.execute(_ADVISORY_LOCK, {"space": space, "key": key})

    async def lock_department(self, department_id: int) -> None:
        await self._advisory_lock(_DEPARTMENT_LOCK, department_id)

    async def lock_client(self, identity: str) -> None:
        if self._direct is not None:
            if identity in self._client_locks:
                return  # held until the transaction ends: taking it again changes nothing
            self._client_locks.add(identity)
        await self._advisory_lock(_CLIENT_LOCK, _client_key(self._org, identity))

    def savepoint_undone(self) -> None:
        """The locks taken inside it were released with it, and reads deferred in it dropped."""
        self._client_locks.clear()
        self._ahead.clear()

    async def settings(self, department_id: int) -> SchedulingSettings | None:
        if department_id in self._settings:
            return self._settings[department_id]
        if self._direct is not None and department_id in self._direct.settings:
            return self._direct.settings[department_id]
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
                always_open=bool(row.always_open),
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
            "booking_page_enabled": changes.booking_page_enabled,
            "always_open": changes.always_open,
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
        if self._direct is not None:
            self._direct.settings.pop(department_id, None)
        await self._conn.execute(
            update(department)
            .where(department.c.organization_id == self._org, department.c.id == department_id)
            .values(**self._department_values(changes))
        )

    async def department_workers(self, department_id: int) -> Sequence[Worker]:
        if self._direct is not None:
            found = self._direct.workers.pop(department_id, None)
            if found is None:
                found = await self._direct.rows(pg.WORKERS, (self._org, department_id))
            return [Worker(id_, self._org, name, public_id) for id_, name, public_id in found]
        rows = await self._conn.execute(
            _WORKERS, {"org": self._org, "department_id": department_id}
        )
        return [Worker(row.id, self._org, row.name, row.uuid) for row in rows]

    async def hours(
        self, department_id: int, worker_ids: Sequence[int]
    ) -> dict[int | None, tuple[DailyRange, ...]]:
        params = {"org": self._org, "department_id": department_id, "worker_ids": list(worker_ids)}
        rows: Sequence[Any]
        if self._direct is not None:
            read = self._direct.hours.pop(department_id, None)
            # Read with the department for its own workers: valid for exactly those.
            if read is not None and read[0] == tuple(worker_ids):
                rows = read[1]
            else:
                rows = await self._direct.rows(pg.HOURS, params)
        else:
            rows = (await self._conn.execute(_HOURS, params)).all()
        found: dict[int | None, list[DailyRange]] = defaultdict(list)
        for owner, weekday, start_minute, end_minute in rows:
            found[owner].append(DailyRange(weekday, start_minute, end_minute))
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

    async def end_always_open(self, department_ids: Sequence[int]) -> None:
        for department_id in department_ids:
            self._settings.pop(department_id, None)
            if self._direct is not None:
                self._direct.settings.pop(department_id, None)
        if department_ids:
            await self._conn.execute(
                update(department)
                .where(
                    department.c.organization_id == self._org,
                    department.c.id.in_(department_ids),
                    department.c.always_open,
                )
                .values(always_open=False)
            )

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

    def _window(
        self, department_id: int, worker_ids: Sequence[int], since: datetime, until: datetime
    ) -> dict[str, Any]:
        """The parameters of a read of the bookings whose blocked time meets [since, until)."""
        return {
            "org": self._org,
            "department_id": department_id,
            "worker_ids": list(worker_ids),
            "since": since,
            "until": until,
            "earliest": since - _LONGEST_BLOCK,
        }

    async def bookings(
        self,
        department_id: int,
        worker_ids: Sequence[int],
        since: datetime,
        until: datetime,
        exclude: int | None = None,
    ) -> Sequence[Booking]:
        params = self._window(department_id, worker_ids, since, until)
        params["exclude"] = _NONE if exclude is None else exclude
        rows: Sequence[Any]
        if self._direct is not None:
            rows = await self._direct.rows(pg.BOOKINGS[bool(worker_ids)], params)
        else:
            rows = (
                await self._conn.execute(_BOOKINGS[self._sqlite, bool(worker_ids)], params)
            ).all()
        of = Booking.of_epochs
        return [of(*row) for row in rows]

    async def busy_times(
        self,
        department_id: int,
        worker_ids: Sequence[int],
        since: datetime,
        until: datetime,
        session_type: int | None = None,
    ) -> dict[int | None, BusyTimes]:
        params = self._window(department_id, worker_ids, since, until)
        params["session_type"] = session_type
        rows: Sequence[Any]
        if self._direct is not None:
            rows = await self._direct.rows(pg_availability.BUSY_TIMES[bool(worker_ids)], params)
        else:
            statement = _BUSY_TIMES[self._sqlite, bool(worker_ids)]
            rows = (await self._conn.execute(statement, params)).all()
        return {
            owner: BusyTimes(_numbers(blocked_from), _numbers(blocked_until), _numbers(starts))
            for owner, blocked_from, blocked_until, starts in rows
        }

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
        params = self._client_params(external_user_id, since, client_id)
        rows: Sequence[Any]
        ahead = self._ahead.pop((external_user_id, client_id), None)
        if ahead is not None and self._direct is not None:
            if self._direct.deferred:
                await self._direct.flush()  # the read ahead may not have been sent yet
            cutoff = since.timestamp()
            return [Booking.of_epochs(*row) for row in ahead if row[3] > cutoff]
        if self._direct is not None:
            rows = await self._direct.rows(_client_statement(external_user_id, client_id), params)
        else:
            rows = (await self._conn.execute(_CLIENT_BOOKINGS[self._sqlite], params)).all()
        of = Booking.of_epochs
        return [of(*row) for row in rows]

    def client_bookings_ahead(
        self, external_user_id: str | None, since: datetime, client_id: int | None = None
    ) -> None:
        # PostgreSQL: deferred behind the client's locks, so the round trip that reads the
        # department also takes the locks and reads this (one round trip fewer per booking).
        if self._direct is None or (external_user_id is None and client_id is None):
            return
        rows: list[tuple[Any, ...]] = []
        params = self._client_params(external_user_id, since, client_id)
        self._direct.defer(_client_statement(external_user_id, client_id), params, into=rows)
        self._ahead[(external_user_id, client_id)] = rows

    def _client_params(
        self, external_user_id: str | None, since: datetime, client_id: int | None
    ) -> dict[str, Any]:
        return {
            "org": self._org,
            "external_user_id": external_user_id,
            "client_id": client_id,
            "since": since,
        }


def _client_statement(external_user_id: str | None, client_id: int | None) -> str:
    """PostgreSQL's read of a client's appointments by the identities given."""
    return pg.CLIENT_BOOKINGS[(external_user_id is not None, client_id is not None)]


def _numbers(aggregated: str | list[int] | None) -> Sequence[int]:
    """An aggregated list of epochs: SQLite's comma-separated text, PostgreSQL's array, or
    NULL for none."""
    if aggregated is None:
        return ()
    if isinstance(aggregated, str):
        # orjson reads the digits in C: several times faster than int() per split piece.
        return orjson.loads(f"[{aggregated}]")  # type: ignore[no-any-return]
    return aggregated

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
from slotbook.infra.db.agenda_version import AgendaVersion
from slotbook.infra.db.repositories import _AgendaWriter
from slotbook.infra.db.scheduling_statements import (
    _ADVISORY_LOCK,
    _BOOKED_SECONDS,
    _BOOKING_LOCK,
    _BOOKINGS,
    _BUSY_TIMES,
    _CLIENT_BOOKINGS,
    _HOURS,
    _LONGEST_BLOCK,
    _LONGEST_BUFFER,
    _NONE,
    _POLICY_COLUMNS,
    _SETTINGS,
    _WORKERS,
    _exception,
    _lock_key,
    _owner,
)
from slotbook.infra.db.tables import (
    closure,
    department,
    schedule_exception,
    working_hours,
)


class SqlScheduling(_AgendaWriter):
    def __init__(
        self, connection: AsyncConnection, organization_id: int, agenda: AgendaVersion
    ) -> None:
        super().__init__(connection, organization_id, agenda)
        self._sqlite = connection.dialect.name == "sqlite"
        # Settings read once per unit of work (a booking needs them in several steps).
        self._settings: dict[int, SchedulingSettings | None] = {}

    async def _advisory_lock(self, space: int, key: int) -> None:
        # SQLite write units of work begin with BEGIN IMMEDIATE: writers are already serial.
        if not self._sqlite:
            await self._conn.execute(_ADVISORY_LOCK, {"space": space, "key": key})

    async def lock(self, names: Sequence[str]) -> None:
        for name in sorted(set(names)):
            await self._advisory_lock(_BOOKING_LOCK, _lock_key(self._org, name))

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
            "address": changes.address,
            "directions": changes.directions,
            **{name: getattr(changes.policy, name) for name in _POLICY_COLUMNS},
        }

    async def add_department(self, changes: DepartmentChanges, now: datetime) -> int:
        await self._agenda.changed()
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
        await self._agenda.changed()
        await self._conn.execute(
            update(department)
            .where(department.c.organization_id == self._org, department.c.id == department_id)
            .values(**self._department_values(changes))
        )

    async def department_workers(self, department_id: int) -> Sequence[Worker]:
        rows = await self._conn.execute(
            _WORKERS, {"org": self._org, "department_id": department_id}
        )
        return [Worker(row.id, self._org, row.name, row.uuid) for row in rows]

    async def hours(
        self, department_id: int, worker_ids: Sequence[int]
    ) -> dict[int | None, tuple[DailyRange, ...]]:
        params = {"org": self._org, "department_id": department_id, "worker_ids": list(worker_ids)}
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
        if department_ids:
            await self._agenda.changed()
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
        await self._agenda.changed()
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
        self, department_id: int, worker_ids: Sequence[int]
    ) -> Sequence[ScheduleException]:
        rows = await self._conn.execute(
            select(schedule_exception)
            .where(
                schedule_exception.c.organization_id == self._org,
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
        await self._agenda.changed()
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
        await self._agenda.changed()
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
        await self._agenda.changed()
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
        await self._agenda.changed()
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
        rows = (await self._conn.execute(_BOOKINGS[self._sqlite, bool(worker_ids)], params)).all()
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
                "earliest": since - _LONGEST_BUFFER,
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
        rows = (await self._conn.execute(_CLIENT_BOOKINGS[self._sqlite], params)).all()
        of = Booking.of_epochs
        return [of(*row) for row in rows]

    def _client_params(
        self, external_user_id: str | None, since: datetime, client_id: int | None
    ) -> dict[str, Any]:
        return {
            "org": self._org,
            "external_user_id": external_user_id,
            "client_id": client_id,
            "since": since,
        }


def _numbers(aggregated: str | list[int] | None) -> Sequence[int]:
    """An aggregated list of epochs: SQLite's comma-separated text, PostgreSQL's array, or
    NULL for none."""
    if aggregated is None:
        return ()
    if isinstance(aggregated, str):
        # orjson reads the digits in C: several times faster than int() per split piece.
        return orjson.loads(f"[{aggregated}]")  # type: ignore[no-any-return]
    return aggregated

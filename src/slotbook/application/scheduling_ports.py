"""Ports of the scheduling engine: its repositories and the changes they apply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from slotbook.domain.organizations import Worker
from slotbook.domain.policy import BookingPolicy
from slotbook.domain.schedules import (
    AppointmentType,
    Booking,
    BusyTimes,
    Closure,
    DailyRange,
    ScheduleException,
    SchedulingSettings,
)


@dataclass(frozen=True, slots=True)
class TypeChanges:
    name: str
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    capacity: int | None
    department_id: int | None
    worker_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DepartmentChanges:
    name: str
    description: str | None
    show_admins_in_booking: bool
    own_time_zone: str | None  # None: the organization's
    slot_interval_minutes: int
    slot_capacity: int
    policy: BookingPolicy
    booking_page_enabled: bool = True
    always_open: bool = False
    address: str | None = None  # shown to visitors on the booking page's confirmation
    directions: str | None = None


class SchedulingRepository(Protocol):
    """Hours, exceptions, closures, department settings, and the bookings they meet."""

    async def lock(self, names: Sequence[str]) -> None:
        """Hold the named locks of the organization until the transaction ends (a client's
        identities, a group session's places, a stretch of a department's counters), taken
        in order of their names. Lock order: docs/scheduling.md."""
        ...

    async def settings(self, department_id: int) -> SchedulingSettings | None: ...
    async def own_time_zone(self, department_id: int) -> str | None: ...
    async def add_department(self, changes: DepartmentChanges, now: datetime) -> int: ...
    async def update_department(self, department_id: int, changes: DepartmentChanges) -> None: ...
    async def department_workers(self, department_id: int) -> Sequence[Worker]: ...
    async def hours(
        self, department_id: int, worker_ids: Sequence[int]
    ) -> dict[int | None, tuple[DailyRange, ...]]:
        """Weekly hours per worker for this department (None: the department's own)."""
        ...

    async def hours_of(
        self, *, worker_id: int | None, department_id: int | None
    ) -> tuple[DailyRange, ...]: ...
    async def replace_hours(
        self,
        *,
        worker_id: int | None,
        department_id: int | None,
        ranges: Sequence[DailyRange],
    ) -> None: ...
    async def end_always_open(self, department_ids: Sequence[int]) -> None:
        """Those departments follow their hours from now on (they were given some)."""
        ...

    async def exceptions(
        self, department_id: int, worker_ids: Sequence[int]
    ) -> Sequence[ScheduleException]:
        """Every exception of the department (without a worker) and of the workers."""
        ...

    async def list_exceptions(
        self, *, worker_id: int | None, department_id: int | None
    ) -> Sequence[ScheduleException]: ...
    async def add_exception(self, exception: ScheduleException, now: datetime) -> int: ...
    async def delete_exception(self, exception_id: int, worker_id: int | None) -> bool: ...
    async def closures(self, department_id: int) -> Sequence[Closure]: ...
    async def add_closure(self, closure: Closure) -> int: ...
    async def delete_closure(self, department_id: int, closure_id: int) -> bool: ...
    async def bookings(
        self,
        department_id: int,
        worker_ids: Sequence[int],
        since: datetime,
        until: datetime,
        exclude: int | None = None,
    ) -> Sequence[Booking]:
        """Active appointments of these workers (any department) and the department's
        appointments without a worker, whose blocked time meets [since, until); appointment
        `exclude` (the one being moved) left out."""
        ...

    async def busy_times(
        self,
        department_id: int,
        worker_ids: Sequence[int],
        since: datetime,
        until: datetime,
        session_type: int | None = None,
    ) -> dict[int | None, BusyTimes]:
        """The appointments `bookings` returns, per worker (None: the department's without a
        worker) as the free-slot sweep reads them: blocked intervals in epoch seconds, and the
        starts of those of appointment type `session_type` (None: no starts)."""
        ...

    async def booked_minutes(
        self, worker_ids: Sequence[int], since: datetime, until: datetime, exclude: int | None
    ) -> dict[int, tuple[int, int]]:
        """Per worker with any: minutes and number of active appointments starting in
        [since, until), appointment `exclude` left out."""
        ...

    async def client_bookings(
        self, external_user_id: str | None, since: datetime, client_id: int | None = None
    ) -> Sequence[Booking]:
        """The client's active appointments in the organization that end after `since`; the
        client is known by its externalUserId, its client record, or either."""
        ...


class AppointmentTypeRepository(Protocol):
    async def list(self, department_id: int | None = None) -> Sequence[AppointmentType]: ...
    async def get(self, type_id: int) -> AppointmentType | None: ...
    async def add(self, changes: TypeChanges, now: datetime) -> int: ...
    async def update(self, type_id: int, changes: TypeChanges) -> None: ...
    async def archive(self, type_id: int, now: datetime) -> None: ...


class WorkerRepository(Protocol):
    async def list(self) -> Sequence[tuple[Worker, tuple[int, ...]]]: ...
    async def get(self, worker_id: int) -> tuple[Worker, tuple[int, ...]] | None: ...
    async def known_departments(self, department_ids: Sequence[int]) -> set[int]: ...
    async def known_workers(self, worker_ids: Sequence[int]) -> set[int]: ...
    async def add(self, name: str, department_ids: Sequence[int], now: datetime) -> int: ...
    async def update(self, worker_id: int, name: str, department_ids: Sequence[int]) -> None: ...

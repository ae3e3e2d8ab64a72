"""The departments' agendas, kept in memory by each process and dropped when they change.

A booking and a free-slot search read the department, its settings, workers, weekly hours,
exceptions, closures and the appointment type, all of which change rarely. Each process keeps
them per organization, with the organization's agenda version they were read at. Every write
of the agenda adds one to that version in its own transaction, and a unit of work reads the
version once (one row by primary key) before it uses the cache: a different value drops the
organization's entries, in whichever process reads it (docs/architecture.md, "The agenda").
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from slotbook.application.lookups import appointment_type_of, department_of
from slotbook.application.ports import Services, UnitOfWork
from slotbook.domain.organizations import Department, Worker
from slotbook.domain.schedules import (
    AppointmentType,
    Closure,
    DailyRange,
    ScheduleException,
    SchedulingSettings,
)

T = TypeVar("T")

# Organizations whose agendas one process keeps; the least recently used one goes first.
MAX_ORGANIZATIONS = 1000


@dataclass(frozen=True, slots=True)
class DepartmentAgenda:
    """What rarely changes about one department: everything a booking reads but its
    appointments."""

    department: Department
    settings: SchedulingSettings
    workers: tuple[Worker, ...]
    hours: Mapping[int | None, tuple[DailyRange, ...]]  # by worker; None: the department's
    exceptions: tuple[ScheduleException, ...]  # of the department and of its workers
    closures: tuple[Closure, ...]

    @property
    def worker_ids(self) -> tuple[int, ...]:
        return tuple(w.id for w in self.workers)

    def has_worker(self, worker_id: int) -> bool:
        return any(w.id == worker_id for w in self.workers)

    def exceptions_between(self, since: datetime, until: datetime) -> tuple[ScheduleException, ...]:
        return tuple(x for x in self.exceptions if x.starts_at < until and x.ends_at > since)


@dataclass(slots=True)
class _Organization:
    version: int
    departments: dict[int, DepartmentAgenda] = field(default_factory=dict)
    types: dict[int, AppointmentType] = field(default_factory=dict)


async def read_department(uow: UnitOfWork, department_id: int) -> DepartmentAgenda | None:
    """The department's agenda from the database (None: not the organization's)."""
    department = await uow.departments.get(department_id)
    if department is None:
        return None
    settings = await uow.scheduling.settings(department_id)
    assert settings is not None  # the department was just read in the same transaction
    workers = tuple(await uow.scheduling.department_workers(department_id))
    worker_ids = [w.id for w in workers]
    hours = await uow.scheduling.hours(department_id, worker_ids)
    exceptions = tuple(await uow.scheduling.exceptions(department_id, worker_ids))
    closures = tuple(await uow.scheduling.closures(department_id))
    return DepartmentAgenda(department, settings, workers, hours, exceptions, closures)


class AgendaCache:
    """One process's agendas, per organization and version."""

    def __init__(self, max_organizations: int = MAX_ORGANIZATIONS) -> None:
        self._max = max_organizations
        self._organizations: OrderedDict[int, _Organization] = OrderedDict()

    async def department(self, uow: UnitOfWork, department_id: int) -> DepartmentAgenda | None:
        return await self._cached(
            uow,
            lambda entry: entry.departments,
            department_id,
            lambda: read_department(uow, department_id),
        )

    async def appointment_type(self, uow: UnitOfWork, type_id: int) -> AppointmentType | None:
        return await self._cached(
            uow, lambda entry: entry.types, type_id, lambda: uow.appointment_types.get(type_id)
        )

    async def _cached(
        self,
        uow: UnitOfWork,
        part: Callable[[_Organization], dict[int, T]],
        key: int,
        read: Callable[[], Awaitable[T | None]],
    ) -> T | None:
        version = await uow.agenda_version()
        if version is None:
            return await read()  # this unit of work changed the agenda: not cached yet
        entry = self._entry(uow.organization_id, version)
        if entry is not None and key in part(entry):
            return part(entry)[key]
        # Read after the version: what is read is at least as recent as the version it is
        # kept under, and a newer version drops it.
        found = await read()
        if entry is not None and found is not None:
            part(entry)[key] = found
        return found

    def _entry(self, organization_id: int, version: int) -> _Organization | None:
        """The organization's entry at `version`, made afresh when the version moved on; None
        for a unit of work that read an older version than the one kept."""
        entry = self._organizations.get(organization_id)
        if entry is not None and entry.version > version:
            return None
        if entry is None or entry.version < version:
            entry = _Organization(version)
            self._organizations[organization_id] = entry
            while len(self._organizations) > self._max:
                self._organizations.popitem(last=False)
        self._organizations.move_to_end(organization_id)
        return entry


async def agenda_of(services: Services, uow: UnitOfWork, department_id: int) -> DepartmentAgenda:
    """The department's agenda; 404 when it does not exist, 403 when it is another's."""
    found = await services.agenda.department(uow, department_id)
    if found is None:
        await department_of(services, uow, department_id)  # raises the right error
        raise AssertionError("unreachable")
    return found


async def type_of(services: Services, uow: UnitOfWork, type_id: int) -> AppointmentType:
    """The appointment type; 404 when it does not exist, 403 when it is another's."""
    found = await services.agenda.appointment_type(uow, type_id)
    if found is None:
        await appointment_type_of(services, uow, type_id)  # raises the right error
        raise AssertionError("unreachable")
    return found

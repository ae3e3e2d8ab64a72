"""Administration of the schedule (scope `admin`): departments' settings, hours, exceptions,
closures, workers and appointment types. Reads need the matching read scope."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from slotbook.application.access import Principal, Scope, require
from slotbook.application.lookups import appointment_type_of, department_of, worker_of
from slotbook.application.ports import DepartmentChanges, Services, TypeChanges, UnitOfWork
from slotbook.application.waitlist import offer_new_times_quietly
from slotbook.domain.errors import (
    ClosureNotFound,
    InvalidRequest,
    ScheduleExceptionNotFound,
)
from slotbook.domain.organizations import Department, Worker
from slotbook.domain.policy import BookingPolicy, NoShowRule
from slotbook.domain.reminders import DEFAULT_OFFSETS, normalized_offsets
from slotbook.domain.schedules import (
    AppointmentType,
    Closure,
    DailyRange,
    ExceptionKind,
    ScheduleException,
    SchedulingSettings,
    check_slot_settings,
    check_type_settings,
    opening_hours_of_new_department,
    weekly_hours,
)
from slotbook.domain.time import local_to_utc, zone


@dataclass(frozen=True, slots=True)
class DepartmentDetail:
    department: Department
    settings: SchedulingSettings
    own_time_zone: str | None
    reminder_offsets: tuple[int, ...] = DEFAULT_OFFSETS  # minutes before the start
    hours: tuple[DailyRange, ...] = ()  # the department's own opening hours


async def _detail(services: Services, uow: UnitOfWork, department_id: int) -> DepartmentDetail:
    department = await department_of(services, uow, department_id)
    settings = await uow.scheduling.settings(department.id)
    assert settings is not None
    return DepartmentDetail(
        department,
        settings,
        await uow.scheduling.own_time_zone(department.id),
        await uow.departments.reminder_offsets(department.id),
        await uow.scheduling.hours_of(worker_id=None, department_id=department.id),
    )


def _split_reminders(changes: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[int, ...] | None]:
    """The scheduling changes, and the reminder offsets when they are changed (validated)."""
    rest = dict(changes)
    offsets = rest.pop("reminder_offsets", None)
    return rest, None if offsets is None else normalized_offsets(offsets)


async def get_department(
    services: Services, principal: Principal, department_id: int
) -> DepartmentDetail:
    require(principal, Scope.DEPARTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await _detail(services, uow, department_id)


def _department_changes(base: DepartmentChanges, changes: Mapping[str, Any]) -> DepartmentChanges:
    policy = changes.get("policy")
    merged = replace(
        base,
        **{k: v for k, v in changes.items() if k != "policy"},
        policy=BookingPolicy(**{**asdict(base.policy), **policy}) if policy else base.policy,
    )
    if not merged.name.strip():
        raise InvalidRequest("A department needs a name")
    if merged.own_time_zone is not None:
        zone(merged.own_time_zone)
    check_slot_settings(merged.slot_interval_minutes, merged.slot_capacity)
    return merged


async def create_department(
    services: Services,
    principal: Principal,
    changes: Mapping[str, Any],
    no_show: NoShowRule | None = None,
) -> DepartmentDetail:
    """`changes` has DepartmentChanges' field names (`policy`: BookingPolicy's, partial); the
    no-show rule, when given, is set in the same transaction.

    It opens Monday to Friday 09:00-17:00 unless `always_open`; PUT .../hours changes that."""
    require(principal, Scope.ADMIN)
    base = DepartmentChanges("", None, False, None, 30, 1, BookingPolicy())
    changes, offsets = _split_reminders(changes)
    values = _department_changes(base, changes)
    async with services.uow(principal.organization_id, write=True) as uow:
        department_id = await uow.scheduling.add_department(values, services.clock.now())
        hours = opening_hours_of_new_department(values.always_open)
        if hours:
            await uow.scheduling.replace_hours(
                worker_id=None, department_id=department_id, ranges=hours
            )
        if offsets is not None:
            await uow.departments.set_reminder_offsets(department_id, offsets)
        if no_show is not None:
            await uow.departments.set_no_show_rule(department_id, no_show)
        detail = await _detail(services, uow, department_id)
        await uow.commit()
    return detail


async def update_department(
    services: Services,
    principal: Principal,
    department_id: int,
    changes: Mapping[str, Any],
    no_show: NoShowRule | None = None,
) -> DepartmentDetail:
    """Change only the given settings of a department (and its no-show rule, when given), in
    one transaction: a refused change leaves everything as it was."""
    require(principal, Scope.ADMIN)
    changes, offsets = _split_reminders(changes)
    async with services.uow(principal.organization_id, write=True) as uow:
        current = await _detail(services, uow, department_id)
        d, s = current.department, current.settings
        base = DepartmentChanges(
            d.name,
            d.description,
            d.show_admins_in_booking,
            current.own_time_zone,
            s.slot_interval_minutes,
            s.slot_capacity,
            s.policy,
            d.booking_page_enabled,
            s.always_open,
            d.address,
            d.directions,
        )
        await uow.scheduling.update_department(d.id, _department_changes(base, changes))
        if offsets is not None:
            await uow.departments.set_reminder_offsets(d.id, offsets)
        if no_show is not None:
            await uow.departments.set_no_show_rule(d.id, no_show)
        detail = await _detail(services, uow, d.id)
        await uow.commit()
    return detail


# --- weekly hours ------------------------------------------------------------------------------


async def _hours_owner(
    services: Services, uow: UnitOfWork, worker_id: int | None, department_id: int | None
) -> tuple[int, ...]:
    """Checks that the owner of the hours exists; returns the departments the hours apply to."""
    if worker_id is not None:
        _, departments = await worker_of(services, uow, worker_id)
        if department_id is not None and department_id not in departments:
            raise InvalidRequest(f"Worker {worker_id} does not work in department {department_id}")
        return departments if department_id is None else (department_id,)
    if department_id is not None:
        await department_of(services, uow, department_id)
        return (department_id,)
    return ()


async def get_hours(
    services: Services,
    principal: Principal,
    *,
    worker_id: int | None,
    department_id: int | None,
) -> tuple[DailyRange, ...]:
    """Weekly hours of a worker (in all departments, or one) or of a department."""
    require(principal, Scope.WORKERS_READ if worker_id is not None else Scope.DEPARTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        await _hours_owner(services, uow, worker_id, department_id)
        return await uow.scheduling.hours_of(worker_id=worker_id, department_id=department_id)


async def set_hours(
    services: Services,
    principal: Principal,
    ranges: Sequence[DailyRange],
    *,
    worker_id: int | None,
    department_id: int | None,
) -> tuple[DailyRange, ...]:
    """Replace the weekly hours (an empty list removes them).

    Hours given to a department, or to a worker in it, end its being always open: they are
    what it follows from then on."""
    require(principal, Scope.ADMIN)
    hours = weekly_hours(ranges)
    async with services.uow(principal.organization_id, write=True) as uow:
        departments = await _hours_owner(services, uow, worker_id, department_id)
        await uow.scheduling.replace_hours(
            worker_id=worker_id, department_id=department_id, ranges=hours
        )
        if hours:
            await uow.scheduling.end_always_open(departments)
        await uow.commit()
    await offer_new_times_quietly(services, principal.organization_id, departments)
    return hours


# --- exceptions and closures -------------------------------------------------------------------


async def list_exceptions(
    services: Services, principal: Principal, worker_id: int
) -> Sequence[ScheduleException]:
    require(principal, Scope.WORKERS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        await worker_of(services, uow, worker_id)
        return await uow.scheduling.list_exceptions(worker_id=worker_id, department_id=None)


async def add_exception(
    services: Services,
    principal: Principal,
    worker_id: int,
    kind: ExceptionKind,
    starts_at: datetime,
    ends_at: datetime,
    reason: str | None,
) -> ScheduleException:
    """Time off or extra hours for a worker. Times without offset: the organization's zone."""
    require(principal, Scope.ADMIN)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        _, departments = await worker_of(services, uow, worker_id)
        organization = await uow.organization.get()
        tz = zone(organization.time_zone if organization else "UTC")
        start, end = local_to_utc(starts_at, tz), local_to_utc(ends_at, tz)
        if end <= start:
            raise InvalidRequest("endsAt must be after startsAt")
        exception = ScheduleException(0, kind, start, end, reason, worker_id=worker_id)
        exception_id = await uow.scheduling.add_exception(exception, now)
        await uow.commit()
    if kind is ExceptionKind.EXTRA_HOURS:
        await offer_new_times_quietly(services, principal.organization_id, departments)
    return replace(exception, id=exception_id)


async def delete_exception(
    services: Services, principal: Principal, worker_id: int, exception_id: int
) -> None:
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=True) as uow:
        _, departments = await worker_of(services, uow, worker_id)
        if not await uow.scheduling.delete_exception(exception_id, worker_id):
            raise ScheduleExceptionNotFound(exception_id)
        await uow.commit()
    # Time off removed gives time back (removed extra hours find nothing new: harmless).
    await offer_new_times_quietly(services, principal.organization_id, departments)


async def list_closures(
    services: Services, principal: Principal, department_id: int
) -> Sequence[Closure]:
    require(principal, Scope.DEPARTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        await department_of(services, uow, department_id)
        return await uow.scheduling.closures(department_id)


async def add_closure(
    services: Services, principal: Principal, department_id: int, day: date, reason: str | None
) -> Closure:
    """Close a department for a local date (adding the same date again changes its reason)."""
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=True) as uow:
        await department_of(services, uow, department_id)
        closure = Closure(0, department_id, day, reason)
        closure_id = await uow.scheduling.add_closure(closure)
        await uow.commit()
    return replace(closure, id=closure_id)


async def delete_closure(
    services: Services, principal: Principal, department_id: int, closure_id: int
) -> None:
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=True) as uow:
        await department_of(services, uow, department_id)
        if not await uow.scheduling.delete_closure(department_id, closure_id):
            raise ClosureNotFound(closure_id)
        await uow.commit()
    await offer_new_times_quietly(services, principal.organization_id, [department_id])


# --- workers -----------------------------------------------------------------------------------


async def list_workers(
    services: Services, principal: Principal
) -> Sequence[tuple[Worker, tuple[int, ...]]]:
    require(principal, Scope.WORKERS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await uow.workers.list()


async def get_worker(
    services: Services, principal: Principal, worker_id: int
) -> tuple[Worker, tuple[int, ...]]:
    require(principal, Scope.WORKERS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await worker_of(services, uow, worker_id)


async def _known_departments(uow: UnitOfWork, department_ids: Sequence[int]) -> tuple[int, ...]:
    unique = tuple(sorted(set(department_ids)))
    missing = sorted(set(unique) - await uow.workers.known_departments(unique))
    if missing:
        raise InvalidRequest(f"Unknown department(s) for this organization: {missing}")
    return unique


async def save_worker(
    services: Services,
    principal: Principal,
    name: str,
    department_ids: Sequence[int],
    worker_id: int | None = None,
) -> tuple[Worker, tuple[int, ...]]:
    """Create a worker, or (with `worker_id`) rename it and set its departments."""
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=True) as uow:
        departments = await _known_departments(uow, department_ids)
        if worker_id is None:
            worker_id = await uow.workers.add(name, departments, services.clock.now())
        else:
            await worker_of(services, uow, worker_id)
            await uow.workers.update(worker_id, name, departments)
        saved = await worker_of(services, uow, worker_id)
        await uow.commit()
    return saved


# --- appointment types -------------------------------------------------------------------------


async def list_appointment_types(
    services: Services, principal: Principal, department_id: int | None = None
) -> Sequence[AppointmentType]:
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        if department_id is not None:
            await department_of(services, uow, department_id)
        return await uow.appointment_types.list(department_id)


async def get_appointment_type(
    services: Services, principal: Principal, type_id: int
) -> AppointmentType:
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await appointment_type_of(services, uow, type_id)


async def save_appointment_type(
    services: Services,
    principal: Principal,
    changes: Mapping[str, Any],
    type_id: int | None = None,
) -> AppointmentType:
    """Create a type, or change only the given fields of one (TypeChanges' field names)."""
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=True) as uow:
        if type_id is None:
            base = TypeChanges("", 30, 0, 0, None, None, ())
        else:
            t = await appointment_type_of(services, uow, type_id)
            base = TypeChanges(
                t.name,
                t.duration_minutes,
                t.buffer_before_minutes,
                t.buffer_after_minutes,
                t.capacity,
                t.department_id,
                t.worker_ids,
            )
        values = replace(base, **changes)
        if not values.name.strip():
            raise InvalidRequest("An appointment type needs a name")
        check_type_settings(
            values.duration_minutes,
            values.buffer_before_minutes,
            values.buffer_after_minutes,
            values.capacity,
        )
        if values.department_id is not None:
            await department_of(services, uow, values.department_id)
        workers = tuple(sorted(set(values.worker_ids)))
        missing = sorted(set(workers) - await uow.workers.known_workers(workers))
        if missing:
            raise InvalidRequest(f"Unknown worker(s) for this organization: {missing}")
        values = replace(values, worker_ids=workers)
        if type_id is None:
            type_id = await uow.appointment_types.add(values, services.clock.now())
        else:
            await uow.appointment_types.update(type_id, values)
        saved = await appointment_type_of(services, uow, type_id)
        await uow.commit()
    return saved


async def archive_appointment_type(services: Services, principal: Principal, type_id: int) -> None:
    """Stop offering a type; its past and booked appointments keep it."""
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=True) as uow:
        await appointment_type_of(services, uow, type_id)
        await uow.appointment_types.archive(type_id, services.clock.now())
        await uow.commit()

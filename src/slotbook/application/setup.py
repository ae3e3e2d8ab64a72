"""An organization described as a whole (departments, hours, staff, appointment types) and
brought to that description: what is missing is created, what differs is updated, the rest is
left as it is, so applying the same description twice changes nothing the second time.

Things are matched by name within the organization. Each change is its own unit of work
(through the same use cases as the API), so applying again finishes an interrupted apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from slotbook.application import organizations as org_cases
from slotbook.application import scheduling
from slotbook.application.access import Principal, operator_principal
from slotbook.application.ports import Services
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.schedules import DailyRange, weekly_hours


@dataclass(frozen=True, slots=True)
class DepartmentPlan:
    name: str
    description: str | None = None
    time_zone: str | None = None  # None: the organization's
    slot_interval_minutes: int = 30
    slot_capacity: int = 1
    show_admins_in_booking: bool = False
    always_open: bool = False
    # None: the hours are left as they are (a new department opens Mon-Fri 09:00-17:00).
    hours: tuple[DailyRange, ...] | None = None


@dataclass(frozen=True, slots=True)
class WorkerPlan:
    name: str
    departments: tuple[str, ...] = ()  # by name
    hours: tuple[DailyRange, ...] | None = None  # in all their departments; None: left


@dataclass(frozen=True, slots=True)
class TypePlan:
    name: str
    duration_minutes: int
    department: str | None = None  # by name; None: offered in every department
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    capacity: int | None = None
    workers: tuple[str, ...] = ()  # by name; empty: everyone in the department


@dataclass(frozen=True, slots=True)
class OrganizationPlan:
    name: str
    time_zone: str = "UTC"
    credits: int = 0  # given to a new organization only
    departments: tuple[DepartmentPlan, ...] = ()
    workers: tuple[WorkerPlan, ...] = ()
    appointment_types: tuple[TypePlan, ...] = ()


Action = Literal["created", "updated", "left"]


@dataclass(frozen=True, slots=True)
class Change:
    """What applying did to one thing: `fields` names what an update changed."""

    action: Action
    kind: Literal["organization", "department", "staff member", "appointment type"]
    id: int
    name: str
    fields: tuple[str, ...] = field(default=())


async def apply_plan(
    services: Services, plan: OrganizationPlan, organization_id: int | None = None
) -> list[Change]:
    """Bring the organization (`organization_id`, else the one named `plan.name`, created when
    there is none) to `plan`; returns what was done to each thing, in order."""
    changes = [await _organization(services, plan, organization_id)]
    principal = operator_principal(changes[0].id)
    departments: dict[str, int] = {}
    for department in plan.departments:
        change = await _department(services, principal, department)
        departments[department.name] = change.id
        changes.append(change)
    workers: dict[str, int] = {}
    existing_workers = await _workers_by_name(services, principal)
    for worker in plan.workers:
        change = await _worker(services, principal, worker, existing_workers, departments)
        workers[worker.name] = change.id
        changes.append(change)
    existing_types = _unique(
        "appointment type",
        [(t.name, t) for t in await scheduling.list_appointment_types(services, principal)],
    )
    for kind in plan.appointment_types:
        changes.append(
            await _appointment_type(services, principal, kind, existing_types, departments, workers)
        )
    return changes


def _unique(kind: str, named: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, thing in named:
        if name in found:
            raise InvalidRequest(
                f"Two of the organization's {kind}s are named {name!r}: rename one (things are "
                "matched by name)"
            )
        found[name] = thing
    return found


async def _organization(
    services: Services, plan: OrganizationPlan, organization_id: int | None
) -> Change:
    if organization_id is not None:
        found = await services.registry.get_organization(organization_id)
        if found is None:
            raise InvalidRequest(f"There is no organization {organization_id}")
        return Change("left", "organization", found.id, found.name)
    named = await services.registry.organizations_named(plan.name)
    if len(named) > 1:
        ids = ", ".join(str(o.id) for o in named)
        raise InvalidRequest(
            f"Several organizations are named {plan.name!r} ({ids}): choose one with --organization"
        )
    if named:
        return Change("left", "organization", named[0].id, named[0].name)
    created = await org_cases.create_organization(services, plan.name, plan.credits, plan.time_zone)
    return Change("created", "organization", created.id, created.name)


async def _department(services: Services, principal: Principal, plan: DepartmentPlan) -> Change:
    wanted: dict[str, Any] = {
        "description": plan.description,
        "own_time_zone": plan.time_zone,
        "slot_interval_minutes": plan.slot_interval_minutes,
        "slot_capacity": plan.slot_capacity,
        "show_admins_in_booking": plan.show_admins_in_booking,
        "always_open": plan.always_open,
    }
    existing = _unique(
        "department",
        [(d.name, d) for d in await org_cases.list_departments(services, principal)],
    )
    found = existing.get(plan.name)
    if found is None:
        detail = await scheduling.create_department(
            services, principal, {"name": plan.name, **wanted}
        )
        if plan.hours is not None:
            await scheduling.set_hours(
                services, principal, plan.hours, worker_id=None, department_id=detail.department.id
            )
        return Change("created", "department", detail.department.id, plan.name)
    detail = await scheduling.get_department(services, principal, found.id)
    current = {
        "description": detail.department.description,
        "own_time_zone": detail.own_time_zone,
        "slot_interval_minutes": detail.settings.slot_interval_minutes,
        "slot_capacity": detail.settings.slot_capacity,
        "show_admins_in_booking": detail.department.show_admins_in_booking,
        "always_open": detail.settings.always_open,
    }
    differ = {name: value for name, value in wanted.items() if current[name] != value}
    if differ:
        await scheduling.update_department(services, principal, found.id, differ)
    changed = tuple(differ)
    if plan.hours is not None and weekly_hours(plan.hours) != tuple(sorted(detail.hours)):
        await scheduling.set_hours(
            services, principal, plan.hours, worker_id=None, department_id=found.id
        )
        changed += ("hours",)
    return Change("updated" if changed else "left", "department", found.id, plan.name, changed)


async def _workers_by_name(
    services: Services, principal: Principal
) -> dict[str, tuple[int, tuple[int, ...]]]:
    listed = await scheduling.list_workers(services, principal)
    return _unique("staff member", [(w.name, (w.id, ds)) for w, ds in listed])


def _ids(kind: str, names: Sequence[str], known: dict[str, int], owner: str) -> tuple[int, ...]:
    missing = [name for name in names if name not in known]
    if missing:
        raise InvalidRequest(f"{owner}: no {kind} named {', '.join(map(repr, missing))}")
    return tuple(sorted({known[name] for name in names}))


async def _worker(
    services: Services,
    principal: Principal,
    plan: WorkerPlan,
    existing: dict[str, tuple[int, tuple[int, ...]]],
    departments: dict[str, int],
) -> Change:
    department_ids = _ids("department", plan.departments, departments, plan.name)
    found = existing.get(plan.name)
    changed: tuple[str, ...] = ()
    action: Action
    if found is None:
        worker, _ = await scheduling.save_worker(services, principal, plan.name, department_ids)
        worker_id, action = worker.id, "created"
        current_hours: tuple[DailyRange, ...] = ()
    else:
        worker_id, current = found
        action = "left"
        if tuple(sorted(current)) != department_ids:
            await scheduling.save_worker(services, principal, plan.name, department_ids, worker_id)
            changed += ("departments",)
        current_hours = await scheduling.get_hours(
            services, principal, worker_id=worker_id, department_id=None
        )
    if plan.hours is not None and weekly_hours(plan.hours) != tuple(sorted(current_hours)):
        await scheduling.set_hours(
            services, principal, plan.hours, worker_id=worker_id, department_id=None
        )
        if found is not None:
            changed += ("hours",)
    if found is not None and changed:
        action = "updated"
    return Change(action, "staff member", worker_id, plan.name, changed)


async def _appointment_type(
    services: Services,
    principal: Principal,
    plan: TypePlan,
    existing: dict[str, Any],
    departments: dict[str, int],
    workers: dict[str, int],
) -> Change:
    department_id = None
    if plan.department is not None:
        (department_id,) = _ids("department", [plan.department], departments, plan.name)
    wanted: dict[str, Any] = {
        "duration_minutes": plan.duration_minutes,
        "buffer_before_minutes": plan.buffer_before_minutes,
        "buffer_after_minutes": plan.buffer_after_minutes,
        "capacity": plan.capacity,
        "department_id": department_id,
        "worker_ids": _ids("staff member", plan.workers, workers, plan.name),
    }
    found = existing.get(plan.name)
    if found is None:
        saved = await scheduling.save_appointment_type(
            services, principal, {"name": plan.name, **wanted}
        )
        return Change("created", "appointment type", saved.id, plan.name)
    differ = {name: value for name, value in wanted.items() if getattr(found, name) != value}
    if differ:
        await scheduling.save_appointment_type(services, principal, differ, found.id)
        return Change("updated", "appointment type", found.id, plan.name, tuple(differ))
    return Change("left", "appointment type", found.id, plan.name)

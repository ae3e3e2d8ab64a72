"""The staff calendar's time grid: one department's days, a column per worker (or one for a
department's counters), when each column works, time off, closures and the appointments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from slotbook.application.access import Principal, Scope, require
from slotbook.application.agenda import agenda_of
from slotbook.application.availability import load_agenda
from slotbook.application.ports import GridAppointment, Services
from slotbook.domain.organizations import Department
from slotbook.domain.schedules import Closure, ExceptionKind
from slotbook.domain.slots import DayFrames, closed_spans, instant, open_spans
from slotbook.domain.time import day_start, zone

# A week of a busy department (50 workers, a dozen appointments each a day) fits; past that
# the grid says it shows the first ones.
MAX_APPOINTMENTS = 5000

Span = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class GridColumn:
    """A worker, or (worker_id None) a department's counters."""

    worker_id: int | None
    name: str
    working: Sequence[Span]  # when the column can be booked (hours, extra hours, less time off)
    time_off: Sequence[tuple[Span, str | None]]


@dataclass(frozen=True, slots=True)
class DepartmentGrid:
    department: Department
    time_zone: str
    days: Sequence[date]
    always_open: bool
    slot_minutes: int
    columns: Sequence[GridColumn]
    closures: Sequence[Closure]
    appointments: Sequence[GridAppointment]  # all but cancelled ones, by start
    complete: bool  # False: more than MAX_APPOINTMENTS, the first ones shown


async def department_grid(
    services: Services, principal: Principal, department_id: int, first: date, days: int
) -> DepartmentGrid:
    """`days` local days of one department from `first`. Scope `appointments:read`."""
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        cached = await agenda_of(services, uow, department_id)
        tz = zone(cached.settings.time_zone)
        last = first + timedelta(days=days - 1)
        since, until = day_start(first, tz), day_start(last + timedelta(days=1), tz)
        agenda = await load_agenda(services, uow, cached, None, since, until, with_bookings=False)
        found = await uow.appointments.on_grid(department_id, since, until, MAX_APPOINTMENTS)
    schedule = agenda.schedule
    frames = DayFrames(first, last, tz)
    closed = closed_spans(schedule, frames)
    names = {w.id: w.name for w in agenda.workers}
    columns = []
    for resource in schedule.resources:
        if schedule.configured:
            working = [(instant(s), instant(e)) for s, e, _ in open_spans(resource, frames, closed)]
        else:  # always open: every hour can be booked
            working = [(since, until)]
        off = [
            ((x.starts_at, x.ends_at), x.reason)
            for x in resource.exceptions
            if x.kind is ExceptionKind.TIME_OFF and x.starts_at < until and x.ends_at > since
        ]
        name = names.get(resource.worker_id, "") if resource.worker_id else cached.department.name
        columns.append(GridColumn(resource.worker_id, name, working, off))
    return DepartmentGrid(
        department=cached.department,
        time_zone=tz.key,
        days=frames.days,
        always_open=not schedule.configured,
        slot_minutes=cached.settings.slot_interval_minutes,
        columns=columns,
        closures=[c for c in cached.closures if first <= c.day <= last]
        if schedule.configured
        else [],
        appointments=found,
        complete=len(found) < MAX_APPOINTMENTS,
    )

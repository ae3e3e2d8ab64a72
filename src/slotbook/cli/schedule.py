"""Setting up an organization from the command line: departments, their hours, staff and
appointment types. Each command prints what it made, and its id last."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from slotbook.application import organizations as org_cases
from slotbook.application import scheduling
from slotbook.application.access import Principal, operator_principal
from slotbook.application.ports import Services
from slotbook.bootstrap import Container
from slotbook.cli.running import HELP_SETTINGS, run, run_for, week_text
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.schedules import (
    AppointmentType,
    DailyRange,
    clock_minute,
    weekdays_of,
    with_days,
)

department_app = typer.Typer(
    help="Departments: create, list, no-show rule.",
    no_args_is_help=True,
    context_settings=HELP_SETTINGS,
)
hours_app = typer.Typer(
    help="Weekly hours of a department or of a staff member.",
    no_args_is_help=True,
    context_settings=HELP_SETTINGS,
)
# `slotbook worker` is the background worker (webhooks, reminders); people are `staff`.
staff_app = typer.Typer(
    help="Staff members (the API's workers).", no_args_is_help=True, context_settings=HELP_SETTINGS
)
type_app = typer.Typer(
    help="Appointment types: what is booked and how long it takes.",
    no_args_is_help=True,
    context_settings=HELP_SETTINGS,
)

Organization = Annotated[int, typer.Option(help="Organization id", show_default=False)]


def _department_summary(detail: scheduling.DepartmentDetail) -> list[str]:
    d, s = detail.department, detail.settings
    zone = s.time_zone + (" (the organization's)" if detail.own_time_zone is None else "")
    lines = [
        f"  time zone {zone}, a slot every {s.slot_interval_minutes} min, "
        f"{s.slot_capacity} booking(s) at a time without a named staff member",
    ]
    if d.show_admins_in_booking:
        lines.append("  clients choose a staff member (showAdminsInBooking)")
    if s.always_open:
        lines.append("  always open: takes any future time (hours do not apply)")
    else:
        lines.append(f"  opening hours: {week_text(detail.hours)}")
    return lines


@department_app.command("create")
def department_create(
    organization: Organization,
    name: Annotated[str, typer.Option(help="Department name", show_default=False)],
    timezone: Annotated[
        str | None, typer.Option(help="IANA time zone (default: the organization's)")
    ] = None,
    slot_interval: Annotated[
        int,
        typer.Option(help="Minutes between two bookable starts", min=5, max=1440, metavar="MIN"),
    ] = 30,
    capacity: Annotated[
        int,
        typer.Option(help="Bookings at the same time without a named staff member", min=1),
    ] = 1,
    description: Annotated[str | None, typer.Option(help="A line about the department")] = None,
    show_workers_in_booking: Annotated[
        bool,
        typer.Option(
            "--show-workers",
            help="Clients must choose a staff member when booking (showAdminsInBooking)",
        ),
    ] = False,
    always_open: Annotated[
        bool,
        typer.Option(
            "--always-open", help="Take any future time instead of opening Mon-Fri 09:00-17:00"
        ),
    ] = False,
) -> None:
    """Create a department. It opens Monday to Friday 09:00-17:00 until `slotbook hours set`
    changes that (or takes any time with --always-open); prints its id last."""
    changes: dict[str, Any] = {
        "name": name,
        "description": description,
        "show_admins_in_booking": show_workers_in_booking,
        "own_time_zone": timezone,
        "slot_interval_minutes": slot_interval,
        "slot_capacity": capacity,
        "always_open": always_open,
    }
    detail = run_for(organization, lambda s, p: scheduling.create_department(s, p, changes))
    typer.echo(
        f"Created department {detail.department.id} {detail.department.name!r} "
        f"in organization {organization}"
    )
    for line in _department_summary(detail):
        typer.echo(line)
    typer.echo(detail.department.id)


@department_app.command("list")
def department_list(organization: Organization) -> None:
    """The organization's departments with their settings and opening hours."""

    async def work(s: Services, p: Principal) -> list[scheduling.DepartmentDetail]:
        departments = await org_cases.list_departments(s, p)
        return [await scheduling.get_department(s, p, d.id) for d in departments]

    for detail in run_for(organization, work):
        typer.echo(f"{detail.department.id} {detail.department.name}")
        for line in _department_summary(detail):
            typer.echo(line)


async def _operator_of_hours(
    c: Container, worker: int | None, department: int | None
) -> tuple[str, Principal]:
    """Whose hours (for messages), and the administrator of their organization."""
    if worker is not None:
        where = "" if department is None else f" in department {department}"
        organization = await org_cases.organization_of_worker(c.services, worker)
        return f"staff member {worker}{where}", operator_principal(organization)
    if department is not None:
        organization = await org_cases.organization_of_department(c.services, department)
        return f"department {department}", operator_principal(organization)
    raise InvalidRequest("Give --department, or --worker (and --department for one department)")


Department = Annotated[
    int | None, typer.Option(help="Department id (with --worker: hours there only)")
]
Worker = Annotated[int | None, typer.Option(help="Staff member id")]


@hours_app.command("set")
def hours_set(
    weekday: Annotated[
        str,
        typer.Option(help="mon, mon-fri, mon,wed,fri or all", show_default=False),
    ],
    start: Annotated[
        list[str] | None,
        typer.Option("--from", help="Start HH:MM; repeat with --to for a split day"),
    ] = None,
    end: Annotated[list[str] | None, typer.Option("--to", help="End HH:MM (24:00: midnight)")] = (
        None
    ),
    closed: Annotated[bool, typer.Option("--closed", help="No hours on those days")] = False,
    department: Department = None,
    worker: Worker = None,
) -> None:
    """Set the hours of some weekdays (the other days keep theirs); prints the whole week."""
    starts, ends = start or [], end or []

    async def work(c: Container) -> tuple[str, tuple[DailyRange, ...]]:
        days = weekdays_of(weekday)
        if closed == bool(starts) or len(starts) != len(ends):
            raise InvalidRequest("Give --from and --to (as many of each), or --closed")
        spans = [(clock_minute(a), clock_minute(b)) for a, b in zip(starts, ends, strict=True)]
        who, principal = await _operator_of_hours(c, worker, department)
        current = await scheduling.get_hours(
            c.services, principal, worker_id=worker, department_id=department
        )
        hours = await scheduling.set_hours(
            c.services,
            principal,
            with_days(current, days, spans),
            worker_id=worker,
            department_id=department,
        )
        return who, hours

    who, hours = run(work)
    typer.echo(f"Hours of {who}: {week_text(hours)}")


@hours_app.command("show")
def hours_show(department: Department = None, worker: Worker = None) -> None:
    """The weekly hours of a department or of a staff member."""

    async def work(c: Container) -> tuple[str, tuple[DailyRange, ...]]:
        who, principal = await _operator_of_hours(c, worker, department)
        hours = await scheduling.get_hours(
            c.services, principal, worker_id=worker, department_id=department
        )
        return who, hours

    who, hours = run(work)
    typer.echo(f"Hours of {who}: {week_text(hours)}")


Departments = Annotated[
    list[int] | None, typer.Option("--department", help="Department id (repeat for several)")
]


@staff_app.command("create")
def staff_create(
    organization: Organization,
    name: Annotated[str, typer.Option(help="Name shown to clients", show_default=False)],
    department: Departments = None,
) -> None:
    """Add a staff member to departments; prints their id last. They follow each department's
    opening hours until given their own (`slotbook hours set --worker ID`)."""
    worker, departments = run_for(
        organization, lambda s, p: scheduling.save_worker(s, p, name, department or [])
    )
    where = ", ".join(str(d) for d in departments) or "none yet"
    typer.echo(f"Created staff member {worker.id} {worker.name!r}; departments: {where}")
    typer.echo(worker.id)


@staff_app.command("list")
def staff_list(organization: Organization) -> None:
    """The organization's staff members and their departments."""
    found = run_for(organization, scheduling.list_workers)
    for worker, departments in found:
        typer.echo(f"{worker.id} {worker.name}; departments: {', '.join(map(str, departments))}")


def _type_text(kind: AppointmentType) -> str:
    where = "every department" if kind.department_id is None else f"department {kind.department_id}"
    who = ", ".join(map(str, kind.worker_ids)) or "every staff member"
    extra = ""
    if kind.buffer_before_minutes or kind.buffer_after_minutes:
        extra += f", buffers {kind.buffer_before_minutes}/{kind.buffer_after_minutes} min"
    if kind.capacity:
        extra += f", groups of {kind.capacity}"
    return f"{kind.duration_minutes} min{extra}; in {where}; by {who}"


@type_app.command("create")
def appointment_type_create(
    organization: Organization,
    name: Annotated[str, typer.Option(help="What is booked", show_default=False)],
    duration: Annotated[int, typer.Option(help="Minutes", min=1, show_default=False)],
    department: Annotated[
        int | None, typer.Option(help="Department id (default: offered in every department)")
    ] = None,
    buffer_before: Annotated[int, typer.Option(help="Minutes held before", min=0)] = 0,
    buffer_after: Annotated[int, typer.Option(help="Minutes held after", min=0)] = 0,
    capacity: Annotated[
        int | None, typer.Option(help="Clients per session (a group session)", min=1)
    ] = None,
    worker: Annotated[
        list[int] | None,
        typer.Option(help="Staff member id who offers it (repeat; default: everyone)"),
    ] = None,
) -> None:
    """Create an appointment type; prints its id last."""
    changes = {
        "name": name,
        "duration_minutes": duration,
        "buffer_before_minutes": buffer_before,
        "buffer_after_minutes": buffer_after,
        "capacity": capacity,
        "department_id": department,
        "worker_ids": tuple(worker or ()),
    }
    kind = run_for(organization, lambda s, p: scheduling.save_appointment_type(s, p, changes))
    typer.echo(f"Created appointment type {kind.id} {kind.name!r}: {_type_text(kind)}")
    typer.echo(kind.id)


@type_app.command("list")
def appointment_type_list(organization: Organization) -> None:
    """The organization's appointment types."""
    found = run_for(organization, lambda s, p: scheduling.list_appointment_types(s, p))
    for kind in found:
        typer.echo(f"{kind.id} {kind.name}: {_type_text(kind)}")

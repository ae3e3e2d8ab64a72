"""The calendar: a day or a week of appointments, for a department and/or a worker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from starlette.responses import JSONResponse, Response

from slotbook.application.appointment_details import (
    AppointmentChange,
    RescheduleRequest,
    change_appointment,
)
from slotbook.application.appointments import ListQuery, list_appointments
from slotbook.application.desk_calendar import DepartmentGrid, department_grid
from slotbook.application.organizations import list_departments
from slotbook.application.scheduling import list_workers
from slotbook.domain.appointments import MOVABLE_STATUSES as MOVABLE
from slotbook.domain.appointments import Appointment, AppointmentStatus
from slotbook.domain.errors import Forbidden, InvalidRequest, NotFound, VersionMismatch
from slotbook.domain.limits import MAX_ID, SUPPORTED_YEARS, is_supported_year
from slotbook.domain.organizations import Worker
from slotbook.web.appointment_view import span_of
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.i18n import Translator
from slotbook.web.rendering import SECURITY_HEADERS, render, translator
from slotbook.web.session import CurrentUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/calendar")

# One page of the list use case: a week of a busy office fits; more is said on the page.
MAX_SHOWN = 500
View = Literal["day", "week"]


@dataclass(frozen=True, slots=True)
class Filters:
    view: View
    day: date
    department_id: int | None
    worker_id: int | None

    def link(self, **changes: object) -> str:
        values: dict[str, object] = {
            "view": self.view,
            "date": self.day.isoformat(),
            "department": self.department_id or "",
            "worker": self.worker_id or "",
            **changes,
        }
        return "/dashboard/calendar?" + urlencode({k: v for k, v in values.items() if v != ""})


@dataclass(frozen=True, slots=True)
class Column:
    day: date
    label: str
    is_today: bool
    appointments: Sequence[Appointment]


def optional_id(value: str | None, name: str) -> int | None:
    """A select's value: empty means "all"; anything else must be an id."""
    if value is None or value == "":
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise InvalidRequest(f"{name} must be an id")
    return int(value)


def optional_date(value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest("date must be a date such as 2027-02-15") from None
    if not is_supported_year(day):
        raise InvalidRequest(f"date must be in the {SUPPORTED_YEARS}")
    return day


def days_of(view: View, day: date) -> list[date]:
    if view == "day":
        return [day]
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


@router.get("")
async def calendar(
    request: Request,
    user: CurrentUser,
    view: Annotated[View, Query()] = "week",
    day_text: Annotated[str | None, Query(alias="date", max_length=10)] = None,
    department: Annotated[str | None, Query(max_length=10)] = None,
    worker: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    services = container_of(request).services
    principal = user.principal
    department_id = optional_id(department, "department")
    worker_id = optional_id(worker, "worker")
    departments = await list_departments(services, principal)
    workers = await list_workers(services, principal)
    chosen = next((d for d in departments if d.id == department_id), None)
    if department_id is not None and chosen is None:
        raise InvalidRequest(f"Department {department_id} is not one of yours")
    # Days are the department's days; across departments, the organization's.
    tz = ZoneInfo(chosen.time_zone if chosen else user.time_zone)
    today = services.clock.now().astimezone(tz).date()
    filters = Filters(view, optional_date(day_text) or today, department_id, worker_id)
    days = days_of(view, filters.day)
    start = datetime.combine(days[0], time.min)
    found = await list_appointments(
        services,
        principal,
        ListQuery(
            size=MAX_SHOWN,
            department_id=department_id,
            worker_id=worker_id,
            start_date=start,
            end_date=start + timedelta(days=len(days)) - timedelta(microseconds=1),
        ),
    )
    t = translator(request)
    by_day: dict[date, list[Appointment]] = {d: [] for d in days}
    for a in found.items:
        local_day = a.starts_at.astimezone(ZoneInfo(a.time_zone)).date()
        if local_day in by_day:
            by_day[local_day].append(a)
    columns = [Column(d, day_label(t, d), d == today, by_day[d]) for d in days]
    step = timedelta(days=1 if view == "day" else 7)
    return render(
        request,
        "calendar.html",
        {
            "filters": filters,
            "columns": columns,
            "departments": departments,
            "workers": _workers_of(workers, department_id, worker_id),
            "worker_names": {w.id: w.name for w, _ in workers},
            "shown": len(found.items),
            "total": found.total,
            "zone": tz.key,
            "title": _title(t, view, days),
            "previous": filters.link(date=(filters.day - step).isoformat()),
            "next": filters.link(date=(filters.day + step).isoformat()),
            "today": filters.link(date=today.isoformat()),
            "day_link": filters.link(view="day"),
            "week_link": filters.link(view="week"),
            "single_department": chosen,
            "span": span_of(t),
            "grid_feed": (
                f"/dashboard/calendar/grid?view={view}&date={filters.day.isoformat()}"
                f"&department={chosen.id}"
                if chosen
                else None
            ),
            "grid_links": [(d, filters.link(department=d.id, worker="")) for d in departments],
        },
        user=user,
        active="nav.calendar",
    )


def _workers_of(
    workers: Sequence[tuple[Worker, tuple[int, ...]]], department_id: int | None, chosen: int | None
) -> list[Worker]:
    """The workers the filter offers: those of the chosen department (and the chosen one)."""
    return [
        w
        for w, departments in workers
        if department_id is None or department_id in departments or w.id == chosen
    ]


def day_label(t: Translator, day: date) -> str:
    """ "Monday 16 Feb" / "lundi 16/02": the weekday in the page's language."""
    return f"{t(f'calendar.weekday.{day.weekday()}')} {day.strftime(t('fmt.short_date'))}"


def _title(t: Translator, view: View, days: list[date]) -> str:
    if view == "day":
        return f"{day_label(t, days[0])} {days[0].year}"
    return t(
        "calendar.week_of",
        first=days[0].strftime(t("fmt.short_date")),
        last=days[-1].strftime(t("fmt.short_date")),
    )


# The time grid (static/calendar.js draws it with the vendored EventCalendar). Times are the
# department's wall-clock times without an offset: the grid shows them as they are.
def _grid_json(t: Translator, grid: DepartmentGrid) -> dict[str, object]:
    tz = ZoneInfo(grid.time_zone)

    def wall(value: datetime) -> datetime:
        return value.astimezone(tz).replace(tzinfo=None)

    column_ids = [str(c.worker_id) if c.worker_id else "counters" for c in grid.columns]
    names = {c.worker_id: c.name for c in grid.columns}
    events: list[dict[str, object]] = []
    first_hour, last_hour = 24, 0
    for column_id, column in zip(column_ids, grid.columns, strict=True):
        for start, end in column.working:
            local_start, local_end = wall(start), wall(end)
            first_hour = min(first_hour, local_start.hour)
            last_hour = max(last_hour, wall(end - timedelta(seconds=1)).hour + 1)
            events.append(
                {
                    "start": local_start.isoformat(timespec="minutes"),
                    "end": local_end.isoformat(timespec="minutes"),
                    "resourceIds": [column_id],
                    "display": "background",
                    "classNames": ["bg-working"],
                }
            )
        for (start, end), reason in column.time_off:
            events.append(
                {
                    "start": wall(start).isoformat(timespec="minutes"),
                    "end": wall(end).isoformat(timespec="minutes"),
                    "resourceIds": [column_id],
                    "display": "background",
                    "classNames": ["bg-off"],
                    "title": reason or t("grid.time_off"),
                }
            )
    for closure in grid.closures:
        events.append(
            {
                "start": closure.day.isoformat() + "T00:00",
                "end": (closure.day + timedelta(days=1)).isoformat() + "T00:00",
                "resourceIds": column_ids,
                "display": "background",
                "classNames": ["bg-closed"],
                "title": t("grid.closed", reason=closure.reason or ""),
            }
        )
    statuses = {s: t(f"status.{s.value}") for s in AppointmentStatus}
    for a in grid.appointments:
        start = wall(a.starts_at)
        end = wall(a.ends_at) if a.ends_at else start
        first_hour, last_hour = min(first_hour, start.hour), max(last_hour, end.hour + 1)
        events.append(
            {
                "id": str(a.id),
                "start": start.isoformat(timespec="minutes"),
                "end": end.isoformat(timespec="minutes"),
                "resourceIds": [str(a.worker_id) if a.worker_id else "counters"],
                "title": a.name,
                "classNames": ["ev", f"ev-{a.status.value.lower()}"],
                "editable": a.status in MOVABLE,
                "extendedProps": {
                    "url": f"/dashboard/appointments/{a.id}",
                    "version": a.version,
                    "status": statuses[a.status],
                    "worker": names.get(a.worker_id, "") if a.worker_id else "",
                },
            }
        )
    if grid.always_open or first_hour >= last_hour:
        first_hour, last_hour = min(first_hour, 8), max(last_hour, 18)
    return {
        "timeZone": grid.time_zone,
        "days": len(grid.days),
        "date": grid.days[0].isoformat(),
        "slotMinutes": min(grid.slot_minutes, 60),
        "slotMinTime": f"{first_hour:02d}:00",
        "slotMaxTime": f"{min(last_hour, 24):02d}:00",
        "resources": [
            {"id": column_id, "title": column.name}
            for column_id, column in zip(column_ids, grid.columns, strict=True)
        ],
        "events": events,
        "shown": len(grid.appointments),
        "complete": grid.complete,
        "newUrl": f"/dashboard/appointments/new?department={grid.department.id}",
    }


@router.get("/grid")
async def grid_feed(
    request: Request,
    user: CurrentUser,
    department: Annotated[str, Query(max_length=10)],
    view: Annotated[View, Query()] = "week",
    day_text: Annotated[str | None, Query(alias="date", max_length=10)] = None,
) -> Response:
    """One department's days for the time grid, as JSON."""
    services = container_of(request).services
    department_id = optional_id(department, "department")
    if department_id is None:
        raise InvalidRequest("department must be an id")
    grid = await department_grid(
        services,
        user.principal,
        department_id,
        (days := days_of(view, optional_date(day_text) or services.clock.now().date()))[0],
        len(days),
    )
    return JSONResponse(_grid_json(translator(request), grid), headers=SECURITY_HEADERS)


async def _refused(request: Request, status: int, message: str) -> Response:
    """A move the grid asked for and a rule refused: the rule's sentence, for the grid to show
    where the appointment was dropped."""
    return JSONResponse({"message": message}, status_code=status, headers=SECURITY_HEADERS)


@router.post("/move")
@shows_errors_with(_refused, also=(NotFound, Forbidden, VersionMismatch))
async def move_from_grid(request: Request, user: CurrentUser) -> Response:
    """Drag and drop on the grid: the same reschedule use case as the API and the appointment
    page (every booking rule; the version the grid showed, as If-Match)."""
    form = await checked_form(request, user)
    t = translator(request)
    appointment_id = optional_id(text_field(form, "appointment", 10), "appointment")
    version = text_field(form, "version", 10)
    worker = text_field(form, "worker", 10)
    try:
        starts_at = datetime.fromisoformat(text_field(form, "starts_at", 20))
    except ValueError:
        raise InvalidRequest(t("appointment.move.slot_required")) from None
    if appointment_id is None or not version.isdigit() or starts_at.tzinfo is not None:
        raise InvalidRequest(t("appointment.move.slot_required"))
    if not is_supported_year(starts_at):
        raise InvalidRequest(t("appointment.move.slot_required"))
    moved = await change_appointment(
        container_of(request).services,
        user.principal,
        appointment_id,
        AppointmentChange(
            move=RescheduleRequest(
                date_time=starts_at,
                worker_id=optional_id(worker, "worker") if worker != "counters" else None,
            ),
            if_match=frozenset({int(version)}),
        ),
    )
    return JSONResponse(
        {"id": moved.id, "version": moved.version, "message": t("grid.moved", name=moved.name)},
        headers=SECURITY_HEADERS,
    )

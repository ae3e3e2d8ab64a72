"""The calendar: a day or a week of appointments, for a department and/or a worker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from slotbook.application.appointments import ListQuery, list_appointments
from slotbook.application.organizations import list_departments
from slotbook.application.scheduling import list_workers
from slotbook.domain.appointments import Appointment
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import MAX_ID, SUPPORTED_YEARS, is_supported_year
from slotbook.domain.organizations import Worker
from slotbook.web.appointment_view import span_of
from slotbook.web.i18n import Translator
from slotbook.web.rendering import render, translator
from slotbook.web.session import CurrentUser, container_of

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

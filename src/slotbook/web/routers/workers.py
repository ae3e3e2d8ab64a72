"""Workers (owners): list and create; each one's name and departments, weekly working hours
(several ranges a day) and dated exceptions (time off, extra hours)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from slotbook.application import scheduling as use_cases
from slotbook.application.organizations import list_departments
from slotbook.application.users import SessionUser
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import MAX_ID
from slotbook.domain.schedules import DailyRange, ExceptionKind
from slotbook.web.admin_forms import (
    clock,
    clock_minutes,
    id_choices,
    local_datetime,
    name_field,
    optional_text,
    posted_ids,
)
from slotbook.web.errors import FormPage, shows_errors_with
from slotbook.web.forms import text_field, text_fields
from slotbook.web.i18n import Translator
from slotbook.web.rendering import redirect, render, translator
from slotbook.web.session import OwnerUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/workers")

PAGE = "/dashboard/workers"
WorkerId = Annotated[int, Path(ge=1, le=MAX_ID)]
ExceptionId = Annotated[int, Path(ge=1, le=MAX_ID)]
Done = Annotated[str | None, Query(max_length=16)]
NOTICES = frozenset({"created", "saved", "hours", "added", "removed"})
DAYS = range(7)
BLANK_RANGES = 2  # empty rows under each day's ranges, to add more without script
MAX_RANGES_A_DAY = 24
KINDS = [k.value for k in ExceptionKind]


def _notice(request: Request, done: str | None) -> str | None:
    return translator(request)(f"workers.done.{done}") if done in NOTICES else None


async def _department_choices(request: Request, user: SessionUser) -> list[Any]:
    return list(await list_departments(container_of(request).services, user.principal))


async def _worker_fields(
    request: Request, user: SessionUser, form: FormData
) -> tuple[str, list[int]]:
    t = translator(request)
    name = name_field(form, "name", t, t("workers.name"), 200)
    known = {d.id for d in await _department_choices(request, user)}
    return name, id_choices(form, "departments", known)


def _posted_worker(form: FormData) -> dict[str, Any]:
    return {
        "name": text_field(form, "name", 300),
        "departments": posted_ids(form, "departments"),
    }


async def _list_page(
    request: Request, user: SessionUser, *, status: int = 200, context: dict[str, Any] | None = None
) -> Response:
    services = container_of(request).services
    workers = await use_cases.list_workers(services, user.principal)
    departments = await _department_choices(request, user)
    return render(
        request,
        "workers.html",
        {
            "workers": workers,
            "departments": departments,
            "department_names": {d.id: d.name for d in departments},
            "values": {"name": "", "departments": set()},
            "error": None,
            "notice": None,
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.workers",
        page_path=PAGE,
    )


@router.get("")
async def workers_page(request: Request, user: OwnerUser, done: Done = None) -> Response:
    return await _list_page(request, user, context={"notice": _notice(request, done)})


async def _create_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    context = {"error": message, "values": _posted_worker(form)}
    return await _list_page(request, request.state.user, status=status, context=context)


@router.post("")
@shows_errors_with(_create_again)
async def create(request: Request, user: OwnerUser) -> Response:
    form = await checked_form(request, user)
    name, departments = await _worker_fields(request, user, form)
    services = container_of(request).services
    worker, _ = await use_cases.save_worker(services, user.principal, name, departments)
    return redirect(f"{PAGE}/{worker.id}?done=created")


def _hour_rows(ranges: Sequence[DailyRange]) -> dict[int, list[tuple[str, str]]]:
    rows: dict[int, list[tuple[str, str]]] = {day: [] for day in DAYS}
    for r in ranges:
        rows[r.weekday].append((clock(r.start_minute), clock(r.end_minute)))
    return {day: found + [("", "")] * BLANK_RANGES for day, found in rows.items()}


def _posted_hours(form: FormData) -> dict[int, list[tuple[str, str]]]:
    rows: dict[int, list[tuple[str, str]]] = {}
    for day in DAYS:
        starts = text_fields(form, f"start-{day}", 8)[:MAX_RANGES_A_DAY]
        ends = text_fields(form, f"end-{day}", 8)[:MAX_RANGES_A_DAY]
        pairs = [(s, e) for s, e in zip(starts, ends, strict=False) if s or e]
        rows[day] = pairs + [("", "")] * BLANK_RANGES
    return rows


def _hours_of(form: FormData, t: Translator) -> list[DailyRange]:
    """The ticked ranges; a half-filled row, an end before its start or an overlap is refused
    with the day named."""
    ranges: list[DailyRange] = []
    for day in DAYS:
        day_name = t(f"calendar.weekday.{day}")
        day_name = day_name[:1].upper() + day_name[1:]  # it starts the sentence
        starts = text_fields(form, f"start-{day}", 8)
        ends = text_fields(form, f"end-{day}", 8)
        if len(starts) > MAX_RANGES_A_DAY or len(ends) != len(starts):
            raise InvalidRequest(t("workers.error.rows", day=day_name))
        found = []
        for start, end in zip(starts, ends, strict=True):
            if not start and not end:
                continue
            if not start or not end:
                raise InvalidRequest(t("workers.error.half_range", day=day_name))
            first, last = clock_minutes(start, t), clock_minutes(end, t)
            if first >= last:
                raise InvalidRequest(
                    t("workers.error.backwards", day=day_name, start=start, end=end)
                )
            found.append((first, last))
        found.sort()
        for (_, end_before), (start_after, _) in pairwise(found):
            if start_after < end_before:
                raise InvalidRequest(t("workers.error.overlap", day=day_name))
        ranges.extend(DailyRange(day, first, last) for first, last in found)
    return ranges


async def _worker_page(
    request: Request,
    user: SessionUser,
    worker_id: int,
    *,
    status: int = 200,
    context: dict[str, Any] | None = None,
) -> Response:
    services = container_of(request).services
    worker, in_departments = await use_cases.get_worker(services, user.principal, worker_id)
    hours = await use_cases.get_hours(
        services, user.principal, worker_id=worker_id, department_id=None
    )
    exceptions = await use_cases.list_exceptions(services, user.principal, worker_id)
    return render(
        request,
        "worker.html",
        {
            "worker": worker,
            "departments": await _department_choices(request, user),
            "values": {"name": worker.name, "departments": set(in_departments)},
            "hours": _hour_rows(hours),
            "days": DAYS,
            "exceptions": sorted(exceptions, key=lambda e: e.starts_at),
            "kinds": KINDS,
            "exception": {"kind": KINDS[0], "starts_at": "", "ends_at": "", "reason": ""},
            "error": None,
            "hours_error": None,
            "exception_error": None,
            "notice": None,
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.workers",
        page_path=f"{PAGE}/{worker_id}",
    )


@router.get("/{worker_id:int}")
async def worker_page(
    request: Request, user: OwnerUser, worker_id: WorkerId, done: Done = None
) -> Response:
    return await _worker_page(request, user, worker_id, context={"notice": _notice(request, done)})


def _again(context_of: Callable[[FormData, str], dict[str, Any]]) -> FormPage:
    """A FormPage showing the worker page again with the refused form's values."""

    async def page(request: Request, status: int, message: str) -> Response:
        form = await request.form()
        worker_id = int(request.path_params["worker_id"])
        context = context_of(form, message)
        return await _worker_page(
            request, request.state.user, worker_id, status=status, context=context
        )

    return page


@router.post("/{worker_id:int}")
@shows_errors_with(_again(lambda f, m: {"error": m, "values": _posted_worker(f)}))
async def save(request: Request, user: OwnerUser, worker_id: WorkerId) -> Response:
    form = await checked_form(request, user)
    name, departments = await _worker_fields(request, user, form)
    services = container_of(request).services
    await use_cases.save_worker(services, user.principal, name, departments, worker_id)
    return redirect(f"{PAGE}/{worker_id}?done=saved")


@router.post("/{worker_id:int}/hours")
@shows_errors_with(_again(lambda f, m: {"hours_error": m, "hours": _posted_hours(f)}))
async def set_hours(request: Request, user: OwnerUser, worker_id: WorkerId) -> Response:
    form = await checked_form(request, user)
    ranges = _hours_of(form, translator(request))
    services = container_of(request).services
    await use_cases.set_hours(
        services, user.principal, ranges, worker_id=worker_id, department_id=None
    )
    return redirect(f"{PAGE}/{worker_id}?done=hours#hours")


def _posted_exception(form: FormData) -> dict[str, str]:
    return {
        name: text_field(form, name, 300) for name in ("kind", "starts_at", "ends_at", "reason")
    }


@router.post("/{worker_id:int}/exceptions")
@shows_errors_with(_again(lambda f, m: {"exception_error": m, "exception": _posted_exception(f)}))
async def add_exception(request: Request, user: OwnerUser, worker_id: WorkerId) -> Response:
    form = await checked_form(request, user)
    t = translator(request)
    kind = text_field(form, "kind", 16)
    if kind not in KINDS:
        raise InvalidRequest(t("workers.error.kind"))
    starts_at = local_datetime(form, "starts_at", t, t("workers.exception_start"))
    ends_at = local_datetime(form, "ends_at", t, t("workers.exception_end"))
    if ends_at <= starts_at:
        raise InvalidRequest(t("workers.error.exception_order"))
    reason = optional_text(form, "reason", t, t("workers.exception_reason"), 255)
    services = container_of(request).services
    await use_cases.add_exception(
        services, user.principal, worker_id, ExceptionKind(kind), starts_at, ends_at, reason
    )
    return redirect(f"{PAGE}/{worker_id}?done=added#exceptions")


@router.post("/{worker_id:int}/exceptions/{exception_id:int}/delete")
async def delete_exception(
    request: Request, user: OwnerUser, worker_id: WorkerId, exception_id: ExceptionId
) -> Response:
    await checked_form(request, user)
    services = container_of(request).services
    await use_cases.delete_exception(services, user.principal, worker_id, exception_id)
    return redirect(f"{PAGE}/{worker_id}?done=removed#exceptions")

"""Departments (owners): list and create; each one's settings, booking rules, no-show rule,
booking page switch and closure dates."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from slotbook.application import scheduling as use_cases
from slotbook.application.organizations import list_departments
from slotbook.application.scheduling import DepartmentDetail
from slotbook.application.users import SessionUser
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import MAX_ID
from slotbook.domain.policy import MAX_NO_SHOW_WINDOW_DAYS, NoShowRule
from slotbook.domain.time import is_known_zone
from slotbook.web.admin_forms import (
    checkbox,
    date_field,
    int_field,
    name_field,
    optional_text,
    required_int,
)
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.i18n import Translator
from slotbook.web.rendering import redirect, render, translator
from slotbook.web.session import OwnerUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/departments")

PAGE = "/dashboard/departments"
DepartmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
ClosureId = Annotated[int, Path(ge=1, le=MAX_ID)]
Done = Annotated[str | None, Query(max_length=16)]
NOTICES = frozenset({"created", "saved", "closed", "reopened"})
MINUTES_A_YEAR = 366 * 24 * 60
# (form field, BookingPolicy field, highest value): the domain's limits (domain/policy.py).
POLICY_FIELDS = (
    ("max_upcoming", "max_upcoming_per_client", 10_000),
    ("min_between", "min_minutes_between_client_appointments", MINUTES_A_YEAR),
    ("max_advance_days", "max_advance_days", 3660),
    ("min_notice", "min_notice_minutes", MINUTES_A_YEAR),
    ("min_cancel_notice", "min_cancel_notice_minutes", MINUTES_A_YEAR),
)
TEXT_FIELDS = (
    "name",
    "description",
    "address",
    "directions",
    "time_zone",
    "slot_interval",
    "slot_capacity",
    "no_show_limit",
    "no_show_window",
    *(f for f, _, _ in POLICY_FIELDS),
)
NEW_DEPARTMENT = {"slot_interval": "30", "slot_capacity": "1", "no_show_window": "90"}


def _values_of(detail: DepartmentDetail) -> dict[str, Any]:
    d, s = detail.department, detail.settings
    values: dict[str, Any] = {
        "name": d.name,
        "description": d.description or "",
        "address": d.address or "",
        "directions": d.directions or "",
        "time_zone": detail.own_time_zone or "",
        "slot_interval": str(s.slot_interval_minutes),
        "slot_capacity": str(s.slot_capacity),
        "show_admins": d.show_admins_in_booking,
        "booking_page": d.booking_page_enabled,
        "no_show_limit": "" if d.no_show_limit is None else str(d.no_show_limit),
        "no_show_window": str(d.no_show_window_days),
    }
    for form_name, policy_name, _ in POLICY_FIELDS:
        value = getattr(s.policy, policy_name)
        values[form_name] = "" if value is None else str(value)
    return values


def _posted(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: text_field(form, name, 300) for name in TEXT_FIELDS}
    values["show_admins"] = checkbox(form, "show_admins")
    values["booking_page"] = checkbox(form, "booking_page")
    return values


def _changes(form: FormData, t: Translator) -> tuple[dict[str, Any], NoShowRule]:
    """The use case's changes and the no-show rule, from the form."""
    time_zone = text_field(form, "time_zone", 300).strip() or None
    if time_zone is not None and not is_known_zone(time_zone):
        raise InvalidRequest(t("departments.error.time_zone", zone=time_zone))
    policy = {
        name: int_field(form, field, t, t(f"departments.{field}"), 0, high)
        for field, name, high in POLICY_FIELDS
    }
    changes: dict[str, Any] = {
        "name": name_field(form, "name", t, t("departments.name"), 200),
        "description": optional_text(form, "description", t, t("departments.description"), 255),
        "address": optional_text(form, "address", t, t("departments.address"), 255),
        "directions": optional_text(form, "directions", t, t("departments.directions"), 500),
        "own_time_zone": time_zone,
        "slot_interval_minutes": required_int(
            form, "slot_interval", t, t("departments.slot_interval"), 5, 1440
        ),
        "slot_capacity": required_int(
            form, "slot_capacity", t, t("departments.slot_capacity"), 1, 10_000
        ),
        "show_admins_in_booking": checkbox(form, "show_admins"),
        "booking_page_enabled": checkbox(form, "booking_page"),
        "policy": policy,
    }
    limit = int_field(form, "no_show_limit", t, t("departments.no_show_limit"), 1, 10_000)
    window = required_int(
        form, "no_show_window", t, t("departments.no_show_window"), 1, MAX_NO_SHOW_WINDOW_DAYS
    )
    return changes, NoShowRule(limit, window)


def _notice(request: Request, done: str | None) -> str | None:
    return translator(request)(f"departments.done.{done}") if done in NOTICES else None


async def _list_page(
    request: Request, user: SessionUser, *, status: int = 200, context: dict[str, Any] | None = None
) -> Response:
    departments = await list_departments(container_of(request).services, user.principal)
    return render(
        request,
        "departments.html",
        {
            "departments": departments,
            "values": {**NEW_DEPARTMENT, "booking_page": True},
            "error": None,
            "notice": None,
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.departments",
        page_path=PAGE,
    )


@router.get("")
async def departments_page(request: Request, user: OwnerUser, done: Done = None) -> Response:
    return await _list_page(request, user, context={"notice": _notice(request, done)})


async def _create_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    context = {"error": message, "values": _posted(form)}
    return await _list_page(request, request.state.user, status=status, context=context)


@router.post("")
@shows_errors_with(_create_again)
async def create(request: Request, user: OwnerUser) -> Response:
    form = await checked_form(request, user)
    changes, no_show = _changes(form, translator(request))
    services = container_of(request).services
    detail = await use_cases.create_department(services, user.principal, changes, no_show)
    return redirect(f"{PAGE}/{detail.department.id}?done=created")


async def _department_page(
    request: Request,
    user: SessionUser,
    department_id: int,
    *,
    status: int = 200,
    context: dict[str, Any] | None = None,
) -> Response:
    services = container_of(request).services
    detail = await use_cases.get_department(services, user.principal, department_id)
    closures = await use_cases.list_closures(services, user.principal, department_id)
    return render(
        request,
        "department.html",
        {
            "department": detail.department,
            "values": _values_of(detail),
            "closures": sorted(closures, key=lambda c: c.day),
            "closure": {"date": "", "reason": ""},
            "error": None,
            "closure_error": None,
            "notice": None,
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.departments",
        page_path=f"{PAGE}/{department_id}",
    )


@router.get("/{department_id:int}")
async def department_page(
    request: Request, user: OwnerUser, department_id: DepartmentId, done: Done = None
) -> Response:
    notice = _notice(request, done)
    return await _department_page(request, user, department_id, context={"notice": notice})


async def _save_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    department_id = int(request.path_params["department_id"])
    context = {"error": message, "values": _posted(form)}
    return await _department_page(
        request, request.state.user, department_id, status=status, context=context
    )


@router.post("/{department_id:int}")
@shows_errors_with(_save_again)
async def save(request: Request, user: OwnerUser, department_id: DepartmentId) -> Response:
    form = await checked_form(request, user)
    changes, no_show = _changes(form, translator(request))
    services = container_of(request).services
    await use_cases.update_department(services, user.principal, department_id, changes, no_show)
    return redirect(f"{PAGE}/{department_id}?done=saved")


async def _closure_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    department_id = int(request.path_params["department_id"])
    closure = {"date": text_field(form, "date", 16), "reason": text_field(form, "reason", 300)}
    context = {"closure_error": message, "closure": closure}
    return await _department_page(
        request, request.state.user, department_id, status=status, context=context
    )


@router.post("/{department_id:int}/closures")
@shows_errors_with(_closure_again)
async def add_closure(request: Request, user: OwnerUser, department_id: DepartmentId) -> Response:
    form = await checked_form(request, user)
    t = translator(request)
    day = date_field(form, "date", t, t("departments.closure_date"))
    reason = optional_text(form, "reason", t, t("departments.closure_reason"), 255)
    services = container_of(request).services
    await use_cases.add_closure(services, user.principal, department_id, day, reason)
    return redirect(f"{PAGE}/{department_id}?done=closed#closures")


@router.post("/{department_id:int}/closures/{closure_id:int}/delete")
async def delete_closure(
    request: Request, user: OwnerUser, department_id: DepartmentId, closure_id: ClosureId
) -> Response:
    await checked_form(request, user)
    services = container_of(request).services
    await use_cases.delete_closure(services, user.principal, department_id, closure_id)
    return redirect(f"{PAGE}/{department_id}?done=reopened#closures")

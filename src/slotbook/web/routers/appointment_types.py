"""Appointment types (owners): list and create; each one's duration, buffers, group capacity,
department and the workers who offer it; archive."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from slotbook.application import scheduling as use_cases
from slotbook.application.organizations import list_departments
from slotbook.application.users import SessionUser
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import MAX_ID
from slotbook.domain.schedules import MAX_DURATION_MINUTES, MINUTES_PER_DAY, AppointmentType
from slotbook.web.admin_forms import (
    as_id,
    id_choices,
    int_field,
    name_field,
    posted_ids,
    required_int,
)
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import redirect, render, translator
from slotbook.web.session import OwnerUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/appointment-types")

PAGE = "/dashboard/appointment-types"
TypeId = Annotated[int, Path(ge=1, le=MAX_ID)]
Done = Annotated[str | None, Query(max_length=16)]
NOTICES = frozenset({"created", "saved", "archived"})
NEW_TYPE: dict[str, Any] = {
    "name": "",
    "duration": "30",
    "buffer_before": "0",
    "buffer_after": "0",
    "capacity": "",
    "department": "",
    "workers": set(),
}


def _notice(request: Request, done: str | None) -> str | None:
    return translator(request)(f"types.done.{done}") if done in NOTICES else None


def _values_of(kind: AppointmentType) -> dict[str, Any]:
    return {
        "name": kind.name,
        "duration": str(kind.duration_minutes),
        "buffer_before": str(kind.buffer_before_minutes),
        "buffer_after": str(kind.buffer_after_minutes),
        "capacity": "" if kind.capacity is None else str(kind.capacity),
        "department": "" if kind.department_id is None else str(kind.department_id),
        "workers": set(kind.worker_ids),
    }


def _posted(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: text_field(form, name, 300)
        for name in ("name", "duration", "buffer_before", "buffer_after", "capacity", "department")
    }
    values["workers"] = posted_ids(form, "workers")
    return values


async def _choices(request: Request, user: SessionUser) -> dict[str, Any]:
    services = container_of(request).services
    departments = await list_departments(services, user.principal)
    workers = await use_cases.list_workers(services, user.principal)
    return {"departments": departments, "workers": [w for w, _ in workers]}


async def _changes(request: Request, user: SessionUser, form: FormData) -> dict[str, Any]:
    t = translator(request)
    choices = await _choices(request, user)
    department = text_field(form, "department", 12)
    department_id = as_id(department)
    if department and department_id not in {d.id for d in choices["departments"]}:
        raise InvalidRequest(t("types.error.department"))
    return {
        "name": name_field(form, "name", t, t("types.name"), 200),
        "duration_minutes": required_int(
            form, "duration", t, t("types.duration"), 1, MAX_DURATION_MINUTES
        ),
        "buffer_before_minutes": required_int(
            form, "buffer_before", t, t("types.buffer_before"), 0, MINUTES_PER_DAY
        ),
        "buffer_after_minutes": required_int(
            form, "buffer_after", t, t("types.buffer_after"), 0, MINUTES_PER_DAY
        ),
        "capacity": int_field(form, "capacity", t, t("types.capacity"), 1, 10_000),
        "department_id": department_id,
        "worker_ids": tuple(id_choices(form, "workers", {w.id for w in choices["workers"]})),
    }


async def _list_page(
    request: Request, user: SessionUser, *, status: int = 200, context: dict[str, Any] | None = None
) -> Response:
    services = container_of(request).services
    types = await use_cases.list_appointment_types(services, user.principal)
    choices = await _choices(request, user)
    return render(
        request,
        "appointment_types.html",
        {
            "types": types,
            **choices,
            "department_names": {d.id: d.name for d in choices["departments"]},
            "worker_names": {w.id: w.name for w in choices["workers"]},
            "values": NEW_TYPE,
            "error": None,
            "notice": None,
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.appointment_types",
        page_path=PAGE,
    )


@router.get("")
async def types_page(request: Request, user: OwnerUser, done: Done = None) -> Response:
    return await _list_page(request, user, context={"notice": _notice(request, done)})


async def _create_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    context = {"error": message, "values": _posted(form)}
    return await _list_page(request, request.state.user, status=status, context=context)


@router.post("")
@shows_errors_with(_create_again)
async def create(request: Request, user: OwnerUser) -> Response:
    form = await checked_form(request, user)
    changes = await _changes(request, user, form)
    services = container_of(request).services
    saved = await use_cases.save_appointment_type(services, user.principal, changes)
    return redirect(f"{PAGE}/{saved.id}?done=created")


async def _type_page(
    request: Request,
    user: SessionUser,
    type_id: int,
    *,
    status: int = 200,
    context: dict[str, Any] | None = None,
) -> Response:
    services = container_of(request).services
    kind = await use_cases.get_appointment_type(services, user.principal, type_id)
    return render(
        request,
        "appointment_type.html",
        {
            "kind": kind,
            **await _choices(request, user),
            "values": _values_of(kind),
            "error": None,
            "notice": None,
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.appointment_types",
        page_path=f"{PAGE}/{type_id}",
    )


@router.get("/{type_id:int}")
async def type_page(
    request: Request, user: OwnerUser, type_id: TypeId, done: Done = None
) -> Response:
    return await _type_page(request, user, type_id, context={"notice": _notice(request, done)})


async def _save_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    type_id = int(request.path_params["type_id"])
    context = {"error": message, "values": _posted(form)}
    return await _type_page(request, request.state.user, type_id, status=status, context=context)


@router.post("/{type_id:int}")
@shows_errors_with(_save_again)
async def save(request: Request, user: OwnerUser, type_id: TypeId) -> Response:
    form = await checked_form(request, user)
    changes = await _changes(request, user, form)
    services = container_of(request).services
    await use_cases.save_appointment_type(services, user.principal, changes, type_id)
    return redirect(f"{PAGE}/{type_id}?done=saved")


@router.post("/{type_id:int}/archive")
async def archive(request: Request, user: OwnerUser, type_id: TypeId) -> Response:
    await checked_form(request, user)
    services = container_of(request).services
    await use_cases.archive_appointment_type(services, user.principal, type_id)
    return redirect(f"{PAGE}?done=archived")

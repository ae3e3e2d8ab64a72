"""/compat/groups/api/v1/groups/{group_id}/appointments: seed 002's create, list and cancel,
each a call of the native use case (group = department, calendar = worker, intervention =
appointment type, fiche = client). Paths also answer with seed 002's `.json` suffix."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from slotbook.api.compat.groups.errors import GroupsRoute
from slotbook.api.compat.groups.schemas import AppointmentBody, appointment_record
from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import MAX_ID, Id
from slotbook.application import appointments as use_cases
from slotbook.application.booking import BookingRequest, create_appointment
from slotbook.application.cancellation import cancel_appointment
from slotbook.domain.errors import (
    AppointmentNotFound,
    InvalidRequest,
)

router = APIRouter(route_class=GroupsRoute, include_in_schema=False)

GroupId = Annotated[int, Path(ge=1, le=MAX_ID, description="Group (department) id")]
AppointmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Appointment id")]

_BASE = "/api/v1/groups/{group_id}/appointments"


def _json(body: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


async def create(
    group_id: GroupId,
    body: AppointmentBody,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> Response:
    fields = body.appointment
    fiche = fields.fiche
    if fiche is None:
        raise InvalidRequest("appointment.fiche is required")
    if fiche.group_id is not None and fiche.group_id != group_id:
        raise InvalidRequest(f"fiche.group_id {fiche.group_id} is not group {group_id}")
    request = BookingRequest(
        department_id=group_id,
        date_time=fields.local_start(),
        name=None,
        worker_id=fields.calendar_id or None,
        appointment_type_id=fields.intervention_id(),
        client=fiche.upsert(),
        details=fields.details(),
        any_worker=True,  # no calendar: any free one (docs/compat.md)
    )
    booked = await create_appointment(services, principal, request)
    return _json(appointment_record(booked), 201)


async def list_(
    group_id: GroupId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    include_past: Annotated[bool, Query(description="1: past appointments too")] = False,
    calendar_id: Id | None = None,
    fiche_id: Id | None = None,
    intervention_id: Id | None = None,
    page: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    size: Annotated[int, Query(ge=1, le=100)] = 100,
) -> Response:
    result = await use_cases.list_appointments(
        services,
        principal,
        use_cases.ListQuery(
            page=page,
            size=size,
            department_id=group_id,
            worker_id=calendar_id,
            client_id=fiche_id,
            appointment_type_id=intervention_id,
            include_past=include_past,
            sort="dateTime:asc,id:asc",
        ),
    )
    return _json(
        {
            "totalRecords": result.total,
            "records": [appointment_record(a) for a in result.items],
        }
    )


async def delete(
    group_id: GroupId,
    appointment_id: AppointmentId,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> Response:
    found = await use_cases.get_appointment(services, principal, appointment_id)
    if found.department_id != group_id:
        # Another group's appointment is not found here, as under seed 002.
        raise AppointmentNotFound(appointment_id)
    cancelled = await cancel_appointment(services, principal, appointment_id)
    return _json(appointment_record(cancelled))


# Seed 002's URLs take an optional format suffix (/appointments.json); the suffixed paths come
# first so "12.json" is never read as an id.
for suffix in (".json", ""):
    router.add_api_route(f"{_BASE}{suffix}", create, methods=["POST"], status_code=201)
    router.add_api_route(f"{_BASE}{suffix}", list_, methods=["GET"])
    router.add_api_route(f"{_BASE}/{{appointment_id}}{suffix}", delete, methods=["DELETE"])

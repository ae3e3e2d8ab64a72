"""/api/v1/appointment-types (and seed 004's GET /appointments/types): what can be booked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import MAX_ID, Id, error_responses
from slotbook.api.schemas.scheduling import AppointmentTypeRead, AppointmentTypeWrite
from slotbook.application import scheduling as use_cases
from slotbook.domain.errors import InvalidRequest

router = APIRouter(tags=["appointment types"])

TypeId = Annotated[int, Path(ge=1, le=MAX_ID, description="Appointment type id")]
DepartmentFilter = Annotated[
    Id | None, Query(alias="departmentId", description="Only types offered in this department")
]
_ERRORS = error_responses(400, 401, 403, 404, 429)


async def _list(
    principal: CurrentPrincipal, services: CurrentServices, department_id: int | None
) -> list[AppointmentTypeRead]:
    found = await use_cases.list_appointment_types(services, principal, department_id)
    return [AppointmentTypeRead.of(t) for t in found]


@router.get(
    "/appointments/types",
    response_model=list[AppointmentTypeRead],
    responses=_ERRORS,
    summary="List appointment types (the treats.vet path)",
)
async def list_types_treats_path(
    principal: CurrentPrincipal, services: CurrentServices, department_id: DepartmentFilter = None
) -> list[AppointmentTypeRead]:
    """Types that can be booked. Scope `appointments:read`."""
    return await _list(principal, services, department_id)


@router.get(
    "/appointment-types",
    response_model=list[AppointmentTypeRead],
    responses=_ERRORS,
    summary="List appointment types",
)
async def list_types(
    principal: CurrentPrincipal, services: CurrentServices, department_id: DepartmentFilter = None
) -> list[AppointmentTypeRead]:
    """Types that can be booked. Scope `appointments:read`."""
    return await _list(principal, services, department_id)


@router.post(
    "/appointment-types",
    status_code=201,
    response_model=AppointmentTypeRead,
    responses=_ERRORS,
    summary="Create an appointment type",
)
async def create_type(
    body: AppointmentTypeWrite, principal: CurrentPrincipal, services: CurrentServices
) -> AppointmentTypeRead:
    """Name and duration are required. Scope `admin`."""
    if body.name is None or body.duration_minutes is None:
        raise InvalidRequest("name and durationMinutes are required")
    return AppointmentTypeRead.of(
        await use_cases.save_appointment_type(services, principal, body.changes())
    )


@router.get(
    "/appointment-types/{type_id:int}",
    response_model=AppointmentTypeRead,
    responses=_ERRORS,
    summary="Get an appointment type",
)
async def get_type(
    type_id: TypeId, principal: CurrentPrincipal, services: CurrentServices
) -> AppointmentTypeRead:
    """Scope `appointments:read`."""
    return AppointmentTypeRead.of(
        await use_cases.get_appointment_type(services, principal, type_id)
    )


@router.patch(
    "/appointment-types/{type_id:int}",
    response_model=AppointmentTypeRead,
    responses=_ERRORS,
    summary="Change an appointment type",
)
async def update_type(
    type_id: TypeId,
    body: AppointmentTypeWrite,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> AppointmentTypeRead:
    """Only the fields sent change; booked appointments keep their times. Scope `admin`."""
    return AppointmentTypeRead.of(
        await use_cases.save_appointment_type(services, principal, body.changes(), type_id)
    )


@router.delete(
    "/appointment-types/{type_id:int}",
    status_code=204,
    response_class=Response,
    responses=_ERRORS,
    summary="Archive an appointment type",
)
async def archive_type(
    type_id: TypeId, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    """It can no longer be booked; existing appointments keep it. Scope `admin`."""
    await use_cases.archive_appointment_type(services, principal, type_id)
    return Response(status_code=204)

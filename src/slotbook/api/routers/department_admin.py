"""/api/v1/departments/{id}: settings, booking policy, opening hours and closures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import MAX_ID, error_responses
from slotbook.api.schemas.scheduling import (
    ClosureCreate,
    ClosureRead,
    DepartmentDetailRead,
    DepartmentWrite,
    TimeRange,
    WeeklyHoursRead,
    WeeklyHoursWrite,
)
from slotbook.application import scheduling as use_cases
from slotbook.domain.errors import InvalidRequest

router = APIRouter(prefix="/departments", tags=["departments"])

DepartmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Department id")]
_ERRORS = error_responses(400, 401, 403, 404, 429)


@router.post(
    "",
    status_code=201,
    response_model=DepartmentDetailRead,
    responses=_ERRORS,
    summary="Create a department",
)
async def create_department(
    body: DepartmentWrite, principal: CurrentPrincipal, services: CurrentServices
) -> DepartmentDetailRead:
    """`name` is required. Scope `admin`."""
    if body.name is None:
        raise InvalidRequest("name is required")
    detail = await use_cases.create_department(services, principal, body.changes())
    return DepartmentDetailRead.of_detail(detail)


@router.get(
    "/{department_id:int}",
    response_model=DepartmentDetailRead,
    responses=_ERRORS,
    summary="Get a department",
)
async def get_department(
    department_id: DepartmentId, principal: CurrentPrincipal, services: CurrentServices
) -> DepartmentDetailRead:
    """With its scheduling settings and booking policy. Scope `departments:read`."""
    return DepartmentDetailRead.of_detail(
        await use_cases.get_department(services, principal, department_id)
    )


@router.patch(
    "/{department_id:int}",
    response_model=DepartmentDetailRead,
    responses=_ERRORS,
    summary="Change a department",
)
async def update_department(
    department_id: DepartmentId,
    body: DepartmentWrite,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> DepartmentDetailRead:
    """Only the fields sent change (in bookingPolicy too; null turns a rule off). Scope
    `admin`."""
    detail = await use_cases.update_department(services, principal, department_id, body.changes())
    return DepartmentDetailRead.of_detail(detail)


@router.get(
    "/{department_id:int}/hours",
    response_model=WeeklyHoursRead,
    responses=_ERRORS,
    summary="Opening hours",
)
async def get_hours(
    department_id: DepartmentId, principal: CurrentPrincipal, services: CurrentServices
) -> WeeklyHoursRead:
    """The department's own weekly hours (workers without hours follow them). Scope
    `departments:read`."""
    hours = await use_cases.get_hours(
        services, principal, worker_id=None, department_id=department_id
    )
    return WeeklyHoursRead(department_id=department_id, ranges=[TimeRange.of(r) for r in hours])


@router.put(
    "/{department_id:int}/hours",
    response_model=WeeklyHoursRead,
    responses=_ERRORS,
    summary="Set opening hours",
)
async def set_hours(
    department_id: DepartmentId,
    body: WeeklyHoursWrite,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> WeeklyHoursRead:
    """Replace the department's weekly hours. Scope `admin`."""
    hours = await use_cases.set_hours(
        services,
        principal,
        [r.to_domain() for r in body.ranges],
        worker_id=None,
        department_id=department_id,
    )
    return WeeklyHoursRead(department_id=department_id, ranges=[TimeRange.of(r) for r in hours])


@router.get(
    "/{department_id:int}/closures",
    response_model=list[ClosureRead],
    responses=_ERRORS,
    summary="Closure dates",
)
async def list_closures(
    department_id: DepartmentId, principal: CurrentPrincipal, services: CurrentServices
) -> list[ClosureRead]:
    """Scope `departments:read`."""
    found = await use_cases.list_closures(services, principal, department_id)
    return [ClosureRead.of(c) for c in found]


@router.post(
    "/{department_id:int}/closures",
    status_code=201,
    response_model=ClosureRead,
    responses=_ERRORS,
    summary="Close a date",
)
async def add_closure(
    department_id: DepartmentId,
    body: ClosureCreate,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> ClosureRead:
    """No appointment on that local date. Scope `admin`."""
    closure = await use_cases.add_closure(
        services, principal, department_id, body.date, body.reason
    )
    return ClosureRead.of(closure)


@router.delete(
    "/{department_id:int}/closures/{closure_id:int}",
    status_code=204,
    response_class=Response,
    responses=_ERRORS,
    summary="Reopen a date",
)
async def delete_closure(
    department_id: DepartmentId,
    closure_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> Response:
    """Scope `admin`."""
    await use_cases.delete_closure(services, principal, department_id, closure_id)
    return Response(status_code=204)

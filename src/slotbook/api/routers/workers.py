"""/api/v1/workers: staff, their departments, weekly hours and dated exceptions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import MAX_ID, Id, error_responses
from slotbook.api.schemas.scheduling import (
    ScheduleExceptionCreate,
    ScheduleExceptionRead,
    TimeRange,
    WeeklyHoursRead,
    WeeklyHoursWrite,
    WorkerRead,
    WorkerWrite,
)
from slotbook.application import scheduling as use_cases

router = APIRouter(prefix="/workers", tags=["workers"])

WorkerId = Annotated[int, Path(ge=1, le=MAX_ID, description="Worker id")]
HoursDepartment = Annotated[
    Id | None,
    Query(alias="departmentId", description="Hours in this department only (default: all)"),
]
_READ = error_responses(400, 401, 403, 404, 429)


@router.get("", response_model=list[WorkerRead], responses=_READ, summary="List workers")
async def list_workers(principal: CurrentPrincipal, services: CurrentServices) -> list[WorkerRead]:
    """Workers of the organization with their departments. Scope `workers:read`."""
    return [WorkerRead.of(w, d) for w, d in await use_cases.list_workers(services, principal)]


@router.post(
    "", status_code=201, response_model=WorkerRead, responses=_READ, summary="Create a worker"
)
async def create_worker(
    body: WorkerWrite, principal: CurrentPrincipal, services: CurrentServices
) -> WorkerRead:
    """Scope `admin`."""
    return WorkerRead.of(
        *await use_cases.save_worker(services, principal, body.name, body.department_ids)
    )


@router.get("/{worker_id:int}", response_model=WorkerRead, responses=_READ, summary="Get a worker")
async def get_worker(
    worker_id: WorkerId, principal: CurrentPrincipal, services: CurrentServices
) -> WorkerRead:
    """Scope `workers:read`."""
    return WorkerRead.of(*await use_cases.get_worker(services, principal, worker_id))


@router.put(
    "/{worker_id:int}", response_model=WorkerRead, responses=_READ, summary="Change a worker"
)
async def update_worker(
    worker_id: WorkerId, body: WorkerWrite, principal: CurrentPrincipal, services: CurrentServices
) -> WorkerRead:
    """Rename a worker and set its departments. Scope `admin`."""
    saved = await use_cases.save_worker(
        services, principal, body.name, body.department_ids, worker_id
    )
    return WorkerRead.of(*saved)


@router.get(
    "/{worker_id:int}/hours",
    response_model=WeeklyHoursRead,
    responses=_READ,
    summary="Weekly hours",
)
async def get_hours(
    worker_id: WorkerId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    department_id: HoursDepartment = None,
) -> WeeklyHoursRead:
    """The worker's weekly hours, read in each department's time zone. Scope `workers:read`."""
    hours = await use_cases.get_hours(
        services, principal, worker_id=worker_id, department_id=department_id
    )
    return WeeklyHoursRead(
        worker_id=worker_id, department_id=department_id, ranges=[TimeRange.of(r) for r in hours]
    )


@router.put(
    "/{worker_id:int}/hours",
    response_model=WeeklyHoursRead,
    responses=_READ,
    summary="Set weekly hours",
)
async def set_hours(
    worker_id: WorkerId,
    body: WeeklyHoursWrite,
    principal: CurrentPrincipal,
    services: CurrentServices,
    department_id: HoursDepartment = None,
) -> WeeklyHoursRead:
    """Replace the worker's weekly hours (several ranges a day allowed). A worker without
    hours follows the department's opening hours. Scope `admin`."""
    hours = await use_cases.set_hours(
        services,
        principal,
        [r.to_domain() for r in body.ranges],
        worker_id=worker_id,
        department_id=department_id,
    )
    return WeeklyHoursRead(
        worker_id=worker_id, department_id=department_id, ranges=[TimeRange.of(r) for r in hours]
    )


@router.get(
    "/{worker_id:int}/exceptions",
    response_model=list[ScheduleExceptionRead],
    responses=_READ,
    summary="Time off and extra hours",
)
async def list_exceptions(
    worker_id: WorkerId, principal: CurrentPrincipal, services: CurrentServices
) -> list[ScheduleExceptionRead]:
    """Scope `workers:read`."""
    found = await use_cases.list_exceptions(services, principal, worker_id)
    return [ScheduleExceptionRead.of(x) for x in found]


@router.post(
    "/{worker_id:int}/exceptions",
    status_code=201,
    response_model=ScheduleExceptionRead,
    responses=_READ,
    summary="Add time off or extra hours",
)
async def add_exception(
    worker_id: WorkerId,
    body: ScheduleExceptionCreate,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> ScheduleExceptionRead:
    """A dated change to the weekly hours. Scope `admin`."""
    created = await use_cases.add_exception(
        services, principal, worker_id, body.kind, body.starts_at, body.ends_at, body.reason
    )
    return ScheduleExceptionRead.of(created)


@router.delete(
    "/{worker_id:int}/exceptions/{exception_id:int}",
    status_code=204,
    response_class=Response,
    responses=_READ,
    summary="Remove an exception",
)
async def delete_exception(
    worker_id: WorkerId,
    exception_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> Response:
    """Scope `admin`."""
    await use_cases.delete_exception(services, principal, worker_id, exception_id)
    return Response(status_code=204)

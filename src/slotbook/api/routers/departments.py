"""/api/v1/departments: the departments of the key's organization."""

from __future__ import annotations

from fastapi import APIRouter

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import error_responses
from slotbook.api.schemas.departments import DepartmentRead
from slotbook.application.organizations import list_departments

router = APIRouter(prefix="/departments", tags=["departments"])


@router.get(
    "",
    response_model=list[DepartmentRead],
    responses=error_responses(401, 403, 429),
    summary="List departments",
)
async def get_departments(
    principal: CurrentPrincipal, services: CurrentServices
) -> list[DepartmentRead]:
    """Departments of your organization, each with its organization. Scope `departments:read`."""
    return [DepartmentRead.of(d) for d in await list_departments(services, principal)]

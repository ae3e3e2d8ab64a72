"""/api/v1/patients/{id}: one dependent of a client (create them under /clients/{id}/patients)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.clients import PatientRead, PatientUpdate
from slotbook.api.schemas.common import MAX_ID, error_responses
from slotbook.application import clients as use_cases
from slotbook.domain.errors import InvalidRequest

router = APIRouter(prefix="/patients", tags=["clients"])

PatientId = Annotated[int, Path(ge=1, le=MAX_ID, description="Patient id")]


@router.get(
    "/{patient_id:int}",
    response_model=PatientRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Get a patient",
)
async def get_patient(
    patient_id: PatientId, principal: CurrentPrincipal, services: CurrentServices
) -> PatientRead:
    """Scope `clients:read`."""
    return PatientRead.of(await use_cases.get_patient(services, principal, patient_id))


@router.patch(
    "/{patient_id:int}",
    response_model=PatientRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Update a patient",
)
async def update_patient(
    patient_id: PatientId,
    body: PatientUpdate,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> PatientRead:
    """Only the fields sent change. Scope `clients:write`."""
    if "name" in body.model_fields_set and body.name is None:
        raise InvalidRequest("name cannot be null")
    return PatientRead.of(
        await use_cases.update_patient(
            services, principal, patient_id, body.fields(), frozenset(body.model_fields_set)
        )
    )


@router.delete(
    "/{patient_id:int}",
    status_code=204,
    response_class=Response,
    responses=error_responses(400, 401, 403, 404, 409, 429),
    summary="Delete a patient",
)
async def delete_patient(
    patient_id: PatientId, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    """Only a patient without appointments (409 STILL_REFERENCED). Scope `clients:write`."""
    await use_cases.delete_patient(services, principal, patient_id)
    return Response(status_code=204)

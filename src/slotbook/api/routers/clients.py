"""/api/v1/clients: the people who book, their patients, and the GDPR erasure."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.clients import (
    ClientCreate,
    ClientPage,
    ClientRead,
    ClientUpdate,
    PatientCreate,
    PatientRead,
)
from slotbook.api.schemas.common import MAX_ID, Email, PageFields, ShortText, error_responses
from slotbook.application import clients as use_cases
from slotbook.domain.errors import InvalidRequest

router = APIRouter(prefix="/clients", tags=["clients"])

ClientId = Annotated[int, Path(ge=1, le=MAX_ID, description="Client id")]


@router.post(
    "",
    status_code=201,
    response_model=ClientRead,
    responses=error_responses(400, 401, 403, 409, 429),
    summary="Create a client",
)
async def create_client(
    body: ClientCreate, principal: CurrentPrincipal, services: CurrentServices
) -> ClientRead:
    """Email is unique in your organization (409 EMAIL_ALREADY_EXISTS). Scope `clients:write`."""
    return ClientRead.of(await use_cases.create_client(services, principal, body.fields()))


@router.get(
    "",
    response_model=ClientPage,
    responses=error_responses(400, 401, 403, 429),
    summary="List or search clients",
)
async def list_clients(
    principal: CurrentPrincipal,
    services: CurrentServices,
    search: Annotated[
        ShortText | None,
        Query(description="Part of the name, email, phones or externalUserId (any case)"),
    ] = None,
    page: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ClientPage:
    """Clients by id. Scope `clients:read`."""
    result = await use_cases.list_clients(services, principal, search, page, size)
    return ClientPage(
        clients=[ClientRead.of(c) for c in result.items],
        **PageFields.of(result),
    )


@router.get(
    "/by-email",
    response_model=ClientRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Find a client by email",
)
async def client_by_email(
    email: Annotated[Email, Query()], principal: CurrentPrincipal, services: CurrentServices
) -> ClientRead:
    """The client with this email (any case), or 404 EMAIL_NOT_FOUND. Scope `clients:read`."""
    return ClientRead.of(await use_cases.find_client_by_email(services, principal, email))


@router.get(
    "/{client_id:int}",
    response_model=ClientRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Get a client",
)
async def get_client(
    client_id: ClientId, principal: CurrentPrincipal, services: CurrentServices
) -> ClientRead:
    """One client, with its no-show count. Scope `clients:read`."""
    return ClientRead.of(await use_cases.get_client(services, principal, client_id))


@router.patch(
    "/{client_id:int}",
    response_model=ClientRead,
    responses=error_responses(400, 401, 403, 404, 409, 429),
    summary="Update a client",
)
async def update_client(
    client_id: ClientId, body: ClientUpdate, principal: CurrentPrincipal, services: CurrentServices
) -> ClientRead:
    """Only the fields sent change. Scope `clients:write`."""
    if "name" in body.model_fields_set and body.name is None:
        raise InvalidRequest("name cannot be null")
    changes = use_cases.ClientChanges(body.fields(), frozenset(body.model_fields_set))
    return ClientRead.of(await use_cases.update_client(services, principal, client_id, changes))


@router.delete(
    "/{client_id:int}",
    status_code=204,
    response_class=Response,
    responses=error_responses(400, 401, 403, 404, 409, 429),
    summary="Delete or erase a client",
)
async def delete_client(
    client_id: ClientId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    erase: Annotated[
        bool,
        Query(
            description="Erase the personal data (GDPR) of the client, its patients and its "
            "appointments, keeping anonymous records; without it a client with appointments "
            "cannot be deleted (409 STILL_REFERENCED)"
        ),
    ] = False,
) -> Response:
    """Scope `clients:write`."""
    await use_cases.delete_client(services, principal, client_id, erase)
    return Response(status_code=204)


@router.post(
    "/{client_id:int}/patients",
    status_code=201,
    response_model=PatientRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Add a patient to a client",
)
async def add_patient(
    client_id: ClientId,
    body: PatientCreate,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> PatientRead:
    """A dependent of the client (a child, an animal). Scope `clients:write`."""
    return PatientRead.of(
        await use_cases.add_patient(services, principal, client_id, body.fields())
    )


@router.get(
    "/{client_id:int}/patients",
    response_model=list[PatientRead],
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Patients of a client",
)
async def list_patients(
    client_id: ClientId, principal: CurrentPrincipal, services: CurrentServices
) -> list[PatientRead]:
    """Scope `clients:read`."""
    return [
        PatientRead.of(p) for p in await use_cases.list_patients(services, principal, client_id)
    ]

"""/api/v1/waitlist: join, list, leave; accept or decline an offer; staff offers and settings."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.appointments import AppointmentRead
from slotbook.api.schemas.common import (
    MAX_ID,
    Id,
    PageFields,
    PageNumber,
    PageSize,
    ShortText,
    error_responses,
)
from slotbook.api.schemas.waitlist import (
    WaitlistEntryRead,
    WaitlistJoin,
    WaitlistOfferCreate,
    WaitlistPage,
    WaitlistPriority,
    WaitlistSettings,
    WaitlistSettingsRead,
)
from slotbook.application import waitlist as use_cases
from slotbook.application.ports import Services
from slotbook.application.representation import appointment_document
from slotbook.application.waitlist_ports import EntryQuery
from slotbook.domain.waitlist import EntryStatus, WaitlistEntry

router = APIRouter(tags=["waitlist"])

EntryId = Annotated[int, Path(ge=1, le=MAX_ID, description="Waitlist entry id")]
DepartmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Department id")]


def _read(entry: WaitlistEntry, services: Services) -> WaitlistEntryRead:
    return WaitlistEntryRead.of(use_cases.entry_document(entry, services.public_base_url))


@router.post(
    "/waitlist",
    status_code=201,
    response_model=WaitlistEntryRead,
    responses=error_responses(400, 401, 403, 404, 409, 429),
    summary="Join a department's waitlist",
)
async def join_waitlist(
    body: WaitlistJoin, principal: CurrentPrincipal, services: CurrentServices
) -> WaitlistEntryRead:
    """Wait for a time of the department (optionally one type and one worker) within a window.
    One active entry per client (clientId or externalUserId) per department and type: 409
    ALREADY_WAITING. Joining costs no credit. Scope `waitlist:write`."""
    entry = await use_cases.join_waitlist(services, principal, body.request())
    return _read(entry, services)


@router.get(
    "/waitlist",
    response_model=WaitlistPage,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="List waitlist entries",
)
async def list_waitlist(
    principal: CurrentPrincipal,
    services: CurrentServices,
    department_id: Annotated[Id | None, Query(alias="departmentId")] = None,
    status: Annotated[EntryStatus | None, Query()] = None,
    client_id: Annotated[Id | None, Query(alias="clientId")] = None,
    external_user_id: Annotated[ShortText | None, Query(alias="externalUserId")] = None,
    worker_id: Annotated[Id | None, Query(alias="workerId")] = None,
    appointment_type_id: Annotated[Id | None, Query(alias="appointmentTypeId")] = None,
    page: PageNumber = 0,
    size: PageSize = 20,
) -> WaitlistPage:
    """In queue order: waiting entries first (by priority, then first come), then the others.
    Scope `waitlist:read`."""
    query = EntryQuery(
        department_id, status, client_id, external_user_id, worker_id, appointment_type_id
    )
    result = await use_cases.list_waitlist(services, principal, query, page, size)
    return WaitlistPage(
        entries=[_read(e, services) for e in result.items],
        **PageFields.of(result),
    )


@router.get(
    "/waitlist/{entry_id:int}",
    response_model=WaitlistEntryRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Get a waitlist entry",
)
async def get_entry(
    entry_id: EntryId, principal: CurrentPrincipal, services: CurrentServices
) -> WaitlistEntryRead:
    """The entry, its place in the queue and its open offer. Scope `waitlist:read`."""
    return _read(await use_cases.get_entry(services, principal, entry_id), services)


@router.delete(
    "/waitlist/{entry_id:int}",
    response_model=WaitlistEntryRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Leave the waitlist",
)
async def leave_waitlist(
    entry_id: EntryId, principal: CurrentPrincipal, services: CurrentServices
) -> WaitlistEntryRead:
    """The entry becomes LEFT; an offer it held passes to the next matching entry. Scope
    `waitlist:write`."""
    return _read(await use_cases.leave_waitlist(services, principal, entry_id), services)


@router.post(
    "/waitlist/{entry_id:int}/accept",
    status_code=201,
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 402, 403, 404, 409, 422, 429),
    summary="Accept the offer: book it",
)
async def accept_offer(
    entry_id: EntryId, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    """Books the offered time for the entry's client like any booking (the rules apply, one
    credit is consumed). 409 OFFER_EXPIRED once the offer has expired or is gone. Scope
    `waitlist:write`."""
    appointment = await use_cases.accept_offer(services, principal, entry_id)
    return Response(
        orjson.dumps(appointment_document(appointment)),
        status_code=201,
        media_type="application/json",
    )


@router.post(
    "/waitlist/{entry_id:int}/decline",
    response_model=WaitlistEntryRead,
    responses=error_responses(400, 401, 403, 404, 409, 429),
    summary="Decline the offer",
)
async def decline_offer(
    entry_id: EntryId, principal: CurrentPrincipal, services: CurrentServices
) -> WaitlistEntryRead:
    """The entry waits again; the time passes to the next matching entry (or is released).
    409 OFFER_EXPIRED when there is no open offer. Scope `waitlist:write`."""
    return _read(await use_cases.decline_offer(services, principal, entry_id), services)


@router.post(
    "/waitlist/{entry_id:int}/offer",
    response_model=WaitlistEntryRead,
    responses=error_responses(400, 401, 403, 404, 409, 429),
    summary="Offer a time to this entry (staff)",
)
async def offer_time(
    entry_id: EntryId,
    body: WaitlistOfferCreate,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> WaitlistEntryRead:
    """Hold a free time of a worker for this waiting entry, as an automatic offer would.
    Scope `waitlist:write`."""
    entry = await use_cases.offer_time(
        services, principal, entry_id, body.date_time, body.worker_id
    )
    return _read(entry, services)


@router.put(
    "/waitlist/{entry_id:int}/priority",
    response_model=WaitlistEntryRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Set an entry's priority (staff)",
)
async def set_priority(
    entry_id: EntryId,
    body: WaitlistPriority,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> WaitlistEntryRead:
    """A higher priority comes first; equal ones keep first come, first served. Scope
    `waitlist:write`."""
    entry = await use_cases.set_priority(services, principal, entry_id, body.priority)
    return _read(entry, services)


@router.get(
    "/departments/{department_id:int}/waitlist-settings",
    response_model=WaitlistSettingsRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="A department's waitlist settings",
)
async def get_settings(
    department_id: DepartmentId, principal: CurrentPrincipal, services: CurrentServices
) -> WaitlistSettingsRead:
    """`offerMinutes`: how long an offer holds its time (default 30). Scope `waitlist:read`."""
    minutes = await use_cases.offer_minutes(services, principal, department_id)
    return WaitlistSettingsRead(department_id=department_id, offer_minutes=minutes)


@router.put(
    "/departments/{department_id:int}/waitlist-settings",
    response_model=WaitlistSettingsRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Set a department's waitlist settings",
)
async def put_settings(
    department_id: DepartmentId,
    body: WaitlistSettings,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> WaitlistSettingsRead:
    """`offerMinutes`: 1 to 10080. Offers already made keep their expiry. Scope `admin`."""
    minutes = await use_cases.set_offer_minutes(
        services, principal, department_id, body.offer_minutes
    )
    return WaitlistSettingsRead(department_id=department_id, offer_minutes=minutes)

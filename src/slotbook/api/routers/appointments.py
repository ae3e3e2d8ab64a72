"""/api/v1/appointments: book (once or as a series), read, list, cancel, and the QR image."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices, principal_of, services_of
from slotbook.api.preconditions import IfMatch, etag, expected_versions, set_etag
from slotbook.api.schemas.appointments import (
    AppointmentCreate,
    AppointmentPage,
    AppointmentRead,
)
from slotbook.api.schemas.common import (
    MAX_ID,
    DateTime,
    Id,
    InclusiveEnd,
    LanguageQuery,
    PageFields,
    PageNumber,
    PageSize,
    ShortText,
    error_responses,
)
from slotbook.application import appointments as use_cases
from slotbook.application import booking
from slotbook.application import series as series_cases
from slotbook.application.cancellation import CancelRequest, cancel_appointment
from slotbook.application.representation import appointment_document
from slotbook.domain.appointments import AppointmentStatus
from slotbook.infra.qr import qr_image

router = APIRouter(prefix="/appointments", tags=["appointments"])

AppointmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Appointment id")]


async def create_appointment(
    body: AppointmentCreate,
    http: Request,
    lang: LanguageQuery = "en",
) -> Response:
    """Book an appointment; consumes 1 credit of the organization. The time must be free
    (409 SLOT_UNAVAILABLE) and within the department's booking rules (422 with the rule's
    code). Without workerId a free worker is assigned. Scope `appointments:create` (and
    `clients:write` for an inline `client`). With `repeatRule` or `rrule`, books every
    occurrence in one transaction, each checked like a single booking, one credit each, or
    none of them (409 SERIES_REFUSED lists each refused occurrence); the answer is the first
    occurrence (list the others with `q[]=repeatedFromId:=<its id>`)."""
    principal, services = principal_of(http), services_of(http)  # the hot path: no Depends
    request = booking.BookingRequest(
        department_id=body.department_id,
        date_time=body.date_time,
        name=body.name,
        worker_id=body.worker_id,
        external_user_id=body.external_user_id,
        appointment_type_id=body.appointment_type_id,
        client_id=body.client_id,
        patient_id=body.patient_id,
        client=body.client.upsert() if body.client else None,
        details=body.details(),
    )
    recurrence = body.recurrence()
    if recurrence is None:
        booked = [await booking.create_appointment(services, principal, request)]
    else:
        booked = list(await series_cases.create_series(services, principal, request, recurrence))
    first = booked[0]
    headers = {"ETag": etag(first.version)}
    if recurrence is not None:
        headers["X-Series-Count"] = str(len(booked))
    # The document is AppointmentRead's JSON as it is (tests/api/test_representation.py), so
    # it is written with orjson at once: validating it into the model and FastAPI serialising
    # that again cost about 40 µs a booking (docs/benchmarks.md).
    return Response(
        orjson.dumps(appointment_document(first, lang)),
        status_code=201,
        media_type="application/json",
        headers=headers,
    )


def install_booking(app: FastAPI, prefix: str) -> None:
    """Route `POST {prefix}/appointments` on the app itself, ahead of every router: matching a
    request through the included routers cost the booking about 4% of its server CPU (their
    route tables are checked and rebuilt on version changes per request)."""
    app.router.add_api_route(
        f"{prefix}/appointments",
        create_appointment,
        methods=["POST"],
        status_code=201,
        response_model=AppointmentRead,
        responses=error_responses(400, 401, 402, 403, 404, 409, 422, 429),
        summary="Create an appointment (or a recurring series)",
        tags=["appointments"],
    )


@router.get(
    "",
    response_model=AppointmentPage,
    responses=error_responses(400, 401, 403, 429),
    summary="List appointments",
)
async def list_appointments(
    principal: CurrentPrincipal,
    services: CurrentServices,
    page: PageNumber = 0,
    size: PageSize = 20,
    status: AppointmentStatus | None = None,
    department_id: Annotated[Id | None, Query(alias="departmentId")] = None,
    external_user_id: Annotated[ShortText | None, Query(alias="externalUserId")] = None,
    start_date: Annotated[
        DateTime | None, Query(alias="startDate", description="Appointments at or after")
    ] = None,
    end_date: Annotated[
        InclusiveEnd | None,
        Query(alias="endDate", description="Appointments at or before (a date: that whole day)"),
    ] = None,
    worker_id: Annotated[Id | None, Query(alias="workerId")] = None,
    client_id: Annotated[Id | None, Query(alias="clientId")] = None,
    patient_id: Annotated[Id | None, Query(alias="patientId")] = None,
    appointment_type_id: Annotated[Id | None, Query(alias="appointmentTypeId")] = None,
    is_urgent: Annotated[bool | None, Query(alias="isUrgent")] = None,
    archived: Annotated[
        bool, Query(description="true: only archived appointments; false: only the others")
    ] = False,
    include_past: Annotated[
        bool, Query(alias="includePast", description="false: only from now on")
    ] = True,
    q: Annotated[
        list[Annotated[str, Query(max_length=300)]] | None,
        Query(
            alias="q[]",
            max_length=20,
            description="Filters field:op value, op one of = > >= < <= ~ (contains), "
            "e.g. dateTime:>=2027-02-01T00:00:00 or name:~dupont",
        ),
    ] = None,
    sort: Annotated[
        str | None,
        Query(max_length=200, description="field:asc|desc, comma separated (e.g. createdAt:desc)"),
    ] = None,
    lang: LanguageQuery = "en",
) -> AppointmentPage:
    """Appointments of the organization by date, with filters. Scope `appointments:read`."""
    result = await use_cases.list_appointments(
        services,
        principal,
        use_cases.ListQuery(
            page=page,
            size=size,
            status=status,
            department_id=department_id,
            external_user_id=external_user_id,
            start_date=start_date,
            end_date=end_date,
            worker_id=worker_id,
            client_id=client_id,
            patient_id=patient_id,
            appointment_type_id=appointment_type_id,
            is_urgent=is_urgent,
            archived=archived,
            include_past=include_past,
            q=tuple(q or ()),
            sort=sort,
        ),
    )
    return AppointmentPage(
        appointments=[AppointmentRead.of(a, lang) for a in result.items], **PageFields.of(result)
    )


@router.get(
    "/{appointment_id:int}",
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Get an appointment",
)
async def get_appointment(
    appointment_id: AppointmentId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    response: Response,
    lang: LanguageQuery = "en",
) -> AppointmentRead:
    """One appointment by id, with its version as ETag. Scope `appointments:read`."""
    appointment = await use_cases.get_appointment(services, principal, appointment_id)
    set_etag(response, appointment.version)
    return AppointmentRead.of(appointment, lang)


@router.delete(
    "/{appointment_id:int}",
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 403, 404, 409, 412, 422, 429),
    summary="Cancel an appointment",
)
async def delete_appointment(
    appointment_id: AppointmentId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    response: Response,
    if_match: IfMatch = None,
    lang: LanguageQuery = "en",
) -> AppointmentRead:
    """Cancel and refund 1 credit; cancelling again refunds nothing. Too close to the start for
    the department's rules: 422 CANCELLATION_TOO_LATE. Scope `appointments:cancel`."""
    appointment = await cancel_appointment(
        services, principal, appointment_id, CancelRequest(if_match=expected_versions(if_match))
    )
    set_etag(response, appointment.version)
    return AppointmentRead.of(appointment, lang)


_QR_KINDS = {"svg": "image/svg+xml", "png": "image/png"}


async def _qr(
    kind: str, appointment_id: int, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    appointment = await use_cases.get_appointment(services, principal, appointment_id)
    return Response(qr_image(appointment.qr_token, kind), media_type=_QR_KINDS[kind])


@router.get(
    "/{appointment_id:int}/qr.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **error_responses(400, 401, 403, 404, 429)},
    summary="QR code of an appointment (SVG)",
)
async def qr_svg(
    appointment_id: AppointmentId, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    """The QR code of the appointment's qrCode token, as SVG. Scope `appointments:read`."""
    return await _qr("svg", appointment_id, principal, services)


@router.get(
    "/{appointment_id:int}/qr.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **error_responses(400, 401, 403, 404, 429)},
    summary="QR code of an appointment (PNG)",
)
async def qr_png(
    appointment_id: AppointmentId, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    """The QR code of the appointment's qrCode token, as PNG. Scope `appointments:read`."""
    return await _qr("png", appointment_id, principal, services)

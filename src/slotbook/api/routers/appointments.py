"""/api/v1/appointments: book, read, list, cancel, and the QR image of an appointment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.appointments import (
    AppointmentCreate,
    AppointmentPage,
    AppointmentRead,
    AppointmentReschedule,
)
from slotbook.api.schemas.common import (
    MAX_ID,
    DateTime,
    Id,
    PageFields,
    PageNumber,
    PageSize,
    ShortText,
    error_responses,
)
from slotbook.application import appointments as use_cases
from slotbook.domain.appointments import AppointmentStatus
from slotbook.infra.qr import qr_image

router = APIRouter(prefix="/appointments", tags=["appointments"])

AppointmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Appointment id")]


@router.post(
    "",
    status_code=201,
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 402, 403, 404, 409, 422, 429),
    summary="Create an appointment",
)
async def create_appointment(
    body: AppointmentCreate, principal: CurrentPrincipal, services: CurrentServices
) -> AppointmentRead:
    """Book an appointment; consumes 1 credit of the organization. The time must be free
    (409 SLOT_UNAVAILABLE) and within the department's booking rules. Without workerId a free
    worker is assigned. Scope `appointments:create`."""
    appointment = await use_cases.create_appointment(
        services,
        principal,
        use_cases.BookingRequest(
            department_id=body.department_id,
            date_time=body.date_time,
            name=body.name,
            worker_id=body.worker_id,
            external_user_id=body.external_user_id,
            appointment_type_id=body.appointment_type_id,
        ),
    )
    return AppointmentRead.of(appointment)


@router.patch(
    "/{appointment_id:int}",
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 403, 404, 409, 422, 429),
    summary="Reschedule an appointment",
)
async def reschedule_appointment(
    appointment_id: AppointmentId,
    body: AppointmentReschedule,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> AppointmentRead:
    """Move to another time, worker or type under the same rules; the old slot is freed only
    if the new one is taken. Scope `appointments:write`."""
    appointment = await use_cases.reschedule_appointment(
        services,
        principal,
        appointment_id,
        use_cases.RescheduleRequest(
            date_time=body.date_time,
            worker_id=body.worker_id,
            appointment_type_id=body.appointment_type_id,
        ),
    )
    return AppointmentRead.of(appointment)


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
        DateTime | None, Query(alias="endDate", description="Appointments at or before")
    ] = None,
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
        ),
    )
    return AppointmentPage(
        appointments=[AppointmentRead.of(a) for a in result.items], **PageFields.of(result)
    )


@router.get(
    "/{appointment_id:int}",
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Get an appointment",
)
async def get_appointment(
    appointment_id: AppointmentId, principal: CurrentPrincipal, services: CurrentServices
) -> AppointmentRead:
    """One appointment by id. Scope `appointments:read`."""
    return AppointmentRead.of(await use_cases.get_appointment(services, principal, appointment_id))


@router.delete(
    "/{appointment_id:int}",
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 403, 404, 409, 422, 429),
    summary="Cancel an appointment",
)
async def cancel_appointment(
    appointment_id: AppointmentId, principal: CurrentPrincipal, services: CurrentServices
) -> AppointmentRead:
    """Cancel and refund 1 credit; cancelling again refunds nothing. Scope
    `appointments:cancel`."""
    appointment = await use_cases.cancel_appointment(services, principal, appointment_id)
    return AppointmentRead.of(appointment)


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

"""/api/v1/check-in: mark arrival by the scanned qrCode of an appointment."""

from __future__ import annotations

from fastapi import APIRouter, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.preconditions import set_etag
from slotbook.api.schemas.appointments import AppointmentRead
from slotbook.api.schemas.common import LanguageQuery, error_responses
from slotbook.api.schemas.lifecycle import CheckInBody
from slotbook.application.transitions import check_in_by_qr_code

router = APIRouter(prefix="/check-in", tags=["appointment lifecycle"])


@router.post(
    "",
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 403, 404, 409, 429),
    summary="Check in by QR code",
)
async def check_in(
    body: CheckInBody,
    principal: CurrentPrincipal,
    services: CurrentServices,
    response: Response,
    lang: LanguageQuery = "en",
) -> AppointmentRead:
    """The desk scans the appointment's qrCode: it is checked in if it is today's, not
    cancelled, and of your organization (scanning twice is harmless). Scope
    `appointments:write`."""
    appointment = await check_in_by_qr_code(services, principal, body.qr_code)
    set_etag(response, appointment.version)
    return AppointmentRead.of(appointment, lang)

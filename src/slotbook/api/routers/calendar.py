"""iCalendar documents: one appointment as an .ics attachment."""

from __future__ import annotations

from fastapi import APIRouter, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.routers.appointments import AppointmentId
from slotbook.api.schemas.common import error_responses
from slotbook.application import appointments as use_cases
from slotbook.infra.ical import appointments_calendar

router = APIRouter(tags=["calendar"])

ICS = "text/calendar; charset=utf-8"


@router.get(
    "/appointments/{appointment_id:int}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **error_responses(400, 401, 403, 404, 429)},
    summary="An appointment as iCalendar",
)
async def appointment_ics(
    appointment_id: AppointmentId, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    """The appointment as an RFC 5545 document (with its time zone) to attach to an email or
    import in a calendar. Scope `appointments:read`."""
    appointment = await use_cases.get_appointment(services, principal, appointment_id)
    body = appointments_calendar(
        [appointment], f"Appointment {appointment.id}", services.clock.now()
    )
    return Response(
        body,
        media_type=ICS,
        headers={"Content-Disposition": f'attachment; filename="appointment-{appointment.id}.ics"'},
    )

"""iCalendar documents: one appointment as an .ics attachment, and the secret feeds of a
department's or a worker's appointments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from slotbook.api.deps import CurrentContainer, CurrentPrincipal, CurrentServices
from slotbook.api.routers.appointments import AppointmentId
from slotbook.api.routers.department_admin import DepartmentId
from slotbook.api.routers.workers import WorkerId
from slotbook.api.schemas.calendar import CalendarFeedRead
from slotbook.api.schemas.common import error_responses
from slotbook.application import appointments as use_cases
from slotbook.application.calendar_feeds import calendar_feed, rotate_feed
from slotbook.application.ports import FeedKind
from slotbook.infra.ical import appointments_calendar

router = APIRouter(tags=["calendar"])
# Outside /api/v1, where an API key is required: a calendar app cannot send one.
feed_router = APIRouter(tags=["calendar"])

ICS = "text/calendar; charset=utf-8"
FeedToken = Annotated[str, Path(max_length=100, description="The feed's secret token")]


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


@feed_router.get(
    "/calendar/{token}.ics",
    name="calendar_feed_ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **error_responses(400, 404, 429)},
    summary="A calendar feed (subscription URL)",
)
async def feed_ics(token: FeedToken, services: CurrentServices) -> Response:
    """The appointments of a department or a worker, from 30 days ago to a year ahead, as an
    RFC 5545 calendar to subscribe to. No API key: the token is the secret. Cancelled
    appointments stay in it with STATUS:CANCELLED."""
    feed = await calendar_feed(services, token)
    body = appointments_calendar(feed.appointments, feed.owner.name, services.clock.now())
    return Response(body, media_type=ICS, headers={"Cache-Control": "private, max-age=300"})


def _feed_url(request: Request, container: CurrentContainer, token: str) -> CalendarFeedRead:
    path = request.app.url_path_for("calendar_feed_ics", token=token)
    return CalendarFeedRead(url=container.settings.public_base_url.rstrip("/") + str(path))


@router.post(
    "/departments/{department_id:int}/calendar-feed",
    response_model=CalendarFeedRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="New calendar-feed URL of a department",
    tags=["departments"],
)
async def rotate_department_feed(
    department_id: DepartmentId,
    request: Request,
    principal: CurrentPrincipal,
    container: CurrentContainer,
) -> CalendarFeedRead:
    """A new secret URL of the department's calendar feed; the previous URL stops working.
    Scope `admin`."""
    token = await rotate_feed(container.services, principal, FeedKind.DEPARTMENT, department_id)
    return _feed_url(request, container, token)


@router.post(
    "/workers/{worker_id:int}/calendar-feed",
    response_model=CalendarFeedRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="New calendar-feed URL of a worker",
    tags=["workers"],
)
async def rotate_worker_feed(
    worker_id: WorkerId, request: Request, principal: CurrentPrincipal, container: CurrentContainer
) -> CalendarFeedRead:
    """A new secret URL of the worker's calendar feed (all its departments); the previous URL
    stops working. Scope `admin`."""
    token = await rotate_feed(container.services, principal, FeedKind.WORKER, worker_id)
    return _feed_url(request, container, token)

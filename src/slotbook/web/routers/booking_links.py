"""The visitor's private links (no login, the appointment's secret token): the confirmation
with its calendar file and Google Calendar link, cancelling, and rescheduling on the month
calendar."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from slotbook.application.cancel_links import (
    CANCEL_PATH,
    RESCHEDULE_PATH,
    LinkedAppointment,
    appointment_by_cancel_token,
    cancel_by_token,
    cancel_link,
    reschedule_link,
)
from slotbook.application.public_booking import BOOKING_WEEKS, booking_page, free_times
from slotbook.application.reschedule_links import reschedule_by_token
from slotbook.domain.appointments import MOVABLE_STATUSES, TRANSITIONS, AppointmentStatus
from slotbook.domain.errors import InvalidRequest, NotFound
from slotbook.domain.organizations import Department
from slotbook.web.booking_calendar import month_of
from slotbook.web.booking_form import Visitor, check_csrf, iso_day, parse_time_choice
from slotbook.web.booking_pages import (
    APPOINTMENT_PATH,
    calendar_context,
    plain,
    query,
    refusal,
    render_page,
    sent_zone,
    zone_param,
)
from slotbook.web.calendar_links import google_calendar_link
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import SECURITY_HEADERS, redirect, translator
from slotbook.web.session import container_of

router = APIRouter(prefix="/book")

ICS = "text/calendar; charset=utf-8"


async def _linked(request: Request, token: str) -> tuple[LinkedAppointment, Department | None]:
    services = container_of(request).services
    linked = await appointment_by_cancel_token(services, token)
    try:
        page = await booking_page(services, linked.appointment.department_id)
    except NotFound:
        return linked, None  # the page was turned off: the links still show the appointment
    return linked, page.department


def _appointment_context(
    request: Request, linked: LinkedAppointment, department: Department | None
) -> dict[str, Any]:
    a = linked.appointment
    office_tz = ZoneInfo(a.time_zone)
    zone = zone_param(request, a.time_zone)
    tz = ZoneInfo(zone)
    base = str(request.base_url).rstrip("/")
    ends_at = a.ends_at or a.starts_at
    deadline = None
    notice = linked.policy.min_cancel_notice_minutes
    if notice:
        deadline = (a.starts_at - timedelta(minutes=notice)).astimezone(tz)
    tz_query = query(tz=None if zone == a.time_zone else zone)
    return {
        "appointment": a,
        "starts": a.starts_at.astimezone(tz),
        "ends": ends_at.astimezone(tz),
        "office_starts": a.starts_at.astimezone(office_tz),
        "office_ends": ends_at.astimezone(office_tz),
        "zone": zone,
        "department_zone": a.time_zone,
        "tz_query": tz_query,
        "type_name": linked.type_name,
        "token": linked.token,
        "place": department,
        "cancel_url": cancel_link(base, linked.token),
        "reschedule_url": reschedule_link(base, linked.token),
        "ics_url": f"{APPOINTMENT_PATH}{linked.token}.ics",
        "google_url": google_calendar_link(
            title=f"{linked.type_name or a.department_name} - {a.department_name}",
            starts_at=a.starts_at,
            ends_at=ends_at,
            location=(department.address if department else None) or a.department_name,
            details=f"{cancel_link(base, linked.token)}",
        ),
        "cancellable": AppointmentStatus.CANCELLED in TRANSITIONS[a.status],
        "movable": a.status in MOVABLE_STATUSES and department is not None,
        "cancelled": a.status is AppointmentStatus.CANCELLED,
        "deadline": deadline,
    }


# Before /appointment/{token}: "x.ics" would match a bare token too.
@router.get("/appointment/{token}.ics")
async def appointment_ics(request: Request, token: str) -> Response:
    container = container_of(request)
    linked, department = await _linked(request, token)
    a = linked.appointment
    body = container.documents.calendar(
        [a],
        f"Appointment {a.id}",
        container.services.clock.now(),
        location=department.address if department else None,
    )
    return Response(
        body,
        media_type=ICS,
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="appointment-{a.id}.ics"',
        },
    )


@router.get("/appointment/{token}")
async def appointmentpage(request: Request, token: str) -> Response:
    """The confirmation: when and where, the QR code to show at the desk, the calendar links
    and the private links to cancel and to reschedule."""
    container = container_of(request)
    linked, department = await _linked(request, token)
    context = _appointment_context(request, linked, department)
    # segno's own SVG markup (only paths and numbers), not text from a visitor.
    svg = container.documents.qr_svg(linked.appointment.qr_token)
    context["qr"] = Markup(svg)  # noqa: S704
    context["rescheduled"] = request.query_params.get("moved") == "1"
    return render_page(request, "book_appointment.html", context, department=department)


async def _cancelpage(
    request: Request, token: str, *, status: int = 200, error: str | None = None
) -> Response:
    linked, department = await _linked(request, token)
    context = _appointment_context(request, linked, department)
    context["error"] = error
    context["done"] = request.query_params.get("done") == "1" and context["cancelled"]
    return render_page(request, "book_cancel.html", context, status, department=department)


@router.get("/cancel/{token}")
async def cancel_form(request: Request, token: str) -> Response:
    return await _cancelpage(request, token)


async def _cancel_again(request: Request, status: int, message: str) -> Response:
    token = str(request.path_params["token"])
    return await _cancelpage(request, token, status=status, error=plain(request, message))


@router.post("/cancel/{token}")
@shows_errors_with(_cancel_again)
async def cancel_submit(request: Request, token: str) -> Response:
    services = container_of(request).services
    await appointment_by_cancel_token(services, token)  # an unknown link: 404 first
    form = await request.form()
    check_csrf(request, form)
    await cancel_by_token(services, token)
    tz = sent_zone(form)
    return redirect(f"{CANCEL_PATH}{token}" + query(done=1, tz=tz))


async def _reschedulepage(
    request: Request,
    token: str,
    *,
    day: date | None = None,
    month: date | None = None,
    status: int = 200,
    error: str | None = None,
    errors: dict[str, str] | None = None,
    zone_text: str | None = None,
) -> Response:
    services = container_of(request).services
    linked, department = await _linked(request, token)
    context = _appointment_context(request, linked, department)
    context.update(
        {
            "error": error,
            "errors": errors or {},
            "visitor": Visitor(),
            "weeks": BOOKING_WEEKS,
            "form_action": f"{RESCHEDULE_PATH}{token}",
            "submit_label": translator(request)("book.reschedule.submit"),
            "with_details": False,
        }
    )
    a = linked.appointment
    if department is not None and context["movable"]:
        free = await free_times(services, a.department_id, a.appointment_type_id)
        context.update(
            calendar_context(
                request,
                path=f"{RESCHEDULE_PATH}{token}",
                slots=free,
                department=department,
                kind=None,
                zone_text=zone_text,
                month=month,
                day=day,
            )
        )
    return render_page(request, "book_reschedule.html", context, status, department=department)


@router.get("/reschedule/{token}")
async def reschedule_form(
    request: Request,
    token: str,
    day: Annotated[str | None, Query()] = None,
    month: Annotated[str | None, Query()] = None,
) -> Response:
    return await _reschedulepage(request, token, day=iso_day(day), month=month_of(month))


async def _reschedule_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    error, errors = refusal(request, message, "book.reschedule.error.")
    return await _reschedulepage(
        request,
        str(request.path_params["token"]),
        day=iso_day(text_field(form, "day", 10)),
        status=status,
        error=error,
        errors=errors,
        zone_text=sent_zone(form),
    )


@router.post("/reschedule/{token}")
@shows_errors_with(_reschedule_again)
async def reschedule_submit(request: Request, token: str) -> Response:
    services = container_of(request).services
    await appointment_by_cancel_token(services, token)  # an unknown link: 404 first
    form = await request.form()
    check_csrf(request, form)
    t = translator(request)
    choice = parse_time_choice(text_field(form, "time", 64))
    if choice is None:
        message = t("book.time_required")
        raise InvalidRequest(message, details=[{"field": "time", "message": message}])
    starts_at, worker_id = choice
    await reschedule_by_token(services, token, starts_at, worker_id)
    tz = sent_zone(form)
    return redirect(f"{APPOINTMENT_PATH}{token}" + query(moved=1, tz=tz))

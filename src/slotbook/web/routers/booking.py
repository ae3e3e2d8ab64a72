"""The public booking page (no login): choose a type, then a day on a month calendar and a time
beside it, in the visitor's time zone; give a name, e-mail and phone; get the confirmation with
a QR code, calendar links and the private links to cancel and to reschedule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from slotbook.application.branding import department_logo
from slotbook.application.cancel_links import (
    CANCEL_PATH,
    LinkedAppointment,
    appointment_by_cancel_token,
    cancel_by_token,
    cancel_link,
)
from slotbook.application.public_booking import (
    BOOKING_WEEKS,
    FreeTimes,
    OnlineBooking,
    book_online,
    booking_page,
    free_times,
)
from slotbook.application.reschedule_links import reschedule_by_token
from slotbook.domain.appointments import MOVABLE_STATUSES, TRANSITIONS, AppointmentStatus
from slotbook.domain.branding import Branding
from slotbook.domain.errors import DomainError, InvalidRequest, NotFound
from slotbook.domain.limits import MAX_ID
from slotbook.domain.organizations import Department
from slotbook.domain.schedules import AppointmentType
from slotbook.web.booking_calendar import month_of, month_view, visitor_zone, zone_groups
from slotbook.web.booking_form import (
    Visitor,
    check_csrf,
    csrf_token,
    day_label,
    field_errors,
    iso_day,
    language_links,
    moment_label,
    parse_time_choice,
    positive_id,
    remember_csrf,
    step_link,
)
from slotbook.web.calendar_links import google_calendar_link
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import SECURITY_HEADERS, redirect, render, translator
from slotbook.web.session import container_of

router = APIRouter(prefix="/book")

DepartmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
ICS = "text/calendar; charset=utf-8"
APPOINTMENT_PATH = "/book/appointment/"
RESCHEDULE_PATH = "/book/reschedule/"
MAX_ZONE = 64


def _page(
    request: Request,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    *,
    department: Department | None = None,
) -> Response:
    t = translator(request)
    response = render(
        request,
        template,
        {
            "book_csrf": csrf_token(request),
            "book_languages": language_links(request, t),
            "day_label": lambda d: day_label(t, d),
            "full_day": lambda d: t("book.full_day", day=day_label(t, d), year=d.year),
            "moment_label": lambda m: moment_label(t, m),
            "brand_department": department,
            "branding": department.branding if department else Branding(),
            "zone_groups": zone_groups(),
            **context,
        },
        status=status,
    )
    remember_csrf(request, response)
    return response


def _zone_param(request: Request, department_zone: str, form_value: str | None = None) -> str:
    requested = form_value if form_value is not None else request.query_params.get("tz")
    if requested is not None and len(requested) > MAX_ZONE:
        requested = None
    return visitor_zone(requested, department_zone)


def _query(**values: object) -> str:
    text = urlencode({k: v for k, v in values.items() if v is not None})
    return f"?{text}" if text else ""


def _calendar_context(
    request: Request,
    *,
    path: str,
    slots: FreeTimes,
    department: Department,
    kind: AppointmentType | None,
    zone_text: str | None,
    month: date | None,
    day: date | None,
) -> dict[str, Any]:
    """The month calendar and the chosen day's times in the visitor's zone, and the links of
    its days and months."""
    t = translator(request)
    services = container_of(request).services
    zone = _zone_param(request, slots.time_zone, zone_text)
    today = services.clock.now().astimezone(ZoneInfo(zone)).date()
    view = month_view(
        t,
        slots.days,
        zone=zone,
        department_zone=slots.time_zone,
        month=month,
        day=day,
        today=today,
        worker_names=slots.worker_names if department.show_admins_in_booking else None,
    )
    type_id = kind.id if kind else None
    tz = None if zone == slots.time_zone else zone

    def day_link(d: date) -> str:
        return path + _query(type=type_id, day=d.isoformat(), tz=tz)

    def month_link(m: date) -> str:
        return path + _query(type=type_id, month=m.strftime("%Y-%m"), tz=tz)

    return {
        "view": view,
        "zone": zone,
        "day": view.day,
        "day_link": day_link,
        "month_link": month_link,
        # "décembre 2026" as a heading: "Décembre 2026".
        "month_name": t(
            "book.month_year", month=t(f"book.month.{view.month.month}"), year=view.month.year
        ).capitalize(),
        "weekday_names": [t(f"book.weekday.{i}") for i in range(7)],
        "weekday_short": [t(f"book.weekday_short.{i}") for i in range(7)],
        "gone": day is not None and view.day != day,
        "zone_path": path,
        # The browser may pick the visitor's zone on a page they opened, not on a refused form.
        "detect_zone": request.method == "GET" and "tz" not in request.query_params,
        "zone_hidden": {"type": type_id, "day": view.day.isoformat() if view.day else None},
    }


async def _steps(
    request: Request,
    department_id: int,
    type_id: int | None,
    day: date | None,
    *,
    month: date | None = None,
    status: int = 200,
    error: str | None = None,
    errors: dict[str, str] | None = None,
    visitor: Visitor | None = None,
    zone_text: str | None = None,
) -> Response:
    """The step the visitor has reached: the type, then the calendar, times and details."""
    services = container_of(request).services
    page = await booking_page(services, department_id)
    department = page.department
    kind = next((k for k in page.types if k.id == type_id), None)
    if kind is None and len(page.types) == 1:
        kind = page.types[0]
    context: dict[str, Any] = {
        "department": department,
        "types": page.types,
        "kind": kind,
        "error": error,
        "errors": errors or {},
        "visitor": visitor or Visitor(),
        "weeks": BOOKING_WEEKS,
        "step_link": step_link,
        "form_action": f"/book/{department_id}",
        "submit_label": translator(request)("book.submit"),
        "with_details": True,
    }
    if page.types and kind is None:
        # A zone chosen in the address goes on to the calendar.
        requested = zone_text or request.query_params.get("tz")
        zone = _zone_param(request, department.time_zone, requested)
        context["chosen_zone"] = zone if requested == zone else None
        return _page(request, "book_type.html", context, status, department=department)
    free = await free_times(services, department_id, kind.id if kind else None)
    context["free"] = free
    context.update(
        _calendar_context(
            request,
            path=f"/book/{department_id}",
            slots=free,
            department=department,
            kind=kind,
            zone_text=zone_text,
            month=month,
            day=day,
        )
    )
    return _page(request, "book_calendar.html", context, status, department=department)


@router.get("/{department_id:int}")
async def booking_start(
    request: Request,
    department_id: DepartmentId,
    type: Annotated[str | None, Query()] = None,
    day: Annotated[str | None, Query()] = None,
    month: Annotated[str | None, Query()] = None,
) -> Response:
    return await _steps(
        request, department_id, positive_id(type), iso_day(day), month=month_of(month)
    )


def _plain(request: Request, message: str, prefix: str = "book.error.") -> str:
    """A booking rule's refusal in words for a visitor (the API's are for programmers)."""
    error: DomainError | None = getattr(request.state, "form_error", None)
    t = translator(request)
    if error is None:
        return message
    for key in (f"{prefix}{error.code}", f"book.error.{error.code}"):
        if t.has(key):
            return t(key)
    return message


def _refusal(
    request: Request, message: str, prefix: str = "book.error."
) -> tuple[str | None, dict[str, str]]:
    """A refusal as the form shows it: each wrong field's message next to it, or one sentence
    (a booking rule) next to the times."""
    error: DomainError | None = getattr(request.state, "form_error", None)
    errors = field_errors(error.details if error is not None else None)
    return (None if errors else _plain(request, message, prefix)), errors


async def _book_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    visitor = Visitor.of(form)
    chosen = parse_time_choice(visitor.time)
    day = iso_day(text_field(form, "day", 10))
    if day is None and chosen:
        day = chosen[0].date()
    error, errors = _refusal(request, message)
    return await _steps(
        request,
        int(request.path_params["department_id"]),
        positive_id(text_field(form, "type", 10)),
        day,
        status=status,
        error=error,
        errors=errors,
        visitor=visitor,
        zone_text=text_field(form, "tz", MAX_ZONE) or None,
    )


@router.post("/{department_id:int}")
@shows_errors_with(_book_again)
async def booking_submit(request: Request, department_id: DepartmentId) -> Response:
    services = container_of(request).services
    # A closed or unknown page answers 404 before anything else (even a stale form).
    page = await booking_page(services, department_id)
    form = await request.form()
    check_csrf(request, form)
    t = translator(request)
    type_id = positive_id(text_field(form, "type", 10))
    if page.types and type_id not in {k.id for k in page.types}:
        raise InvalidRequest(t("book.type_required"))
    name, email, phone, starts_at, worker_id = Visitor.of(form).checked(t)
    booked = await book_online(
        services,
        OnlineBooking(department_id, type_id, starts_at, worker_id, name, email, phone),
    )
    tz = text_field(form, "tz", MAX_ZONE) or None
    return redirect(f"{APPOINTMENT_PATH}{booked.cancel_token}" + _query(tz=tz))


@router.get("/{department_id:int}/brand.css")
async def brand_css(request: Request, department_id: DepartmentId) -> Response:
    """The organization's accent color as a style sheet (the CSP allows no inline styles)."""
    page = await booking_page(container_of(request).services, department_id)
    color = page.department.branding.accent_color
    body = f":root {{ --accent: {color}; --accent-ink: #ffffff; }}\n" if color else ""
    return Response(body, media_type="text/css", headers=SECURITY_HEADERS)


@router.get("/{department_id:int}/logo")
async def brand_logo(request: Request, department_id: DepartmentId) -> Response:
    logo = await department_logo(container_of(request).services, department_id)
    if logo is None:
        raise NotFound("This organization has no logo")
    # Only PNG, JPEG or WebP (checked by their first bytes when uploaded), never sniffed.
    return Response(logo.data, media_type=logo.media_type, headers=SECURITY_HEADERS)


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
    zone = _zone_param(request, a.time_zone)
    tz = ZoneInfo(zone)
    base = str(request.base_url).rstrip("/")
    ends_at = a.ends_at or a.starts_at
    deadline = None
    notice = linked.policy.min_cancel_notice_minutes
    if notice:
        deadline = (a.starts_at - timedelta(minutes=notice)).astimezone(tz)
    tz_query = _query(tz=None if zone == a.time_zone else zone)
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
        "reschedule_url": f"{base}{RESCHEDULE_PATH}{linked.token}",
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
async def appointment_page(request: Request, token: str) -> Response:
    """The confirmation: when and where, the QR code to show at the desk, the calendar links
    and the private links to cancel and to reschedule."""
    container = container_of(request)
    linked, department = await _linked(request, token)
    context = _appointment_context(request, linked, department)
    # segno's own SVG markup (only paths and numbers), not text from a visitor.
    svg = container.documents.qr_svg(linked.appointment.qr_token)
    context["qr"] = Markup(svg)  # noqa: S704
    context["rescheduled"] = request.query_params.get("moved") == "1"
    return _page(request, "book_appointment.html", context, department=department)


async def _cancel_page(
    request: Request, token: str, *, status: int = 200, error: str | None = None
) -> Response:
    linked, department = await _linked(request, token)
    context = _appointment_context(request, linked, department)
    context["error"] = error
    context["done"] = request.query_params.get("done") == "1" and context["cancelled"]
    return _page(request, "book_cancel.html", context, status, department=department)


@router.get("/cancel/{token}")
async def cancel_form(request: Request, token: str) -> Response:
    return await _cancel_page(request, token)


async def _cancel_again(request: Request, status: int, message: str) -> Response:
    token = str(request.path_params["token"])
    return await _cancel_page(request, token, status=status, error=_plain(request, message))


@router.post("/cancel/{token}")
@shows_errors_with(_cancel_again)
async def cancel_submit(request: Request, token: str) -> Response:
    services = container_of(request).services
    await appointment_by_cancel_token(services, token)  # an unknown link: 404 first
    form = await request.form()
    check_csrf(request, form)
    await cancel_by_token(services, token)
    return redirect(f"{CANCEL_PATH}{token}?done=1")


async def _reschedule_page(
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
            _calendar_context(
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
    return _page(request, "book_reschedule.html", context, status, department=department)


@router.get("/reschedule/{token}")
async def reschedule_form(
    request: Request,
    token: str,
    day: Annotated[str | None, Query()] = None,
    month: Annotated[str | None, Query()] = None,
) -> Response:
    return await _reschedule_page(request, token, day=iso_day(day), month=month_of(month))


async def _reschedule_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    error, errors = _refusal(request, message, "book.reschedule.error.")
    return await _reschedule_page(
        request,
        str(request.path_params["token"]),
        day=iso_day(text_field(form, "day", 10)),
        status=status,
        error=error,
        errors=errors,
        zone_text=text_field(form, "tz", MAX_ZONE) or None,
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
    tz = text_field(form, "tz", MAX_ZONE) or None
    return redirect(f"{APPOINTMENT_PATH}{token}" + _query(moved=1, tz=tz))

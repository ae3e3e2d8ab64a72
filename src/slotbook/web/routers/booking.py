"""The public booking page (no login): choose a type, a day and a time, give a name, e-mail and
phone, get the confirmation with a QR code, an .ics file and a private cancel link."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from slotbook.application.cancel_links import (
    CANCEL_PATH,
    LinkedAppointment,
    appointment_by_cancel_token,
    cancel_by_token,
    cancel_link,
)
from slotbook.application.public_booking import (
    BOOKING_WEEKS,
    OnlineBooking,
    book_online,
    booking_page,
    free_times,
)
from slotbook.domain.appointments import TRANSITIONS, AppointmentStatus
from slotbook.domain.errors import DomainError, InvalidRequest
from slotbook.domain.limits import MAX_ID
from slotbook.web.booking_form import (
    Visitor,
    check_csrf,
    csrf_token,
    day_label,
    iso_day,
    language_links,
    moment_label,
    parse_time_choice,
    positive_id,
    remember_csrf,
    step_link,
    time_choice,
)
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import SECURITY_HEADERS, redirect, render, translator
from slotbook.web.session import container_of

router = APIRouter(prefix="/book")

DepartmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
ICS = "text/calendar; charset=utf-8"
APPOINTMENT_PATH = "/book/appointment/"


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    t = translator(request)
    response = render(
        request,
        template,
        {
            "book_csrf": csrf_token(request),
            "book_languages": language_links(request, t),
            "day_label": lambda d: day_label(t, d),
            "moment_label": lambda m: moment_label(t, m),
            **context,
        },
        status=status,
    )
    remember_csrf(request, response)
    return response


async def _steps(
    request: Request,
    department_id: int,
    type_id: int | None,
    day: date | None,
    *,
    status: int = 200,
    error: str | None = None,
    visitor: Visitor | None = None,
) -> Response:
    """The step the visitor has reached: the type, then the day, then the time and details."""
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
        "visitor": visitor or Visitor(),
        "weeks": BOOKING_WEEKS,
        "step_link": step_link,
    }
    if page.types and kind is None:
        return _page(request, "book_type.html", context, status)
    free = await free_times(services, department_id, kind.id if kind else None)
    context["free"] = free
    if day is None or day not in free.days:
        context["gone"] = day is not None
        return _page(request, "book_day.html", context, status)
    tz = ZoneInfo(free.time_zone)
    choices = []
    t = translator(request)
    for slot in free.days[day]:
        start = slot.starts_at.astimezone(tz)
        label = start.strftime("%H:%M")
        if department.show_admins_in_booking and slot.worker_ids:
            for worker_id in slot.worker_ids:
                worker = free.worker_names.get(worker_id, str(worker_id))
                choices.append(
                    (time_choice(start, worker_id), t("book.time.with", time=label, worker=worker))
                )
        else:
            choices.append((time_choice(start, None), label))
    context.update({"day": day, "choices": choices})
    return _page(request, "book_details.html", context, status)


@router.get("/{department_id:int}")
async def booking_start(
    request: Request,
    department_id: DepartmentId,
    type: Annotated[str | None, Query()] = None,
    day: Annotated[str | None, Query()] = None,
) -> Response:
    return await _steps(request, department_id, positive_id(type), iso_day(day))


def _plain(request: Request, message: str) -> str:
    """A booking rule's refusal in words for a visitor (the API's are for programmers)."""
    error: DomainError | None = getattr(request.state, "form_error", None)
    t = translator(request)
    key = f"book.error.{error.code}" if error is not None else ""
    return t(key) if key and t.has(key) else message


async def _book_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    visitor = Visitor.of(form)
    chosen = parse_time_choice(visitor.time)
    day = chosen[0].date() if chosen else iso_day(text_field(form, "day", 10))
    return await _steps(
        request,
        int(request.path_params["department_id"]),
        positive_id(text_field(form, "type", 10)),
        day,
        status=status,
        error=_plain(request, message),
        visitor=visitor,
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
    name, email, phone, starts_at, worker_id = Visitor.of(form).checked(t)
    type_id = positive_id(text_field(form, "type", 10))
    if page.types and type_id not in {k.id for k in page.types}:
        raise InvalidRequest(t("book.type_required"))
    booked = await book_online(
        services,
        OnlineBooking(department_id, type_id, starts_at, worker_id, name, email, phone),
    )
    return redirect(f"{APPOINTMENT_PATH}{booked.cancel_token}")


def _appointment_context(request: Request, linked: LinkedAppointment) -> dict[str, Any]:
    a = linked.appointment
    tz = ZoneInfo(a.time_zone)
    base = str(request.base_url).rstrip("/")
    deadline = None
    notice = linked.policy.min_cancel_notice_minutes
    if notice:
        deadline = (a.starts_at - timedelta(minutes=notice)).astimezone(tz)
    return {
        "appointment": a,
        "starts": a.starts_at.astimezone(tz),
        "type_name": linked.type_name,
        "token": linked.token,
        "cancel_url": cancel_link(base, linked.token),
        "ics_url": f"{APPOINTMENT_PATH}{linked.token}.ics",
        "cancellable": AppointmentStatus.CANCELLED in TRANSITIONS[a.status],
        "cancelled": a.status is AppointmentStatus.CANCELLED,
        "deadline": deadline,
    }


# Before /appointment/{token}: "x.ics" would match a bare token too.
@router.get("/appointment/{token}.ics")
async def appointment_ics(request: Request, token: str) -> Response:
    container = container_of(request)
    linked = await appointment_by_cancel_token(container.services, token)
    a = linked.appointment
    body = container.documents.calendar([a], f"Appointment {a.id}", container.services.clock.now())
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
    """The confirmation: when and where, the QR code to show at the desk, the calendar file and
    the private cancel link."""
    container = container_of(request)
    linked = await appointment_by_cancel_token(container.services, token)
    context = _appointment_context(request, linked)
    # segno's own SVG markup (only paths and numbers), not text from a visitor.
    svg = container.documents.qr_svg(linked.appointment.qr_token)
    context["qr"] = Markup(svg)  # noqa: S704
    return _page(request, "book_appointment.html", context)


async def _cancel_page(
    request: Request, token: str, *, status: int = 200, error: str | None = None
) -> Response:
    linked = await appointment_by_cancel_token(container_of(request).services, token)
    context = _appointment_context(request, linked)
    context["error"] = error
    context["done"] = request.query_params.get("done") == "1" and context["cancelled"]
    return _page(request, "book_cancel.html", context, status)


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

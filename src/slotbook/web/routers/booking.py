"""The public booking page (no login): choose a type, then a day on a month calendar and a time
beside it, in the visitor's time zone; give a name, e-mail and phone; the organization's brand
style sheet and logo. The confirmation and the private links: web/routers/booking_links.py."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from slotbook.application.branding import department_logo
from slotbook.application.public_booking import (
    BOOKING_WEEKS,
    OnlineBooking,
    book_online,
    booking_page,
    free_times,
)
from slotbook.domain.errors import InvalidRequest, NotFound
from slotbook.domain.limits import MAX_ID
from slotbook.web.booking_calendar import month_of
from slotbook.web.booking_form import (
    Visitor,
    check_csrf,
    iso_day,
    parse_time_choice,
    positive_id,
    step_link,
)
from slotbook.web.booking_pages import (
    APPOINTMENT_PATH,
    calendar_context,
    query,
    refusal,
    render_page,
    sent_zone,
    zone_param,
)
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import SECURITY_HEADERS, redirect, translator
from slotbook.web.session import container_of

router = APIRouter(prefix="/book")

DepartmentId = Annotated[int, Path(ge=1, le=MAX_ID)]


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
        zone = zone_param(request, department.time_zone, requested)
        context["chosen_zone"] = zone if requested == zone else None
        return render_page(request, "book_type.html", context, status, department=department)
    free = await free_times(services, department_id, kind.id if kind else None)
    context["free"] = free
    context.update(
        calendar_context(
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
    return render_page(request, "book_calendar.html", context, status, department=department)


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


async def _book_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    visitor = Visitor.of(form)
    chosen = parse_time_choice(visitor.time)
    day = iso_day(text_field(form, "day", 10))
    if day is None and chosen:
        day = chosen[0].date()
    error, errors = refusal(request, message)
    return await _steps(
        request,
        int(request.path_params["department_id"]),
        positive_id(text_field(form, "type", 10)),
        day,
        status=status,
        error=error,
        errors=errors,
        visitor=visitor,
        zone_text=sent_zone(form),
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
    tz = sent_zone(form)
    return redirect(f"{APPOINTMENT_PATH}{booked.cancel_token}" + query(tz=tz))


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

"""What the public booking pages share: the page frame (CSRF cookie, language links, branding),
the visitor's time zone, the month calendar's context, and refusals in a visitor's words."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from slotbook.application.public_booking import FreeTimes
from slotbook.domain.branding import Branding
from slotbook.domain.errors import DomainError
from slotbook.domain.organizations import Department
from slotbook.domain.schedules import AppointmentType
from slotbook.web.booking_calendar import month_view, visitor_zone, zone_groups
from slotbook.web.booking_form import (
    csrf_token,
    day_label,
    field_errors,
    language_links,
    moment_label,
    remember_csrf,
)
from slotbook.web.forms import text_field
from slotbook.web.rendering import render, translator
from slotbook.web.session import container_of

MAX_ZONE = 64
APPOINTMENT_PATH = "/book/appointment/"
TIMES_ANCHOR = "#times-heading"  # + token: the confirmation


def render_page(
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


def zone_param(request: Request, department_zone: str, form_value: str | None = None) -> str:
    requested = form_value if form_value is not None else request.query_params.get("tz")
    if requested is not None and len(requested) > MAX_ZONE:
        requested = None
    return visitor_zone(requested, department_zone)


def sent_zone(form: FormData) -> str | None:
    """The visitor's zone the page sent back with the form (its hidden `tz`), if any."""
    return text_field(form, "tz", MAX_ZONE) or None


def query(**values: object) -> str:
    text = urlencode({k: v for k, v in values.items() if v is not None})
    return f"?{text}" if text else ""


def calendar_context(
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
    zone = zone_param(request, slots.time_zone, zone_text)
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
        # To the day's times: below the calendar on a phone, and where the next Tab starts.
        return path + query(type=type_id, day=d.isoformat(), tz=tz) + TIMES_ANCHOR

    def month_link(m: date) -> str:
        return path + query(type=type_id, month=m.strftime("%Y-%m"), tz=tz)

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


def plain(request: Request, message: str, prefix: str = "book.error.") -> str:
    """A booking rule's refusal in words for a visitor (the API's are for programmers)."""
    error: DomainError | None = getattr(request.state, "form_error", None)
    t = translator(request)
    if error is None:
        return message
    for key in (f"{prefix}{error.code}", f"book.error.{error.code}"):
        if t.has(key):
            return t(key)
    return message


def refusal(
    request: Request, message: str, prefix: str = "book.error."
) -> tuple[str | None, dict[str, str]]:
    """A refusal as the form shows it: each wrong field's message next to it, or one sentence
    (a booking rule) next to the times."""
    error: DomainError | None = getattr(request.state, "form_error", None)
    errors = field_errors(error.details if error is not None else None)
    return (None if errors else plain(request, message, prefix)), errors

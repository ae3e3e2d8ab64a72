"""How the calendar, the appointment page and the check-in desk show an appointment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from slotbook.domain.appointments import Appointment
from slotbook.web.i18n import Translator


def local(value: datetime, time_zone: str) -> datetime:
    return value.astimezone(ZoneInfo(time_zone))


def time_span(t: Translator, appointment: Appointment) -> str:
    """Start and end ("09:00-09:20") in the time zone of the appointment's department."""
    fmt = t("fmt.time")
    start = local(appointment.starts_at, appointment.time_zone).strftime(fmt)
    if appointment.ends_at is None:
        return start
    return f"{start}\u2013{local(appointment.ends_at, appointment.time_zone).strftime(fmt)}"


def span_of(t: Translator) -> Callable[[Appointment], str]:
    return lambda appointment: time_span(t, appointment)

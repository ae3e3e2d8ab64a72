"""iCalendar (RFC 5545) documents of appointments, with their time zones, via `icalendar`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from slotbook import __version__
from slotbook.domain.appointments import Appointment, AppointmentStatus

PRODID = f"-//Slotbook//Slotbook {__version__}//EN"


def _event(a: Appointment, now: datetime, location: str | None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"appointment-{a.id}@slotbook")
    event.add("dtstamp", now)
    # Local time with its TZID (and a VTIMEZONE below), so calendars show the department's time.
    tz = ZoneInfo(a.time_zone)
    event.add("dtstart", a.starts_at.astimezone(tz))
    if a.ends_at is not None:
        event.add("dtend", a.ends_at.astimezone(tz))
    event.add("summary", f"{a.name} - {a.department_name}")
    event.add("location", f"{a.department_name}, {location}" if location else a.department_name)
    event.add("created", a.created_at)
    event.add("last-modified", a.updated_at)
    cancelled = a.status is AppointmentStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("description", f"Appointment {a.id} ({a.status.value}), code {a.qr_token}")
    return event


def appointments_calendar(
    appointments: Sequence[Appointment], name: str, now: datetime, *, location: str | None = None
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for appointment in appointments:
        calendar.add_component(_event(appointment, now, location))
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical

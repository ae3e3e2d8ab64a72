"""The "add to Google Calendar" link of an appointment (Google's documented event template URL;
the .ics file serves every other calendar)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_link(
    *, title: str, starts_at: datetime, ends_at: datetime, location: str, details: str
) -> str:
    """A link that opens Google Calendar with the event filled in (times in UTC, so the
    visitor's calendar shows them in its own zone)."""
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_utc(starts_at)}/{_utc(ends_at)}",
        "location": location,
        "details": details,
    }
    return f"{GOOGLE_TEMPLATE}?{urlencode(query)}"

"""iCalendar documents, parsed back with icalendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import icalendar

from tests.support import Tenant, future


async def test_appointment_ics_round_trips_with_its_time_zone(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    when = future(days=40, hour=9, minute=30)
    booked = await client.post(
        "/api/v1/appointments",
        headers=tenant.headers,
        json={"departmentId": tenant.department_id, "dateTime": when, "name": "Jean Dupont"},
    )
    appointment_id = booked.json()["id"]
    response = await client.get(
        f"/api/v1/appointments/{appointment_id}.ics", headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Europe/Paris"))
    assert event["STATUS"] == "CONFIRMED"
    assert event["UID"] == f"appointment-{appointment_id}@slotbook"

    await client.delete(f"/api/v1/appointments/{appointment_id}", headers=tenant.headers)
    again = await client.get(f"/api/v1/appointments/{appointment_id}.ics", headers=tenant.headers)
    (cancelled,) = icalendar.Calendar.from_ical(again.content).walk("VEVENT")
    assert cancelled["STATUS"] == "CANCELLED"

    missing = await client.get("/api/v1/appointments/2147483647.ics", headers=tenant.headers)
    assert missing.status_code == 404

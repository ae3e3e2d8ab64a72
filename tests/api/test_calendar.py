"""iCalendar documents, parsed back with icalendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import icalendar

from slotbook.bootstrap import Container
from tests.support import Tenant, book, future, make_tenant


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


async def _feed(client: httpx.AsyncClient, url: str) -> icalendar.Calendar:
    path = url.removeprefix("http://localhost:8000")
    response = await client.get(path)  # no API key: the token is the secret
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


async def test_department_feed_lists_its_appointments_and_rotates(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    issued = await client.post(
        f"/api/v1/departments/{tenant.department_id}/calendar-feed", headers=tenant.headers
    )
    assert issued.status_code == 200, issued.text
    url = issued.json()["url"]
    assert url.startswith("http://localhost:8000/calendar/")
    assert url.endswith(".ics")
    assert list((await _feed(client, url)).walk("VEVENT")) == []

    first = await book(client, tenant, future(days=5, hour=9))
    second = await book(client, tenant, future(days=6, hour=14, minute=30))
    far = await book(client, tenant, future(days=400, hour=9))  # beyond a year: not in it
    other = await book(
        client,
        tenant,
        future(days=5, hour=11),
        departmentId=tenant.staffed_department_id,
        workerId=tenant.worker_id,
    )
    await client.post(
        f"/api/v1/appointments/{second['id']}/cancel", headers=tenant.headers, json={}
    )

    calendar = await _feed(client, url)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"appointment-{first['id']}@slotbook",
        f"appointment-{second['id']}@slotbook",
    }
    assert far["id"]
    assert other["id"]
    one = events[f"appointment-{first['id']}@slotbook"]
    assert one.decoded("DTSTART") == datetime.fromisoformat(future(days=5, hour=9)).replace(
        tzinfo=ZoneInfo("Europe/Paris")
    )
    assert one["STATUS"] == "CONFIRMED"
    assert events[f"appointment-{second['id']}@slotbook"]["STATUS"] == "CANCELLED"

    rotated = await client.post(
        f"/api/v1/departments/{tenant.department_id}/calendar-feed", headers=tenant.headers
    )
    new_url = rotated.json()["url"]
    assert new_url != url
    gone = await client.get(url.removeprefix("http://localhost:8000"))
    assert gone.status_code == 404
    assert gone.json()["code"] == "NOT_FOUND"
    assert len(list((await _feed(client, new_url)).walk("VEVENT"))) == 2


async def test_worker_feed(client: httpx.AsyncClient, tenant: Tenant) -> None:
    issued = await client.post(
        f"/api/v1/workers/{tenant.worker_id}/calendar-feed", headers=tenant.headers
    )
    assert issued.status_code == 200, issued.text
    mine = await book(
        client,
        tenant,
        future(days=7, hour=10),
        departmentId=tenant.staffed_department_id,
        workerId=tenant.worker_id,
    )
    await book(client, tenant, future(days=7, hour=12))  # no worker: not in the worker's feed
    calendar = await _feed(client, issued.json()["url"])
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        f"appointment-{mine['id']}@slotbook"
    ]


async def test_feed_admin_errors(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    unknown = await client.get("/calendar/not-a-token.ics")
    assert unknown.status_code == 404
    assert set(unknown.json()) >= {"code", "message", "timestamp"}
    missing = await client.post("/api/v1/departments/999999/calendar-feed", headers=tenant.headers)
    assert missing.status_code == 404
    stranger = await make_tenant(container.services)
    foreign = await client.post(
        f"/api/v1/workers/{tenant.worker_id}/calendar-feed", headers=stranger.headers
    )
    assert foreign.status_code == 403
    anonymous = await client.post(f"/api/v1/departments/{tenant.department_id}/calendar-feed")
    assert anonymous.status_code == 401

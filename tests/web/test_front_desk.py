"""The front desk through HTTP: the time grid's data and moves, a new appointment with a new
client and its confirmation e-mail, clients, the appointment's contact links, today's arrivals
with one-tap check-in, and typed check-in codes."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from slotbook.bootstrap import Container
from slotbook.infra.notifications.smtp import SmtpMailer, SmtpSettings
from tests.scheduling_support import add_worker, set_department, set_worker_hours
from tests.support import Login, Tenant, TestClock, book
from tests.web.dashboard import hidden, log_in, page_token

PARIS = ZoneInfo("Europe/Paris")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def inbox(container: Container) -> Iterator[Inbox]:
    handler = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    container.mailer = SmtpMailer(
        SmtpSettings(host="127.0.0.1", port=port, starttls=False, timeout=10)
    )
    try:
        yield handler
    finally:
        container.mailer = None
        controller.stop()


def _monday_after_next() -> date:
    today = datetime.now(PARIS).date()
    return today + timedelta(days=14 - today.weekday())


async def _staffed(client: httpx.AsyncClient, tenant: Tenant) -> int:
    """The staffed department with hours (09:00-17:00, every day) for two workers."""
    await set_department(client, tenant, tenant.staffed_department_id, alwaysOpen=False)
    await set_worker_hours(client, tenant, tenant.worker_id)
    second = await add_worker(client, tenant, tenant.staffed_department_id)
    await set_worker_hours(client, tenant, second, "13:00", "17:00")
    return second


async def _book_awa(client: httpx.AsyncClient, tenant: Tenant, monday: date) -> dict[str, Any]:
    """Monday 10:00 with the first worker of the staffed department."""
    return await book(
        client,
        tenant,
        f"{monday}T10:00:00",
        departmentId=tenant.staffed_department_id,
        workerId=tenant.worker_id,
        name="Awa Camara",
    )


async def test_the_grid_shows_columns_hours_time_off_closures_and_appointments(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant
) -> None:
    second = await _staffed(client, tenant)
    monday = _monday_after_next()
    off = await client.post(
        f"/api/v1/workers/{second}/exceptions",
        headers=tenant.headers,
        json={
            "kind": "TIME_OFF",
            "startsAt": f"{monday}T14:00:00",
            "endsAt": f"{monday}T15:00:00",
            "reason": "Training",
        },
    )
    assert off.status_code == 201, off.text
    closed = await client.post(
        f"/api/v1/departments/{tenant.staffed_department_id}/closures",
        headers=tenant.headers,
        json={"date": (monday + timedelta(days=2)).isoformat(), "reason": "Holiday"},
    )
    assert closed.status_code == 201, closed.text
    booked = await _book_awa(client, tenant, monday)
    await log_in(client, staff)
    page = await client.get(
        "/dashboard/calendar",
        params={"department": tenant.staffed_department_id, "date": monday.isoformat()},
    )
    assert page.status_code == 200
    assert 'id="time-grid"' in page.text
    assert "/static/vendor/event-calendar/event-calendar.min.js" in page.text

    feed = await client.get(
        "/dashboard/calendar/grid",
        params={"department": tenant.staffed_department_id, "date": monday.isoformat()},
    )
    assert feed.status_code == 200, feed.text
    grid = feed.json()
    assert grid["date"] == monday.isoformat()
    assert grid["days"] == 7
    assert grid["timeZone"] == "Europe/Paris"
    assert [r["id"] for r in grid["resources"]] == [str(tenant.worker_id), str(second)]
    events = grid["events"]

    def background(kind: str, resource: str) -> list[tuple[str, str]]:
        return [
            (e["start"], e["end"])
            for e in events
            if e["classNames"] == [kind] and resource in e["resourceIds"]
        ]

    # Monday: the second worker works 13:00-14:00 and 15:00-17:00 around the training.
    assert (f"{monday}T13:00", f"{monday}T14:00") in background("bg-working", str(second))
    assert (f"{monday}T15:00", f"{monday}T17:00") in background("bg-working", str(second))
    assert background("bg-off", str(second)) == [(f"{monday}T14:00", f"{monday}T15:00")]
    wednesday = monday + timedelta(days=2)
    assert all(
        not s.startswith(wednesday.isoformat()) for s, _ in background("bg-working", str(second))
    )
    assert background("bg-closed", str(tenant.worker_id)) == [
        (f"{wednesday}T00:00", f"{monday + timedelta(days=3)}T00:00")
    ]
    [appointment] = [e for e in events if e.get("id")]
    assert appointment["id"] == str(booked["id"])
    assert (appointment["start"], appointment["end"]) == (f"{monday}T10:00", f"{monday}T10:30")
    assert appointment["resourceIds"] == [str(tenant.worker_id)]
    assert appointment["classNames"] == ["ev", "ev-scheduled"]
    assert grid["slotMinTime"] == "09:00"
    assert grid["slotMaxTime"] == "17:00"


async def _move(
    client: httpx.AsyncClient, appointment: dict[str, Any], starts_at: str, worker: int | str
) -> httpx.Response:
    return await client.post(
        "/dashboard/calendar/move",
        data={
            "csrf_token": await page_token(client, "/dashboard/calendar"),
            "appointment": str(appointment["id"]),
            "version": "1",
            "starts_at": starts_at,
            "worker": str(worker),
        },
    )


async def test_a_drop_on_the_grid_moves_through_the_rules(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant
) -> None:
    second = await _staffed(client, tenant)
    monday = _monday_after_next()
    booked = await _book_awa(client, tenant, monday)
    await log_in(client, staff)
    # The second worker starts at 13:00: 10:00 with them is refused with the rule's words.
    refused = await _move(client, booked, f"{monday}T10:00", second)
    assert refused.status_code == 409, refused.text
    assert refused.json()["message"]
    assert "<html" not in refused.text
    moved = await _move(client, booked, f"{monday}T13:30", second)
    assert moved.status_code == 200, moved.text
    assert moved.json() == {
        "id": booked["id"],
        "version": 2,
        "message": "Awa Camara's appointment is moved.",
    }
    api = await client.get(f"/api/v1/appointments/{booked['id']}", headers=tenant.headers)
    assert api.json()["workerId"] == second
    stale = await _move(client, booked, f"{monday}T14:30", second)  # version 1 is old now
    assert stale.status_code == 412, stale.text
    assert (await _move(client, booked, "not a time", second)).status_code == 400
    forged = await client.post(
        "/dashboard/calendar/move",
        data={"csrf_token": "forged", "appointment": str(booked["id"]), "version": "2"},
    )
    assert forged.status_code == 403


async def test_a_new_appointment_for_a_new_client_with_its_confirmation(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, inbox: Inbox
) -> None:
    second = await _staffed(client, tenant)
    monday = _monday_after_next()
    await log_in(client, staff)
    form = await client.get(
        "/dashboard/appointments/new",
        params={
            "department": tenant.staffed_department_id,
            "worker": second,
            "date": monday.isoformat(),
            "time": "13:30",
        },
    )
    assert form.status_code == 200, form.text
    assert 'name="time" value="13:30" checked' in form.text
    assert 'value="09:00"' not in form.text  # the second worker starts at 13:00
    data = {
        "csrf_token": hidden(form.text, "csrf_token"),
        "department": str(tenant.staffed_department_id),
        "type": "",
        "worker": str(second),
        "date": monday.isoformat(),
        "time": "13:30",
        "client_id": "new",
        "name": "Mariam Touré",
        "phone": "+224 620 00 00 00",
        "email": "Mariam@Example.org",
        "notes": "Called at 9",
        "send_email": "1",
    }
    no_name = await client.post("/dashboard/appointments/new", data={**data, "name": ""})
    assert no_name.status_code == 400
    assert "Choose a client, or give the new client&#39;s name." in no_name.text
    assert 'value="+224 620 00 00 00"' in no_name.text  # what was typed is kept
    done = await client.post("/dashboard/appointments/new", data=data)
    assert done.status_code == 303, done.text
    page = await client.get(done.headers["location"])
    assert "The appointment is booked and the confirmation e-mail is sent." in page.text
    assert 'href="tel:+224620000000"' in page.text
    assert 'href="mailto:mariam@example.org"' in page.text
    appointment_id = int(done.headers["location"].split("/")[-1].split("?")[0])
    api = (
        await client.get(f"/api/v1/appointments/{appointment_id}", headers=tenant.headers)
    ).json()
    assert (api["workerId"], api["notes"], api["name"]) == (second, "Called at 9", "Mariam Touré")
    [raw] = inbox.messages
    mail = message_from_bytes(raw)
    assert mail["To"] == "mariam@example.org"
    assert api["qrCode"] in raw.decode()

    taken = await client.post("/dashboard/appointments/new", data={**data, "client_id": "new"})
    assert taken.status_code == 409  # the same worker and time again: the rule's refusal
    assert 'role="alert"' in taken.text

    found = await client.get("/dashboard/appointments/new/clients", params={"q": "620 00"})
    assert "Mariam Touré" in found.text
    assert 'name="client_id"' in found.text
    again = await client.post(
        "/dashboard/appointments/new",
        data={**data, "time": "15:00", "client_id": str(api["clientId"]), "send_email": ""},
    )
    assert again.status_code == 303
    assert "mail=unticked" in again.headers["location"]
    refused = await client.post(
        "/dashboard/appointments/new",
        data={**data, "time": "15:00", "client_id": str(api["clientId"])},
    )
    assert refused.status_code == 409  # taken just now; the client chosen stays chosen
    assert f'value="{api["clientId"]}" checked' in refused.text
    assert len(inbox.messages) == 1


async def test_clients_page_and_client_page(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, clock: TestClock
) -> None:
    created = await client.post(
        "/api/v1/clients",
        headers=tenant.headers,
        json={"name": "Fatou Diallo", "phone": "+33 6 12 34 56 78", "email": "fatou@example.org"},
    )
    assert created.status_code == 201, created.text
    client_id = created.json()["id"]
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    soon = await book(client, tenant, start, clientId=client_id, name=None)
    past = await book(client, tenant, start - timedelta(days=1), clientId=client_id, name=None)
    clock.freeze(start - timedelta(days=1) + timedelta(hours=1))
    await log_in(client, staff)
    listing = await client.get("/dashboard/clients", params={"q": "fatou"})
    assert listing.status_code == 200
    assert f'href="/dashboard/clients/{client_id}"' in listing.text
    assert "1 client(s)." in listing.text
    assert "No client found." in (await client.get("/dashboard/clients?q=nobody")).text
    page = await client.get(f"/dashboard/clients/{client_id}")
    assert page.status_code == 200
    upcoming = page.text.split('id="upcoming"')[1].split("</ul>")[0]
    earlier = page.text.split('id="past"')[1].split("</ul>")[0]
    assert f"/dashboard/appointments/{soon['id']}" in upcoming
    assert f"/dashboard/appointments/{past['id']}" in earlier
    assert 'href="tel:+33612345678"' in page.text
    assert f"client={client_id}" in page.text
    assert "book-again" in page.text
    assert (await client.get("/dashboard/clients/999999")).status_code == 404


async def test_todays_arrivals_with_one_tap_check_in(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, clock: TestClock
) -> None:
    day = datetime.now(PARIS).date() + timedelta(days=2)
    first = await book(
        client, tenant, datetime(day.year, day.month, day.day, 9, tzinfo=PARIS), name="Early"
    )
    second = await book(
        client, tenant, datetime(day.year, day.month, day.day, 8, tzinfo=PARIS), name="Earlier"
    )
    tomorrow = await book(
        client,
        tenant,
        datetime(day.year, day.month, day.day, 9, tzinfo=PARIS) + timedelta(days=1),
        name="Tomorrow",
    )
    clock.freeze(datetime(day.year, day.month, day.day, 8, 30, tzinfo=PARIS).astimezone(UTC))
    await log_in(client, staff)
    desk = await client.get("/dashboard/check-in")
    arrivals = desk.text.split('id="arrivals"')[1]
    assert arrivals.index("Earlier") < arrivals.index("Early<")
    assert "Tomorrow" not in arrivals
    assert f'action="/dashboard/appointments/{second["id"]}/no-show"' in arrivals  # started
    assert f'action="/dashboard/appointments/{first["id"]}/no-show"' not in arrivals
    tapped = await client.post(
        f"/dashboard/appointments/{first['id']}/check-in",
        data={"csrf_token": hidden(desk.text, "csrf_token"), "version": "1", "back": "desk"},
    )
    assert tapped.status_code == 303
    after = await client.get(tapped.headers["location"])
    assert "Early is checked in." in after.text
    api = await client.get(f"/api/v1/appointments/{first['id']}", headers=tenant.headers)
    assert api.json()["status"] == "CHECKED_IN"
    assert tomorrow["status"] == "SCHEDULED"


async def test_a_typed_code_is_read_like_crockford(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, clock: TestClock
) -> None:
    day = datetime.now(PARIS).date() + timedelta(days=2)
    when = datetime(day.year, day.month, day.day, 10, tzinfo=PARIS)
    booked = await book(client, tenant, when, name="Typed Code")
    code = booked["qrCode"]
    assert code.startswith("QR-")
    assert len(code.split("-")) == 5
    clock.freeze(when.astimezone(UTC) - timedelta(minutes=10))
    await log_in(client, staff)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    done = await client.post(
        "/dashboard/check-in",
        data={"csrf_token": await page_token(client, "/dashboard/check-in"), "token": typed},
    )
    assert done.status_code == 200, done.text
    assert "Typed Code is checked in." in done.text

"""Reminders sent by the worker: a real in-process SMTP server (aiosmtpd), a real HTTP SMS
gateway, the appointment.reminder event, and each reminder once even with two workers."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select

from slotbook.application.access import Principal, Scope
from slotbook.application.branding import BrandingChange, change_branding
from slotbook.application.reminders import ReminderWorker
from slotbook.bootstrap import Container, reminder_worker
from slotbook.infra.db.tables import appointment
from slotbook.infra.notifications.sms import HttpSmsSender
from slotbook.infra.notifications.smtp import SmtpMailer, SmtpSettings
from tests.receiver import Receiver
from tests.support import Hooks, Tenant, TestClock, book, future


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        assert isinstance(content, bytes)
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
async def sms_gateway() -> AsyncIterator[Receiver]:
    started = await Receiver().start()
    yield started
    await started.stop()


@pytest.fixture
def reminders(
    container: Container, inbox: tuple[Inbox, int], sms_gateway: Receiver
) -> ReminderWorker:
    mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=inbox[1], starttls=False))
    return reminder_worker(container, mailer, HttpSmsSender(sms_gateway.url("/sms")))


async def drain(*workers: ReminderWorker) -> None:
    """Run the workers until none finds a due reminder (other tests' too: the database is
    shared by the session, so only this test's appointments are asserted on)."""
    for _ in range(100):
        if sum(await asyncio.gather(*(w.run_once() for w in workers))) == 0:
            return
    raise AssertionError("reminders kept coming")


async def _client(http: httpx.AsyncClient, tenant: Tenant, n: int = 0) -> dict[str, Any]:
    response = await http.post(
        "/api/v1/clients",
        headers=tenant.headers,
        json={
            "name": "Awa Camara",
            "email": f"awa{n}.{tenant.organization_id}@example.org",
            "phone": f"+224 620 00 {tenant.organization_id % 100:02d} {n:02d}",
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _starts_at(booked: dict[str, Any]) -> datetime:
    local = datetime.fromisoformat(booked["dateTime"]).replace(tzinfo=ZoneInfo(booked["timeZone"]))
    return local.astimezone(UTC)


async def test_reminder_email_sms_and_event(
    client: httpx.AsyncClient,
    tenant: Tenant,
    container: Container,
    clock: TestClock,
    inbox: tuple[Inbox, int],
    sms_gateway: Receiver,
    reminders: ReminderWorker,
) -> None:
    person = await _client(client, tenant)
    booked = await book(client, tenant, future(days=3, hour=10, minute=30), clientId=person["id"])
    starts_at = _starts_at(booked)

    clock.freeze(starts_at - timedelta(hours=25))  # not due yet (24 h before by default)
    await drain(reminders)
    assert inbox[0].to(person["email"]) == []

    clock.freeze(starts_at - timedelta(hours=23))
    await drain(reminders)
    await drain(reminders)  # nothing twice
    messages = inbox[0].to(person["email"])
    assert len(messages) == 1
    message = messages[0]
    assert booked["departmentName"] in message["Subject"]
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    plain = text.get_content()
    assert booked["departmentName"] in plain
    day = starts_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%d %B %Y")
    assert f"{day}, 10:30 (Europe/Paris)" in plain  # the department's wall-clock time
    assert booked["qrCode"] in plain

    async with container.engine.connect() as conn:
        token = (
            await conn.execute(
                select(appointment.c.cancel_token).where(appointment.c.id == booked["id"])
            )
        ).scalar_one()
    assert token
    link = f"http://localhost:8000/book/cancel/{token}"
    assert link in plain
    assert f"http://localhost:8000/book/reschedule/{token}" in plain  # the same token moves it
    html_text = html.get_content()
    assert f'href="{link}"' in html_text

    # The QR code: a PNG related to the HTML part, referenced by its Content-ID.
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1
    png = images[0].get_content()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    cid = images[0]["Content-ID"].strip("<>")
    assert f"cid:{cid}" in html_text

    sms = [r.json for r in sms_gateway.to("/sms")]
    assert [s["to"] for s in sms if s["to"] == person["phone"]] == [person["phone"]]
    mine = next(s for s in sms if s["to"] == person["phone"])
    assert link in mine["text"]
    assert "10:30" in mine["text"]

    shown = (
        await client.get(f"/api/v1/appointments/{booked['id']}", headers=tenant.headers)
    ).json()
    assert shown["emailReminderSent"] is True
    assert shown["smsReminderSent"] is True

    feed = await client.get("/api/v1/changes", headers=tenant.headers, params={"limit": 100})
    events = [c for c in feed.json()["changes"] if c["type"] == "appointment.reminder"]
    assert len(events) == 1
    assert events[0]["data"]["appointment"]["id"] == booked["id"]
    assert events[0]["data"]["reminder"] == {"offsetMinutes": 1440, "channels": ["email", "sms"]}


async def test_the_email_carries_the_organizations_branding(
    client: httpx.AsyncClient,
    tenant: Tenant,
    container: Container,
    clock: TestClock,
    inbox: tuple[Inbox, int],
    reminders: ReminderWorker,
) -> None:
    owner = Principal(tenant.organization_id, None, frozenset({Scope.ADMIN.value}), 0)
    logo = b"\x89PNG\r\n\x1a\n" + b"logo" * 10
    await change_branding(
        container.services, owner, BrandingChange(accent_color="#0b5d1e", logo=logo)
    )
    person = await _client(client, tenant, 1)
    booked = await book(client, tenant, future(days=3, hour=11), clientId=person["id"])
    clock.freeze(_starts_at(booked) - timedelta(hours=23))
    await drain(reminders)
    [message] = inbox[0].to(person["email"])
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    html_text = html.get_content()
    assert "color:#0b5d1e" in html_text
    images = {p["Content-ID"].strip("<>"): p for p in message.walk() if p["Content-ID"]}
    [logo_cid] = [cid for cid, p in images.items() if p.get_content() == logo]
    assert f'<img src="cid:{logo_cid}"' in html_text


async def test_webhook_is_delivered(
    client: httpx.AsyncClient,
    tenant: Tenant,
    hooks: Hooks,
    receiver: Receiver,
    clock: TestClock,
    container: Container,
    reminders: ReminderWorker,
) -> None:
    from slotbook.bootstrap import delivery_worker

    await hooks.register(receiver.url(), ["appointment.reminder"])
    booked = await book(client, tenant, future(days=4, hour=9))
    clock.freeze(_starts_at(booked) - timedelta(hours=2))
    await drain(reminders)
    deliveries = delivery_worker(container)
    try:
        while await deliveries.run_once():
            pass
    finally:
        await deliveries.aclose()
    received = [r.json for r in receiver.requests]
    assert [r["type"] for r in received] == ["appointment.reminder"]
    assert received[0]["data"]["appointment"]["id"] == booked["id"]
    # No client on this appointment: nothing to email or text, the event still says so.
    assert received[0]["data"]["reminder"]["channels"] == []


async def test_not_for_cancelled_or_late_bookings(
    client: httpx.AsyncClient,
    tenant: Tenant,
    clock: TestClock,
    inbox: tuple[Inbox, int],
    reminders: ReminderWorker,
) -> None:
    person = await _client(client, tenant)
    cancelled = await book(client, tenant, future(days=3, hour=9), clientId=person["id"])
    response = await client.post(
        f"/api/v1/appointments/{cancelled['id']}/cancel", headers=tenant.headers, json={}
    )
    assert response.status_code == 200
    clock.freeze(_starts_at(cancelled) - timedelta(hours=1))
    await drain(reminders)
    assert inbox[0].to(person["email"]) == []

    # Booked after its reminder time (2 hours before): the client was just told.
    clock.frozen = None
    late = await book(
        client,
        tenant,
        (clock.now() + timedelta(hours=2)).replace(second=0, microsecond=0).isoformat(),
        clientId=person["id"],
    )
    clock.freeze(clock.now() + timedelta(minutes=5))
    await drain(reminders)
    assert inbox[0].to(person["email"]) == []
    shown = (await client.get(f"/api/v1/appointments/{late['id']}", headers=tenant.headers)).json()
    assert shown["emailReminderSent"] is False


async def test_offsets_setting_and_two_workers_send_once(
    client: httpx.AsyncClient,
    tenant: Tenant,
    container: Container,
    clock: TestClock,
    inbox: tuple[Inbox, int],
    sms_gateway: Receiver,
) -> None:
    url = f"/api/v1/departments/{tenant.department_id}"
    assert (await client.get(url, headers=tenant.headers)).json()["reminderOffsets"] == [1440]
    patched = await client.patch(url, headers=tenant.headers, json={"reminderOffsets": [60, 1440]})
    assert patched.status_code == 200, patched.text
    assert patched.json()["reminderOffsets"] == [1440, 60]
    for bad in ([0], [True], [60] * 6, [10**6], "60"):
        refused = await client.patch(url, headers=tenant.headers, json={"reminderOffsets": bad})
        assert refused.status_code == 400, (bad, refused.text)

    people = [await _client(client, tenant, n) for n in range(8)]
    booked = [
        await book(
            client, tenant, future(days=3, hour=8 + n // 4, minute=15 * (n % 4)), clientId=p["id"]
        )
        for n, p in enumerate(people)
    ]
    starts = sorted(_starts_at(b) for b in booked)
    mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=inbox[1], starttls=False))
    sms = HttpSmsSender(sms_gateway.url("/sms"))
    workers = [reminder_worker(container, mailer, sms) for _ in range(2)]

    for moment in (timedelta(hours=23), timedelta(minutes=50)):  # each offset in turn
        for start in starts:
            clock.freeze(start - moment)
            await drain(*workers)
    for person in people:
        assert len(inbox[0].to(person["email"])) == 2, person["email"]
    feed = await client.get("/api/v1/changes", headers=tenant.headers, params={"limit": 200})
    offsets = sorted(
        c["data"]["reminder"]["offsetMinutes"]
        for c in feed.json()["changes"]
        if c["type"] == "appointment.reminder"
    )
    assert offsets == [60] * 8 + [1440] * 8

    # An empty list turns reminders off.
    off = await client.patch(url, headers=tenant.headers, json={"reminderOffsets": []})
    assert off.json()["reminderOffsets"] == []


class RefusingMailer:
    """An SMTP server that refuses every message."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    async def send_reminder(self, to: str, notice: object) -> None:
        self.attempts.append(to)
        raise ConnectionRefusedError("SMTP server down")


async def test_a_failed_email_is_not_retried_and_shows(
    client: httpx.AsyncClient, tenant: Tenant, container: Container, clock: TestClock
) -> None:
    """At most once: the reminder was recorded (and published) before sending, so a refused
    email is not sent again; emailReminderSent stays false to show it."""
    person = await _client(client, tenant)
    booked = await book(client, tenant, future(days=3, hour=15), clientId=person["id"])
    mailer = RefusingMailer()
    worker = reminder_worker(container, mailer)  # type: ignore[arg-type]
    clock.freeze(_starts_at(booked) - timedelta(hours=3))
    await drain(worker)
    await drain(worker)
    assert mailer.attempts.count(person["email"]) == 1  # tried once, never again
    shown = (
        await client.get(f"/api/v1/appointments/{booked['id']}", headers=tenant.headers)
    ).json()
    assert shown["emailReminderSent"] is False
    feed = await client.get("/api/v1/changes", headers=tenant.headers, params={"limit": 100})
    events = [c for c in feed.json()["changes"] if c["type"] == "appointment.reminder"]
    assert len(events) == 1
    assert events[0]["data"]["reminder"]["channels"] == ["email"]

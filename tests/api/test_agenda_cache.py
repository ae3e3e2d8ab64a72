"""Each process caches the departments' agendas and the webhook endpoints; a change made
through another process (here: another app with its own engine and caches, on the same
database) is seen by its next booking."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from slotbook.api.app import create_app
from slotbook.bootstrap import build
from slotbook.config import Settings
from tests.scheduling_support import add_worker, book, set_worker_hours
from tests.support import Hooks, Tenant, future


@pytest.fixture
async def other_process(test_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    container = build(test_settings)
    transport = httpx.ASGITransport(app=create_app(container=container))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://other") as http:
            yield http
    finally:
        await container.aclose()


async def test_changed_hours_reach_the_next_booking_of_another_process(
    client: httpx.AsyncClient, other_process: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id, "09:00", "17:00")
    # The other process books, so it now holds the department's agenda.
    assert (
        await book(other_process, tenant, tenant.department_id, future(10, 9))
    ).status_code == 201
    await set_worker_hours(client, tenant, tenant.worker_id, "09:00", "10:00")
    refused = await book(other_process, tenant, tenant.department_id, future(10, 14))
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "SLOT_UNAVAILABLE"


async def test_closures_time_off_and_new_workers_reach_another_process(
    client: httpx.AsyncClient, other_process: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    day, other = future(12)[:10], future(13)[:10]
    for when in (f"{day}T09:00:00", f"{other}T09:00:00"):
        assert (await book(other_process, tenant, tenant.department_id, when)).status_code == 201
    r = await client.post(
        f"/api/v1/departments/{tenant.department_id}/closures",
        headers=tenant.headers,
        json={"date": day, "reason": "Holiday"},
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        f"/api/v1/workers/{tenant.worker_id}/exceptions",
        headers=tenant.headers,
        json={"kind": "TIME_OFF", "startsAt": f"{other}T09:00:00", "endsAt": f"{other}T18:00:00"},
    )
    assert r.status_code == 201, r.text
    for when, reason in ((f"{day}T11:00:00", "CLOSED"), (f"{other}T11:00:00", "TIME_OFF")):
        refused = await book(other_process, tenant, tenant.department_id, when)
        assert refused.status_code == 409, refused.text
        assert refused.json()["details"][0]["reason"] == reason
    # A worker added by the first process is assigned by the other one.
    second = await add_worker(client, tenant, tenant.department_id)
    await set_worker_hours(client, tenant, second)
    when = future(14, 10)
    workers = set()
    for _ in range(2):
        booked = await book(other_process, tenant, tenant.department_id, when)
        assert booked.status_code == 201, booked.text
        workers.add(booked.json()["workerId"])
    assert workers == {tenant.worker_id, second}


async def test_a_changed_appointment_type_reaches_another_process(
    client: httpx.AsyncClient, other_process: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    r = await client.post(
        "/api/v1/appointment-types",
        headers=tenant.headers,
        json={"name": "Visit", "durationMinutes": 30},
    )
    assert r.status_code == 201, r.text
    type_id = r.json()["id"]
    first = await book(
        other_process, tenant, tenant.department_id, future(15, 9), appointmentTypeId=type_id
    )
    assert first.json()["endTime"][11:16] == "09:30", first.text
    r = await client.patch(
        f"/api/v1/appointment-types/{type_id}",
        headers=tenant.headers,
        json={"durationMinutes": 60},
    )
    assert r.status_code == 200, r.text
    second = await book(
        other_process, tenant, tenant.department_id, future(15, 11), appointmentTypeId=type_id
    )
    assert second.json()["endTime"][11:16] == "12:00", second.text


async def test_webhook_changes_reach_the_next_booking_of_another_process(
    client: httpx.AsyncClient, other_process: httpx.AsyncClient, tenant: Tenant, hooks: Hooks
) -> None:
    other = Hooks(other_process, tenant)
    # The other process books before any endpoint exists: it keeps "no endpoints".
    await other.book(days=20)
    first = await hooks.register("http://127.0.0.1:9999/first", ["appointment.created"])
    booked = await other.book(days=21)
    assert [d["eventType"] for d in await hooks.deliveries(first["id"])] == ["appointment.created"]
    # Subscribed to other events only, then switched off, then deleted: no more deliveries.
    second = await hooks.register("http://127.0.0.1:9999/second", ["appointment.cancelled"])
    await other.book(days=22)
    assert await hooks.deliveries(second["id"]) == []
    cancelled = await other_process.delete(
        f"/api/v1/appointments/{booked['id']}", headers=tenant.headers
    )
    assert cancelled.status_code in (200, 204), cancelled.text
    assert [d["eventType"] for d in await hooks.deliveries(second["id"])] == [
        "appointment.cancelled"
    ]
    switched = await client.patch(
        f"/api/v1/webhooks/{first['id']}", headers=tenant.headers, json={"active": False}
    )
    assert switched.status_code == 200, switched.text
    await other.book(days=23)
    assert len(await hooks.deliveries(first["id"])) == 2  # the bookings of days 21 and 22
    deleted = await client.delete(f"/api/v1/webhooks/{second['id']}", headers=tenant.headers)
    assert deleted.status_code == 204
    await other.book(days=24)  # the deleted endpoint's deliveries are not written
    third = await hooks.register("http://127.0.0.1:9999/third", ["appointment.created"])
    await other.book(days=25)
    assert len(await hooks.deliveries(third["id"])) == 1

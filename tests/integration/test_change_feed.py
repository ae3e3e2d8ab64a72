"""The change feed: commit order, nothing skipped or repeated while writes go on."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from slotbook.bootstrap import Container
from tests.scheduling_support import add_type, book, set_worker_hours
from tests.support import Tenant, future, make_tenant


async def _read(
    client: httpx.AsyncClient, tenant: Tenant, after: str, limit: int = 7
) -> tuple[list[dict[str, Any]], str, bool]:
    response = await client.get(
        "/api/v1/changes", headers=tenant.headers, params={"after": after, "limit": limit}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return body["changes"], body["cursor"], body["hasMore"]


async def test_feed_pages_in_order(client: httpx.AsyncClient, tenant: Tenant) -> None:
    booked = []
    for n in range(3):
        response = await client.post(
            "/api/v1/appointments",
            headers=tenant.headers,
            json={"departmentId": tenant.department_id, "dateTime": future(n + 1), "name": "A"},
        )
        booked.append(response.json())
    await client.delete(f"/api/v1/appointments/{booked[0]['id']}", headers=tenant.headers)
    first, cursor, more = await _read(client, tenant, "0", limit=2)
    assert more
    rest, cursor, more = await _read(client, tenant, cursor, limit=10)
    assert not more
    events = first + rest
    assert [e["type"] for e in events] == ["appointment.created"] * 3 + ["appointment.cancelled"]
    assert [e["data"]["appointment"]["id"] for e in events] == [
        *(b["id"] for b in booked),
        booked[0]["id"],
    ]
    empty, same, _ = await _read(client, tenant, cursor)
    assert empty == []
    assert same == cursor


async def test_polling_during_concurrent_writes_sees_every_commit_once(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    other = await make_tenant(container.services)
    done = asyncio.Event()
    booked: list[int] = []

    async def writer(who: Tenant, n: int) -> None:
        for i in range(12):
            response = await client.post(
                "/api/v1/appointments",
                headers=who.headers,
                json={
                    "departmentId": who.department_id,
                    "dateTime": future(1 + (n * 12 + i) % 300, hour=8 + i % 8),
                    "name": f"Writer {n}",
                },
            )
            assert response.status_code == 201, response.text
            if who is tenant:
                booked.append(response.json()["id"])
                if i % 3 == 0:
                    await client.delete(f"/api/v1/appointments/{booked[-1]}", headers=who.headers)

    seen: list[dict[str, Any]] = []

    async def poller() -> None:
        cursor = "0"
        while True:
            finished = done.is_set()
            page, cursor, more = await _read(client, tenant, cursor, limit=5)
            seen.extend(page)
            if finished and not more and not page:
                return
            await asyncio.sleep(0)

    polling = asyncio.create_task(poller())
    await asyncio.gather(*(writer(tenant, n) for n in range(6)), writer(other, 99))
    done.set()
    await polling

    ids = [e["id"] for e in seen]
    assert len(ids) == len(set(ids)), "an event was repeated"
    full, _, _ = await _read(client, tenant, "0", limit=1000)
    assert ids == [e["id"] for e in full], "the poller skipped or reordered events"
    created = [e["data"]["appointment"]["id"] for e in seen if e["type"] == "appointment.created"]
    assert sorted(created) == sorted(booked)
    cancelled = [e for e in seen if e["type"] == "appointment.cancelled"]
    assert len(cancelled) == 6 * 4  # each writer cancelled its 1st, 4th, 7th and 10th


async def test_events_carry_the_appointment_as_the_api_shows_it_through_a_reschedule(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    type_id = await add_type(client, tenant, durationMinutes=45)
    booked = await book(
        client, tenant, tenant.department_id, future(6, 10), appointmentTypeId=type_id
    )
    assert booked.status_code == 201, booked.text
    appointment_id = booked.json()["id"]
    refused = await client.patch(
        f"/api/v1/appointments/{appointment_id}",
        headers=tenant.headers,
        json={"dateTime": future(6, 20)},  # outside the worker's hours: nothing is emitted
    )
    assert refused.status_code == 409, refused.text
    moved = await client.patch(
        f"/api/v1/appointments/{appointment_id}",
        headers=tenant.headers,
        json={"dateTime": future(6, 14)},
    )
    assert moved.status_code == 200, moved.text
    cancelled = await client.delete(
        f"/api/v1/appointments/{appointment_id}", headers=tenant.headers
    )
    assert cancelled.status_code == 200, cancelled.text

    events, _, _ = await _read(client, tenant, "0", limit=10)
    assert [e["type"] for e in events] == [
        "appointment.created",
        "appointment.rescheduled",
        "appointment.cancelled",
    ]
    documents = [e["data"]["appointment"] for e in events]
    assert documents == [booked.json(), moved.json(), cancelled.json()]
    assert documents[1]["endTime"] == future(6, 14, 45)
    assert documents[1]["appointmentTypeId"] == type_id
    assert documents[1]["workerId"] == tenant.worker_id
    current = await client.get(f"/api/v1/appointments/{appointment_id}", headers=tenant.headers)
    assert current.json() == documents[2]

"""Concurrent bookings of one slot: the database serialises them, nothing is sold twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from slotbook.api.app import create_app
from slotbook.bootstrap import build
from slotbook.config import Settings
from tests.scheduling_support import add_type, book, set_department, set_worker_hours
from tests.support import Tenant, future


@pytest.fixture
async def racers(test_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client on its own app whose pool holds at most 40 connections: the PostgreSQL server
    is shared, so the 100 requests run concurrently but queue for connections."""
    container = build(test_settings.model_copy(update={"db_pool_size": 20}))
    transport = httpx.ASGITransport(app=create_app(container=container))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await container.aclose()


async def _credits(client: httpx.AsyncClient, tenant: Tenant) -> int:
    r = await client.get("/api/v1/credits", headers=tenant.headers)
    return int(r.json()["balance"])


async def _race(
    client: httpx.AsyncClient, tenant: Tenant, department: int, n: int, **fields: object
) -> list[int]:
    when = future(8, 10)
    responses = await asyncio.gather(
        *(book(client, tenant, department, when, **fields) for _ in range(n))
    )
    return [r.status_code for r in responses]


async def test_one_worker_slot_is_sold_once(
    racers: httpx.AsyncClient, tenant: Tenant, backend: str
) -> None:
    client = racers
    if backend != "postgresql":
        pytest.skip("the 100-client race runs on PostgreSQL; SQLite serialises writers")
    await set_worker_hours(client, tenant, tenant.worker_id)
    statuses = await _race(client, tenant, tenant.department_id, 100, workerId=tenant.worker_id)
    assert statuses.count(201) == 1
    assert statuses.count(409) == 99
    assert await _credits(client, tenant) == 100 - 1


async def test_a_group_session_takes_exactly_its_capacity(
    racers: httpx.AsyncClient, tenant: Tenant, backend: str
) -> None:
    client = racers
    if backend != "postgresql":
        pytest.skip("the 100-client race runs on PostgreSQL; SQLite serialises writers")
    await set_worker_hours(client, tenant, tenant.worker_id)
    group = await add_type(client, tenant, name="Workshop", durationMinutes=60, capacity=4)
    statuses = await _race(client, tenant, tenant.department_id, 100, appointmentTypeId=group)
    assert statuses.count(201) == 4
    assert statuses.count(409) == 96
    assert await _credits(client, tenant) == 100 - 4


async def test_department_counters_take_exactly_their_capacity(
    racers: httpx.AsyncClient, tenant: Tenant
) -> None:
    client = racers
    r = await client.post(
        "/api/v1/departments", headers=tenant.headers, json={"name": "Counters", "slotCapacity": 4}
    )
    department = r.json()["id"]
    r = await client.put(
        f"/api/v1/departments/{department}/hours",
        headers=tenant.headers,
        json={
            "ranges": [
                {"weekday": d, "start": "08:00", "end": "18:00"}
                for d in (
                    "MONDAY",
                    "TUESDAY",
                    "WEDNESDAY",
                    "THURSDAY",
                    "FRIDAY",
                    "SATURDAY",
                    "SUNDAY",
                )
            ]
        },
    )
    assert r.status_code == 200
    await set_department(client, tenant, department, slotIntervalMinutes=15)
    statuses = await _race(client, tenant, department, 30)
    assert statuses.count(201) == 4
    assert statuses.count(409) == 26
    assert await _credits(client, tenant) == 100 - 4


async def _open_desk(client: httpx.AsyncClient, tenant: Tenant, **fields: object) -> int:
    """A department without workers that takes any time (always open): no slot check and no
    database overlap guard, so only the client lock keeps one client's rules."""
    r = await client.post(
        "/api/v1/departments",
        headers=tenant.headers,
        json={"name": "Desk", "alwaysOpen": True, **fields},
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def test_one_client_keeps_max_upcoming_under_concurrency(
    racers: httpx.AsyncClient, tenant: Tenant, backend: str
) -> None:
    client = racers
    if backend != "postgresql":
        pytest.skip("the concurrent-client race runs on PostgreSQL; SQLite serialises writers")
    desk = await _open_desk(client, tenant, bookingPolicy={"maxUpcomingPerClient": 3})
    responses = await asyncio.gather(
        *(book(client, tenant, desk, future(8 + i, 10), externalUserId="racer") for i in range(20))
    )
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 3
    assert statuses.count(422) == 17
    assert {r.json()["code"] for r in responses if r.status_code == 422} == {"MAX_UPCOMING_REACHED"}
    assert await _credits(client, tenant) == 100 - 3


async def test_one_client_is_never_booked_twice_at_one_time(
    racers: httpx.AsyncClient, tenant: Tenant, backend: str
) -> None:
    client = racers
    if backend != "postgresql":
        pytest.skip("the concurrent-client race runs on PostgreSQL; SQLite serialises writers")
    desk = await _open_desk(client, tenant)
    statuses = await _race(client, tenant, desk, 20, externalUserId="twin")
    assert statuses.count(201) == 1
    assert statuses.count(409) == 19
    assert await _credits(client, tenant) == 100 - 1

"""The waitlist under concurrency: each freed time is offered exactly once, an accept and the
expiry (or staff) never both win, a held time is never double booked, credits stay exact."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from slotbook.api.app import create_app
from slotbook.application.waitlist import sweep_waitlist
from slotbook.bootstrap import Container, build
from slotbook.config import Settings
from tests.scheduling_support import set_worker_hours
from tests.support import Tenant, balance, future
from tests.waitlist_support import booked, join, offered


@pytest.fixture
async def racers(test_settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Container]]:
    """A client on its own app and pool (the real clock), as tests/api/test_booking_races.py."""
    container = build(test_settings.model_copy(update={"db_pool_size": 20}))
    transport = httpx.ASGITransport(app=create_app(container=container))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http, container
    await container.aclose()


class At:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


async def _entries(client: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in itertools.count():
        r = await client.get(
            "/api/v1/waitlist",
            headers=tenant.headers,
            params={"departmentId": tenant.department_id, "size": 100, "page": page},
        )
        assert r.status_code == 200, r.text
        found += r.json()["entries"]
        if r.json()["isLast"]:
            return found


async def _active_at(client: httpx.AsyncClient, tenant: Tenant, when: str) -> int:
    r = await client.get(
        "/api/v1/appointments",
        headers=tenant.headers,
        params={"startDate": when, "endDate": when, "departmentId": tenant.department_id},
    )
    assert r.status_code == 200, r.text
    return sum(
        1
        for a in r.json()["appointments"]
        if a["dateTime"] == when and a["status"] in ("SCHEDULED", "CONFIRMED")
    )


async def test_twenty_freed_times_go_to_twenty_entries_exactly_once(
    racers: tuple[httpx.AsyncClient, Container], tenant: Tenant
) -> None:
    client, _ = racers
    await set_worker_hours(client, tenant, tenant.worker_id, "08:00", "20:00")
    times = [future(5 + d, hour) for d in range(4) for hour in (9, 10, 11, 14, 15)]
    taken = [(await booked(client, tenant, when))["id"] for when in times]
    entries = [(await join(client, tenant))["id"] for _ in range(50)]
    start = await balance(client, tenant)

    responses = await asyncio.gather(
        *(client.post(f"/api/v1/appointments/{a}/cancel", headers=tenant.headers) for a in taken)
    )
    assert [r.status_code for r in responses] == [200] * 20

    listed = await _entries(client, tenant)
    offered = [e for e in listed if e["status"] == "OFFERED"]
    assert len(offered) == 20
    # Each freed time went to exactly one entry, and no entry holds two.
    assert sorted(e["offer"]["dateTime"] for e in offered) == sorted(times)
    assert len({e["id"] for e in offered}) == 20
    # First come, first served: the first twenty who joined.
    assert {e["id"] for e in offered} == set(entries[:20])
    assert [e["status"] for e in listed].count("WAITING") == 30
    assert await balance(client, tenant) == start + 20  # refunds; offers cost nothing


async def test_a_held_time_is_never_double_booked(
    racers: tuple[httpx.AsyncClient, Container], tenant: Tenant
) -> None:
    client, _ = racers
    await set_worker_hours(client, tenant, tenant.worker_id, "08:00", "20:00")
    when = future(6, 10)
    waiting = (await offered(client, tenant, when))["id"]
    start = await balance(client, tenant)

    attempts = [
        client.post(
            "/api/v1/appointments",
            headers=tenant.headers,
            json={"departmentId": tenant.department_id, "dateTime": when, "name": f"Rival {i}"},
        )
        for i in range(15)
    ]
    accept = client.post(f"/api/v1/waitlist/{waiting}/accept", headers=tenant.headers)
    *rivals, accepted = await asyncio.gather(*attempts, accept)
    assert accepted.status_code == 201, accepted.text
    assert [r.status_code for r in rivals] == [409] * 15
    assert {r.json()["code"] for r in rivals} == {"SLOT_UNAVAILABLE"}
    assert await _active_at(client, tenant, when) == 1
    assert await balance(client, tenant) == start - 1


async def test_an_accept_racing_the_expiry_books_or_is_told_expired_never_both(
    racers: tuple[httpx.AsyncClient, Container], tenant: Tenant
) -> None:
    client, container = racers
    await set_worker_hours(client, tenant, tenant.worker_id, "08:00", "20:00")
    outcomes = set()
    for hour in range(9, 15):
        when = future(7, hour)
        held = await offered(client, tenant, when)
        waiting, offer = held["id"], held["offer"]
        expires = datetime.fromisoformat(offer["expiresAt"].replace("Z", "+00:00"))
        # The sweep lives at the expiry; the accept is made just before it, at once.
        sweeper = replace(container.services, clock=At(expires + timedelta(seconds=1)))
        start = await balance(client, tenant)
        accepted, _ = await asyncio.gather(
            client.post(f"/api/v1/waitlist/{waiting}/accept", headers=tenant.headers),
            sweep_waitlist(sweeper),
        )
        after = (await client.get(f"/api/v1/waitlist/{waiting}", headers=tenant.headers)).json()
        if accepted.status_code == 201:
            assert after["status"] == "BOOKED"
            assert await _active_at(client, tenant, when) == 1
            assert await balance(client, tenant) == start - 1
        else:
            assert accepted.status_code == 409, accepted.text
            assert accepted.json()["code"] == "OFFER_EXPIRED"
            assert after["status"] in ("WAITING", "OFFERED")
            assert after["offer"] is None or after["offer"]["dateTime"] != when
            assert await _active_at(client, tenant, when) == 0
            assert await balance(client, tenant) == start
        outcomes.add(accepted.status_code)
        # Leave nothing waiting for the next round's time.
        for e in await _entries(client, tenant):
            if e["status"] in ("WAITING", "OFFERED"):
                await client.delete(f"/api/v1/waitlist/{e['id']}", headers=tenant.headers)
    assert outcomes <= {201, 409}


async def test_an_accept_racing_staff_withdrawing_the_entry_has_one_outcome(
    racers: tuple[httpx.AsyncClient, Container], tenant: Tenant
) -> None:
    client, _ = racers
    await set_worker_hours(client, tenant, tenant.worker_id, "08:00", "20:00")
    for hour in range(9, 13):
        when = future(8, hour)
        waiting = (await offered(client, tenant, when))["id"]
        start = await balance(client, tenant)
        accepted, withdrawn = await asyncio.gather(
            client.post(f"/api/v1/waitlist/{waiting}/accept", headers=tenant.headers),
            client.delete(f"/api/v1/waitlist/{waiting}", headers=tenant.headers),
        )
        assert withdrawn.status_code == 200, withdrawn.text
        if accepted.status_code == 201:
            assert withdrawn.json()["status"] == "BOOKED"  # the leave came too late: no-op
            assert await _active_at(client, tenant, when) == 1
            assert await balance(client, tenant) == start - 1
        else:
            assert accepted.status_code == 409, accepted.text
            assert accepted.json()["code"] == "OFFER_EXPIRED"
            assert withdrawn.json()["status"] == "LEFT"
            assert await _active_at(client, tenant, when) == 0
            assert await balance(client, tenant) == start
            await booked(client, tenant, when)  # released for everyone

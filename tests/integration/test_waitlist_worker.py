"""The processes that pass lapsed waitlist offers on: `slotbook worker` does it within 60 s of
their expiry, and `slotbook sweep` killed mid-pass loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from slotbook.application.waitlist import sweep_waitlist
from slotbook.bootstrap import Container
from tests.scheduling_support import set_worker_hours
from tests.support import Tenant, TestClock, future
from tests.waitlist_support import booked, cancel, events, join


async def _lapsed_offers(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock, times: int, waiting: int
) -> list[int]:
    """`waiting` entries, and `times` freed times offered to the first of them an hour ago
    (so their offers lapsed half an hour ago, in real time)."""
    await set_worker_hours(client, tenant, tenant.worker_id, "07:00", "21:00")
    whens = [future(3 + i // 10, 8 + i % 10) for i in range(times)]
    taken = [(await booked(client, tenant, when))["id"] for when in whens]
    entries = [(await join(client, tenant))["id"] for _ in range(waiting)]
    clock.freeze(datetime.now(UTC) - timedelta(hours=1))
    for appointment in taken:
        await cancel(client, tenant, appointment)
    clock.frozen = None
    return entries


async def _entries(client: httpx.AsyncClient, tenant: Tenant) -> dict[int, dict[str, Any]]:
    r = await client.get(
        "/api/v1/waitlist",
        headers=tenant.headers,
        params={"departmentId": tenant.department_id, "size": 100},
    )
    return {e["id"]: e for e in r.json()["entries"]}


def _process(database_url: str, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SLOTBOOK_DATABASE_URL": database_url}
    return subprocess.Popen(
        [sys.executable, "-c", "from slotbook.cli.main import main; main()", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _passed_on(client: httpx.AsyncClient, tenant: Tenant, first: list[int]) -> None:
    """Every offer made to `first` lapsed exactly once, and its time went to exactly one other
    entry (which may be one of `first` again: a lapsed entry keeps its place in line)."""
    entries = await _entries(client, tenant)
    holders = {e["offer"]["dateTime"]: e["id"] for e in entries.values() if e["offer"]}
    offered = [e["offer"]["dateTime"] for e in entries.values() if e["offer"]]
    assert len(offered) == len(set(offered)) == len(first)
    expired = await events(client, tenant, "waitlist.expired")
    assert sorted(c["data"]["waitlistEntry"]["id"] for c in expired) == sorted(first)
    for change in expired:
        time = change["data"]["offer"]["dateTime"]
        assert holders[time] != change["data"]["waitlistEntry"]["id"]
    assert len(await events(client, tenant, "waitlist.offered")) == 2 * len(first)


async def test_the_worker_passes_lapsed_offers_on_within_a_minute(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock, database_url: str
) -> None:
    entries = await _lapsed_offers(client, tenant, clock, times=3, waiting=6)
    worker = _process(database_url, "worker")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(await events(client, tenant, "waitlist.expired")) == 3:
                break
            await asyncio.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    await _passed_on(client, tenant, entries[:3])


async def test_a_sweep_killed_mid_pass_loses_no_offer(
    client: httpx.AsyncClient,
    tenant: Tenant,
    clock: TestClock,
    database_url: str,
    container: Container,
) -> None:
    entries = await _lapsed_offers(client, tenant, clock, times=30, waiting=60)
    sweep = _process(database_url, "sweep")
    try:
        # Killed as soon as it has passed the first offer on (or whenever it stops).
        while sweep.poll() is None:
            if await events(client, tenant, "waitlist.expired"):
                break
            await asyncio.sleep(0.01)
    finally:
        sweep.send_signal(signal.SIGKILL)
        sweep.wait(timeout=30)
    await sweep_waitlist(container.services)  # the next pass takes up what is still due
    await _passed_on(client, tenant, entries[:30])

"""Free-slot query speed: 50 workers, 10,000 appointments, 31 days; and how it grows.

    .venv/bin/python -m benchmarks.availability [--database-url URL] [--calls 200]

Builds a fresh database (SQLite in a temporary directory by default), a department of 50
workers with varied hours in Europe/Paris (the window includes the March DST change) and
10,000 existing appointments, then times GET /appointments/available-slots over 31 days through
HTTP (in-process ASGI client, real database) and the domain function alone (p50, p99). Then the
domain function alone for 10/50/200 workers x 1k/10k/100k appointments, with the time per unit
of work (workers x days + appointments) to show the growth is linear.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import insert

from benchmarks.databases import fresh_database
from slotbook.api.app import create_app
from slotbook.application import scheduling
from slotbook.application.access import Principal
from slotbook.application.organizations import create_api_key, create_organization
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.domain.schedules import (
    Booking,
    DailyRange,
    Demand,
    DepartmentSchedule,
    ResourceSchedule,
)
from slotbook.domain.slots import find_free_slots
from slotbook.infra.clock import FixedClock
from slotbook.infra.db.migrate import upgrade
from slotbook.infra.db.tables import appointment

TZ = "Europe/Paris"
NOW = datetime(2027, 2, 28, 12, 0, tzinfo=UTC)
FIRST_DAY = date(2027, 3, 1)
DAYS = 31
APPOINTMENT_MINUTES = 30


def hours_of(index: int) -> list[DailyRange]:
    """Varied weekly hours: four shift patterns, some with Saturdays, two ranges a day."""
    shift = index % 4
    days = range(6) if index % 3 == 0 else range(5)
    morning = (7 * 60 + shift * 30, 12 * 60 + shift * 15)
    afternoon = (13 * 60 + shift * 15, 16 * 60 + shift * 45)
    return [DailyRange(d, *span) for d in days for span in (morning, afternoon)]


def working_starts(index: int, tz: ZoneInfo) -> list[datetime]:
    """Every 30-minute start inside the worker's hours over the window (UTC)."""
    starts = []
    for n in range(DAYS):
        day = FIRST_DAY + timedelta(days=n)
        for r in hours_of(index):
            if r.weekday != day.weekday():
                continue
            minute = r.start_minute
            while minute + APPOINTMENT_MINUTES <= r.end_minute:
                local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
                starts.append(local.replace(tzinfo=tz).astimezone(UTC))
                minute += APPOINTMENT_MINUTES
    return starts


def spread(workers: int, appointments: int, rng: random.Random) -> list[tuple[int, datetime]]:
    """`appointments` (worker index, start) pairs, never two on one worker's slot."""
    tz = ZoneInfo(TZ)
    pool = [(w, s) for w in range(workers) for s in working_starts(w, tz)]
    if appointments > len(pool):
        raise SystemExit(f"{appointments} appointments do not fit in {len(pool)} free slots")
    return rng.sample(pool, appointments)


@dataclass
class Timings:
    p50: float
    p99: float


def percentiles(samples: list[float]) -> Timings:
    ordered = sorted(samples)
    return Timings(
        statistics.median(ordered) * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    )


async def build_department(url: str, workers: int, appointments: int) -> tuple[Settings, int, str]:
    settings = Settings(database_url=url, anonymous_rate_limit=10**9, db_pool_size=5)
    container = build(settings, clock=FixedClock(NOW))
    services = container.services
    organization = await create_organization(services, "Benchmark", 0, TZ)
    issued = await create_api_key(
        services, organization.id, rate_limit_per_hour=10**9, name="bench"
    )
    admin = Principal(organization.id, issued.stored.id, issued.stored.scopes, 10**9)
    detail = await scheduling.create_department(
        services, admin, {"name": "Benchmark department", "slot_interval_minutes": 15}
    )
    department = detail.department.id
    worker_ids = []
    for index in range(workers):
        worker, _ = await scheduling.save_worker(services, admin, f"Worker {index}", [department])
        worker_ids.append(worker.id)
        await scheduling.set_hours(
            services, admin, hours_of(index), worker_id=worker.id, department_id=None
        )
    rows = []
    for n, (index, start) in enumerate(spread(workers, appointments, random.Random(7))):
        end = start + timedelta(minutes=APPOINTMENT_MINUTES)
        rows.append(
            {
                "organization_id": organization.id,
                "department_id": department,
                "worker_id": worker_ids[index],
                "name": f"Client {n}",
                "starts_at": start,
                "ends_at": end,
                "blocked_from": start,
                "blocked_until": end,
                "status": "SCHEDULED",
                "qr_token": f"bench-{n}",
                "session_key": f"bench-{n}",
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
    async with container.engine.begin() as conn:
        for chunk in range(0, len(rows), 2000):
            await conn.execute(insert(appointment), rows[chunk : chunk + 2000])
    await container.aclose()
    return settings, department, issued.key


async def time_http(settings: Settings, department: int, key: str, calls: int) -> Timings:
    container = build(settings, clock=FixedClock(NOW))
    app = create_app(container=container)
    transport = httpx.ASGITransport(app=app)
    params: dict[str, str | int] = {
        "departmentId": department,
        "startDate": FIRST_DAY.isoformat(),
        "endDate": (FIRST_DAY + timedelta(days=DAYS - 1)).isoformat(),
    }
    samples = []
    # The app's startup as a server runs it (the ASGI transport does not): it freezes the
    # startup heap (slotbook.api.app.tune_garbage_collector); its end closes the container.
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):
        for n in range(calls + 5):
            began = time.perf_counter()
            r = await client.get(
                "/api/v1/appointments/available-slots", params=params, headers={"X-API-Key": key}
            )
            elapsed = time.perf_counter() - began
            assert r.status_code == 200, r.text
            if n >= 5:  # warm-up
                samples.append(elapsed)
        slots = len(r.json()["slots"])
    print(f"  HTTP response: {slots} slots, {len(r.content) / 1024:.0f} KiB")
    return percentiles(samples)


def synthetic(workers: int, appointments: int) -> DepartmentSchedule:
    """A schedule for the domain function alone (bookings may overlap: only cost matters)."""
    rng = random.Random(workers * 7 + appointments)
    tz = ZoneInfo(TZ)
    start = datetime.combine(FIRST_DAY, datetime.min.time(), tz).astimezone(UTC)
    bookings = []
    for n in range(appointments):
        at = start + timedelta(minutes=15 * rng.randrange(DAYS * 96))
        end = at + timedelta(minutes=APPOINTMENT_MINUTES)
        bookings.append(Booking(n, rng.randrange(workers) + 1, at, end, at, end))
    resources = tuple(ResourceSchedule(w + 1, tuple(hours_of(w))) for w in range(workers))
    return DepartmentSchedule(TZ, 15, resources, bookings=tuple(bookings))


def time_domain(schedule: DepartmentSchedule, calls: int) -> Timings:
    tz = ZoneInfo(TZ)
    since = datetime.combine(FIRST_DAY, datetime.min.time(), tz).astimezone(UTC)
    until = since + timedelta(days=DAYS)
    demand = Demand(APPOINTMENT_MINUTES)
    samples = []
    for _ in range(calls):
        began = time.perf_counter()
        find_free_slots(schedule, demand, since, until)
        samples.append(time.perf_counter() - began)
    return percentiles(samples)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (a fresh database is made there and dropped); "
        "default: a temporary SQLite file",
    )
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.database_url:
            url = stack.enter_context(fresh_database(args.database_url))
        else:
            url = f"sqlite:///{Path(stack.enter_context(tempfile.TemporaryDirectory())) / 'b.db'}"
        upgrade(url)
        print(f"Building 50 workers, 10,000 appointments over {DAYS} days on {url.split(':')[0]}")
        settings, department, key = await build_department(url, 50, 10_000)
        http = await time_http(settings, department, key, args.calls)
        domain = time_domain(synthetic(50, 10_000), args.calls)
        print("\n| 50 workers x 31 days x 10k appointments | p50 (ms) | p99 (ms) |")
        print("|---|---:|---:|")
        print(f"| through HTTP (GET available-slots) | {http.p50:.1f} | {http.p99:.1f} |")
        print(f"| domain function alone (find_free_slots) | {domain.p50:.1f} | {domain.p99:.1f} |")
    print("\nGrowth, domain function alone, 31 days (p50 of 20 calls):\n")
    print("| workers | appointments | p50 (ms) | us per unit (workers x days + appointments) |")
    print("|---:|---:|---:|---:|")
    for workers in (10, 50, 200):
        for appointments in (1_000, 10_000, 100_000):
            timing = time_domain(synthetic(workers, appointments), 20)
            units = workers * DAYS + appointments
            print(
                f"| {workers} | {appointments:,} | {timing.p50:.1f} | "
                f"{timing.p50 * 1000 / units:.2f} |"
            )


if __name__ == "__main__":
    asyncio.run(main())

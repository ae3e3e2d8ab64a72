"""The dashboard's calendar, appointment page and check-in desk: p50 and p99 latency.

    .venv/bin/python -m benchmarks.dashboard_calendar [--appointments 300] [--runs 30] \
        [--grid-workers 50] [--grid-appointments 2000] \
        [--database-url postgresql://postgres@127.0.0.1:5432/test]

The time grid: a second department with `--grid-workers` workers (08:00-20:00 every day) gets
`--grid-appointments` appointments in one week, spread over its workers and booked through the
booking use case; the grid's data for that week (/dashboard/calendar/grid: columns, working
hours, appointments) and the calendar page around it are timed; that is the server's part of
drawing the week (the browser draws the grid from that JSON).

Books `--appointments` appointments in one week of a department open around the clock (one
every 30 minutes, through the booking use case), logs a staff user in, then requests each
page through the whole app in process (session, use cases, SQL, template). Without
--database-url it runs on a scratch SQLite file; with one, on a scratch PostgreSQL database
created next to it and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from benchmarks.databases import fresh_database
from slotbook.api.app import create_app
from slotbook.application import scheduling
from slotbook.application.access import ALL_SCOPES, Principal
from slotbook.application.booking import BookingRequest, create_appointment
from slotbook.application.organizations import (
    create_department,
    create_organization,
    create_worker,
)
from slotbook.application.ports import Services
from slotbook.application.users import create_user
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.domain.schedules import DailyRange
from slotbook.domain.users import Role
from slotbook.infra.db.migrate import upgrade

EMAIL = "desk@bench.example.org"
PASSWORD = "bench password 1"  # noqa: S105 - a scratch database, dropped afterwards


GRID_OPEN, GRID_CLOSE = 8 * 60, 20 * 60  # the grid department's workers' hours, every day


async def _fill_grid(
    services: Services, admin: Principal, org: int, monday: date, workers: int, count: int
) -> int:
    """A department of `workers` workers with `count` appointments in the week of `monday`:
    worker after worker, day after day, each day filled from 08:00 in 30-minute steps."""
    department = await create_department(services, org, "Time grid")
    ids = []
    for n in range(workers):
        created = await create_worker(services, org, f"Worker {n:02d}", [department])
        await scheduling.set_hours(
            services,
            admin,
            [DailyRange(d, GRID_OPEN, GRID_CLOSE) for d in range(7)],
            worker_id=created.id,
            department_id=None,
        )
        ids.append(created.id)
    per_day = (GRID_CLOSE - GRID_OPEN) // 30
    if count > workers * 7 * per_day:
        raise SystemExit(f"--grid-appointments: at most {workers * 7 * per_day}")
    began = time.perf_counter()
    for n in range(count):
        worker, rest = ids[n % workers], n // workers
        day, step = rest % 7, rest // 7
        start = datetime.combine(monday + timedelta(days=day), datetime.min.time())
        await create_appointment(
            services,
            admin,
            BookingRequest(
                department,
                start + timedelta(minutes=GRID_OPEN + 30 * step),
                f"Person {n}",
                worker_id=worker,
            ),
        )
    print(
        f"time grid: booked {count} appointments for {workers} workers in "
        f"{time.perf_counter() - began:.1f} s"
    )
    return department


async def _fill(
    url: str, count: int, grid_workers: int, grid_count: int
) -> tuple[str, list[int], list[str], int]:
    """The Monday of the filled week, appointment ids, QR tokens, the grid's department."""
    container = build(Settings(database_url=url))
    services = container.services
    org = (await create_organization(services, "Bench", count + grid_count + 10, "UTC")).id
    department = await create_department(services, org, "Around the clock")
    admin = Principal(org, None, ALL_SCOPES, 10**9)
    await scheduling.set_hours(
        services,
        admin,
        [DailyRange(d, 0, 1440) for d in range(7)],
        worker_id=None,
        department_id=department,
    )
    await create_user(services, org, EMAIL, PASSWORD, Role.STAFF)
    today = datetime.now(UTC).date()
    monday = today + timedelta(days=7 - today.weekday())
    start = datetime(monday.year, monday.month, monday.day)
    ids, tokens = [], []
    began = time.perf_counter()
    for n in range(count):
        booked = await create_appointment(
            services,
            admin,
            BookingRequest(department, start + timedelta(minutes=30 * n), f"Person {n}"),
        )
        ids.append(booked.id)
        tokens.append(booked.qr_token)
    print(f"booked {count} appointments in {time.perf_counter() - began:.1f} s")
    grid = await _fill_grid(services, admin, org, monday, grid_workers, grid_count)
    await container.aclose()
    return monday.isoformat(), ids, tokens, grid


async def _timed(runs: int, call: Callable[[], Awaitable[httpx.Response]]) -> list[float]:
    first = await call()
    assert first.status_code == 200, first.text[:500]
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = await call()
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return sorted(timings)


async def _measure(
    url: str, monday: str, ids: list[int], tokens: list[str], grid: int, runs: int
) -> None:
    container = build(Settings(database_url=url, anonymous_rate_limit=10**9))
    app = create_app(container=container)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        login = await http.get("/dashboard/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
        assert token
        logged = await http.post(
            "/dashboard/login",
            data={"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD},
        )
        assert logged.status_code == 303, logged.text
        desk = await http.get("/dashboard/check-in")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', desk.text)
        assert csrf
        # Check-ins are accepted on the appointment's day only: scanning a future one is
        # refused after the same lookups, so the desk is timed with the refusal's page (409).
        scan = {"csrf_token": csrf.group(1), "token": tokens[0]}
        cases: list[tuple[str, Callable[[], Awaitable[httpx.Response]]]] = [
            ("calendar, week", lambda: http.get(f"/dashboard/calendar?date={monday}")),
            ("calendar, day", lambda: http.get(f"/dashboard/calendar?view=day&date={monday}")),
            (
                "appointment page + free slots",
                lambda: http.get(f"/dashboard/appointments/{ids[0]}"),
            ),
            (
                "time grid data, week (JSON)",
                lambda: http.get(f"/dashboard/calendar/grid?department={grid}&date={monday}"),
            ),
            (
                "time grid data, day (JSON)",
                lambda: http.get(
                    f"/dashboard/calendar/grid?department={grid}&date={monday}&view=day"
                ),
            ),
            (
                "calendar page of the grid, week",
                lambda: http.get(f"/dashboard/calendar?department={grid}&date={monday}"),
            ),
        ]
        feed = (await http.get(f"/dashboard/calendar/grid?department={grid}&date={monday}")).json()
        print(
            f"time grid week: {len(feed['resources'])} columns, {feed['shown']} appointments, "
            f"{len(feed['events'])} events (with working-hour shading)"
        )
        print(f"{'page':34} {'p50 ms':>8} {'p99 ms':>8}")
        for label, call in cases:
            timings = await _timed(runs, call)
            p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
            print(f"{label:34} {statistics.median(timings):>8.1f} {p99:>8.1f}")
        timings = []
        for _ in range(runs):
            began = time.perf_counter()
            response = await http.post("/dashboard/check-in", data=scan)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 409, response.text[:300]
        timings.sort()
        p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
        print(
            f"{'check-in desk (not today: 409)':34} {statistics.median(timings):>8.1f} {p99:>8.1f}"
        )
    await container.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--appointments", type=int, default=300)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--grid-workers", type=int, default=50)
    parser.add_argument("--grid-appointments", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    grid = (args.grid_workers, args.grid_appointments)
    if not 1 <= args.appointments <= 336:
        parser.error("--appointments: 1 to 336 (one every 30 minutes of a week)")
    if args.database_url is None:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            upgrade(url)
            filled = asyncio.run(_fill(url, args.appointments, *grid))
            asyncio.run(_measure(url, *filled, args.runs))
        return
    with fresh_database(args.database_url) as url:
        upgrade(url)
        filled = asyncio.run(_fill(url, args.appointments, *grid))
        asyncio.run(_measure(url, *filled, args.runs))


if __name__ == "__main__":
    main()

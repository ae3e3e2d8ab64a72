"""Matching a freed time to its waitlist entry, among 1,000 and 10,000 waiting entries of one
department, on SQLite and PostgreSQL: p50 and p99.

    SLOTBOOK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m benchmarks.waitlist [--runs 200]

Without SLOTBOOK_BENCH_DATABASE_URL only SQLite is measured. Each database is fresh and
migrated; a department with 5 workers and 3 appointment types gets waiting entries with
realistic windows (date ranges of up to a month within three months, half of them only some
weekdays, half only mornings or afternoons, most for any worker, some with a staff priority).
Each run frees a random time (day, hour, worker and type at random) and times, in one write
transaction: "match", finding the entry it goes to (the queue read in its order, the domain's
window check); and "offer", the whole step a cancellation adds, `offer_freed`: the match, the
compare-and-swap of the chosen entry, the hold (an insert the overlap guard checks), the offer
and its `waitlist.offered` event. The transaction is then rolled back, so every run sees the
same queue.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from benchmarks.databases import fresh_database
from slotbook.application.organizations import (
    create_department,
    create_organization,
    create_worker,
)
from slotbook.application.ports import Services
from slotbook.application.waitlist import matching, offer_freed
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.domain.time import day_start, wall_instant
from slotbook.domain.waitlist import FreedTime, TimeOfDay, format_times
from slotbook.infra.db.migrate import upgrade
from slotbook.infra.db.tables import appointment_type, waitlist_entry

ZONE = "Europe/Paris"
WORKERS = 5
TYPES = 3
HORIZON_DAYS = 90
SIZES = (1_000, 10_000)


def _entries(
    rng: random.Random, count: int, org: int, department: int, workers: list[int], types: list[int]
) -> list[dict[str, object]]:
    tz = ZoneInfo(ZONE)
    today = datetime.now(UTC).astimezone(tz).date()
    now = datetime.now(UTC)
    rows: list[dict[str, object]] = []
    for n in range(count):
        earliest = today + timedelta(days=rng.randint(1, HORIZON_DAYS - 30))
        latest = earliest + timedelta(days=rng.randint(0, 30))
        weekdays = 0 if rng.random() < 0.5 else sum(1 << d for d in rng.sample(range(5), 2))
        times = (
            ()
            if rng.random() < 0.5
            else (rng.choice([TimeOfDay(8 * 60, 12 * 60), TimeOfDay(13 * 60, 18 * 60)]),)
        )
        rows.append(
            {
                "organization_id": org,
                "department_id": department,
                "appointment_type_id": None if rng.random() < 0.3 else rng.choice(types),
                "worker_id": rng.choice(workers) if rng.random() < 0.2 else None,
                "external_user_id": f"bench-{n}",
                "name": f"Waiting {n}",
                "earliest": earliest,
                "latest": latest,
                "weekdays": weekdays,
                "times_of_day": format_times(times),
                "closes_at": day_start(latest + timedelta(days=1), tz),
                "priority": 0 if rng.random() < 0.95 else rng.randint(1, 5),
                "status": "WAITING",
                "joined_at": now,
                "updated_at": now,
            }
        )
    return rows


def _freed(rng: random.Random, department: int, workers: list[int], types: list[int]) -> FreedTime:
    tz = ZoneInfo(ZONE)
    day: date = datetime.now(UTC).astimezone(tz).date() + timedelta(
        days=rng.randint(2, HORIZON_DAYS)
    )
    starts = wall_instant(day, rng.randint(8, 17) * 60, tz)
    return FreedTime(
        department, rng.choice(workers), rng.choice(types), starts, starts + timedelta(minutes=30)
    )


async def _measure(
    url: str, size: int, runs: int, seed: int
) -> tuple[list[float], list[float], int]:
    rng = random.Random(seed)
    upgrade(url)
    container = build(Settings(database_url=url))
    services: Services = container.services
    try:
        org = (await create_organization(services, "Bench", 10, ZONE)).id
        department = await create_department(services, org, "Busy office", None)
        workers = [
            (await create_worker(services, org, f"Officer {n}", [department])).id
            for n in range(WORKERS)
        ]
        async with container.engine.begin() as conn:
            types = [
                int(
                    (
                        await conn.execute(
                            insert(appointment_type)
                            .values(
                                organization_id=org,
                                department_id=department,
                                name=f"Type {n}",
                                duration_minutes=30,
                                created_at=datetime.now(UTC),
                            )
                            .returning(appointment_type.c.id)
                        )
                    ).scalar_one()
                )
                for n in range(TYPES)
            ]
            rows = _entries(rng, size, org, department, workers, types)
            for start in range(0, len(rows), 1000):
                await conn.execute(insert(waitlist_entry), rows[start : start + 1000])
        matches: list[float] = []
        offers: list[float] = []
        matched = 0
        tz = ZoneInfo(ZONE)
        for run in range(runs + 20):
            freed = _freed(rng, department, workers, types)
            now = services.clock.now()
            async with services.uow(org, write=True) as uow:
                began = time.perf_counter()
                found = await anext(matching(uow, freed, tz), None)
                middle = time.perf_counter()
                offer = await offer_freed(services, uow, freed, now)
                ended = time.perf_counter()
                # No commit: the queue stays as it was for the next run.
            assert (found is None) == (offer is None)
            if run >= 20:  # the first runs warm the caches and the connection pool
                matches.append((middle - began) * 1000)
                offers.append((ended - middle) * 1000)
                matched += offer is not None
        return matches, offers, matched
    finally:
        await container.aclose()


def _figures(timings: list[float]) -> str:
    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    return f"{statistics.median(ordered):.2f} | {p99:.2f}"


def _report(
    backend: str, size: int, matches: list[float], offers: list[float], matched: int
) -> None:
    print(
        f"| {backend} | {size:,} | {len(matches)} | {matched} | "
        f"{_figures(matches)} | {_figures(offers)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    options = parser.parse_args()
    print(
        "| database | waiting entries | runs | offered | match p50 ms | match p99 ms "
        "| offer p50 ms | offer p99 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            _report("SQLite", size, *asyncio.run(_measure(url, size, options.runs, seed=size)))
        server = os.environ.get("SLOTBOOK_BENCH_DATABASE_URL")
        if server:
            with fresh_database(server) as url:
                figures = asyncio.run(_measure(url, size, options.runs, seed=size))
                _report("PostgreSQL", size, *figures)


if __name__ == "__main__":
    main()

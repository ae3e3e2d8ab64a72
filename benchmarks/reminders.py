"""The reminder worker's claim among 200,000 appointments (by default) on PostgreSQL.

    SLOTBOOK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \
        .venv/bin/python -m benchmarks.reminders [--rows 200000] [--runs 20]

Fills a scratch database server-side (10 departments, one appointment every 63 s, 80 % of them
awaited), then, at an instant in the middle of them, times
- one look for due reminders that finds nothing (the worker's idle poll, every 30 s);
- one claim of a batch of 100 due reminders (query, records, events; rolled back);
- draining one day's due reminders with one worker and with two (events and records only:
  no SMTP server), in reminders per second.
Drops the database afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg

from benchmarks.databases import fresh_database, plain_dsn
from slotbook.application.organizations import create_department, create_organization
from slotbook.application.reminder_ports import ReminderRecord
from slotbook.application.reminders import ReminderWorker
from slotbook.application.representation import appointment_document
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.domain.events import EventType
from slotbook.infra.db.migrate import upgrade
from slotbook.infra.db.reminders import SqlReminderStore

DEPARTMENTS = 10
BATCH = 50  # ReminderWorker's default batch per organization
START = datetime(2026, 1, 1, tzinfo=UTC)
STEP_SECONDS = 63  # about 1,370 a day

_FILL = """
INSERT INTO appointment (uuid, organization_id, department_id, name, starts_at, ends_at,
    blocked_from, blocked_until, session_key, status, qr_token, created_at, updated_at,
    is_urgent, from_web, version)
SELECT gen_random_uuid(), %(org)s,
    (%(departments)s::int[])[1 + g %% %(department_count)s],
    'Person ' || g,
    %(start)s::timestamptz + g * %(step)s * interval '1 second',
    %(start)s::timestamptz + g * %(step)s * interval '1 second' + interval '30 minutes',
    %(start)s::timestamptz + g * %(step)s * interval '1 second',
    %(start)s::timestamptz + g * %(step)s * interval '1 second' + interval '30 minutes',
    'QR-bench-' || g,
    (ARRAY['CANCELLED','CONFIRMED','SCHEDULED','SCHEDULED','SCHEDULED'])[1 + g %% 5],
    'QR-bench-' || g,
    %(start)s::timestamptz + g * %(step)s * interval '1 second' - interval '20 days',
    %(start)s::timestamptz + g * %(step)s * interval '1 second' - interval '20 days',
    false, true, 1
FROM generate_series(1, %(rows)s) g
"""


async def _fill(url: str, rows: int) -> None:
    container = build(Settings(database_url=url))
    services = container.services
    org = (await create_organization(services, "Bench", 10, "Europe/Paris")).id
    departments = [
        await create_department(services, org, f"Department {d}") for d in range(DEPARTMENTS)
    ]
    await container.aclose()
    with psycopg.connect(plain_dsn(url), autocommit=True) as conn:
        began = time.perf_counter()
        conn.execute(
            _FILL,
            {
                "org": org,
                "departments": departments,
                "department_count": DEPARTMENTS,
                "start": START,
                "step": STEP_SECONDS,
                "rows": rows,
            },
        )
        conn.execute("VACUUM ANALYZE")
        print(f"filled {rows:,} appointments in {time.perf_counter() - began:.1f} s")


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def _ms(timings: list[float]) -> str:
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
    return f"p50 {statistics.median(timings):7.1f} ms   p99 {p99:7.1f} ms"


async def _measure(url: str, rows: int, runs: int) -> None:
    container = build(Settings(database_url=url))
    store = SqlReminderStore(container.engine)
    middle = START + timedelta(seconds=STEP_SECONDS * rows // 2)
    # Idle: nothing due yet (everything within 24 h was handled, so only the scan is paid).
    async with container.engine.begin() as conn:
        await conn.exec_driver_sql(
            "INSERT INTO appointment_reminder"
            " (organization_id, appointment_id, offset_minutes, sent_at) "
            "SELECT organization_id, id, 1440, now() FROM appointment WHERE starts_at > %s "
            "AND starts_at <= %s",
            (middle, middle + timedelta(days=1)),
        )
    idle = []
    for _ in range(runs):
        began = time.perf_counter()
        assert not await store.due_organizations(middle, 1000)
        idle.append((time.perf_counter() - began) * 1000)
    print(f"{'idle poll (nothing due)':44} {_ms(idle)}")

    later = middle + timedelta(days=1)
    batch = []
    for _ in range(runs):
        began = time.perf_counter()
        (org,) = await store.due_organizations(later, 1000)
        async with store.claim() as claim:  # left without commit: rolled back
            found = await claim.candidates(org, later, BATCH)
            records = [
                ReminderRecord(c.appointment.id, (1440,), "t" + uuid.uuid4().hex, None)
                for c in found
            ]
            await claim.record(records, later)
            outbox = claim.outbox(org)
            for candidate in found:
                data = {"appointment": appointment_document(candidate.appointment)}
                await outbox.add(EventType.APPOINTMENT_REMINDER, data, later)
        batch.append((time.perf_counter() - began) * 1000)
        assert len(found) == BATCH
    print(f"{f'claim, record, publish {BATCH} (rolled back)':44} {_ms(batch)}")

    for workers, day in ((1, 2), (2, 3)):
        clock = FixedClock(middle + timedelta(days=day))
        team = [ReminderWorker(store, clock, "http://bench") for _ in range(workers)]
        began = time.perf_counter()
        handled = 0
        while True:
            done = sum(await asyncio.gather(*(w.run_once() for w in team)))
            if done == 0:
                break
            handled += done
        seconds = time.perf_counter() - began
        label = f"drain one day, {workers} worker(s)"
        print(f"{label:44} {handled:,} reminders in {seconds:.1f} s = {handled / seconds:,.0f}/s")
    await container.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    base = os.environ.get(
        "SLOTBOOK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    with fresh_database(base) as url:
        upgrade(url)
        asyncio.run(_fill(url, args.rows))
        asyncio.run(_measure(url, args.rows, args.runs))


if __name__ == "__main__":
    main()

"""The query plans of the booking path on a department with 1,000,000 appointments.

Run it from the repository root:
`.venv/bin/python -m benchmarks.booking_plans > docs/booking-query-plans.md`.
It makes a fresh PostgreSQL database, sets up a department with weekly hours, 10 workers and a
15-minute type through the use cases, adds 1,000,000 appointments of those workers in one
`generate_series` statement, books once with a named worker and once auto-assigned (both with
an externalUserId, so the client rule reads run), records every statement the two bookings
sent, and prints `EXPLAIN (ANALYZE, BUFFERS)` of each (writes in a rolled-back transaction)
as Markdown. The statements are the application's own, as SQLAlchemy compiled them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import event

from benchmarks.databases import fresh_database
from slotbook.application.access import ALL_SCOPES, Principal
from slotbook.application.booking import BookingRequest, create_appointment
from slotbook.application.organizations import create_department, create_organization, create_worker
from slotbook.application.scheduling import save_appointment_type, set_hours
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.domain.schedules import DailyRange
from slotbook.infra.db.migrate import upgrade

APPOINTMENTS = 1_000_000
WORKERS = 10
# The generated appointments: every worker, every 15 minutes, from this many days ago (about
# two thirds of them in the past); the bookings go two days after the last one.
GENERATED_DAYS_AGO = 700

GENERATE = """
INSERT INTO appointment (
    uuid, organization_id, department_id, worker_id, name, external_user_id, starts_at,
    status, qr_token, created_at, updated_at, ends_at, appointment_type_id, blocked_from,
    blocked_until, session_key, client_id
)
SELECT gen_random_uuid(), %(org)s, %(department)s, w.ids[1 + g %% %(workers)s],
       'Client ' || g, 'user-' || (g %% 50000), t.at, 'SCHEDULED', 'qr-' || g, t.at, t.at,
       t.at + interval '15 minutes', %(type)s, t.at, t.at + interval '15 minutes', 'qr-' || g,
       NULL
FROM generate_series(0, %(n)s - 1) AS g,
     LATERAL (SELECT %(start)s::timestamptz + (g / %(workers)s) * interval '15 minutes' AS at) t,
     (SELECT %(worker_ids)s::int[] AS ids) w
"""


async def setup(url: str) -> tuple[Any, Principal, int, list[int], int]:
    container = build(Settings(database_url=url, redis_url=None))
    services = container.services
    organization = await create_organization(
        services, "Plans", credits=10_000_000, time_zone="Europe/Paris"
    )
    org = organization.id
    department = await create_department(services, org, "Passports", "With hours")
    principal = Principal(org, None, ALL_SCOPES, 10**9)
    workers = [
        (await create_worker(services, org, f"Officer {n}", [department])).id
        for n in range(WORKERS)
    ]
    week = [DailyRange(day, 0, 24 * 60) for day in range(7)]
    for worker in workers:
        await set_hours(services, principal, week, worker_id=worker, department_id=None)
    kind = await save_appointment_type(
        services, principal, {"name": "Visit", "duration_minutes": 15}
    )
    return container, principal, department, workers, kind.id


# The table's secondary indexes and its exclusion constraint, dropped while the rows go in and
# built again after: a million rows are then indexed in bulk, minutes faster than row by row.
SECONDARY_INDEXES = """
SELECT indexname, indexdef FROM pg_indexes
WHERE tablename = 'appointment' AND indexname NOT IN (
    SELECT conname FROM pg_constraint WHERE conrelid = 'appointment'::regclass
)
"""
EXCLUSIONS = """
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = 'appointment'::regclass AND contype = 'x'
"""


def generate(url: str, org: int, department: int, workers: list[int], type_id: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        indexes = conn.execute(SECONDARY_INDEXES).fetchall()
        exclusions = conn.execute(EXCLUSIONS).fetchall()
        for name, _ in exclusions:
            conn.execute(f'ALTER TABLE appointment DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute(
            GENERATE,
            {
                "org": org,
                "department": department,
                "workers": WORKERS,
                "type": type_id,
                "n": APPOINTMENTS,
                "start": datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
                - timedelta(days=GENERATED_DAYS_AGO),
                "worker_ids": workers,
            },
        )
        for name, definition in exclusions:
            conn.execute(f'ALTER TABLE appointment ADD CONSTRAINT "{name}" {definition}')
        for _, definition in indexes:
            conn.execute(definition)
        conn.execute("ANALYZE")


async def record(
    container: Any, principal: Principal, requests: list[BookingRequest]
) -> list[tuple[str, Any]]:
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        sent.append((statement, parameters))

    event.listen(container.engine.sync_engine, "before_cursor_execute", keep)
    booked = []
    for request in requests:
        start = len(sent)
        booked.append(await create_appointment(container.services, principal, request))
        sent.append((f"-- booking {len(booked)} sent {len(sent) - start} statements", None))
    event.remove(container.engine.sync_engine, "before_cursor_execute", keep)
    return sent


def explain(url: str, sent: list[tuple[str, Any]]) -> str:
    out: list[str] = []
    seen: set[str] = set()
    with psycopg.connect(url) as conn:
        for statement, parameters in sent:
            if statement.startswith("--"):
                out.append(f"\n{statement[3:]}.\n")
                continue
            if statement in seen or not statement.lstrip().upper().startswith(
                ("SELECT", "INSERT", "UPDATE", "WITH", "DELETE")
            ):
                continue
            seen.add(statement)
            out.append("```sql\n" + statement.strip() + "\n```\n")
            try:
                rows = conn.execute(
                    "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters
                ).fetchall()
            except psycopg.errors.UniqueViolation as error:
                # A row keyed by a value the recorded booking already committed (an event id).
                out.append(f"Not run again: {error.diag.message_primary}.\n")
            else:
                out.append("```\n" + "\n".join(r[0] for r in rows) + "\n```\n")
            conn.rollback()
    return "\n".join(out)


async def main_async(server_url: str) -> None:
    with fresh_database(server_url) as url:
        upgrade(url)
        container, principal, department, workers, type_id = await setup(url)
        generate(url, principal.organization_id, department, workers, type_id)
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*), max(starts_at) FROM appointment").fetchone()
            assert row is not None
            count, last = row
        when = (last + timedelta(days=2)).replace(hour=9, minute=0, tzinfo=None)
        base = BookingRequest(
            department_id=department,
            date_time=when,
            name="Plan",
            external_user_id="user-7",
            appointment_type_id=type_id,
        )
        requests = [
            BookingRequest(**{**_fields(base), "worker_id": workers[3]}),
            BookingRequest(**{**_fields(base), "date_time": when + timedelta(hours=1)}),
        ]
        # One booking first, so the plans below are those of a warm agenda cache (the common
        # case): its version read, and no agenda reads.
        await record(
            container,
            principal,
            [BookingRequest(**{**_fields(base), "date_time": when - timedelta(hours=2)})],
        )
        sent = await record(container, principal, requests)
        await container.aclose()
        with psycopg.connect(url, autocommit=True) as conn:
            # The recorded inserts would meet the rows they wrote: free their place again.
            conn.execute("DELETE FROM appointment WHERE name = 'Plan'")
        print(f"Appointments in the table: {count:,} (generated ones up to {last:%Y-%m-%d}).")
        print(explain(url, sent))


def _fields(request: BookingRequest) -> dict[str, Any]:
    return {name: getattr(request, name) for name in request.__dataclass_fields__}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432")
    options = parser.parse_args()
    asyncio.run(main_async(options.server_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Filtered pages of 100 out of 1,000,000 appointments on PostgreSQL: p50 and p99 latency.

    SLOTBOOK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \
        .venv/bin/python -m benchmarks.listing [--rows 1000000] [--runs 50]

Creates a scratch database next to the given one, fills it server-side with generate_series
(no row crosses the network), runs each filtered listing through the whole app in process
(routing, auth, use case, SQL with its count, JSON) and drops the database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from datetime import UTC, datetime

import httpx
import psycopg

from benchmarks.databases import fresh_database, plain_dsn
from slotbook.api.app import create_app
from slotbook.application.organizations import (
    create_api_key,
    create_department,
    create_organization,
    create_worker,
)
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.infra.db.migrate import upgrade

DEPARTMENTS = 10
WORKERS = 50
CLIENTS = 20_000
START = datetime(2026, 1, 1, tzinfo=UTC)
STEP_SECONDS = 63  # 1,000,000 appointments over about two years

_FILL_CLIENTS = """
INSERT INTO client (organization_id, name, email, no_show_count, created_at, updated_at, uuid)
SELECT %(org)s, 'Client ' || g, 'client' || g || '@example.org', 0, now(), now(),
    gen_random_uuid()
FROM generate_series(1, %(clients)s) g
"""
_FILL_APPOINTMENTS = """
INSERT INTO appointment (organization_id, department_id, worker_id, client_id, name,
    external_user_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status,
    qr_token, created_at, updated_at, is_urgent, from_web, version, archived_at, uuid)
SELECT %(org)s,
    (%(departments)s::int[])[1 + g %% %(worker_count)s %% %(department_count)s],
    (%(workers)s::int[])[1 + g %% %(worker_count)s],
    %(first_client)s + (g::bigint * 7919) %% %(clients)s,
    'Person ' || g,
    'ext-' || (g %% 100000),
    %(start)s::timestamptz + g * %(step)s * interval '1 second',
    %(start)s::timestamptz + g * %(step)s * interval '1 second' + interval '30 minutes',
    %(start)s::timestamptz + g * %(step)s * interval '1 second',
    %(start)s::timestamptz + g * %(step)s * interval '1 second' + interval '30 minutes',
    'QR-bench-' || g,
    (ARRAY['CANCELLED','MISSED','COMPLETED','CONFIRMED','SCHEDULED','SCHEDULED','SCHEDULED',
           'SCHEDULED','SCHEDULED','SCHEDULED'])[1 + g %% 10],
    'QR-bench-' || g,
    %(start)s::timestamptz + g * %(step)s * interval '1 second' - interval '20 days',
    %(start)s::timestamptz + g * %(step)s * interval '1 second' - interval '20 days',
    g %% 20 = 0,
    true,
    1,
    CASE WHEN g %% 50 = 0 THEN now() END,
    gen_random_uuid()
FROM generate_series(1, %(rows)s) g
"""


async def _fill(url: str, rows: int) -> tuple[str, dict[str, int]]:
    container = build(Settings(database_url=url))
    services = container.services
    org = (await create_organization(services, "Bench", 10, "Europe/Paris")).id
    departments = [
        await create_department(services, org, f"Department {d}") for d in range(DEPARTMENTS)
    ]
    workers = [
        (await create_worker(services, org, f"Worker {w}", [departments[w % DEPARTMENTS]])).id
        for w in range(WORKERS)
    ]
    key = (await create_api_key(services, org, name="bench")).key
    await container.aclose()
    with psycopg.connect(plain_dsn(url), autocommit=True) as conn:
        conn.execute(_FILL_CLIENTS, {"org": org, "clients": CLIENTS})
        first_client = conn.execute(
            "SELECT min(id) FROM client WHERE organization_id = %s", (org,)
        ).fetchone()
        assert first_client is not None
        began = time.perf_counter()
        conn.execute(
            _FILL_APPOINTMENTS,
            {
                "org": org,
                "departments": departments,
                "workers": workers,
                "worker_count": WORKERS,
                "department_count": DEPARTMENTS,
                "first_client": first_client[0],
                "clients": CLIENTS,
                "start": START,
                "step": STEP_SECONDS,
                "rows": rows,
            },
        )
        conn.execute("VACUUM ANALYZE")
        print(f"filled {rows:,} appointments in {time.perf_counter() - began:.1f} s")
    ids = {"worker": workers[10], "department": departments[3], "client": first_client[0] + 42}
    return key, ids


def _cases(ids: dict[str, int]) -> list[tuple[str, str]]:
    month = "startDate=2027-03-01T00:00:00&endDate=2027-03-31T23:59:59"
    week = "q[]=dateTime:>=2027-05-03T00:00:00&q[]=dateTime:<2027-05-10T00:00:00"
    return [
        ("worker, one month", f"workerId={ids['worker']}&{month}"),
        ("client", f"clientId={ids['client']}"),
        (
            "department + status, one month",
            f"departmentId={ids['department']}&status=CONFIRMED&{month}",
        ),
        ("department, from now on", f"departmentId={ids['department']}&includePast=false"),
        ("q[] one week, sort dateTime:desc", f"{week}&sort=dateTime:desc"),
        ("worker + isUrgent", f"workerId={ids['worker']}&isUrgent=true"),
        ("worker, page 50", f"workerId={ids['worker']}&page=50"),
        ("worker + q[] name~", f"workerId={ids['worker']}&q[]=name:~Person 12"),
    ]


async def _measure(url: str, key: str, ids: dict[str, int], runs: int) -> None:
    container = build(Settings(database_url=url, anonymous_rate_limit=10**9))
    app = create_app(container=container)
    headers = {"X-API-Key": key}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        print(f"{'case':40} {'total':>9} {'p50 ms':>8} {'p99 ms':>8}")
        # The first row is the app's own cost (auth, rate limit, one small query, JSON).
        cases = [("baseline: GET /departments", None), *_cases(ids)]
        for label, query in cases:
            path = (
                "/api/v1/departments" if query is None else f"/api/v1/appointments?size=100&{query}"
            )
            first = await http.get(path, headers=headers)
            assert first.status_code == 200, first.text
            timings = []
            for _ in range(runs):
                began = time.perf_counter()
                response = await http.get(path, headers=headers)
                timings.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200
            timings.sort()
            p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
            total = len(first.json()) if query is None else first.json()["totalElements"]
            print(f"{label:40} {total:>9,} {statistics.median(timings):>8.1f} {p99:>8.1f}")
    await container.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    base = os.environ.get(
        "SLOTBOOK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    with fresh_database(base) as url:
        upgrade(url)
        key, ids = asyncio.run(_fill(url, args.rows))
        asyncio.run(_measure(url, key, ids, args.runs))


if __name__ == "__main__":
    main()

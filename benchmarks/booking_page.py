"""Public booking page speed: each step of /book/{department} on the demo data.

    .venv/bin/python -m benchmarks.booking_page [--database-url URL] [--rounds 50]

Builds a fresh database (SQLite in a temporary directory by default) with the demo
organization, then, through HTTP (in-process ASGI client, real database), times each step a
visitor takes in the demo's Passport Service (two officers, four weeks of free times): the
type step, the calendar step (four weeks of free slots: the month calendar and the first free
day's times and form), another day's times, the booking post and the confirmation page with
its QR code. Prints p50 and p99 per step, in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

from slotbook.api.app import create_app
from slotbook.application.demo import load_demo
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.infra.db.migrate import upgrade

DEPARTMENT = 5


def _first(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match, pattern
    return match.group(1).replace("&amp;", "&")


async def run(url: str, rounds: int) -> None:
    settings = Settings(database_url=url, anonymous_rate_limit=10**9, db_pool_size=5)
    container = build(settings)
    await load_demo(container.services, credits=rounds + 10)
    transport = httpx.ASGITransport(app=create_app(container=container))
    timings: dict[str, list[float]] = defaultdict(list)

    async def timed(step: str, request: object) -> httpx.Response:
        started = time.perf_counter()
        response: httpx.Response = await request  # type: ignore[misc]
        timings[step].append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 303), (step, response.status_code)
        return response

    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        for n in range(rounds):
            start = await timed("type step", http.get(f"/book/{DEPARTMENT}"))
            kind = _first(r'name="type" value="(\d+)"', start.text)
            days = await timed(
                "calendar step (4 weeks)", http.get(f"/book/{DEPARTMENT}?type={kind}")
            )
            day_links = re.findall(r'<a href="([^"]+)" data-day=', days.text)
            details = await timed(
                "another day's times", http.get(day_links[-1].replace("&amp;", "&"))
            )
            form = {
                "csrf_token": _first(r'name="csrf_token" value="([^"]+)"', details.text),
                "type": kind,
                "time": _first(r'name="time" value="([^"]+)"', details.text),
                "name": f"Visitor {n}",
                "email": f"visitor{n}@example.org",
                "phone": "620000000",
            }
            booked = await timed("booking post", http.post(f"/book/{DEPARTMENT}", data=form))
            await timed("confirmation (QR code)", http.get(booked.headers["location"]))
    await container.aclose()
    print(f"{rounds} visitors, database {url.split(':', 1)[0]}")
    for step, values in timings.items():
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"  {step:<24} p50 {statistics.median(values):6.1f} ms   p99 {p99:6.1f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'bench.db'}"
        upgrade(url)
        await run(url, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())

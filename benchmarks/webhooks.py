"""Webhook delivery throughput and latency: 10,000 events through 2 `slotbook worker`s.

    SLOTBOOK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m benchmarks.webhooks [--events 10000] [--workers 2] [--rate 500]

Creates (and drops) its own database on that server, starts the receiver
(benchmarks/webhook_receiver.py, its own process, standard library only) and real
`slotbook worker` processes, and publishes events through the outbox exactly as the API's
writes do (`uow.outbox.add` in a write unit of work, then commit). Two phases:

- throughput: a backlog of `--events` events is committed while the endpoints are disabled;
  the workers start, and once they are idle the endpoints are re-enabled (which is how a
  backlog builds up and drains in real life too). Deliveries/s is counted from that commit
  to the last arrival;
- latency: `--rate` events/s are committed at a steady pace (in small transactions every
  20 ms) for 6 s; the delay of each event runs from just before its transaction's COMMIT was
  sent (so it slightly over-estimates) to its arrival at the receiver.

For each phase it also prints the CPU seconds (user + system, from /proc) that the worker
processes and the receiver spent per 1,000 deliveries, which moves much less than the rates
on a machine shared with other work, and for the throughput phase that of the database's
backends (PostgreSQL on this machine). It checks that every committed event arrived exactly
once per subscribed endpoint, with a valid signature, and exits 1 if not.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, select, update

from benchmarks.booking import backend_cpu_seconds
from benchmarks.databases import fresh_database
from slotbook.application.organizations import create_organization
from slotbook.bootstrap import Container, build
from slotbook.config import Settings
from slotbook.domain.events import EventType
from slotbook.infra.db.migrate import upgrade
from slotbook.infra.db.tables import webhook_delivery, webhook_endpoint
from slotbook.infra.security import TokenSecrets

TICK = 0.02  # seconds between two transactions of the latency phase


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


class Bench:
    def __init__(self, container: Container, organization_id: int, receiver: str) -> None:
        self.container = container
        self.organization_id = organization_id
        self.receiver = httpx.AsyncClient(base_url=receiver)
        self.committed: dict[str, float] = {}  # event id -> time just before its COMMIT

    async def publish(self, first: int, count: int) -> None:
        async with self.container.services.uow(self.organization_id, write=True) as uow:
            now = datetime.now(UTC)
            ids = [
                await uow.outbox.add(EventType.APPOINTMENT_CREATED, {"n": n}, now)
                for n in range(first, first + count)
            ]
            committing = time.time()
            await uow.commit()
        self.committed.update(dict.fromkeys(ids, committing))

    async def set_active(self, active: bool) -> float:
        async with self.container.engine.begin() as conn:
            await conn.execute(update(webhook_endpoint).values(active=active))
        return time.time()

    async def wait_for(self, count: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while True:
            received = int((await self.receiver.get("/count")).json()["count"])
            if received >= count or time.monotonic() > deadline:
                return received
            await asyncio.sleep(0.05)

    async def check_database(self, deliveries: int) -> list[str]:
        """Every delivery recorded as delivered at its first attempt: none will be re-sent."""
        deadline = time.monotonic() + 10
        while True:
            async with self.container.engine.connect() as conn:
                rows = (
                    await conn.execute(
                        select(
                            webhook_delivery.c.status, webhook_delivery.c.attempts, func.count()
                        ).group_by(webhook_delivery.c.status, webhook_delivery.c.attempts)
                    )
                ).all()
            found = {(status, attempts): n for status, attempts, n in rows}
            if found == {("DELIVERED", 1): deliveries} or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        if found == {("DELIVERED", 1): deliveries}:
            return []
        return [f"database: deliveries by (status, attempts) {found}, expected {deliveries}"]

    async def collect(self, endpoints: int) -> tuple[dict[str, float], list[str]]:
        """Arrival time of each event (its latest copy); what is wrong with the arrivals."""
        dump = (await self.receiver.get("/dump")).json()
        copies = Counter((path, event_id) for path, event_id, _ in dump["arrivals"])
        problems = []
        if dump["bad_signatures"]:
            problems.append(f"{dump['bad_signatures']} requests with a bad signature")
        duplicates = sum(n - 1 for n in copies.values() if n > 1)
        if duplicates:
            problems.append(f"{duplicates} duplicate deliveries")
        expected = {(f"/hook/{e}", i) for e in range(endpoints) for i in self.committed}
        if set(copies) != expected:
            problems.append(
                f"{len(expected - set(copies))} deliveries missing, "
                f"{len(set(copies) - expected)} unexpected"
            )
        arrived: dict[str, float] = {}
        for _, event_id, at in dump["arrivals"]:
            arrived[event_id] = max(at, arrived.get(event_id, 0.0))
        return arrived, problems


async def start_worker(command: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    worker = await asyncio.create_subprocess_exec(*command, env=env, stderr=asyncio.subprocess.PIPE)
    assert worker.stderr is not None
    while b"worker started" not in await worker.stderr.readline():
        pass
    return worker


async def drain(stream: asyncio.StreamReader | None) -> list[bytes]:
    """What a worker logs (at warning level: only problems)."""
    lines = []
    while stream is not None and (line := await stream.readline()):
        lines.append(line)
    return [line for line in lines if b"worker stopped" not in line]


async def run(args: argparse.Namespace, url: str, figures: dict[str, float]) -> list[str]:
    secret = TokenSecrets().new_webhook_secret()
    receiver = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.webhook_receiver",
        secret,
        stdout=asyncio.subprocess.PIPE,
    )
    workers: list[asyncio.subprocess.Process] = []
    container = build(Settings(database_url=url, webhook_allow_private=True, db_pool_size=5))
    try:
        assert receiver.stdout is not None
        port = int(await receiver.stdout.readline())
        upgrade(url)
        organization = await create_organization(container.services, "Bench")
        async with container.engine.begin() as conn:
            for n in range(args.endpoints):
                await conn.execute(
                    webhook_endpoint.insert().values(
                        organization_id=organization.id,
                        url=f"http://127.0.0.1:{port}/hook/{n}",
                        events="appointment.created",
                        active=True,
                        secret=secret,
                        created_at=datetime.now(UTC),
                        updated_at=datetime.now(UTC),
                    )
                )
        bench = Bench(container, organization.id, f"http://127.0.0.1:{port}")
        deliveries = args.events * args.endpoints
        problems: list[str] = []

        for first in range(0, args.events, 500):
            await bench.publish(first, min(500, args.events - first))
        await bench.set_active(False)
        env = {
            **os.environ,
            "SLOTBOOK_DATABASE_URL": url,
            "SLOTBOOK_WEBHOOK_ALLOW_PRIVATE": "true",
            "SLOTBOOK_LOG_LEVEL": "warning",
            **dict(setting.split("=", 1) for setting in args.set),
        }
        command = [str(Path(sys.executable).with_name("slotbook")), "worker"]
        workers = [await start_worker(command, env) for _ in range(args.workers)]
        drains = [asyncio.create_task(drain(w.stderr)) for w in workers]
        pids = [w.pid for w in workers]

        cpu = sum(map(cpu_seconds, pids)), cpu_seconds(receiver.pid)
        backends = backend_cpu_seconds(url)
        opened = await bench.set_active(True)
        received = await bench.wait_for(deliveries, 600)
        cpu_after = sum(map(cpu_seconds, pids)), cpu_seconds(receiver.pid)
        # The database's share: the workers' claims and results (and this process's polls).
        database = sum(
            seconds - backends.get(pid, 0.0) for pid, seconds in backend_cpu_seconds(url).items()
        )
        arrived, wrong = await bench.collect(args.endpoints)
        problems += [f"throughput phase: {p}" for p in wrong]
        span = max(arrived.values(), default=opened) - opened
        print(
            f"workers: {args.workers}, endpoints: {args.endpoints}, database: PostgreSQL"
            + (f", settings: {' '.join(args.set)}" if args.set else "")
        )
        figures["deliveries_per_s"] = round(received / span)
        figures["throughput_worker_cpu_s_per_1000"] = round(
            (cpu_after[0] - cpu[0]) * 1000 / received, 3
        )
        figures["throughput_postgresql_cpu_s_per_1000"] = round(database * 1000 / received, 3)
        print(
            f"throughput: {received:,} deliveries of {args.events:,} events in {span:.2f} s"
            f" = {received / span:,.0f} deliveries/s; CPU s per 1,000 deliveries:"
            f" workers {(cpu_after[0] - cpu[0]) * 1000 / received:.2f},"
            f" receiver {(cpu_after[1] - cpu[1]) * 1000 / received:.2f},"
            f" PostgreSQL {database * 1000 / received:.2f}"
        )

        bench.committed.clear()
        count = int(args.rate * 6)
        per_tick = max(1, round(args.rate * TICK))
        cpu = sum(map(cpu_seconds, pids)), cpu_seconds(receiver.pid)
        started = time.monotonic()
        for first in range(0, count, per_tick):
            await bench.publish(args.events + first, min(per_tick, count - first))
            ahead = started + (first + per_tick) / args.rate - time.monotonic()
            await asyncio.sleep(max(0.0, ahead))
        offered = count / (time.monotonic() - started)
        received = await bench.wait_for(count * args.endpoints, 60)
        cpu_after = sum(map(cpu_seconds, pids)), cpu_seconds(receiver.pid)
        arrived, wrong = await bench.collect(args.endpoints)
        problems += [f"latency phase: {p}" for p in wrong]
        delays = [arrived[e] - t for e, t in bench.committed.items() if e in arrived]
        p50, p99 = percentile(delays, 50) * 1000, percentile(delays, 99) * 1000
        figures.update(p50_ms=round(p50), p99_ms=round(p99), offered_events_per_s=round(offered))
        figures["latency_worker_cpu_s_per_1000"] = round(
            (cpu_after[0] - cpu[0]) * 1000 / received, 3
        )
        print(
            f"latency at {offered:,.0f} events/s ({len(delays):,} events): "
            f"commit to delivery p50 {p50:.0f} ms, p99 {p99:.0f} ms,"
            f" max {max(delays) * 1000:.0f} ms; CPU s per 1,000 deliveries:"
            f" workers {(cpu_after[0] - cpu[0]) * 1000 / received:.2f},"
            f" receiver {(cpu_after[1] - cpu[1]) * 1000 / received:.2f}"
        )
        problems += await bench.check_database(args.endpoints * (args.events + count))
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            await asyncio.wait_for(worker.wait(), 30)
        logged = [line for lines in await asyncio.gather(*drains) for line in lines]
        if logged:
            problems.append(f"workers logged {len(logged)} lines, first: {logged[0]!r}")
        return problems
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.kill()
        receiver.kill()
        await receiver.wait()
        with contextlib.suppress(NameError):
            await bench.receiver.aclose()
        await container.aclose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--endpoints", type=int, default=1, help="subscribed endpoints")
    parser.add_argument("--rate", type=float, default=500, help="events/s in the latency phase")
    parser.add_argument(
        "--set", action="append", default=[], help="worker setting, e.g. SLOTBOOK_X=1"
    )
    args = parser.parse_args()
    base = os.environ.get(
        "SLOTBOOK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    figures: dict[str, float] = {}
    with fresh_database(base) as url:
        problems = await run(args, url, figures)
    for problem in problems:
        print("CHECK FAILED:", problem)
    print(
        "check: "
        + (
            "every event arrived exactly once per endpoint, signed, and is recorded as"
            " delivered at its first attempt"
            if not problems
            else "FAILED"
        )
    )
    print("summary " + json.dumps({**figures, "problems": problems}))
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    asyncio.run(main())

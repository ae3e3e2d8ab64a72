"""Webhook delivery throughput and latency: 10,000 events through 2 `slotbook worker`s.

    SLOTBOOK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m benchmarks.webhooks [--events 10000] [--workers 2]

Creates (and drops) its own database on that server, serves a local receiver on 127.0.0.1,
and prints:
- throughput: events/s from the first to the last delivery of a preloaded backlog;
- latency: p50/p99 delay from commit to delivery while events are published at a steady rate
  (the event timestamp is taken just before its transaction commits, so the figure is a
  slight over-estimate).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import uvicorn
from sqlalchemy.engine import make_url

from slotbook.application.organizations import create_organization
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.domain.events import EventType
from slotbook.infra.db.migrate import upgrade
from slotbook.infra.db.tables import webhook_endpoint

arrivals: dict[str, float] = {}
occurred: dict[str, float] = {}


async def receiver(scope: Any, receive: Any, send: Any) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    headers = dict(scope["headers"])
    arrivals.setdefault(headers[b"webhook-id"].decode(), time.time())
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


class _Server(uvicorn.Server):
    """Leaves this process's signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _admin(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def publish(settings: Settings, organization_id: int, count: int, batch: int) -> None:
    container = build(settings)
    try:
        for start in range(0, count, batch):
            async with container.services.uow(organization_id, write=True) as uow:
                now = datetime.now(UTC)
                for n in range(start, min(start + batch, count)):
                    event_id = await uow.outbox.add(EventType.APPOINTMENT_CREATED, {"n": n}, now)
                    occurred[event_id] = now.timestamp()
                await uow.commit()
    finally:
        await container.aclose()


async def wait_for(count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(arrivals) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=int, default=500, help="events/s in the latency phase")
    args = parser.parse_args()
    base = os.environ.get(
        "SLOTBOOK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"slotbook_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin(base), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    server = _Server(
        uvicorn.Config(
            receiver, host="127.0.0.1", port=0, log_level="error", lifespan="off", access_log=False
        )
    )
    serving = asyncio.create_task(server.serve())
    workers: list[subprocess.Popen[bytes]] = []
    try:
        upgrade(url)
        while not server.started:
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        settings = Settings(database_url=url, webhook_allow_private=True, db_pool_size=5)
        container = build(settings)
        organization = await create_organization(container.services, "Bench")
        async with container.engine.begin() as conn:
            await conn.execute(
                webhook_endpoint.insert().values(
                    organization_id=organization.id,
                    url=f"http://127.0.0.1:{port}/hook",
                    events="appointment.created",
                    active=True,
                    secret=container.services.secrets.new_webhook_secret(),
                    created_at=datetime.now(UTC),
                    updated_at=datetime.now(UTC),
                )
            )
        await container.aclose()

        await publish(settings, organization.id, args.events, 500)
        env = {
            **os.environ,
            "SLOTBOOK_DATABASE_URL": url,
            "SLOTBOOK_WEBHOOK_ALLOW_PRIVATE": "true",
            "SLOTBOOK_WORKER_POLL_INTERVAL": "0.05",
            "SLOTBOOK_LOG_LEVEL": "warning",
        }
        command = [str(Path(sys.executable).with_name("slotbook")), "worker"]
        workers = [
            subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
            for _ in range(args.workers)
        ]
        await wait_for(args.events, 300)
        if len(arrivals) < args.events:
            raise SystemExit(f"only {len(arrivals)} of {args.events} events delivered")
        span = max(arrivals.values()) - min(arrivals.values())
        throughput = args.events / span

        arrivals.clear()
        occurred.clear()
        latency_events = args.rate * 6
        batch = max(1, args.rate // 50)
        started = time.monotonic()
        for start in range(0, latency_events, batch):
            await publish_one_batch(settings, organization.id, start, batch)
            await asyncio.sleep(max(0.0, started + (start + batch) / args.rate - time.monotonic()))
        await wait_for(latency_events, 60)
        delays = [arrivals[e] - occurred[e] for e in occurred if e in arrivals]
        print(f"workers: {args.workers}, database: PostgreSQL")
        print(f"throughput: {args.events} events in {span:.2f} s = {throughput:,.0f} events/s")
        p50, p99 = percentile(delays, 50) * 1000, percentile(delays, 99) * 1000
        print(
            f"latency at {args.rate} events/s ({len(delays)} events): "
            f"p50 {p50:.0f} ms, p99 {p99:.0f} ms"
        )
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)
        server.should_exit = True
        await serving
        with psycopg.connect(_admin(base), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_containers: dict[str, Any] = {}


async def publish_one_batch(
    settings: Settings, organization_id: int, start: int, batch: int
) -> None:
    container = _containers.get("c")
    if container is None:
        container = _containers["c"] = build(settings)
    async with container.services.uow(organization_id, write=True) as uow:
        now = datetime.now(UTC)
        for n in range(start, start + batch):
            event_id = await uow.outbox.add(EventType.APPOINTMENT_CREATED, {"n": n}, now)
            occurred[event_id] = now.timestamp()
        await uow.commit()


if __name__ == "__main__":
    asyncio.run(main())

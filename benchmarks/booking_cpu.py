"""CPU per booking, in process: the figures of benchmarks/booking.py without wrk or uvicorn.

Run it from the repository root: `.venv/bin/python -m benchmarks.booking_cpu` (docs/benchmarks.md).
It makes a fresh PostgreSQL database as benchmarks/booking.py does, builds the app in this
process and calls it as an ASGI application, `--concurrency` bookings at a time on uvloop, each
at a distinct dateTime. It prints the CPU time this process spent per booking
(`time.process_time`, which the machine's other load does not inflate), the CPU time of the
database's backends per booking (from /proc), and the wall time. `--profile N` prints the N
functions with the most CPU time of their own (cProfile with a CPU-time timer) and the number
of Python calls per booking, a figure that does not move with the machine's load.
`--versus SQL` books into a second database changed by the statement, in alternating blocks
of the same run, and reports both: a machine's speed drifts within minutes, more than most
changes are worth.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import psycopg
import uvloop

from benchmarks.booking import backend_cpu_seconds, prepare
from benchmarks.databases import fresh_database

Message = MutableMapping[str, Any]
App = Callable[
    [Message, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Coroutine[Any, Any, None],
]
FIRST = datetime(2040, 1, 1, tzinfo=UTC)


class Client:
    """Calls the ASGI app the way uvicorn would for one request, and keeps its status. Not
    httpx's ASGITransport: its own Python would count as the server's CPU."""

    def __init__(self, app: App, key: str) -> None:
        self._app = app
        self._headers = [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"application/json"),
            (b"x-api-key", key.encode()),
        ]

    async def request(
        self, method: str, path: str, body: dict[str, Any] | None
    ) -> tuple[int, bytes]:
        content = orjson.dumps(body) if body is not None else b""
        scope: Message = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [*self._headers, (b"content-length", str(len(content)).encode())],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> Message:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": content, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self._app(scope, receive, send)
        return status, b"".join(chunks)


async def lifespan(app: App) -> Callable[[], Awaitable[None]]:
    """Start the app's lifespan; returns what shuts it down."""
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    outbox: asyncio.Queue[Message] = asyncio.Queue()
    task = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, outbox.put)
    )
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    if started["type"] != "lifespan.startup.complete":
        raise SystemExit(f"startup failed: {started}")

    async def stop() -> None:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task

    return stop


async def book(client: Client, department: int, minutes: range, concurrency: int) -> None:
    queue = iter(minutes)

    async def one_connection() -> None:
        for minute in queue:
            # A slot of its own: a booking without a type lasts the desk's 30-minute interval.
            at = FIRST + timedelta(minutes=30 * minute)
            status, body = await client.request(
                "POST",
                "/api/v1/appointments",
                {
                    "departmentId": department,
                    "dateTime": at.strftime("%Y-%m-%dT%H:%M:%S"),
                    "name": "Benchmark Client",
                    "externalUserId": f"bench-{minute}",
                },
            )
            if status != 201:
                raise SystemExit(f"booking failed: {status} {body[:300]!r}")

    await asyncio.gather(*(one_connection() for _ in range(concurrency)))


@dataclass
class Variant:
    """One database booked into, and what its bookings cost."""

    label: str
    database_url: str
    key: str
    client: Client | None = None
    department: int = 0
    stop: Callable[[], Awaitable[None]] | None = None
    booked: int = 0
    server: float = 0.0  # CPU seconds of this process
    kernel: float = 0.0  # of which in the kernel
    database: float = 0.0  # CPU seconds of the database's backends
    wall: float = 0.0

    async def start(self, options: argparse.Namespace) -> None:
        from slotbook.api.app import create_app
        from slotbook.config import Settings

        settings = Settings(database_url=self.database_url, redis_url=None)
        app: Any = create_app(settings)
        self.stop = await lifespan(app)
        self.client = Client(app, self.key)
        status, body = await self.client.request(
            "POST", "/api/v1/departments", {"name": "Benchmark desk", "alwaysOpen": True}
        )
        if status != 201:
            raise SystemExit(f"creating the department failed: {status} {body!r}")
        self.department = int(orjson.loads(body)["id"])
        # Warm-up: prepared statements, pools, caches.
        await book(
            self.client, self.department, range(10**6, 10**6 + options.warmup), options.concurrency
        )

    async def measure(self, minutes: range, concurrency: int) -> None:
        assert self.client is not None
        backends = backend_cpu_seconds(self.database_url)
        cpu, wall, times = time.process_time(), time.perf_counter(), os.times()
        await book(self.client, self.department, minutes, concurrency)
        self.server += time.process_time() - cpu
        self.wall += time.perf_counter() - wall
        self.kernel += os.times().system - times.system
        after = backend_cpu_seconds(self.database_url)
        self.database += sum(seconds - backends.get(pid, 0.0) for pid, seconds in after.items())
        self.booked += len(minutes)

    def report(self, concurrency: int) -> str:
        n = self.booked
        return (
            f"{self.label}{n:,} bookings, {concurrency} at a time: "
            f"server CPU {1e6 * self.server / n:,.0f} µs ({1e6 * self.kernel / n:,.0f} in the "
            f"kernel), PostgreSQL CPU {1e6 * self.database / n:,.0f} µs, "
            f"wall {1e6 * self.wall / n:,.0f} µs per booking"
        )


async def run(options: argparse.Namespace, variants: list[Variant]) -> None:
    for variant in variants:
        await variant.start(options)
    profiler = cProfile.Profile(time.process_time) if options.profile else None
    if profiler:
        profiler.enable()
    # Alternating blocks: the machine's speed drifts by 10 to 20% within minutes, and each
    # variant gets its share of every phase of it.
    blocks = options.blocks if len(variants) > 1 else 1
    size = options.bookings // blocks
    for block in range(blocks):
        # A, B then B, A: whichever runs first after the other would have its own advantage.
        for variant in variants if block % 2 == 0 else variants[::-1]:
            first = block * size
            await variant.measure(range(first, first + size), options.concurrency)
    if profiler:
        profiler.disable()
    for variant in variants:
        assert variant.stop is not None
        await variant.stop()
        print(variant.report(options.concurrency))
    if profiler:
        stats = pstats.Stats(profiler)
        calls = sum(entry[1] for entry in stats.stats.values())  # type: ignore[attr-defined]
        print(f"Python calls per booking: {calls / (size * blocks * len(variants)):,.0f}")
        stats.sort_stats("tottime").print_stats(options.profile)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--bookings", type=int, default=3000, help="measured, per variant")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument(
        "--versus",
        action="append",
        default=[],
        metavar="SQL",
        help="also book into a second database changed by this statement (repeatable), "
        "alternating blocks of bookings with the first, and report both",
    )
    parser.add_argument("--blocks", type=int, default=40, help="alternations with --versus")
    options = parser.parse_args()
    os.environ.pop("SLOTBOOK_REDIS_URL", None)  # one process counts its rate limits itself
    with ExitStack() as stack:
        variants = []
        plans: list[tuple[str, list[str]]] = [("", [])]
        if options.versus:
            plans.append(("versus: ", options.versus))
        for label, statements in plans:
            database_url = stack.enter_context(fresh_database(options.server_url))
            key = prepare({**os.environ, "SLOTBOOK_DATABASE_URL": database_url})
            with psycopg.connect(database_url, autocommit=True) as conn:
                for statement in statements:
                    conn.execute(statement)
            variants.append(Variant(label, database_url, key))
        uvloop.run(run(options, variants))
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
changes are worth. `--scenario` books the open desk (default) or, as
benchmarks/booking_scenarios.py does, a department with weekly hours, 10 workers and a
15-minute type, the worker named (`named`) or assigned by the server (`auto`).
`--statements` counts what each booking sends to the database: statements, transaction
commands (BEGIN, COMMIT, savepoints), and each statement's first words.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import psycopg
import uvloop
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from benchmarks.booking import backend_cpu_seconds, prepare
from benchmarks.booking_scenarios import (
    CLOSES_AT,
    OPENS_AT,
    SLOT_MINUTES,
    WORKERS,
    WORKING_DAYS,
    weekdays,
)
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


@dataclass(frozen=True)
class Desk:
    """What is booked: the open desk (no type) or a scheduled department."""

    scenario: str
    id: int
    type_id: int | None = None
    workers: tuple[int, ...] = ()

    def body(self, n: int) -> dict[str, Any]:
        """Booking number `n`: on the open desk its own minute; in a scheduled department
        the slots of its weekly hours in order, each taken by WORKERS bookings in a row."""
        body: dict[str, Any] = {"departmentId": self.id, "name": "Benchmark Client"}
        body["externalUserId"] = f"bench-{n}"
        if self.type_id is None:
            at = FIRST + timedelta(minutes=n)
        else:
            per_day = (CLOSES_AT - OPENS_AT) // SLOT_MINUTES
            day, slot = divmod(n // WORKERS, per_day)
            week, weekday = divmod(day, WORKING_DAYS)
            at = MONDAY + timedelta(days=7 * week + weekday, minutes=OPENS_AT + slot * SLOT_MINUTES)
            body["appointmentTypeId"] = self.type_id
            if self.scenario == "named":
                body["workerId"] = self.workers[n % WORKERS]
        body["dateTime"] = at.strftime("%Y-%m-%dT%H:%M:%S")
        return body


MONDAY = datetime(2040, 1, 2, tzinfo=UTC)  # a Monday


async def set_up(client: Client, scenario: str) -> Desk:
    async def call(method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        status, answer = await client.request(method, f"/api/v1{path}", body)
        if status not in (200, 201):
            raise SystemExit(f"{method} {path} failed: {status} {answer!r}")
        found: dict[str, Any] = orjson.loads(answer)
        return found

    if scenario == "open":
        # Always open: it takes any future time (a new department keeps weekday hours).
        desk = await call("POST", "/departments", {"name": "Desk", "alwaysOpen": True})
        return Desk(scenario, int(desk["id"]))
    body = {"name": "Benchmark office", "timeZone": "UTC", "slotIntervalMinutes": SLOT_MINUTES}
    department = int((await call("POST", "/departments", body))["id"])
    ranges = [
        {
            "weekday": day,
            "start": f"{OPENS_AT // 60:02d}:{OPENS_AT % 60:02d}",
            "end": f"{CLOSES_AT // 60:02d}:{CLOSES_AT % 60:02d}",
        }
        for day in weekdays(WORKING_DAYS)
    ]
    await call("PUT", f"/departments/{department}/hours", {"ranges": ranges})
    workers = []
    for n in range(WORKERS):
        body = {"name": f"Counter {n + 1}", "departmentIds": [department]}
        workers.append(int((await call("POST", "/workers", body))["id"]))
    kind = await call(
        "POST",
        "/appointment-types",
        {"name": "Visit", "durationMinutes": SLOT_MINUTES, "departmentId": department},
    )
    return Desk(scenario, department, int(kind["id"]), tuple(workers))


async def book(client: Client, desk: Desk, numbers: range, concurrency: int) -> None:
    queue = iter(numbers)

    async def one_connection() -> None:
        for n in queue:
            status, body = await client.request("POST", "/api/v1/appointments", desk.body(n))
            if status != 201:
                raise SystemExit(f"booking failed: {status} {body[:300]!r}")

    await asyncio.gather(*(one_connection() for _ in range(concurrency)))


@dataclass
class Statements:
    """What the app sends to the database while counting, from SQLAlchemy's events."""

    counting: bool = False
    statements: int = 0
    transactions: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    round_trips: Counter[str] = field(default_factory=Counter)

    def listen(self) -> None:
        self._count_round_trips()

        def executed(conn: Connection, cursor: Any, statement: str, *args: Any) -> None:
            if self.counting:
                self.statements += 1
                self.kinds[" ".join(statement.split()[:4])[:70]] += 1

        def transaction(name: str) -> Callable[..., None]:
            def seen(*args: Any) -> None:
                if self.counting:
                    self.transactions[name] += 1

            return seen

        event.listen(Engine, "before_cursor_execute", executed)
        for name in ("begin", "commit", "rollback", "savepoint", "release_savepoint"):
            event.listen(Engine, name, transaction(name))
        event.listen(Engine, "rollback_savepoint", transaction("rollback_savepoint"))

    def _count_round_trips(self) -> None:
        """What psycopg itself sends, one round trip each: its commands (BEGIN, COMMIT,
        ROLLBACK, DEALLOCATE ALL, ...), statements, and statements prepared before they run
        (which PostgreSQL answers before the statement is sent). SQLAlchemy's events see
        neither psycopg's own commands nor the transactions that autocommit skips."""
        from psycopg import _connection_base, _cursor_base

        connection = _connection_base.BaseConnection
        cursor = _cursor_base.BaseCursor
        command, send, prepare = (
            connection._exec_command,
            cursor._execute_send,
            cursor._send_prepare,
        )
        counts = self.round_trips

        def exec_command(conn: Any, sql: Any, *args: Any, **kwargs: Any) -> Any:
            if self.counting:
                text = sql if isinstance(sql, bytes) else str(sql).encode()
                counts[" ".join(text.decode().split()[:2])] += 1
            return command(conn, sql, *args, **kwargs)

        def execute_send(cur: Any, *args: Any, **kwargs: Any) -> Any:
            if self.counting:
                counts["statement"] += 1
            return send(cur, *args, **kwargs)

        def send_prepare(cur: Any, *args: Any, **kwargs: Any) -> Any:
            if self.counting:
                counts["PREPARE (then the statement)"] += 1
            return prepare(cur, *args, **kwargs)

        def send_prepared(cur: Any, *args: Any, **kwargs: Any) -> Any:
            if self.counting:
                counts["prepared statement"] += 1
            return prepared(cur, *args, **kwargs)

        prepared = cursor._send_query_prepared
        setattr(connection, "_exec_command", exec_command)  # noqa: B010 (psycopg's own)
        setattr(cursor, "_execute_send", execute_send)  # noqa: B010
        setattr(cursor, "_send_prepare", send_prepare)  # noqa: B010
        setattr(cursor, "_send_query_prepared", send_prepared)  # noqa: B010

    def report(self, bookings: int) -> str:
        trips = sum(self.round_trips.values())
        lines = [
            f"round trips per booking (psycopg): {trips / bookings:.2f}: "
            + ", ".join(f"{k} {v / bookings:.2f}" for k, v in self.round_trips.most_common())
        ]
        lines += [
            f"statements per booking: {self.statements / bookings:.2f}; transaction commands: "
            + ", ".join(f"{k} {v / bookings:.2f}" for k, v in sorted(self.transactions.items()))
        ]
        lines += [f"  {v / bookings:5.2f}  {k}" for k, v in self.kinds.most_common()]
        return "\n".join(lines)


@dataclass
class Variant:
    """One database booked into, and what its bookings cost."""

    label: str
    database_url: str
    key: str
    client: Client | None = None
    desk: Desk | None = None
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
        self.desk = await set_up(self.client, options.scenario)
        # Warm-up: prepared statements, pools, caches (bookings years after the measured ones).
        await book(
            self.client, self.desk, range(10**6, 10**6 + options.warmup), options.concurrency
        )

    async def measure(self, minutes: range, concurrency: int) -> None:
        assert self.client is not None
        assert self.desk is not None
        backends = backend_cpu_seconds(self.database_url)
        cpu, wall, times = time.process_time(), time.perf_counter(), os.times()
        await book(self.client, self.desk, minutes, concurrency)
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
    statements = Statements()
    if options.statements:
        statements.listen()
        statements.counting = True
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
    statements.counting = False
    for variant in variants:
        assert variant.stop is not None
        await variant.stop()
        print(variant.report(options.concurrency))
    if options.statements:
        print(statements.report(sum(variant.booked for variant in variants)))
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
    parser.add_argument("--scenario", choices=("open", "named", "auto"), default="open")
    parser.add_argument("--statements", action="store_true", help="count statements per booking")
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

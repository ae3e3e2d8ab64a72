"""What PostgreSQL would spend per booking if several bookings shared one transaction.

Run it from the repository root: `.venv/bin/python -m benchmarks.booking_batches`
(docs/benchmarks.md). An experiment for a design not built: it books through the app in
process (as benchmarks/booking_cpu.py does) and records the two query strings each booking
sends (the client's lock and reads with the department read; the writes with the COMMIT).
Then, in a second database set up the same way, it replays those exact strings from 16
connections, each taking `--group` bookings at a time into one transaction: their first
strings in one round trip, their second strings and one COMMIT in another. `--group 1` is
what the server does today. It prints PostgreSQL's CPU per booking (its backends, from
/proc) and the bookings per second of the replay, for each group size, and checks that the
replay wrote every booking once. Only the database's side: the server's Python per booking
would not shrink with the group, except for the round trips.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import time
from typing import Any

import psycopg
import uvloop

from benchmarks.booking import backend_cpu_seconds, prepare
from benchmarks.booking_cpu import Variant
from benchmarks.databases import fresh_database

_PREPARE = re.compile(rb"^PREPARE (\w+) AS ")


def split(query: bytes) -> list[bytes]:
    """The statements of one query string as pg_direct joins them."""
    return query.split(b";\n")


class Recorder:
    """Keeps every query string pg_direct sends, and every statement it prepares."""

    def __init__(self) -> None:
        self.strings: list[bytes] = []
        self.prepares: dict[bytes, bytes] = {}

    def install(self) -> None:
        execute = psycopg.AsyncClientCursor.execute
        recorder = self

        async def recording(cursor: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(query, bytes):
                kept = []
                for statement in split(query):
                    found = _PREPARE.match(statement)
                    if found:
                        recorder.prepares[found.group(1)] = statement
                    elif statement != b"DEALLOCATE ALL":
                        kept.append(statement)
                recorder.strings.append(b";\n".join(kept))
            return await execute(cursor, query, *args, **kwargs)

        psycopg.AsyncClientCursor.execute = recording  # type: ignore[method-assign,assignment]


def bookings(strings: list[bytes]) -> list[tuple[bytes, bytes]]:
    """Pairs (reads, writes) of one booking each: a booking sends its reads, then its writes
    ending with COMMIT (recorded one booking at a time)."""
    pairs = []
    for first, second in zip(strings[::2], strings[1::2], strict=True):
        if not second.endswith(b"COMMIT"):
            raise SystemExit("unexpected recording: a booking's second string has no COMMIT")
        pairs.append((first, second))
    return pairs


def appointments(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM appointment").fetchone()
    return int(row[0]) if row else 0


def without(statement: bytes, query: bytes) -> bytes:
    return b";\n".join(s for s in split(query) if s != statement)


async def replay(
    database_url: str,
    prepares: list[bytes],
    pairs: list[tuple[bytes, bytes]],
    group: int,
    connections: int,
) -> tuple[float, float]:
    """Replay the bookings `group` to a transaction; PostgreSQL CPU seconds and wall seconds."""
    queue = [pairs[i : i + group] for i in range(0, len(pairs), group)]
    opened = [
        await psycopg.AsyncConnection.connect(database_url, autocommit=True)
        for _ in range(connections)
    ]
    for conn in opened:
        await conn.execute(b";\n".join(prepares))
    batches = iter(queue)
    before = backend_cpu_seconds(database_url)
    started = time.perf_counter()

    async def run(conn: psycopg.AsyncConnection[Any]) -> None:
        cursor = psycopg.AsyncClientCursor(conn)
        for batch in batches:
            reads = b";\n".join(without(b"BEGIN", first) for first, _ in batch)
            writes = b";\n".join(
                without(b"COMMIT", without(b"BEGIN", second)) for _, second in batch
            )
            await cursor.execute(b"BEGIN;\n" + reads)
            await cursor.execute(writes + b";\nCOMMIT")

    await asyncio.gather(*(run(conn) for conn in opened))
    wall = time.perf_counter() - started
    after = backend_cpu_seconds(database_url)
    for conn in opened:
        await conn.close()
    return sum(s - before.get(p, 0.0) for p, s in after.items()), wall


async def record(options: argparse.Namespace, database_url: str, key: str) -> Recorder:
    recorder = Recorder()
    recorder.install()  # before the warm-up, which prepares the statements
    # One booking to a transaction, as this script then groups them itself.
    variant = Variant("", database_url, key, shared=False)
    await variant.start(options)
    recorder.strings.clear()
    await variant.measure(range(options.bookings), 1)
    assert variant.stop is not None
    await variant.stop()
    return recorder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--bookings", type=int, default=4000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--groups", default="1,2,4,8", help="bookings per transaction, tried in turn"
    )
    options = parser.parse_args()
    options.warmup = 50
    options.concurrency = 1
    os.environ.pop("SLOTBOOK_REDIS_URL", None)
    with fresh_database(options.server_url) as recorded_url:
        key = prepare({**os.environ, "SLOTBOOK_DATABASE_URL": recorded_url})
        recorder = uvloop.run(record(options, recorded_url, key))
    pairs = bookings(recorder.strings)
    prepares = list(recorder.prepares.values())
    ok = True
    for group in (int(g) for g in options.groups.split(",")):
        with fresh_database(options.server_url) as database_url:
            replay_key = prepare({**os.environ, "SLOTBOOK_DATABASE_URL": database_url})
            # The same setup as the recorded run: its department, its warm-up bookings.
            uvloop.run(_same_start(options, database_url, replay_key))
            before = appointments(database_url)
            cpu, wall = uvloop.run(
                replay(database_url, prepares, pairs, group, options.connections)
            )
            written = appointments(database_url) - before
            ok = ok and written == len(pairs)
            print(
                f"{group} booking(s) per transaction, {options.connections} connections: "
                f"PostgreSQL CPU {1e6 * cpu / len(pairs):,.0f} µs per booking, "
                f"{len(pairs) / wall:,.0f} bookings/s; {written:,} appointments written for "
                f"{len(pairs):,} bookings: {'OK' if written == len(pairs) else 'MISMATCH'}"
            )
    return 0 if ok else 1


async def _same_start(options: argparse.Namespace, database_url: str, key: str) -> None:
    variant = Variant("", database_url, key)
    await variant.start(options)
    assert variant.stop is not None
    await variant.stop()


if __name__ == "__main__":
    sys.exit(main())

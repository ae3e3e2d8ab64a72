"""The booking path's statements on PostgreSQL, run straight through psycopg.

A booking runs about ten fixed statements. Through SQLAlchemy each one costs 150 to 300 µs of
Python (cache key, compiled parameters, result processing, a greenlet switch) on top of its
round trip; sent by psycopg as a prepared statement it costs 30 to 40 µs (docs/benchmarks.md).
So the hot statements are written here as PostgreSQL text and run on the unit of work's own
connection, in its transaction: SQLAlchemy and these statements see the same data.

Writes nobody reads back before the commit (the history entry, the outbox event) are deferred
and sent with the `COMMIT` in one pipeline: one round trip, and the rows the debit and the
event sequence lock are held only for that round trip, not while Python builds the answer.
Any other statement run here first sends what was deferred, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.domain.schedules import SchedulingSettings

Params = Sequence[Any] | dict[str, Any]


class PgDirect:
    """Prepared statements on the psycopg connection under one SQLAlchemy connection."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        self._driver: psycopg.AsyncConnection[Any] | None = None
        self._deferred: list[tuple[str, Params]] = []
        # Scheduling settings read with the department (departments.get), by department id:
        # a booking needs both, and one statement reads them.
        self.settings: dict[int, SchedulingSettings] = {}

    async def _psycopg(self) -> psycopg.AsyncConnection[Any]:
        if self._driver is None:
            raw = await self._connection.get_raw_connection()
            driver = raw.driver_connection
            assert isinstance(driver, psycopg.AsyncConnection)
            self._driver = driver
        return self._driver

    async def rows(self, sql: str, params: Params) -> list[tuple[Any, ...]]:
        driver = await self._psycopg()
        if self._deferred:
            await self.flush()
        async with driver.cursor() as cursor:
            await cursor.execute(sql, params, prepare=True)
            return await cursor.fetchall() if cursor.description is not None else []

    async def first(self, sql: str, params: Params) -> tuple[Any, ...] | None:
        found = await self.rows(sql, params)
        return found[0] if found else None

    def defer(self, sql: str, params: Params) -> None:
        """Run this write later, before the next statement or with the commit."""
        self._deferred.append((sql, params))

    def discard(self, keep: int) -> None:
        """Forget the writes deferred after the first `keep` (their savepoint was undone)."""
        del self._deferred[keep:]

    @property
    def deferred(self) -> int:
        return len(self._deferred)

    async def flush(self, *, commit: bool = False) -> None:
        """Send the deferred writes (and the COMMIT) in one pipeline, one round trip."""
        if not self._deferred and not commit:
            return
        driver = await self._psycopg()
        deferred, self._deferred = self._deferred, []
        async with driver.pipeline():
            async with driver.cursor() as cursor:
                for sql, params in deferred:
                    await cursor.execute(sql, params, prepare=True)
            if commit:
                await driver.commit()

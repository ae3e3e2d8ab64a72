"""The booking path's statements on PostgreSQL, run straight through psycopg.

A booking runs about ten fixed statements. Through SQLAlchemy each one costs 150 to 300 µs of
Python (cache key, compiled parameters, result processing, a greenlet switch) on top of its
round trip; sent by psycopg as a prepared statement it costs 30 to 40 µs (docs/benchmarks.md).
So the hot statements are written here as PostgreSQL text and run on the unit of work's own
connection, in its transaction: SQLAlchemy and these statements see the same data.

Writes nobody reads back before the commit (the history entry, the outbox event) are deferred
and sent with the `COMMIT` in one pipeline: one round trip, and the rows the debit and the
event sequence lock are held only for that round trip, not while Python builds the answer.
The next statement run here takes what was deferred along, in order, in its own round trip; so
does the first one of a transaction, with psycopg's BEGIN. The repositories' SQLAlchemy
statements go through `Flushing`, which sends what was deferred first, so a lock deferred
before a SQLAlchemy read (the public booking page's lock on an e-mail address) is held when
that read runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.domain.schedules import SchedulingSettings

Params = Sequence[Any] | dict[str, Any]


class Flushing:
    """The unit of work's SQLAlchemy connection, as the repositories use it: a statement sent
    through it first sends the statements PgDirect deferred, in order (their locks included)."""

    def __init__(self, connection: AsyncConnection, direct: PgDirect) -> None:
        self._connection = connection
        self._direct = direct

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        if self._direct.deferred:
            await self._direct.flush()
        return await self._connection.execute(*args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        if self._direct.deferred:
            await self._direct.flush()
        return await self._connection.scalar(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


class PgDirect:
    """Prepared statements on the psycopg connection under one SQLAlchemy connection."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        self._driver: psycopg.AsyncConnection[Any] | None = None
        self._deferred: list[tuple[str, Params]] = []
        self._cursor: psycopg.AsyncCursor[Any] | None = None
        # Scheduling settings read with the department (departments.get), by department id:
        # a booking needs both, and one statement reads them.
        self.settings: dict[int, SchedulingSettings] = {}
        # Read with it too, for the very next read of each (taken once, so a write in between
        # is never hidden): the department's workers, and its and their weekly hours.
        self.workers: dict[int, list[tuple[int, str, UUID]]] = {}
        self.hours: dict[int, tuple[tuple[int, ...], list[tuple[int | None, int, int, int]]]] = {}

    async def _psycopg(self) -> psycopg.AsyncConnection[Any]:
        if self._driver is None:
            raw = await self._connection.get_raw_connection()
            driver = raw.driver_connection
            assert isinstance(driver, psycopg.AsyncConnection)
            self._driver = driver
        return self._driver

    async def rows(self, sql: str, params: Params) -> list[tuple[Any, ...]]:
        driver = await self._psycopg()
        cursor = self._cursor
        if cursor is None:
            cursor = self._cursor = driver.cursor()
        if self._deferred or driver.info.transaction_status == TransactionStatus.IDLE:
            # The BEGIN psycopg sends first and the deferred statements go in the same round
            # trip; the server still runs them in order, each seeing what the previous did.
            deferred, self._deferred = self._deferred, []
            async with driver.pipeline():
                if deferred:
                    async with driver.cursor() as writer:
                        for earlier, earlier_params in deferred:
                            await writer.execute(earlier, earlier_params, prepare=True)
                await cursor.execute(sql, params, prepare=True)
        else:
            await cursor.execute(sql, params, prepare=True)
        return await cursor.fetchall()

    async def first(self, sql: str, params: Params) -> tuple[Any, ...] | None:
        found = await self.rows(sql, params)
        return found[0] if found else None

    def defer(self, sql: str, params: Params) -> None:
        """Run this statement later: in the round trip of the next one, or with the commit.

        For writes nobody reads back before the commit, and for locks taken just before the
        statement that needs them (both go in one pipeline, the lock first)."""
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
        if not self._deferred:
            await driver.commit()
            return
        deferred, self._deferred = self._deferred, []
        async with driver.pipeline():
            async with driver.cursor() as cursor:
                for sql, params in deferred:
                    await cursor.execute(sql, params, prepare=True)
            if commit:
                await driver.commit()

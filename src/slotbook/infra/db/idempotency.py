"""Idempotency-Key records, and the hand-over that commits a response with its change.

A keyed request first claims its key in a short transaction of its own (a unique row per
organization and key, IN_PROGRESS): concurrent twins then find the row and get 409, and a
different request under the same key gets 422.

The stored response commits in the same transaction as the change it describes: while a keyed
request runs, `pending_commit` holds a slot; the first write unit of work of the request hands
its open transaction over instead of committing it, and `finish` writes the response into that
transaction and commits both at once. Either both exist or neither does, so a crash between
"booked" and "response stored" cannot happen, and a retry after a crash (when the claim's lock
has run out) safely runs the request again. A second write unit of work in the same request
(none today) first commits the one handed over, falling back to a separate transaction for
the response.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from slotbook.application.ports import IdempotencyClaim, StoredResponse
from slotbook.domain.errors import IdempotencyInProgress, IdempotencyKeyReused
from slotbook.infra.db.tables import idempotency_key

IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"


@dataclass
class PendingCommit:
    """The write transaction of the running keyed request, waiting for its response."""

    connection: AsyncConnection | None = None

    async def flush(self) -> None:
        if self.connection is not None:
            connection, self.connection = self.connection, None
            try:
                await connection.commit()
            finally:
                await connection.close()


pending_commit: ContextVar[PendingCommit | None] = ContextVar("pending_commit", default=None)


class SqlIdempotencyStore:
    def __init__(self, engine: AsyncEngine, ttl: timedelta, lock: timedelta) -> None:
        self._engine = engine
        self._ttl = ttl
        self._lock = lock

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        async with self._engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                await connection.execution_options(sqlite_begin="IMMEDIATE")
            async with connection.begin():
                yield connection

    async def begin(
        self, organization_id: int, key: str, fingerprint: str, now: datetime
    ) -> IdempotencyClaim | StoredResponse:
        t = idempotency_key
        upsert = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
        claim = (
            upsert(t)
            .values(
                organization_id=organization_id,
                key=key,
                fingerprint=fingerprint,
                state=IN_PROGRESS,
                locked_until=now + self._lock,
                created_at=now,
                expires_at=now + self._ttl,
            )
            .on_conflict_do_nothing(index_elements=[t.c.organization_id, t.c.key])
            .returning(t.c.id)
        )
        mine = (t.c.organization_id == organization_id) & (t.c.key == key)
        async with self._transaction() as conn:
            record_id = (await conn.execute(claim)).scalar_one_or_none()
            if record_id is not None:
                return IdempotencyClaim(int(record_id))
            row = (await conn.execute(select(t).where(mine))).one()
            if row.expires_at <= now:
                # Past retention: the key starts afresh.
                await conn.execute(delete(t).where(t.c.id == row.id))
                record_id = (await conn.execute(claim)).scalar_one()
                return IdempotencyClaim(int(record_id))
            if row.fingerprint != fingerprint:
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was already used for a different request"
                )
            if row.state == COMPLETED:
                return StoredResponse(row.status_code, row.content_type, (row.body or "").encode())
            if row.locked_until > now:
                raise IdempotencyInProgress(
                    "A request with this Idempotency-Key is still being processed; retry later"
                )
            # Its process died before committing anything (the response commits with the
            # change): run it again.
            await conn.execute(
                update(t).where(t.c.id == row.id).values(locked_until=now + self._lock)
            )
            return IdempotencyClaim(int(row.id))

    async def finish(self, claim: IdempotencyClaim, response: StoredResponse) -> None:
        completion = (
            update(idempotency_key)
            .where(idempotency_key.c.id == claim.record_id)
            .values(
                state=COMPLETED,
                status_code=response.status_code,
                content_type=response.content_type,
                body=response.body.decode("utf-8", errors="replace"),
            )
        )
        pending = pending_commit.get()
        if pending is not None and pending.connection is not None:
            connection, pending.connection = pending.connection, None
            try:
                await connection.execute(completion)
                await connection.commit()
            finally:
                await connection.close()
            return
        async with self._transaction() as conn:
            await conn.execute(completion)

    async def abandon(self, claim: IdempotencyClaim) -> None:
        pending = pending_commit.get()
        if pending is not None and pending.connection is not None:
            connection, pending.connection = pending.connection, None
            try:
                await connection.rollback()
            finally:
                await connection.close()
        async with self._transaction() as conn:
            await conn.execute(
                delete(idempotency_key).where(idempotency_key.c.id == claim.record_id)
            )

    async def purge(self, now: datetime) -> int:
        async with self._transaction() as conn:
            result = await conn.execute(
                delete(idempotency_key).where(idempotency_key.c.expires_at <= now)
            )
        return int(result.rowcount)

"""The delivery queue in the database: claim due deliveries, record what came of them.

Claiming pushes a delivery's due time one lease ahead and counts the attempt, in one short
transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, so concurrent workers take disjoint
batches; BEGIN IMMEDIATE on SQLite). The HTTP request happens outside any transaction. A
worker that dies mid-send leaves its deliveries due again when the lease runs out: delivery is
at least once, and a repeat carries the same webhook-id. A result is recorded only if the
delivery is still at the attempt that was claimed, so a late worker never overwrites a newer
attempt's outcome.

Each is written once, for both databases: the claim is one UPDATE … RETURNING and one
SELECT of what the claimed deliveries send; a batch of results is one multi-row INSERT of the
attempts and one UPDATE of the deliveries sent with every row's values (psycopg pipelines
it). A PostgreSQL-only statement over arrays (`unnest`) was measured and dropped: it wrote the
same rows a second way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from slotbook.domain.events import DeliveryStatus
from slotbook.infra.db.agenda_version import bump_agenda_version
from slotbook.infra.db.tables import (
    outbox_event,
    webhook_attempt,
    webhook_delivery,
    webhook_endpoint,
)


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    delivery_id: int
    organization_id: int
    attempt: int  # 1 for the first attempt of the current schedule
    endpoint_id: int
    url: str
    secrets: tuple[str, ...]  # the current secret, then the previous one during a rotation
    event_id: str
    event_type: str
    occurred_at: datetime
    data: str  # JSON


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    claimed: ClaimedDelivery
    attempted_at: datetime
    status_code: int | None
    error: str | None
    latency_ms: int
    outcome: DeliveryStatus
    next_attempt_at: datetime | None  # when PENDING
    gone: bool = False  # 410: disable the endpoint


class DeliveryQueue:
    def __init__(self, engine: AsyncEngine, disable_after: timedelta) -> None:
        self._engine = engine
        self._disable_after = disable_after

    async def claim(self, now: datetime, limit: int, lease: timedelta) -> list[ClaimedDelivery]:
        d, e, ev = webhook_delivery, webhook_endpoint, outbox_event
        due = (
            select(d.c.id)
            .select_from(d.join(e, e.c.id == d.c.endpoint_id))
            .where(
                d.c.status == DeliveryStatus.PENDING.value,
                d.c.next_attempt_at <= now,
                e.c.active.is_(True),
            )
            .order_by(d.c.next_attempt_at)
            .limit(limit)
            # Lock only the delivery rows: locking endpoints would make concurrent workers
            # skip every delivery of an endpoint another worker is also serving.
            .with_for_update(skip_locked=True, of=d)
        )
        async with self._engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                # SQLite has no row locks: the write lock taken at BEGIN keeps two workers
                # from claiming one delivery.
                await conn.execution_options(sqlite_begin="IMMEDIATE")
            async with conn.begin():
                # Two statements on both databases (SQLite's RETURNING names only the updated
                # table's columns): the claim, then what each claimed delivery sends.
                claimed = (
                    (
                        await conn.execute(
                            update(d)
                            .where(d.c.id.in_(due.scalar_subquery()))
                            .values(next_attempt_at=now + lease, attempts=d.c.attempts + 1)
                            .returning(d.c.id)
                        )
                    )
                    .scalars()
                    .all()
                )
                if not claimed:
                    return []
                rows = await conn.execute(
                    select(*_CLAIMED_COLUMNS)
                    .select_from(
                        d.join(e, e.c.id == d.c.endpoint_id).join(ev, ev.c.id == d.c.event_id)
                    )
                    .where(d.c.id.in_(claimed))
                    .order_by(d.c.id)
                )
                return [_claimed(r, now) for r in rows]

    async def record(self, results: Sequence[DeliveryResult], now: datetime) -> None:
        if not results:
            return
        async with self._engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                await conn.execution_options(sqlite_begin="IMMEDIATE")
            async with conn.begin():
                await self._record_rows(conn, results)
                await self._update_endpoints(conn, results, now)

    async def _record_rows(self, conn: AsyncConnection, results: Sequence[DeliveryResult]) -> None:
        """The attempts (one multi-row INSERT) and the deliveries' outcomes (one UPDATE sent
        for all the rows: psycopg pipelines it)."""
        d = webhook_delivery
        await conn.execute(
            insert(webhook_attempt),
            [
                {
                    "organization_id": r.claimed.organization_id,
                    "delivery_id": r.claimed.delivery_id,
                    "attempted_at": r.attempted_at,
                    "status_code": r.status_code,
                    "error": r.error,
                    "latency_ms": r.latency_ms,
                }
                for r in results
            ],
        )
        await conn.execute(
            update(d)
            .where(
                d.c.id == bindparam("b_id"),
                d.c.attempts == bindparam("b_attempt"),
                d.c.status == DeliveryStatus.PENDING.value,
            )
            .values(
                status=bindparam("b_status"),
                next_attempt_at=bindparam("b_next", type_=d.c.next_attempt_at.type),
                last_status_code=bindparam("b_code"),
                last_error=bindparam("b_error"),
                last_latency_ms=bindparam("b_latency"),
                delivered_at=bindparam("b_delivered", type_=d.c.delivered_at.type),
            )
            .execution_options(synchronize_session=False),
            [
                {
                    "b_id": r.claimed.delivery_id,
                    "b_attempt": r.claimed.attempt,
                    "b_status": r.outcome.value,
                    "b_next": r.next_attempt_at,
                    "b_code": r.status_code,
                    "b_error": r.error,
                    "b_latency": r.latency_ms,
                    "b_delivered": r.attempted_at
                    if r.outcome is DeliveryStatus.DELIVERED
                    else None,
                }
                for r in results
            ],
        )

    async def _update_endpoints(
        self, conn: AsyncConnection, results: Sequence[DeliveryResult], now: datetime
    ) -> None:
        e = webhook_endpoint
        succeeded = {
            r.claimed.endpoint_id for r in results if r.outcome is DeliveryStatus.DELIVERED
        }
        failed = {
            r.claimed.endpoint_id for r in results if r.outcome is not DeliveryStatus.DELIVERED
        } - succeeded
        gone = {r.claimed.endpoint_id for r in results if r.gone}
        exhausted = {
            r.claimed.endpoint_id
            for r in results
            if r.outcome is DeliveryStatus.FAILED and not r.gone
        }
        if succeeded:
            await conn.execute(
                update(e)
                .where(e.c.id.in_(succeeded), e.c.failing_since.is_not(None))
                .values(failing_since=None)
            )
        if failed:
            await conn.execute(
                update(e)
                .where(e.c.id.in_(failed))
                .values(failing_since=func.coalesce(e.c.failing_since, now))
            )
        disabled: set[int] = set()  # the organizations of the endpoints disabled
        if gone:
            disabled.update(
                await conn.scalars(
                    update(e)
                    .where(e.c.id.in_(gone))
                    .values(active=False, disabled_reason="The endpoint answered 410 Gone")
                    .returning(e.c.organization_id)
                )
            )
        if exhausted:
            disabled.update(
                await conn.scalars(
                    update(e)
                    .where(
                        and_(
                            e.c.id.in_(exhausted),
                            e.c.active.is_(True),
                            e.c.failing_since <= now - self._disable_after,
                        )
                    )
                    .values(
                        active=False,
                        disabled_reason="Disabled after failing for "
                        f"{self._disable_after.total_seconds() / 3600:g} hours",
                    )
                    .returning(e.c.organization_id)
                )
            )
        for organization_id in sorted(disabled):
            # Each process keeps the active endpoints by this version (infra/db/outbox.py).
            await bump_agenda_version(conn, organization_id)


_CLAIMED_COLUMNS = (
    webhook_delivery.c.id,
    webhook_delivery.c.organization_id,
    webhook_delivery.c.attempts,
    webhook_delivery.c.endpoint_id,
    webhook_endpoint.c.url,
    webhook_endpoint.c.secret,
    webhook_endpoint.c.previous_secret,
    webhook_endpoint.c.previous_secret_until,
    outbox_event.c.public_id,
    outbox_event.c.type,
    outbox_event.c.occurred_at,
    outbox_event.c.data,
)


def _claimed(r: Row[*tuple[Any, ...]], now: datetime) -> ClaimedDelivery:
    return ClaimedDelivery(
        delivery_id=r.id,
        organization_id=r.organization_id,
        attempt=r.attempts,
        endpoint_id=r.endpoint_id,
        url=r.url,
        secrets=(r.secret,)
        if r.previous_secret is None
        or r.previous_secret_until is None
        or r.previous_secret_until <= now
        else (r.secret, r.previous_secret),
        event_id=r.public_id,
        event_type=r.type,
        occurred_at=r.occurred_at,
        data=r.data,
    )

"""The transactional outbox: events written with the change, fanned out to webhook deliveries.

Change-feed order. Sequence ids are handed out at insert time, not commit time: a transaction
that took id 5 may commit after one that took id 6, and a poller that already moved past 6
would never see 5. So each event instead takes the next value of its organization's counter
(`event_sequence`) with an upsert that row-locks the counter until the transaction ends. A
second writer of the same organization waits on that lock until the first has committed (and
is visible, as PostgreSQL releases locks only after making a commit visible), so positions are
assigned in commit order and the positions a reader can see are always a gap-free prefix.
The price is that event-emitting writes of one organization serialise from their `add` to
their commit; bookings already do (they lock the organization's credit row), and `add` is the
last write of a use case, so the lock is held only for the commit itself.
On SQLite writers are serialised anyway (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.application.ports import ChangeEvent
from slotbook.domain.events import DeliveryStatus, EventType
from slotbook.infra.db.tables import (
    event_sequence,
    outbox_event,
    webhook_delivery,
    webhook_endpoint,
)


def new_event_id() -> str:
    return "evt_" + uuid.uuid4().hex


def subscribed(events_column: str, event_type: EventType) -> bool:
    return event_type.value in events_column.split(",")


class SqlOutbox:
    def __init__(self, connection: AsyncConnection, organization_id: int) -> None:
        self._conn = connection
        self._org = organization_id

    async def _next_position(self) -> int:
        upsert = pg_insert if self._conn.dialect.name == "postgresql" else sqlite_insert
        statement = (
            upsert(event_sequence)
            .values(organization_id=self._org, last_position=1)
            .on_conflict_do_update(
                index_elements=[event_sequence.c.organization_id],
                set_={"last_position": event_sequence.c.last_position + 1},
            )
            .returning(event_sequence.c.last_position)
        )
        return int((await self._conn.execute(statement)).scalar_one())

    async def add(self, event_type: EventType, data: Mapping[str, Any], now: datetime) -> str:
        public_id = new_event_id()
        event_id = (
            await self._conn.execute(
                insert(outbox_event)
                .values(
                    organization_id=self._org,
                    position=await self._next_position(),
                    public_id=public_id,
                    type=event_type.value,
                    data=orjson.dumps(data).decode(),
                    occurred_at=now,
                )
                .returning(outbox_event.c.id)
            )
        ).scalar_one()
        endpoints = await self._conn.execute(
            select(webhook_endpoint.c.id, webhook_endpoint.c.events).where(
                webhook_endpoint.c.organization_id == self._org,
                webhook_endpoint.c.active.is_(True),
            )
        )
        rows = [
            {
                "organization_id": self._org,
                "endpoint_id": endpoint.id,
                "event_id": event_id,
                "status": DeliveryStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for endpoint in endpoints
            if subscribed(endpoint.events, event_type)
        ]
        if rows:
            await self._conn.execute(insert(webhook_delivery), rows)
        return public_id

    async def changes(self, after: int, limit: int) -> Sequence[ChangeEvent]:
        rows = await self._conn.execute(
            select(outbox_event)
            .where(outbox_event.c.organization_id == self._org, outbox_event.c.position > after)
            .order_by(outbox_event.c.position)
            .limit(limit)
        )
        return [
            ChangeEvent(
                position=row.position,
                id=row.public_id,
                type=EventType(row.type),
                occurred_at=row.occurred_at,
                data=orjson.loads(row.data),
            )
            for row in rows
        ]

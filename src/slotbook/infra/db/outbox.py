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

One round trip per event on PostgreSQL: the counter's upsert, the event and its deliveries
are one statement (data-modifying CTEs); SQLite runs them one by one (it has no such CTEs,
and its statements cost no round trip). The organization's webhook endpoints are kept per
process with the organization's configuration version, as the agenda is (application/agenda.py):
every write of an endpoint adds one to that version, and a unit of work reads the version once.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import ARRAY, Integer, String, Text, any_, bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.application.ports import ChangeEvent
from slotbook.domain.events import DeliveryStatus, EventType
from slotbook.infra.db.agenda_version import AgendaVersion
from slotbook.infra.db.schema_base import UTCDateTime
from slotbook.infra.db.tables import (
    event_sequence,
    outbox_event,
    webhook_delivery,
    webhook_endpoint,
)

# Organizations whose endpoints one process keeps; the least recently used one goes first.
MAX_ORGANIZATIONS = 1000

Endpoints = tuple[tuple[int, str], ...]  # (id, comma-separated event types) of active ones


def new_event_id() -> str:
    return "evt_" + uuid.uuid4().hex


def subscribed(events_column: str, event_type: EventType) -> bool:
    return event_type.value in events_column.split(",")


class WebhookSubscriptions:
    """One process's active webhook endpoints per organization, with the version they were
    read at (the organization's agenda version, which every endpoint write bumps)."""

    def __init__(self, max_organizations: int = MAX_ORGANIZATIONS) -> None:
        self._max = max_organizations
        self._kept: OrderedDict[int, tuple[int, Endpoints]] = OrderedDict()

    def get(self, organization_id: int, version: int) -> Endpoints | None:
        kept = self._kept.get(organization_id)
        if kept is None or kept[0] != version:
            return None
        self._kept.move_to_end(organization_id)
        return kept[1]

    def keep(self, organization_id: int, version: int, endpoints: Endpoints) -> None:
        kept = self._kept.get(organization_id)
        if kept is not None and kept[0] > version:
            return  # read by a unit of work older than the one kept
        self._kept[organization_id] = (version, endpoints)
        self._kept.move_to_end(organization_id)
        while len(self._kept) > self._max:
            self._kept.popitem(last=False)


# The statements, built once (SQLAlchemy computes a built statement's cache key once, and
# finds its compiled form by it).
_ORG = bindparam("p_org", type_=Integer)
_NOW = bindparam("p_now", type_=UTCDateTime())
_ACTIVE_ENDPOINTS = select(webhook_endpoint.c.id, webhook_endpoint.c.events).where(
    webhook_endpoint.c.organization_id == _ORG, webhook_endpoint.c.active.is_(True)
)


def _next_position(upsert: Any) -> Any:
    return (
        upsert(event_sequence)
        .values(organization_id=_ORG, last_position=1)
        .on_conflict_do_update(
            index_elements=[event_sequence.c.organization_id],
            set_={"last_position": event_sequence.c.last_position + 1},
        )
        .returning(event_sequence.c.last_position)
    )


_PUBLIC_ID = bindparam("p_public_id", type_=String)
_TYPE = bindparam("p_type", type_=String)
_DATA = bindparam("p_data", type_=Text)


def _from_select(table: Any, row: dict[str, Any], *where: Any) -> Any:
    """INSERT INTO table (the row's columns) SELECT (its values) [WHERE ...]."""
    return insert(table).from_select(list(row), select(*row.values()).where(*where))


def _deliveries(event_id: Any) -> Any:
    """The deliveries of event `event_id` (a one-row select) to the endpoints `p_endpoints`
    (those that still exist: one deleted since it was read gets none)."""
    row = {
        "organization_id": _ORG,
        "endpoint_id": webhook_endpoint.c.id,
        "event_id": event_id.scalar_subquery(),
        "status": bindparam("p_pending", DeliveryStatus.PENDING.value, type_=String),
        "attempts": bindparam("p_attempts", 0, type_=Integer),
        "next_attempt_at": _NOW,
        "created_at": _NOW,
    }
    return _from_select(
        webhook_delivery,
        row,
        webhook_endpoint.c.organization_id == _ORG,
        webhook_endpoint.c.id == any_(bindparam("p_endpoints", type_=ARRAY(Integer))),
    )


def _postgresql_add(with_deliveries: bool) -> Any:
    position = _next_position(pg_insert).cte("next_position")
    row = {
        "organization_id": _ORG,
        "position": position.c.last_position,
        "public_id": _PUBLIC_ID,
        "type": _TYPE,
        "data": _DATA,
        "occurred_at": _NOW,
    }
    event = _from_select(outbox_event, row).returning(outbox_event.c.id).cte("event")
    statement = select(event.c.id)
    if with_deliveries:
        statement = statement.add_cte(_deliveries(select(event.c.id)).cte("delivery"))
    return statement


_PG_ADD = _postgresql_add(with_deliveries=False)
_PG_ADD_DELIVERED = _postgresql_add(with_deliveries=True)
_SQLITE_POSITION = _next_position(sqlite_insert)
_SQLITE_EVENT = (
    insert(outbox_event)
    .values(
        organization_id=_ORG,
        position=bindparam("p_position", type_=Integer),
        public_id=_PUBLIC_ID,
        type=_TYPE,
        data=_DATA,
        occurred_at=_NOW,
    )
    .returning(outbox_event.c.id)
)
_SQLITE_DELIVERIES = insert(webhook_delivery)


class SqlOutbox:
    def __init__(
        self,
        connection: AsyncConnection,
        organization_id: int,
        version: AgendaVersion | None = None,
        subscriptions: WebhookSubscriptions | None = None,
    ) -> None:
        self._conn = connection
        self._org = organization_id
        self._version = version
        self._subscriptions = subscriptions

    async def _endpoints(self) -> Endpoints:
        version = None
        if self._version is not None and self._subscriptions is not None:
            version = await self._version.read()
            if version is not None:
                kept = self._subscriptions.get(self._org, version)
                if kept is not None:
                    return kept
        # Read after the version: what is read is at least as recent as the version it is
        # kept under, and a newer version drops it.
        rows = await self._conn.execute(_ACTIVE_ENDPOINTS, {"p_org": self._org})
        endpoints = tuple((row.id, row.events) for row in rows)
        if version is not None and self._subscriptions is not None:
            self._subscriptions.keep(self._org, version, endpoints)
        return endpoints

    async def add(self, event_type: EventType, data: Mapping[str, Any], now: datetime) -> str:
        public_id = new_event_id()
        targets = [id_ for id_, events in await self._endpoints() if subscribed(events, event_type)]
        values = {
            "p_org": self._org,
            "p_public_id": public_id,
            "p_type": event_type.value,
            "p_data": orjson.dumps(data).decode(),
            "p_now": now,
        }
        if self._conn.dialect.name == "postgresql":
            if targets:
                await self._conn.execute(_PG_ADD_DELIVERED, {**values, "p_endpoints": targets})
            else:
                await self._conn.execute(_PG_ADD, values)
            return public_id
        position = (await self._conn.execute(_SQLITE_POSITION, values)).scalar_one()
        event_id = (
            await self._conn.execute(_SQLITE_EVENT, {**values, "p_position": position})
        ).scalar_one()
        if targets:
            await self._conn.execute(
                _SQLITE_DELIVERIES,
                [
                    {
                        "organization_id": self._org,
                        "endpoint_id": endpoint_id,
                        "event_id": event_id,
                        "status": DeliveryStatus.PENDING.value,
                        "attempts": 0,
                        "next_attempt_at": now,
                        "created_at": now,
                    }
                    for endpoint_id in targets
                ],
            )
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

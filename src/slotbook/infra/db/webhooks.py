"""Webhook endpoints of one organization, and the log of their deliveries.

Every change of which endpoints receive which events adds one to the organization's agenda
version, in its transaction: each process keeps the endpoints by that version (outbox.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.application.ports import (
    DeliveryAttempt,
    DeliveryRecord,
    NewWebhook,
    Page,
    WebhookChanges,
    WebhookEndpoint,
)
from slotbook.domain.events import DeliveryStatus, EventType
from slotbook.infra.db.agenda_version import AgendaVersion
from slotbook.infra.db.tables import (
    outbox_event,
    webhook_attempt,
    webhook_delivery,
    webhook_endpoint,
)


def _events_text(events: frozenset[EventType]) -> str:
    return ",".join(sorted(e.value for e in events))


def _endpoint(row: Any) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row.id,
        url=row.url,
        description=row.description,
        events=frozenset(EventType(e) for e in row.events.split(",") if e),
        active=bool(row.active),
        disabled_reason=row.disabled_reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlWebhooks:
    def __init__(
        self, connection: AsyncConnection, organization_id: int, version: AgendaVersion
    ) -> None:
        self._conn = connection
        self._org = organization_id
        self._version = version

    def _mine(self, webhook_id: int) -> Any:
        return (webhook_endpoint.c.organization_id == self._org) & (
            webhook_endpoint.c.id == webhook_id
        )

    async def add(self, new: NewWebhook, now: datetime) -> WebhookEndpoint:
        await self._version.changed()
        row = (
            await self._conn.execute(
                insert(webhook_endpoint)
                .values(
                    organization_id=self._org,
                    url=new.url,
                    description=new.description,
                    events=_events_text(new.events),
                    active=new.active,
                    secret=new.secret,
                    created_at=now,
                    updated_at=now,
                )
                .returning(webhook_endpoint)
            )
        ).one()
        return _endpoint(row)

    async def get(self, webhook_id: int) -> WebhookEndpoint | None:
        row = (
            await self._conn.execute(select(webhook_endpoint).where(self._mine(webhook_id)))
        ).first()
        return _endpoint(row) if row else None

    async def list(self, page: int, size: int) -> Page[WebhookEndpoint]:
        where = webhook_endpoint.c.organization_id == self._org
        total = (
            await self._conn.execute(
                select(func.count()).select_from(webhook_endpoint).where(where)
            )
        ).scalar_one()
        rows = await self._conn.execute(
            select(webhook_endpoint)
            .where(where)
            .order_by(webhook_endpoint.c.id)
            .limit(size)
            .offset(page * size)
        )
        return Page([_endpoint(r) for r in rows], page, size, total)

    async def update(
        self, webhook_id: int, changes: WebhookChanges, now: datetime
    ) -> WebhookEndpoint | None:
        values: dict[str, Any] = {"updated_at": now}
        if changes.url is not None:
            values["url"] = changes.url
        if changes.description is not None:
            values["description"] = changes.description or None
        if changes.events is not None:
            values["events"] = _events_text(changes.events)
        if changes.active is not None:
            values["active"] = changes.active
            if changes.active:
                # Re-enabled by its owner: forget why it was disabled and the failure streak.
                values["disabled_reason"] = None
                values["failing_since"] = None
        row = (
            await self._conn.execute(
                update(webhook_endpoint)
                .where(self._mine(webhook_id))
                .values(values)
                .returning(webhook_endpoint)
            )
        ).first()
        if row is not None and (changes.events is not None or changes.active is not None):
            await self._version.changed()
        return _endpoint(row) if row else None

    async def delete(self, webhook_id: int) -> bool:
        result = await self._conn.execute(delete(webhook_endpoint).where(self._mine(webhook_id)))
        if result.rowcount:
            await self._version.changed()
        return bool(result.rowcount)

    async def rotate_secret(
        self, webhook_id: int, secret: str, previous_valid_until: datetime, now: datetime
    ) -> bool:
        result = await self._conn.execute(
            update(webhook_endpoint)
            .where(self._mine(webhook_id))
            .values(
                previous_secret=webhook_endpoint.c.secret,
                previous_secret_until=previous_valid_until,
                secret=secret,
                updated_at=now,
            )
        )
        return bool(result.rowcount)

    async def deliveries(self, webhook_id: int, page: int, size: int) -> Page[DeliveryRecord]:
        where = (webhook_delivery.c.organization_id == self._org) & (
            webhook_delivery.c.endpoint_id == webhook_id
        )
        total = (
            await self._conn.execute(
                select(func.count()).select_from(webhook_delivery).where(where)
            )
        ).scalar_one()
        rows = (
            await self._conn.execute(
                select(
                    webhook_delivery,
                    outbox_event.c.public_id,
                    outbox_event.c.type,
                )
                .select_from(
                    webhook_delivery.join(
                        outbox_event, outbox_event.c.id == webhook_delivery.c.event_id
                    )
                )
                .where(where)
                .order_by(webhook_delivery.c.id.desc())
                .limit(size)
                .offset(page * size)
            )
        ).all()
        attempts: dict[int, list[DeliveryAttempt]] = defaultdict(list)
        if rows:
            for a in await self._conn.execute(
                select(webhook_attempt)
                .where(webhook_attempt.c.delivery_id.in_([r.id for r in rows]))
                .order_by(webhook_attempt.c.id)
            ):
                attempts[a.delivery_id].append(
                    DeliveryAttempt(a.attempted_at, a.status_code, a.error, a.latency_ms)
                )
        records = [
            DeliveryRecord(
                id=r.id,
                event_id=r.public_id,
                event_type=EventType(r.type),
                status=DeliveryStatus(r.status),
                attempts=r.attempts,
                next_attempt_at=r.next_attempt_at
                if r.status == DeliveryStatus.PENDING.value
                else None,
                last_status_code=r.last_status_code,
                last_error=r.last_error,
                last_latency_ms=r.last_latency_ms,
                delivered_at=r.delivered_at,
                created_at=r.created_at,
                attempt_log=attempts[r.id],
            )
            for r in rows
        ]
        return Page(records, page, size, total)

    async def redeliver(self, webhook_id: int, delivery_id: int, now: datetime) -> bool:
        # A fresh retry schedule with the same event, so the same webhook-id: receivers dedupe.
        result = await self._conn.execute(
            update(webhook_delivery)
            .where(
                webhook_delivery.c.organization_id == self._org,
                webhook_delivery.c.endpoint_id == webhook_id,
                webhook_delivery.c.id == delivery_id,
            )
            .values(status=DeliveryStatus.PENDING.value, attempts=0, next_attempt_at=now)
        )
        return bool(result.rowcount)

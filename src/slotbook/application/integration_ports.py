"""Ports of the integrations: the outbox, webhooks, the URL guard and idempotency keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from slotbook.domain.events import DeliveryStatus, EventType

if TYPE_CHECKING:
    from slotbook.application.ports import Page


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One published event: its place in the organization's change feed, and its content."""

    position: int
    id: str  # public id, the webhook-id of every delivery of this event
    type: EventType
    occurred_at: datetime
    data: Mapping[str, Any]


class OutboxRepository(Protocol):
    async def add(self, event_type: EventType, data: Mapping[str, Any], now: datetime) -> str:
        """Record an event in the current transaction (it exists iff the transaction commits)
        and schedule one delivery per subscribed active webhook; returns the event's id.

        Call it as the last write of a use case: it takes the organization's feed position,
        a lock held until commit that orders the change feed by commit time."""
        ...

    async def changes(self, after: int, limit: int) -> Sequence[ChangeEvent]: ...


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    id: int
    url: str
    description: str | None
    events: frozenset[EventType]
    active: bool
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NewWebhook:
    url: str
    description: str | None
    events: frozenset[EventType]
    active: bool
    secret: str


@dataclass(frozen=True, slots=True)
class WebhookChanges:
    """A partial update; None leaves a field as it is ("" clears the description)."""

    url: str | None = None
    description: str | None = None
    events: frozenset[EventType] | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    attempted_at: datetime
    status_code: int | None
    error: str | None
    latency_ms: int


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    event_id: str
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    last_latency_ms: int | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: Sequence[DeliveryAttempt]


class WebhookRepository(Protocol):
    async def add(self, new: NewWebhook, now: datetime) -> WebhookEndpoint: ...
    async def get(self, webhook_id: int) -> WebhookEndpoint | None: ...
    async def list(self, page: int, size: int) -> Page[WebhookEndpoint]: ...
    async def update(
        self, webhook_id: int, changes: WebhookChanges, now: datetime
    ) -> WebhookEndpoint | None: ...
    async def delete(self, webhook_id: int) -> bool: ...
    async def rotate_secret(
        self, webhook_id: int, secret: str, previous_valid_until: datetime, now: datetime
    ) -> bool:
        """Sign with `secret` from now on, and also with the old one until the given time."""
        ...

    async def deliveries(self, webhook_id: int, page: int, size: int) -> Page[DeliveryRecord]: ...
    async def redeliver(self, webhook_id: int, delivery_id: int, now: datetime) -> bool: ...


class UrlGuard(Protocol):
    async def check(self, url: str) -> None:
        """Refuse (InvalidWebhookUrl) a URL that is not http(s) or reaches a non-public address."""
        ...


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    content_type: str | None
    body: bytes


@dataclass(frozen=True, slots=True)
class IdempotencyClaim:
    """The right to run a keyed request: `record_id` is finished with its response."""

    record_id: int


class IdempotencyStore(Protocol):
    """Responses stored per organization and Idempotency-Key."""

    async def begin(
        self, organization_id: int, key: str, fingerprint: str, now: datetime
    ) -> IdempotencyClaim | StoredResponse:
        """A claim to run the request, or the stored response to replay. Raises
        IdempotencyKeyReused (another request used the key) or IdempotencyInProgress."""
        ...

    async def finish(self, claim: IdempotencyClaim, response: StoredResponse) -> None:
        """Store the response, committing the request's own transaction with it if it waits."""
        ...

    async def abandon(self, claim: IdempotencyClaim) -> None:
        """Forget the claim (and roll back the request's waiting transaction): retryable."""
        ...

    async def purge(self, now: datetime) -> int: ...

"""Webhook endpoint and delivery bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import Field, StrictBool

from slotbook.api.schemas.common import (
    NOT_BOOLEAN,
    CamelModel,
    Name,
    PageFields,
    RequestModel,
    UrlText,
)
from slotbook.application.ports import DeliveryAttempt, DeliveryRecord, WebhookEndpoint
from slotbook.domain.events import DeliveryStatus, EventType

WebhookUrl = UrlText
Description = Name  # free text of up to 200 characters, checked like a name
EventList = Annotated[list[EventType], Field(min_length=1, max_length=len(EventType))]


def utc_text(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


class WebhookCreate(RequestModel):
    url: WebhookUrl = Field(examples=["https://example.com/slotbook/webhooks"])
    events: EventList = Field(examples=[["appointment.created", "appointment.cancelled"]])
    active: StrictBool = True
    description: Description | None = None


class WebhookUpdate(RequestModel):
    url: WebhookUrl | None = None
    events: EventList | None = None
    active: StrictBool | None = None
    description: Description | None = Field(None, description="null clears it")


class SecretRotation(RequestModel):
    keep_previous_seconds: Annotated[int, Field(ge=0, le=7 * 86_400), NOT_BOOLEAN] = Field(
        86_400, description="How long the old secret keeps signing too (two signatures)"
    )


class WebhookRead(CamelModel):
    id: int
    url: str
    events: list[EventType]
    active: bool
    description: str | None
    disabled_reason: str | None = Field(
        description="Why Slotbook disabled it (410 Gone, failing for too long)"
    )
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, e: WebhookEndpoint) -> WebhookRead:
        return cls(
            id=e.id,
            url=e.url,
            events=sorted(e.events),
            active=e.active,
            description=e.description,
            disabled_reason=e.disabled_reason,
            created_at=utc_text(e.created_at) or "",
            updated_at=utc_text(e.updated_at) or "",
        )


class WebhookWithSecret(WebhookRead):
    secret: str = Field(
        description="The signing secret, shown only now",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class WebhookPage(PageFields):
    webhooks: list[WebhookRead]


class AttemptRead(CamelModel):
    attempted_at: str
    status_code: int | None
    error: str | None
    latency_ms: int

    @classmethod
    def of(cls, a: DeliveryAttempt) -> AttemptRead:
        return cls(
            attempted_at=utc_text(a.attempted_at) or "",
            status_code=a.status_code,
            error=a.error,
            latency_ms=a.latency_ms,
        )


class DeliveryRead(CamelModel):
    id: int
    event_id: str = Field(description="Also the webhook-id header of every attempt")
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None
    last_latency_ms: int | None
    delivered_at: str | None
    created_at: str
    attempt_log: list[AttemptRead]

    @classmethod
    def of(cls, d: DeliveryRecord) -> DeliveryRead:
        return cls(
            id=d.id,
            event_id=d.event_id,
            event_type=d.event_type,
            status=d.status,
            attempts=d.attempts,
            next_attempt_at=utc_text(d.next_attempt_at),
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            last_latency_ms=d.last_latency_ms,
            delivered_at=utc_text(d.delivered_at),
            created_at=utc_text(d.created_at) or "",
            attempt_log=[AttemptRead.of(a) for a in d.attempt_log],
        )


class DeliveryPage(PageFields):
    deliveries: list[DeliveryRead]


class RedeliveryAccepted(CamelModel):
    status: DeliveryStatus = Field(
        description="Always PENDING: the delivery is queued", examples=["PENDING"]
    )

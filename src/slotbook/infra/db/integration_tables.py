"""The tables of events, webhooks and idempotency keys (revision 0004)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from slotbook.infra.db.schema_base import (
    UTCDateTime,
    log_references,
    metadata,
    tenant_referable,
    tenant_reference,
)

# The organization's change-feed counter. Taking the next position row-locks it until commit,
# so positions are handed out in commit order (see infra/db/outbox.py).
event_sequence = Table(
    "event_sequence",
    metadata,
    Column("organization_id", ForeignKey("organization.id"), primary_key=True),
    Column("last_position", Integer, nullable=False),
)

outbox_event = Table(
    "outbox_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("public_id", String(40), nullable=False, unique=True),
    Column("type", String(64), nullable=False),
    Column("data", Text, nullable=False),  # JSON
    Column("occurred_at", UTCDateTime, nullable=False),
    UniqueConstraint("organization_id", "position", name="uq_outbox_event_org_position"),
    *log_references("organization_id"),
    tenant_referable("outbox_event"),
)

webhook_endpoint = Table(
    "webhook_endpoint",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("url", String(2048), nullable=False),
    Column("description", String(200)),
    Column("events", Text, nullable=False),  # comma-separated event types
    Column("active", Boolean, nullable=False),
    Column("secret", String(120), nullable=False),
    Column("previous_secret", String(120)),
    Column("previous_secret_until", UTCDateTime),
    Column("failing_since", UTCDateTime),  # first failure since the last success
    Column("disabled_reason", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    tenant_referable("webhook_endpoint"),
)

webhook_delivery = Table(
    "webhook_delivery",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("endpoint_id", Integer, nullable=False),
    Column("event_id", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    # Due time while PENDING; a claimed delivery is pushed one lease ahead, so a worker that
    # dies mid-send leaves it due again after the lease.
    Column("next_attempt_at", UTCDateTime),
    Column("last_status_code", Integer),
    Column("last_error", String(300)),
    Column("last_latency_ms", Integer),
    Column("delivered_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    # One delivery per endpoint and event, within the organization on PostgreSQL (revision
    # 0016). SQLite keeps the old constraint: changing it rebuilds the table, and dropping the
    # old table under foreign_keys=ON would cascade-delete every attempt.
    UniqueConstraint(
        "organization_id", "endpoint_id", "event_id", name="uq_webhook_delivery_org_endpoint_event"
    ).ddl_if(dialect="postgresql"),
    UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_delivery_endpoint_event").ddl_if(
        dialect="sqlite"
    ),
    Index("ix_webhook_delivery_status_due", "status", "next_attempt_at"),
    Index("ix_webhook_delivery_endpoint_id", "endpoint_id", "id"),
    *tenant_reference("webhook_delivery", "endpoint_id", "webhook_endpoint", "CASCADE"),
    *tenant_reference("webhook_delivery", "event_id", "outbox_event"),
    tenant_referable("webhook_delivery"),
)

webhook_attempt = Table(
    "webhook_attempt",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("delivery_id", Integer, nullable=False),
    Column("attempted_at", UTCDateTime, nullable=False),
    Column("status_code", Integer),
    Column("error", String(300)),
    Column("latency_ms", Integer, nullable=False),
    # Revision 0016 (expand): every writer sets it; NOT NULL comes with the contract step.
    Column("organization_id", Integer),
    Index("ix_webhook_attempt_delivery", "delivery_id", "id"),
    *tenant_reference("webhook_attempt", "delivery_id", "webhook_delivery", "CASCADE"),
)

idempotency_key = Table(
    "idempotency_key",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(16), nullable=False),  # IN_PROGRESS, COMPLETED
    Column("locked_until", UTCDateTime, nullable=False),
    Column("status_code", Integer),
    Column("content_type", String(100)),
    Column("body", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    UniqueConstraint("organization_id", "key", name="uq_idempotency_key_org_key"),
    Index("ix_idempotency_key_expires", "expires_at"),
)

"""The schema as SQLAlchemy Core tables; Alembic revisions are the only way it is created."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# The partial listing indexes of the appointment table (after organization_id).
LISTING_INDEXES: dict[str, tuple[str, ...]] = {
    "org_starts": ("starts_at", "id"),
    "org_external_user": ("external_user_id", "starts_at"),
    "org_department_starts": ("department_id", "starts_at"),
    "org_status_starts": ("status", "starts_at"),
    "org_worker_starts": ("worker_id", "starts_at"),
    "org_client_starts": ("client_id", "starts_at"),
    "org_patient_starts": ("patient_id", "starts_at"),
    "org_created": ("created_at", "id"),
}

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC: timestamptz on PostgreSQL, naive UTC text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


organization = Table(
    "organization",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("credits", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("credits >= 0", name="credits_not_negative"),
)

department = Table(
    "department",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("description", Text),
    Column("show_admins_in_booking", Boolean, nullable=False, server_default=false()),
    Column("time_zone", String(64)),  # None: the organization's
    Column("created_at", UTCDateTime, nullable=False),
    Column("no_show_limit", Integer),  # None: no limit
    Column("no_show_window_days", Integer, nullable=False, server_default="90"),
)

worker = Table(
    "worker",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

department_worker = Table(
    "department_worker",
    metadata,
    Column("department_id", ForeignKey("department.id"), primary_key=True),
    Column("worker_id", ForeignKey("worker.id"), primary_key=True),
)

api_key = Table(
    "api_key",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("scopes", Text, nullable=False),  # comma-separated
    Column("rate_limit_per_hour", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
    Column("expires_at", UTCDateTime),
)

client = Table(
    "client",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("name", String(200)),  # every personal column is None once erased
    Column("email", String(254)),  # lower case; unique in the organization
    Column("phone", String(64)),
    Column("second_phone", String(64)),
    Column("external_user_id", String(255)),
    Column("notes", Text),
    Column("no_show_count", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("erased_at", UTCDateTime),
    UniqueConstraint("organization_id", "email", name="uq_client_organization_email"),
    Index("ix_client_org_id", "organization_id", "id"),
    Index("ix_client_org_external_user", "organization_id", "external_user_id"),
)

patient = Table(
    "patient",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("client_id", ForeignKey("client.id"), nullable=False),
    Column("name", String(200)),
    Column("species", String(100)),
    Column("birth_date", Date),
    Column("notes", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_patient_org_client", "organization_id", "client_id", "id"),
)

appointment = Table(
    "appointment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("department_id", ForeignKey("department.id"), nullable=False),
    Column("worker_id", ForeignKey("worker.id")),
    Column("name", String(200), nullable=False),
    Column("external_user_id", String(255)),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("qr_token", String(64), nullable=False, unique=True),
    Column("created_by_key_id", ForeignKey("api_key.id")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("cancelled_at", UTCDateTime),
    Column("client_id", ForeignKey("client.id")),
    Column("patient_id", ForeignKey("patient.id")),
    Column("notes", Text),
    Column("reason", Text),
    Column("is_urgent", Boolean, nullable=False, server_default=false()),
    Column("source", String(255)),
    Column("from_web", Boolean, nullable=False, server_default=true()),
    Column("telehealth_url", String(2048)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("arrived_at", UTCDateTime),
    Column("archived_at", UTCDateTime),
    Column("cancellation_reason", Integer),
    Column("cancellation_note", Text),
    Column("repeated_from_id", ForeignKey("appointment.id")),
    # Lists hide archived appointments by default, so the listing indexes are partial on
    # "not archived": their counts are index-only scans.
    *(
        Index(
            f"ix_appointment_{name}",
            "organization_id",
            *columns,
            postgresql_where=text("archived_at IS NULL"),
            sqlite_where=text("archived_at IS NULL"),
        )
        for name, columns in LISTING_INDEXES.items()
    ),
    Index("ix_appointment_org_archived", "organization_id", "archived_at"),
    Index("ix_appointment_repeated_from", "repeated_from_id", "starts_at"),
)

credit_ledger = Table(
    "credit_ledger",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("delta", Integer, nullable=False),
    Column("balance_after", Integer, nullable=False),
    Column("reason", String(16), nullable=False),
    Column("appointment_id", ForeignKey("appointment.id")),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("balance_after >= 0", name="balance_after_not_negative"),
    Index("ix_credit_ledger_org_id", "organization_id", "id"),
)

# Append-only: database triggers refuse UPDATE and DELETE (see revision 0003).
appointment_event = Table(
    "appointment_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("appointment_id", ForeignKey("appointment.id"), nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor", String(16), nullable=False),
    Column("api_key_id", ForeignKey("api_key.id")),
    Column("changes", Text, nullable=False),  # JSON: {"values": {...}, "personal": [...]}
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_appointment_event_org_appointment", "organization_id", "appointment_id", "id"),
)

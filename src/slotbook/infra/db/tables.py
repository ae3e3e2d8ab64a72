"""The schema as SQLAlchemy Core tables; Alembic revisions are the only way it is created."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

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
    Index("ix_appointment_org_starts", "organization_id", "starts_at", "id"),
    Index("ix_appointment_org_external_user", "organization_id", "external_user_id"),
    Index("ix_appointment_org_department_starts", "organization_id", "department_id", "starts_at"),
    Index("ix_appointment_org_status_starts", "organization_id", "status", "starts_at"),
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

dashboard_user = Table(
    "dashboard_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("email", String(254), nullable=False, unique=True),  # lower-cased
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime),
    Column("last_login_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('owner', 'staff')", name="role_known"),
)

dashboard_session = Table(
    "dashboard_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column(
        "user_id", ForeignKey("dashboard_user.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)

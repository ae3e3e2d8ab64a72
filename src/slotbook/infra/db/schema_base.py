"""What every table module shares: the metadata (with its naming convention) and the instant
type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKeyConstraint, MetaData
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

# What a log column refers to, by its name.
_REFERRED = {
    "organization_id": "organization",
    "appointment_id": "appointment",
    "api_key_id": "api_key",
}


def log_references(*columns: str) -> list[ForeignKeyConstraint]:
    """The foreign keys of an append-only log (the credit ledger, the appointment history,
    the outbox): kept on SQLite, dropped on PostgreSQL by revision 0012, where each cost
    every booking a check. What they refer to is never deleted, and the log's writer holds
    the ids it writes."""
    return [
        ForeignKeyConstraint([column], [f"{_REFERRED[column]}.id"]).ddl_if(dialect="sqlite")
        for column in columns
    ]


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

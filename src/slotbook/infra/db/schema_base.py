"""What every table module shares: the metadata (with its naming convention) and the instant
type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKeyConstraint, MetaData, UniqueConstraint
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


def tenant_reference(
    table: str, column: str, referred: str, ondelete: str | None = None
) -> list[ForeignKeyConstraint]:
    """A reference from one tenant table to another: on PostgreSQL (organization_id, column)
    to the referred table's (organization_id, id), so a row can only name a row of its own
    organization and a database distributed by organization checks it on one node (revision
    0016; appointment's key to its department is the first, revision 0010). SQLite keeps its
    key on the id alone: it is never distributed, and rebuilding its tables for the new key
    would also rebuild their triggers and indexes, for nothing to gain."""
    return [
        ForeignKeyConstraint(
            ["organization_id", column],
            [f"{referred}.organization_id", f"{referred}.id"],
            name=f"fk_{table}_{column}_org",
            ondelete=ondelete,
        ).ddl_if(dialect="postgresql"),
        ForeignKeyConstraint(
            [column],
            [f"{referred}.id"],
            name=f"fk_{table}_{column}_{referred}",
            ondelete=ondelete,
        ).ddl_if(dialect="sqlite"),
    ]


def tenant_referable(table: str) -> UniqueConstraint:
    """What a tenant_reference refers to: (organization_id, id), unique because id is. Only
    on PostgreSQL, where the references include organization_id."""
    return UniqueConstraint("organization_id", "id", name=f"uq_{table}_organization_id_id").ddl_if(
        dialect="postgresql"
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

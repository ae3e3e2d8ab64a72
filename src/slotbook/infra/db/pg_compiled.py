"""SQLAlchemy selects run by pg_direct on PostgreSQL: compiled to text once, rows as tuples.

A SQLAlchemy statement costs its request far more than running it: the unit of work opens a
SQLAlchemy connection over its psycopg one (a greenlet switch each way), the statement is
built and looked up in the compiled cache on every call, and psycopg describes every column
of the result for SQLAlchemy's result object. `GET /api/v1/appointments/{id}` spent 3.3 ms of
server CPU that way, against 1.7 ms for a whole booking (docs/benchmarks.md). A read that
stays as it is on SQLite is compiled here once, for PostgreSQL, with named bind parameters,
and runs through PgDirect as a prepared statement; its rows come back as named tuples, so
the code that maps a SQLAlchemy row maps them unchanged.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Select

from slotbook.infra.db.pg_direct import PgDirect

_DIALECT = PGDialect_psycopg()  # type: ignore[no-untyped-call]


@dataclass(frozen=True, slots=True)
class CompiledRead:
    """A select, and its PostgreSQL text with psycopg's `%(name)s` placeholders and the named
    tuple of its columns (their labels). Run on the unit of work's PgDirect when there is one
    (PostgreSQL), else through SQLAlchemy: the same rows either way."""

    statement: Select[Any]
    sql: str
    row: type[tuple[Any, ...]]

    async def first(
        self, conn: AsyncConnection, direct: PgDirect | None, params: Mapping[str, Any]
    ) -> Any | None:
        if direct is None:
            return (await conn.execute(self.statement, dict(params))).first()
        found = await direct.first(self.sql, dict(params))
        return self.row(*found) if found is not None else None

    async def all(
        self, conn: AsyncConnection, direct: PgDirect | None, params: Mapping[str, Any]
    ) -> list[Any]:
        if direct is None:
            return list(await conn.execute(self.statement, dict(params)))
        return [self.row(*r) for r in await direct.rows(self.sql, dict(params))]


def compiled_read(statement: Select[Any]) -> CompiledRead:
    """Compile `statement`, whose parameters are all `bindparam(name)` without values."""
    text = str(statement.compile(dialect=_DIALECT))
    names = [str(column.key) for column in statement.selected_columns]
    return CompiledRead(statement, text, namedtuple("Row", names))  # type: ignore[misc]

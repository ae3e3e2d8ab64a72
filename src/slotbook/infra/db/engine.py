"""Engines for SQLite (WAL, BEGIN IMMEDIATE for writes) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000


def async_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.set(drivername="sqlite+aiosqlite"))
    return str(parsed.set(drivername="postgresql+psycopg"))


def sync_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.set(drivername="sqlite"))
    return str(parsed.set(drivername="postgresql+psycopg"))


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    """Let us issue BEGIN ourselves, so write transactions take the write lock up front.

    With a deferred BEGIN a transaction that reads and then writes must upgrade its lock, and
    under WAL that upgrade fails at once with SQLITE_BUSY instead of waiting (busy_timeout is
    not consulted). BEGIN IMMEDIATE makes concurrent bookings queue instead of failing.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_async_engine(
    url: str, pool_size: int = 10, max_overflow: int = 5, *, prepared_statements: bool = True
) -> AsyncEngine:
    """An engine holding at most pool_size + max_overflow PostgreSQL connections."""
    if is_sqlite(url):
        engine = create_async_engine(async_url(url))
        _configure_sqlite(engine.sync_engine)
        return engine
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=False,
        # psycopg prepares a statement on its 5th run on a connection (its default): a booking
        # then costs PostgreSQL about a quarter less CPU (no parse and plan per statement,
        # docs/benchmarks.md). Any ROLLBACK (also ROLLBACK TO SAVEPOINT, a refused booking)
        # makes psycopg send DEALLOCATE ALL and prepare again, so reads commit (uow.py).
        # Without (SLOTBOOK_DB_PREPARED_STATEMENTS=false) nothing is prepared, for PgBouncer
        # in transaction pooling.
        connect_args={"prepare_threshold": 5 if prepared_statements else None},
    )


def make_sync_engine(url: str) -> Engine:
    # Nothing prepared here either: psycopg would prepare a statement run five times, which a
    # PgBouncer in transaction pooling cannot keep (the CLI may be pointed at one).
    engine = create_engine(
        sync_url(url), connect_args={} if is_sqlite(url) else {"prepare_threshold": None}
    )
    if is_sqlite(url):
        _configure_sqlite(engine)
    return engine

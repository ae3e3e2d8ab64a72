"""A fresh PostgreSQL database for one benchmark run, dropped at the end."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url


def plain_dsn(url: str) -> str:
    """The URL as psycopg takes it (SQLAlchemy's `+driver` removed; database `postgres` when
    it names none)."""
    parsed = make_url(url)
    parsed = parsed.set(drivername="postgresql", database=parsed.database or "postgres")
    return parsed.render_as_string(hide_password=False)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of `server_url` (its database, or `postgres`, is
    where it is created from), as a plain postgresql:// URL; dropped at the end even if
    connections are left open."""
    name = f"slotbook_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(plain_dsn(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield plain_dsn(make_url(server_url).set(database=name).render_as_string(False))
    finally:
        with psycopg.connect(plain_dsn(server_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

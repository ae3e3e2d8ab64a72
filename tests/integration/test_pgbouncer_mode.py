"""SLOTBOOK_DB_PREPARED_STATEMENTS=false, for PgBouncer in transaction pooling: bookings,
reads and cancellations on PostgreSQL leave no server-side prepared statement on any
connection (PgBouncer 1.18 in transaction pooling would send the next EXECUTE to a server
connection that never saw the PREPARE); by default psycopg prepares the statements a booking
runs again and again. deploy/topology-test runs the same code through a real PgBouncer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from slotbook.api.app import create_app
from slotbook.bootstrap import Container, build
from slotbook.config import Settings
from slotbook.infra.db.migrate import upgrade
from tests.conftest import postgres_database
from tests.support import TestClock, future, make_tenant


@pytest.fixture
async def container() -> AsyncIterator[Container]:
    with postgres_database() as url:
        upgrade(url)
        built = build(
            Settings(
                database_url=url,
                anonymous_rate_limit=10**9,
                db_pool_size=4,
                db_prepared_statements=False,
            ),
            clock=TestClock(),
        )
        try:
            yield built
        finally:
            await built.aclose()


async def _prepared_statements(container: Container) -> int:
    """Prepared statements on every connection the pool holds (all checked out at once, so
    each is a different server connection)."""
    engine = container.engine
    held = [await engine.connect() for _ in range(engine.pool.checkedin())]  # type: ignore[attr-defined]
    try:
        counts = [
            (await c.execute(text("SELECT count(*) FROM pg_prepared_statements"))).scalar_one()
            for c in held
        ]
    finally:
        for connection in held:
            await connection.close()
    return sum(counts)


async def test_no_prepared_statement_outlives_its_transaction(container: Container) -> None:
    tenant = await make_tenant(container.services)
    transport = httpx.ASGITransport(app=create_app(container=container))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:

        async def book(day: int) -> httpx.Response:
            return await client.post(
                "/api/v1/appointments",
                headers=tenant.headers,
                json={
                    "departmentId": tenant.department_id,
                    "dateTime": future(days=day, hour=10),
                    "name": "Amadou Diallo",
                },
            )

        answers = await asyncio.gather(*(book(10 + n) for n in range(8)))
        assert [a.status_code for a in answers] == [201] * 8
        for answer in answers[:4]:
            cancelled = await client.delete(
                f"/api/v1/appointments/{answer.json()['id']}", headers=tenant.headers
            )
            assert cancelled.status_code in (200, 204)
        for _ in range(10):  # one statement again and again: psycopg would prepare it
            listed = await client.get("/api/v1/appointments", headers=tenant.headers)
            assert listed.status_code == 200
    assert container.engine.pool.checkedin() > 1  # type: ignore[attr-defined]
    assert await _prepared_statements(container) == 0

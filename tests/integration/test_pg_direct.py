"""The PostgreSQL booking path's own transaction handling (infra/db/pg_direct.py).

Its units of work run in autocommit at the driver and send BEGIN themselves; the connections
they return to the pool must be back to ordinary transactions, or every other user of the pool
(the webhook queue, the idempotency store) would run without one.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.bootstrap import Container, build
from slotbook.config import Settings
from slotbook.infra.db.pg_direct import DriverKit, PgDirect
from slotbook.infra.db.tables import appointment, credit_ledger
from slotbook.infra.db.uow import SqlUnitOfWorkFactory
from tests.support import Tenant, balance, book, future, make_tenant


async def _pool_connections(container: Container, stack: AsyncExitStack) -> list[Any]:
    """Every connection the pool holds, checked out at once (their drivers)."""
    size = container.engine.pool.size()  # type: ignore[attr-defined]
    connections: list[AsyncConnection] = [
        await stack.enter_async_context(container.engine.connect()) for _ in range(size)
    ]
    return [(await c.get_raw_connection()).driver_connection for c in connections]


async def test_pool_gets_its_connections_back_in_transactions(
    backend: str, container: Container, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    if backend != "postgresql":
        pytest.skip("the direct path is PostgreSQL's")
    poor = await make_tenant(container.services, credits=1)
    # Bookings in parallel so that several pooled connections serve them, then an overdraft.
    await asyncio.gather(*(book(client, tenant, future(days=40 + n)) for n in range(4)))
    await book(client, poor, future(days=40))
    refused = await book(client, poor, future(days=41), expect=402)
    assert refused["message"].endswith("Current: 0, Required: 1")
    async with AsyncExitStack() as stack:
        drivers = await _pool_connections(container, stack)
        assert drivers
        assert not any(d.autocommit for d in drivers)


async def test_units_of_work_keep_their_connections_until_the_container_closes(
    backend: str, test_settings: Settings
) -> None:
    """Between units of work a connection stays checked out, in autocommit (DirectConnections):
    the next unit of work takes it without the pool. One a SQLAlchemy statement ran on goes
    back to the pool, and closing the container gives the kept ones back, out of autocommit."""
    if backend != "postgresql":
        pytest.skip("the direct path is PostgreSQL's")
    own = build(test_settings)
    factory = own.services.uow
    assert isinstance(factory, SqlUnitOfWorkFactory)
    pool: Any = own.engine.pool
    try:

        async def unit(*, sqlalchemy: bool = False) -> None:
            async with factory(1, write=True) as uow:
                await uow.departments.get(1)  # a statement of the direct path
                if sqlalchemy:
                    await uow.appointment_types.list()  # through SQLAlchemy
                await uow.commit()

        await asyncio.gather(*(unit() for _ in range(3)))
        assert pool.checkedout() == 3
        for _ in range(2):
            await asyncio.gather(*(unit() for _ in range(3)))
            assert pool.checkedout() == 3  # the same three again
        await unit(sqlalchemy=True)
        assert pool.checkedout() == 2  # that one went back to the pool
        assert factory.connections is not None
        await factory.aclose()
        assert pool.checkedout() == 0
        await unit()  # still works once closed, without keeping
        assert pool.checkedout() == 0
        async with AsyncExitStack() as stack:
            drivers = await _pool_connections(own, stack)
            assert not any(d.autocommit for d in drivers)
    finally:
        await own.aclose()


async def test_refused_overdraft_writes_nothing(
    backend: str, container: Container, client: httpx.AsyncClient
) -> None:
    """The debit goes with the commit; its refusal undoes the appointment written before it."""
    poor = await make_tenant(container.services, credits=1)
    await book(client, poor, future(days=50))
    await book(client, poor, future(days=51), expect=402)
    async with container.engine.connect() as conn:
        booked = await conn.scalar(
            select(func.count())
            .select_from(appointment)
            .where(appointment.c.organization_id == poor.organization_id)
        )
        entries = await conn.scalar(
            select(func.count())
            .select_from(credit_ledger)
            .where(credit_ledger.c.organization_id == poor.organization_id)
        )
    assert booked == 1
    assert await balance(client, poor) == 0
    assert entries == 2  # the grant and the one booking


async def _prepared_names(conn: AsyncConnection) -> list[str]:
    result = await conn.exec_driver_sql("SELECT name FROM pg_prepared_statements ORDER BY name")
    return [row[0] for row in result]


async def test_statements_are_prepared_once_per_connection_even_after_a_failed_batch(
    backend: str, container: Container
) -> None:
    """A PREPARE that fails leaves it unknown which of the batch's others ran: the next batch
    starts over (DEALLOCATE ALL) instead of preparing one twice, which PostgreSQL refuses."""
    if backend != "postgresql":
        pytest.skip("the direct path is PostgreSQL's")
    add_one, double = "SELECT %s::integer + 1", "SELECT %(n)s::integer * 2"
    async with container.engine.connect() as conn:
        direct = PgDirect(DriverKit((await conn.get_raw_connection()).driver_connection))
        before = len(await _prepared_names(conn))  # a pooled connection may have some
        assert await direct.first(add_one, (1,)) == (2,)
        assert await direct.first(add_one, (2,)) == (3,)
        assert len(await _prepared_names(conn)) == before + 1
        # `double` is prepared in this batch, then the next PREPARE fails (not valid SQL).
        direct.defer(double, {"n": 1}, into=[])
        with pytest.raises(psycopg.errors.SyntaxError):
            await direct.first("SELEC %s", (1,))
        await conn.rollback()
        assert await direct.first(double, {"n": 5}) == (10,)
        assert await direct.first(add_one, (6,)) == (7,)
        assert len(await _prepared_names(conn)) == 2  # the others went with DEALLOCATE ALL


async def test_a_booking_makes_two_round_trips(
    backend: str, client: httpx.AsyncClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The department read also takes the client's lock and reads its appointments; every
    write goes with the COMMIT (docs/benchmarks.md). An organization without a credits.low
    threshold is not sent the statement that would check it (tests/api/test_credits_low.py
    covers the organizations with one)."""
    if backend != "postgresql":
        pytest.skip("the direct path is PostgreSQL's")
    await book(client, tenant, future(days=60), externalUserId="warm-up")
    sent: list[str] = []
    execute = psycopg.AsyncClientCursor.execute

    async def counting(self: psycopg.AsyncClientCursor[Any], query: Any, *args: Any) -> Any:
        sent.append(query.decode() if isinstance(query, bytes) else str(query))
        return await execute(self, query, *args)

    monkeypatch.setattr(psycopg.AsyncClientCursor, "execute", counting)
    await book(client, tenant, future(days=61), externalUserId="counted")
    assert len(sent) == 2
    assert sent[1].rstrip().endswith("COMMIT")
    assert "credits.low" not in sent[1]


async def test_lists_are_sent_as_arrays_of_their_items(backend: str, container: Container) -> None:
    """A list parameter is an ARRAY of its items' literals (pg_direct._literal), typed by the
    statement: it comes back as it was sent, quotes, NULLs and time zones included."""
    if backend != "postgresql":
        pytest.skip("the direct path is PostgreSQL's")
    when = datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    texts = ["O'Brien", 'say "hi"', "back\\slash", None, "", "é"]
    async with container.engine.connect() as conn:
        direct = PgDirect(DriverKit((await conn.get_raw_connection()).driver_connection))
        row = await direct.first(
            "SELECT %s::text[], %s::integer[], %s::timestamptz[], %s::integer[], %s::integer[]",
            (texts, [3, -2, None], [when, when], [], [None, None]),
        )
        await conn.rollback()
    assert row == (texts, [3, -2, None], [when, when], [], [None, None])

"""A process holds at most SLOTBOOK_DB_POOL_SIZE + SLOTBOOK_DB_MAX_OVERFLOW PostgreSQL
connections: 10 + 5 by default (issue 21, F6; docs/database.md)."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from slotbook.config import Settings
from slotbook.infra.db.engine import make_async_engine


def test_the_default_pool_is_ten_plus_five() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.db_pool_size, settings.db_max_overflow) == (10, 5)


async def test_a_process_never_opens_more_than_pool_plus_overflow(database_url: str) -> None:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("connection pools are PostgreSQL's")
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    engine = make_async_engine(database_url, settings.db_pool_size, settings.db_max_overflow)
    engine.pool._timeout = 0.5  # type: ignore[attr-defined]  # wait briefly for the 16th
    try:
        async with AsyncExitStack() as held:
            backends = set()
            for _ in range(15):
                conn = await held.enter_async_context(engine.connect())
                backends.add((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            assert len(backends) == 15  # fifteen real server connections
            with pytest.raises(Exception, match="QueuePool limit of size 10 overflow 5"):
                async with engine.connect():
                    pass
    finally:
        await engine.dispose()

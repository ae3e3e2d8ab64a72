"""Rate limits under faults (issue 21): probes never counted, a budget of their own for the
pages, forwarded addresses believed only from trusted proxies (F4), and a Redis that hangs or
refuses (F5)."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from slotbook.api.app import create_app
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.infra.ratelimit import CounterStore, CounterStoreUnavailable
from tests.support import Tenant

RATE_LOG = "slotbook.infra.ratelimit"


@asynccontextmanager
async def served(settings: Settings, **client: Any) -> AsyncIterator[httpx.AsyncClient]:
    container = build(settings)
    transport = httpx.ASGITransport(
        app=create_app(container=container), raise_app_exceptions=False, **client
    )
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        await container.aclose()


def limited(test_settings: Settings, **changes: Any) -> Settings:
    return test_settings.model_copy(update={"anonymous_rate_limit": 2, **changes})


# F4: probes, pages, proxies.


async def test_probes_are_never_counted_nor_refused(test_settings: Settings) -> None:
    async with served(limited(test_settings)) as http:
        for _ in range(3):
            await http.get("/openapi.json")  # the anonymous budget is spent
        assert (await http.get("/openapi.json")).status_code == 429
        for path in ("/health", "/ready", "/health", "/ready", "/health"):
            response = await http.get(path)
            assert response.status_code == 200, path
            assert "x-ratelimit-limit" not in response.headers


async def test_pages_have_their_own_budget(test_settings: Settings) -> None:
    async with served(limited(test_settings, page_rate_limit=3)) as http:
        assert [(await http.get("/openapi.json")).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        pages = [(await http.get("/dashboard/login")).status_code for _ in range(4)]
        assert pages == [200, 200, 200, 429]
        page = await http.get("/dashboard/login")
        assert page.headers["x-ratelimit-limit"] == "3"


async def test_forwarded_addresses_are_ignored_unless_the_proxy_is_trusted(
    test_settings: Settings,
) -> None:
    async with served(limited(test_settings), client=("127.0.0.1", 5000)) as http:
        statuses = [
            (await http.get("/openapi.json", headers={"X-Forwarded-For": f"198.51.100.{n}"}))
            for n in range(3)
        ]
        # Three "visitors" claimed by the headers, one address counted: the connection's.
        assert [r.status_code for r in statuses] == [200, 200, 429]


async def test_a_trusted_proxy_gives_every_visitor_a_budget(test_settings: Settings) -> None:
    settings = limited(test_settings, trusted_proxies="127.0.0.0/8, ::1")
    async with served(settings, client=("127.0.0.1", 5000)) as http:

        async def visit(forwarded: str) -> int:
            response = await http.get("/openapi.json", headers={"X-Forwarded-For": forwarded})
            return response.status_code

        assert [await visit("198.51.100.7") for _ in range(3)] == [200, 200, 429]
        assert await visit("198.51.100.8") == 200
        # A visitor cannot choose an address by sending its own header: the proxy appends
        # the real one, and the rightmost untrusted address is the client.
        assert await visit("198.51.100.8, 198.51.100.7") == 429
    async with served(settings, client=("203.0.113.9", 5000)) as http:
        # Not from the proxy: the header is not believed.
        answers = [
            (await http.get("/openapi.json", headers={"X-Forwarded-For": f"192.0.2.{n}"}))
            for n in range(3)
        ]
        assert [r.status_code for r in answers] == [200, 200, 429]


def test_a_malformed_proxy_network_is_refused_at_startup() -> None:
    with pytest.raises(ValueError, match=r"10\.0\.0\.1/8"):
        Settings(trusted_proxies="10.0.0.0/8, 10.0.0.1/8")


# F5: Redis that never answers, or refuses.


@asynccontextmanager
async def silent_redis() -> AsyncIterator[tuple[str, list[int]]]:
    """A server on a loopback port that accepts connections and never answers."""
    connections: list[int] = []
    writers: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        writers.append(writer)
        while await reader.read(4096):
            pass

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"redis://127.0.0.1:{port}/0", connections
    finally:
        server.close()
        for writer in writers:  # connections the client still holds
            writer.close()
        await server.wait_closed()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == RATE_LOG and r.levelno >= logging.WARNING]


# Without the timeout a Redis that never answers would hang the call for good (redis-py has
# no read timeout by default): a call that returns at all, well within this, shows it applies.
HANG = 60.0


async def _outage(url: str, caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeMonotonic()
    store = CounterStore(url, timeout=0.1, retry_seconds=30, fail="open", monotonic=clock)
    assert store._shared is not None
    tries = 0
    shared_incr = store._shared.incr

    async def counted(*args: Any, **kwargs: Any) -> int:
        nonlocal tries
        tries += 1
        return await shared_incr(*args, **kwargs)

    store._shared.incr = counted  # type: ignore[method-assign]
    caplog.set_level(logging.INFO, logger=RATE_LOG)
    first = await asyncio.wait_for(store.incr("outage", 3600), HANG)
    assert first[0] == 1  # counted in process instead
    assert tries == 1
    counts = [(await store.incr("outage", 3600))[0] for _ in range(20)]
    assert counts == list(range(2, 22))
    # The breaker is open: Redis is not tried again until the interval is over.
    assert tries == 1
    lines = warnings_of(caplog)
    assert len(lines) == 1
    assert lines[0].exc_info is None
    assert "fail open" in lines[0].getMessage()
    # After the interval Redis is tried once more, and the outage logged once more.
    clock.now += 31
    await asyncio.wait_for(store.incr("outage", 3600), HANG)
    await store.incr("outage", 3600)
    assert tries == 2
    assert len(warnings_of(caplog)) == 2


async def test_a_redis_that_never_answers_costs_one_short_timeout(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with silent_redis() as (url, connections):
        await _outage(url, caplog)
        assert len(connections) == 2  # one per interval


async def test_a_redis_that_refuses_is_logged_once_per_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _outage(closed_port_url(), caplog)


async def test_failing_closed_refuses_with_the_envelope(
    test_settings: Settings, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    async with silent_redis() as (url, _):
        settings = test_settings.model_copy(
            update={
                "redis_url": url,
                "rate_limit_fail": "closed",
                "redis_timeout": 0.1,
                "redis_retry_seconds": 60,
            }
        )
        async with served(settings) as http:
            refused = await asyncio.wait_for(
                http.get("/api/v1/departments", headers=tenant.headers), HANG
            )
            again = await http.get("/api/v1/departments", headers=tenant.headers)
            probe = await http.get("/health")
    assert refused.status_code == again.status_code == 503
    body = refused.json()
    assert body["code"] == "SERVICE_UNAVAILABLE"
    assert {"code", "message", "timestamp"} <= body.keys()
    assert int(refused.headers["retry-after"]) >= 1
    assert probe.status_code == 200
    assert len(warnings_of(caplog)) == 1  # the second request did not try Redis again


async def test_failing_open_keeps_counting_in_process(
    test_settings: Settings, tenant: Tenant
) -> None:
    settings = test_settings.model_copy(update={"redis_url": closed_port_url()})
    async with served(settings) as http:
        key = {"X-API-Key": await tenant.key_with("departments:read", rate_limit=2)}
        statuses = [
            (await http.get("/api/v1/departments", headers=key)).status_code for _ in range(3)
        ]
    assert statuses == [200, 200, 429]


async def test_closed_mode_without_redis_never_refuses() -> None:
    store = CounterStore(None, fail="closed")
    assert (await store.incr("local", 60))[0] == 1
    with pytest.raises(CounterStoreUnavailable):
        await CounterStore(closed_port_url(), fail="closed").incr("x", 60)

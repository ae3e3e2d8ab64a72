"""SDK fixtures: every test runs with the sync Client (against uvicorn on a local port) and
with the AsyncClient (in process through httpx.ASGITransport), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from slotbook.api.app import create_app
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook_client import AsyncClient, Client
from tests.sdk.servers import FlakyApp, serve
from tests.support import Tenant, TestClock

FAST_RETRIES = {"backoff": 0.01, "max_retries": 2}


@dataclass
class LiveServer:
    url: str
    flaky: FlakyApp
    clock: TestClock


@pytest.fixture(scope="session")
def live_server(test_settings: Settings) -> Iterator[LiveServer]:
    """Slotbook behind a FlakyApp, served by uvicorn in a thread with its own container (its
    event loop is not the tests' one), on the session's database."""
    clock = TestClock()
    flaky = FlakyApp(create_app(container=build(test_settings, clock=clock)))
    with serve(flaky) as url:
        yield LiveServer(url, flaky, clock)


@pytest.fixture
def live(live_server: LiveServer) -> Iterator[LiveServer]:
    yield live_server
    live_server.flaky.failures.clear()
    live_server.flaky.seen.clear()
    live_server.clock.frozen = None


@pytest.fixture
def asgi_flaky(app: FastAPI) -> FlakyApp:
    return FlakyApp(app)


class SDK:
    """Runs the same test body with either client: `await sdk.call(lambda c: c.x.y(...))`.
    `clock` is the clock of the server that client calls."""

    def __init__(
        self, kind: str, make: Callable[..., Any], flaky: FlakyApp, clock: TestClock
    ) -> None:
        self.kind = kind
        self._make = make
        self.flaky = flaky
        self.clock = clock
        self._clients: list[Any] = []

    def client(self, api_key: str, **options: Any) -> Any:
        made = self._make(api_key, **{**FAST_RETRIES, **options})
        self._clients.append(made)
        return made

    async def call(self, client: Any, operation: Callable[[Any], Any]) -> Any:
        if self.kind == "sync":
            return await asyncio.to_thread(operation, client)
        return await operation(client)

    async def collect(self, client: Any, operation: Callable[[Any], Any]) -> list[Any]:
        if self.kind == "sync":
            return await asyncio.to_thread(lambda: list(operation(client)))
        return [item async for item in operation(client)]

    async def aclose(self) -> None:
        for made in self._clients:
            if isinstance(made, Client):
                made.close()
            else:
                await made.aclose()


@pytest.fixture(params=["sync", "async"])
async def sdk(
    request: pytest.FixtureRequest, live: LiveServer, asgi_flaky: FlakyApp, clock: TestClock
) -> AsyncIterator[SDK]:
    if request.param == "sync":
        made = SDK(
            "sync", lambda key, **o: Client(key, base_url=live.url, **o), live.flaky, live.clock
        )
    else:
        transport = httpx.ASGITransport(app=asgi_flaky)

        def make(key: str, **options: Any) -> AsyncClient:
            return AsyncClient(key, base_url="http://testserver", transport=transport, **options)

        made = SDK("async", make, asgi_flaky, clock)
    yield made
    await made.aclose()


@pytest.fixture
def api(sdk: SDK, tenant: Tenant) -> Any:
    """A client of either kind for the test's tenant, with an all-scopes key."""
    return sdk.client(tenant.key)

"""`Client` and `AsyncClient`: the same resources over a synchronous or asynchronous runner."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Iterator
from types import TracebackType
from typing import Generic, Self

import httpx

from slotbook_client._core import DEFAULT_BASE_URL, Config, RetryPolicy
from slotbook_client._runners import AsyncRunner, Runner, SyncRunner
from slotbook_client.record import Record
from slotbook_client.resources._base import Each, Many, One
from slotbook_client.resources.appointment_types import AppointmentTypes
from slotbook_client.resources.appointments import Appointments
from slotbook_client.resources.availability import Availability
from slotbook_client.resources.changes import Changes
from slotbook_client.resources.clients import Clients, Patients
from slotbook_client.resources.credits import Credits
from slotbook_client.resources.departments import Departments
from slotbook_client.resources.waitlist import Waitlist
from slotbook_client.resources.webhooks import Webhooks
from slotbook_client.resources.workers import Workers


def _config(
    api_key: str | None,
    base_url: str | None,
    timeout: float,
    max_retries: int,
    backoff: float,
    max_retry_after: float,
) -> Config:
    return Config(
        api_key=api_key or os.environ.get("SLOTBOOK_API_KEY", ""),
        base_url=base_url or os.environ.get("SLOTBOOK_BASE_URL") or DEFAULT_BASE_URL,
        timeout=timeout,
        retry=RetryPolicy(
            max_retries=max_retries, backoff=backoff, max_retry_after=max_retry_after
        ),
    )


class _Resources(Generic[One, Many, Each]):
    """The resources of the API; adding one is one line here."""

    def __init__(self, runner: Runner[One, Many, Each]) -> None:
        self.appointments = Appointments(runner)
        self.departments = Departments(runner)
        self.credits = Credits(runner)
        self.workers = Workers(runner)
        self.appointment_types = AppointmentTypes(runner)
        self.availability = Availability(runner)
        self.webhooks = Webhooks(runner)
        self.changes = Changes(runner)
        self.clients = Clients(runner)
        self.patients = Patients(runner)
        self.waitlist = Waitlist(runner)


class Client(_Resources[Record, list[Record], Iterator[Record]]):
    """The Slotbook API, synchronously.

    `api_key` defaults to $SLOTBOOK_API_KEY and `base_url` to $SLOTBOOK_BASE_URL, else
    http://127.0.0.1:8000. Failed calls are retried `max_retries` times (see RetryPolicy).
    `transport` is any httpx transport (e.g. a proxy or a test server's).
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        backoff: float = 0.5,
        max_retry_after: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        config = _config(api_key, base_url, timeout, max_retries, backoff, max_retry_after)
        self._http = httpx.Client(transport=transport, follow_redirects=False)
        super().__init__(SyncRunner(config, self._http))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(_Resources[Awaitable[Record], Awaitable[list[Record]], AsyncIterator[Record]]):
    """The Slotbook API with asyncio: the same resources as `Client`, to be awaited."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        backoff: float = 0.5,
        max_retry_after: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        config = _config(api_key, base_url, timeout, max_retries, backoff, max_retry_after)
        self._http = httpx.AsyncClient(transport=transport, follow_redirects=False)
        super().__init__(AsyncRunner(config, self._http))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

"""The delivery worker: claims due deliveries, POSTs them signed, records the outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpcore
import orjson

from slotbook import __version__
from slotbook.application.ports import Clock
from slotbook.domain.events import (
    DeliveryStatus,
    disables_endpoint,
    is_success,
    retry_delay,
)
from slotbook.infra.webhooks.queue import ClaimedDelivery, DeliveryQueue, DeliveryResult
from slotbook.infra.webhooks.signing import webhook_headers
from slotbook.infra.webhooks.ssrf import BlockedDestination, GuardedBackend, SsrfGuard

log = logging.getLogger("slotbook.webhooks")

MAX_RESPONSE_BYTES = 64 * 1024  # read (and drop) at most this much of a receiver's answer
USER_AGENT = f"Slotbook-Webhooks/{__version__}".encode()


def event_body(claimed: ClaimedDelivery) -> bytes:
    """`{id, type, timestamp, data}`: the same bytes on every attempt of an event."""
    head = orjson.dumps(
        {
            "id": claimed.event_id,
            "type": claimed.event_type,
            "timestamp": claimed.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }
    )
    # `data` is stored as compact JSON already; splice it in rather than parse it again.
    return head[:-1] + b',"data":' + claimed.data.encode() + b"}"


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    timeout: float = 10.0
    batch_size: int = 100
    concurrency: int = 50
    poll_interval: float = 0.2
    lease_seconds: float = 60.0

    @property
    def lease(self) -> timedelta:
        # Longer than any attempt can take, so a live worker never loses its claim.
        return timedelta(seconds=max(self.lease_seconds, self.timeout + 1))


def _retry_after(headers: list[tuple[bytes, bytes]]) -> timedelta | None:
    for name, value in headers:
        if name.lower() == b"retry-after" and value.strip().isdigit():
            return timedelta(seconds=int(value))
    return None


class DeliveryWorker:
    def __init__(
        self,
        queue: DeliveryQueue,
        guard: SsrfGuard,
        clock: Clock,
        settings: WorkerSettings,
        jitter: Callable[[], float] = lambda: random.uniform(-1.0, 1.0),
    ) -> None:
        self._queue = queue
        self._clock = clock
        self._settings = settings
        self._jitter = jitter
        self._pool = httpcore.AsyncConnectionPool(
            network_backend=GuardedBackend(guard),
            max_connections=settings.concurrency,
            keepalive_expiry=30.0,
            retries=0,
        )
        self._slots = asyncio.Semaphore(settings.concurrency)

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def run_once(self) -> int:
        """Deliver one batch of due deliveries; how many were attempted."""
        settings = self._settings
        claimed = await self._queue.claim(self._clock.now(), settings.batch_size, settings.lease)
        if not claimed:
            return 0
        results = await asyncio.gather(*(self._attempt(c) for c in claimed))
        await self._queue.record(results, self._clock.now())
        return len(claimed)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                attempted = await self.run_once()
            except Exception:
                log.exception("webhook delivery batch failed; retrying shortly")
                attempted = 0
            if attempted == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self._settings.poll_interval)

    async def _attempt(self, claimed: ClaimedDelivery) -> DeliveryResult:
        async with self._slots:
            attempted_at = self._clock.now()
            started = time.monotonic()
            status_code: int | None = None
            error: str | None = None
            retry_after: timedelta | None = None
            try:
                status_code, retry_after = await self._post(claimed, attempted_at)
            except BlockedDestination as exc:
                error = f"blocked_destination: {exc}"
            except TimeoutError:
                error = f"timeout after {self._settings.timeout:g} s"
            except httpcore.TimeoutException as exc:
                error = f"timeout: {exc or type(exc).__name__}"
            except (httpcore.NetworkError, httpcore.ProtocolError, OSError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            latency_ms = int((time.monotonic() - started) * 1000)
        return self._result(claimed, attempted_at, status_code, error, latency_ms, retry_after)

    async def _post(
        self, claimed: ClaimedDelivery, attempted_at: datetime
    ) -> tuple[int, timedelta | None]:
        body = event_body(claimed)
        signed = webhook_headers(
            claimed.secrets, claimed.event_id, int(attempted_at.timestamp()), body
        )
        headers = [
            (b"content-type", b"application/json"),
            (b"user-agent", USER_AGENT),
            *((k.encode(), v.encode()) for k, v in signed.items()),
        ]
        timeout = self._settings.timeout
        extensions = {
            "timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
        }
        async with asyncio.timeout(timeout):
            async with self._pool.stream(
                "POST", claimed.url, headers=headers, content=body, extensions=extensions
            ) as response:
                received = 0
                async for chunk in response.aiter_stream():
                    received += len(chunk)
                    if received > MAX_RESPONSE_BYTES:
                        break
                return response.status, _retry_after(response.headers)

    def _result(
        self,
        claimed: ClaimedDelivery,
        attempted_at: datetime,
        status_code: int | None,
        error: str | None,
        latency_ms: int,
        retry_after: timedelta | None,
    ) -> DeliveryResult:
        if error is not None:
            error = error[:300]
        elif status_code is not None and not is_success(status_code):
            error = f"HTTP {status_code}"
        if status_code is not None and is_success(status_code):
            return DeliveryResult(
                claimed, attempted_at, status_code, None, latency_ms, DeliveryStatus.DELIVERED, None
            )
        gone = status_code is not None and disables_endpoint(status_code)
        delay = None if gone else retry_delay(claimed.attempt, self._jitter(), retry_after)
        if delay is None:
            return DeliveryResult(
                claimed,
                attempted_at,
                status_code,
                error,
                latency_ms,
                DeliveryStatus.FAILED,
                None,
                gone=gone,
            )
        return DeliveryResult(
            claimed,
            attempted_at,
            status_code,
            error,
            latency_ms,
            DeliveryStatus.PENDING,
            attempted_at + delay,
        )

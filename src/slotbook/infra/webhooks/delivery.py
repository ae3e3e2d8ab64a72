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

import orjson

from slotbook import __version__
from slotbook.application.ports import Clock
from slotbook.domain.events import (
    DeliveryStatus,
    disables_endpoint,
    is_success,
    retry_delay,
)
from slotbook.infra.webhooks.http import HttpProtocolError, WebhookHttpClient
from slotbook.infra.webhooks.queue import ClaimedDelivery, DeliveryQueue, DeliveryResult
from slotbook.infra.webhooks.signing import webhook_headers
from slotbook.infra.webhooks.ssrf import BlockedDestination, SsrfGuard

log = logging.getLogger("slotbook.webhooks")

RECORD_EVERY = 0.25  # seconds a finished attempt may wait to be recorded with others
MAX_RESPONSE_BYTES = 64 * 1024  # read (and drop) at most this much of a receiver's answer
FIXED_HEADERS = (
    (b"content-type", b"application/json"),
    (b"user-agent", f"Slotbook-Webhooks/{__version__}".encode()),
)


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
        self._http = WebhookHttpClient(guard, max_body=MAX_RESPONSE_BYTES)
        self._slots = asyncio.Semaphore(settings.concurrency)

    async def aclose(self) -> None:
        await self._http.aclose()

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
        """Deliver until `stop` is set, then finish and record what is in flight.

        A pipeline rather than `run_once` in a loop: new deliveries are claimed as soon as
        half the concurrency is free, and results are recorded in batches (every
        `batch_size` results or RECORD_EVERY seconds), so one slow receiver holds one slot
        for up to its timeout instead of holding back the whole batch it was claimed with."""
        settings = self._settings
        in_flight: set[asyncio.Task[DeliveryResult]] = set()
        finished: list[DeliveryResult] = []
        wake = asyncio.Event()
        claim_room = max(1, settings.concurrency // 2)
        next_claim = 0.0  # monotonic time of the next look for due deliveries
        first_finished = 0.0  # monotonic time the oldest unrecorded result came in

        def landed(task: asyncio.Task[DeliveryResult]) -> None:
            nonlocal first_finished
            in_flight.discard(task)
            if task.cancelled():
                pass  # shutting down: the lease brings the delivery back
            elif task.exception() is not None:
                # A bug, not a receiver's failure: the lease brings the delivery back.
                log.error("webhook attempt crashed", exc_info=task.exception())
            else:
                if not finished:
                    first_finished = time.monotonic()
                finished.append(task.result())
            if (
                not in_flight
                or len(finished) >= settings.batch_size
                or settings.concurrency - len(in_flight) == claim_room
            ):
                wake.set()

        stopping = asyncio.create_task(stop.wait())
        stopping.add_done_callback(lambda _: wake.set())
        try:
            while not (stop.is_set() and not in_flight):
                now = time.monotonic()
                room = settings.concurrency - len(in_flight)
                if not stop.is_set() and now >= next_claim and room >= claim_room:
                    limit = min(settings.batch_size, room)
                    try:
                        claimed = await self._queue.claim(self._clock.now(), limit, settings.lease)
                    except Exception:
                        log.exception("claiming webhook deliveries failed; retrying shortly")
                        claimed = []
                    for delivery in claimed:
                        task = asyncio.create_task(self._attempt(delivery))
                        in_flight.add(task)
                        task.add_done_callback(landed)
                    if len(claimed) < limit:  # nothing more due for now
                        next_claim = time.monotonic() + settings.poll_interval
                    continue
                if finished and (
                    stop.is_set()
                    or len(finished) >= settings.batch_size
                    or now - first_finished >= RECORD_EVERY
                ):
                    # Swapped before awaiting: results landing meanwhile go to the new list.
                    batch, finished = finished, []
                    await self._record(batch)
                    continue
                timeouts = [next_claim - now] if room >= claim_room and not stop.is_set() else []
                if finished:
                    timeouts.append(first_finished + RECORD_EVERY - now)
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), max(0.0, min(timeouts, default=60.0)))
            if finished:
                await self._record(finished)
        finally:
            stopping.cancel()
            for task in in_flight:
                task.cancel()

    async def _record(self, results: list[DeliveryResult]) -> None:
        try:
            await self._queue.record(results, self._clock.now())
        except Exception:
            # Not recorded: each delivery is sent again after its lease, same webhook-id.
            log.exception("recording %d webhook results failed", len(results))

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
            except (HttpProtocolError, OSError) as exc:
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
        headers = [*FIXED_HEADERS, *((k.encode(), v.encode()) for k, v in signed.items())]
        async with asyncio.timeout(self._settings.timeout):
            answer = await self._http.post(claimed.url, headers, body)
        return answer.status, _retry_after(answer.headers)

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

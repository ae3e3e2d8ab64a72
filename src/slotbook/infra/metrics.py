"""Prometheus metrics (prometheus-client): counted per request in process, or read from the
database when scraped (docs/observability.md).

With several server processes (`slotbook serve --workers N`) each process counts in files
under PROMETHEUS_MULTIPROC_DIR (prometheus-client's multiprocess mode) and a scrape adds them
up; the figures read from the database (queue depth, lag, backlog, credits) are the same
whichever process answers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from slotbook.domain.credits import LedgerReason
from slotbook.domain.events import DeliveryStatus
from slotbook.infra.db.integration_tables import webhook_delivery
from slotbook.infra.db.reminders import count_due
from slotbook.infra.db.tables import credit_ledger

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

# Seconds; from a cached slot search (a few ms) to a slow report.
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "slotbook_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "slotbook_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by route template and status",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
BOOKINGS = Counter(
    "slotbook_bookings",
    'Booking requests (POST of an appointment, every dialect): outcome="BOOKED", or the code of'
    " the refusal",
    ["outcome"],
)
POOL = Gauge(
    "slotbook_db_pool_connections",
    "PostgreSQL connections of the server processes' pools: in_use, idle, limit",
    ["state"],
    multiprocess_mode="livesum",
)

# How often a process refreshes its pool figures (a scrape every 15 s needs no more).
POOL_REFRESH_SECONDS = 1.0


class RequestMetrics:
    """Counts one answered request; the labelled series are looked up once each."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._pool = engine.pool if isinstance(engine.sync_engine.pool, QueuePool) else None
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self._bookings: dict[str, Counter] = {}
        self._pool_due = 0.0

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        series = self._series.get((method, route, status))
        if series is None:
            labels = (method, route, str(status))
            series = self._series[method, route, status] = (
                REQUESTS.labels(*labels),
                LATENCY.labels(*labels),
            )
        series[0].inc()
        series[1].observe(seconds)
        now = time.monotonic()
        if self._pool is not None and now >= self._pool_due:
            self._pool_due = now + POOL_REFRESH_SECONDS
            self.refresh_pool()

    def booking(self, outcome: str) -> None:
        counter = self._bookings.get(outcome)
        if counter is None:
            counter = self._bookings[outcome] = BOOKINGS.labels(outcome)
        counter.inc()

    def refresh_pool(self) -> None:
        pool = self._pool
        if pool is None:
            return
        in_use = pool.checkedout()  # type: ignore[attr-defined]
        POOL.labels("in_use").set(in_use)
        POOL.labels("idle").set(pool.checkedin())  # type: ignore[attr-defined]
        POOL.labels("limit").set(pool.size() + pool._max_overflow)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class DatabaseFigures:
    """What a scrape reads from the database: the same whichever process answers."""

    webhook_queue_depth: int  # deliveries waiting to be sent (PENDING)
    webhook_delivery_lag: float  # seconds the oldest due delivery has been waiting
    reminder_backlog: int  # reminders whose time has come and that are not sent yet
    credits_consumed: int  # credits debited by bookings, ever


async def read_figures(engine: AsyncEngine, now: datetime) -> DatabaseFigures:
    pending = webhook_delivery.c.status == DeliveryStatus.PENDING.value
    async with engine.connect() as conn:
        depth, oldest = (
            await conn.execute(
                select(func.count(), func.min(webhook_delivery.c.next_attempt_at)).where(pending)
            )
        ).one()
        backlog = await count_due(conn, now)
        consumed = (
            await conn.execute(
                select(func.coalesce(-func.sum(credit_ledger.c.delta), 0)).where(
                    credit_ledger.c.reason == LedgerReason.BOOKING.value
                )
            )
        ).scalar_one()
    lag = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
    return DatabaseFigures(int(depth), lag, backlog, int(consumed))


class _Figures(Collector):
    def __init__(self, figures: DatabaseFigures) -> None:
        self._figures = figures

    def collect(self) -> Iterable[Metric]:
        f = self._figures
        yield GaugeMetricFamily(
            "slotbook_webhook_queue_depth",
            "Webhook deliveries waiting to be sent",
            value=f.webhook_queue_depth,
        )
        yield GaugeMetricFamily(
            "slotbook_webhook_delivery_lag_seconds",
            "How long the oldest due webhook delivery has been waiting (0: none is late)",
            value=f.webhook_delivery_lag,
        )
        yield GaugeMetricFamily(
            "slotbook_reminder_backlog",
            "Reminders whose time has come and that are not sent yet",
            value=f.reminder_backlog,
        )
        yield CounterMetricFamily(
            "slotbook_credits_consumed",
            "Credits debited by bookings (the credit ledger's BOOKING entries)",
            value=f.credits_consumed,
        )


def exposition(figures: DatabaseFigures) -> bytes:
    """The text a scrape gets: this process's (or every process's) counters, and the figures."""
    if MULTIPROCESS:
        counted = CollectorRegistry()
        MultiProcessCollector(counted)  # type: ignore[no-untyped-call]
    else:
        counted = REGISTRY
    read = CollectorRegistry(auto_describe=False)
    read.register(_Figures(figures))
    return generate_latest(counted) + generate_latest(read)

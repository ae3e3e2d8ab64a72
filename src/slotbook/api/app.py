"""The FastAPI application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from slotbook import __version__
from slotbook.api import docs, errors, openapi
from slotbook.api.compat.cliniko.router import router as cliniko_router
from slotbook.api.compat.groups.errors import invalid_parameter_body as groups_invalid
from slotbook.api.compat.groups.router import router as compat_groups
from slotbook.api.compat.treats import router as treats
from slotbook.api.idempotency import IdempotencyMiddleware
from slotbook.api.middleware import GuardMiddleware
from slotbook.api.observability import ObservabilityMiddleware
from slotbook.api.routers import (
    appointment_actions,
    appointment_types,
    appointments,
    availability,
    calendar,
    changes,
    check_in,
    clients,
    credits,
    department_admin,
    departments,
    health,
    metrics,
    patients,
    waitlist,
    webhooks,
    workers,
)
from slotbook.bootstrap import Container, build
from slotbook.config import Settings, get_settings
from slotbook.infra.metrics import RequestMetrics
from slotbook.web import app as web
from slotbook.web.errors import error_page

API_PREFIX = "/api/v1"

DESCRIPTION = """
Slotbook is an open-source, multi-tenant appointment-booking API.

Authenticate with your API key in the `X-API-Key` header (also accepted: `?apikey=` and
HTTP basic auth with the key as user name). Every response carries `X-RateLimit-Limit`,
`X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix time); over the limit you get 429 with
`Retry-After`. Errors are always `{"code", "message", "timestamp"}`.

Send an `Idempotency-Key` header with POST, PATCH and DELETE to retry them safely: the first
response is replayed (with `Idempotent-Replayed: true`) for 24 hours.
"""


# Young objects a collection waits for (the first generation's threshold; Python's is 700).
# A busy server holds a few thousand young objects in its requests in flight at any time, so
# at 700 it collected every few requests (3,900 times in a 20 s booking benchmark, plus 32 full
# collections of 9 ms each, 6% of its CPU) though it found no garbage: the booking path leaves
# no reference cycles. At 20,000 it collected 13
# times in the same run (docs/benchmarks.md).
YOUNG_OBJECTS_PER_COLLECTION = 20_000


def tune_garbage_collector() -> None:
    """Set the collector up for a long-running server, once per process.

    Leave what startup built (modules, the app, its routes and schemas) out of the garbage
    collector's full collections: it lives as long as the process, yet every full collection
    walked all of it again: with about 200,000 objects that took 80 ms, the slowest 1% of
    free-slot requests (a month of a busy department allocates enough to trigger one every few
    dozen requests). Frozen, a full collection walks only what was allocated since
    (docs/scheduling.md). Then collect only once YOUNG_OBJECTS_PER_COLLECTION objects have
    accumulated. Once per process: a second freeze would also pin whatever garbage the first
    app left behind (tests build many apps).
    """
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, older, oldest)


class SlotbookApp(FastAPI):
    """FastAPI, with ObservabilityMiddleware around everything, Starlette's error middleware
    included (add_middleware would put it inside, where a 500 answer passes it by)."""

    request_metrics: RequestMetrics

    def build_middleware_stack(self) -> ASGIApp:
        return ObservabilityMiddleware(super().build_middleware_stack(), self.request_metrics)


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    container = container or build(settings or get_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tune_garbage_collector()
        yield
        await container.aclose()

    app = SlotbookApp(
        title="Slotbook API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # Served by api/docs.py from vendored files instead of a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.container = container
    app.request_metrics = RequestMetrics(container.engine)
    errors.install(app, web_page=error_page)
    # A request is matched against the routes in this order, 8 to 20 µs per router (a path
    # matched after all of them pays about 300 µs): the booking itself first (the hot path,
    # on the app), the probes, then the bookings' router. Its paths take only integer ids, so
    # it cannot hide the fixed paths (/appointments/types, /appointments/available-slots,
    # /appointments/{id}.ics) that must come before the /appointments/{id} of the others.
    appointments.install_booking(app, API_PREFIX)
    app.include_router(health.router)
    app.include_router(metrics.router)
    for module in (
        appointments,
        departments,
        department_admin,
        workers,
        appointment_types,
        availability,
        calendar,
        appointment_actions,
        check_in,
        clients,
        patients,
        credits,
        webhooks,
        changes,
        waitlist,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(calendar.feed_router)  # secret-token feeds, no API key
    # Compatibility dialects (docs/compat.md); not part of the native OpenAPI document.
    app.include_router(compat_groups, prefix="/compat/groups")
    app.include_router(cliniko_router, prefix="/compat/cliniko", include_in_schema=False)
    app.include_router(treats.router, prefix="/compat/treats")
    docs.install(app)
    # The dashboard's pages are not API operations: mounted with include_in_schema=False.
    web.mount(app)
    openapi.install(app)
    # The last added runs first: the guard authenticates (API key) before idempotency looks at
    # the key; idempotency applies only to API-key requests under /api/ (never the dashboard).
    app.add_middleware(
        IdempotencyMiddleware, store=container.idempotency, clock=container.services.clock
    )
    app.add_middleware(
        GuardMiddleware,
        container=container,
        invalid_bodies=[("/compat/groups/", groups_invalid)],
    )
    # Before the guard counts per address: the client's address and scheme as a trusted
    # proxy forwarded them (X-Forwarded-For, X-Forwarded-Proto), from no one when unset.
    # `slotbook serve` turns uvicorn's own handling off so this is the only one.
    if container.settings.trusted_proxy_list:
        app.add_middleware(
            ProxyHeadersMiddleware, trusted_hosts=container.settings.trusted_proxy_list
        )
    return app

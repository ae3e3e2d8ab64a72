"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from slotbook import __version__
from slotbook.api import errors
from slotbook.api.idempotency import IdempotencyMiddleware
from slotbook.api.middleware import GuardMiddleware
from slotbook.api.routers import (
    appointments,
    calendar,
    changes,
    credits,
    departments,
    health,
    webhooks,
)
from slotbook.bootstrap import Container, build
from slotbook.config import Settings, get_settings

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


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    container = container or build(settings or get_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await container.aclose()

    app = FastAPI(
        title="Slotbook API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.container = container
    errors.install(app)
    # calendar before appointments: /appointments/{id}.ics must not match /appointments/{id}.
    for module in (departments, calendar, appointments, credits, webhooks, changes):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(health.router)
    # The last added runs first: the guard authenticates before idempotency looks at the key.
    app.add_middleware(
        IdempotencyMiddleware, store=container.idempotency, clock=container.services.clock
    )
    app.add_middleware(GuardMiddleware, container=container)
    return app

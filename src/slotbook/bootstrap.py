"""The composition root: builds the adapters once and hands them to the use cases."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from slotbook.application.access import Authenticator
from slotbook.application.ports import Clock, Services
from slotbook.config import Settings
from slotbook.infra.clock import SystemClock
from slotbook.infra.db.engine import make_async_engine
from slotbook.infra.db.registry import SqlRegistry
from slotbook.infra.db.uow import SqlUnitOfWorkFactory
from slotbook.infra.passwords import Argon2Passwords
from slotbook.infra.ratelimit import RateLimiter
from slotbook.infra.security import TokenSecrets


@dataclass(slots=True)
class Container:
    settings: Settings
    engine: AsyncEngine
    services: Services
    authenticator: Authenticator
    rate_limiter: RateLimiter

    async def aclose(self) -> None:
        await self.engine.dispose()


def build(settings: Settings, clock: Clock | None = None) -> Container:
    engine = make_async_engine(settings.database_url, settings.db_pool_size)
    services = Services(
        uow=SqlUnitOfWorkFactory(engine),
        registry=SqlRegistry(engine),
        clock=clock or SystemClock(),
        secrets=TokenSecrets(),
        passwords=Argon2Passwords(),
    )
    return Container(
        settings=settings,
        engine=engine,
        services=services,
        authenticator=Authenticator(services, ttl=settings.key_cache_ttl),
        rate_limiter=RateLimiter(settings.redis_url),
    )

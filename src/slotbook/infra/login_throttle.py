"""Login failure counts and waits in the shared counters (Redis when configured)."""

from __future__ import annotations

import math
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from slotbook.domain.errors import ServiceUnavailable
from slotbook.infra.ratelimit import CounterStore, CounterStoreUnavailable

T = TypeVar("T")


class CounterLoginThrottle:
    """The `LoginThrottle` of application/users.py over a CounterStore: a failure counter per
    key with the policy's window, and the time the next attempt may come, in Unix
    milliseconds (counters hold integers), in a key that expires with the wait."""

    def __init__(self, store: CounterStore) -> None:
        self._store = store

    async def not_before(self, key: str) -> datetime | None:
        millis = await self._guarded(self._store.get(f"login:wait:{key}"))
        return datetime.fromtimestamp(millis / 1000, UTC) if millis else None

    async def count_failure(self, key: str, window: timedelta) -> int:
        expiry = max(1, math.ceil(window.total_seconds()))
        count, _ = await self._guarded(self._store.incr(f"login:fail:{key}", expiry))
        return count

    async def hold(self, key: str, until: datetime, now: datetime) -> None:
        expiry = math.ceil((until - now).total_seconds()) + 1
        wait_key, value = f"login:wait:{key}", math.floor(until.timestamp() * 1000)
        await self._guarded(self._store.set(wait_key, value, expiry))

    async def forget(self, key: str) -> None:
        await self._guarded(self._store.clear(f"login:fail:{key}"))
        await self._guarded(self._store.clear(f"login:wait:{key}"))

    @staticmethod
    async def _guarded(call: Awaitable[T]) -> T:
        try:
            return await call
        except CounterStoreUnavailable:  # Redis is down and the limits fail closed
            raise ServiceUnavailable("Logins cannot be checked; retry shortly") from None

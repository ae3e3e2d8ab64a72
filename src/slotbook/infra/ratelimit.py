"""Fixed-window request counters per key and hour, in process or shared through Redis."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, TypeVar, cast

from limits import RateLimitItem, RateLimitItemPerHour
from limits.aio.storage import Storage as AsyncStorage
from limits.storage import storage_from_string

log = logging.getLogger(__name__)

_KEYS_KEPT = 10_000

FailMode = Literal["open", "closed"]
T = TypeVar("T")


class CounterStoreUnavailable(Exception):
    """Redis does not answer and the limits fail closed: the request must be refused (503)."""


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_time: float  # Unix time when the window resets

    @property
    def reset_at(self) -> int:
        return math.ceil(self.reset_time)

    def retry_after(self, now: float) -> int:
        return max(1, math.ceil(self.reset_time - now))


def _memory() -> AsyncStorage:
    # An "async+" URI gives the asyncio storage; storage_from_string is typed for both.
    return cast(AsyncStorage, storage_from_string("async+memory://"))


class CounterStore:
    """Counters with expiry, in Redis when configured, with a short timeout and a breaker.

    Every Redis call is bounded by `timeout` (a Redis that accepts connections and never
    answers costs one request at most that long). After a failure Redis is left alone for
    `retry_seconds`, and the outage is logged once (one line, no traceback) per such interval;
    meanwhile `fail="open"` counts in this process instead (so the limits still hold, per
    process), `fail="closed"` raises CounterStoreUnavailable.
    """

    def __init__(
        self,
        redis_url: str | None = None,
        *,
        timeout: float = 0.1,
        retry_seconds: float = 5.0,
        fail: FailMode = "open",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._local = _memory()
        self._shared: AsyncStorage | None = None
        if redis_url:
            uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
            self._shared = cast(
                AsyncStorage,
                storage_from_string(
                    uri,
                    implementation="redispy",
                    socket_timeout=timeout,
                    socket_connect_timeout=timeout,
                ),
            )
        self._timeout = timeout
        self._retry_seconds = retry_seconds
        self._fail = fail
        self._monotonic = monotonic
        self._skip_until = 0.0
        self._down = False

    async def incr(self, key: str, expiry: int) -> tuple[int, float]:
        """Add one to `key` (a window of `expiry` seconds): the new count and its reset time."""

        async def run(storage: AsyncStorage) -> tuple[int, float]:
            count = await storage.incr(key, expiry)
            return count, float(await storage.get_expiry(key))

        return await self._call(run)

    async def get(self, key: str) -> int:
        async def run(storage: AsyncStorage) -> int:
            return await storage.get(key)

        return await self._call(run)

    async def set(self, key: str, value: int, expiry: int) -> None:
        """`key` = `value` for `expiry` seconds from now (a fresh window)."""

        async def run(storage: AsyncStorage) -> None:
            await storage.clear(key)
            await storage.incr(key, max(1, expiry), amount=value)

        await self._call(run)

    async def clear(self, key: str) -> None:
        async def run(storage: AsyncStorage) -> None:
            await storage.clear(key)

        await self._call(run)

    async def reset(self) -> None:
        await self._local.reset()
        if self._shared is not None:
            await self._shared.reset()

    async def _call(self, run: Callable[[AsyncStorage], Awaitable[T]]) -> T:
        shared = self._shared
        if shared is None:
            return await run(self._local)
        now = self._monotonic()
        if now < self._skip_until:
            return await self._fallback(run)
        try:
            async with asyncio.timeout(self._timeout):
                result = await run(shared)
        except Exception as error:  # the storage's own errors vary; TimeoutError included
            self._skip_until = now + self._retry_seconds
            self._down = True
            # One line per interval: the breaker keeps Redis out of the way until then.
            log.warning(
                "Redis unreachable (%s: %s); rate limits fail %s for %g s",
                type(error).__name__,
                str(error) or "no answer",
                self._fail,
                self._retry_seconds,
            )
            return await self._fallback(run)
        if self._down:
            self._down = False
            log.warning("Redis answers again; rate limits are shared again")
        return result

    async def _fallback(self, run: Callable[[AsyncStorage], Awaitable[T]]) -> T:
        if self._fail == "closed":
            raise CounterStoreUnavailable()
        return await run(self._local)


class RateLimiter:
    """Counts requests per bucket in fixed one-hour windows (the `limits` package's storage,
    counted the way its `FixedWindowRateLimiter` counts).

    In-process counters are exact for a single server process; give several processes a
    shared Redis (SLOTBOOK_REDIS_URL). What happens while Redis is unreachable is the
    CounterStore's choice (SLOTBOOK_RATE_LIMIT_FAIL).
    """

    def __init__(self, store: CounterStore | str | None = None) -> None:
        self.store = store if isinstance(store, CounterStore) else CounterStore(store)
        self._items: dict[int, RateLimitItem] = {}
        # The storage key of each bucket and limit, made once (4 µs each time).
        self._keys: dict[tuple[int, str], str] = {}

    def _item(self, limit: int) -> RateLimitItem:
        item = self._items.get(limit)
        if item is None:
            item = self._items[limit] = RateLimitItemPerHour(limit)
        return item

    async def hit(self, bucket: str, limit: int) -> RateDecision:
        """Count this request in its bucket's window, and say what is left of the window.

        What `FixedWindowRateLimiter.hit` and `get_window_stats` do together, in two storage
        calls instead of three (with Redis, two round trips): the count the increment returns
        is the one this request leaves, where a second read could include later requests.
        CounterStoreUnavailable when Redis is down and the limits fail closed."""
        item = self._item(limit)
        key = self._keys.get((limit, bucket))
        if key is None:
            if len(self._keys) >= _KEYS_KEPT:
                self._keys.clear()
            key = self._keys[limit, bucket] = item.key_for(bucket)
        count, reset_time = await self.store.incr(key, item.get_expiry())
        return RateDecision(count <= limit, limit, max(0, limit - count), reset_time)

    async def reset(self) -> None:
        await self.store.reset()

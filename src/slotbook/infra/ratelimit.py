"""Fixed-window request counters per key and hour, in process or shared through Redis."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import cast

from limits import RateLimitItem, RateLimitItemPerHour
from limits.aio.storage import Storage as AsyncStorage
from limits.storage import storage_from_string

log = logging.getLogger(__name__)

_KEYS_KEPT = 10_000


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


class RateLimiter:
    """Counts requests per bucket in fixed one-hour windows (the `limits` package's storage,
    counted the way its `FixedWindowRateLimiter` counts).

    In-process counters are exact for a single server process; give several processes a
    shared Redis (SLOTBOOK_REDIS_URL). If Redis is unreachable the request is let through and
    the outage logged (fail-open): an outage of the counter store must not take the API down.
    """

    def __init__(self, redis_url: str | None = None) -> None:
        if redis_url:
            uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
            storage = storage_from_string(uri, implementation="redispy")
        else:
            storage = storage_from_string("async+memory://")
        # An "async+" URI gives the asyncio storage; storage_from_string is typed for both.
        self._storage = cast(AsyncStorage, storage)
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
        is the one this request leaves, where a second read could include later requests."""
        item = self._item(limit)
        key = self._keys.get((limit, bucket))
        if key is None:
            if len(self._keys) >= _KEYS_KEPT:
                self._keys.clear()
            key = self._keys[limit, bucket] = item.key_for(bucket)
        try:
            count = await self._storage.incr(key, item.get_expiry())
            reset_time = await self._storage.get_expiry(key)
        except Exception:  # the storage's own errors vary by backend
            log.warning(
                "rate-limit storage unreachable; letting the request through", exc_info=True
            )
            return RateDecision(True, limit, limit, time.time() + 3600)
        return RateDecision(count <= limit, limit, max(0, limit - count), float(reset_time))

    async def reset(self) -> None:
        await self._storage.reset()

"""Rate-limit headers on every response, 429 with Retry-After, per-key budgets."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from slotbook.api.app import create_app
from slotbook.bootstrap import Container, build
from slotbook.config import Settings
from slotbook.infra.ratelimit import RateLimiter
from tests.support import Tenant

HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


async def test_every_response_carries_the_headers(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    responses = [
        await client.get("/api/v1/departments", headers=tenant.headers),
        await client.get("/api/v1/appointments/2000000000", headers=tenant.headers),
        await client.post("/api/v1/appointments", headers=tenant.headers, json={}),
        await client.get("/api/v1/appointments"),  # 401
        await client.get("/openapi.json"),
        await client.get("/dashboard/login"),
    ]
    for response in responses:
        for header in HEADERS:
            assert header in response.headers, (response.request.url, header)


async def test_budget_per_key_then_429(client: httpx.AsyncClient, tenant: Tenant) -> None:
    key = {"X-API-Key": await tenant.key_with("departments:read", rate_limit=3)}
    remaining = []
    for _ in range(3):
        response = await client.get("/api/v1/departments", headers=key)
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "3"
        remaining.append(int(response.headers["x-ratelimit-remaining"]))
        reset = int(response.headers["x-ratelimit-reset"])
        assert time.time() < reset <= time.time() + 3600 + 1
    assert remaining == [2, 1, 0]
    refused = await client.get("/api/v1/departments", headers=key)
    assert refused.status_code == 429
    assert refused.json()["code"] == "RATE_LIMITED"
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert refused.headers["x-ratelimit-remaining"] == "0"
    # Another key of the same organization has its own budget.
    assert (await client.get("/api/v1/departments", headers=tenant.headers)).status_code == 200


@pytest.fixture
async def strict_anonymous_app(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(database_url=container.settings.database_url, anonymous_rate_limit=2)
    own = build(settings)
    transport = httpx.ASGITransport(app=create_app(container=own))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await own.aclose()


async def test_callers_without_a_key_are_limited_per_address(
    strict_anonymous_app: httpx.AsyncClient,
) -> None:
    statuses = [(await strict_anonymous_app.get("/openapi.json")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("SLOTBOOK_TEST_REDIS_URL")
    if not url:
        pytest.skip("needs SLOTBOOK_TEST_REDIS_URL")
    return url


async def test_processes_share_counters_through_redis(redis_url: str) -> None:
    # Two limiters stand for two server processes.
    first, second = RateLimiter(redis_url), RateLimiter(redis_url)
    bucket = f"test:{time.time_ns()}"
    decisions = [await limiter.hit(bucket, 4) for limiter in (first, second) * 3]
    assert [d.allowed for d in decisions] == [True, True, True, True, False, False]
    assert [d.remaining for d in decisions[:4]] == [3, 2, 1, 0]


async def test_redis_outage_fails_open() -> None:
    limiter = RateLimiter("redis://127.0.0.1:1/0")  # nothing listens on port 1
    decision = await limiter.hit("outage", 5)
    assert decision.allowed
    assert decision.limit == 5
    assert decision.remaining == 4  # counted in process meanwhile

"""Retries against servers that fail on purpose; one Idempotency-Key per call, across retries."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from slotbook_client import APIConnectionError, AsyncClient, Client, ServerError
from tests.sdk.conftest import SDK
from tests.sdk.servers import Failure, hang_up_server
from tests.support import Tenant, future


def _book(tenant: Tenant, name: str = "Retry") -> Any:
    return lambda c: c.appointments.create(
        department_id=tenant.department_id, date_time=future(), name=name
    )


async def test_create_retried_after_503s_books_once_with_one_key(
    sdk: SDK, api: Any, tenant: Tenant
) -> None:
    sdk.flaky.fail_next(Failure(503), Failure(503))
    appointment = await sdk.call(api, _book(tenant))
    posts = [s for s in sdk.flaky.seen if s.method == "POST"]
    assert len(posts) == 3
    keys = {s.idempotency_key for s in posts}
    assert len(keys) == 1
    assert uuid.UUID(keys.pop() or "").version == 4
    page = await sdk.call(api, lambda c: c.appointments.list())
    assert [a.id for a in page.appointments] == [appointment.id]


async def test_429_with_retry_after_is_waited_for(sdk: SDK, api: Any, tenant: Tenant) -> None:
    sdk.flaky.fail_next(Failure(429, "RATE_LIMITED", (("Retry-After", "1"),)))
    appointment = await sdk.call(api, _book(tenant))
    assert appointment.status == "SCHEDULED"
    assert len(sdk.flaky.seen) == 2
    assert sdk.flaky.seen[0].idempotency_key == sdk.flaky.seen[1].idempotency_key


async def test_cancel_retried_after_502_and_504_with_one_key(
    sdk: SDK, api: Any, tenant: Tenant
) -> None:
    booked = await sdk.call(api, _book(tenant))
    sdk.flaky.seen.clear()
    sdk.flaky.fail_next(Failure(502, "BAD_GATEWAY"), Failure(504, "GATEWAY_TIMEOUT"))
    cancelled = await sdk.call(api, lambda c: c.appointments.cancel(booked.id))
    assert cancelled.status == "CANCELLED"
    assert [s.method for s in sdk.flaky.seen] == ["DELETE"] * 3
    assert len({s.idempotency_key for s in sdk.flaky.seen}) == 1
    assert sdk.flaky.seen[0].idempotency_key is not None


async def test_idempotency_in_progress_is_retried(sdk: SDK, api: Any, tenant: Tenant) -> None:
    sdk.flaky.fail_next(Failure(409, "IDEMPOTENCY_IN_PROGRESS"))
    await sdk.call(api, _book(tenant))
    assert len(sdk.flaky.seen) == 2


async def test_each_call_has_its_own_key_and_reads_have_none(
    sdk: SDK, api: Any, tenant: Tenant
) -> None:
    await sdk.call(api, _book(tenant, "one"))
    await sdk.call(api, _book(tenant, "two"))
    chosen = str(uuid.uuid4())
    await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id,
            date_time=future(),
            name="three",
            idempotency_key=chosen,
        ),
    )
    await sdk.call(api, lambda c: c.appointments.list())
    keys = [s.idempotency_key for s in sdk.flaky.seen]
    assert keys[0] != keys[1]
    assert keys[2] == chosen
    assert keys[3] is None


async def test_retries_are_bounded(sdk: SDK, tenant: Tenant) -> None:
    client = sdk.client(tenant.key, max_retries=1)
    sdk.flaky.fail_next(Failure(503), Failure(503), Failure(503))
    with pytest.raises(ServerError) as caught:
        await sdk.call(client, lambda c: c.departments.list())
    assert (caught.value.status, caught.value.code) == (503, "SERVICE_UNAVAILABLE")
    assert len(sdk.flaky.seen) == 2


async def test_errors_that_are_final_are_not_retried(sdk: SDK, api: Any) -> None:
    sdk.flaky.fail_next(Failure(500, "INTERNAL_ERROR"))
    with pytest.raises(ServerError):
        await sdk.call(api, lambda c: c.credits.get())
    assert len(sdk.flaky.seen) == 1


def test_sync_client_retries_connection_errors_with_one_key() -> None:
    with hang_up_server() as (url, received):
        client = Client("sk_x", base_url=url, max_retries=2, backoff=0.01)
        with client, pytest.raises(APIConnectionError) as caught:
            client.appointments.cancel(7)
    assert caught.value.status is None
    assert [r.method for r in received] == [b"DELETE"] * 3
    keys = {dict(r.headers)[b"idempotency-key"] for r in received}
    assert len(keys) == 1


async def test_async_client_retries_connection_errors_with_one_key() -> None:
    with hang_up_server() as (url, received):
        async with AsyncClient("sk_x", base_url=url, max_retries=2, backoff=0.01) as client:
            with pytest.raises(APIConnectionError):
                await client.appointments.create(department_id=1, date_time="x", name="y")
    assert [r.method for r in received] == [b"POST"] * 3
    assert len({dict(r.headers)[b"idempotency-key"] for r in received}) == 1

"""Idempotency-Key: replays, mismatches, concurrent twins, retention, crash atomicity."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from slotbook.bootstrap import Container
from slotbook.infra.db.idempotency import SqlIdempotencyStore
from tests.support import Tenant, TestClock, future, make_tenant
from tests.web.dashboard import LOGIN, hidden


def _booking(tenant: Tenant, name: str = "Jean Dupont") -> dict[str, object]:
    return {"departmentId": tenant.department_id, "dateTime": future(), "name": name}


async def _balance(client: httpx.AsyncClient, tenant: Tenant) -> int:
    response = await client.get("/api/v1/credits", headers=tenant.headers)
    balance: int = response.json()["balance"]
    return balance


async def _count(client: httpx.AsyncClient, tenant: Tenant) -> int:
    response = await client.get("/api/v1/appointments", headers=tenant.headers)
    total: int = response.json()["totalElements"]
    return total


async def test_a_retry_replays_the_first_response(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "order-1"}
    body = _booking(tenant)
    first = await client.post("/api/v1/appointments", headers=headers, json=body)
    again = await client.post("/api/v1/appointments", headers=headers, json=body)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await _count(client, tenant) == 1
    assert await _balance(client, tenant) == 99

    cancel = {**tenant.headers, "Idempotency-Key": '"cancel-1"'}
    url = f"/api/v1/appointments/{first.json()['id']}"
    cancelled = await client.delete(url, headers=cancel)
    replayed = await client.delete(url, headers=cancel)
    assert replayed.content == cancelled.content
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert await _balance(client, tenant) == 100


async def test_a_keyed_overdraft_is_refused_and_replayed(
    client: httpx.AsyncClient, container: Container
) -> None:
    """On PostgreSQL the debit is sent with the commit, here with the stored response: its
    refusal is still a 402 that books nothing, and a retry with the key gets the same one."""
    poor = await make_tenant(container.services, credits=0)
    headers = {**poor.headers, "Idempotency-Key": "broke-1"}
    body = _booking(poor)
    first = await client.post("/api/v1/appointments", headers=headers, json=body)
    again = await client.post("/api/v1/appointments", headers=headers, json=body)
    assert first.status_code == again.status_code == 402
    assert first.json()["message"].endswith("Current: 0, Required: 1")
    assert again.json()["code"] == "INSUFFICIENT_CREDITS"
    assert await _count(client, poor) == 0
    assert await _balance(client, poor) == 0


async def test_the_same_key_for_another_request_is_refused(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "order-2"}
    await client.post("/api/v1/appointments", headers=headers, json=_booking(tenant))
    other = await client.post(
        "/api/v1/appointments", headers=headers, json=_booking(tenant, "Someone Else")
    )
    assert other.status_code == 422
    assert other.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    elsewhere = await client.post(
        "/api/v1/webhooks",
        headers=headers,
        json={"url": "http://127.0.0.1:9999/", "events": ["appointment.created"]},
    )
    assert elsewhere.status_code == 422
    # Key order and spacing do not make a different request.
    reordered = await client.post(
        "/api/v1/appointments",
        headers={**headers, "Content-Type": "application/json"},
        content=b'{"name": "Jean Dupont", "dateTime": "%s", "departmentId": %d}'
        % (future().encode(), tenant.department_id),
    )
    assert reordered.status_code == 201
    assert reordered.headers["Idempotent-Replayed"] == "true"
    assert await _count(client, tenant) == 1


async def test_twenty_concurrent_twins_book_once(client: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "burst"}
    body = _booking(tenant)
    responses = await asyncio.gather(
        *(client.post("/api/v1/appointments", headers=headers, json=body) for _ in range(20))
    )
    created = [r for r in responses if r.status_code == 201]
    in_progress = [r for r in responses if r.status_code == 409]
    assert len(created) + len(in_progress) == 20
    assert created
    assert len({r.json()["id"] for r in created}) == 1
    assert all(r.json()["code"] == "IDEMPOTENCY_IN_PROGRESS" for r in in_progress)
    assert all(r.headers["Retry-After"] for r in in_progress)
    assert await _count(client, tenant) == 1
    assert await _balance(client, tenant) == 99
    final = await client.post("/api/v1/appointments", headers=headers, json=body)
    assert final.json()["id"] == created[0].json()["id"]


async def test_keys_belong_to_one_organization(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    other = await make_tenant(container.services)
    mine = await client.post(
        "/api/v1/appointments",
        headers={**tenant.headers, "Idempotency-Key": "shared"},
        json=_booking(tenant),
    )
    theirs = await client.post(
        "/api/v1/appointments",
        headers={**other.headers, "Idempotency-Key": "shared"},
        json=_booking(other),
    )
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json()["departmentId"] == other.department_id


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "two words"])
async def test_malformed_keys_are_refused(
    client: httpx.AsyncClient, tenant: Tenant, key: str
) -> None:
    response = await client.post(
        "/api/v1/appointments",
        headers=[*tenant.headers.items(), ("Idempotency-Key", key.encode())],
        json=_booking(tenant),
    )
    assert response.status_code == 400
    assert await _count(client, tenant) == 0


async def test_keys_expire_after_a_day(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    clock.freeze(datetime.now(UTC))
    headers = {**tenant.headers, "Idempotency-Key": "daily"}
    body = _booking(tenant)
    first = await client.post("/api/v1/appointments", headers=headers, json=body)
    clock.advance(timedelta(hours=23))
    assert (await client.post("/api/v1/appointments", headers=headers, json=body)).json()[
        "id"
    ] == first.json()["id"]
    clock.advance(timedelta(hours=2))
    later = await client.post("/api/v1/appointments", headers=headers, json=body)
    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later.headers
    assert await _count(client, tenant) == 2


async def test_a_crash_before_the_response_is_stored_commits_nothing(
    client: httpx.AsyncClient,
    tenant: Tenant,
    container: Container,
    clock: TestClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The response commits with the booking: if storing it fails, the booking is gone too,
    and a retry after the claim's lock runs out books exactly once."""
    clock.freeze(datetime.now(UTC))
    headers = {**tenant.headers, "Idempotency-Key": "crash"}
    body = _booking(tenant)
    store = container.idempotency

    async def crash(*_args: object) -> None:
        raise RuntimeError("killed between booking and storing the response")

    async def forget(*_args: object) -> None:
        # The process dies: it does not get to clean up either; its transaction just ends.
        from slotbook.infra.db.idempotency import pending_commit

        pending = pending_commit.get()
        if pending is not None and pending.connection is not None:
            await pending.connection.close()
            pending.connection = None

    monkeypatch.setattr(store, "finish", crash)
    monkeypatch.setattr(store, "abandon", forget)
    crashed = await client.post("/api/v1/appointments", headers=headers, json=body)
    assert crashed.status_code == 500
    monkeypatch.undo()
    assert await _count(client, tenant) == 0
    assert await _balance(client, tenant) == 100

    busy = await client.post("/api/v1/appointments", headers=headers, json=body)
    assert busy.status_code == 409  # the dead request's claim still holds
    clock.advance(timedelta(minutes=2))
    retried = await client.post("/api/v1/appointments", headers=headers, json=body)
    assert retried.status_code == 201
    assert await _count(client, tenant) == 1
    assert await _balance(client, tenant) == 99
    assert isinstance(store, SqlIdempotencyStore)


async def test_dashboard_form_posts_are_not_keyed_requests(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """Only API requests are keyed: a dashboard form post carrying the header (and even an API
    key) runs every time instead of replaying or refusing another body under the same key."""
    headers = {**tenant.headers, "Idempotency-Key": "dashboard-form"}
    token = hidden((await client.get(LOGIN)).text, "csrf_token")
    for password in ("wrong one", "wrong two"):
        form = {"csrf_token": token, "email": "nobody@example.org", "password": password}
        response = await client.post(LOGIN, data=form, headers=headers)
        assert response.status_code == 401, response.text
        assert "idempotent-replayed" not in response.headers


async def test_a_method_the_path_does_not_have_is_405_whatever_the_key(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "not-an-operation"}
    booked = await client.post(
        "/api/v1/appointments",
        headers=headers,
        json={"departmentId": tenant.department_id, "dateTime": future(), "name": "A"},
    )
    assert booked.status_code == 201
    # The same key on a method /appointments/{id} does not have, and on an unknown path.
    wrong = await client.post(f"/api/v1/appointments/{booked.json()['id']}", headers=headers)
    assert wrong.status_code == 405, wrong.text
    assert "POST" not in wrong.headers["allow"]
    unknown = await client.delete("/api/v1/nothing-here", headers=headers)
    assert unknown.status_code == 404, unknown.text

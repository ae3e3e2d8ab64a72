"""Webhook delivery to a real HTTP receiver: signatures, retries, failure, SSRF, workers."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from slotbook.application.booking import BookingRequest, create_appointment
from slotbook.application.ports import Services
from slotbook.bootstrap import Container, delivery_worker
from slotbook.domain.events import RETRY_DELAYS, DeliveryStatus, EventType
from slotbook.infra.db.tables import appointment, outbox_event, webhook_attempt, webhook_delivery
from slotbook.infra.webhooks.delivery import DeliveryWorker, WorkerSettings
from slotbook.infra.webhooks.queue import ClaimedDelivery, DeliveryQueue, DeliveryResult
from slotbook.infra.webhooks.ssrf import SsrfGuard
from tests.receiver import Receiver
from tests.support import Hooks, Tenant, TestClock, future
from tests.webhook_checks import documented_verify


async def drain(*workers: DeliveryWorker, rounds: int = 50) -> int:
    """Run the workers until none finds a due delivery."""
    total = 0
    for _ in range(rounds):
        done = sum(await asyncio.gather(*(w.run_once() for w in workers)))
        if done == 0:
            return total
        total += done
    raise AssertionError("deliveries kept coming")


async def test_delivery_is_signed_and_carries_the_api_representation(
    client: httpx.AsyncClient,
    tenant: Tenant,
    hooks: Hooks,
    receiver: Receiver,
    worker: DeliveryWorker,
) -> None:
    hook = await hooks.register(receiver.url())
    booked = await hooks.book()
    cancelled = await client.delete(f"/api/v1/appointments/{booked['id']}", headers=tenant.headers)
    await drain(worker)

    # Sent concurrently: arrival order is not guaranteed (the change feed is ordered).
    by_type = {r.json["type"]: r for r in receiver.requests}
    assert len(receiver.requests) == 2
    created, cancel = by_type["appointment.created"], by_type["appointment.cancelled"]
    assert created.json["data"]["appointment"] == booked
    assert cancel.json["data"]["appointment"] == cancelled.json()
    verify = documented_verify()
    for request in receiver.requests:
        assert request.webhook_id == request.json["id"]
        Webhook(str(hook["secret"])).verify(request.body, request.headers)
        assert verify(str(hook["secret"]), request.headers, request.body)
        assert not verify(str(hook["secret"]), request.headers, request.body + b" ")
    assert not verify("whsec_" + "A" * 44, created.headers, created.body)
    log = await hooks.deliveries(hook["id"])
    assert {d["status"] for d in log} == {"DELIVERED"}
    assert all(d["attemptLog"][0]["statusCode"] == 200 for d in log)


async def test_failures_are_retried_on_schedule_then_delivered_once(
    tenant: Tenant, hooks: Hooks, receiver: Receiver, worker: DeliveryWorker, clock: TestClock
) -> None:
    from datetime import UTC, datetime

    clock.freeze(datetime.now(UTC))
    hook = await hooks.register(receiver.url(), ["appointment.created"])
    receiver.plan = [500, 503, 500]
    await hooks.book()
    for failed in range(3):
        assert await worker.run_once() == 1
        assert await worker.run_once() == 0  # not due before its backoff
        clock.advance(RETRY_DELAYS[failed] * 1.25)
    assert await worker.run_once() == 1
    clock.advance(timedelta(days=2))
    assert await worker.run_once() == 0  # delivered: never sent again

    assert [r.webhook_id for r in receiver.requests] == [receiver.requests[0].webhook_id] * 4
    assert len({r.headers["webhook-timestamp"] for r in receiver.requests}) == 4
    assert len({r.body for r in receiver.requests}) == 1
    verify = documented_verify()
    for r in receiver.requests:
        assert verify(hook["secret"], r.headers, r.body, now=int(r.headers["webhook-timestamp"]))
    (delivery,) = await hooks.deliveries(hook["id"])
    assert delivery["status"] == "DELIVERED"
    assert [a["statusCode"] for a in delivery["attemptLog"]] == [500, 503, 500, 200]


async def test_exhausted_retries_fail_and_disable_the_endpoint(
    client: httpx.AsyncClient,
    tenant: Tenant,
    hooks: Hooks,
    receiver: Receiver,
    worker: DeliveryWorker,
    clock: TestClock,
) -> None:
    from datetime import UTC, datetime

    clock.freeze(datetime.now(UTC))
    hook = await hooks.register(receiver.url(), ["appointment.created"])
    receiver.default = 500
    await hooks.book()
    for delay in RETRY_DELAYS:
        assert await worker.run_once() == 1
        clock.advance(delay * 1.25)
    assert await worker.run_once() == 1
    (delivery,) = await hooks.deliveries(hook["id"])
    assert delivery["status"] == "FAILED"
    assert delivery["attempts"] == len(RETRY_DELAYS) + 1
    endpoint = (await client.get(f"/api/v1/webhooks/{hook['id']}", headers=tenant.headers)).json()
    assert endpoint["active"] is False
    assert "failing" in endpoint["disabledReason"]

    # Re-enabled and redelivered: a fresh schedule, the same webhook-id.
    receiver.default = 200
    await client.patch(
        f"/api/v1/webhooks/{hook['id']}", headers=tenant.headers, json={"active": True}
    )
    again = await client.post(
        f"/api/v1/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver",
        headers=tenant.headers,
    )
    assert again.status_code == 202
    assert await worker.run_once() == 1
    assert receiver.requests[-1].webhook_id == receiver.requests[0].webhook_id
    (delivery,) = await hooks.deliveries(hook["id"])
    assert delivery["status"] == "DELIVERED"


async def test_gone_disables_and_redirects_are_not_followed(
    client: httpx.AsyncClient,
    tenant: Tenant,
    hooks: Hooks,
    receiver: Receiver,
    worker: DeliveryWorker,
) -> None:
    gone = await hooks.register(receiver.url("/gone"), ["appointment.created"])
    redirect = await hooks.register(receiver.url("/redirect"), ["appointment.created"])
    receiver.plan = [410]
    await hooks.book()
    await drain(worker)
    assert receiver.to("/internal") == []
    (redirected,) = await hooks.deliveries(redirect["id"])
    assert redirected["status"] == "PENDING"
    assert redirected["lastStatusCode"] == 302
    (gone_delivery,) = await hooks.deliveries(gone["id"])
    assert gone_delivery["status"] == "FAILED"
    endpoint = (await client.get(f"/api/v1/webhooks/{gone['id']}", headers=tenant.headers)).json()
    assert endpoint["active"] is False
    assert "410" in endpoint["disabledReason"]
    # The app kept the endpoints it had read: the worker disabling one reaches its next event.
    await hooks.book(days=31)
    assert len(await hooks.deliveries(gone["id"])) == 1
    assert len(await hooks.deliveries(redirect["id"])) == 2


async def test_rotation_overlap_sends_two_signatures(
    client: httpx.AsyncClient,
    tenant: Tenant,
    hooks: Hooks,
    receiver: Receiver,
    worker: DeliveryWorker,
) -> None:
    hook = await hooks.register(receiver.url(), ["appointment.created"])
    rotated = await client.post(
        f"/api/v1/webhooks/{hook['id']}/rotate-secret", headers=tenant.headers
    )
    await hooks.book()
    await drain(worker)
    immediate = await client.post(
        f"/api/v1/webhooks/{hook['id']}/rotate-secret",
        headers=tenant.headers,
        json={"keepPreviousSeconds": 0},
    )
    await hooks.book(days=31)
    await drain(worker)
    first, second = receiver.requests
    assert len(first.headers["webhook-signature"].split(" ")) == 2
    Webhook(str(hook["secret"])).verify(first.body, first.headers)
    Webhook(rotated.json()["secret"]).verify(first.body, first.headers)
    assert len(second.headers["webhook-signature"].split(" ")) == 1
    Webhook(immediate.json()["secret"]).verify(second.body, second.headers)


class _CommitFails:
    """A unit of work that dies just before committing."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    async def __aenter__(self) -> _CommitFails:
        await self._inner.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._inner.__aexit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def commit(self) -> None:
        raise RuntimeError("crash before commit")


async def test_a_rolled_back_change_publishes_nothing(
    container: Container,
    tenant: Tenant,
    hooks: Hooks,
    receiver: Receiver,
    worker: DeliveryWorker,
) -> None:
    await hooks.register(receiver.url())
    services: Services = replace(
        container.services,
        uow=lambda org, *, write: _CommitFails(container.services.uow(org, write=write)),
    )
    principal = await container.authenticator.authenticate(tenant.key)
    assert principal is not None
    from datetime import datetime

    with pytest.raises(RuntimeError):
        await create_appointment(
            services,
            principal,
            BookingRequest(tenant.department_id, datetime.fromisoformat(future()), "Ghost"),
        )
    async with container.engine.connect() as conn:
        for table in (outbox_event, webhook_delivery, appointment):
            count = await conn.scalar(
                select(func.count())
                .select_from(table)
                .where(table.c.organization_id == tenant.organization_id)
            )
            assert count == 0, table.name
    await drain(worker)
    assert receiver.requests == []


async def test_internal_targets_get_no_connection(
    container: Container, tenant: Tenant, hooks: Hooks, receiver: Receiver
) -> None:
    """A URL accepted while it resolved publicly, that now points at 127.0.0.1: the worker
    refuses to connect, and the listener there sees nothing."""
    hook = await hooks.register(receiver.url())
    await hooks.book()
    guarded = DeliveryWorker(
        DeliveryQueue(container.engine, timedelta(hours=20)),
        SsrfGuard(allow_private=False),
        container.services.clock,
        WorkerSettings(timeout=2),
    )
    try:
        assert await guarded.run_once() >= 1
    finally:
        await guarded.aclose()
    assert receiver.requests == []
    (delivery,) = await hooks.deliveries(hook["id"])
    assert delivery["lastError"].startswith("blocked_destination")


async def _publish(container: Container, organization_id: int, count: int) -> None:
    from datetime import UTC, datetime

    async with container.services.uow(organization_id, write=True) as uow:
        for n in range(count):
            await uow.outbox.add(EventType.APPOINTMENT_CREATED, {"n": n}, datetime.now(UTC))
        await uow.commit()


async def test_concurrent_workers_never_send_a_delivery_twice(
    backend: str, container: Container, tenant: Tenant, hooks: Hooks, receiver: Receiver
) -> None:
    if backend != "postgresql":
        pytest.skip("several workers are a PostgreSQL deployment (SKIP LOCKED)")
    await hooks.register(receiver.url(), ["appointment.created"])
    await _publish(container, tenant.organization_id, 300)
    receiver.delay = 0.002
    workers = [
        DeliveryWorker(
            DeliveryQueue(container.engine, timedelta(hours=20)),
            container.url_guard,
            container.services.clock,
            WorkerSettings(timeout=5, batch_size=20, concurrency=10),
        )
        for _ in range(4)
    ]
    try:
        await drain(*workers)
    finally:
        for w in workers:
            await w.aclose()
    ids = [r.webhook_id for r in receiver.requests]
    assert len(ids) == 300
    assert len(set(ids)) == 300
    assert receiver.overlaps == 0


async def test_worker_killed_mid_batch_loses_nothing(
    database_url: str, container: Container, tenant: Tenant, hooks: Hooks, receiver: Receiver
) -> None:
    import os
    import signal
    import sys
    from pathlib import Path

    hook = await hooks.register(receiver.url(), ["appointment.created"])
    await _publish(container, tenant.organization_id, 200)
    receiver.delay = 0.02
    env = {
        **os.environ,
        "SLOTBOOK_DATABASE_URL": database_url,
        "SLOTBOOK_WEBHOOK_ALLOW_PRIVATE": "true",
        "SLOTBOOK_WEBHOOK_TIMEOUT": "1",
        "SLOTBOOK_WEBHOOK_LEASE_SECONDS": "2",
        "SLOTBOOK_WEBHOOK_BATCH_SIZE": "50",
        "SLOTBOOK_WEBHOOK_CONCURRENCY": "10",
        "SLOTBOOK_WORKER_POLL_INTERVAL": "0.05",
        "SLOTBOOK_LOG_LEVEL": "warning",
    }
    command = [str(Path(sys.executable).with_name("slotbook")), "worker"]

    # Each phase's budget starts once its worker says it started. Counted from the launch,
    # the second phase's 30 s had to cover starting a worker (its imports: 4 to 5 s at a load
    # of 13, more on a busier machine), the 2 s lease and a timed-out attempt's 5 s retry
    # before any delivery: the known flakiness under load, with nothing lost.
    first = await _start_worker(command, env)
    deadline = time.monotonic() + 30
    while len(receiver.requests) < 30 and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    os.kill(first.pid, signal.SIGKILL)
    await first.wait()
    assert 30 <= len(receiver.requests) < 200, "the kill must land mid-way"

    second = await _start_worker(command, env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            statuses = {d["status"] for d in await _all_deliveries(hooks, hook["id"])}
            if statuses == {"DELIVERED"}:
                break
            await asyncio.sleep(0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)
    deliveries = await _all_deliveries(hooks, hook["id"])
    assert len(deliveries) == 200
    assert {d["status"] for d in deliveries} == {"DELIVERED"}
    bodies: dict[str, set[bytes]] = {}
    for r in receiver.requests:
        bodies.setdefault(r.webhook_id, set()).add(r.body)
    assert set(bodies) == {d["eventId"] for d in deliveries}
    assert all(len(b) == 1 for b in bodies.values()), [b for b in bodies.values() if len(b) > 1][:1]


async def _start_worker(command: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    """A `slotbook worker` process, once it has started (its stderr then drained in the
    background, so that the pipe never fills)."""
    worker = await asyncio.create_subprocess_exec(*command, env=env, stderr=asyncio.subprocess.PIPE)
    assert worker.stderr is not None
    async with asyncio.timeout(120):
        while b"worker started" not in (line := await worker.stderr.readline()):
            assert line, "the worker exited before it started"
    _drains.add(task := asyncio.create_task(worker.stderr.read()))
    task.add_done_callback(_drains.discard)
    return worker


_drains: set[asyncio.Task[bytes]] = set()


async def _all_deliveries(hooks: Hooks, webhook_id: object) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    page = 0
    while True:
        response = await hooks.client.get(
            f"/api/v1/webhooks/{webhook_id}/deliveries",
            headers=hooks.tenant.headers,
            params={"size": 100, "page": page},
        )
        body = response.json()
        found += body["deliveries"]
        if body["isLast"]:
            return found
        page += 1


async def test_a_slow_receiver_does_not_hold_back_the_others(
    container: Container, tenant: Tenant, hooks: Hooks, receiver: Receiver
) -> None:
    """The running worker claims new deliveries while a slow one is still in flight, and on
    stop finishes and records what it has in flight."""
    slow = await hooks.register(receiver.url("/slow"), ["appointment.created"])
    fast = await hooks.register(receiver.url("/fast"), ["appointment.created"])
    receiver.path_delays["/slow"] = 3.0
    worker = DeliveryWorker(
        DeliveryQueue(container.engine, timedelta(hours=20)),
        container.url_guard,
        container.services.clock,
        WorkerSettings(timeout=6, concurrency=4, poll_interval=0.05),
    )
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        await _publish(container, tenant.organization_id, 1)
        await _until(lambda: len(receiver.to("/fast")) == 1)
        await _publish(container, tenant.organization_id, 1)
        started = time.monotonic()
        await _until(lambda: len(receiver.to("/fast")) == 2)
        assert time.monotonic() - started < 2.0, "the fast delivery waited for the slow one"
        # Both arrive while the first is still answering (its connection is busy, so the
        # second opens its own, which may land just after the fast one).
        await _until(lambda: len(receiver.to("/slow")) == 2, timeout=1.0)
        assert time.monotonic() - started < 2.5
        stop.set()
        await asyncio.wait_for(running, 10)
    finally:
        stop.set()
        await worker.aclose()
    for hook in (slow, fast):
        assert [d["status"] for d in await hooks.deliveries(hook["id"])] == ["DELIVERED"] * 2


async def test_the_running_worker_records_every_result(
    container: Container, tenant: Tenant, hooks: Hooks, receiver: Receiver
) -> None:
    """Results land while earlier ones are being written: none may be dropped (a dropped
    one would be sent again after its lease)."""
    hook = await hooks.register(receiver.url(), ["appointment.created"])
    await _publish(container, tenant.organization_id, 300)
    worker = DeliveryWorker(
        DeliveryQueue(container.engine, timedelta(hours=20)),
        container.url_guard,
        container.services.clock,
        WorkerSettings(timeout=5, batch_size=20, concurrency=10, poll_interval=0.05),
    )
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        await _until(lambda: len(receiver.requests) >= 300, timeout=60)
        stop.set()
        await asyncio.wait_for(running, 10)
    finally:
        stop.set()
        await worker.aclose()
    deliveries = await _all_deliveries(hooks, hook["id"])
    assert len(deliveries) == 300
    assert {(d["status"], d["attempts"]) for d in deliveries} == {("DELIVERED", 1)}


def _result(claimed: ClaimedDelivery, status: DeliveryStatus, code: int) -> DeliveryResult:
    at = claimed.occurred_at + timedelta(seconds=1)
    return DeliveryResult(
        claimed,
        at,
        code,
        None if status is DeliveryStatus.DELIVERED else f"HTTP {code}",
        7,
        status,
        at + timedelta(minutes=5) if status is DeliveryStatus.PENDING else None,
    )


async def test_a_late_result_never_overwrites_a_newer_attempt(
    container: Container, tenant: Tenant, hooks: Hooks, receiver: Receiver, clock: TestClock
) -> None:
    """A worker whose lease ran out records its result after another claim counted a newer
    attempt: the attempt is kept in the history, the delivery keeps the newer outcome. Both
    results are written in one batch, the set-based way PostgreSQL records them."""
    await hooks.register(receiver.url(), ["appointment.created"])
    await _publish(container, tenant.organization_id, 2)
    queue = DeliveryQueue(container.engine, timedelta(hours=20))
    lease = timedelta(seconds=30)
    clock.freeze(clock.now() + timedelta(seconds=1))
    first = await queue.claim(clock.now(), 10, lease)
    assert [c.attempt for c in first] == [1, 1]
    assert {c.organization_id for c in first} == {tenant.organization_id}
    clock.advance(lease * 2)  # the first claim's lease ran out
    second = await queue.claim(clock.now(), 10, lease)
    assert [(c.delivery_id, c.attempt) for c in second] == [(c.delivery_id, 2) for c in first]
    # The newer attempt of the first delivery failed; the late one says it was delivered.
    await queue.record(
        [
            _result(second[0], DeliveryStatus.PENDING, 503),
            _result(first[0], DeliveryStatus.DELIVERED, 200),
            _result(second[1], DeliveryStatus.DELIVERED, 204),
        ],
        clock.now(),
    )
    async with container.engine.connect() as conn:
        rows = {
            r.id: (r.status, r.attempts, r.last_status_code)
            for r in await conn.execute(select(webhook_delivery))
        }
        attempts = (
            await conn.execute(
                select(
                    webhook_attempt.c.delivery_id,
                    webhook_attempt.c.status_code,
                    webhook_attempt.c.organization_id,
                ).order_by(webhook_attempt.c.id)
            )
        ).all()
    assert rows == {
        first[0].delivery_id: ("PENDING", 2, 503),
        first[1].delivery_id: ("DELIVERED", 2, 204),
    }
    assert sorted(attempts) == sorted(
        [
            (first[0].delivery_id, 503, tenant.organization_id),
            (first[0].delivery_id, 200, tenant.organization_id),
            (first[1].delivery_id, 204, tenant.organization_id),
        ]
    )


async def _until(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def test_worker_factory_uses_the_settings(container: Container) -> None:
    assert isinstance(delivery_worker(container), DeliveryWorker)

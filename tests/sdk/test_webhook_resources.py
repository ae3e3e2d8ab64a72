"""client.webhooks and client.changes against the real app, with both clients."""

from __future__ import annotations

from typing import Any

import pytest

from slotbook_client import NotFoundError, Record, ValidationError
from tests.sdk.conftest import SDK
from tests.support import Tenant, future

URL = "http://127.0.0.1:9999/hook"  # never called: no worker runs in these tests


async def test_webhook_lifecycle(sdk: SDK, api: Any) -> None:
    created = await sdk.call(
        api,
        lambda c: c.webhooks.create(
            url=URL, events=["appointment.created"], description="Front desk"
        ),
    )
    assert created.secret.startswith("whsec_")
    assert (created.url, created.events, created.active) == (URL, ["appointment.created"], True)
    hook_id = created.id

    fetched = await sdk.call(api, lambda c: c.webhooks.get(hook_id))
    assert fetched.description == "Front desk"
    assert "secret" not in fetched
    listed = await sdk.call(api, lambda c: c.webhooks.list(page=0, size=10))
    assert [h.id for h in listed.webhooks] == [hook_id]
    assert listed.total_elements == 1

    updated = await sdk.call(
        api,
        lambda c: c.webhooks.update(
            hook_id, events=["appointment.cancelled", "appointment.created"], active=False
        ),
    )
    assert updated.events == ["appointment.cancelled", "appointment.created"]
    assert updated.active is False
    assert updated.description == "Front desk"  # not given: unchanged

    rotated = await sdk.call(
        api, lambda c: c.webhooks.rotate_secret(hook_id, keep_previous_seconds=0)
    )
    assert rotated.secret.startswith("whsec_")
    assert rotated.secret != created.secret

    deleted = await sdk.call(api, lambda c: c.webhooks.delete(hook_id))
    assert deleted == Record()
    with pytest.raises(NotFoundError) as missing:
        await sdk.call(api, lambda c: c.webhooks.get(hook_id))
    assert missing.value.code == "WEBHOOK_NOT_FOUND"


async def test_an_unknown_event_type_is_refused(sdk: SDK, api: Any) -> None:
    with pytest.raises(ValidationError):
        await sdk.call(api, lambda c: c.webhooks.create(url=URL, events=["appointment.eaten"]))


async def test_deliveries_and_redeliver(sdk: SDK, api: Any, tenant: Tenant) -> None:
    hook = await sdk.call(api, lambda c: c.webhooks.create(url=URL, events=["appointment.created"]))
    booked = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=future(), name="Amadou Diallo"
        ),
    )
    log = await sdk.call(api, lambda c: c.webhooks.deliveries(hook.id, size=5))
    assert log.total_elements == 1
    delivery = log.deliveries[0]
    assert (delivery.event_type, delivery.status, delivery.attempts) == (
        "appointment.created",
        "PENDING",
        0,
    )
    assert delivery.event_id.startswith("evt_")

    again = await sdk.call(api, lambda c: c.webhooks.redeliver(hook.id, delivery.id))
    assert again.status == "PENDING"
    with pytest.raises(NotFoundError):
        await sdk.call(api, lambda c: c.webhooks.redeliver(hook.id, delivery.id + 1000))

    # The event carries the appointment exactly as the API returns it.
    feed = await sdk.call(api, lambda c: c.changes.list())
    assert [c.id for c in feed.changes] == [delivery.event_id]
    assert feed.changes[0].data.appointment == booked


async def test_changes_pages_by_cursor(sdk: SDK, api: Any, tenant: Tenant) -> None:
    first = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=future(hour=9), name="A"
        ),
    )
    await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=future(hour=11), name="B"
        ),
    )
    await sdk.call(api, lambda c: c.appointments.cancel(first.id))

    page = await sdk.call(api, lambda c: c.changes.list(limit=2))
    assert [c.type for c in page.changes] == ["appointment.created", "appointment.created"]
    assert page.has_more is True
    rest = await sdk.call(api, lambda c: c.changes.list(after=page.cursor, limit=2))
    assert [(c.type, c.data.appointment.id) for c in rest.changes] == [
        ("appointment.cancelled", first.id)
    ]
    assert rest.has_more is False
    empty = await sdk.call(api, lambda c: c.changes.list(after=rest.cursor))
    assert (empty.changes, empty.cursor) == ([], rest.cursor)

"""credits.low: one event, in the debit's transaction, when the balance crosses the threshold."""

from __future__ import annotations

import httpx

from slotbook.bootstrap import Container
from slotbook.domain.credits import fell_below
from tests.support import Tenant, book, future, make_tenant


async def _low_events(client: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, object]]:
    feed = await client.get("/api/v1/changes", headers=tenant.headers, params={"limit": 100})
    assert feed.status_code == 200, feed.text
    return [c for c in feed.json()["changes"] if c["type"] == "credits.low"]


async def test_threshold_is_shown_and_set(client: httpx.AsyncClient, tenant: Tenant) -> None:
    assert (await client.get("/api/v1/credits", headers=tenant.headers)).json()[
        "creditsLowThreshold"
    ] is None
    patched = await client.patch(
        "/api/v1/credits", headers=tenant.headers, json={"creditsLowThreshold": 5}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json() == {"creditsLowThreshold": 5}
    shown = (await client.get("/api/v1/credits", headers=tenant.headers)).json()
    assert shown["creditsLowThreshold"] == 5
    for bad in (0, -1, True, "x", 10**12):
        refused = await client.patch(
            "/api/v1/credits", headers=tenant.headers, json={"creditsLowThreshold": bad}
        )
        assert refused.status_code == 400, (bad, refused.text)
    cleared = await client.patch(
        "/api/v1/credits", headers=tenant.headers, json={"creditsLowThreshold": None}
    )
    assert cleared.json() == {"creditsLowThreshold": None}


async def test_needs_admin_scope(client: httpx.AsyncClient, container: Container) -> None:
    from slotbook.application.organizations import create_api_key

    tenant = await make_tenant(container.services)
    issued = await create_api_key(
        container.services, tenant.organization_id, frozenset({"credits:read"}), name="ro"
    )
    refused = await client.patch(
        "/api/v1/credits", headers={"X-API-Key": issued.key}, json={"creditsLowThreshold": 3}
    )
    assert refused.status_code == 403


async def test_event_once_when_a_booking_crosses(
    client: httpx.AsyncClient, container: Container
) -> None:
    tenant = await make_tenant(container.services, credits=4)
    await client.patch("/api/v1/credits", headers=tenant.headers, json={"creditsLowThreshold": 3})
    await book(client, tenant, future(days=5, hour=9))  # 4 -> 3: not under
    assert await _low_events(client, tenant) == []
    await book(client, tenant, future(days=5, hour=10))  # 3 -> 2: crosses
    await book(client, tenant, future(days=5, hour=11))  # 2 -> 1: already under
    events = await _low_events(client, tenant)
    assert len(events) == 1
    assert events[0]["data"] == {"credits": {"balance": 2, "threshold": 3}}

    # A refund that leaves the balance under the threshold sends nothing.
    created = await book(client, tenant, future(days=5, hour=12))  # 1 -> 0
    cancelled = await client.post(
        f"/api/v1/appointments/{created['id']}/cancel", headers=tenant.headers, json={}
    )
    assert cancelled.status_code == 200
    assert len(await _low_events(client, tenant)) == 1


async def test_no_threshold_no_event(client: httpx.AsyncClient, tenant: Tenant) -> None:
    await book(client, tenant, future(days=5))
    assert await _low_events(client, tenant) == []


def test_fell_below() -> None:
    assert fell_below(3, 2, 3)
    assert fell_below(10, 0, 5)
    assert not fell_below(4, 3, 3)
    assert not fell_below(2, 1, 3)
    assert not fell_below(2, 3, 3)
    assert not fell_below(5, 4, None)


async def test_an_operator_correction_can_cross_too(
    client: httpx.AsyncClient, container: Container
) -> None:
    from slotbook.application.credits import add_credits

    tenant = await make_tenant(container.services, credits=10)
    await client.patch("/api/v1/credits", headers=tenant.headers, json={"creditsLowThreshold": 5})
    await add_credits(container.services, tenant.organization_id, -3)  # 10 -> 7
    assert await _low_events(client, tenant) == []
    await add_credits(container.services, tenant.organization_id, -4)  # 7 -> 3
    events = await _low_events(client, tenant)
    assert [e["data"] for e in events] == [{"credits": {"balance": 3, "threshold": 5}}]
    await add_credits(container.services, tenant.organization_id, 10)  # a grant: no event
    assert len(await _low_events(client, tenant)) == 1

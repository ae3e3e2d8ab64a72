"""Every recorded appointment change publishes its event, in commit order, with the same
representation as the API."""

from __future__ import annotations

import httpx

from tests.support import Tenant, book, future


async def test_transitions_publish_their_events(client: httpx.AsyncClient, tenant: Tenant) -> None:
    created = await book(client, tenant, future(days=3))
    url = f"/api/v1/appointments/{created['id']}"
    confirmed = await client.post(f"{url}/confirm", headers=tenant.headers)
    assert confirmed.status_code == 200, confirmed.text
    patched = await client.patch(url, headers=tenant.headers, json={"notes": "Bring the form"})
    assert patched.status_code == 200, patched.text
    cancelled = await client.post(f"{url}/cancel", headers=tenant.headers, json={})
    assert cancelled.status_code == 200, cancelled.text

    feed = await client.get("/api/v1/changes", headers=tenant.headers, params={"limit": 50})
    assert feed.status_code == 200, feed.text
    changes = feed.json()["changes"]
    assert [c["type"] for c in changes] == [
        "appointment.created",
        "appointment.confirmed",
        "appointment.updated",
        "appointment.cancelled",
    ]
    last = changes[-1]["data"]["appointment"]
    now = (await client.get(url, headers=tenant.headers)).json()
    assert last == now  # the event carries the appointment exactly as the API shows it

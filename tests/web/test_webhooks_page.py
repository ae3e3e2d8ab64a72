"""Webhooks (owners): create with the secret shown once, deactivate, activate, delete, the
delivery log with status codes and latency, redeliver; staff are refused."""

from __future__ import annotations

import re

import httpx

from slotbook.bootstrap import Container
from slotbook.infra.webhooks.delivery import DeliveryWorker
from tests.receiver import Receiver
from tests.support import Hooks, Login, Tenant, make_tenant
from tests.web.dashboard import log_in, page_token

PAGE = "/dashboard/webhooks"


async def _create(client: httpx.AsyncClient, url: str, *events: str, **more: str) -> httpx.Response:
    token = await page_token(client, PAGE)
    return await client.post(
        PAGE, data={"csrf_token": token, "url": url, "events": list(events), **more}
    )


async def _action(client: httpx.AsyncClient, path: str) -> httpx.Response:
    return await client.post(path, data={"csrf_token": await page_token(client, PAGE)})


async def test_create_deactivate_activate_delete(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant, hooks: Hooks, receiver: Receiver
) -> None:
    await log_in(client, owner)
    created = await _create(
        client, receiver.url(), "appointment.created", description="Front desk system"
    )
    assert created.status_code == 201, created.text
    secret = re.search(r'id="new-secret" type="text" readonly value="([^"]+)"', created.text)
    assert secret
    assert secret.group(1).startswith("whsec_")
    listing = await client.get(PAGE)
    assert secret.group(1) not in listing.text  # shown once
    row = re.search(r'<tr data-webhook-id="(\d+)">(.*?)</tr>', listing.text, re.S)
    assert row
    hook_id, cells = row.group(1), row.group(2)
    assert "Front desk system" in cells
    assert "appointment.created" in cells
    assert "Active</span>" in cells
    api = await client.get(f"/api/v1/webhooks/{hook_id}", headers=tenant.headers)
    assert api.json()["events"] == ["appointment.created"]

    off = await _action(client, f"{PAGE}/{hook_id}/deactivate")
    assert off.status_code == 303
    assert off.headers["location"] == f"{PAGE}?done=deactivated"
    assert (await client.get(f"/api/v1/webhooks/{hook_id}", headers=tenant.headers)).json()[
        "active"
    ] is False
    assert "Inactive</span>" in (await client.get(off.headers["location"])).text
    assert (await _action(client, f"{PAGE}/{hook_id}/activate")).status_code == 303
    assert (await client.get(f"/api/v1/webhooks/{hook_id}", headers=tenant.headers)).json()[
        "active"
    ] is True
    deleted = await _action(client, f"{PAGE}/{hook_id}/delete")
    assert deleted.status_code == 303
    assert "The endpoint is deleted." in (await client.get(deleted.headers["location"])).text
    gone = await client.get(f"/api/v1/webhooks/{hook_id}", headers=tenant.headers)
    assert gone.status_code == 404
    assert (await _action(client, f"{PAGE}/{hook_id}/delete")).status_code == 404


async def test_form_errors_come_back_on_the_form(
    client: httpx.AsyncClient, owner: Login, hooks: Hooks
) -> None:
    await log_in(client, owner)
    no_event = await _create(client, "http://127.0.0.1:9999/hook")
    assert no_event.status_code == 400
    assert "Choose at least one event." in no_event.text
    assert 'value="http://127.0.0.1:9999/hook"' in no_event.text
    bad_url = await _create(client, "ftp://example.org/x", "appointment.created")
    assert bad_url.status_code == 400
    assert 'role="alert"' in bad_url.text
    assert (await _create(client, "", "appointment.created")).status_code == 400
    assert (
        await _create(client, "http://127.0.0.1:9999/\x01", "appointment.created")
    ).status_code == 400
    assert (
        await _create(client, "http://127.0.0.1:9999/h", "appointment.eaten")
    ).status_code == 400
    forged = await client.post(
        PAGE, data={"url": "http://127.0.0.1:9999/h", "events": "credits.low"}
    )
    assert forged.status_code == 403
    assert "No webhook endpoints yet." in (await client.get(PAGE)).text


async def test_delivery_log_and_redeliver(
    client: httpx.AsyncClient,
    owner: Login,
    tenant: Tenant,
    hooks: Hooks,
    receiver: Receiver,
    worker: DeliveryWorker,
) -> None:
    hook = await hooks.register(receiver.url(), ["appointment.created"])
    receiver.plan = [503]
    await hooks.book("Amadou Diallo")
    # Other tests of the session may leave deliveries of their own due: count ours by its row.
    assert await worker.run_once() >= 1
    await log_in(client, owner)
    log = await client.get(f"{PAGE}/{hook['id']}")
    assert log.status_code == 200
    row = re.search(r'<tr data-delivery-id="(\d+)">(.*?)</tr>', log.text, re.S)
    assert row
    delivery_id, cells = row.group(1), row.group(2)
    assert "appointment.created" in cells
    assert "Pending</span>" in cells
    assert ">503<" in cells
    assert re.search(r">\d+ ms<", cells)

    again = await _action(client, f"{PAGE}/{hook['id']}/deliveries/{delivery_id}/redeliver")
    assert again.status_code == 303
    assert again.headers["location"] == f"{PAGE}/{hook['id']}?done=redelivered"
    assert await worker.run_once() >= 1  # due at once, not after the backoff
    shown = await client.get(again.headers["location"])
    assert "The delivery is queued to be sent again." in shown.text
    assert "Delivered</span>" in shown.text
    assert ">200<" in shown.text
    missing = await _action(client, f"{PAGE}/{hook['id']}/deliveries/2147483647/redeliver")
    assert missing.status_code == 404


async def test_staff_and_other_organizations_are_refused(
    client: httpx.AsyncClient, staff: Login, owner: Login, container: Container
) -> None:
    other = await make_tenant(container.services)
    foreign = await client.post(
        "/api/v1/webhooks",
        headers=other.headers,
        json={"url": "http://127.0.0.1:9999/hook", "events": ["appointment.created"]},
    )
    foreign_id = foreign.json()["id"]
    await log_in(client, staff)
    assert (await client.get(PAGE)).status_code == 403
    assert PAGE not in (await client.get("/dashboard")).text
    token = await page_token(client)
    refused = await client.post(
        PAGE, data={"csrf_token": token, "url": "http://127.0.0.1:9999/h", "events": "credits.low"}
    )
    assert refused.status_code == 403
    client.cookies.clear()
    await log_in(client, owner)
    assert (await client.get(f"{PAGE}/{foreign_id}")).status_code == 403
    assert (await _action(client, f"{PAGE}/{foreign_id}/delete")).status_code == 403
    await client.delete(f"/api/v1/webhooks/{foreign_id}", headers=other.headers)

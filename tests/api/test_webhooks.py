"""Webhook endpoints through HTTP: registration, secrets shown once, scopes, tenants, SSRF."""

from __future__ import annotations

import httpx

from slotbook.bootstrap import Container
from tests.support import Hooks, Tenant, make_tenant


async def test_crud_shows_the_secret_only_at_creation(
    client: httpx.AsyncClient, tenant: Tenant, hooks: Hooks
) -> None:
    created = await hooks.register("http://127.0.0.1:9999/hook", ["appointment.created"])
    assert str(created["secret"]).startswith("whsec_")
    assert created["events"] == ["appointment.created"]
    hook_id = created["id"]

    fetched = await client.get(f"/api/v1/webhooks/{hook_id}", headers=tenant.headers)
    assert fetched.status_code == 200
    assert "secret" not in fetched.json()
    listed = await client.get("/api/v1/webhooks", headers=tenant.headers)
    assert [h["id"] for h in listed.json()["webhooks"]] == [hook_id]
    assert "secret" not in listed.json()["webhooks"][0]

    patched = await client.patch(
        f"/api/v1/webhooks/{hook_id}",
        headers=tenant.headers,
        json={"events": ["appointment.cancelled", "appointment.created"], "active": False},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["events"] == ["appointment.cancelled", "appointment.created"]
    assert patched.json()["active"] is False

    rotated = await client.post(f"/api/v1/webhooks/{hook_id}/rotate-secret", headers=tenant.headers)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]

    deleted = await client.delete(f"/api/v1/webhooks/{hook_id}", headers=tenant.headers)
    assert deleted.status_code == 204
    gone = await client.get(f"/api/v1/webhooks/{hook_id}", headers=tenant.headers)
    assert gone.status_code == 404
    assert gone.json()["code"] == "WEBHOOK_NOT_FOUND"


async def test_admin_scope_and_tenants(
    client: httpx.AsyncClient, tenant: Tenant, hooks: Hooks, container: Container
) -> None:
    reader = await tenant.key_with("appointments:read", "appointments:create")
    refused = await client.get("/api/v1/webhooks", headers={"X-API-Key": reader})
    assert refused.status_code == 403
    created = await hooks.register("http://127.0.0.1:9999/hook")
    other = await make_tenant(container.services)
    foreign = await client.get(f"/api/v1/webhooks/{created['id']}", headers=other.headers)
    assert foreign.status_code == 403
    assert foreign.json()["code"] == "FORBIDDEN"
    unknown = await client.get("/api/v1/webhooks/2147483647", headers=tenant.headers)
    assert unknown.status_code == 404


async def test_invalid_registrations_are_refused(client: httpx.AsyncClient, tenant: Tenant) -> None:
    cases = [
        ({"url": "ftp://example.com/x", "events": ["appointment.created"]}, "INVALID_WEBHOOK_URL"),
        ({"url": "http://user:pw@example.com/", "events": ["appointment.created"]}, None),
        ({"url": "http://127.0.0.1:22/", "events": ["appointment.created"]}, None),
        ({"url": "https://example.com/", "events": []}, None),
        ({"url": "https://example.com/", "events": ["appointment.exploded"]}, None),
        ({"url": "https://example.com/\x00", "events": ["appointment.created"]}, None),
    ]
    for body, code in cases:
        response = await client.post("/api/v1/webhooks", headers=tenant.headers, json=body)
        assert response.status_code == 400, (body, response.text)
        if code:
            assert response.json()["code"] == code


async def test_patch_keeps_an_unsent_description_and_null_clears_it(
    client: httpx.AsyncClient, tenant: Tenant, hooks: Hooks
) -> None:
    created = await client.post(
        "/api/v1/webhooks",
        headers=tenant.headers,
        json={
            "url": "http://127.0.0.1:9999/hook",
            "events": ["appointment.created"],
            "description": "CRM",
        },
    )
    hook = f"/api/v1/webhooks/{created.json()['id']}"
    kept = await client.patch(hook, headers=tenant.headers, json={"active": False})
    assert kept.json()["description"] == "CRM"
    cleared = await client.patch(hook, headers=tenant.headers, json={"description": None})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["description"] is None
    for bad in ({"active": 1}, {"description": " "}, {"url": "http://127.0.0.1/\u0000"}):
        refused = await client.patch(hook, headers=tenant.headers, json=bad)
        assert refused.status_code == 400, (bad, refused.text)

"""Settings → API: owners create keys shown once, list them, revoke them; staff cannot."""

from __future__ import annotations

import re

import httpx

from slotbook.bootstrap import Container
from tests.support import Login, Tenant
from tests.web.dashboard import log_in, page_token

PAGE = "/dashboard/settings/api"


def _new_key(html: str) -> str:
    match = re.search(r'id="new-key" type="text" readonly value="([^"]+)"', html)
    assert match, "the new key is not on the page"
    return match.group(1)


async def _create(client: httpx.AsyncClient, name: str, *scopes: str) -> httpx.Response:
    token = await page_token(client, PAGE)
    return await client.post(
        f"{PAGE}/keys", data={"csrf_token": token, "name": name, "scopes": list(scopes)}
    )


async def test_create_use_list_and_revoke_a_key(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant, container: Container
) -> None:
    await log_in(client, owner)
    created = await _create(client, "Reception PC", "departments:read", "appointments:read")
    assert created.status_code == 201, created.text
    key = _new_key(created.text)
    assert key.startswith("sb_live_")

    api = {"X-API-Key": key}
    departments = await client.get("/api/v1/departments", headers=api)
    assert departments.status_code == 200
    assert departments.json()[0]["organization"]["id"] == tenant.organization_id
    assert (await client.get("/api/v1/credits", headers=api)).status_code == 403  # not granted

    listing = await client.get(PAGE)
    assert key not in listing.text  # shown once only
    row = re.search(rf'<tr data-key-prefix="{key[:12]}">(.*?)</tr>', listing.text, re.S)
    assert row, "the new key is not listed"
    assert "Reception PC" in row.group(1)
    assert "appointments:read</code>, <code>departments:read" in row.group(1)
    assert "never" not in row.group(1)  # it was just used
    revoke_action = re.search(r'action="(/dashboard/settings/api/keys/\d+/revoke)"', row.group(1))
    assert revoke_action

    token = await page_token(client, PAGE)
    revoked = await client.post(revoke_action.group(1), data={"csrf_token": token})
    assert revoked.status_code == 303
    assert revoked.headers["location"] == f"{PAGE}?revoked={key[:12]}"
    # At once, although the key was cached a moment ago.
    after = await client.get("/api/v1/departments", headers=api)
    assert after.status_code == 401
    listing = await client.get(revoked.headers["location"])
    assert f"The key {key[:12]}… is revoked." in listing.text
    assert "Revoked</span>" in listing.text
    again = await client.post(revoke_action.group(1), data={"csrf_token": token})
    assert again.status_code == 303  # revoking twice changes nothing


async def test_form_errors_come_back_on_the_form(client: httpx.AsyncClient, owner: Login) -> None:
    await log_in(client, owner)
    no_scope = await _create(client, "Nothing")
    assert no_scope.status_code == 400
    assert "Choose at least one scope." in no_scope.text
    assert 'value="Nothing"' in no_scope.text
    no_name = await _create(client, "  ", "admin")
    assert no_name.status_code == 400
    assert "Give the key a name." in no_name.text
    unknown = await _create(client, "Odd", "everything")
    assert unknown.status_code == 400
    assert "Unknown scope(s): everything" in unknown.text
    control = await _create(client, "bad\x01name", "admin")
    assert control.status_code == 400


async def test_creating_a_key_needs_the_csrf_token(client: httpx.AsyncClient, owner: Login) -> None:
    await log_in(client, owner)
    forged = await client.post(f"{PAGE}/keys", data={"name": "Forged", "scopes": ["admin"]})
    assert forged.status_code == 403
    assert "did not come from this site" in forged.text
    assert "Forged" not in (await client.get(PAGE)).text


async def test_other_organizations_keys_cannot_be_revoked(
    client: httpx.AsyncClient, owner: Login, container: Container
) -> None:
    from tests.support import make_tenant

    other = await make_tenant(container.services)
    await log_in(client, owner)
    token = await page_token(client, PAGE)
    other_keys = await container.services.registry.list_api_keys(other.organization_id)
    response = await client.post(
        f"{PAGE}/keys/{other_keys[0].id}/revoke", data={"csrf_token": token}
    )
    assert response.status_code == 403
    assert (await client.get("/api/v1/departments", headers=other.headers)).status_code == 200
    missing = await client.post(f"{PAGE}/keys/2147483647/revoke", data={"csrf_token": token})
    assert missing.status_code == 404
    too_big = await client.post(f"{PAGE}/keys/2147483648/revoke", data={"csrf_token": token})
    assert too_big.status_code == 400


async def test_staff_cannot_open_settings(client: httpx.AsyncClient, staff: Login) -> None:
    await log_in(client, staff)
    home = await client.get("/dashboard")
    assert home.status_code == 200
    assert PAGE not in home.text  # not in the menu either
    page = await client.get(PAGE)
    assert page.status_code == 403
    assert "You do not have access to this page." in page.text
    token = await page_token(client)
    forbidden = await client.post(
        f"{PAGE}/keys", data={"csrf_token": token, "name": "x", "scopes": ["admin"]}
    )
    assert forbidden.status_code == 403

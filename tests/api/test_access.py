"""API keys: where they are read from, what a missing or wrong one gets, and scopes."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from slotbook.bootstrap import Container
from slotbook.infra.db.tables import api_key
from tests.support import Tenant, future

URL = "/api/v1/appointments"


async def test_key_in_header_query_and_basic_auth(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    basic = base64.b64encode(f"{tenant.key}:".encode()).decode()
    for kwargs in (
        {"headers": {"X-API-Key": tenant.key}},
        {"params": {"apikey": tenant.key}},
        {"headers": {"Authorization": f"Basic {basic}"}},
    ):
        response = await client.get("/api/v1/departments", **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 200, kwargs


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-Key": "sb_live_not-a-real-key"},
        {"X-API-Key": ""},
        {"Authorization": "Basic !!!notbase64"},
        {"Authorization": "Bearer something"},
    ],
)
async def test_missing_or_invalid_key(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    for method, path in (("GET", URL), ("POST", URL), ("GET", "/api/v1/departments")):
        response = await client.request(method, path, headers=headers, json={})
        assert response.status_code == 401
        body = response.json()
        assert body["code"] == "UNAUTHORIZED"
        assert body["message"] == "Invalid or missing API key"


async def test_only_the_hash_of_a_key_is_stored(container: Container, tenant: Tenant) -> None:
    async with container.engine.connect() as conn:
        rows = (await conn.execute(select(api_key))).mappings().all()
        dump = " ".join(str(dict(row)) for row in rows)
        assert tenant.key not in dump
        stored = (
            await conn.execute(
                text("SELECT key_hash, prefix FROM api_key WHERE organization_id = :o"),
                {"o": tenant.organization_id},
            )
        ).all()
    assert all(len(row.key_hash) == 64 for row in stored)
    assert all(tenant.key.startswith(row.prefix) for row in stored)


def _requests(tenant: Tenant, appointment_id: int) -> list[tuple[str, str, str, Any]]:
    body = {"departmentId": tenant.department_id, "dateTime": future(), "name": "A"}
    return [
        ("appointments:create", "POST", URL, body),
        ("appointments:read", "GET", URL, None),
        ("appointments:read", "GET", f"{URL}/{appointment_id}", None),
        ("appointments:read", "GET", f"{URL}/{appointment_id}/qr.svg", None),
        ("appointments:cancel", "DELETE", f"{URL}/{appointment_id}", None),
        ("departments:read", "GET", "/api/v1/departments", None),
        ("credits:read", "GET", "/api/v1/credits", None),
    ]


async def test_scope_matrix(client: httpx.AsyncClient, tenant: Tenant) -> None:
    """Each endpoint answers 403 to a key without its scope and works with only that scope."""
    created = await client.post(
        URL,
        headers=tenant.headers,
        json={"departmentId": tenant.department_id, "dateTime": future(), "name": "A"},
    )
    appointment_id = created.json()["id"]
    requests = _requests(tenant, appointment_id)
    scopes = sorted({scope for scope, *_ in requests})
    keys = {scope: await tenant.key_with(scope) for scope in scopes}
    for scope, method, path, body in requests:
        for key_scope, key in keys.items():
            response = await client.request(method, path, headers={"X-API-Key": key}, json=body)
            if key_scope == scope:
                assert response.status_code in (200, 201), (scope, path, response.text)
            else:
                assert response.status_code == 403, (key_scope, method, path)
                assert response.json()["code"] == "FORBIDDEN"
                assert scope in response.json()["message"]


async def test_admin_scope_allows_everything(client: httpx.AsyncClient, tenant: Tenant) -> None:
    admin = {"X-API-Key": await tenant.key_with("admin")}
    assert (await client.get(URL, headers=admin)).status_code == 200
    assert (await client.get("/api/v1/credits", headers=admin)).status_code == 200

"""The seed 001 quick start, step by step, through HTTP."""

from __future__ import annotations

import httpx

from tests.support import Tenant, future


async def test_quick_start(client: httpx.AsyncClient, tenant: Tenant) -> None:
    departments = await client.get("/api/v1/departments", headers=tenant.headers)
    assert departments.status_code == 200
    assert departments.json()[0]["organization"]["id"] == tenant.organization_id

    created = await client.post(
        "/api/v1/appointments",
        headers=tenant.headers,
        json={"departmentId": tenant.department_id, "dateTime": future(), "name": "Jean Dupont"},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "SCHEDULED"

    fetched = await client.get(f"/api/v1/appointments/{body['id']}", headers=tenant.headers)
    assert fetched.json() == body

    cancelled = await client.delete(f"/api/v1/appointments/{body['id']}", headers=tenant.headers)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "CANCELLED"

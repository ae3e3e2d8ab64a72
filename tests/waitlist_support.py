"""Waitlist builders through the API: join, a booked time to free, and an entry holding an offer."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tests.support import Tenant, future

_users = itertools.count(1)


def day(days: int) -> str:
    return future(days)[:10]


async def join(
    http: httpx.AsyncClient, tenant: Tenant, /, expect: int = 201, **fields: Any
) -> dict[str, Any]:
    """POST /waitlist in the tenant's open department for a new external user over the next 60
    days; a field given as None is left out of the body."""
    body: dict[str, Any] = {
        "departmentId": tenant.department_id,
        "earliest": day(1),
        "latest": day(60),
        "externalUserId": f"waiting-{next(_users)}",
        "name": "Waiting Client",
        **fields,
    }
    body = {k: v for k, v in body.items() if v is not None}
    r = await http.post("/api/v1/waitlist", headers=tenant.headers, json=body)
    assert r.status_code == expect, r.text
    result: dict[str, Any] = r.json()
    return result


async def booked(
    http: httpx.AsyncClient, tenant: Tenant, when: str, **fields: Any
) -> dict[str, Any]:
    body = {"departmentId": tenant.department_id, "dateTime": when, "name": "Regular", **fields}
    r = await http.post("/api/v1/appointments", headers=tenant.headers, json=body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def cancel(http: httpx.AsyncClient, tenant: Tenant, appointment_id: int) -> None:
    r = await http.post(f"/api/v1/appointments/{appointment_id}/cancel", headers=tenant.headers)
    assert r.status_code == 200, r.text


async def entry(http: httpx.AsyncClient, tenant: Tenant, entry_id: int) -> dict[str, Any]:
    r = await http.get(f"/api/v1/waitlist/{entry_id}", headers=tenant.headers)
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


async def events(http: httpx.AsyncClient, tenant: Tenant, kind: str) -> list[dict[str, Any]]:
    r = await http.get(
        "/api/v1/changes", headers=tenant.headers, params={"after": 0, "limit": 1000}
    )
    assert r.status_code == 200, r.text
    return [c for c in r.json()["changes"] if c["type"] == kind]


async def offered(
    http: httpx.AsyncClient, tenant: Tenant, when: str, /, **fields: Any
) -> dict[str, Any]:
    """An entry holding an offer of `when`: the time is booked, the entry joins (with `fields`),
    then the time is cancelled and so offered to it. `client` may be one of the fields."""
    taken = await booked(http, tenant, when)
    joined = await join(http, tenant, **fields)
    await cancel(http, tenant, taken["id"])
    result = await entry(http, tenant, joined["id"])
    assert result["status"] == "OFFERED", result
    return result

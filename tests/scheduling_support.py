"""Builders for scheduling tests: hours, types and policies set through the admin API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support import Tenant

WEEK = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


def every_day(start: str = "09:00", end: str = "17:00") -> dict[str, Any]:
    return {"ranges": [{"weekday": d, "start": start, "end": end} for d in WEEK]}


async def set_worker_hours(
    client: httpx.AsyncClient,
    tenant: Tenant,
    worker_id: int,
    start: str = "09:00",
    end: str = "17:00",
) -> None:
    r = await client.put(
        f"/api/v1/workers/{worker_id}/hours", headers=tenant.headers, json=every_day(start, end)
    )
    assert r.status_code == 200, r.text


async def add_worker(client: httpx.AsyncClient, tenant: Tenant, *departments: int) -> int:
    r = await client.post(
        "/api/v1/workers",
        headers=tenant.headers,
        json={"name": "Extra worker", "departmentIds": list(departments)},
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def add_type(client: httpx.AsyncClient, tenant: Tenant, **fields: Any) -> int:
    body = {"name": "Consultation", "durationMinutes": 30, **fields}
    r = await client.post("/api/v1/appointment-types", headers=tenant.headers, json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def set_department(
    client: httpx.AsyncClient, tenant: Tenant, department_id: int, **fields: Any
) -> dict[str, Any]:
    r = await client.patch(
        f"/api/v1/departments/{department_id}", headers=tenant.headers, json=fields
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def book(
    client: httpx.AsyncClient, tenant: Tenant, department_id: int, date_time: str, **fields: Any
) -> httpx.Response:
    body = {"departmentId": department_id, "dateTime": date_time, "name": "Client", **fields}
    return await client.post("/api/v1/appointments", headers=tenant.headers, json=body)


def refusal(response: httpx.Response) -> tuple[int, str, int | None, str | None]:
    body = response.json()
    return response.status_code, body["code"], body.get("numericCode"), body.get("legacyCode")

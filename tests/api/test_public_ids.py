"""Every record the native API shows carries a stable public `uuid` alongside its integer id."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx

from tests.scheduling_support import add_type
from tests.support import Tenant, book, future


def _uuid(record: dict[str, Any]) -> str:
    value = record["uuid"]
    assert isinstance(value, str)
    assert str(UUID(value)) == value  # canonical lower-case text
    return value


async def _get(http: httpx.AsyncClient, tenant: Tenant, url: str) -> Any:
    response = await http.get(url, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_entity_shows_a_stable_distinct_uuid(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    type_id = await add_type(client, tenant)
    owner = await client.post("/api/v1/clients", headers=tenant.headers, json={"name": "Awa"})
    assert owner.status_code == 201, owner.text
    rex = await client.post(
        f"/api/v1/clients/{owner.json()['id']}/patients",
        headers=tenant.headers,
        json={"name": "Rex"},
    )
    assert rex.status_code == 201, rex.text
    booked = await book(client, tenant, future(days=4))

    # What creation answered is what every later read shows.
    reads = {
        "client": (owner.json(), f"/api/v1/clients/{owner.json()['id']}"),
        "patient": (rex.json(), f"/api/v1/patients/{rex.json()['id']}"),
        "appointment": (booked, f"/api/v1/appointments/{booked['id']}"),
    }
    seen = set()
    for created, url in reads.values():
        again = await _get(client, tenant, url)
        assert _uuid(created) == _uuid(again)
        seen.add(_uuid(again))

    workers = await _get(client, tenant, "/api/v1/workers")
    worker = await _get(client, tenant, f"/api/v1/workers/{tenant.worker_id}")
    assert _uuid(worker) == next(_uuid(w) for w in workers if w["id"] == tenant.worker_id)
    kinds = await _get(client, tenant, "/api/v1/appointment-types")
    kind = await _get(client, tenant, f"/api/v1/appointment-types/{type_id}")
    assert _uuid(kind) == next(_uuid(k) for k in kinds if k["id"] == type_id)
    departments = await _get(client, tenant, "/api/v1/departments")
    department = await _get(client, tenant, f"/api/v1/departments/{tenant.department_id}")
    assert _uuid(department) == next(
        _uuid(d) for d in departments if d["id"] == tenant.department_id
    )
    seen |= {_uuid(worker), _uuid(kind)} | {_uuid(d) for d in departments}
    assert len(seen) == 7  # 3 above + worker + type + two departments: all different

    # A change keeps the uuid; a listing shows the same one.
    renamed = await client.put(
        f"/api/v1/workers/{tenant.worker_id}",
        headers=tenant.headers,
        json={"name": "Dr Bah", "departmentIds": [tenant.department_id]},
    )
    assert _uuid(renamed.json()) == _uuid(worker)
    cancelled = await client.post(
        f"/api/v1/appointments/{booked['id']}/cancel", headers=tenant.headers, json={}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert _uuid(cancelled.json()) == _uuid(booked)
    listed = await _get(client, tenant, "/api/v1/appointments?size=100")
    assert [_uuid(a) for a in listed["appointments"] if a["id"] == booked["id"]] == [_uuid(booked)]

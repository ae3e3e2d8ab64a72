"""Credits: consumed by bookings in the same transaction, never negative under races."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from slotbook.bootstrap import Container
from tests.support import Tenant, future, make_tenant

URL = "/api/v1/appointments"


def booking(tenant: Tenant, minute: int) -> dict[str, Any]:
    return {
        "departmentId": tenant.department_id,
        "dateTime": future(days=10, hour=8 + minute // 60, minute=minute % 60),
        "name": f"Racer {minute}",
    }


async def test_no_credit_left_is_402(client: httpx.AsyncClient, container: Container) -> None:
    tenant = await make_tenant(container.services, credits=1)
    assert (
        await client.post(URL, headers=tenant.headers, json=booking(tenant, 0))
    ).status_code == 201
    refused = await client.post(URL, headers=tenant.headers, json=booking(tenant, 1))
    assert refused.status_code == 402
    assert refused.json()["code"] == "INSUFFICIENT_CREDITS"
    assert refused.json()["message"] == (
        "Insufficient credits to create appointment. Current: 0, Required: 1"
    )
    listing = (await client.get(URL, headers=tenant.headers)).json()
    assert listing["totalElements"] == 1  # the refused booking left nothing behind


async def test_fifty_racers_for_ten_credits(
    client: httpx.AsyncClient, container: Container
) -> None:
    tenant = await make_tenant(container.services, credits=10)
    responses = await asyncio.gather(
        *(client.post(URL, headers=tenant.headers, json=booking(tenant, m)) for m in range(50))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == 10
    assert statuses.count(402) == 40
    statement = (
        await client.get("/api/v1/credits", headers=tenant.headers, params={"size": 100})
    ).json()
    assert statement["balance"] == 0
    assert sum(e["delta"] for e in statement["ledger"]) == statement["balance"]
    bookings = [e for e in statement["ledger"] if e["reason"] == "BOOKING"]
    assert len(bookings) == 10
    assert (await client.get(URL, headers=tenant.headers)).json()["totalElements"] == 10


async def test_concurrent_cancels_refund_once(client: httpx.AsyncClient, tenant: Tenant) -> None:
    created = (await client.post(URL, headers=tenant.headers, json=booking(tenant, 0))).json()
    responses = await asyncio.gather(
        *(client.delete(f"{URL}/{created['id']}", headers=tenant.headers) for _ in range(10))
    )
    assert {r.status_code for r in responses} == {200}
    statement = (await client.get("/api/v1/credits", headers=tenant.headers)).json()
    assert [e["reason"] for e in statement["ledger"]].count("REFUND") == 1
    assert statement["balance"] == 100


async def test_ledger_records_every_change_with_its_balance(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    first = (await client.post(URL, headers=tenant.headers, json=booking(tenant, 0))).json()
    await client.post(URL, headers=tenant.headers, json=booking(tenant, 1))
    await client.delete(f"{URL}/{first['id']}", headers=tenant.headers)
    statement = (await client.get("/api/v1/credits", headers=tenant.headers)).json()
    ledger = statement["ledger"]  # newest first
    assert [(e["reason"], e["delta"], e["balanceAfter"]) for e in ledger] == [
        ("REFUND", 1, 99),
        ("BOOKING", -1, 98),
        ("BOOKING", -1, 99),
        ("GRANT", 100, 100),
    ]
    assert statement["balance"] == 99
    paged = (
        await client.get("/api/v1/credits", headers=tenant.headers, params={"page": 1, "size": 3})
    ).json()
    assert [e["reason"] for e in paged["ledger"]] == ["GRANT"]
    assert (paged["totalElements"], paged["totalPages"], paged["isLast"]) == (4, 2, True)

"""GET /appointments filters, q[] and sort, checked against a reference computed in Python."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support import Tenant, TestClock, book

API = "/api/v1/appointments"
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
Row = dict[str, Any]


async def _rows(client: httpx.AsyncClient, tenant: Tenant, clock: TestClock) -> list[Row]:
    """24 appointments with varied workers, clients, urgency, names, statuses and times."""
    clock.freeze(NOW)
    clients = []
    for name in ("Awa", "Moussa"):
        made = await client.post("/api/v1/clients", headers=tenant.headers, json={"name": name})
        clients.append(made.json()["id"])
    ids = []
    for i in range(24):
        clock.freeze(NOW + timedelta(minutes=i))  # distinct createdAt values
        fields: dict[str, object] = {
            "name": f"person {i % 5} {'dupont' if i % 3 == 0 else 'diallo'}",
            "isUrgent": i % 4 == 0,
        }
        if i % 2:
            fields["workerId"] = tenant.worker_id
        if i % 3 != 2:
            fields["clientId"] = clients[i % 2]
        if i % 6 == 1:
            fields["externalUserId"] = "ext-1"
        when = NOW + timedelta(days=(i * 7) % 11 - 5, hours=i % 5)
        clock.freeze(min(NOW, when) - timedelta(hours=1) + timedelta(minutes=i))
        ids.append((await book(client, tenant, when, **fields))["id"])
    clock.freeze(NOW + timedelta(hours=1))
    for index, action in ((2, "confirm"), (3, "cancel"), (5, "confirm"), (7, "cancel")):
        await client.post(f"{API}/{ids[index]}/{action}", headers=tenant.headers)
    await client.post(f"{API}/{ids[11]}/archive", headers=tenant.headers)
    rows = []
    for appointment_id in ids:
        got = await client.get(f"{API}/{appointment_id}", headers=tenant.headers)
        rows.append(got.json())
    return rows


def _when(row: Row) -> datetime:
    return datetime.fromisoformat(row["dateTime"])


def _default_order(rows: list[Row]) -> list[int]:
    return [r["id"] for r in sorted(rows, key=lambda r: (r["dateTime"], r["id"]))]


T0 = "2027-03-01T09:00:00"  # NOW as wall-clock time in Paris
CASES: list[tuple[str, Callable[[Row], bool]]] = [
    ("", lambda r: True),
    ("workerId={worker}", lambda r: r["workerId"] is not None),
    ("clientId={client0}", lambda r: r["clientId"] == r["_client0"]),
    ("isUrgent=true", lambda r: r["isUrgent"]),
    ("isUrgent=false&status=CANCELLED", lambda r: not r["isUrgent"] and r["status"] == "CANCELLED"),
    ("includePast=false", lambda r: r["_starts_utc"] >= NOW + timedelta(hours=1)),
    ("externalUserId=ext-1", lambda r: r["externalUserId"] == "ext-1"),
    (f"q[]=dateTime:>={T0}", lambda r: _when(r) >= datetime.fromisoformat(T0)),
    (
        f"q[]=dateTime:<{T0}&q[]=name:~DUPONT",
        lambda r: _when(r) < datetime.fromisoformat(T0) and "dupont" in r["name"],
    ),
    ("q[]=name:=person 1 diallo", lambda r: r["name"] == "person 1 diallo"),
    ("q[]=status:=CONFIRMED", lambda r: r["status"] == "CONFIRMED"),
    ("q[]=id:>{id5}&q[]=id:<={id15}", lambda r: r["_id5"] < r["id"] <= r["_id15"]),
    ("q[]=workerId:={worker}&q[]=isUrgent:=false", lambda r: r["workerId"] and not r["isUrgent"]),
    ("q[]=cancellationReason:=50", lambda r: False),
    ("q[]=created_at:<2027-03-01T08:10:00Z", lambda r: r["createdAt"] < "2027-03-01T08:10:00Z"),
]
SORTS: list[tuple[str, Callable[[Row], Any], bool]] = [
    ("createdAt:desc", lambda r: r["createdAt"], True),
    ("id:asc", lambda r: r["id"], False),
    ("dateTime:desc", lambda r: r["dateTime"], True),
    ("status:asc", lambda r: r["status"], False),
    ("isUrgent:desc", lambda r: r["isUrgent"], True),
]


def _expand(text: str, rows: list[Row], tenant: Tenant) -> str:
    return text.format(
        worker=tenant.worker_id,
        client0=rows[0]["clientId"],
        id5=rows[5]["id"],
        id15=rows[15]["id"],
    )


async def _ids(client: httpx.AsyncClient, tenant: Tenant, query: str) -> list[int]:
    response = await client.get(f"{API}?size=100&{query}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["totalElements"] == len(body["appointments"])
    return [a["id"] for a in body["appointments"]]


async def test_filters_and_sorts_match_a_python_reference(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    rows = await _rows(client, tenant, clock)
    for row in rows:
        row["_client0"] = rows[0]["clientId"]
        row["_id5"], row["_id15"] = rows[5]["id"], rows[15]["id"]
        row["_starts_utc"] = datetime.fromisoformat(row["dateTime"]).replace(
            tzinfo=UTC
        ) - timedelta(hours=1)  # Paris is UTC+1 in early March
    visible = [r for r in rows if r["archivedAt"] is None]
    for query, keep in CASES:
        expected = _default_order([r for r in visible if keep(r)])
        assert await _ids(client, tenant, _expand(query, rows, tenant)) == expected, query
    for sort, key, descending in SORTS:
        expected = [
            r["id"]
            for r in sorted(
                sorted(visible, key=lambda r: (r["dateTime"], r["id"])), key=key, reverse=descending
            )
        ]
        assert await _ids(client, tenant, f"sort={sort}") == expected, sort
    archived = await _ids(client, tenant, "archived=true")
    assert archived == [rows[11]["id"]]
    paged = await client.get(f"{API}?size=5&page=1&sort=id:desc", headers=tenant.headers)
    all_desc = sorted((r["id"] for r in visible), reverse=True)
    assert [a["id"] for a in paged.json()["appointments"]] == all_desc[5:10]


@pytest.mark.parametrize(
    "query",
    [
        "q[]=password:=x",
        "q[]=name:>a",
        "q[]=workerId:!=1",
        "q[]=dateTime:>=soon",
        "q[]=nothing",
        "sort=name:asc",
        "sort=id:sideways",
        "sort=unknown",
        "q[]=dateTime:>=9999-12-31T23:59:59-05:00",
    ],
)
async def test_unknown_fields_and_operators_are_refused(
    client: httpx.AsyncClient, tenant: Tenant, query: str
) -> None:
    response = await client.get(f"{API}?{query}", headers=tenant.headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "INVALID_REQUEST"

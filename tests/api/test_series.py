"""Recurring series over HTTP: shapes, DST, all-or-nothing refusals, credits, applyToRepeats."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from tests.support import Tenant, TestClock, balance, book

API = "/api/v1/appointments"
NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


async def _series(client: httpx.AsyncClient, tenant: Tenant, first: dict[str, Any]) -> list[Row]:
    response = await client.get(
        f"{API}?size=100&q[]=repeatedFromId:={first['id']}", headers=tenant.headers
    )
    return [first, *response.json()["appointments"]]


Row = dict[str, Any]


async def test_weekly_for_ten_across_dst(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    clock.freeze(NOW)
    before = await balance(client, tenant)
    response = await client.post(
        API,
        headers=tenant.headers,
        json={
            "departmentId": tenant.department_id,
            "dateTime": "2027-03-08T10:00:00",  # Mondays; Paris moves to summer time on Mar 28
            "name": "Weekly",
            "repeatRule": {"repeatType": "Weekly", "repeatingInterval": 1, "numberOfRepeats": 10},
        },
    )
    assert response.status_code == 201, response.text
    assert response.headers["X-Series-Count"] == "10"
    first = response.json()
    assert first["repeatedFromId"] is None
    series = await _series(client, tenant, first)
    assert len(series) == 10
    assert {a["repeatedFromId"] for a in series[1:]} == {first["id"]}
    assert [a["dateTime"][:10] for a in series[:4]] == [
        "2027-03-08",
        "2027-03-15",
        "2027-03-22",
        "2027-03-29",
    ]
    assert {a["dateTime"][11:] for a in series} == {"10:00:00"}  # same wall-clock time
    # The wall-clock time stays; the UTC instant moves by an hour with summer time.
    for instant, local in (
        ("2027-03-22T09:00:00Z", "2027-03-22"),
        ("2027-03-29T08:00:00Z", "2027-03-29"),
    ):
        found = await client.get(
            f"{API}?q[]=repeatedFromId:={first['id']}&q[]=dateTime:={instant}",
            headers=tenant.headers,
        )
        assert [a["dateTime"] for a in found.json()["appointments"]] == [f"{local}T10:00:00"]
    assert await balance(client, tenant) == before - 10


async def test_monthly_on_the_31st(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    clock.freeze(NOW)
    first = await book(
        client,
        tenant,
        "2027-01-31T09:00:00",
        repeatRule={"repeatType": "Monthly", "numberOfRepeats": 4},
    )
    assert [a["dateTime"][:10] for a in await _series(client, tenant, first)] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
    ]
    by_rrule = await book(
        client, tenant, "2027-01-31T11:00:00", rrule="FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3"
    )
    assert [a["dateTime"][:10] for a in await _series(client, tenant, by_rrule)] == [
        "2027-01-31",
        "2027-03-31",
        "2027-05-31",
    ]


async def test_a_series_is_all_or_nothing(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    clock.freeze(NOW)
    before = await balance(client, tenant)
    # 02:30 on Sunday March 28, 2027 does not exist in Paris: occurrence 3 is refused.
    refused = await book(
        client,
        tenant,
        "2027-03-14T02:30:00",
        expect=409,
        name="Night shift",
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    assert refused["code"] == "SERIES_REFUSED"
    assert [(d["occurrence"], d["dateTime"]) for d in refused["details"]] == [
        ("3", "2027-03-28T02:30:00")
    ]
    assert refused["details"][0]["code"] == "INVALID_REQUEST"
    assert "DST" in refused["details"][0]["message"]
    assert await balance(client, tenant) == before
    listed = await client.get(f"{API}?q[]=name:=Night shift", headers=tenant.headers)
    assert listed.json()["totalElements"] == 0
    nothing_booked = await client.get(f"{API}?size=1", headers=tenant.headers)
    assert nothing_booked.json()["totalElements"] == 0


async def test_a_series_needs_a_credit_per_occurrence(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    clock.freeze(NOW)
    credits = await balance(client, tenant)
    refused = await book(
        client,
        tenant,
        "2027-02-01T10:00:00",
        expect=402,
        repeatRule={"repeatType": "Daily", "numberOfRepeats": credits + 1},
    )
    assert refused["message"].endswith(f"Current: {credits}, Required: {credits + 1}")
    assert await balance(client, tenant) == credits
    for bad in (
        {"repeatRule": {"repeatType": "Yearly", "numberOfRepeats": 2}},
        {"repeatRule": {"repeatType": "Daily", "numberOfRepeats": 0}},
        {"rrule": "FREQ=DAILY"},
        {
            "rrule": "FREQ=DAILY;COUNT=2",
            "repeatRule": {"repeatType": "Daily", "numberOfRepeats": 2},
        },
    ):
        assert (await book(client, tenant, "2027-02-01T10:00:00", expect=400, **bad))["code"] == (
            "INVALID_REQUEST"
        )


async def test_cancel_and_patch_apply_to_repeats(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    clock.freeze(NOW)
    first = await book(
        client,
        tenant,
        "2027-02-01T10:00:00",
        repeatRule={"repeatType": "Daily", "repeatingInterval": 2, "numberOfRepeats": 6},
    )
    series = await _series(client, tenant, first)
    third = series[2]
    await client.post(f"{API}/{series[4]['id']}/cancel", headers=tenant.headers)  # one already
    before = await balance(client, tenant)

    patched = await client.patch(
        f"{API}/{third['id']}",
        headers=tenant.headers,
        json={"notes": "bring results", "applyToRepeats": True},
    )
    assert patched.status_code == 200, patched.text
    cancelled = await client.post(
        f"{API}/{series[3]['id']}/cancel",
        headers=tenant.headers,
        json={"cancellationReason": 40, "applyToRepeats": True},
    )
    assert cancelled.status_code == 200, cancelled.text

    after = await _series(
        client, tenant, (await client.get(f"{API}/{first['id']}", headers=tenant.headers)).json()
    )
    assert [a["status"] for a in after] == ["SCHEDULED"] * 3 + ["CANCELLED"] * 3
    assert [a["notes"] for a in after] == [None, None] + ["bring results"] * 4
    assert [a["cancellationReason"] for a in after] == [None] * 3 + [40, None, 40]
    # Two appointments were cancelled now (the 5th was already): two refunds.
    assert await balance(client, tenant) == before + 2

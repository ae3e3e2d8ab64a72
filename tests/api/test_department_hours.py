"""A new department opens Monday to Friday 09:00-17:00; taking any time is the explicit
`alwaysOpen` setting, and an always-open department says so in its free-slot search."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tests.scheduling_support import book, refusal
from tests.support import Tenant

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


def next_weekday(weekday: int, weeks_ahead: int = 3) -> date:
    """A date `weeks_ahead` weeks from now falling on `weekday` (0 = Monday)."""
    start = datetime.now(UTC).date() + timedelta(weeks=weeks_ahead)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


async def create(client: httpx.AsyncClient, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    r = await client.post(
        "/api/v1/departments", headers=tenant.headers, json={"name": "Front desk", **fields}
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def slots(client: httpx.AsyncClient, tenant: Tenant, department: int, day: date) -> Any:
    r = await client.get(
        "/api/v1/appointments/available-slots",
        headers=tenant.headers,
        params={
            "departmentId": department,
            "startDate": day.isoformat(),
            "endDate": day.isoformat(),
        },
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_new_department_opens_on_weekdays_from_nine_to_five(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    created = await create(client, tenant, slotIntervalMinutes=60)
    assert created["alwaysOpen"] is False
    assert created["openingHours"] == [
        {"weekday": day, "start": "09:00", "end": "17:00"} for day in WEEKDAYS
    ]
    hours = await client.get(f"/api/v1/departments/{created['id']}/hours", headers=tenant.headers)
    assert hours.json()["ranges"] == created["openingHours"]

    sunday, monday = next_weekday(6), next_weekday(0)
    night = await book(client, tenant, created["id"], f"{sunday}T03:00:00")
    assert refusal(night)[:2] == (409, "SLOT_UNAVAILABLE")
    assert (await book(client, tenant, created["id"], f"{monday}T10:00:00")).status_code == 201
    twice = await book(client, tenant, created["id"], f"{monday}T10:00:00")
    assert refusal(twice)[:2] == (409, "SLOT_UNAVAILABLE")  # one counter (slotCapacity 1)

    listed = await slots(client, tenant, created["id"], monday)
    assert listed["scheduled"] is True
    starts = [s["start"][11:16] for s in listed["slots"]]
    assert starts == ["09:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]

    # The default is only a start: the hours are changed like any others.
    saturday_only = {"ranges": [{"weekday": "SATURDAY", "start": "08:00", "end": "12:00"}]}
    changed = await client.put(
        f"/api/v1/departments/{created['id']}/hours", headers=tenant.headers, json=saturday_only
    )
    assert changed.status_code == 200, changed.text
    read = await client.get(f"/api/v1/departments/{created['id']}", headers=tenant.headers)
    assert read.json()["openingHours"] == saturday_only["ranges"]


async def test_always_open_is_an_explicit_setting_that_hours_turn_off(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    created = await create(client, tenant, alwaysOpen=True)
    assert created["alwaysOpen"] is True
    assert created["openingHours"] == []
    sunday = next_weekday(6)
    for _ in range(2):  # any time, without a limit per time when no worker is named
        booked = await book(client, tenant, created["id"], f"{sunday}T03:00:00")
        assert booked.status_code == 201, booked.text
    listed = await slots(client, tenant, created["id"], sunday)
    assert (listed["scheduled"], listed["slots"]) == (False, [])

    hours = {"ranges": [{"weekday": "MONDAY", "start": "09:00", "end": "12:00"}]}
    r = await client.put(
        f"/api/v1/departments/{created['id']}/hours", headers=tenant.headers, json=hours
    )
    assert r.status_code == 200, r.text
    read = (await client.get(f"/api/v1/departments/{created['id']}", headers=tenant.headers)).json()
    assert read["alwaysOpen"] is False
    night = await book(client, tenant, created["id"], f"{sunday + timedelta(weeks=1)}T03:00:00")
    assert refusal(night)[:2] == (409, "SLOT_UNAVAILABLE")

    # And back: PATCH turns it on again, the hours are kept for later.
    patched = await client.patch(
        f"/api/v1/departments/{created['id']}", headers=tenant.headers, json={"alwaysOpen": True}
    )
    assert patched.json()["alwaysOpen"] is True
    assert patched.json()["openingHours"] == hours["ranges"]
    again = await book(client, tenant, created["id"], f"{sunday + timedelta(weeks=1)}T03:00:00")
    assert again.status_code == 201, again.text

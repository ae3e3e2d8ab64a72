"""Every booking rule of seed 002 through HTTP: its code, numeric code, name and status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.scheduling_support import book, refusal, set_department, set_worker_hours
from tests.support import Tenant, TestClock, future


async def test_time_limits(client: httpx.AsyncClient, tenant: Tenant) -> None:
    await set_department(
        client,
        tenant,
        tenant.department_id,
        bookingPolicy={"minNoticeMinutes": 48 * 60, "maxAdvanceDays": 20},
    )
    soon = await book(client, tenant, tenant.department_id, future(1))
    assert refusal(soon) == (422, "TOO_SOON", 9, "MintimeRdv")
    far = await book(client, tenant, tenant.department_id, future(25))
    assert refusal(far) == (422, "TOO_FAR_IN_ADVANCE", 8, "MaxRdvPeriod")
    assert (await book(client, tenant, tenant.department_id, future(10))).status_code == 201


async def test_client_limits(client: httpx.AsyncClient, tenant: Tenant) -> None:
    await set_department(
        client,
        tenant,
        tenant.department_id,
        bookingPolicy={"maxUpcomingPerClient": 2, "minMinutesBetweenClientAppointments": 120},
    )
    me = {"externalUserId": "client-1"}
    assert (
        await book(client, tenant, tenant.department_id, future(5, 10), **me)
    ).status_code == 201
    same = await book(client, tenant, tenant.department_id, future(5, 10, 15), **me)
    assert refusal(same) == (409, "SAME_TIME_APPOINTMENT", 12, "SameTimeRdv")
    close = await book(client, tenant, tenant.department_id, future(5, 11, 30), **me)
    assert refusal(close) == (409, "TOO_CLOSE_TO_OTHER_APPOINTMENT", 7, "MintimeBetween")
    assert (
        await book(client, tenant, tenant.department_id, future(6, 10), **me)
    ).status_code == 201
    third = await book(client, tenant, tenant.department_id, future(7, 10), **me)
    assert refusal(third) == (422, "MAX_UPCOMING_REACHED", 6, "MaxRdvNumber")
    someone_else = await book(
        client, tenant, tenant.department_id, future(7, 10), externalUserId="client-2"
    )
    assert someone_else.status_code == 201


async def test_slot_unavailable_and_cancellation_notice(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    await set_department(
        client, tenant, tenant.department_id, bookingPolicy={"minCancelNoticeMinutes": 24 * 60}
    )
    taken = await book(client, tenant, tenant.department_id, future(3, 9))
    assert taken.status_code == 201
    again = await book(client, tenant, tenant.department_id, future(3, 9))
    assert refusal(again) == (409, "SLOT_UNAVAILABLE", None, "NotAvailable")
    clock.freeze(datetime.now(UTC) + timedelta(days=2, hours=12))
    late = await client.delete(f"/api/v1/appointments/{taken.json()['id']}", headers=tenant.headers)
    assert refusal(late) == (422, "CANCELLATION_TOO_LATE", 10, "MintimeAnnulation")
    clock.frozen = None
    early = await client.delete(
        f"/api/v1/appointments/{taken.json()['id']}", headers=tenant.headers
    )
    assert early.status_code == 200


async def test_explain_lists_the_broken_rules(client: httpx.AsyncClient, tenant: Tenant) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    await set_department(
        client, tenant, tenant.department_id, bookingPolicy={"minNoticeMinutes": 10 * 24 * 60}
    )
    r = await client.get(
        "/api/v1/appointments/available-slots/explain",
        headers=tenant.headers,
        params={"departmentId": tenant.department_id, "dateTime": future(2, 20)},
    )
    body = r.json()
    assert body["bookable"] is False
    assert [(x["code"], x["numericCode"]) for x in body["rules"]] == [("TOO_SOON", 9)]
    assert body["workers"][0]["reasons"][0]["code"] == "OUTSIDE_WORKING_HOURS"


async def test_insufficient_credits_still_402(client: httpx.AsyncClient, tenant: Tenant) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    from slotbook.application.credits import add_credits

    await add_credits(tenant.services, tenant.organization_id, -100)
    r = await book(client, tenant, tenant.department_id, future(4, 10))
    assert refusal(r)[:2] == (402, "INSUFFICIENT_CREDITS")
    listed = await client.get(
        "/api/v1/appointments",
        headers=tenant.headers,
        params={"departmentId": tenant.department_id},
    )
    assert listed.json()["totalElements"] == 0  # the booking was rolled back with the debit

"""Hours, types, free slots, explain and booking on the schedule, through HTTP."""

from __future__ import annotations

import httpx

from tests.scheduling_support import (
    add_type,
    add_worker,
    book,
    refusal,
    set_worker_hours,
)
from tests.support import Tenant, future


async def test_slots_follow_hours_types_and_bookings(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id, "09:00", "11:00")
    type_id = await add_type(client, tenant, durationMinutes=30, bufferAfterMinutes=15)
    day = future(10)[:10]
    params = {
        "departmentId": tenant.department_id,
        "appointmentTypeId": type_id,
        "startDate": day,
        "endDate": day,
    }
    r = await client.get(
        "/api/v1/appointments/available-slots", headers=tenant.headers, params=params
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["timeZone"] == "Europe/Paris"
    starts = [s["start"][11:16] for s in body["slots"]]
    assert starts == ["09:00", "09:30", "10:00", "10:30"]
    assert body["slots"][0]["start"][19:] in ("+01:00", "+02:00")
    assert body["slots"][0]["workerIds"] == [tenant.worker_id]

    booked = await book(
        client, tenant, tenant.department_id, f"{day}T09:30:00", appointmentTypeId=type_id
    )
    assert booked.status_code == 201, booked.text
    assert booked.json()["endTime"] == f"{day}T10:00:00"
    assert booked.json()["workerId"] == tenant.worker_id  # assigned, not asked for

    r = await client.get(
        "/api/v1/appointments/available-slots", headers=tenant.headers, params=params
    )
    # 09:00 ends where 09:30 starts but its 15-minute buffer overlaps; 10:00 overlaps the
    # booked appointment's buffer.
    assert [s["start"][11:16] for s in r.json()["slots"]] == ["10:30"]

    explain = await client.get(
        "/api/v1/appointments/available-slots/explain",
        headers=tenant.headers,
        params={
            "departmentId": tenant.department_id,
            "dateTime": f"{day}T10:00:00",
            "appointmentTypeId": type_id,
        },
    )
    assert explain.status_code == 200, explain.text
    verdict = explain.json()
    assert verdict["bookable"] is False
    assert [x["code"] for x in verdict["workers"][0]["reasons"]] == ["BUFFER"]
    assert verdict["workers"][0]["reasons"][0]["appointmentIds"] == [booked.json()["id"]]

    taken = await book(
        client, tenant, tenant.department_id, f"{day}T09:45:00", appointmentTypeId=type_id
    )
    assert refusal(taken) == (409, "SLOT_UNAVAILABLE", None, "NotAvailable")
    outside = await book(client, tenant, tenant.department_id, f"{day}T12:00:00")
    assert refusal(outside)[:2] == (409, "SLOT_UNAVAILABLE")

    types = await client.get("/api/v1/appointments/types", headers=tenant.headers)
    assert [t["id"] for t in types.json()] == [type_id]


async def test_closures_and_time_off_are_explained(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    day, other = future(12)[:10], future(13)[:10]
    r = await client.post(
        f"/api/v1/departments/{tenant.department_id}/closures",
        headers=tenant.headers,
        json={"date": day, "reason": "Holiday"},
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        f"/api/v1/workers/{tenant.worker_id}/exceptions",
        headers=tenant.headers,
        json={"kind": "TIME_OFF", "startsAt": f"{other}T09:00:00", "endsAt": f"{other}T12:00:00"},
    )
    assert r.status_code == 201, r.text
    for when, reason in ((f"{day}T10:00:00", "CLOSED"), (f"{other}T10:00:00", "TIME_OFF")):
        refused = await book(client, tenant, tenant.department_id, when)
        assert refused.status_code == 409
        assert refused.json()["details"][0]["reason"] == reason
    assert (
        await book(client, tenant, tenant.department_id, f"{other}T13:00:00")
    ).status_code == 201


async def test_free_workers_are_assigned_evenly(client: httpx.AsyncClient, tenant: Tenant) -> None:
    second = await add_worker(client, tenant, tenant.department_id)
    for worker in (tenant.worker_id, second):
        await set_worker_hours(client, tenant, worker)
    when = future(5, 10)
    first = await book(client, tenant, tenant.department_id, when)
    again = await book(client, tenant, tenant.department_id, when)
    assert {first.json()["workerId"], again.json()["workerId"]} == {tenant.worker_id, second}
    full = await book(client, tenant, tenant.department_id, when)
    assert refusal(full)[:2] == (409, "SLOT_UNAVAILABLE")
    later = await book(client, tenant, tenant.department_id, future(5, 14))
    # Both have one appointment that day: the tie goes to the lowest id.
    assert later.json()["workerId"] == min(tenant.worker_id, second)


async def test_counters_of_a_department_without_workers(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    r = await client.post(
        "/api/v1/departments",
        headers=tenant.headers,
        json={"name": "Passport counters", "slotCapacity": 2, "slotIntervalMinutes": 20},
    )
    assert r.status_code == 201, r.text
    department = r.json()["id"]
    r = await client.put(
        f"/api/v1/departments/{department}/hours",
        headers=tenant.headers,
        json={
            "ranges": [
                {"weekday": d, "start": "08:00", "end": "12:00"}
                for d in (
                    "MONDAY",
                    "TUESDAY",
                    "WEDNESDAY",
                    "THURSDAY",
                    "FRIDAY",
                    "SATURDAY",
                    "SUNDAY",
                )
            ]
        },
    )
    assert r.status_code == 200, r.text
    when = future(3, 8, 20)
    assert (await book(client, tenant, department, when)).json()["endTime"][11:] == "08:40:00"
    assert (await book(client, tenant, department, when)).status_code == 201
    assert refusal(await book(client, tenant, department, when))[:2] == (409, "SLOT_UNAVAILABLE")
    slots = await client.get(
        f"/api/v1/departments/{department}/availability",
        headers=tenant.headers,
        params={"startDate": when[:10], "endDate": when[:10]},
    )
    remaining = {s["start"][11:16]: s["remaining"] for s in slots.json()["slots"]}
    assert remaining["08:00"] == 2
    assert "08:20" not in remaining


async def test_unconfigured_department_books_as_before(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    when = future(4, 3, 17)  # any time: nobody configured hours
    first = await book(client, tenant, tenant.department_id, when)
    assert first.status_code == 201, first.text
    assert first.json()["workerId"] is None
    assert (await book(client, tenant, tenant.department_id, when)).status_code == 201
    with_worker = await book(client, tenant, tenant.department_id, when, workerId=tenant.worker_id)
    assert with_worker.status_code == 201
    twice = await book(client, tenant, tenant.department_id, when, workerId=tenant.worker_id)
    assert refusal(twice)[:2] == (409, "SLOT_UNAVAILABLE")  # never double-booked
    past = await book(client, tenant, tenant.department_id, "2020-01-01T10:00:00")
    assert refusal(past)[:2] == (400, "INVALID_REQUEST")
    no_worker = await book(client, tenant, tenant.staffed_department_id, when)
    assert refusal(no_worker)[:2] == (400, "INVALID_REQUEST")
    slots = await client.get(
        "/api/v1/appointments/available-slots",
        headers=tenant.headers,
        params={"departmentId": tenant.department_id},
    )
    assert slots.json()["scheduled"] is False
    assert slots.json()["slots"] == []


async def test_reschedule_frees_the_old_slot_only_when_the_new_one_is_taken(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    first = (await book(client, tenant, tenant.department_id, future(6, 10))).json()
    other = (await book(client, tenant, tenant.department_id, future(6, 11))).json()
    moved = await client.patch(
        f"/api/v1/appointments/{first['id']}",
        headers=tenant.headers,
        json={"dateTime": future(6, 11, 15)},
    )
    assert refusal(moved)[:2] == (409, "SLOT_UNAVAILABLE")
    unchanged = await client.get(f"/api/v1/appointments/{first['id']}", headers=tenant.headers)
    assert unchanged.json()["dateTime"] == first["dateTime"]

    moved = await client.patch(
        f"/api/v1/appointments/{first['id']}",
        headers=tenant.headers,
        json={"dateTime": future(6, 14)},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["dateTime"] == future(6, 14)
    assert moved.json()["endTime"] == future(6, 14, 30)
    # The old time is free again, and moving within its own time is allowed.
    assert (await book(client, tenant, tenant.department_id, future(6, 10))).status_code == 201
    nudged = await client.patch(
        f"/api/v1/appointments/{other['id']}",
        headers=tenant.headers,
        json={"dateTime": future(6, 11, 10)},
    )
    assert nudged.status_code == 200, nudged.text
    cancelled = await client.delete(f"/api/v1/appointments/{other['id']}", headers=tenant.headers)
    assert cancelled.status_code == 200
    again = await client.patch(
        f"/api/v1/appointments/{other['id']}", headers=tenant.headers, json={"dateTime": future(7)}
    )
    assert refusal(again)[:2] == (409, "INVALID_TRANSITION")


async def test_admin_endpoints_need_the_admin_scope(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    key = await tenant.key_with("appointments:read", "workers:read", "departments:read")
    headers = {"X-API-Key": key}
    assert (await client.get("/api/v1/workers", headers=headers)).status_code == 200
    assert (await client.get("/api/v1/appointment-types", headers=headers)).status_code == 200
    refused = await client.put(
        f"/api/v1/workers/{tenant.worker_id}/hours", headers=headers, json={"ranges": []}
    )
    assert refusal(refused)[:2] == (403, "FORBIDDEN")
    refused = await client.post(
        "/api/v1/appointment-types", headers=headers, json={"name": "X", "durationMinutes": 5}
    )
    assert refused.status_code == 403
    missing = await client.get("/api/v1/appointment-types/2147483647", headers=tenant.headers)
    assert refusal(missing)[:2] == (404, "APPOINTMENT_TYPE_NOT_FOUND")

"""The lifecycle on the schedule: one PATCH that reschedules and edits, series checked slot by
slot, cancel notice for series, clients known to the booking rules, type filter, endTime."""

from __future__ import annotations

import httpx

from tests.scheduling_support import add_type, set_department, set_worker_hours
from tests.support import Tenant, balance, book, future

API = "/api/v1/appointments"


async def _history(client: httpx.AsyncClient, tenant: Tenant, appointment_id: int) -> list[dict]:
    response = await client.get(f"{API}/{appointment_id}/history", headers=tenant.headers)
    assert response.status_code == 200, response.text
    entries: list[dict] = response.json()["history"]
    return entries


async def test_one_patch_moves_and_edits_under_one_version(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    created = await book(client, tenant, future(3, 9), workerId=tenant.worker_id, notes="a")
    url = f"{API}/{created['id']}"
    moved = await client.patch(
        url,
        headers={**tenant.headers, "If-Match": f'"{created["version"]}"'},
        json={"dateTime": future(3, 11), "notes": "b", "isUrgent": True},
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert (body["dateTime"], body["endTime"]) == (future(3, 11), future(3, 11, 30))
    assert (body["notes"], body["isUrgent"]) == ("b", True)
    assert body["version"] == created["version"] + 1
    assert moved.headers["ETag"] == f'"{body["version"]}"'
    last = (await _history(client, tenant, created["id"]))[-1]
    assert last["action"] == "RESCHEDULED"
    assert set(last["changes"]) == {"dateTime", "endTime", "isUrgent"}
    assert last["personalFieldsChanged"] == ["notes"]
    # The old slot was freed: someone else can book it now.
    await book(client, tenant, future(3, 9), workerId=tenant.worker_id)

    # A stale If-Match moves nothing and changes nothing.
    stale = await client.patch(
        url,
        headers={**tenant.headers, "If-Match": f'"{created["version"]}"'},
        json={"dateTime": future(3, 14), "notes": "c"},
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "VERSION_MISMATCH")
    # Moving onto a taken slot refuses the whole PATCH: the details are not written either.
    taken = await client.patch(
        url, headers=tenant.headers, json={"dateTime": future(3, 9), "notes": "d"}
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "SLOT_UNAVAILABLE")
    now = (await client.get(url, headers=tenant.headers)).json()
    assert (now["dateTime"], now["notes"], now["version"]) == (future(3, 11), "b", body["version"])
    # A move stays a single appointment's change.
    both = await client.patch(
        url, headers=tenant.headers, json={"dateTime": future(3, 15), "applyToRepeats": True}
    )
    assert both.status_code == 400
    # Details alone need no schedule check and keep the time.
    edited = await client.patch(url, headers=tenant.headers, json={"reason": "Vaccin"})
    assert (edited.json()["dateTime"], edited.json()["reason"]) == (future(3, 11), "Vaccin")
    assert (await _history(client, tenant, created["id"]))[-1]["action"] == "UPDATED"


async def test_a_series_checks_every_occurrence_on_the_schedule(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    blocker = await book(client, tenant, future(16, 10), workerId=tenant.worker_id)
    before = await balance(client, tenant)
    refused = await book(
        client,
        tenant,
        future(2, 10),
        expect=409,
        workerId=tenant.worker_id,
        repeatRule={"repeatType": "Weekly", "repeatingInterval": 1, "numberOfRepeats": 3},
    )
    assert refused["code"] == "SERIES_REFUSED"
    assert [(d["occurrence"], d["code"]) for d in refused["details"]] == [("3", "SLOT_UNAVAILABLE")]
    assert await balance(client, tenant) == before
    # With the blocker gone, the same series books, each occurrence on the worker's hours.
    await client.delete(f"{API}/{blocker['id']}", headers=tenant.headers)
    first = await book(
        client,
        tenant,
        future(2, 10),
        workerId=tenant.worker_id,
        repeatRule={"repeatType": "Weekly", "repeatingInterval": 1, "numberOfRepeats": 3},
    )
    assert first["endTime"] == future(2, 10, 30)
    outside = await book(
        client,
        tenant,
        future(40, 18),
        expect=409,
        workerId=tenant.worker_id,
        repeatRule={"repeatType": "Daily", "repeatingInterval": 1, "numberOfRepeats": 2},
    )
    assert {d["code"] for d in outside["details"]} == {"SLOT_UNAVAILABLE"}


async def test_cancelling_a_series_keeps_the_cancel_notice(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    first = await book(
        client,
        tenant,
        future(1, 10),
        repeatRule={"repeatType": "Daily", "repeatingInterval": 1, "numberOfRepeats": 3},
    )
    await set_department(
        client, tenant, tenant.department_id, bookingPolicy={"minCancelNoticeMinutes": 3 * 24 * 60}
    )
    before = await balance(client, tenant)
    late = await client.post(
        f"{API}/{first['id']}/cancel", headers=tenant.headers, json={"applyToRepeats": True}
    )
    assert (late.status_code, late.json()["code"]) == (422, "CANCELLATION_TOO_LATE")
    assert late.json()["numericCode"] == 10
    assert await balance(client, tenant) == before
    listed = await client.get(
        API, headers=tenant.headers, params={"q[]": f"repeatedFromId:={first['id']}"}
    )
    assert {a["status"] for a in listed.json()["appointments"]} == {"SCHEDULED"}


async def test_booking_rules_know_the_client_record(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_department(
        client, tenant, tenant.department_id, bookingPolicy={"maxUpcomingPerClient": 1}
    )
    person = await client.post("/api/v1/clients", headers=tenant.headers, json={"name": "Awa"})
    awa = person.json()["id"]
    await book(client, tenant, future(5), clientId=awa, name=None)
    # No externalUserId anywhere: the client record alone identifies her.
    second = await book(client, tenant, future(6), expect=422, clientId=awa, name=None)
    assert (second["code"], second["numericCode"]) == ("MAX_UPCOMING_REACHED", 6)


async def test_list_by_appointment_type(client: httpx.AsyncClient, tenant: Tenant) -> None:
    long_visit = await add_type(client, tenant, name="Long visit", durationMinutes=90)
    typed = await book(client, tenant, future(4, 9), appointmentTypeId=long_visit)
    assert (typed["appointmentTypeId"], typed["endTime"]) == (long_visit, future(4, 10, 30))
    await book(client, tenant, future(4, 14))
    for params in (
        {"appointmentTypeId": str(long_visit)},
        {"q[]": f"appointmentTypeId:={long_visit}"},
        {"q[]": f"endTime:>={future(4, 10, 30)}", "sort": "endTime:desc"},
    ):
        listed = await client.get(API, headers=tenant.headers, params=params)
        assert listed.status_code == 200, listed.text
        ids = [a["id"] for a in listed.json()["appointments"]]
        if "sort" in params:
            assert ids[-1] == typed["id"]
        else:
            assert ids == [typed["id"]]

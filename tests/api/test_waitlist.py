"""The waitlist through the API: joining, offers on freed times, holds, accept, decline, expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from slotbook.application.waitlist import sweep_waitlist
from slotbook.bootstrap import Container
from tests.scheduling_support import add_type, add_worker, set_worker_hours
from tests.support import Tenant, TestClock, balance, future, make_tenant
from tests.waitlist_support import booked, cancel, day, entry, events, join


async def test_joining_costs_nothing_and_one_client_waits_once(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    before = await balance(client, tenant)
    first = await join(client, tenant, externalUserId="awa", weekdays=["MONDAY"])
    assert first["status"] == "WAITING"
    assert first["position"] == 1
    assert first["offer"] is None
    assert first["weekdays"] == [0]
    assert await balance(client, tenant) == before
    again = await join(client, tenant, expect=409, externalUserId="awa")
    assert again["code"] == "ALREADY_WAITING"
    # Another type is another queue.
    type_id = await add_type(client, tenant)
    await join(client, tenant, externalUserId="awa", appointmentTypeId=type_id)
    second = await join(client, tenant)
    assert second["position"] == 3  # the department's queue, all types

    r = await client.delete(f"/api/v1/waitlist/{first['id']}", headers=tenant.headers)
    assert r.status_code == 200
    assert r.json()["status"] == "LEFT"
    assert (await entry(client, tenant, second["id"]))["position"] == 2
    await join(client, tenant, externalUserId="awa")  # may wait again once left


async def test_a_cancelled_time_is_held_for_the_first_matching_entry_and_booked_on_accept(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    when = future(8, 10)
    taken = await booked(client, tenant, when)
    # Only Tuesdays at 14:00 to 16:00: never fits a 10:00 time, so skipped.
    picky = await join(client, tenant, timesOfDay=[{"start": "14:00", "end": "16:00"}])
    waiting = await join(client, tenant, name="Awa Camara", externalUserId="awa-1")
    start = await balance(client, tenant)

    await cancel(client, tenant, taken["id"])
    offered = await entry(client, tenant, waiting["id"])
    assert offered["status"] == "OFFERED"
    offer = offered["offer"]
    assert offer["dateTime"] == when
    assert offer["workerId"] == tenant.worker_id
    assert offer["acceptUrl"].startswith("http")
    expires = datetime.fromisoformat(offer["expiresAt"].replace("Z", "+00:00"))
    assert timedelta(minutes=29) < expires - datetime.now(UTC) <= timedelta(minutes=30)
    assert (await entry(client, tenant, picky["id"]))["status"] == "WAITING"
    assert await balance(client, tenant) == start + 1  # the refund; the offer costs nothing

    # Held: not bookable by anyone else, and not offered in the free slots.
    r = await client.post(
        "/api/v1/appointments",
        headers=tenant.headers,
        json={"departmentId": tenant.department_id, "dateTime": when, "name": "Intruder"},
    )
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "SLOT_UNAVAILABLE"
    assert "held" in r.json()["message"]
    slots = await client.get(
        "/api/v1/appointments/available-slots",
        headers=tenant.headers,
        params={"departmentId": tenant.department_id, "startDate": when[:10], "endDate": when[:10]},
    )
    assert slots.status_code == 200, slots.text
    assert when not in [s["start"][:19] for s in slots.json()["slots"]]
    # The hold is no appointment: not listed, even among archived ones.
    listed = await client.get(
        "/api/v1/appointments", headers=tenant.headers, params={"archived": "true"}
    )
    assert listed.json()["totalElements"] == 0

    r = await client.post(f"/api/v1/waitlist/{waiting['id']}/accept", headers=tenant.headers)
    assert r.status_code == 201, r.text
    appointment = r.json()
    assert appointment["dateTime"] == when
    assert appointment["name"] == "Awa Camara"
    assert appointment["externalUserId"] == "awa-1"
    assert appointment["status"] == "SCHEDULED"
    assert await balance(client, tenant) == start  # accepting is a booking: one credit
    done = await entry(client, tenant, waiting["id"])
    assert done["status"] == "BOOKED"
    assert done["appointmentId"] == appointment["id"]
    again = await client.post(f"/api/v1/waitlist/{waiting['id']}/accept", headers=tenant.headers)
    assert again.status_code == 409
    assert again.json()["code"] == "OFFER_EXPIRED"

    [offered_event] = await events(client, tenant, "waitlist.offered")
    assert offered_event["data"]["offer"]["acceptUrl"] == offer["acceptUrl"]
    assert offered_event["data"]["waitlistEntry"]["id"] == waiting["id"]
    [accepted] = await events(client, tenant, "waitlist.accepted")
    assert accepted["data"]["appointment"]["id"] == appointment["id"]


async def test_priority_then_first_come_and_decline_passes_on_until_released(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    when = future(9, 11)
    taken = await booked(client, tenant, when)
    first = await join(client, tenant)
    second = await join(client, tenant)
    urgent = await join(client, tenant, priority=5)
    assert (await entry(client, tenant, urgent["id"]))["position"] == 1

    await cancel(client, tenant, taken["id"])
    assert (await entry(client, tenant, urgent["id"]))["status"] == "OFFERED"
    assert (await entry(client, tenant, first["id"]))["status"] == "WAITING"

    order = []
    for current in (urgent, first, second):
        r = await client.post(f"/api/v1/waitlist/{current['id']}/decline", headers=tenant.headers)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "WAITING"  # keeps waiting for another time
        offered = [
            e["id"]
            for e in (
                await client.get(
                    "/api/v1/waitlist",
                    headers=tenant.headers,
                    params={"status": "OFFERED", "departmentId": tenant.department_id},
                )
            ).json()["entries"]
        ]
        order.append(offered)
    assert order == [[first["id"]], [second["id"]], []]
    # Nobody left to offer it to: released for everyone.
    await booked(client, tenant, when)
    r = await client.post(f"/api/v1/waitlist/{second['id']}/decline", headers=tenant.headers)
    assert r.status_code == 409
    assert r.json()["code"] == "OFFER_EXPIRED"


async def test_a_lapsed_offer_passes_on_in_the_sweep_and_cannot_be_accepted(
    client: httpx.AsyncClient, tenant: Tenant, container: Container, clock: TestClock
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    r = await client.put(
        f"/api/v1/departments/{tenant.department_id}/waitlist-settings",
        headers=tenant.headers,
        json={"offerMinutes": 10},
    )
    assert r.status_code == 200, r.text
    when = future(10, 9)
    taken = await booked(client, tenant, when)
    slow = await join(client, tenant)
    next_in_line = await join(client, tenant)
    clock.freeze(datetime.now(UTC))
    await cancel(client, tenant, taken["id"])
    offer = (await entry(client, tenant, slow["id"]))["offer"]
    assert offer["expiresAt"] == (clock.now() + timedelta(minutes=10)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )

    # The sweep sees every organization of the test database: this test reads its own entries.
    clock.advance(timedelta(minutes=9))
    await sweep_waitlist(container.services)
    assert (await entry(client, tenant, slow["id"]))["status"] == "OFFERED"
    clock.advance(timedelta(minutes=1))
    r = await client.post(f"/api/v1/waitlist/{slow['id']}/accept", headers=tenant.headers)
    assert r.status_code == 409
    assert r.json()["code"] == "OFFER_EXPIRED"
    await sweep_waitlist(container.services)
    lapsed = await entry(client, tenant, slow["id"])
    assert lapsed["status"] == "WAITING"
    assert lapsed["offer"] is None
    passed = await entry(client, tenant, next_in_line["id"])
    assert passed["status"] == "OFFERED"
    assert passed["offer"]["dateTime"] == when
    [expired] = await events(client, tenant, "waitlist.expired")
    assert expired["data"]["waitlistEntry"]["id"] == slow["id"]
    await sweep_waitlist(container.services)  # nothing twice
    assert (await entry(client, tenant, next_in_line["id"]))["offer"] == passed["offer"]
    assert len(await events(client, tenant, "waitlist.expired")) == 1


async def test_an_entry_whose_window_passed_expires(
    client: httpx.AsyncClient, tenant: Tenant, container: Container, clock: TestClock
) -> None:
    waiting = await join(client, tenant, earliest=day(1), latest=day(2))
    clock.freeze(datetime.now(UTC) + timedelta(days=1))
    await sweep_waitlist(container.services)
    assert (await entry(client, tenant, waiting["id"]))["status"] == "WAITING"
    clock.freeze(datetime.now(UTC) + timedelta(days=4))
    await sweep_waitlist(container.services)
    assert (await entry(client, tenant, waiting["id"]))["status"] == "EXPIRED"
    [expired] = await events(client, tenant, "waitlist.expired")
    assert expired["data"]["waitlistEntry"]["status"] == "EXPIRED"


async def test_a_move_frees_the_old_time_for_the_waitlist(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    when = future(11, 10)
    taken = await booked(client, tenant, when)
    waiting = await join(client, tenant, workerId=tenant.worker_id)
    r = await client.patch(
        f"/api/v1/appointments/{taken['id']}",
        headers=tenant.headers,
        json={"dateTime": future(11, 14)},
    )
    assert r.status_code == 200, r.text
    offer = (await entry(client, tenant, waiting["id"]))["offer"]
    assert offer["dateTime"] == when


async def test_an_entry_for_another_worker_or_type_is_not_offered_the_time(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    other = await add_worker(client, tenant, tenant.department_id)
    type_id = await add_type(client, tenant)
    other_type = await add_type(client, tenant, name="Other")
    when = future(12, 10)
    taken = await booked(client, tenant, when, workerId=tenant.worker_id, appointmentTypeId=type_id)
    wrong_worker = await join(client, tenant, workerId=other)
    wrong_type = await join(client, tenant, appointmentTypeId=other_type)
    wrong_day = await join(client, tenant, earliest=day(13), latest=day(20))
    right = await join(client, tenant, appointmentTypeId=type_id)
    await cancel(client, tenant, taken["id"])
    for e in (wrong_worker, wrong_type, wrong_day):
        assert (await entry(client, tenant, e["id"]))["status"] == "WAITING"
    assert (await entry(client, tenant, right["id"]))["status"] == "OFFERED"


async def test_staff_offer_a_time_by_hand_and_leaving_releases_it(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    waiting = await join(client, tenant)
    when = future(14, 15)
    r = await client.post(
        f"/api/v1/waitlist/{waiting['id']}/offer",
        headers=tenant.headers,
        json={"dateTime": when, "workerId": tenant.worker_id},
    )
    assert r.status_code == 200, r.text
    assert r.json()["offer"]["dateTime"] == when
    r = await client.post(
        "/api/v1/appointments",
        headers=tenant.headers,
        json={"departmentId": tenant.department_id, "dateTime": when, "name": "Intruder"},
    )
    assert r.status_code == 409
    r = await client.delete(f"/api/v1/waitlist/{waiting['id']}", headers=tenant.headers)
    assert r.json()["status"] == "LEFT"
    assert r.json()["offer"] is None
    await booked(client, tenant, when)  # released
    # A time outside the worker's hours cannot be offered.
    other = await join(client, tenant)
    r = await client.post(
        f"/api/v1/waitlist/{other['id']}/offer",
        headers=tenant.headers,
        json={"dateTime": future(14, 20), "workerId": tenant.worker_id},
    )
    assert r.status_code == 409
    assert r.json()["code"] == "SLOT_UNAVAILABLE"


async def test_bad_requests_and_scopes(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    base = {"departmentId": tenant.department_id, "earliest": day(1), "latest": day(5)}
    for body, status in (
        (base, 400),  # nobody waits
        ({**base, "externalUserId": "x", "latest": day(0)}, 400),
        ({**base, "externalUserId": "x", "weekdays": ["FUNDAY"]}, 400),
        ({**base, "externalUserId": "x", "timesOfDay": [{"start": "12:00", "end": "09:00"}]}, 400),
        ({**base, "externalUserId": "x", "departmentId": 10**8}, 404),
        ({**base, "externalUserId": "x", "unknown": 1}, 400),
        ({**base, "externalUserId": "x", "earliest": day(-5), "latest": day(-3)}, 400),
    ):
        r = await client.post("/api/v1/waitlist", headers=tenant.headers, json=body)
        assert r.status_code == status, (body, r.text)
        assert set(r.json()) >= {"code", "message", "timestamp"}
    for path in ("/api/v1/waitlist/999999999", "/api/v1/waitlist/999999999/accept"):
        r = await (client.get if "accept" not in path else client.post)(
            path, headers=tenant.headers
        )
        assert r.status_code == 404, r.text
        assert r.json()["code"] == "WAITLIST_ENTRY_NOT_FOUND"
    reader = await tenant.key_with("waitlist:read")
    r = await client.post(
        "/api/v1/waitlist", headers={"X-API-Key": reader}, json={**base, "externalUserId": "x"}
    )
    assert r.status_code == 403
    r = await client.get("/api/v1/waitlist", headers={"X-API-Key": reader})
    assert r.status_code == 200
    # Another organization's entry is not found, never shown.
    mine = await join(client, tenant)
    stranger = await make_tenant(container.services)
    r = await client.get(f"/api/v1/waitlist/{mine['id']}", headers=stranger.headers)
    assert r.status_code == 404
    r = await client.delete(f"/api/v1/waitlist/{mine['id']}", headers=stranger.headers)
    assert r.status_code == 404
    assert (await entry(client, tenant, mine["id"]))["status"] == "WAITING"


async def test_new_hours_a_removed_closure_and_removed_time_off_offer_their_times(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id, "09:00", "12:00")
    afternoon = [{"start": "14:00", "end": "16:00"}]
    hours_day, closed_day, off_day = day(12), day(13), day(14)
    by_hours = await join(
        client, tenant, earliest=hours_day, latest=hours_day, timesOfDay=afternoon
    )
    by_closure = await join(client, tenant, earliest=closed_day, latest=closed_day)
    by_time_off = await join(client, tenant, earliest=off_day, latest=off_day)
    r = await client.post(
        f"/api/v1/departments/{tenant.department_id}/closures",
        headers=tenant.headers,
        json={"date": closed_day},
    )
    assert r.status_code == 201, r.text
    closure = r.json()["id"]
    r = await client.post(
        f"/api/v1/workers/{tenant.worker_id}/exceptions",
        headers=tenant.headers,
        json={
            "kind": "TIME_OFF",
            "startsAt": f"{off_day}T00:00:00",
            "endsAt": f"{off_day}T23:00:00",
        },
    )
    assert r.status_code == 201, r.text
    time_off = r.json()["id"]
    # Setting the same morning hours again frees nothing these three can take.
    await set_worker_hours(client, tenant, tenant.worker_id, "09:00", "12:00")
    for e in (by_hours, by_closure, by_time_off):
        assert (await entry(client, tenant, e["id"]))["status"] == "WAITING"

    await set_worker_hours(client, tenant, tenant.worker_id, "09:00", "17:00")
    offer = (await entry(client, tenant, by_hours["id"]))["offer"]
    assert offer["dateTime"] == f"{hours_day}T14:00:00"  # the first free time of its window
    assert (await entry(client, tenant, by_closure["id"]))["status"] == "WAITING"

    r = await client.delete(
        f"/api/v1/departments/{tenant.department_id}/closures/{closure}", headers=tenant.headers
    )
    assert r.status_code in (200, 204), r.text
    offer = (await entry(client, tenant, by_closure["id"]))["offer"]
    assert offer["dateTime"] == f"{closed_day}T09:00:00"

    r = await client.delete(
        f"/api/v1/workers/{tenant.worker_id}/exceptions/{time_off}", headers=tenant.headers
    )
    assert r.status_code in (200, 204), r.text
    offer = (await entry(client, tenant, by_time_off["id"]))["offer"]
    assert offer["dateTime"] == f"{off_day}T09:00:00"


async def test_an_erased_or_deleted_client_leaves_the_waitlist_and_its_hold(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    when = future(15, 10)
    taken = await booked(client, tenant, when)
    erased = await join(
        client, tenant, externalUserId=None, client={"name": "Awa Camara", "email": "awa@x.org"}
    )
    deleted = await join(client, tenant, externalUserId=None, client={"name": "Jean Dupont"})
    await cancel(client, tenant, taken["id"])
    assert (await entry(client, tenant, erased["id"]))["status"] == "OFFERED"

    r = await client.delete(
        f"/api/v1/clients/{erased['clientId']}", headers=tenant.headers, params={"erase": "true"}
    )
    assert r.status_code in (200, 204), r.text
    gone = await entry(client, tenant, erased["id"])
    assert (gone["status"], gone["name"], gone["offer"]) == ("LEFT", "", None)
    assert gone["clientId"] == erased["clientId"]
    r = await client.post(f"/api/v1/waitlist/{erased['id']}/accept", headers=tenant.headers)
    assert r.status_code == 409
    await booked(client, tenant, when)  # the hold was released

    r = await client.delete(f"/api/v1/clients/{deleted['clientId']}", headers=tenant.headers)
    assert r.status_code in (200, 204), r.text
    left = await entry(client, tenant, deleted["id"])
    assert (left["status"], left["clientId"], left["name"]) == ("LEFT", None, "")

"""Waitlist pages through HTTP: joining from the public booking page, the offer's private
accept link (accept, decline, gone), and the dashboard's queue where staff offer a time."""

from __future__ import annotations

import httpx

from tests.scheduling_support import every_day
from tests.support import Login, Tenant, future
from tests.waitlist_support import join, offered
from tests.web.dashboard import hidden, log_in, page_token


async def _open_hours(client: httpx.AsyncClient, tenant: Tenant) -> None:
    r = await client.put(
        f"/api/v1/workers/{tenant.worker_id}/hours",
        headers=tenant.headers,
        json=every_day("08:00", "18:00"),
    )
    assert r.status_code == 200, r.text


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


async def test_a_visitor_joins_the_waitlist_from_the_booking_page(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _open_hours(client, tenant)
    day_page = await client.get(f"/book/{tenant.department_id}")
    assert day_page.status_code == 200
    assert f'href="/book/{tenant.department_id}/waitlist"' in day_page.text
    form = await client.get(f"/book/{tenant.department_id}/waitlist")
    assert form.status_code == 200
    token = hidden(form.text, "csrf_token")
    fields = {
        "csrf_token": token,
        "earliest": future(3)[:10],
        "latest": future(10)[:10],
        "name": "Awa Camara",
        "email": "awa.waits@example.org",
        "phone": "0102030405",
    }
    bad = await client.post(
        f"/book/{tenant.department_id}/waitlist", data={**fields, "latest": "soon"}
    )
    assert bad.status_code == 400
    assert 'id="join-error"' in bad.text
    assert "Awa Camara" in bad.text  # what was typed is shown again
    forged = await client.post(
        f"/book/{tenant.department_id}/waitlist", data={**fields, "csrf_token": "x"}
    )
    assert forged.status_code == 403
    joined = await client.post(f"/book/{tenant.department_id}/waitlist", data=fields)
    assert joined.status_code == 200, joined.text
    assert 'id="joined"' in joined.text
    listed = await client.get(
        "/api/v1/waitlist",
        headers=tenant.headers,
        params={"departmentId": tenant.department_id},
    )
    [entry] = listed.json()["entries"]
    assert (entry["name"], entry["status"]) == ("Awa Camara", "WAITING")
    assert entry["clientId"] is not None
    again = await client.post(f"/book/{tenant.department_id}/waitlist", data=fields)
    assert again.status_code == 409
    assert "already on this waitlist" in again.text


async def test_the_accept_link_books_the_offered_time(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _open_hours(client, tenant)
    when = future(6, 11)
    entry = await offered(client, tenant, when)
    link = _path(entry["offer"]["acceptUrl"])
    page = await client.get(link)
    assert page.status_code == 200, page.text
    assert 'id="accept-form"' in page.text
    token = hidden(page.text, "csrf_token")
    accepted = await client.post(f"{link}/accept", data={"csrf_token": token})
    assert accepted.status_code == 303, accepted.text
    confirmation = await client.get(accepted.headers["location"])
    assert confirmation.status_code == 200
    after = await client.get(f"/api/v1/waitlist/{entry['id']}", headers=tenant.headers)
    assert after.json()["status"] == "BOOKED"
    booked = await client.get(
        f"/api/v1/appointments/{after.json()['appointmentId']}", headers=tenant.headers
    )
    assert booked.json()["dateTime"] == when
    gone = await client.get(link)
    assert gone.status_code == 200
    assert 'id="offer-gone"' in gone.text
    twice = await client.post(f"{link}/accept", data={"csrf_token": token})
    assert twice.status_code == 409
    unknown = await client.get("/book/waitlist/not-a-real-token")
    assert unknown.status_code == 409


async def test_the_accept_link_declines_and_the_time_moves_on(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _open_hours(client, tenant)
    entry = await offered(client, tenant, future(6, 15))
    link = _path(entry["offer"]["acceptUrl"])
    token = hidden((await client.get(link)).text, "csrf_token")
    declined = await client.post(f"{link}/decline", data={"csrf_token": token})
    assert declined.status_code == 303
    shown = await client.get(declined.headers["location"])
    assert 'id="offer-declined"' in shown.text
    after = await client.get(f"/api/v1/waitlist/{entry['id']}", headers=tenant.headers)
    assert after.json()["status"] == "WAITING"


async def test_staff_see_the_queue_and_offer_a_time(
    client: httpx.AsyncClient, tenant: Tenant, staff: Login
) -> None:
    await _open_hours(client, tenant)
    held = await offered(client, tenant, future(7, 9))
    waiting = await join(client, tenant, name="Jean Dupont")
    assert (await log_in(client, staff)).status_code == 303
    path = f"/dashboard/departments/{tenant.department_id}/waitlist"
    page = await client.get(path)
    assert page.status_code == 200, page.text
    assert f'data-entry-id="{held["id"]}" data-status="OFFERED"' in page.text
    assert 'class="countdown"' in page.text
    assert f'data-entry-id="{waiting["id"]}" data-status="WAITING"' in page.text
    assert "Jean Dupont" in page.text
    token = await page_token(client, path)
    day = future(8)[:10]
    sent = await client.post(
        f"{path}/{waiting['id']}/offer",
        data={"csrf_token": token, "day": day, "time": "14:00", "worker": tenant.worker_id},
    )
    assert sent.status_code == 303, sent.text
    entry = await client.get(f"/api/v1/waitlist/{waiting['id']}", headers=tenant.headers)
    assert entry.json()["offer"]["dateTime"] == f"{day}T14:00:00"
    outside = await client.post(
        f"{path}/{held['id']}/offer",
        data={"csrf_token": token, "day": day, "time": "nope", "worker": tenant.worker_id},
    )
    assert outside.status_code == 400

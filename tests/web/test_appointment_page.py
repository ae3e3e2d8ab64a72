"""The appointment page: details, confirm, check in, no-show, complete, cancel with a reason,
move to a free slot; stale pages, other organizations, CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from slotbook.bootstrap import Container
from slotbook.domain.schedules import WEEKDAYS
from tests.support import Login, Tenant, TestClock, book, make_tenant
from tests.web.dashboard import hidden, log_in

PARIS = ZoneInfo("Europe/Paris")


def _page(appointment: dict[str, Any]) -> str:
    return f"/dashboard/appointments/{appointment['id']}"


async def _post(
    client: httpx.AsyncClient, appointment: dict[str, Any], action: str, **fields: str
) -> httpx.Response:
    page = await client.get(_page(appointment))
    assert page.status_code == 200, page.text
    data = {
        "csrf_token": hidden(page.text, "csrf_token"),
        "version": hidden(page.text, "version"),
        **fields,
    }
    return await client.post(f"{_page(appointment)}/{action}", data=data)


async def _api(client: httpx.AsyncClient, tenant: Tenant, appointment: dict[str, Any]) -> Any:
    response = await client.get(f"/api/v1/appointments/{appointment['id']}", headers=tenant.headers)
    return response.json()


def _tomorrow(hour: int) -> datetime:
    day = datetime.now(PARIS).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


async def test_confirm_check_in_complete(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, clock: TestClock
) -> None:
    booked = await book(client, tenant, _tomorrow(10), name="Awa Camara")
    await log_in(client, staff)
    page = await client.get(_page(booked))
    assert page.status_code == 200
    assert "Awa Camara" in page.text
    assert booked["qrCode"] in page.text
    assert "10:00\u201310:30" in page.text
    assert re.findall(r'action="/dashboard/appointments/\d+/([a-z-]+)"', page.text) == [
        "confirm",
        "cancel",
    ]  # check-in on its day; no-show only once it started; complete only after check-in
    assert "Check-in is possible on the day of the appointment." in page.text
    # The department has no opening hours, so no free time is listed to move to.
    assert 'id="no-slots"' in page.text
    assert "once it has started" in page.text

    confirmed = await _post(client, booked, "confirm")
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == f"{_page(booked)}?done=confirm"
    shown = await client.get(confirmed.headers["location"])
    assert "The appointment is confirmed." in shown.text
    assert (await _api(client, tenant, booked))["status"] == "CONFIRMED"

    refused = await client.post(
        f"{_page(booked)}/check-in",
        data={
            "csrf_token": hidden(shown.text, "csrf_token"),
            "version": hidden(shown.text, "version"),
        },
    )
    assert refused.status_code == 409  # not its day yet
    clock.freeze(_tomorrow(9))
    # The morning of its day, at the desk anew: the evening's session may have expired.
    client.cookies.clear()
    await log_in(client, staff)
    on_the_day = await client.get(_page(booked))
    assert f'action="/dashboard/appointments/{booked["id"]}/check-in"' in on_the_day.text
    assert (await _post(client, booked, "check-in")).status_code == 303
    assert (await _api(client, tenant, booked))["status"] == "CHECKED_IN"
    assert (await _post(client, booked, "complete")).status_code == 303
    done = await _api(client, tenant, booked)
    assert done["status"] == "COMPLETED"
    final = await client.get(_page(booked))
    assert "/cancel" not in final.text  # a finished appointment has no actions left
    # A transition the status machine refuses comes back on the page.
    refused = await client.post(
        f"{_page(booked)}/confirm",
        data={"csrf_token": hidden(final.text, "csrf_token"), "version": str(done["version"])},
    )
    assert refused.status_code == 409
    assert "cannot be confirmed" in refused.text


async def test_no_show_once_started(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant, clock: TestClock
) -> None:
    when = _tomorrow(9)
    booked = await book(client, tenant, when, name="Late Person")
    clock.freeze(when.astimezone(UTC) - timedelta(hours=1))
    await log_in(client, owner)
    early = await _post(client, booked, "no-show")
    assert early.status_code == 409
    assert "before it starts" in early.text
    clock.advance(timedelta(hours=1, minutes=20))
    page = await client.get(_page(booked))
    assert 'action="/dashboard/appointments/{}/no-show"'.format(booked["id"]) in page.text
    assert (await _post(client, booked, "no-show")).status_code == 303
    assert (await _api(client, tenant, booked))["status"] == "MISSED"


async def test_cancel_with_a_reason(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant
) -> None:
    booked = await book(client, tenant, _tomorrow(11), name="Jean Dupont")
    await log_in(client, staff)
    missing = await _post(client, booked, "cancel", reason="")
    assert missing.status_code == 400
    assert "Choose a cancellation reason." in missing.text
    bad_note = await _post(client, booked, "cancel", reason="30", note="a\x00b")
    assert bad_note.status_code == 400
    cancelled = await _post(client, booked, "cancel", reason="30", note="  Has the flu  ")
    assert cancelled.status_code == 303
    body = await _api(client, tenant, booked)
    assert body["status"] == "CANCELLED"
    assert body["cancellationReason"] == 30
    assert body["cancellationNote"] == "Has the flu"
    page = await client.get(_page(booked))
    assert "Sick" in page.text
    assert "Has the flu" in page.text
    french = await client.get(_page(booked) + "?lang=fr")
    assert "Malade" in french.text


async def test_move_to_a_free_slot(client: httpx.AsyncClient, owner: Login, tenant: Tenant) -> None:
    hours = await client.put(
        f"/api/v1/departments/{tenant.department_id}/hours",
        headers=tenant.headers,
        json={"ranges": [{"weekday": d, "start": "09:00", "end": "12:00"} for d in WEEKDAYS]},
    )
    assert hours.status_code == 200, hours.text
    when = _tomorrow(9)
    booked = await book(client, tenant, when, name="Mover")
    await book(client, tenant, when.replace(hour=10), name="Taken")
    await log_in(client, owner)
    page = await client.get(_page(booked))
    offered = re.findall(r'name="starts_at" value="([^"]+)"', page.text)
    offered_local = [datetime.fromisoformat(v).astimezone(PARIS).strftime("%H:%M") for v in offered]
    # Its own time and the taken one are not offered.
    assert offered_local == ["09:30", "10:30", "11:00", "11:30"]

    moved = await _post(client, booked, "move", starts_at=offered[1])
    assert moved.status_code == 303, moved.text
    # dateTime is wall-clock time of the department.
    assert (await _api(client, tenant, booked))["dateTime"] == when.strftime("%Y-%m-%dT10:30:00")
    assert "The appointment is moved." in (await client.get(moved.headers["location"])).text

    # A slot taken meanwhile: refused on the page, the appointment stays where it was.
    taken = when.replace(hour=10).astimezone(UTC).isoformat()
    refused = await _post(client, booked, "move", starts_at=taken)
    assert refused.status_code == 409, refused.text
    assert 'role="alert"' in refused.text
    nothing = await _post(client, booked, "move", starts_at="not a time")
    assert nothing.status_code == 400
    assert "Choose one of the free times." in nothing.text
    other_day = await client.get(_page(booked), params={"date": "2027-13-01"})
    assert other_day.status_code == 400


async def test_stale_page_is_refused(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant
) -> None:
    booked = await book(client, tenant, _tomorrow(10), name="Version")
    await log_in(client, staff)
    page = await client.get(_page(booked))
    token, version = hidden(page.text, "csrf_token"), hidden(page.text, "version")
    assert (await _post(client, booked, "confirm")).status_code == 303
    stale = await client.post(
        f"{_page(booked)}/check-in", data={"csrf_token": token, "version": version}
    )
    assert stale.status_code == 412
    assert "Someone changed this appointment meanwhile." in stale.text
    assert (await _api(client, tenant, booked))["status"] == "CONFIRMED"


async def test_other_organizations_and_forged_posts(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, container: Container
) -> None:
    other = await make_tenant(container.services)
    foreign = await book(client, other, _tomorrow(10), name="Someone Else")
    mine = await book(client, tenant, _tomorrow(11), name="Mine")
    await log_in(client, staff)
    assert (await client.get(_page(foreign))).status_code == 403
    assert (await client.get("/dashboard/appointments/2147483647")).status_code == 404
    assert (await client.get("/dashboard/appointments/2147483648")).status_code == 400
    page = await client.get(_page(mine))
    token = hidden(page.text, "csrf_token")
    refused = await client.post(
        f"{_page(foreign)}/confirm", data={"csrf_token": token, "version": "1"}
    )
    assert refused.status_code == 403
    assert (await _api(client, other, foreign))["status"] == "SCHEDULED"
    forged = await client.post(f"{_page(mine)}/confirm", data={"version": "1"})
    assert forged.status_code == 403
    assert "did not come from this site" in forged.text
    unknown = await client.post(f"{_page(mine)}/explode", data={"csrf_token": token})
    assert unknown.status_code == 404
    no_version = await client.post(f"{_page(mine)}/confirm", data={"csrf_token": token})
    assert no_version.status_code == 400
    assert (await _api(client, tenant, mine))["status"] == "SCHEDULED"

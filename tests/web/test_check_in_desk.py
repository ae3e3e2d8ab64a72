"""The check-in desk: a typed or scanned QR code checks today's appointment in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from slotbook.bootstrap import Container
from tests.support import Login, Tenant, TestClock, book, make_tenant
from tests.web.dashboard import hidden, log_in, page_token

DESK = "/dashboard/check-in"
PARIS = ZoneInfo("Europe/Paris")


async def _scan(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        DESK, data={"csrf_token": await page_token(client, DESK), "token": token}
    )


def _tomorrow(hour: int) -> datetime:
    day = datetime.now(PARIS).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


async def test_check_in_by_qr_code(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, clock: TestClock, container: Container
) -> None:
    when = _tomorrow(10)
    booked = await book(client, tenant, when, name="Awa Camara")
    later = await book(client, tenant, when + timedelta(days=1), name="Tomorrow Person")
    other = await make_tenant(container.services)
    foreign = await book(client, other, when, name="Elsewhere")
    clock.freeze(when.astimezone(UTC) - timedelta(minutes=15))
    await log_in(client, staff)

    desk = await client.get(DESK)
    assert desk.status_code == 200
    assert 'for="qr-token-input"' in desk.text
    assert '<script src="/static/check_in.js" defer>' in desk.text

    done = await _scan(client, f"  {booked['qrCode']}\n")
    assert done.status_code == 200, done.text
    assert "Awa Camara is checked in." in done.text
    assert "10:00\u201310:30" in done.text
    api = await client.get(f"/api/v1/appointments/{booked['id']}", headers=tenant.headers)
    assert api.json()["status"] == "CHECKED_IN"
    assert (await _scan(client, booked["qrCode"])).status_code == 200  # twice is harmless

    unknown = await _scan(client, "QR-doesnotexist")
    assert unknown.status_code == 404
    assert "No appointment has this QR code." in unknown.text
    assert 'value="QR-doesnotexist"' in unknown.text  # kept in the field to correct it
    not_today = await _scan(client, later["qrCode"])
    assert not_today.status_code == 409
    assert "This appointment is not today" in not_today.text
    theirs = await _scan(client, foreign["qrCode"])
    assert theirs.status_code == 403
    assert "belongs to another organization" in theirs.text
    assert (await _scan(client, "")).status_code == 400
    assert (await _scan(client, "x" * 65)).status_code == 400
    french = await client.post(
        f"{DESK}?lang=fr",
        data={"csrf_token": await page_token(client, DESK), "token": "QR-nope"},
    )
    assert "Aucun rendez-vous n&#39;a ce code QR." in french.text


async def test_cancelled_and_forged(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant, clock: TestClock
) -> None:
    when = _tomorrow(11)
    booked = await book(client, tenant, when, name="Gone")
    await client.delete(f"/api/v1/appointments/{booked['id']}", headers=tenant.headers)
    clock.freeze(when.astimezone(UTC) - timedelta(hours=1))
    await log_in(client, owner)
    cancelled = await _scan(client, booked["qrCode"])
    assert cancelled.status_code == 409
    assert "cancelled" in cancelled.text
    forged = await client.post(DESK, data={"token": booked["qrCode"]})
    assert forged.status_code == 403
    assert "did not come from this site" in forged.text
    assert hidden(forged.text, "csrf_token")

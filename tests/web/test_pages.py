"""The home page (departments, today's appointments), credits, languages, error pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.support import Login, Tenant, TestClock
from tests.web.dashboard import log_in


async def _book(client: httpx.AsyncClient, tenant: Tenant, when: datetime, name: str) -> int:
    response = await client.post(
        "/api/v1/appointments",
        headers=tenant.headers,
        json={
            "departmentId": tenant.department_id,
            "dateTime": when.astimezone(ZoneInfo("Europe/Paris")).replace(tzinfo=None).isoformat(),
            "name": name,
        },
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_home_lists_departments_and_todays_appointments(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, clock: TestClock
) -> None:
    paris = ZoneInfo("Europe/Paris")
    # Book at 10:00 and 15:00 Paris time tomorrow and the day after, then live "tomorrow 08:00".
    tomorrow = (datetime.now(paris) + timedelta(days=1)).date()
    at = [datetime(tomorrow.year, tomorrow.month, tomorrow.day, h, tzinfo=paris) for h in (10, 15)]
    await _book(client, tenant, at[0], "Awa Camara")
    await _book(client, tenant, at[1], "Jean Dupont")
    await _book(client, tenant, at[0] + timedelta(days=1), "Not Today")
    clock.freeze(at[0].replace(hour=8).astimezone(UTC))

    await log_in(client, staff)
    home = await client.get("/dashboard")
    assert home.status_code == 200
    text = home.text
    assert "Walk-in desk" in text  # the tenant's department description
    assert "Awa Camara" in text
    assert "Jean Dupont" in text
    assert "Not Today" not in text
    # Start and end (the department's 30-minute slot) in the organization's zone.
    times = re.findall(r'data-label="Time">(\d\d:\d\d\u2013\d\d:\d\d)<', text)
    assert times == ["10:00\u201310:30", "15:00\u201315:30"]
    assert "/dashboard/credits" not in text  # staff: no credits, no settings in the menu


async def test_credits_page_shows_balance_and_ledger(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant, staff: Login
) -> None:
    when = datetime.now(UTC) + timedelta(days=3)
    appointment_id = await _book(client, tenant, when, "A")
    await client.delete(f"/api/v1/appointments/{appointment_id}", headers=tenant.headers)

    await log_in(client, owner)
    page = await client.get("/dashboard/credits")
    assert page.status_code == 200
    assert '<p class="balance" id="balance">100 credits</p>' in page.text
    rows = re.findall(r"<tr>\s*<td data-label=\"When\".*?</tr>", page.text, re.S)
    assert len(rows) == 3  # refund, booking, initial grant (newest first)
    assert "Refund" in rows[0]
    assert "+1" in rows[0]
    assert str(appointment_id) in rows[0]
    assert "Booking" in rows[1]
    assert "-1" in rows[1]
    assert "Credits added" in rows[2]
    assert "+100" in rows[2]
    assert (await client.get("/dashboard/credits?page=-1")).status_code == 400
    assert (await client.get("/dashboard/credits?page=abc")).status_code == 400
    empty = await client.get("/dashboard/credits?page=5")
    assert empty.status_code == 200

    client.cookies.clear()
    await log_in(client, staff)
    assert (await client.get("/dashboard/credits")).status_code == 403


async def test_language_from_query_cookie_or_browser(
    client: httpx.AsyncClient, owner: Login
) -> None:
    page = await client.get("/dashboard/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in page.text
    assert "Mot de passe" in page.text
    page = await client.get("/dashboard/login", headers={"Accept-Language": "de, en;q=0.5"})
    assert '<html lang="en">' in page.text

    chosen = await client.get("/dashboard/login?lang=fr")
    assert "Connexion" in chosen.text
    assert "slotbook_lang=fr" in chosen.headers["set-cookie"]
    # Remembered, even against the browser's preference.
    await log_in(client, owner)
    home = await client.get("/dashboard", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in home.text
    assert "Rendez-vous du jour" in home.text
    back = await client.get("/dashboard?lang=en")
    assert "Today&#39;s appointments" in back.text
    assert (await client.get("/dashboard?lang=xx")).status_code == 200


async def test_unknown_dashboard_pages_are_html(client: httpx.AsyncClient, owner: Login) -> None:
    await log_in(client, owner)
    missing = await client.get("/dashboard/nothing-here?lang=fr")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Cette page n&#39;existe pas." in missing.text
    # The API keeps its JSON envelope.
    api = await client.get("/api/v1/nothing-here")
    assert api.headers["content-type"] == "application/json"


async def test_static_files_are_served(client: httpx.AsyncClient) -> None:
    css = await client.get("/static/app.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert (await client.get("/static/app.js")).status_code == 200

"""The dashboard's waitlist page in a real browser: the offer's countdown ticks down."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from playwright.async_api import Page, expect

from tests.e2e.browser import log_in
from tests.e2e.conftest import Server

DEPARTMENT = 5  # the demo's Passport Service


async def test_an_offer_counts_down_on_the_waitlist_page(page: Page, server: Server) -> None:
    headers = {"X-API-Key": server.api_key}
    async with httpx.AsyncClient(base_url=server.base, headers=headers) as http:
        slots = await http.get(
            "/api/v1/appointments/available-slots",
            params={"departmentId": DEPARTMENT, "startDate": str(date.today() + timedelta(days=2))},
        )
        assert slots.status_code == 200, slots.text
        slot = next(s for s in slots.json()["slots"] if s["workerIds"])
        when = slot["start"][:19]
        booked = await http.post(
            "/api/v1/appointments",
            json={
                "departmentId": DEPARTMENT,
                "dateTime": when,
                "name": "Regular",
                "workerId": slot["workerIds"][0],
            },
        )
        assert booked.status_code == 201, booked.text
        joined = await http.post(
            "/api/v1/waitlist",
            json={
                "departmentId": DEPARTMENT,
                "earliest": when[:10],
                "latest": when[:10],
                "externalUserId": "e2e-waiting",
                "name": "Countdown Client",
            },
        )
        assert joined.status_code == 201, joined.text
        cancelled = await http.post(f"/api/v1/appointments/{booked.json()['id']}/cancel")
        assert cancelled.status_code == 200
    await log_in(page, server, *server.staff)
    await page.goto(server.url(f"/dashboard/departments/{DEPARTMENT}/waitlist"))
    row = page.locator(f'tr[data-entry-id="{joined.json()["id"]}"]')
    await expect(row).to_have_attribute("data-status", "OFFERED")
    clock = row.locator(".clock")
    first = await clock.text_content()
    await expect(clock).not_to_have_text(first or "", timeout=5000)

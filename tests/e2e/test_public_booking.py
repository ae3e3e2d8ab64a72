"""The public booking page in a real browser against a real server: booking with the keyboard
alone at phone width, cancelling through the private link (credit refunded, checked through
the API), the language switch, and a department whose page is off."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.e2e.browser import assert_accessible_form_fields, log_in, snap, tab_to
from tests.e2e.conftest import DESKTOP, Server

# The demo's Passport Service: two officers, two appointment types, no booking rule.
PASSPORTS = 5
INTERVIEWS = 9
PHONE_390 = {"width": 390, "height": 844}


async def _api(server: Server, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.base) as http:
        return await http.request(
            method, path, headers={"X-API-Key": server.api_key}, timeout=30, **kwargs
        )


async def _balance(server: Server) -> int:
    response = await _api(server, "GET", "/api/v1/credits")
    assert response.status_code == 200, response.text
    return int(response.json()["balance"])


async def _phone_width(page: Page) -> None:
    await page.set_viewport_size(PHONE_390)  # type: ignore[arg-type]
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than a 390px phone"


async def _snap_at_phone_width(page: Page, server: Server, name: str) -> None:
    """Screenshots (desktop and 375px) like the dashboard's, then back to a 390px phone."""
    await page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    await snap(page, server, name)
    await _phone_width(page)


@pytest.fixture
async def phone(context: BrowserContext) -> AsyncIterator[Page]:
    page = await context.new_page()
    await page.set_viewport_size(PHONE_390)  # type: ignore[arg-type]
    yield page
    await page.close()


async def test_book_with_the_keyboard_alone_on_a_phone(phone: Page, server: Server) -> None:
    page = phone
    before = await _balance(server)
    await page.goto(server.url(f"/book/{PASSPORTS}"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Book an appointment: Passport Service"
    )
    assert await assert_accessible_form_fields(page) == 2  # one radio button per type
    await _snap_at_phone_width(page, server, "book-type")
    await tab_to(page, 'input[name="type"]')
    await page.keyboard.press("ArrowDown")  # the second type: Passport collection
    await tab_to(page, "#type-form button[type=submit]")
    await page.keyboard.press("Enter")

    await expect(page.get_by_role("heading", name="Choose a day")).to_be_visible()
    await expect(page.locator(".summary")).to_contain_text("Passport collection")
    await _snap_at_phone_width(page, server, "book-day")
    await tab_to(page, "#days a")
    await page.keyboard.press("Enter")

    await expect(page.get_by_role("group", name="Choose a time")).to_be_visible()
    assert await assert_accessible_form_fields(page) >= 4  # the times, name, e-mail, phone
    await _phone_width(page)
    await tab_to(page, 'input[name="time"]')
    await page.keyboard.press("Space")
    chosen = await page.locator('input[name="time"]:checked').get_attribute("value")
    assert chosen is not None
    await tab_to(page, "#name")
    await page.keyboard.type("Mariama Keyboard")
    await tab_to(page, "#email")
    await page.keyboard.type(f"keyboard.{server.backend}@example.org")
    await tab_to(page, "#phone")
    await page.keyboard.type("+224 621 00 00 01")
    await _snap_at_phone_width(page, server, "book-details")
    await tab_to(page, "#book-form button[type=submit]")
    await page.keyboard.press("Enter")

    await expect(page).to_have_url(re.compile(r"/book/appointment/[A-Za-z0-9_-]{43}$"))
    await expect(page.get_by_role("status")).to_have_text("Your appointment is booked.")
    await expect(page.locator(".qr svg")).to_be_visible()
    await expect(page.locator("#ics-link")).to_have_text("Add to my calendar (.ics)")
    await _snap_at_phone_width(page, server, "book-confirmation")
    assert await _balance(server) == before - 1

    # The same appointment, as the API (and so the dashboard) sees it.
    day = chosen[:10]
    listed = await _api(
        server,
        "GET",
        "/api/v1/appointments",
        params={"departmentId": PASSPORTS, "startDate": f"{day}T00:00:00", "size": 100},
    )
    mine = [a for a in listed.json()["appointments"] if a["name"] == "Mariama Keyboard"]
    assert len(mine) == 1
    assert mine[0]["dateTime"].startswith(chosen)
    assert mine[0]["status"] == "SCHEDULED"

    # The calendar file downloads without an API key.
    async with page.expect_download() as download_info:
        await tab_to(page, "#ics-link")
        await page.keyboard.press("Enter")
    download = await download_info.value
    assert download.suggested_filename == f"appointment-{mine[0]['id']}.ics"

    # Staff find it in the dashboard's calendar, on its day, in its department.
    await log_in(page, server, *server.staff)
    await page.goto(server.url(f"/dashboard/calendar?view=day&date={day}&department={PASSPORTS}"))
    block = page.locator("a.cal-block", has_text="Mariama Keyboard")
    await expect(block).to_be_visible()
    await expect(block).to_contain_text("Scheduled")
    await expect(block.locator(".cal-time")).to_contain_text(chosen[11:16])


async def test_cancel_through_the_private_link_refunds_the_credit(
    page: Page, server: Server
) -> None:
    await page.goto(server.url(f"/book/{PASSPORTS}"))
    await page.get_by_label("Passport application").check()
    await page.get_by_role("button", name="Continue").click()
    await page.locator("#days a").last.click()
    await page.locator('input[name="time"]').first.check()
    await page.get_by_label("Full name").fill("Ibrahima Cancel")
    await page.get_by_label("E-mail").fill(f"cancel.{server.backend}@example.org")
    await page.get_by_label("Phone").fill("621000002")
    await page.get_by_role("button", name="Book this appointment").click()
    await expect(page.get_by_role("status")).to_have_text("Your appointment is booked.")
    booked = await _balance(server)

    link = await page.locator("#cancel-link").get_attribute("href")
    assert link is not None
    assert re.fullmatch(rf"{re.escape(server.base)}/book/cancel/[A-Za-z0-9_-]{{43}}", link)
    await page.goto(link)  # as from the saved link, in a later visit
    await expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your appointment")
    await expect(page.locator("#appointment-status")).to_have_text("Scheduled")
    await snap(page, server, "book-cancel")
    await page.get_by_role("button", name="Cancel this appointment").click()
    await expect(page.get_by_role("status")).to_have_text("Your appointment is cancelled.")
    await expect(page.locator("#appointment-status")).to_have_text("Cancelled")
    await expect(page.get_by_role("button", name="Cancel this appointment")).to_have_count(0)
    await snap(page, server, "book-cancelled")
    assert await _balance(server) == booked + 1  # refunded, as the API reports it


async def test_language_switch_keeps_the_step(page: Page, server: Server) -> None:
    await page.goto(server.url(f"/book/{PASSPORTS}"))
    await page.get_by_role("button", name="Continue").click()
    await expect(page.get_by_role("heading", name="Choose a day")).to_be_visible()
    await page.get_by_role("link", name="Français").click()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await expect(page.get_by_role("heading", name="Choisissez un jour")).to_be_visible()
    # The month as \S+: the browser's \w has no accents (décembre, février, août).
    await expect(page.locator("#days .day-name").first).to_have_text(
        re.compile(r"^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d+ \S+$")
    )
    await snap(page, server, "book-day-fr")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", name="Choose a day")).to_be_visible()


async def test_a_department_with_its_page_off_answers_a_friendly_404(
    page: Page, server: Server
) -> None:
    path = f"/api/v1/departments/{INTERVIEWS}"
    off = await _api(server, "PATCH", path, json={"bookingPageEnabled": False})
    assert off.status_code == 200, off.text
    try:
        response = await page.goto(server.url(f"/book/{INTERVIEWS}"))
        assert response is not None
        assert response.status == 404
        await expect(page.get_by_role("alert")).to_have_text(
            "This office does not take bookings online. Please contact it directly."
        )
        await snap(page, server, "book-closed")
    finally:
        on = await _api(server, "PATCH", path, json={"bookingPageEnabled": True})
        assert on.status_code == 200, on.text
    assert (await page.goto(server.url(f"/book/{INTERVIEWS}"))) is not None
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Book an appointment")

"""The admin pages in a real browser with the keyboard alone: a department, a worker with
weekly hours and an appointment type are created, and the free slots API then offers times;
screenshots of each page at 390 pixels wide; staff are refused."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from playwright.async_api import Page, expect

from tests.e2e.browser import assert_accessible_form_fields, snap, tab_to
from tests.e2e.conftest import Server

PHONE_390 = {"width": 390, "height": 844}


async def _keyboard_log_in(page: Page, server: Server) -> None:
    await page.goto(server.url("/dashboard/login"))
    await tab_to(page, "#email")
    await page.keyboard.type(server.owner[0])
    await page.keyboard.press("Tab")
    await page.keyboard.type(server.owner[1])
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(server.url("/dashboard"))


async def _open(page: Page, path: str, heading: str) -> None:
    """Follow the main menu's link with the keyboard."""
    link = f'nav.menu a[href="{path}"]'
    # After a post the page opens at the form's section: the menu is behind, so Shift+Tab.
    for _ in range(250):
        if await page.evaluate("(s) => document.activeElement?.matches(s) ?? false", link):
            break
        await page.keyboard.press("Shift+Tab")
    else:
        raise AssertionError(f"Shift+Tab never reached {link}")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)


async def _type_into(page: Page, selector: str, text: str) -> None:
    await tab_to(page, selector, limit=120)
    await page.keyboard.press("Control+A")
    await page.keyboard.type(text)


async def _type_time(page: Page, selector: str, text: str) -> None:
    """An empty time field: Chromium moves from hours to minutes (and AM/PM, which this
    headless Chromium shows whatever the page's locale) as the keys come."""
    await tab_to(page, selector, limit=120)
    await page.keyboard.type(text)


async def _submit(page: Page, form: str) -> None:
    await tab_to(page, f"{form} button[type=submit]", limit=150)
    await page.keyboard.press("Enter")


async def test_keyboard_department_worker_type_then_free_slots(page: Page, server: Server) -> None:
    await _keyboard_log_in(page, server)

    await _open(page, "/dashboard/departments", "Departments")
    assert await assert_accessible_form_fields(page) >= 12
    await snap(page, server, "admin-departments", PHONE_390)
    await _type_into(page, "#new-name", "Keyboard clinic")
    await _type_into(page, "#new-description", "Made with the keyboard")
    await _type_into(page, "#new-slot-interval", "20")
    await _type_into(page, "#new-max-advance-days", "30")
    await _submit(page, 'form[action="/dashboard/departments"]')
    await expect(page.get_by_role("status")).to_have_text("The department is added.")
    match = re.search(r"/dashboard/departments/(\d+)\?done=created$", page.url)
    assert match, page.url
    department_id = int(match.group(1))
    await expect(page.locator("#max-advance-days")).to_have_value("30")
    assert await assert_accessible_form_fields(page) >= 14
    await snap(page, server, "admin-department", PHONE_390)

    await _open(page, "/dashboard/workers", "Workers")
    await snap(page, server, "admin-workers", PHONE_390)
    await _type_into(page, "#worker-name", "Keyboard worker")
    await tab_to(page, f"#worker-department-{department_id}", limit=120)
    await page.keyboard.press("Space")
    await _submit(page, 'form[action="/dashboard/workers"]')
    await expect(page.get_by_role("status")).to_have_text("The worker is added.")
    match = re.search(r"/dashboard/workers/(\d+)\?done=created$", page.url)
    assert match, page.url
    worker_id = int(match.group(1))
    for day in range(7):  # mornings every day, and a second range on Mondays
        await _type_time(page, f"#start-{day}-1", "0900A")
        await _type_time(page, f"#end-{day}-1", "1200P")
        if day == 0:
            await _type_time(page, "#start-0-2", "1400P")
            await _type_time(page, "#end-0-2", "1700P")
    await _submit(page, 'form[action$="/hours"]')
    await expect(page.get_by_role("status")).to_have_text("The working hours are saved.")
    await expect(page.locator("#start-0-2")).to_have_value("14:00")
    assert await assert_accessible_form_fields(page) >= 30
    await snap(page, server, "admin-worker", PHONE_390)

    await _open(page, "/dashboard/appointment-types", "Appointment types")
    await snap(page, server, "admin-appointment-types", PHONE_390)
    await _type_into(page, "#type-name", "Keyboard consultation")
    await _type_into(page, "#type-duration", "40")
    await tab_to(page, "#type-department", limit=120)
    await page.keyboard.type("Keyboard clinic")  # the select's type-ahead
    await expect(page.locator("#type-department")).to_have_value(str(department_id))
    await tab_to(page, f"#type-worker-{worker_id}", limit=120)
    await page.keyboard.press("Space")
    await _submit(page, 'form[action="/dashboard/appointment-types"]')
    await expect(page.get_by_role("status")).to_have_text("The appointment type is added.")
    match = re.search(r"/dashboard/appointment-types/(\d+)\?done=created$", page.url)
    assert match, page.url
    type_id = int(match.group(1))
    assert await assert_accessible_form_fields(page) >= 6
    await snap(page, server, "admin-appointment-type", PHONE_390)

    async with httpx.AsyncClient(base_url=server.base) as http:
        made = await http.get(
            f"/api/v1/departments/{department_id}", headers={"X-API-Key": server.api_key}
        )
        assert made.status_code == 200, made.text
        # Tomorrow where the department is, not where the machine is.
        start = datetime.now(ZoneInfo(made.json()["timeZone"])).date() + timedelta(days=1)
        found = await http.get(
            "/api/v1/appointments/available-slots",
            params={
                "departmentId": department_id,
                "appointmentTypeId": type_id,
                "startDate": start.isoformat(),
                "endDate": (start + timedelta(days=6)).isoformat(),
            },
            headers={"X-API-Key": server.api_key},
        )
    assert found.status_code == 200, found.text
    slots = found.json()["slots"]
    # 40 minutes every 20 minutes: 8 starts in 09:00-12:00 each day, 8 more on Monday.
    assert len(slots) == 7 * 8 + 8
    assert {tuple(s["workerIds"]) for s in slots} == {(worker_id,)}
    assert {s["start"][11:16] for s in slots} >= {"09:00", "11:20", "14:00", "16:20"}


async def test_french_pages_and_staff_refusal(page: Page, server: Server) -> None:
    await page.goto(server.url("/dashboard/login?lang=fr"))
    await page.get_by_label("Adresse e-mail").fill(server.owner[0])
    await page.get_by_label("Mot de passe").fill(server.owner[1])
    await page.get_by_role("button", name="Se connecter").click()
    await page.get_by_role("link", name="Services", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Services")
    await page.get_by_label("Nom", exact=True).fill("Service refusé")
    await page.get_by_label("Fuseau horaire").fill("Mars/Olympus")  # the browser cannot tell
    await page.get_by_role("button", name="Ajouter le service").click()
    await expect(page.get_by_role("alert")).to_have_text(
        "« Mars/Olympus » n'est pas un fuseau horaire connu."
    )
    await expect(page.get_by_label("Nom", exact=True)).to_have_value("Service refusé")
    await snap(page, server, "admin-departments-fr-error", PHONE_390)
    await page.get_by_role("link", name="English").click()
    await page.get_by_role("button", name="Log out").click()

    await page.get_by_label("E-mail").fill(server.staff[0])
    await page.get_by_label("Password").fill(server.staff[1])
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("link", name="Workers")).to_have_count(0)
    for path in ("/dashboard/departments", "/dashboard/workers", "/dashboard/appointment-types"):
        response = await page.goto(server.url(path))
        assert response is not None
        assert response.status == 403
        await expect(page.get_by_role("alert")).to_have_text("You do not have access to this page.")

"""The calendar, the appointment page, the check-in desk and webhooks in a real browser:
find a booked appointment and confirm it, check one in by its QR code (typed, with the
keyboard alone), roles, labels, and screenshots at a 390-pixel phone width."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from playwright.async_api import Dialog, Page, expect

from tests.e2e.browser import assert_accessible_form_fields, log_in, snap, tab_to
from tests.e2e.conftest import Server

PHONE_390 = {"width": 390, "height": 844}
# Zones 25 hours apart: in one of them it is between 01:00 and 21:00 now, so an appointment
# later today stays on today's date there, whenever the test runs.
ZONES = ("Africa/Conakry", "Pacific/Pago_Pago", "Pacific/Kiritimati")


async def _book_today(server: Server, name: str) -> dict[str, object]:
    """An appointment later today in a new always-open department (any time is
    bookable), through the API as the organization's software would."""
    now = datetime.now(UTC)
    zone = next(z for z in ZONES if 1 <= now.astimezone(ZoneInfo(z)).hour <= 21)
    local = now.astimezone(ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0)
    start = local.replace(minute=0) + timedelta(hours=2)  # on the hour: any slot grid fits
    headers = {"X-API-Key": server.api_key}
    async with httpx.AsyncClient(base_url=server.base, headers=headers) as http:
        department = await http.post(
            "/api/v1/departments",
            json={"name": f"Desk {name}", "timeZone": zone, "alwaysOpen": True},
        )
        assert department.status_code == 201, department.text
        booked = await http.post(
            "/api/v1/appointments",
            json={
                "departmentId": department.json()["id"],
                "dateTime": start.isoformat(),
                "name": name,
            },
        )
        assert booked.status_code == 201, booked.text
        body: dict[str, object] = booked.json()
        return body


async def test_find_an_appointment_in_the_calendar_and_confirm_it(
    page: Page, server: Server
) -> None:
    await log_in(page, server, *server.staff)  # staff work the calendar
    await page.get_by_role("link", name="Calendar").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    # The demo booked next Monday in the Passport and ID card departments.
    await page.get_by_role("link", name="Next week").click()
    await page.get_by_label("Department").select_option(label="Passport Service")
    await page.get_by_role("button", name="Show").click()
    block = page.locator("a.cal-block", has_text="Amadou Diallo")
    await expect(block).to_be_visible()
    await expect(block).to_contain_text("Scheduled")
    await expect(block.locator(".cal-time")).to_have_text(
        re.compile("^\\d\\d:\\d\\d\u2013\\d\\d:\\d\\d$")
    )
    await expect(page.locator("a.cal-block", has_text="Ousmane Keita")).to_have_count(0)
    await snap(page, server, "calendar-week", PHONE_390)
    await page.get_by_role("link", name="Day", exact=True).click()
    await snap(page, server, "calendar-day", PHONE_390)
    await page.get_by_role("link", name="Next day").click()  # filters are kept
    await expect(page.get_by_label("Department")).to_have_value("5")

    await page.goto(server.url("/dashboard/calendar"))
    await page.get_by_role("link", name="Next week").click()
    await page.locator("a.cal-block", has_text="Amadou Diallo").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Amadou Diallo")
    await expect(page.locator("#appointment-status")).to_have_text("Scheduled")
    await expect(page.get_by_role("heading", name="Move to another free time")).to_be_visible()
    await expect(page.locator('input[name="starts_at"]').first).to_be_visible()
    await snap(page, server, "appointment", PHONE_390)
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.get_by_role("status")).to_have_text("The appointment is confirmed.")
    await expect(page.locator("#appointment-status")).to_have_text("Confirmed")
    await expect(page.get_by_role("button", name="Confirm")).to_have_count(0)
    await page.get_by_role("link", name="Back to the calendar").click()
    await expect(page.locator("a.cal-block", has_text="Amadou Diallo")).to_contain_text("Confirmed")


async def test_move_and_cancel_an_appointment(page: Page, server: Server) -> None:
    await log_in(page, server, *server.owner)
    await page.goto(server.url("/dashboard/calendar"))
    await page.get_by_role("link", name="Next week").click()
    await page.locator("a.cal-block", has_text="Fatoumata Camara").click()
    first_free = page.locator('input[name="starts_at"]').first
    chosen = await first_free.locator("xpath=..").inner_text()
    await first_free.check()
    await page.get_by_role("button", name="Move the appointment").click()
    await expect(page.get_by_role("status")).to_have_text("The appointment is moved.")
    await expect(page.get_by_role("heading", name="Details")).to_be_visible()
    await expect(page.locator(".facts")).to_contain_text(chosen.strip())

    await page.get_by_label("Cancellation reason").select_option(label="Away")
    await page.get_by_label("Note (optional)").fill("Travelling that week")
    page.once("dialog", _accept)
    await page.get_by_role("button", name="Cancel the appointment").click()
    await expect(page.get_by_role("status")).to_have_text("The appointment is cancelled.")
    await expect(page.locator("#appointment-status")).to_have_text("Cancelled")
    await expect(page.locator(".facts")).to_contain_text("Travelling that week")


async def _accept(dialog: Dialog) -> None:
    await dialog.accept()


async def test_check_in_by_qr_code_with_the_keyboard_alone(page: Page, server: Server) -> None:
    booked = await _book_today(server, "Mariam Touré")
    await log_in(page, server, *server.staff)
    await tab_to(page, 'a[href="/dashboard/check-in"]')
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Check-in desk")
    await snap(page, server, "check-in", PHONE_390)
    # Headless Chromium has no BarcodeDetector: the camera button stays hidden.
    await expect(page.locator("#scan-button")).to_be_hidden()
    await tab_to(page, "#qr-token-input")
    await page.keyboard.type("QR-not-a-real-code")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("alert")).to_have_text(
        "No appointment has this QR code. Check the code and try again."
    )
    await snap(page, server, "check-in-unknown", PHONE_390)
    await tab_to(page, "#qr-token-input")
    await page.keyboard.press("Control+A")  # the wrong code was kept, to be corrected
    await page.keyboard.type(str(booked["qrCode"]))
    await page.keyboard.press("Enter")
    await expect(page.locator("#check-in-result")).to_contain_text("Mariam Touré is checked in.")
    await expect(page.locator("#check-in-result")).to_contain_text("Checked in")
    await snap(page, server, "check-in-done", PHONE_390)
    async with httpx.AsyncClient(base_url=server.base) as http:
        api = await http.get(
            f"/api/v1/appointments/{booked['id']}", headers={"X-API-Key": server.api_key}
        )
    assert api.json()["status"] == "CHECKED_IN"


async def test_camera_scanning_fills_and_sends_the_form(page: Page, server: Server) -> None:
    """Where the browser offers a BarcodeDetector, the scanned text is checked in. The camera
    and the detector are stood in for by the page (a headless browser has neither)."""
    booked = await _book_today(server, "Scanned Person")
    await page.add_init_script(
        f"""
        window.BarcodeDetector = class {{
          static async getSupportedFormats() {{ return ["qr_code"]; }}
          async detect() {{ return [{{ rawValue: {str(booked["qrCode"])!r} }}]; }}
        }};
        navigator.mediaDevices.getUserMedia = async () => {{
          const canvas = document.createElement("canvas");
          canvas.width = 32; canvas.height = 32;
          canvas.getContext("2d").fillRect(0, 0, 32, 32);
          return canvas.captureStream();
        }};
        """
    )
    await log_in(page, server, *server.staff)
    await page.goto(server.url("/dashboard/check-in"))
    await page.get_by_role("button", name="Scan with the camera").click()
    await expect(page.locator("#check-in-result")).to_contain_text("Scanned Person is checked in.")


async def test_webhooks_endpoints_and_delivery_log(page: Page, server: Server) -> None:
    await log_in(page, server, *server.owner)
    await page.get_by_role("link", name="Webhooks").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    url = f"http://127.0.0.1:9999/{server.backend}-hook"
    await page.get_by_label("URL").fill(url)
    await page.get_by_label("Description (optional)").fill("Front desk system")
    await page.get_by_role("button", name="Add the endpoint").click()
    secret = await page.get_by_label(re.compile("^Signing secret")).input_value()
    assert secret.startswith("whsec_")
    await snap(page, server, "webhooks-created", PHONE_390)
    await page.get_by_role("link", name="I have copied it").click()
    row = page.locator("tr", has_text=url)
    await expect(row).to_contain_text("Active")
    await row.get_by_role("button", name=f"Deactivate {url}").click()
    await expect(page.get_by_role("status")).to_have_text(
        "The endpoint is inactive: nothing is sent to it."
    )
    await page.locator("tr", has_text=url).get_by_role("button", name=f"Activate {url}").click()
    await expect(page.locator("tr", has_text=url)).to_contain_text("Active")
    await snap(page, server, "webhooks", PHONE_390)

    await _book_today(server, "Webhook Trigger")  # an appointment.created event to deliver
    await page.locator("tr", has_text=url).get_by_role("link", name=f"Deliveries to {url}").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Delivery log")
    delivery = page.locator("#deliveries tbody tr").first
    await expect(delivery).to_contain_text("appointment.created")
    await expect(delivery).to_contain_text("Pending")
    await snap(page, server, "webhook-deliveries", PHONE_390)
    await delivery.get_by_role("button", name=re.compile("^Redeliver evt_")).click()
    await expect(page.get_by_role("status")).to_have_text(
        "The delivery is queued to be sent again."
    )

    await page.get_by_role("link", name="Back to the webhooks").click()
    page.once("dialog", _accept)
    await page.locator("tr", has_text=url).get_by_role("button", name=f"Delete {url}").click()
    await expect(page.get_by_role("status")).to_have_text("The endpoint is deleted.")
    await expect(page.locator("tr", has_text=url)).to_have_count(0)


async def test_staff_reach_the_desk_but_not_settings_or_webhooks(
    page: Page, server: Server
) -> None:
    await log_in(page, server, *server.staff)
    await expect(page.get_by_role("link", name="Calendar")).to_be_visible()
    await expect(page.get_by_role("link", name="Check-in desk")).to_be_visible()
    await expect(page.get_by_role("link", name="Webhooks")).to_have_count(0)
    for path in ("/dashboard/settings/api", "/dashboard/webhooks", "/dashboard/credits"):
        response = await page.goto(server.url(path))
        assert response is not None
        assert response.status == 403, path
        await expect(page.get_by_role("alert")).to_have_text("You do not have access to this page.")
    await snap(page, server, "staff-webhooks-forbidden", PHONE_390)


async def test_new_pages_label_every_field_and_speak_french(page: Page, server: Server) -> None:
    await log_in(page, server, *server.owner)
    counted = {}
    for path in ("/dashboard/calendar", "/dashboard/check-in", "/dashboard/webhooks"):
        await page.goto(server.url(path))
        counted[path] = await assert_accessible_form_fields(page)
    assert counted["/dashboard/calendar"] == 3  # date, department, worker
    assert counted["/dashboard/check-in"] == 1
    await page.goto(server.url("/dashboard/calendar"))
    await page.get_by_role("link", name="Next week").click()
    await page.locator("a.cal-block").first.click()
    assert await assert_accessible_form_fields(page) >= 4  # day, free times, reason, note

    await page.get_by_role("link", name="Français").click()
    await expect(page.get_by_role("heading", name="Détails")).to_be_visible()
    await page.get_by_role("link", name="Agenda", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    await expect(page.get_by_label("Service")).to_be_visible()
    await snap(page, server, "calendar-fr", PHONE_390)
    await page.get_by_role("link", name="Accueil des arrivées").click()
    await expect(page.get_by_label("Code QR")).to_be_visible()
    await page.get_by_role("link", name="English").click()


async def test_calendar_to_check_in_with_the_keyboard_alone(page: Page, server: Server) -> None:
    await log_in(page, server, *server.staff)
    await tab_to(page, 'a[href="/dashboard/calendar"]')
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    await tab_to(page, 'a[rel="next"]')
    await page.keyboard.press("Enter")
    block = page.locator("a.cal-block", has_text="Ousmane Keita")
    await expect(block).to_be_visible()
    appointment_id = await block.get_attribute("data-appointment-id")
    await tab_to(page, f'a[data-appointment-id="{appointment_id}"]')
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ousmane Keita")
    # Check-in is open on the appointment's day only: not for this one, booked ahead.
    await expect(page.locator('form[action$="/check-in"]')).to_have_count(0)
    await expect(
        page.get_by_text("Check-in is possible on the day of the appointment.")
    ).to_be_visible()
    booked = await _book_today(server, "Arriving Today")
    await page.goto(server.url(f"/dashboard/appointments/{booked['id']}"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Arriving Today")
    await tab_to(page, 'form[action$="/check-in"] button')
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text("The appointment is checked in.")
    await expect(page.locator("#appointment-status")).to_have_text("Checked in")
    await tab_to(page, 'form[action$="/complete"] button')
    await page.keyboard.press("Enter")
    await expect(page.locator("#appointment-status")).to_have_text("Completed")

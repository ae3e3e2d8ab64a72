"""The public booking page in a real browser against a real server, at 1280 and 390 pixels, in
English and French: a visitor books on the month calendar (time zone detected), fixes every
field error, reschedules and cancels through the private links (credits checked through the
API); axe-core finds no serious or critical violation on any public page; every page is
photographed at both widths."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.accessibility import AXE, serious_violations
from tests.e2e.browser import assert_accessible_form_fields, log_in, tab_to
from tests.e2e.conftest import SCREENSHOTS, Server

# The demo's Passport Service (Africa/Conakry, weekdays): two officers, two appointment types,
# an address and directions, no booking rule.
PASSPORTS = 5
INTERVIEWS = 9
OFFICE_ZONE = "Africa/Conakry"
VISITOR_ZONE = "Europe/Paris"  # the browser's: the page detects it
WIDTHS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}
# Written out here rather than read from the app's catalog, so the test checks the catalog.
FRENCH_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WORDS = {
    "en": {
        "heading": "Book an appointment: Passport Service",
        "continue": "Continue",
        "choose_day": "Choose a day",
        "submit": "Book this appointment",
        "booked": "Your appointment is booked.",
        "name_error": "Please enter your name",
        "name": "Full name",
        "email": "E-mail",
        "phone": "Phone",
        "reschedule": "Change the date or time",
        "move": "Move my appointment to this time",
        "moved": "Your appointment has been moved.",
        "cancel_link": "Cancel the appointment",
        "cancel": "Cancel this appointment",
        "cancelled": "Your appointment is cancelled.",
        "google": "Add to Google Calendar",
    },
    "fr": {
        "heading": "Prendre rendez-vous : Passport Service",
        "continue": "Continuer",
        "choose_day": "Choisissez un jour",
        "submit": "Réserver ce rendez-vous",
        "booked": "Votre rendez-vous est réservé.",
        "name_error": "Indiquez votre nom",
        "name": "Nom et prénom",
        "email": "Adresse e-mail",
        "phone": "Téléphone",
        "reschedule": "Changer la date ou l'heure",
        "move": "Déplacer mon rendez-vous à cet horaire",
        "moved": "Votre rendez-vous a été déplacé.",
        "cancel_link": "Annuler le rendez-vous",
        "cancel": "Annuler ce rendez-vous",
        "cancelled": "Votre rendez-vous est annulé.",
        "google": "Ajouter à Google Agenda",
    },
}


def _full_day(day: date, lang: str) -> str:
    """ "mardi 8 décembre 2026" / "Tuesday 8 December 2026", whatever the date."""
    if lang == "fr":
        return (
            f"{FRENCH_WEEKDAYS[day.weekday()]} {day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"
        )
    return f"{day:%A} {day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


async def _api(server: Server, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.base) as http:
        return await http.request(
            method, path, headers={"X-API-Key": server.api_key}, timeout=30, **kwargs
        )


async def _balance(server: Server) -> int:
    response = await _api(server, "GET", "/api/v1/credits")
    assert response.status_code == 200, response.text
    return int(response.json()["balance"])


async def _appointment_named(server: Server, name: str, day: str) -> dict[str, Any]:
    listed = await _api(
        server,
        "GET",
        "/api/v1/appointments",
        params={"departmentId": PASSPORTS, "startDate": f"{day}T00:00:00", "size": 100},
    )
    mine = [a for a in listed.json()["appointments"] if a["name"] == name]
    assert len(mine) == 1, mine
    found: dict[str, Any] = mine[0]
    return found


async def check_page(page: Page, server: Server, name: str) -> None:
    """axe-core in the page: no serious or critical violation; nothing wider than the screen;
    a full-page screenshot (SQLite run only) named with the page, language and width."""
    await page.wait_for_load_state()
    serious = await serious_violations(page)
    assert serious == [], f"{name}: {serious}"
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"
    if server.backend == "sqlite":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"] if page.viewport_size else 0
        await page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


async def _visitor(
    browser: Browser, server: Server, width: str, lang: str
) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(
        viewport=WIDTHS[width],  # type: ignore[arg-type]
        locale="fr-FR" if lang == "fr" else "en-GB",
        timezone_id=VISITOR_ZONE,
    )
    # Injected by the browser's debugging protocol, so the pages' CSP (script-src 'self')
    # stays on and is tested as it is.
    await ctx.add_init_script(path=str(AXE))
    ctx.set_default_timeout(15_000)
    yield ctx
    await ctx.close()


@pytest.fixture(params=["1280", "390"])
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["en", "fr"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def visitor(browser: Browser, server: Server, width: str, lang: str) -> AsyncIterator[Page]:
    async for ctx in _visitor(browser, server, width, lang):
        page = await ctx.new_page()
        yield page


async def _pick_day(page: Page, skip: int = 0) -> str:
    """Click a day with free times on the month calendar (going to the next month when this one
    has too few), and return it."""
    days = page.locator("#month a.day.free")
    while await days.count() <= skip and await page.locator("#month-next").count():
        skip -= await days.count()
        await page.locator("#month-next").click()
    link = days.nth(min(skip, await days.count() - 1))
    day = await link.get_attribute("data-day")
    assert day is not None
    await link.click()
    await expect(page.locator(f'#month a[data-day="{day}"]')).to_have_attribute(
        "aria-current", "true"
    )
    return day


async def test_a_visitor_books_reschedules_and_cancels_on_the_month_calendar(
    visitor: Page, server: Server, width: str, lang: str
) -> None:
    page = visitor
    w = WORDS[lang]
    name = f"Awa Calendar {lang} {width}"
    tag = f"{lang}-{width}"
    before = await _balance(server)

    await page.goto(server.url(f"/book/{PASSPORTS}?lang={lang}"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(w["heading"])
    await check_page(page, server, f"book-type-{lang}")
    await page.locator('label[for^="type-"]').first.click()
    await page.get_by_role("button", name=w["continue"]).click()

    # The month calendar, with the day's times beside it (below on a phone), in the visitor's
    # zone, detected by the browser; the office's zone named.
    await expect(page.get_by_role("heading", name=w["choose_day"])).to_be_visible()
    await expect(page).to_have_url(re.compile(r"tz=Europe%2FParis"))
    await expect(page.locator("#tz")).to_have_value(VISITOR_ZONE)
    await expect(page.locator("#zone-note")).to_contain_text(OFFICE_ZONE)
    assert await page.locator("#month span.day.none").count() > 0  # weekends: disabled
    day = await _pick_day(page, 1)
    await expect(page.locator("#chosen-day")).to_have_text(_full_day(date.fromisoformat(day), lang))
    calendar = await page.locator(".month-card").bounding_box()
    times = await page.locator(".slots-card").bounding_box()
    assert calendar is not None
    assert times is not None
    if width == "1280":  # side by side
        assert times["x"] > calendar["x"] + calendar["width"] - 1
        assert abs(times["y"] - calendar["y"]) < 2
    else:  # stacked
        assert times["y"] >= calendar["y"] + calendar["height"] - 1
    await check_page(page, server, f"book-calendar-{lang}")

    # Sent empty: every error next to its field, the focus on the first (the times).
    await page.get_by_role("button", name=w["submit"]).click()
    await expect(page.locator(".field-error")).to_have_count(4)
    await expect(page.locator("#name-error")).to_contain_text(w["name_error"])
    await expect(page.locator("#time-1")).to_be_focused()
    await expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    await check_page(page, server, f"book-errors-{lang}")

    await page.locator('label[for="time-1"]').click()
    chosen = await page.locator("#time-1").get_attribute("value")
    assert chosen is not None
    await page.get_by_label(w["name"]).fill(name)
    await page.get_by_label(w["email"]).fill(f"calendar.{tag}.{server.backend}@example.org")
    await page.get_by_label(w["phone"]).fill("+224 621 00 00 03")
    await page.get_by_role("button", name=w["submit"]).click()

    await expect(page).to_have_url(re.compile(r"/book/appointment/[A-Za-z0-9_-]{43}\?tz="))
    await expect(page.locator("#booked-notice")).to_have_text(w["booked"])
    booked = await _appointment_named(server, name, chosen[:10])
    assert booked["dateTime"].startswith(chosen)  # the office's wall-clock time
    assert await _balance(server) == before - 1
    # The office's hours keep the day the same in Paris: the full date, with its year.
    await expect(page.locator("#appointment-when")).to_contain_text(
        _full_day(date.fromisoformat(chosen[:10]), lang)
    )
    await expect(page.locator("#appointment-zone")).to_contain_text("Europe/Paris")
    await expect(page.locator("#appointment-office-time")).to_contain_text(chosen[11:16])
    await expect(page.locator("#appointment-address")).to_have_text(
        "Avenue de la République, Kaloum, Conakry"
    )
    await expect(page.locator("#google-link")).to_contain_text(w["google"])
    await check_page(page, server, f"book-confirmation-{lang}")

    # Reschedule through the private link, to another day.
    await page.get_by_role("link", name=w["reschedule"]).click()
    await expect(page.locator("#appointment-status")).to_be_visible()
    other = await _pick_day(page, 3)
    assert other != chosen[:10]
    await check_page(page, server, f"book-reschedule-{lang}")
    await page.locator('label[for="time-2"]').click()
    new_time = await page.locator("#time-2").get_attribute("value")
    assert new_time is not None
    await page.get_by_role("button", name=w["move"]).click()
    await expect(page.locator("#booked-notice")).to_have_text(w["moved"])
    moved = await _appointment_named(server, name, min(new_time, chosen)[:10])
    assert moved["id"] == booked["id"]
    assert moved["dateTime"].startswith(new_time)
    assert await _balance(server) == before - 1  # moving costs nothing

    # Cancel through the private link: the credit comes back.
    await page.get_by_role("link", name=w["cancel_link"]).click()
    # The cancel page itself, not the confirmation still unloading (axe found no document).
    await expect(page.get_by_role("button", name=w["cancel"])).to_be_visible()
    await check_page(page, server, f"book-cancel-{lang}")
    await page.get_by_role("button", name=w["cancel"]).click()
    await expect(page.get_by_role("status")).to_have_text(w["cancelled"])
    await expect(page.get_by_role("button", name=w["cancel"])).to_have_count(0)
    await check_page(page, server, f"book-cancelled-{lang}")
    assert await _balance(server) == before


@pytest.fixture
async def phone(browser: Browser, server: Server) -> AsyncIterator[Page]:
    async for ctx in _visitor(browser, server, "390", "en"):
        yield await ctx.new_page()


async def test_book_with_the_keyboard_alone_on_a_phone(phone: Page, server: Server) -> None:
    page = phone
    before = await _balance(server)
    await page.goto(server.url(f"/book/{PASSPORTS}?tz={OFFICE_ZONE}"))
    assert await assert_accessible_form_fields(page) == 2  # one radio button per type
    await tab_to(page, 'input[name="type"]')
    await page.keyboard.press("ArrowDown")  # the second type: Passport collection
    await tab_to(page, "#type-form button[type=submit]")
    await page.keyboard.press("Enter")

    await expect(page.locator("#chosen-type")).to_contain_text("Passport collection")
    await tab_to(page, "#month a.day.free")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("group", name=re.compile("Free times on"))).to_be_visible()
    assert await assert_accessible_form_fields(page) >= 5  # zone, times, name, e-mail, phone
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
    await tab_to(page, "#book-form button[type=submit]")
    await page.keyboard.press("Enter")

    await expect(page).to_have_url(re.compile(r"/book/appointment/[A-Za-z0-9_-]{43}"))
    await expect(page.locator("#booked-notice")).to_have_text("Your appointment is booked.")
    await expect(page.locator(".qr svg")).to_be_visible()
    assert await _balance(server) == before - 1
    mine = await _appointment_named(server, "Mariama Keyboard", chosen[:10])
    assert mine["dateTime"].startswith(chosen)

    # The calendar file downloads without an API key.
    async with page.expect_download() as download_info:
        await tab_to(page, "#ics-link")
        await page.keyboard.press("Enter")
    download = await download_info.value
    assert download.suggested_filename == f"appointment-{mine['id']}.ics"

    # Staff find it in the dashboard's calendar, on its day, in its department.
    day = chosen[:10]
    await log_in(page, server, *server.staff)
    await page.goto(server.url(f"/dashboard/calendar?view=day&date={day}&department={PASSPORTS}"))
    block = page.locator("a.cal-block", has_text="Mariama Keyboard")
    await expect(block).to_be_visible()
    await expect(block.locator(".cal-time")).to_contain_text(chosen[11:16])


async def test_a_department_with_its_page_off_and_unknown_links_answer_a_friendly_404(
    visitor: Page, server: Server, width: str, lang: str
) -> None:
    page = visitor
    path = f"/api/v1/departments/{INTERVIEWS}"
    off = await _api(server, "PATCH", path, json={"bookingPageEnabled": False})
    assert off.status_code == 200, off.text
    try:
        response = await page.goto(server.url(f"/book/{INTERVIEWS}?lang={lang}"))
        assert response is not None
        assert response.status == 404
        await expect(page.get_by_role("alert")).to_be_visible()
        await check_page(page, server, f"book-closed-{lang}")
    finally:
        on = await _api(server, "PATCH", path, json={"bookingPageEnabled": True})
        assert on.status_code == 200, on.text
    response = await page.goto(server.url(f"/book/cancel/not-a-link?lang={lang}"))
    assert response is not None
    assert response.status == 404
    await check_page(page, server, f"book-bad-link-{lang}")


def _logo_png(width: int = 120, height: int = 40) -> bytes:
    """A small two-color PNG (a green band on white), written with zlib as the format says."""
    rows = b"".join(
        b"\0"
        + b"".join(
            (b"\x0b\x5d\x1e" if 8 <= y < 32 and x < 40 else b"\xff\xff\xff") for x in range(width)
        )
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_an_owner_brands_the_page_with_a_logo_and_an_accent_color(
    visitor: Page, server: Server, width: str, lang: str, tmp_path: Path
) -> None:
    page = visitor
    logo = tmp_path / "logo.png"
    logo.write_bytes(_logo_png())
    await page.goto(server.url("/dashboard/login?lang=en"))  # log_in reads English labels
    await log_in(page, server, *server.owner)
    await page.goto(server.url(f"/dashboard/settings/branding?lang={lang}"))
    try:
        # Too light for white text: refused next to the field, with the focus on it.
        await page.locator("#accent-color").fill("#8fd19e")
        await page.locator("#branding-form button[type=submit]").click()
        await expect(page.locator("#accent-color-error")).to_contain_text(":1")
        await expect(page.locator("#accent-color")).to_be_focused()
        await page.locator("#accent-color").fill("#0b5d1e")
        await page.locator("#logo").set_input_files(str(logo))
        await page.locator("#branding-form button[type=submit]").click()
        await expect(page.get_by_role("status")).to_be_visible()
        await expect(page.locator("img.logo-preview")).to_be_visible()
        if server.backend == "sqlite" and lang == "en":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(
                path=SCREENSHOTS / f"settings-branding-{width}.png", full_page=True
            )

        await page.goto(server.url(f"/book/{PASSPORTS}?lang={lang}"))
        await expect(page.locator("header img.logo")).to_be_visible()
        # Served and decoded (waited for: visible is not yet loaded).
        await page.wait_for_function("document.querySelector('header img.logo').complete")
        natural = await page.locator("header img.logo").evaluate("i => i.naturalWidth")
        assert natural == 120
        await page.get_by_role("button", name=WORDS[lang]["continue"]).click()
        await expect(page.locator("#tz")).to_have_value(VISITOR_ZONE)
        chosen = page.locator("#month a.day.free[aria-current]")
        # The accent, through brand.css under the CSP (retried: the sheet may still be loading).
        await expect(chosen).to_have_css("background-color", "rgb(11, 93, 30)")
        await check_page(page, server, f"book-branded-{lang}")
    finally:
        await page.goto(server.url("/dashboard/settings/branding"))
        await page.locator("#accent-color").fill("")
        if await page.locator("#remove-logo").count():
            await page.locator("#remove-logo").check()
        await page.locator("#branding-form button[type=submit]").click()
        await expect(page.get_by_role("status")).to_be_visible()

"""A receptionist's day in a real browser, at 1280 and 390 pixels, in English and French:
book a phone caller for a new client from a free cell of the time grid, find the appointment
in the week grid, drag it to another worker's free time and move it back with the keyboard
alone, check a client in from today's arrivals; axe-core on every staff page, and
screenshots of each at both widths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import log_in, snap, tab_to
from tests.e2e.conftest import SCREENSHOTS, Server

PHONE_390 = {"width": 390, "height": 844}
ZONE = "Africa/Conakry"  # no summer time: wall-clock hours are UTC hours
EVERY_DAY = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
# Zones 25 hours apart: in one of them it is between 01:00 and 21:00 now (as test_desk.py).
TODAY_ZONES = ("Africa/Conakry", "Pacific/Pago_Pago", "Pacific/Kiritimati")

WORDS = {
    "en": {
        "calendar": "Calendar",
        "department": "Department",
        "date": "Date",
        "show": "Show",
        "week": "Week",
        "name": "Name",
        "phone": "Phone (optional)",
        "email": "E-mail (optional)",
        "notes": "Notes (optional)",
        "search": "Find a client (name, phone or e-mail)",
        "book": "Book the appointment",
        "booked": "The appointment is booked",
        "moved_grid": "appointment is moved",
        "back": "Back to the calendar",
        "worker": "Worker",
        "desk": "Check-in desk",
        "checked_in": "{name} is checked in.",
        "check_in": "Check in {name}",
        "menu": "Menu",
        "clients": "Clients",
    },
    "fr": {
        "calendar": "Agenda",
        "department": "Service",
        "date": "Date",
        "show": "Afficher",
        "week": "Semaine",
        "name": "Nom",
        "phone": "Téléphone (facultatif)",
        "email": "E-mail (facultatif)",
        "notes": "Notes (facultatif)",
        "search": "Chercher un client (nom, téléphone ou e-mail)",
        "book": "Réserver le rendez-vous",
        "booked": "Le rendez-vous est réservé",
        "moved_grid": "est déplacé",
        "back": "Retour à l'agenda",
        "worker": "Agent",
        "desk": "Accueil des arrivées",
        "checked_in": "L'arrivée de {name} est enregistrée.",
        "check_in": "Arrivé : {name}",
        "menu": "Menu",
        "clients": "Clients",
    },
}


@dataclass(frozen=True)
class Desk:
    department_id: int
    department: str
    workers: tuple[int, int]
    worker_names: tuple[str, str]
    monday: date  # of a week ahead: every time of it is in the future, whatever today is


async def _api(server: Server, method: str, path: str, body: Any = None) -> Any:
    async with httpx.AsyncClient(
        base_url=server.base, headers={"X-API-Key": server.api_key}
    ) as http:
        response = await http.request(method, path, json=body)
    assert response.status_code < 300, response.text
    return response.json()


async def _desk(server: Server, tag: str) -> Desk:
    """A department with two workers who work 08:00-18:00 every day."""
    name = f"Front desk {tag}"
    department = await _api(server, "POST", "/api/v1/departments", {"name": name, "timeZone": ZONE})
    names = (f"Alpha {tag}", f"Bravo {tag}")
    ids = []
    for worker in names:
        created = await _api(
            server,
            "POST",
            "/api/v1/workers",
            {"name": worker, "departmentIds": [department["id"]]},
        )
        ranges = [{"weekday": d, "start": "08:00", "end": "18:00"} for d in EVERY_DAY]
        await _api(server, "PUT", f"/api/v1/workers/{created['id']}/hours", {"ranges": ranges})
        ids.append(created["id"])
    today = datetime.now(ZoneInfo(ZONE)).date()
    monday = today + timedelta(days=14 - today.weekday())
    return Desk(department["id"], name, (ids[0], ids[1]), names, monday)


async def _book_today(server: Server, name: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    zone = next(z for z in TODAY_ZONES if 1 <= now.astimezone(ZoneInfo(z)).hour <= 21)
    local = now.astimezone(ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0)
    department = await _api(
        server,
        "POST",
        "/api/v1/departments",
        {"name": f"Arrivals {name}", "timeZone": zone, "alwaysOpen": True},
    )
    start = local.replace(minute=0) + timedelta(hours=2)
    booked: dict[str, Any] = await _api(
        server,
        "POST",
        "/api/v1/appointments",
        {"departmentId": department["id"], "dateTime": start.isoformat(), "name": name},
    )
    return booked


async def _axe(page: Page, where: str) -> None:
    """axe-core in the page: no serious or critical violation."""
    serious = await serious_violations(page)
    assert serious == [], f"{where}: {serious}"


async def _both_widths(page: Page, server: Server, name: str) -> None:
    """axe at desktop and phone width, and screenshots of both."""
    await _axe(page, f"{name} (1280)")
    await page.set_viewport_size(PHONE_390)  # type: ignore[arg-type]
    await _axe(page, f"{name} (390)")
    await page.set_viewport_size({"width": 1280, "height": 800})
    await snap(page, server, name, PHONE_390)


async def _point(page: Page, day: date, time: str, worker: int) -> tuple[float, float]:
    """Where in the grid (viewport coordinates) the cell of `worker` at `day` `time` is."""
    found = await page.evaluate(
        """([wanted, resource]) => {
          const box = document.getElementById("time-grid");
          const look = () => {
            const area = box.getBoundingClientRect();
            const top = Math.max(area.top, 0), bottom = Math.min(area.bottom, innerHeight);
            const left = Math.max(area.left, 0), right = Math.min(area.right, innerWidth);
            for (let y = top + 2; y < bottom; y += 4) {
              for (let x = left + 2; x < right; x += 6) {
                const info = box.calendar.dateFromPoint(x, y);
                if (!info || !info.date || !info.resource) continue;
                const d = info.date, pad = (n) => String(n).padStart(2, "0");
                const when = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
                  `T${pad(d.getHours())}:${pad(d.getMinutes())}`;
                if (when === wanted && String(info.resource.id) === resource) return [x, y + 3];
              }
            }
            return null;
          };
          // Only what is on screen can be clicked: scroll down the page until the cell is.
          for (let tries = 0; tries < 15; tries++) {
            const point = look();
            if (point) return point;
            window.scrollBy(0, 200);
          }
          return null;
        }""",
        [f"{day.isoformat()}T{time}", str(worker)],
    )
    assert found, f"no cell for worker {worker} at {day} {time}"
    return float(found[0]), float(found[1])


async def _drag(page: Page, block: Locator, day: date, time: str, worker: int) -> None:
    """Drag `block` to `worker`'s cell at `day` `time`, as a mouse would."""
    await block.scroll_into_view_if_needed()
    box = await block.bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 4)
    await page.mouse.down()
    to = await _point(page, day, time, worker)
    await page.mouse.move(to[0], to[1], steps=12)
    await page.mouse.up()


async def _open_week_grid(page: Page, words: dict[str, str], desk: Desk) -> None:
    await page.get_by_label(words["date"], exact=True).fill(desk.monday.isoformat())
    await page.get_by_label(words["department"], exact=True).select_option(label=desk.department)
    await page.get_by_role("button", name=words["show"], exact=True).click()
    await expect(page.locator("#time-grid[data-ready=true]")).to_be_visible()


async def _worker_of(server: Server, appointment_id: int) -> int:
    body = await _api(server, "GET", f"/api/v1/appointments/{appointment_id}")
    return int(body["workerId"])


@pytest.mark.parametrize(
    ("width", "language"), [(1280, "en"), (390, "fr")], ids=["1280-en", "390-fr"]
)
async def test_a_receptionists_day(page: Page, server: Server, width: int, language: str) -> None:
    words = WORDS[language]
    tag = f"{server.backend}-{width}-{language}"
    desk = await _desk(server, tag)
    await page.set_viewport_size({"width": width, "height": 900})
    await log_in(page, server, *server.staff)
    if width <= 640:  # the menu, languages included, folds behind its button on a phone
        await expect(page.get_by_role("link", name=WORDS["en"]["calendar"])).to_be_hidden()
    if language == "fr":
        if width <= 640:
            await page.get_by_role("button", name=words["menu"]).click()
        await page.get_by_role("link", name="Français").click()
    if width <= 640:
        await page.get_by_role("button", name=words["menu"]).click()
    await page.get_by_role("link", name=words["calendar"], exact=True).click()
    await _open_week_grid(page, words, desk)

    # A phone caller, new client: a click on Alpha's free 10:00 on Monday.
    x, y = await _point(page, desk.monday, "10:00", desk.workers[0])
    await page.mouse.click(x, y)
    await expect(page.locator('input[name="time"][value="10:00"]')).to_be_checked()
    caller = f"Caller {tag}"
    await page.get_by_label(words["search"]).fill(caller)  # no such client yet
    await page.get_by_label(words["name"], exact=True).fill(caller)
    await page.get_by_label(words["phone"]).fill("+224 622 11 22 33")
    await page.get_by_label(words["email"]).fill(f"caller-{tag}@example.org")
    await page.get_by_label(words["notes"]).fill("Phoned at 8")
    await page.get_by_role("button", name=words["book"]).click()
    await expect(page.get_by_role("status")).to_contain_text(words["booked"])
    await expect(page.locator("#client-phone")).to_have_attribute("href", "tel:+224622112233")
    appointment_id = int(page.url.split("/")[-1].split("?")[0])
    assert await _worker_of(server, appointment_id) == desk.workers[0]

    # Found in the week grid, then dragged to Bravo's free 14:00.
    await page.get_by_role("link", name=re.compile(words["back"])).click()
    await page.get_by_role("link", name=words["week"], exact=True).click()
    await expect(page.locator("#time-grid[data-ready=true]")).to_be_visible()
    block = page.locator(f'#time-grid [data-appointment-id="{appointment_id}"]')
    await expect(block).to_contain_text(caller)
    # Bravo is taken at 15:00: that drop is refused in place with the rule's words.
    await _api(
        server,
        "POST",
        "/api/v1/appointments",
        {
            "departmentId": desk.department_id,
            "workerId": desk.workers[1],
            "dateTime": f"{desk.monday.isoformat()}T15:00:00",
            "name": "Already there",
        },
    )
    await _drag(page, block, desk.monday, "15:00", desk.workers[1])
    await expect(page.locator("#grid-message.error")).to_be_visible()
    assert await _worker_of(server, appointment_id) == desk.workers[0]
    await _drag(page, block, desk.monday, "14:00", desk.workers[1])
    await expect(page.locator("#grid-message")).to_contain_text(words["moved_grid"])
    assert await _worker_of(server, appointment_id) == desk.workers[1]

    # The same with the keyboard, in the grid: Tab to the appointment, Left (Alpha's column),
    # Down (half an hour later), Enter.
    await page.reload()
    await expect(page.locator("#time-grid[data-ready=true]")).to_be_visible()
    await tab_to(page, f'#time-grid [data-appointment-id="{appointment_id}"]', limit=200)
    await page.keyboard.press("ArrowLeft")
    await page.keyboard.press("ArrowDown")
    await expect(page.locator("#grid-message")).to_contain_text("14:30")
    await page.keyboard.press("Enter")
    await expect(page.locator("#grid-message")).to_contain_text(words["moved_grid"])
    await expect(block).to_be_focused()
    moved = await _api(server, "GET", f"/api/v1/appointments/{appointment_id}")
    assert moved["workerId"] == desk.workers[0]
    assert "T14:30" in moved["dateTime"]

    # And through its page: Enter opens it, pick Bravo and one of Bravo's free times.
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text(caller)
    await tab_to(page, "#move-worker")
    await page.keyboard.type("Bravo")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")  # show Bravo's free times
    await expect(page.locator("#move-worker")).to_have_value(str(desk.workers[1]))
    await tab_to(page, "#slot-1")
    await page.keyboard.press("Space")
    await tab_to(page, 'form[action$="/move"] button[type=submit]')
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_be_visible()
    assert await _worker_of(server, appointment_id) == desk.workers[1]

    # Today's arrivals: one tap checks the client in.
    arriving = f"Arriving {tag}"
    today = await _book_today(server, arriving)
    await page.goto(server.url("/dashboard/check-in"))
    await page.get_by_role("button", name=words["check_in"].format(name=arriving)).click()
    await expect(page.locator("#arrival-notice")).to_have_text(
        words["checked_in"].format(name=arriving)
    )
    body = await _api(server, "GET", f"/api/v1/appointments/{today['id']}")
    assert body["status"] == "CHECKED_IN"


async def test_staff_pages_pass_axe_at_both_widths(page: Page, server: Server) -> None:
    desk = await _desk(server, f"{server.backend}-axe")
    booked = await _api(
        server,
        "POST",
        "/api/v1/appointments",
        {
            "departmentId": desk.department_id,
            "workerId": desk.workers[0],
            "dateTime": f"{desk.monday.isoformat()}T09:00:00",
            "client": {
                "name": "Axe Client",
                "phone": "+224 600 00 00 00",
                "email": f"axe-{server.backend}@example.org",
            },
        },
    )
    await _book_today(server, f"Axe arrival {server.backend}")
    await log_in(page, server, *server.staff)
    week = f"/dashboard/calendar?department={desk.department_id}&date={desk.monday.isoformat()}"
    pages = {
        "desk-home": "/dashboard",
        "desk-calendar-week": week,
        "desk-calendar-day": week + "&view=day",
        "desk-new-appointment": f"/dashboard/appointments/new?department={desk.department_id}"
        f"&date={desk.monday.isoformat()}&time=10:00&worker={desk.workers[1]}",
        "desk-appointment": f"/dashboard/appointments/{booked['id']}",
        "desk-clients": "/dashboard/clients?q=Axe",
        "desk-client": f"/dashboard/clients/{booked['clientId']}",
        "desk-check-in": "/dashboard/check-in",
    }
    for name, path in pages.items():
        await page.goto(server.url(path))
        if "calendar" in name:
            await expect(page.locator("#time-grid[data-ready=true]")).to_be_visible()
        await _both_widths(page, server, name)
    # The phone menu, open.
    await page.set_viewport_size(PHONE_390)  # type: ignore[arg-type]
    await page.get_by_role("button", name="Menu").click()
    await expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    await _axe(page, "menu open (390)")
    if server.backend == "sqlite":
        await page.screenshot(path=SCREENSHOTS / "desk-menu-open-phone.png")


async def test_the_menu_is_one_row_at_1280_in_both_languages(page: Page, server: Server) -> None:
    await log_in(page, server, *server.owner)  # the owner's menu is the longest
    for language in ("en", "fr"):
        await page.goto(server.url(f"/dashboard?lang={language}"))
        tops = await page.evaluate(
            "[...document.querySelectorAll('.menu li')].map(li => li.getBoundingClientRect().top)"
        )
        assert len(tops) >= 10
        assert len(set(tops)) == 1, f"{language}: the menu wraps: {tops}"
        scroll = await page.evaluate(
            "(u => u.scrollWidth - u.clientWidth)(document.querySelector('.menu ul'))"
        )
        assert scroll <= 0, f"{language}: the menu needs {scroll}px more"


async def test_owner_pages_pass_axe_at_both_widths(page: Page, server: Server) -> None:
    """The rest of the dashboard, as an owner sees it (with the new menu)."""
    await log_in(page, server, *server.owner)
    for path in (
        "/dashboard/departments",
        "/dashboard/departments/5",
        "/dashboard/workers",
        "/dashboard/workers/42",
        "/dashboard/appointment-types",
        "/dashboard/credits",
        "/dashboard/webhooks",
        "/dashboard/settings/api",
    ):
        await page.goto(server.url(path))
        await _axe(page, f"{path} (1280)")
        await page.set_viewport_size(PHONE_390)  # type: ignore[arg-type]
        await _axe(page, f"{path} (390)")
        await page.set_viewport_size({"width": 1280, "height": 800})

"""Browser helpers for the end-to-end tests: log in, screenshots, label and keyboard checks."""

from __future__ import annotations

from playwright.async_api import Page

from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, Server


async def log_in(page: Page, server: Server, email: str, password: str) -> None:
    await page.goto(server.url("/dashboard/login"))
    await page.get_by_label("E-mail").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_load_state()


async def snap(page: Page, server: Server, name: str, phone: dict[str, int] = PHONE) -> None:
    """Keep a screenshot of the page at desktop and at phone width (SQLite run only)."""
    if server.backend != "sqlite":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)
    await page.set_viewport_size(phone)  # type: ignore[arg-type]
    await page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)
    # Nothing may stick out sideways at phone width.
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} is {overflow}px wider than a phone"
    await page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]


UNLABELLED_FIELDS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden')
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML)
"""

UNNAMED_CONTROLS = """
() => [...document.querySelectorAll('button, a[href]')]
  .filter(el => !(el.getAttribute('aria-label') || el.textContent).trim())
  .map(el => el.outerHTML)
"""


async def assert_accessible_form_fields(page: Page) -> int:
    """Every visible field has a label, every button and link a name; the fields counted."""
    assert await page.evaluate(UNLABELLED_FIELDS) == []
    assert await page.evaluate(UNNAMED_CONTROLS) == []
    count: int = await page.evaluate(
        "document.querySelectorAll('input:not([type=hidden]), select, textarea').length"
    )
    return count


async def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus (as a keyboard user)."""
    for _ in range(limit):
        if await page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")

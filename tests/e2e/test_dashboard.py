"""The dashboard in a real browser against a real server: login, API keys, roles, CSRF,
login throttling, languages, phone width, labels and keyboard-only use."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Dialog, Page, Route, expect

from tests.e2e.browser import assert_accessible_form_fields, log_in, snap, tab_to
from tests.e2e.conftest import LOCKED_EMAIL, Server


async def _api_get(server: Server, path: str, key: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.base) as http:
        return await http.get(path, headers={"X-API-Key": key})


async def test_log_in_see_home_and_credits_then_log_out(page: Page, server: Server) -> None:
    await page.goto(server.url("/dashboard"))
    await expect(page).to_have_url(re.compile(r"/dashboard/login\?next=/dashboard$"))
    await snap(page, server, "login")
    await log_in(page, server, *server.owner)
    await expect(page).to_have_url(server.url("/dashboard"))
    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_have_text(f"Welcome, {server.owner[0]}")
    await expect(page.get_by_role("cell", name="Passport Service")).to_be_visible()
    await snap(page, server, "home")

    await page.get_by_role("link", name="Credits").click()
    await expect(page.locator("#balance")).to_have_text(re.compile(r"^\d+ credits$"))
    await expect(page.locator("#ledger")).to_contain_text("Credits added")
    await snap(page, server, "credits")

    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("status")).to_have_text("You are logged out.")
    await page.goto(server.url("/dashboard/credits"))
    await expect(page).to_have_url(re.compile(r"/dashboard/login"))


async def test_create_an_api_key_use_it_and_revoke_it(page: Page, server: Server) -> None:
    await log_in(page, server, *server.owner)
    await page.get_by_role("link", name="API keys").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Settings → API")
    await snap(page, server, "settings-api")

    await page.get_by_label("Name").fill("Booking kiosk")
    await page.get_by_label("Read departments").check()
    await page.get_by_role("button", name="Create an API key").click()
    key = await page.get_by_label(re.compile("^API key")).input_value()
    assert key.startswith("sb_live_")
    await page.get_by_role("button", name="Copy").click()
    await expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert await page.evaluate("navigator.clipboard.readText()") == key
    await snap(page, server, "settings-api-created")

    departments = await _api_get(server, "/api/v1/departments", key)
    assert departments.status_code == 200
    # The demo's departments (the admin pages' e2e test may have added one to this server).
    assert {5, 8, 9} <= {d["id"] for d in departments.json()}
    assert (await _api_get(server, "/api/v1/appointments", key)).status_code == 200
    assert (await _api_get(server, "/api/v1/credits", key)).status_code == 403

    await page.get_by_role("link", name="I have copied it").click()
    await expect(page.locator("#new-key")).to_have_count(0)  # never shown again
    row = page.locator(f'tr[data-key-prefix="{key[:12]}"]')
    await expect(row).to_contain_text("Booking kiosk")
    await expect(row).not_to_contain_text("never")  # last used: just now
    messages: list[str] = []

    async def accept(dialog: Dialog) -> None:
        messages.append(dialog.message)
        await dialog.accept()

    page.once("dialog", accept)
    await row.get_by_role("button", name=f"Revoke the key {key[:12]}…").click()
    await expect(page.get_by_role("status")).to_have_text(f"The key {key[:12]}… is revoked.")
    assert messages == ["Revoke this key? Programs that use it will stop working."]
    await expect(row).to_contain_text("Revoked")
    revoked = await _api_get(server, "/api/v1/departments", key)
    assert revoked.status_code == 401
    assert revoked.json()["code"] == "UNAUTHORIZED"


async def test_staff_cannot_open_settings(page: Page, server: Server) -> None:
    await log_in(page, server, *server.staff)
    await expect(page.get_by_role("heading", level=1)).to_contain_text(server.staff[0])
    await expect(page.get_by_role("link", name="API keys")).to_have_count(0)
    await expect(page.get_by_role("link", name="Credits")).to_have_count(0)
    response = await page.goto(server.url("/dashboard/settings/api"))
    assert response is not None
    assert response.status == 403
    await expect(page.get_by_role("alert")).to_have_text("You do not have access to this page.")
    await snap(page, server, "forbidden")


async def test_forged_form_posts_are_rejected(page: Page, server: Server) -> None:
    await log_in(page, server, *server.owner)
    await page.goto(server.url("/dashboard/settings/api"))
    # A tampered synchroniser token on our own page: refused with an explanation.
    token = page.locator('form.stack input[name="csrf_token"]')
    await token.evaluate("el => el.value = 'forged'")
    await page.get_by_label("Name").fill("Tampered")
    await page.get_by_role("button", name="Create an API key").click()
    await expect(page.get_by_role("alert")).to_contain_text("did not come from this site")
    await snap(page, server, "csrf-rejected")

    # Another site posting to us: the session cookie (SameSite=Lax) does not even go along.
    forged = (
        f'<form method="post" action="{server.url("/dashboard/settings/api/keys")}">'
        '<input name="name" value="Forged" aria-label="n">'
        '<input name="scopes" value="admin" aria-label="s">'
        '<button type="submit">go</button></form>'
    )

    async def attacker(route: Route) -> None:
        await route.fulfill(content_type="text/html", body=forged)

    await page.route("http://attacker.example/**", attacker)
    await page.goto("http://attacker.example/")
    await page.get_by_role("button", name="go").click()
    # Treated as not logged in (sent to the login page, which passes a logged-in browser on
    # to the home page); neither the forged form nor a CSRF error page is reached.
    await expect(page).to_have_url(server.url("/dashboard"))
    await page.goto(server.url("/dashboard/settings/api"))
    await expect(page.locator("table")).not_to_contain_text("Forged")
    await expect(page.locator("table")).not_to_contain_text("Tampered")


async def test_repeated_failures_make_the_next_attempt_wait(page: Page, server: Server) -> None:
    for _ in range(5):
        await log_in(page, server, LOCKED_EMAIL, "wrong password")
        await expect(page.get_by_role("alert")).to_have_text("Invalid e-mail or password.")
    # From the fifth failure on, each next attempt waits (1 s, then doubling): keep guessing
    # until one comes too early, as a guesser would.
    for _ in range(20):
        await log_in(page, server, LOCKED_EMAIL, "wrong password")
        if "Too many" in (await page.get_by_role("alert").text_content() or ""):
            break
    await expect(page.get_by_role("alert")).to_have_text(
        re.compile(r"Too many failed logins\. Wait \d+ s and try again\.")
    )
    await expect(page.get_by_label("E-mail")).to_have_value(LOCKED_EMAIL)
    await snap(page, server, "login-locked")


async def test_language_switch(page: Page, server: Server) -> None:
    await page.goto(server.url("/dashboard/login"))
    await page.get_by_role("link", name="Français").click()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    await page.get_by_label("Adresse e-mail").fill(server.owner[0])
    await page.get_by_label("Mot de passe").fill(server.owner[1])
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("heading", name="Rendez-vous du jour")).to_be_visible()
    await page.get_by_role("link", name="Crédits").click()  # the choice is remembered
    await expect(page.get_by_role("heading", level=1)).to_have_text("Crédits")
    await snap(page, server, "credits-fr")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Credits")


async def test_every_form_field_has_a_label(page: Page, server: Server) -> None:
    await page.goto(server.url("/dashboard/login"))
    assert await assert_accessible_form_fields(page) == 2
    await log_in(page, server, *server.owner)
    counted = {}
    for path in ("/dashboard", "/dashboard/credits", "/dashboard/x", "/dashboard/settings/api"):
        await page.goto(server.url(path))
        counted[path] = await assert_accessible_form_fields(page)
    assert counted["/dashboard/settings/api"] >= 8  # the name and every scope
    await page.get_by_label("Name").fill("Labelled")
    await page.get_by_role("button", name="Create an API key").click()
    await expect(page.locator("#new-key")).to_be_visible()
    assert await assert_accessible_form_fields(page) >= 9  # and the new key's field


async def test_keyboard_only_login_and_key_creation(page: Page, server: Server) -> None:
    await page.goto(server.url("/dashboard/login"))
    await tab_to(page, "#email")
    await page.keyboard.type(server.owner[0])
    await page.keyboard.press("Tab")
    await page.keyboard.type(server.owner[1])
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(server.url("/dashboard"))

    await tab_to(page, 'a[href="/dashboard/settings/api"]')
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Settings → API")
    await tab_to(page, "#key-name")
    await page.keyboard.type("Keyboard key")
    await tab_to(page, 'input[value="credits:read"]')
    await page.keyboard.press("Space")
    await tab_to(page, "form.stack button[type=submit]")
    await page.keyboard.press("Enter")
    await expect(page.locator("#new-key")).to_be_visible()
    key = await page.locator("#new-key").input_value()
    await tab_to(page, "button[data-copy]")
    await page.keyboard.press("Enter")
    await expect(page.locator("button[data-copy]")).to_have_text("Copied")
    assert await page.evaluate("navigator.clipboard.readText()") == key
    assert (await _api_get(server, "/api/v1/credits", key)).status_code == 200

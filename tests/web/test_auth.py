"""Dashboard login: session cookie, CSRF on every form, throttling, logout, session expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from tests.support import Login, TestClock
from tests.web.dashboard import LOGIN, hidden, log_in, login_form, page_token


def _set_cookie(response: httpx.Response, name: str) -> str:
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert headers, f"no Set-Cookie for {name}"
    return headers[0]


async def test_pages_need_a_login(client: httpx.AsyncClient) -> None:
    for path in ("/dashboard", "/dashboard/credits", "/dashboard/settings/api"):
        response = await client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"{LOGIN}?next={path}"


async def test_log_in_and_out(client: httpx.AsyncClient, owner: Login) -> None:
    response = await log_in(client, owner)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    cookie = _set_cookie(response, "slotbook_session")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie  # plain HTTP here; see the HTTPS test

    home = await client.get("/dashboard")
    assert home.status_code == 200
    assert owner.email in home.text
    assert home.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]

    session = client.cookies["slotbook_session"]
    out = await client.post(
        "/dashboard/logout", data={"csrf_token": hidden(home.text, "csrf_token")}
    )
    assert out.status_code == 303
    assert out.headers["location"] == f"{LOGIN}?out=1"
    # The old cookie value is dead on the server, not just deleted in the browser.
    client.cookies.set("slotbook_session", session)
    assert (await client.get("/dashboard")).status_code == 303


async def test_session_cookie_is_secure_over_https(app: FastAPI, owner: Login) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as https:
        response = await log_in(https, owner)
        assert response.status_code == 303
        assert "Secure" in _set_cookie(response, "slotbook_session")


@pytest.mark.parametrize("password", ["wrong password", ""])
async def test_wrong_password(client: httpx.AsyncClient, owner: Login, password: str) -> None:
    response = await log_in(client, owner, password)
    assert response.status_code == 401
    assert "Invalid e-mail or password" in response.text
    assert "slotbook_session" not in client.cookies
    assert hidden(response.text, "csrf_token")  # the form comes back, ready to retry


async def test_unknown_email_reads_like_a_wrong_password(client: httpx.AsyncClient) -> None:
    response = await log_in(client, Login("nobody@example.org", "whatever-password"))
    assert response.status_code == 401
    assert "Invalid e-mail or password" in response.text


async def test_login_without_matching_csrf_is_refused(
    client: httpx.AsyncClient, owner: Login
) -> None:
    fields = {"email": owner.email, "password": owner.password}
    # No token; a token but no cookie (a forged cross-site post); a token that differs.
    assert (await client.post(LOGIN, data=fields)).status_code == 403
    token = await login_form(client)
    cookie = client.cookies.pop("slotbook_login_csrf")
    forged = await client.post(LOGIN, data={**fields, "csrf_token": token})
    assert forged.status_code == 403
    assert "did not come from this site" in forged.text
    client.cookies.set("slotbook_login_csrf", cookie)
    for bad in ("x" * len(token), "é"):
        refused = await client.post(LOGIN, data={**fields, "csrf_token": bad})
        assert refused.status_code == 403
    assert "slotbook_session" not in client.cookies
    assert (await client.post(LOGIN, data={**fields, "csrf_token": token})).status_code == 303


async def test_forms_of_a_session_need_its_csrf_token(
    client: httpx.AsyncClient, owner: Login
) -> None:
    await log_in(client, owner)
    token = await page_token(client)
    altered = token[:-1] + ("1" if token[-1] == "0" else "0")
    for data in ({}, {"csrf_token": ""}, {"csrf_token": altered}, {"csrf_token": "ü"}):
        refused = await client.post("/dashboard/logout", data=data)
        assert refused.status_code == 403, data
    assert (await client.get("/dashboard")).status_code == 200  # still logged in
    assert (await client.post("/dashboard/logout", data={"csrf_token": token})).status_code == 303


async def test_failures_delay_the_next_attempt_without_locking_the_owner_out(
    client: httpx.AsyncClient, owner: Login, clock: TestClock
) -> None:
    clock.freeze(datetime.now(UTC))
    for _ in range(5):
        assert (await log_in(client, owner, "wrong password")).status_code == 401
    # The fifth failure makes the next attempt wait 1 s: even the right password, unchecked.
    early = await log_in(client, owner)
    assert early.status_code == 429
    assert "Wait 1 s and try again" in early.text
    clock.advance(timedelta(seconds=1))
    assert (await log_in(client, owner)).status_code == 303


async def test_a_success_resets_the_failure_count(client: httpx.AsyncClient, owner: Login) -> None:
    for _ in range(4):
        assert (await log_in(client, owner, "wrong password")).status_code == 401
    assert (await log_in(client, owner)).status_code == 303
    client.cookies.clear()
    for _ in range(4):
        assert (await log_in(client, owner, "wrong password")).status_code == 401
    assert (await log_in(client, owner)).status_code == 303


async def test_session_expires(client: httpx.AsyncClient, owner: Login, clock: TestClock) -> None:
    clock.freeze(datetime.now(UTC))
    await log_in(client, owner)
    clock.advance(timedelta(hours=11, minutes=59))
    assert (await client.get("/dashboard")).status_code == 200
    clock.advance(timedelta(minutes=2))
    assert (await client.get("/dashboard")).status_code == 303


@pytest.mark.parametrize(
    ("asked", "landing"),
    [
        ("/dashboard/credits", "/dashboard/credits"),
        ("https://evil.example/", "/dashboard"),
        ("//evil.example/", "/dashboard"),
        ("/dashboard\\@evil", "/dashboard"),
    ],
)
async def test_login_returns_only_to_dashboard_pages(
    client: httpx.AsyncClient, owner: Login, asked: str, landing: str
) -> None:
    token = await login_form(client)
    response = await client.post(
        LOGIN,
        data={"csrf_token": token, "email": owner.email, "password": owner.password, "next": asked},
    )
    assert response.headers["location"] == landing


async def test_junk_cookies_and_fields_never_crash(client: httpx.AsyncClient) -> None:
    client.cookies.set("slotbook_session", "x" * 5000)
    assert (await client.get("/dashboard")).status_code == 303
    token = await login_form(client)
    response = await client.post(
        LOGIN,
        data={"csrf_token": token, "email": "\x00" * 3, "password": "p" * 5000},
    )
    assert response.status_code == 401

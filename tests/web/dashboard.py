"""Helpers for dashboard tests: read forms' hidden fields and log in like a browser."""

from __future__ import annotations

import re

import httpx

from tests.support import Login

LOGIN = "/dashboard/login"


def hidden(html: str, name: str) -> str:
    """The value of the first hidden input called `name` in the page."""
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no hidden field {name!r} in the page"
    return match.group(1)


async def login_form(client: httpx.AsyncClient) -> str:
    page = await client.get(LOGIN)
    assert page.status_code == 200
    return hidden(page.text, "csrf_token")


async def log_in(
    client: httpx.AsyncClient, login: Login, password: str | None = None
) -> httpx.Response:
    token = await login_form(client)
    return await client.post(
        LOGIN,
        data={
            "csrf_token": token,
            "email": login.email,
            "password": login.password if password is None else password,
            "next": "/dashboard",
        },
    )


async def page_token(client: httpx.AsyncClient, path: str = "/dashboard") -> str:
    """The session's CSRF token, as the logged-in page at `path` carries it."""
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return hidden(page.text, "csrf_token")

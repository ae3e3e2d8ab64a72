"""Log in and log out of the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from slotbook.application.users import log_in, log_out, session_user
from slotbook.web.errors import LOGIN_PATH, shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import redirect, render, translator
from slotbook.web.session import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    check_login_csrf,
    checked_form,
    clear_cookie,
    container_of,
    login_csrf_of,
    login_policy,
    new_login_csrf,
    session_lifetime,
    session_token,
    set_cookie,
)

router = APIRouter(prefix="/dashboard")

HOME_PATH = "/dashboard"


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a dashboard path only, never another site."""
    if (
        target
        and target.startswith("/dashboard")
        and not target.startswith("//")
        and "\\" not in target
        and len(target) <= 2000
    ):
        return target
    return HOME_PATH


def login_page(
    request: Request,
    *,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
    email: str = "",
    next_path: str | None = None,
) -> Response:
    token = login_csrf_of(request) or new_login_csrf()
    response = render(
        request,
        "login.html",
        {
            "login_csrf": token,
            "error": error,
            "notice": notice,
            "email": email,
            "next": safe_next(next_path),
        },
        status=status,
        page_path=LOGIN_PATH,
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=None)
    return response


@router.get("/login")
async def login_form(
    request: Request,
    next: Annotated[str | None, Query(max_length=2000)] = None,
    out: Annotated[bool, Query()] = False,
    expired: Annotated[bool, Query()] = False,
) -> Response:
    token = session_token(request)
    services = container_of(request).services
    if token and await session_user(services, token) is not None:
        return redirect(safe_next(next))
    key = "login.logged_out" if out else "login.expired" if expired else None
    notice = translator(request)(key) if key else None
    return login_page(request, notice=notice, next_path=next)


async def _login_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    return login_page(
        request,
        status=status,
        error=message,
        email=text_field(form, "email", 254),
        next_path=text_field(form, "next", 2000),
    )


@router.post("/login")
@shows_errors_with(_login_again)
async def login_submit(request: Request) -> Response:
    form = await request.form()
    check_login_csrf(request, text_field(form, CSRF_FIELD))
    container = container_of(request)
    old = session_token(request)
    if old:
        await log_out(container.services, old)
    lifetime = session_lifetime(container)
    logged_in = await log_in(
        container.services,
        container.login_throttle,
        text_field(form, "email", 1000),
        text_field(form, "password", 4096),
        request.client.host if request.client else "unknown",
        login_policy(container),
        lifetime,
    )
    response = redirect(safe_next(text_field(form, "next", 2000)))
    set_cookie(request, response, SESSION_COOKIE, logged_in.token, int(lifetime.total_seconds()))
    clear_cookie(request, response, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, user: CurrentUser) -> Response:
    await checked_form(request, user)
    token = session_token(request)
    if token:
        await log_out(container_of(request).services, token)
    response = redirect(f"{LOGIN_PATH}?out=1")
    clear_cookie(request, response, SESSION_COOKIE)
    return response

"""Dashboard sessions: the cookie, the logged-in user of a request, and CSRF checks on forms."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from slotbook.application.users import SessionUser, csrf_matches, session_user
from slotbook.bootstrap import Container
from slotbook.domain.errors import CsrfRejected, Forbidden, Unauthorized
from slotbook.domain.users import LoginPolicy

SESSION_COOKIE = "slotbook_session"
# Before login there is no session to bind a token to: the login form uses a double-submit
# cookie instead (a random value in an HttpOnly cookie that the form must echo).
LOGIN_CSRF_COOKIE = "slotbook_login_csrf"
CSRF_FIELD = "csrf_token"
MAX_TOKEN_LENGTH = 128


def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def login_policy(container: Container) -> LoginPolicy:
    settings = container.settings
    return LoginPolicy(
        free_failures=settings.login_free_failures,
        max_delay=timedelta(seconds=settings.login_max_delay_seconds),
        address_free_failures=settings.login_address_free_failures,
        address_max_delay=timedelta(seconds=settings.login_address_max_delay_seconds),
    )


def session_lifetime(container: Container) -> timedelta:
    return timedelta(hours=container.settings.session_hours)


def secure_cookies(request: Request) -> bool:
    """Whether cookies get `Secure`: as configured (SLOTBOOK_SECURE_COOKIES, by default on
    when SLOTBOOK_PUBLIC_BASE_URL is https), since behind a TLS-terminating proxy the request
    itself is plain HTTP; and always for a request that did arrive over HTTPS."""
    return container_of(request).settings.cookies_secure or request.url.scheme == "https"


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    """HttpOnly and SameSite=Lax always; Secure as `secure_cookies` says."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path="/", httponly=True, samesite="lax", secure=secure_cookies(request)
    )


def session_token(request: Request) -> str | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return token


async def _current_user(request: Request) -> SessionUser:
    token = session_token(request)
    user = await session_user(container_of(request).services, token) if token else None
    if user is None:
        raise Unauthorized("Log in to use the dashboard")
    request.state.user = user
    return user


async def _owner(user: Annotated[SessionUser, Depends(_current_user)]) -> SessionUser:
    if not user.is_owner:
        raise Forbidden("Only an owner of the organization can open this page")
    return user


CurrentUser = Annotated[SessionUser, Depends(_current_user)]
OwnerUser = Annotated[SessionUser, Depends(_owner)]


async def checked_form(request: Request, user: SessionUser) -> FormData:
    """The posted form, once its CSRF field matched the session's synchroniser token."""
    form = await request.form()
    presented = form.get(CSRF_FIELD)
    if not csrf_matches(user.csrf_token, presented if isinstance(presented, str) else None):
        raise CsrfRejected()
    return form


def new_login_csrf() -> str:
    return secrets.token_urlsafe(32)


def login_csrf_of(request: Request) -> str | None:
    value = request.cookies.get(LOGIN_CSRF_COOKIE)
    return value if value and len(value) <= MAX_TOKEN_LENGTH else None


def check_login_csrf(request: Request, presented: str | None) -> None:
    expected = login_csrf_of(request)
    if expected is None or not csrf_matches(expected, presented):
        raise CsrfRejected()

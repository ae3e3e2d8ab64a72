"""Errors on dashboard pages: a page in the user's language instead of the JSON envelope.

api/errors.py chooses the status (the only map from errors to HTTP) and calls `error_page`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from slotbook.domain.errors import (
    BookingRefused,
    Conflict,
    CsrfRejected,
    DomainError,
    InsufficientCredits,
    InvalidCredentials,
    InvalidRequest,
    InvalidTransition,
    LoginThrottled,
    Unauthorized,
)
from slotbook.web.rendering import redirect, render, translator

# Paths served as HTML pages: the dashboard, and the public booking page (web/routers/booking).
WEB_PREFIXES = ("/dashboard", "/book")
PUBLIC_PREFIX = "/book"


LOGIN_PATH = "/dashboard/login"

# Refusals a person fixes by correcting the form; they come back as that form, not an error page.
FORM_ERRORS: tuple[type[DomainError], ...] = (
    InvalidRequest,
    Conflict,
    InvalidCredentials,
    LoginThrottled,
    CsrfRejected,
    InsufficientCredits,
    InvalidTransition,
    BookingRefused,
)

# (request, status, message in the user's language) -> the form's page again, with the message.
FormPage = Callable[[Request, int, str], Awaitable[Response]]
_FORM_PAGES: dict[Callable[..., Any], tuple[FormPage, tuple[type[DomainError], ...]]] = {}
E = TypeVar("E", bound=Callable[..., Any])


def shows_errors_with(
    page: FormPage, *, also: tuple[type[DomainError], ...] = ()
) -> Callable[[E], E]:
    """Mark a form-handling route: its FORM_ERRORS, and the errors in `also`, are shown by
    `page` (applied before @router.post, i.e. written below it)."""

    def register(endpoint: E) -> E:
        _FORM_PAGES[endpoint] = (page, FORM_ERRORS + also)
        return endpoint

    return register


def is_web_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in WEB_PREFIXES)


def message_for(request: Request, error: DomainError) -> str:
    """The refusal in the user's language where the catalogue has its code, else as raised
    (the domain's English sentence)."""
    t = translator(request)
    if isinstance(error, LoginThrottled):
        return t("error.LOGIN_THROTTLED", seconds=error.retry_after_seconds)
    key = f"error.{error.code}"
    return t(key) if t.has(key) else error.message


async def error_page(request: Request, status: int, error: DomainError) -> Response | None:
    path = request.url.path
    if not is_web_path(path):
        return None
    registered = _FORM_PAGES.get(request.scope.get("endpoint"))  # type: ignore[arg-type]
    if registered is not None and isinstance(error, registered[1]):
        request.state.form_error = error  # for pages that word some refusals their own way
        return await registered[0](request, status, message_for(request, error))
    if isinstance(error, Unauthorized) and not isinstance(error, InvalidCredentials):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        next_path = target if request.method == "GET" else "/dashboard"
        return redirect(f"{LOGIN_PATH}?next={quote(next_path, safe='/')}")
    public = path == PUBLIC_PREFIX or path.startswith(PUBLIC_PREFIX + "/")
    return render(
        request,
        "book_error.html" if public else "error.html",
        {"status": status, "message": message_for(request, error)},
        status=status,
    )

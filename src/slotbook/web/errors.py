"""Errors on dashboard pages: a page in the user's language instead of the JSON envelope.

api/errors.py chooses the status (the only map from errors to HTTP) and calls `error_page`.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from slotbook.domain.errors import AccountLocked, DomainError, InvalidCredentials, Unauthorized
from slotbook.web.forms import text_field
from slotbook.web.rendering import redirect, render, translator
from slotbook.web.routers.auth import LOGIN_PATH, login_page

# Paths served as HTML pages; the public booking page will add "/book".
WEB_PREFIXES = ("/dashboard",)


def is_web_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in WEB_PREFIXES)


def message_for(request: Request, error: DomainError) -> str:
    t = translator(request)
    if isinstance(error, AccountLocked):
        return t("error.ACCOUNT_LOCKED", minutes=max(1, -(-error.retry_after_seconds // 60)))
    key = f"error.{error.code}"
    if t(key) != key:
        return t(key, message=error.message)
    for code in ("FORBIDDEN", "NOT_FOUND"):  # subclasses with their own code
        if error.code.endswith(code):
            return t(f"error.{code}")
    return t("error.INVALID_REQUEST", message=error.message)


async def error_page(request: Request, status: int, error: DomainError) -> Response | None:
    path = request.url.path
    if not is_web_path(path):
        return None
    if path == LOGIN_PATH and request.method == "POST":
        form = await request.form()
        return login_page(
            request,
            status=status,
            error=message_for(request, error),
            email=text_field(form, "email", 254),
            next_path=text_field(form, "next", 2000),
        )
    if isinstance(error, Unauthorized) and not isinstance(error, InvalidCredentials):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        next_path = target if request.method == "GET" else "/dashboard"
        return redirect(f"{LOGIN_PATH}?next={quote(next_path, safe='/')}")
    return render(
        request,
        "error.html",
        {"status": status, "message": message_for(request, error)},
        status=status,
    )

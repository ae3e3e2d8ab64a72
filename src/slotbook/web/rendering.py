"""Rendering pages: the Jinja2 environment, the words of the request's language, headers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from slotbook.application.users import SessionUser
from slotbook.web.i18n import LANGUAGE_COOKIE, LANGUAGES, Translator, negotiate, requested_language
from slotbook.web.session import secure_cookies

TEMPLATES = Jinja2Templates(directory=Path(__file__).with_name("templates"))

# Only our own files: no inline script or style, nothing from another origin, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Pages show personal data and, once, a new API key: never keep them in a cache.
    "Cache-Control": "no-store",
}
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class NavItem:
    """One entry of the main menu; later pages (calendar, check-in desk...) add theirs here."""

    key: str  # message key of its label, and the `active` name a page passes
    path: str
    owner_only: bool = False


NAV: list[NavItem] = [
    NavItem("nav.home", "/dashboard"),
    NavItem("nav.calendar", "/dashboard/calendar"),
    NavItem("nav.check_in", "/dashboard/check-in"),
    NavItem("nav.clients", "/dashboard/clients"),
    NavItem("nav.departments", "/dashboard/departments", owner_only=True),
    NavItem("nav.workers", "/dashboard/workers", owner_only=True),
    NavItem("nav.appointment_types", "/dashboard/appointment-types", owner_only=True),
    NavItem("nav.credits", "/dashboard/credits", owner_only=True),
    NavItem("nav.webhooks", "/dashboard/webhooks", owner_only=True),
    NavItem("nav.settings_api", "/dashboard/settings/api", owner_only=True),
]


def translator(request: Request) -> Translator:
    return Translator(negotiate(request))


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    user: SessionUser | None = None,
    active: str | None = None,
    page_path: str | None = None,
) -> Response:
    """A page in the request's language; `page_path` is where the language links lead when
    the page answers a form post (so a switch does not re-post)."""
    t = translator(request)
    user = user or getattr(request.state, "user", None)
    base = page_path or request.url.path
    language_links = [
        (code, t(f"lang.{code}"), f"{base}?lang={code}", code == t.language) for code in LANGUAGES
    ]
    nav = [item for item in NAV if user is not None and (user.is_owner or not item.owner_only)]
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "t": t,
            "lang": t.language,
            "user": user,
            "csrf_token": user.csrf_token if user else None,
            "nav": nav,
            "active": active,
            "language_links": language_links,
            **(context or {}),
        },
        status_code=status,
        headers=SECURITY_HEADERS,
    )
    remember_language(request, response)
    return response


def remember_language(request: Request, response: Response) -> None:
    chosen = requested_language(request)
    if chosen is not None:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=LANGUAGE_COOKIE_SECONDS,
            path="/",
            samesite="lax",
            secure=secure_cookies(request),
        )


def redirect(url: str) -> Response:
    """After a successful form post: 303, so a reload does not post again."""
    return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)

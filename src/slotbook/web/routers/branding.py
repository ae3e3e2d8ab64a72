"""Settings → Branding (owners only): the accent color and logo of the public booking page and
of the e-mails."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from slotbook.application.branding import (
    BrandingChange,
    change_branding,
    organization_branding,
    organization_logo,
)
from slotbook.application.users import SessionUser
from slotbook.domain.branding import (
    HEX_COLOR,
    MAX_LOGO_BYTES,
    MIN_CONTRAST,
    accent_contrast,
    logo_type,
)
from slotbook.domain.errors import DomainError, InvalidRequest, NotFound
from slotbook.web.booking_form import field_errors
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.i18n import Translator
from slotbook.web.rendering import SECURITY_HEADERS, redirect, render, translator
from slotbook.web.session import OwnerUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/settings/branding")

PAGE = "/dashboard/settings/branding"
MAX_ACCENT_TEXT = 64


async def _page(
    request: Request,
    user: SessionUser,
    *,
    status: int = 200,
    context: dict[str, Any] | None = None,
) -> Response:
    branding = await organization_branding(container_of(request).services, user.principal)
    color = branding.accent_color
    return render(
        request,
        "branding.html",
        {
            "branding": branding,
            "accent": color or "",
            "contrast": f"{accent_contrast(color):.1f}" if color else None,
            "min_contrast": MIN_CONTRAST,
            "max_logo_kb": MAX_LOGO_BYTES // 1024,
            "error": None,
            "errors": {},
            "notice": None,
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.settings_api",
        page_path=PAGE,
    )


@router.get("")
async def settings_branding(request: Request, user: OwnerUser) -> Response:
    saved = request.query_params.get("saved") == "1"
    notice = translator(request)("branding.saved") if saved else None
    return await _page(request, user, context={"notice": notice})


async def _again(request: Request, status: int, message: str) -> Response:
    user: SessionUser = request.state.user
    form = await request.form()
    error: DomainError | None = getattr(request.state, "form_error", None)
    errors = field_errors(error.details if error is not None else None)
    return await _page(
        request,
        user,
        status=status,
        context={
            "error": None if errors else message,
            "errors": errors,
            "accent": _accent_text(form),
        },
    )


def _refuse(field: str, message: str) -> InvalidRequest:
    return InvalidRequest(message, details=[{"field": field, "message": message}])


def _check(t: Translator, accent: str, logo: bytes | None) -> None:
    """The domain's checks, worded for the owner in their language."""
    if accent and not HEX_COLOR.match(accent):
        raise _refuse("accent_color", t("branding.error.hex"))
    if accent and accent_contrast(accent) < MIN_CONTRAST:
        ratio = f"{accent_contrast(accent):.2f}"
        raise _refuse("accent_color", t("branding.error.contrast", ratio=ratio, min=MIN_CONTRAST))
    if logo is not None:
        try:
            logo_type(logo)
        except InvalidRequest:
            raise _refuse("logo", t("branding.error.logo", kb=MAX_LOGO_BYTES // 1024)) from None


def _accent_text(form: Any) -> str:
    """The color as typed; a very long value reads as "#" (refused), never as "no color"."""
    value = form.get("accent_color")
    if isinstance(value, str) and len(value) > MAX_ACCENT_TEXT:
        return "#"
    return text_field(form, "accent_color", MAX_ACCENT_TEXT).strip()


@router.post("")
@shows_errors_with(_again)
async def save_branding(request: Request, user: OwnerUser) -> Response:
    form = await checked_form(request, user)
    t = translator(request)
    upload = form.get("logo")
    logo: bytes | None = None
    if isinstance(upload, UploadFile) and upload.filename:
        logo = await upload.read(MAX_LOGO_BYTES + 1)
    accent = _accent_text(form)
    _check(t, accent, logo)
    change = BrandingChange(
        accent_color=accent,
        logo=logo,
        remove_logo=text_field(form, "remove_logo", 8) == "1",
    )
    await change_branding(container_of(request).services, user.principal, change)
    return redirect(f"{PAGE}?saved=1")


@router.get("/logo")
async def branding_logo(request: Request, user: OwnerUser) -> Response:
    """The current logo, for the owner's preview."""
    logo = await organization_logo(container_of(request).services, user.principal)
    if logo is None:
        raise NotFound("This organization has no logo")
    return Response(logo.data, media_type=logo.media_type, headers=SECURITY_HEADERS)

"""The check-in desk: type or scan an appointment's QR code and see it checked in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from slotbook.application.transitions import check_in_by_qr_code
from slotbook.application.users import SessionUser
from slotbook.domain.errors import Forbidden, InvalidRequest, NotFound
from slotbook.web.appointment_view import span_of
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import render, translator
from slotbook.web.session import CurrentUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/check-in")

PAGE = "/dashboard/check-in"
MAX_TOKEN = 64  # as the API's qrCode


def _desk(
    request: Request, user: SessionUser, *, status: int = 200, context: dict[str, Any] | None = None
) -> Response:
    return render(
        request,
        "check_in.html",
        {"checked_in": None, "error": None, "token": "", "span": span_of(translator(request))}
        | (context or {}),
        status=status,
        user=user,
        active="nav.check_in",
        page_path=PAGE,
    )


@router.get("")
async def desk(request: Request, user: CurrentUser) -> Response:
    return _desk(request, user)


async def _desk_again(request: Request, status: int, message: str) -> Response:
    t = translator(request)
    # An unknown code, or another organization's: one plain sentence for the desk.
    if status == 404:
        message = t("desk.not_found")
    elif status == 403 and message != t("error.CSRF_REJECTED"):
        message = t("desk.not_ours")
    form = await request.form()
    return _desk(
        request,
        request.state.user,
        status=status,
        context={"error": message, "token": text_field(form, "token", MAX_TOKEN)},
    )


@router.post("")
@shows_errors_with(_desk_again, also=(NotFound, Forbidden))
async def check_in(request: Request, user: CurrentUser) -> Response:
    form = await checked_form(request, user)
    token = text_field(form, "token", 4 * MAX_TOKEN).strip()
    if not token or len(token) > MAX_TOKEN:
        raise InvalidRequest(translator(request)("desk.token_required"))
    appointment = await check_in_by_qr_code(container_of(request).services, user.principal, token)
    return _desk(request, user, context={"checked_in": appointment})

"""The check-in desk: type or scan an appointment's QR code and see it checked in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from slotbook.application.appointments import ListQuery, get_appointment, list_appointments
from slotbook.application.scheduling import list_workers
from slotbook.application.transitions import check_in_by_qr_code
from slotbook.application.users import SessionUser
from slotbook.domain.appointments import Appointment, AppointmentStatus
from slotbook.domain.errors import DomainError, Forbidden, InvalidRequest, NotFound
from slotbook.web.appointment_view import local, span_of
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import render, translator
from slotbook.web.session import CurrentUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/check-in")

PAGE = "/dashboard/check-in"
MAX_TOKEN = 64  # as the API's qrCode
MAX_ARRIVALS = 500
EXPECTED = (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN)
# Every zone's "today" lies within this much of now.
AROUND = timedelta(hours=27)


async def _arrivals(request: Request, user: SessionUser) -> Sequence[Appointment]:
    """Today's appointments of each department, on its own day (its time zone), by time:
    those still expected and those who arrived."""
    services = container_of(request).services
    now = services.clock.now()
    found = await list_appointments(
        services,
        user.principal,
        ListQuery(size=MAX_ARRIVALS, start_date=now - AROUND, end_date=now + AROUND),
    )
    return [
        a
        for a in found.items
        if a.status in EXPECTED
        and local(a.starts_at, a.time_zone).date() == local(now, a.time_zone).date()
    ]


async def _desk(
    request: Request, user: SessionUser, *, status: int = 200, context: dict[str, Any] | None = None
) -> Response:
    services = container_of(request).services
    now = services.clock.now()
    workers = {w.id: w.name for w, _ in await list_workers(services, user.principal)}
    return render(
        request,
        "check_in.html",
        {
            "checked_in": None,
            "error": None,
            "notice": None,
            "token": "",
            "span": span_of(translator(request)),
            "arrivals": await _arrivals(request, user),
            "now": now,
            "local": local,
            "worker_names": workers,
        }
        | (context or {}),
        status=status,
        user=user,
        active="nav.check_in",
        page_path=PAGE,
    )


@router.get("")
async def desk(
    request: Request,
    user: CurrentUser,
    done: Annotated[str | None, Query(max_length=16)] = None,
    appointment: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    notice = None
    if done in ("check-in", "no-show") and appointment is not None:
        try:
            changed = await get_appointment(
                container_of(request).services, user.principal, appointment
            )
            notice = translator(request)(f"arrivals.done.{done}", name=changed.name)
        except DomainError:
            notice = None
    return await _desk(request, user, context={"notice": notice})


async def _desk_again(request: Request, status: int, message: str) -> Response:
    t = translator(request)
    # An unknown code, or another organization's: one plain sentence for the desk.
    if status == 404:
        message = t("desk.not_found")
    elif status == 403 and message != t("error.CSRF_REJECTED"):
        message = t("desk.not_ours")
    form = await request.form()
    return await _desk(
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
    return await _desk(request, user, context={"checked_in": appointment})

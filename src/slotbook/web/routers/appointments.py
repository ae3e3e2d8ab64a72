"""One appointment: its details and what the desk does with it (confirm, check in, no-show,
complete, cancel with a reason, move to another free slot)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from slotbook.application.appointment_details import (
    AppointmentChange,
    RescheduleRequest,
    change_appointment,
)
from slotbook.application.appointments import get_appointment
from slotbook.application.availability import SlotQuery, available_slots
from slotbook.application.cancellation import CancelRequest, cancel_appointment
from slotbook.application.clients import get_client
from slotbook.application.scheduling import list_workers
from slotbook.application.transitions import change_status
from slotbook.application.users import SessionUser
from slotbook.domain.appointments import (
    MOVABLE_STATUSES,
    TRANSITIONS,
    Appointment,
    AppointmentStatus,
    CancellationReason,
    cancellation_reason_label,
    check_in_open,
)
from slotbook.domain.errors import (
    BookingRefused,
    DomainError,
    InvalidRequest,
    NotFound,
    VersionMismatch,
)
from slotbook.domain.limits import MAX_ID, is_supported_year
from slotbook.domain.slots import Slot
from slotbook.domain.time import zone
from slotbook.web.appointment_view import local, span_of
from slotbook.web.errors import message_for, shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import redirect, render, translator
from slotbook.web.routers.calendar import optional_date, optional_id
from slotbook.web.session import CurrentUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/appointments")

S = AppointmentStatus
AppointmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
# The buttons of the page: URL word -> target status.
ACTIONS: dict[str, AppointmentStatus] = {
    "confirm": S.CONFIRMED,
    "check-in": S.CHECKED_IN,
    "no-show": S.MISSED,
    "complete": S.COMPLETED,
}
DONE = frozenset({*ACTIONS, "cancel", "move", "created"})
# After a desk booking: what became of the confirmation e-mail (application/confirmations).
MAIL_NOTICES = {
    "sent": "new.booked_mailed_short",
    "failed": "new.mail_failed",
    "address": "new.no_mail",
    "server": "new.no_mail",
    "unticked": "new.no_mail",
}
MAX_NOTE = 10_000
# Errors a person fixes on this page (a stale page, a slot taken meanwhile...): shown on it.
PAGE_ERRORS: tuple[type[DomainError], ...] = (BookingRefused, VersionMismatch)


def page_path(appointment_id: int) -> str:
    return f"/dashboard/appointments/{appointment_id}"


async def _page(
    request: Request,
    user: SessionUser,
    appointment_id: int,
    *,
    move_day: date | None = None,
    move_worker: int | None = None,
    status: int = 200,
    context: dict[str, Any] | None = None,
) -> Response:
    services = container_of(request).services
    principal = user.principal
    appointment = await get_appointment(services, principal, appointment_id)
    now = services.clock.now()
    t = translator(request)
    listed = await list_workers(services, principal)
    workers = {w.id: w.name for w, _ in listed}
    # Moving to another worker of the department (the keyboard's way of dragging on the grid).
    move_workers = [w for w, of in listed if appointment.department_id in of]
    if move_worker is None or move_worker not in {w.id for w in move_workers}:
        move_worker = appointment.worker_id
    client = None
    if appointment.client_id is not None:
        try:
            client = await get_client(services, principal, appointment.client_id)
        except DomainError:  # a key without clients:read sees the appointment only
            client = None
    allowed = TRANSITIONS[appointment.status]
    check_in_now = check_in_open(appointment.starts_at, now, zone(appointment.time_zone))
    actions = [
        word
        for word, target in ACTIONS.items()
        if target in allowed
        and (target is not S.MISSED or now >= appointment.starts_at)
        and (target is not S.CHECKED_IN or check_in_now)
    ]
    movable = appointment.status in MOVABLE_STATUSES
    slots: list[Slot] = []
    slots_error = None
    today = local(now, appointment.time_zone).date()
    day = move_day or max(local(appointment.starts_at, appointment.time_zone).date(), today)
    if movable:
        try:
            found = await available_slots(
                services,
                principal,
                SlotQuery(
                    appointment.department_id,
                    appointment.appointment_type_id,
                    move_worker,
                    day,
                    day,
                ),
            )
            slots = [
                s
                for s in found.slots
                if s.starts_at != appointment.starts_at or move_worker != appointment.worker_id
            ]
        except DomainError as error:  # e.g. the worker left the department: say why, no slots
            slots_error = message_for(request, error)
    return render(
        request,
        "appointment.html",
        {
            "a": appointment,
            "worker_name": workers.get(appointment.worker_id) if appointment.worker_id else None,
            "client": client,
            "move_workers": move_workers if appointment.worker_id is not None else [],
            "move_worker": move_worker,
            "actions": actions,
            "no_show_later": S.MISSED in allowed and now < appointment.starts_at,
            "check_in_later": S.CHECKED_IN in allowed and not check_in_now,
            "can_cancel": S.CANCELLED in allowed,
            "movable": movable,
            "move_day": day,
            "slots": slots,
            "slots_error": slots_error,
            "reasons": [
                (r.value, cancellation_reason_label(r, t.language)) for r in CancellationReason
            ],
            "reason_label": (
                cancellation_reason_label(appointment.cancellation_reason, t.language)
                if appointment.cancellation_reason is not None
                else None
            ),
            "span": span_of(t),
            "local": local,
            "error": None,
            "notice": None,
            "calendar_link": (
                f"/dashboard/calendar?view=day&date={day_of(appointment).isoformat()}"
                f"&department={appointment.department_id}"
            ),
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.calendar",
        page_path=page_path(appointment_id),
    )


def day_of(appointment: Appointment) -> date:
    return local(appointment.starts_at, appointment.time_zone).date()


@router.get("/{appointment_id:int}")
async def appointment_page(
    request: Request,
    user: CurrentUser,
    appointment_id: AppointmentId,
    move_date: Annotated[str | None, Query(alias="date", max_length=10)] = None,
    done: Annotated[str | None, Query(max_length=16)] = None,
    worker: Annotated[str | None, Query(max_length=10)] = None,
    mail: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    t = translator(request)
    notice = t(f"appointment.done.{done}") if done in DONE else None
    if done == "created" and mail in MAIL_NOTICES:
        notice = t(MAIL_NOTICES[mail], reason=t(f"new.no_mail.{mail}"))
    return await _page(
        request,
        user,
        appointment_id,
        move_day=optional_date(move_date),
        move_worker=optional_id(worker, "worker"),
        context={"notice": notice},
    )


async def _again(request: Request, status: int, message: str) -> Response:
    """The page again with the refusal; when even the page cannot be shown (another
    organization's appointment...), the plain error page."""
    user: SessionUser = request.state.user
    appointment_id = int(request.path_params["appointment_id"])
    try:
        return await _page(request, user, appointment_id, status=status, context={"error": message})
    except DomainError as error:
        return render(
            request,
            "error.html",
            {"status": status, "message": message_for(request, error)},
            status=status,
        )


def _version(request: Request, form: FormData) -> frozenset[int]:
    """The version the page showed, so a change made meanwhile by someone else is not
    overwritten (as the API's If-Match)."""
    value = text_field(form, "version", 10)
    if not value.isdigit():
        raise InvalidRequest(translator(request)("error.VERSION_MISMATCH"))
    return frozenset({int(value)})


@router.post("/{appointment_id:int}/cancel")
@shows_errors_with(_again, also=PAGE_ERRORS)
async def cancel(request: Request, user: CurrentUser, appointment_id: AppointmentId) -> Response:
    form = await checked_form(request, user)
    t = translator(request)
    reason_text = text_field(form, "reason", 4)
    reasons = {str(r.value): r for r in CancellationReason}
    if reason_text not in reasons:
        raise InvalidRequest(t("appointment.cancel.reason_required"))
    note = _note(form, t("appointment.cancel.note_invalid"))
    await cancel_appointment(
        container_of(request).services,
        user.principal,
        appointment_id,
        CancelRequest(reason=reasons[reason_text], note=note, if_match=_version(request, form)),
    )
    return redirect(f"{page_path(appointment_id)}?done=cancel")


def _note(form: FormData, invalid: str) -> str | None:
    raw = form.get("note")
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw) > MAX_NOTE:
        raise InvalidRequest(invalid)
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in raw):
        raise InvalidRequest(invalid)
    return raw.strip() or None


@router.post("/{appointment_id:int}/move")
@shows_errors_with(_again, also=PAGE_ERRORS)
async def move(request: Request, user: CurrentUser, appointment_id: AppointmentId) -> Response:
    form = await checked_form(request, user)
    t = translator(request)
    try:
        starts_at = datetime.fromisoformat(text_field(form, "starts_at", 40))
    except ValueError:
        raise InvalidRequest(t("appointment.move.slot_required")) from None
    if starts_at.tzinfo is None or not is_supported_year(starts_at):
        raise InvalidRequest(t("appointment.move.slot_required"))
    await change_appointment(
        container_of(request).services,
        user.principal,
        appointment_id,
        AppointmentChange(
            move=RescheduleRequest(
                date_time=starts_at, worker_id=optional_id(text_field(form, "worker", 10), "worker")
            ),
            if_match=_version(request, form),
        ),
    )
    return redirect(f"{page_path(appointment_id)}?done=move")


@router.post("/{appointment_id:int}/{action}")
@shows_errors_with(_again, also=PAGE_ERRORS)
async def change(
    request: Request,
    user: CurrentUser,
    appointment_id: AppointmentId,
    action: Annotated[str, Path(max_length=16)],
) -> Response:
    target = ACTIONS.get(action)
    if target is None:
        raise NotFound("This page does not exist")
    form = await checked_form(request, user)
    await change_status(
        container_of(request).services,
        user.principal,
        appointment_id,
        target,
        _version(request, form),
    )
    if text_field(form, "back", 8) == "desk":  # one tap on the desk's list of arrivals
        return redirect(f"/dashboard/check-in?done={action}&appointment={appointment_id}")
    return redirect(f"{page_path(appointment_id)}?done={action}")

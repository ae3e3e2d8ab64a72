"""/api/v1/appointments/{id}/…: status changes, cancel, archive, PATCH (reschedule and
details), conflicts, history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.preconditions import IfMatch, expected_versions, set_etag
from slotbook.api.schemas.appointments import AppointmentPatch, AppointmentRead
from slotbook.api.schemas.common import MAX_ID, LanguageQuery, PageFields, error_responses
from slotbook.api.schemas.lifecycle import (
    CancelBody,
    Conflicts,
    ConflictsRead,
    HistoryEntryRead,
    HistoryPage,
)
from slotbook.application.appointment_details import (
    AppointmentChange,
    archive_appointment,
    change_appointment,
    find_conflicts,
)
from slotbook.application.cancellation import CancelRequest, cancel_appointment
from slotbook.application.history import appointment_history
from slotbook.application.transitions import change_status
from slotbook.domain.appointments import Appointment, AppointmentStatus
from slotbook.domain.errors import InvalidRequest

router = APIRouter(prefix="/appointments", tags=["appointment lifecycle"])

AppointmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Appointment id")]
_WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 412, 429)


def _read(appointment: Appointment, response: Response, lang: str) -> AppointmentRead:
    set_etag(response, appointment.version)
    return AppointmentRead.of(appointment, "fr" if lang == "fr" else "en")


def _transition_route(path: str, target: AppointmentStatus, summary: str, doc: str) -> None:
    async def route(
        appointment_id: AppointmentId,
        principal: CurrentPrincipal,
        services: CurrentServices,
        response: Response,
        if_match: IfMatch = None,
        lang: LanguageQuery = "en",
    ) -> AppointmentRead:
        appointment = await change_status(
            services, principal, appointment_id, target, expected_versions(if_match)
        )
        return _read(appointment, response, lang)

    route.__doc__ = doc
    route.__name__ = f"{target.value.lower()}_appointment"
    router.post(
        f"/{{appointment_id:int}}/{path}",
        response_model=AppointmentRead,
        responses=_WRITE_ERRORS,
        summary=summary,
    )(route)


_transition_route(
    "confirm",
    AppointmentStatus.CONFIRMED,
    "Confirm an appointment",
    "SCHEDULED → CONFIRMED. Scope `appointments:write`.",
)
_transition_route(
    "check-in",
    AppointmentStatus.CHECKED_IN,
    "Check in (the person arrived)",
    "SCHEDULED or CONFIRMED → CHECKED_IN; sets arrivedAt. Scope `appointments:write`.",
)
_transition_route(
    "complete",
    AppointmentStatus.COMPLETED,
    "Complete an appointment",
    "CHECKED_IN → COMPLETED. Scope `appointments:write`.",
)
_transition_route(
    "no-show",
    AppointmentStatus.MISSED,
    "Mark a no-show",
    "SCHEDULED or CONFIRMED → MISSED, once it has started; counts for the client's no-shows. "
    "Scope `appointments:write`.",
)


@router.post(
    "/{appointment_id:int}/cancel",
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 403, 404, 409, 412, 422, 429),
    summary="Cancel with a reason",
)
async def cancel(
    appointment_id: AppointmentId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    response: Response,
    body: CancelBody | None = None,
    if_match: IfMatch = None,
    lang: LanguageQuery = "en",
) -> AppointmentRead:
    """Cancel and refund 1 credit per cancelled appointment (with `applyToRepeats`, also the
    later occurrences of the series). Too close to the start for the department's rules: 422
    CANCELLATION_TOO_LATE, nothing cancelled. Scope `appointments:cancel`."""
    body = body or CancelBody()
    appointment = await cancel_appointment(
        services,
        principal,
        appointment_id,
        CancelRequest(
            reason=body.cancellation_reason,
            note=body.cancellation_note,
            apply_to_repeats=body.apply_to_repeats,
            if_match=expected_versions(if_match),
        ),
    )
    return _read(appointment, response, lang)


@router.post(
    "/{appointment_id:int}/archive",
    response_model=AppointmentRead,
    responses=_WRITE_ERRORS,
    summary="Archive an appointment",
)
async def archive(
    appointment_id: AppointmentId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    response: Response,
    if_match: IfMatch = None,
    lang: LanguageQuery = "en",
) -> AppointmentRead:
    """Hide it from lists (list with `archived=true` to see it); its status, slot and credit
    do not change. Scope `appointments:write`."""
    appointment = await archive_appointment(
        services, principal, appointment_id, expected_versions(if_match)
    )
    return _read(appointment, response, lang)


@router.patch(
    "/{appointment_id:int}",
    response_model=AppointmentRead,
    responses=error_responses(400, 401, 403, 404, 409, 412, 422, 429),
    summary="Reschedule an appointment or change its details",
)
async def patch_appointment(
    appointment_id: AppointmentId,
    body: AppointmentPatch,
    principal: CurrentPrincipal,
    services: CurrentServices,
    response: Response,
    if_match: IfMatch = None,
    lang: LanguageQuery = "en",
) -> AppointmentRead:
    """Move it (dateTime, workerId, appointmentTypeId) under the same rules and guarantees as
    a booking: the old slot is freed only if the new one is taken (409 SLOT_UNAVAILABLE, 422
    for a booking rule). Change name, notes, reason, isUrgent or telehealthUrl (with
    `applyToRepeats`, also on the later occurrences of the series). Both at once are one
    change: one transaction, one new version. Send `If-Match` to never overwrite someone
    else's change (412 VERSION_MISMATCH). Scope `appointments:write`."""
    try:
        values = body.values()
    except ValueError as error:
        raise InvalidRequest(str(error)) from None
    appointment = await change_appointment(
        services,
        principal,
        appointment_id,
        AppointmentChange(
            move=body.move(),
            values=values,
            apply_to_repeats=body.apply_to_repeats,
            if_match=expected_versions(if_match),
        ),
    )
    return _read(appointment, response, lang)


@router.get(
    "/{appointment_id:int}/conflicts",
    response_model=ConflictsRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Conflicts of an appointment",
)
async def conflicts(
    appointment_id: AppointmentId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    lang: LanguageQuery = "en",
) -> ConflictsRead:
    """Active appointments of the same worker or the same client that overlap this one.
    Scope `appointments:read`."""
    found = await find_conflicts(services, principal, appointment_id)
    return ConflictsRead(
        conflicts=Conflicts(
            exist=bool(found), appointments=[AppointmentRead.of(a, lang) for a in found]
        )
    )


@router.get(
    "/{appointment_id:int}/history",
    response_model=HistoryPage,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="History of an appointment",
)
async def history(
    appointment_id: AppointmentId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    page: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    size: Annotated[int, Query(ge=1, le=100)] = 100,
) -> HistoryPage:
    """Every change, oldest first: which API key (or the no-show sweep), when, and what.
    Append-only. Scope `appointments:read`."""
    result = await appointment_history(services, principal, appointment_id, page, size)
    return HistoryPage(
        history=[HistoryEntryRead.of(e) for e in result.items],
        **PageFields.of(result),
    )

"""Cancelling an appointment (or it and the later occurrences of its series), with refunds."""

from __future__ import annotations

from dataclasses import dataclass

from slotbook.application.access import Principal, Scope, require
from slotbook.application.history import Writer, save
from slotbook.application.lookups import appointment_for_update
from slotbook.application.ports import Services
from slotbook.application.representation import publish
from slotbook.application.waitlist import freed_of, offer_freed_time
from slotbook.domain.appointments import (
    TRANSITIONS,
    Appointment,
    AppointmentStatus,
    CancellationReason,
    cancellation_refunds,
    check_version,
)
from slotbook.domain.credits import BOOKING_COST, LedgerReason
from slotbook.domain.history import HistoryAction
from slotbook.domain.rules import cancellation_too_late


@dataclass(frozen=True, slots=True)
class CancelRequest:
    reason: CancellationReason | None = None
    note: str | None = None
    apply_to_repeats: bool = False  # also cancel the later occurrences of the series
    if_match: frozenset[int] | None = None


async def cancel_appointment(
    services: Services,
    principal: Principal,
    appointment_id: int,
    request: CancelRequest = CancelRequest(),
) -> Appointment:
    """Cancel and refund one credit per cancelled appointment; cancelling again changes nothing
    and refunds nothing. With apply_to_repeats, later occurrences that are already finished
    or cancelled are left as they are."""
    require(principal, Scope.APPOINTMENTS_CANCEL)
    now = services.clock.now()
    writer = Writer.of(principal)
    async with services.uow(principal.organization_id, write=True) as uow:
        appointment = await appointment_for_update(services, uow, appointment_id)
        check_version(appointment.version, request.if_match, "appointment")
        if not cancellation_refunds(appointment.status) and not request.apply_to_repeats:
            return appointment
        targets = (
            await uow.appointments.series_from(appointment)
            if request.apply_to_repeats
            else [appointment]
        )
        settings = await uow.scheduling.settings(appointment.department_id)
        result = appointment
        cancelled: list[Appointment] = []
        for target in targets:
            if AppointmentStatus.CANCELLED not in TRANSITIONS[target.status]:
                continue
            if settings is not None:
                # The department's minimum notice to cancel (CANCELLATION_TOO_LATE): one
                # occurrence too close refuses the whole request, nothing is cancelled.
                too_late = cancellation_too_late(settings.policy, now, target.starts_at)
                if too_late is not None:
                    raise too_late.error()
            values = {
                "status": AppointmentStatus.CANCELLED.value,
                "cancelled_at": now,
                "cancellation_reason": request.reason.value if request.reason else None,
                "cancellation_note": request.note,
            }
            after = await save(uow, writer, target, values, HistoryAction.CANCELLED, now)
            await uow.credits.change(BOOKING_COST, LedgerReason.REFUND, now, target.id)
            cancelled.append(after)
            if target.id == appointment.id:
                result = after
        await publish(uow, HistoryAction.CANCELLED, cancelled, now)
        for freed in cancelled:
            # In the same transaction: the freed time goes to the waitlist exactly once.
            await offer_freed_time(services, uow, freed_of(freed), now)
        await uow.commit()
    return result

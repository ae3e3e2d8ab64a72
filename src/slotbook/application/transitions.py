"""Status changes of an appointment: confirm, check in (also by QR code), complete, no-show,
and the sweep that marks past unattended appointments as no-shows."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from slotbook.application.access import Principal, Scope, require
from slotbook.application.history import SWEEPER, Writer, save
from slotbook.application.lookups import appointment_for_update
from slotbook.application.ports import NewHistoryEntry, Services, UnitOfWork
from slotbook.application.representation import publish
from slotbook.domain.appointments import (
    Appointment,
    AppointmentStatus,
    check_in_day,
    check_version,
    sweep_cutoff,
    transition,
)
from slotbook.domain.check_in_codes import read_code
from slotbook.domain.errors import Forbidden, InvalidTransition, NotFound
from slotbook.domain.history import Change, HistoryAction
from slotbook.domain.time import zone

S = AppointmentStatus

_ACTIONS = {
    S.CONFIRMED: HistoryAction.CONFIRMED,
    S.CHECKED_IN: HistoryAction.CHECKED_IN,
    S.COMPLETED: HistoryAction.COMPLETED,
    S.MISSED: HistoryAction.MISSED,
}


class QrCodeNotFound(NotFound):
    code = "APPOINTMENT_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("No appointment has this qrCode")


async def _move(
    uow: UnitOfWork,
    writer: Writer,
    appointment: Appointment,
    target: AppointmentStatus,
    services: Services,
) -> Appointment:
    now = services.clock.now()
    if not transition(appointment.status, target):
        return appointment
    if target is S.CHECKED_IN:
        check_in_day(appointment.starts_at, now, zone(appointment.time_zone))
    if target is S.MISSED and now < appointment.starts_at:
        raise InvalidTransition("An appointment cannot be marked as a no-show before it starts")
    values: dict[str, object] = {"status": target.value}
    if target is S.CHECKED_IN:
        values["arrived_at"] = now
    after = await save(uow, writer, appointment, values, _ACTIONS[target], now)
    if target is S.MISSED and after.client_id is not None:
        await uow.clients.add_no_shows({after.client_id: 1})
    await publish(uow, _ACTIONS[target], [after], now)
    return after


async def change_status(
    services: Services,
    principal: Principal,
    appointment_id: int,
    target: AppointmentStatus,
    if_match: frozenset[int] | None = None,
) -> Appointment:
    """Move an appointment to `target` if the status machine allows it (same status: no-op)."""
    if target not in _ACTIONS:
        raise InvalidTransition(f"Use the cancel endpoint to reach {target.value}")
    require(principal, Scope.APPOINTMENTS_WRITE)
    async with services.uow(principal.organization_id, write=True) as uow:
        appointment = await appointment_for_update(services, uow, appointment_id)
        check_version(appointment.version, if_match, "appointment")
        after = await _move(uow, Writer.of(principal), appointment, target, services)
        await uow.commit()
    return after


async def check_in_by_qr_code(services: Services, principal: Principal, token: str) -> Appointment:
    """Mark arrival from a scanned qrCode: not cancelled, of this organization, and on the
    appointment's day (the same rule as every check-in, in _move)."""
    require(principal, Scope.APPOINTMENTS_WRITE)
    async with services.uow(principal.organization_id, write=True) as uow:
        # As issued first (codes before the grouped format are case-sensitive), then as a
        # person may have typed a grouped code (case, look-alikes, separators).
        found = await uow.appointments.get_by_qr_token(token)
        readable = read_code(token)
        if found is None and readable is not None and readable != token:
            found = await uow.appointments.get_by_qr_token(readable)
            token = readable
        if found is None:
            if await services.registry.owner_of_qr_token(token) is not None:
                raise Forbidden("This qrCode belongs to another organization")
            raise QrCodeNotFound()
        appointment = await appointment_for_update(services, uow, found.id)
        if appointment.status is S.CANCELLED:
            raise InvalidTransition("This appointment was cancelled")
        after = await _move(uow, Writer.of(principal), appointment, S.CHECKED_IN, services)
        await uow.commit()
    return after


async def sweep_no_shows(services: Services, grace: timedelta) -> int:
    """Mark awaited appointments that started more than `grace` ago as MISSED; how many."""
    now = services.clock.now()
    cutoff = sweep_cutoff(now, grace)
    marked = 0
    for organization_id in await services.registry.organizations_with_overdue(cutoff):
        while True:
            async with services.uow(organization_id, write=True) as uow:
                overdue = await uow.appointments.mark_missed_before(cutoff, now)
                if not overdue:
                    break
                await uow.clients.add_no_shows(
                    Counter(o.client_id for o in overdue if o.client_id is not None)
                )
                await uow.history.append(
                    [
                        NewHistoryEntry(
                            o.appointment_id,
                            HistoryAction.MISSED,
                            SWEEPER.actor,
                            None,
                            Change({"status": {"from": o.previous.value, "to": S.MISSED.value}}),
                        )
                        for o in overdue
                    ],
                    now,
                )
                missed = [await uow.appointments.get(o.appointment_id) for o in overdue]
                await publish(uow, HistoryAction.MISSED, [a for a in missed if a], now)
                await uow.commit()
            marked += len(overdue)
    return marked

"""Changing what an appointment says (notes, reason, urgency, telehealth link), archiving it,
and finding the appointments it conflicts with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slotbook.application.access import Principal, Scope, require
from slotbook.application.history import Writer, save
from slotbook.application.lookup import appointment_for_update, appointment_to_read
from slotbook.application.ports import Services
from slotbook.domain.appointments import Appointment, check_version
from slotbook.domain.history import HistoryAction

# The appointment fields a details update may set, by their attribute names.
DETAIL_FIELDS = frozenset({"notes", "reason", "is_urgent", "telehealth_url"})


@dataclass(frozen=True, slots=True)
class DetailsUpdate:
    values: dict[str, object]  # attribute name -> new value, only the fields sent
    apply_to_repeats: bool = False
    if_match: frozenset[int] | None = None


async def update_details(
    services: Services, principal: Principal, appointment_id: int, update: DetailsUpdate
) -> Appointment:
    """Set the given detail fields on the appointment (and, with apply_to_repeats, on the later
    occurrences of its series). Scope `appointments:write`."""
    require(principal, Scope.APPOINTMENTS_WRITE)
    assert set(update.values) <= DETAIL_FIELDS
    now = services.clock.now()
    writer = Writer.of(principal)
    async with services.uow(principal.organization_id, write=True) as uow:
        appointment = await appointment_for_update(services, uow, appointment_id)
        check_version(appointment.version, update.if_match, "appointment")
        targets = (
            await uow.appointments.series_from(appointment)
            if update.apply_to_repeats
            else [appointment]
        )
        result = appointment
        for target in targets:
            values = {k: v for k, v in update.values.items() if getattr(target, k) != v}
            if not values:
                continue
            after = await save(uow, writer, target, values, HistoryAction.UPDATED, now)
            if target.id == appointment.id:
                result = after
        await uow.commit()
    return result


async def archive_appointment(
    services: Services,
    principal: Principal,
    appointment_id: int,
    if_match: frozenset[int] | None = None,
) -> Appointment:
    """Hide an appointment from lists (status, slot and credit are unchanged); idempotent."""
    require(principal, Scope.APPOINTMENTS_WRITE)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        appointment = await appointment_for_update(services, uow, appointment_id)
        check_version(appointment.version, if_match, "appointment")
        if appointment.archived_at is not None:
            return appointment
        after = await save(
            uow,
            Writer.of(principal),
            appointment,
            {"archived_at": now},
            HistoryAction.ARCHIVED,
            now,
        )
        await uow.commit()
    return after


async def find_conflicts(
    services: Services, principal: Principal, appointment_id: int
) -> Sequence[Appointment]:
    """Active appointments of the same worker or client that overlap this one."""
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        appointment = await appointment_to_read(services, uow, appointment_id)
        return await uow.appointments.overlapping(appointment)

"""Changing an appointment: when and with whom (reschedule), what it says (name, notes,
reason, urgency, telehealth link), archiving it, and finding the appointments it conflicts with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slotbook.application.access import Principal, Scope, require
from slotbook.application.agenda import agenda_of
from slotbook.application.booking import place, with_retries
from slotbook.application.history import Writer, save
from slotbook.application.lookups import (
    appointment_for_update,
    appointment_to_read,
)
from slotbook.application.ports import NewTime, Services, UnitOfWork
from slotbook.application.representation import publish
from slotbook.application.waitlist import freed_of, offer_freed_time
from slotbook.domain.appointments import (
    MOVABLE_STATUSES,
    Appointment,
    check_version,
)
from slotbook.domain.errors import InvalidRequest, InvalidTransition
from slotbook.domain.history import HistoryAction
from slotbook.domain.time import local_to_utc, zone

# The appointment fields a details update may set, by their attribute names.
DETAIL_FIELDS = frozenset({"name", "notes", "reason", "is_urgent", "telehealth_url"})

# Only an appointment still to come can move; one in progress or finished stays where it was.


@dataclass(frozen=True, slots=True)
class RescheduleRequest:
    """Where to move an appointment; what is left out stays as it is."""

    date_time: datetime | None = None  # wall-clock time of the department unless with offset
    worker_id: int | None = None
    appointment_type_id: int | None = None


@dataclass(frozen=True, slots=True)
class AppointmentChange:
    """One PATCH: a move, detail fields, or both, written together or not at all."""

    move: RescheduleRequest | None = None
    values: dict[str, object] | None = None  # detail attribute -> new value, only those sent
    apply_to_repeats: bool = False  # details also on the later occurrences of the series
    if_match: frozenset[int] | None = None


async def change_appointment(
    services: Services, principal: Principal, appointment_id: int, change: AppointmentChange
) -> Appointment:
    """Reschedule and/or update details in one transaction, under one If-Match check and one
    new version. A move follows every booking rule and guarantee of a new booking, and the old
    slot is freed only if the new one is taken. Scope `appointments:write`."""
    require(principal, Scope.APPOINTMENTS_WRITE)
    values = change.values or {}
    assert set(values) <= DETAIL_FIELDS
    if change.move is not None and change.apply_to_repeats:
        raise InvalidRequest(
            "applyToRepeats applies to name, notes, reason, isUrgent and telehealthUrl; "
            "reschedule the occurrences of a series one at a time"
        )
    return await with_retries(lambda: _change(services, principal, appointment_id, change))


async def _change(
    services: Services, principal: Principal, appointment_id: int, change: AppointmentChange
) -> Appointment:
    now = services.clock.now()
    writer = Writer.of(principal)
    values = change.values or {}
    async with services.uow(principal.organization_id, write=True) as uow:
        # The appointment's row lock first, then (when moving) the organization's booking lock.
        appointment = await appointment_for_update(services, uow, appointment_id)
        check_version(appointment.version, change.if_match, "appointment")
        targets = (
            await uow.appointments.series_from(appointment)
            if change.apply_to_repeats
            else [appointment]
        )
        result = appointment
        changed: list[tuple[HistoryAction, Appointment]] = []
        for target in targets:
            columns = {k: v for k, v in values.items() if getattr(target, k) != v}
            action = HistoryAction.UPDATED
            if change.move is not None and target.id == appointment.id:
                moved = await _new_time(services, uow, target, change.move, now)
                if moved:
                    columns |= moved
                    action = HistoryAction.RESCHEDULED
            if not columns:
                continue
            after = await save(uow, writer, target, columns, action, now)
            changed.append((action, after))
            if target.id == appointment.id:
                result = after
        for action, after in changed:
            await publish(uow, action, [after], now)
            if action is HistoryAction.RESCHEDULED:
                # The old time is free now: the waitlist's first matching entry is offered it.
                await offer_freed_time(services, uow, freed_of(appointment), now)
        await uow.commit()
    return result


async def _new_time(
    services: Services,
    uow: UnitOfWork,
    current: Appointment,
    move: RescheduleRequest,
    now: datetime,
) -> dict[str, object]:
    """The columns of the appointment's new place on the schedule, checked like a new booking
    (none when it stays where it is)."""
    if current.status not in MOVABLE_STATUSES:
        raise InvalidTransition(
            f"An appointment with status {current.status.value} cannot be rescheduled"
        )
    cached = await agenda_of(services, uow, current.department_id)
    department, settings = cached.department, cached.settings
    starts_at = current.starts_at
    if move.date_time is not None:
        starts_at = local_to_utc(move.date_time, zone(settings.time_zone)).replace(microsecond=0)
    if starts_at <= now:
        raise InvalidRequest("DateTime must be in the future")
    worker_id = move.worker_id if move.worker_id is not None else current.worker_id
    if move.worker_id is not None and not cached.has_worker(move.worker_id):
        raise InvalidRequest(f"Worker {move.worker_id} does not work in department {department.id}")
    to, _ = await place(
        services,
        uow,
        cached,
        starts_at,
        move.appointment_type_id or current.appointment_type_id,
        worker_id,
        current.external_user_id,
        current.qr_token,
        _written_by_the_caller,
        moving=current.id,
        client_id=current.client_id,
    )
    if (to.starts_at, to.ends_at, to.worker_id, to.appointment_type_id) == (
        current.starts_at,
        current.ends_at,
        current.worker_id,
        current.appointment_type_id,
    ):
        return {}  # already there: no new version, no history entry
    return to.columns()


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
        await publish(uow, HistoryAction.ARCHIVED, [after], now)
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


async def _written_by_the_caller(_time: NewTime) -> None:
    """A move's new place is written with its other changes by one version-checked update,
    which the overlap guard refuses as it refuses an insert."""

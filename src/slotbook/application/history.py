"""Writing an appointment change together with its history entry, and reading the history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slotbook.application.access import Principal, Scope, require
from slotbook.application.lookups import appointment_to_read
from slotbook.application.ports import (
    CreationEntry,
    NewHistoryEntry,
    Page,
    Services,
    UnitOfWork,
)
from slotbook.domain.appointments import Appointment
from slotbook.domain.errors import Conflict
from slotbook.domain.history import Actor, HistoryAction, HistoryEntry, change_between


@dataclass(frozen=True, slots=True)
class Writer:
    """Who makes a change, as the history records it."""

    actor: Actor
    api_key_id: int | None = None

    @classmethod
    def of(cls, principal: Principal) -> Writer:
        return cls(Actor.API_KEY, principal.api_key_id)


SWEEPER = Writer(Actor.SWEEP)


def creation_entry(writer: Writer, appointment: Appointment) -> CreationEntry:
    """The history entry of `appointment`'s creation (written with it: `appointments.add`)."""
    return CreationEntry(writer.actor, writer.api_key_id, change_between(None, appointment))


async def save(
    uow: UnitOfWork,
    writer: Writer,
    before: Appointment,
    values: Mapping[str, Any],
    action: HistoryAction,
    now: datetime,
) -> Appointment:
    """Write `values` over `before` (a version compare-and-swap) and append the history entry."""
    if not await uow.appointments.apply(before.id, before.version, values, now):
        # The row was read under a lock in this transaction, so this is a lost race elsewhere.
        raise Conflict(f"Appointment {before.id} was changed concurrently; please retry")
    after = await uow.appointments.get(before.id)
    assert after is not None
    entry = NewHistoryEntry(
        after.id, action, writer.actor, writer.api_key_id, change_between(before, after)
    )
    await uow.history.append([entry], now)
    return after


async def appointment_history(
    services: Services, principal: Principal, appointment_id: int, page: int, size: int
) -> Page[HistoryEntry]:
    """Every change of one appointment, oldest first."""
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        await appointment_to_read(services, uow, appointment_id)
        return await uow.history.list(appointment_id, page, size)

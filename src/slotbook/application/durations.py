"""How long a booking lasts: its appointment type's duration, else the department's slot."""

from __future__ import annotations

from datetime import timedelta

from slotbook.application.access import Principal, Scope, require
from slotbook.application.agenda import agenda_of, type_of
from slotbook.application.ports import Services


async def booking_duration(
    services: Services,
    principal: Principal,
    scope: Scope,
    department_id: int,
    type_id: int | None,
) -> timedelta:
    """The length a booking (or a move) in `department_id` of `type_id` gets, so a client that
    states the end (seed 003's `ends_at`) can be told when it disagrees. `scope` is the one of
    the write it precedes."""
    require(principal, scope)
    async with services.uow(principal.organization_id, write=False) as uow:
        cached = await agenda_of(services, uow, department_id)
        if type_id is not None:
            kind = await type_of(services, uow, type_id)
            return timedelta(minutes=kind.duration_minutes)
        return timedelta(minutes=cached.settings.slot_interval_minutes)

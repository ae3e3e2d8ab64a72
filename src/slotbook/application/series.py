"""Recurring series: every occurrence booked in one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from slotbook.application.access import Principal, Scope, require
from slotbook.application.agenda import agenda_of
from slotbook.application.booking import BookingRequest, book, client_locks, with_retries
from slotbook.application.clients import resolve_party
from slotbook.application.ports import Services
from slotbook.domain.appointments import Appointment
from slotbook.domain.credits import BOOKING_COST
from slotbook.domain.errors import (
    DomainError,
    InsufficientCredits,
    RetryableConflict,
    SeriesRefused,
)
from slotbook.domain.recurrence import Recurrence, occurrences
from slotbook.domain.time import naive_local, zone


async def create_series(
    services: Services, principal: Principal, request: BookingRequest, recurrence: Recurrence
) -> Sequence[Appointment]:
    """Book each occurrence with the same booking step as a single appointment (schedule,
    booking rules, overlap guard), one credit each. If any occurrence is refused, nothing is
    booked and the refusal lists every refused occurrence with its code and reason. Later
    occurrences carry repeatedFromId = the first."""
    require(principal, Scope.APPOINTMENTS_CREATE)
    return await with_retries(lambda: _create_series(services, principal, request, recurrence))


async def _create_series(
    services: Services, principal: Principal, request: BookingRequest, recurrence: Recurrence
) -> Sequence[Appointment]:
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        cached = await agenda_of(services, uow, request.department_id)
        tz = zone(cached.settings.time_zone)
        first = request.date_time
        if first.tzinfo is not None:
            first = naive_local(first, tz)
        times = occurrences(first, recurrence)
        balance = await uow.credits.balance()
        if balance < BOOKING_COST * len(times):
            raise InsufficientCredits(balance, BOOKING_COST * len(times))
        # The client is resolved (an inline one created or updated) once for the series.
        party = await resolve_party(services, principal, uow, request, now)
        # The client's locks before the first savepoint: a lock taken inside a savepoint would
        # be released when that occurrence is refused (lock order: docs/scheduling.md).
        await uow.scheduling.lock(client_locks(party.client_id, party.external_user_id))
        each = replace(request, client=None, client_id=party.client_id)
        booked: list[Appointment] = []
        refusals: list[dict[str, str]] = []
        for number, wall_time in enumerate(times, start=1):
            try:
                # A savepoint per occurrence: a refusal (even by a database constraint) undoes
                # only that occurrence, so every other one is still checked and reported.
                async with uow.savepoint():
                    appointment = await book(
                        services,
                        principal,
                        uow,
                        replace(each, date_time=wall_time),
                        party,
                        now,
                        repeated_from_id=booked[0].id if booked else None,
                    )
            except RetryableConflict:
                raise  # the whole series is run again, not reported as refused
            except DomainError as refusal:
                refusals.append(
                    {
                        "occurrence": str(number),
                        "dateTime": wall_time.isoformat(timespec="seconds"),
                        "code": refusal.code,
                        "message": refusal.message,
                    }
                )
                continue
            booked.append(appointment)
        if refusals:
            raise SeriesRefused(
                f"{len(refusals)} of {len(times)} occurrences cannot be booked, so none was",
                details=refusals,
            )
        await uow.commit()
    return booked

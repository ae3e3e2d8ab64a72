"""Placing a booking on the schedule: rules, the slot re-check, worker choice, and retries."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from slotbook.application.availability import Agenda, load_agenda
from slotbook.application.ports import NewTime, Services, UnitOfWork
from slotbook.domain.errors import InvalidRequest, RetryableConflict
from slotbook.domain.organizations import Department
from slotbook.domain.rules import BookingAttempt, first_violation, slot_unavailable
from slotbook.domain.schedules import Booking
from slotbook.domain.slots import epoch
from slotbook.domain.time import local_days
from slotbook.domain.verdicts import Verdict, explain_start

T = TypeVar("T")

MAX_ATTEMPTS = 3


async def with_retries(work: Callable[[], Awaitable[T]]) -> T:
    """Run a write use case again (bounded, with jitter) when the database asked for it."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await work()
        except RetryableConflict:
            if attempt == MAX_ATTEMPTS:
                raise
            await asyncio.sleep(random.uniform(0.005, 0.02) * attempt)
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class Placement:
    agenda: Agenda
    time: NewTime


def _refusal_details(verdicts: Sequence[Verdict]) -> list[dict[str, object]]:
    return [
        {
            "workerId": str(v.worker_id) if v.worker_id is not None else "",
            "reason": f.reason.value,
            "message": f.message,
        }
        for v in verdicts
        for f in v.findings
    ]


def _load(agenda: Agenda, worker_id: int, day_bookings: Sequence[Booking]) -> tuple[int, int]:
    """Minutes already booked with a worker that day, then how many bookings: less is freer."""
    mine = [b for b in day_bookings if b.worker_id == worker_id]
    return sum(b.end - b.start for b in mine) // 60, len(mine)


def _choose(agenda: Agenda, verdicts: Sequence[Verdict], starts_at: datetime) -> int:
    """The free worker to assign: an open group session first, then the least loaded that
    local day, then the lowest id. Spreads load evenly when clients do not choose."""
    tz = agenda.tz
    day = local_days(starts_at, starts_at + timedelta(seconds=1), tz)[0]
    day_bookings = [b for b in agenda.schedule.bookings if b.starts_at.astimezone(tz).date() == day]
    free = [v for v in verdicts if v.bookable and v.worker_id is not None]
    capacity = agenda.demand.capacity or 1

    def key(v: Verdict) -> tuple[int, int, int, int]:
        assert v.worker_id is not None
        joining = 0 if capacity > 1 and v.remaining < capacity else 1
        return (joining, *_load(agenda, v.worker_id, day_bookings), v.worker_id)

    chosen = min(free, key=key).worker_id
    assert chosen is not None
    return chosen


async def place(
    services: Services,
    uow: UnitOfWork,
    department: Department,
    starts_at: datetime,
    type_id: int | None,
    worker_id: int | None,
    external_user_id: str | None,
    qr_token: str,
    moving: int | None = None,
    client_id: int | None = None,
) -> Placement:
    """Check a booking (or a move of appointment `moving`) against the rules and the schedule,
    inside the caller's write transaction, after taking the organization's booking lock."""
    now = services.clock.now()
    await uow.scheduling.lock()
    agenda = await load_agenda(
        services, uow, department, type_id, starts_at, starts_at + timedelta(days=1), moving
    )
    demand = agenda.demand
    ends_at = starts_at + timedelta(minutes=demand.duration_minutes)
    blocked_from, blocked_until = demand.blocked(starts_at)
    if (
        worker_id is not None
        and agenda.offered_by is not None
        and (worker_id not in agenda.offered_by)
    ):
        raise InvalidRequest(f"Worker {worker_id} does not offer appointment type {type_id}")
    # The client is known by its externalUserId and, once it has one, by its client record.
    client = [
        b
        for b in await uow.scheduling.client_bookings(external_user_id, now, client_id)
        if b.id != moving
    ]
    violation = first_violation(
        agenda.settings.policy, BookingAttempt(now, starts_at, ends_at, client)
    )
    if violation is not None:
        raise violation.error()
    chosen = worker_id
    if agenda.schedule.configured or worker_id is not None:
        verdicts = explain_start(agenda.schedule, demand, starts_at, agenda.offered_by, worker_id)
        if agenda.workers and worker_id is None and not agenda.schedule.configured:
            verdicts = []  # an unconfigured department books without a worker, as before
        if verdicts and not any(v.bookable for v in verdicts):
            raise slot_unavailable(
                "This time slot is not available: " + verdicts[0].findings[0].message
            ).error(_refusal_details(verdicts))
        if agenda.workers and worker_id is None and verdicts:
            chosen = _choose(agenda, verdicts, starts_at)
    session_key = qr_token
    if chosen is not None and (demand.capacity or 1) > 1:
        # Members of one group session share a key, so the overlap guard lets them overlap.
        session_key = f"session:{demand.appointment_type_id}:{chosen}:{epoch(starts_at)}"
    return Placement(
        agenda,
        NewTime(
            worker_id=chosen,
            starts_at=starts_at,
            ends_at=ends_at,
            blocked_from=blocked_from,
            blocked_until=blocked_until,
            appointment_type_id=type_id,
            session_key=session_key,
        ),
    )

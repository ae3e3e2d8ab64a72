"""Placing a booking on the schedule: rules, the slot re-check, worker choice, and retries."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar

from slotbook.application.agenda import DepartmentAgenda
from slotbook.application.availability import Agenda, load_agenda
from slotbook.application.ports import NewTime, Services, UnitOfWork
from slotbook.domain.errors import InvalidRequest, RetryableConflict
from slotbook.domain.rules import BookingAttempt, first_violation, slot_unavailable
from slotbook.domain.slots import epoch
from slotbook.domain.time import day_start, local_days
from slotbook.domain.verdicts import Verdict, explain_start

T = TypeVar("T")

MAX_ATTEMPTS = 3


async def with_retries(work: Callable[[], Awaitable[T]]) -> T:
    """Run a write use case again (bounded, with jitter) when the database asked for it."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await work()
        except RetryableConflict as error:
            if attempt == MAX_ATTEMPTS:
                raise
            if error.backoff:
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


async def _choose(
    uow: UnitOfWork,
    agenda: Agenda,
    verdicts: Sequence[Verdict],
    starts_at: datetime,
    moving: int | None,
) -> int:
    """The free worker to assign: an open group session first, then the least loaded that
    local day (minutes, then bookings), then the lowest id. Spreads load evenly when clients
    do not choose. The day's load is summed by the database, not loaded row by row."""
    free = [v for v in verdicts if v.bookable and v.worker_id is not None]
    capacity = agenda.demand.capacity or 1
    load: dict[int, tuple[int, int]] = {}
    if len(free) > 1:
        tz = agenda.tz
        day = local_days(starts_at, starts_at + timedelta(seconds=1), tz)[0]
        load = await uow.scheduling.booked_minutes(
            [v.worker_id for v in free if v.worker_id is not None],
            day_start(day, tz),
            day_start(day + timedelta(days=1), tz),
            moving,
        )

    def key(v: Verdict) -> tuple[int, int, int, int]:
        assert v.worker_id is not None
        joining = 0 if capacity > 1 and v.remaining < capacity else 1
        return (joining, *load.get(v.worker_id, (0, 0)), v.worker_id)

    chosen = min(free, key=key).worker_id
    assert chosen is not None
    return chosen


def _decides_for_department(agenda: Agenda, worker_id: int | None) -> bool:
    """Whether the check counts what the database cannot: places of a department's counters
    or of a group session, or which of several workers is free. Only then is the department
    serialised; one named worker's overlaps are refused by the database itself."""
    return worker_id is None or (agenda.demand.capacity or 1) > 1


async def lock_client(uow: UnitOfWork, client_id: int | None, external_user_id: str | None) -> None:
    """Take the client's locks (one per identity it is known by), in one order."""
    identities = sorted(
        ([f"client:{client_id}"] if client_id is not None else [])
        + ([f"external:{external_user_id}"] if external_user_id is not None else [])
    )
    for identity in identities:
        await uow.scheduling.lock_client(identity)


async def place(
    services: Services,
    uow: UnitOfWork,
    cached: DepartmentAgenda,
    starts_at: datetime,
    type_id: int | None,
    worker_id: int | None,
    external_user_id: str | None,
    qr_token: str,
    moving: int | None = None,
    client_id: int | None = None,
) -> Placement:
    """Check a booking (or a move of appointment `moving`) against the rules and the schedule,
    inside the caller's write transaction.

    Locks, in the one order of docs/scheduling.md ("Lock order"): the client's (when the
    client is identified), then the department's (when a capacity or a worker choice is
    decided here). The caller then writes the appointment and, last, the credit row."""
    now = services.clock.now()
    department = cached.department
    agenda = await load_agenda(
        services,
        uow,
        cached,
        type_id,
        starts_at,
        starts_at + timedelta(days=1),
        moving,
        with_bookings=False,
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
    # Every client rule reads the client's other appointments (SAME_TIME_APPOINTMENT is always
    # on), so two bookings of one client never check at the same time: each identity is
    # locked, in one order.
    await lock_client(uow, client_id, external_user_id)
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
        if _decides_for_department(agenda, worker_id):
            await uow.scheduling.lock_department(department.id)
        # Only the appointments whose blocked time meets this one's can refuse it.
        bookings = await uow.scheduling.bookings(
            department.id,
            [worker_id] if worker_id is not None else [w.id for w in agenda.workers],
            blocked_from,
            blocked_until,
            moving,
        )
        schedule = replace(agenda.schedule, bookings=tuple(bookings))
        agenda = replace(agenda, schedule=schedule)
        verdicts = explain_start(schedule, demand, starts_at, agenda.offered_by, worker_id)
        if verdicts and not any(v.bookable for v in verdicts):
            raise slot_unavailable(
                "This time slot is not available: " + verdicts[0].findings[0].message
            ).error(_refusal_details(verdicts))
        if agenda.workers and worker_id is None and verdicts:
            chosen = await _choose(uow, agenda, verdicts, starts_at, moving)
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

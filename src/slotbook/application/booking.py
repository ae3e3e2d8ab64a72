"""Booking an appointment, top to bottom: who it is for, the department's agenda, the rules,
the place on the schedule (the worker, chosen here when the client names none), the insert,
the debit, the history and the events, in one unit of work."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import uuid4

from slotbook.application.access import Principal, Scope, require
from slotbook.application.agenda import DepartmentAgenda, agenda_of, type_of
from slotbook.application.availability import Agenda, load_agenda
from slotbook.application.clients import ClientUpsert, Party, resolve_party
from slotbook.application.credits import note_low_balance
from slotbook.application.history import Writer, creation_entry
from slotbook.application.ports import (
    CreationEntry,
    NewAppointment,
    NewTime,
    Services,
    UnitOfWork,
)
from slotbook.application.representation import publish
from slotbook.domain.appointments import Appointment, AppointmentDetails, AppointmentStatus
from slotbook.domain.clients import check_no_shows, no_show_window_start
from slotbook.domain.credits import BOOKING_COST, LedgerReason
from slotbook.domain.errors import InvalidRequest, RetryableConflict, SlotConflict
from slotbook.domain.history import HistoryAction
from slotbook.domain.organizations import Department
from slotbook.domain.rules import BookingAttempt, first_violation, slot_unavailable
from slotbook.domain.schedules import Demand
from slotbook.domain.slots import epoch
from slotbook.domain.time import day_start, local_days, local_to_utc, zone
from slotbook.domain.verdicts import Verdict, explain_start

T = TypeVar("T")

MAX_ATTEMPTS = 3
# A department's counters (capacity without workers) are counted per stretch of this many
# seconds: a booking locks each stretch its blocked time meets, so two bookings that could
# count each other always share a lock, and bookings at other times never wait.
COUNTER_STRETCH = 30 * 60


@dataclass(frozen=True, slots=True)
class BookingRequest:
    department_id: int
    date_time: datetime  # wall-clock time of the department unless it carries an offset
    name: str | None  # may be left out when a client is given: the client's name is used
    worker_id: int | None = None
    external_user_id: str | None = None
    appointment_type_id: int | None = None
    client_id: int | None = None
    patient_id: int | None = None
    client: ClientUpsert | None = None  # seed 002's inline "fiche": update by id, else create
    details: AppointmentDetails = field(default_factory=AppointmentDetails)
    cancel_token: str | None = None  # set by the public booking page (application/cancel_links)
    # Seed 002 books without a worker even where the department asks clients to name one:
    # a free worker is then drawn at random (docs/compat.md, "Calendar assignment").
    any_worker: bool = False


async def create_appointment(
    services: Services, principal: Principal, request: BookingRequest
) -> Appointment:
    """Book an appointment on the schedule and consume one credit, atomically."""
    require(principal, Scope.APPOINTMENTS_CREATE)
    try:
        return await with_retries(lambda: _create(services, principal, request))
    except SlotConflict as refused:
        if refused.code == "SLOT_UNAVAILABLE" and await _held(services, principal, request):
            raise slot_unavailable(
                "This time slot is not available: it is held for a client of the waitlist "
                "who has been offered it"
            ).error() from refused
        raise


async def _held(services: Services, principal: Principal, request: BookingRequest) -> bool:
    """Whether a refused time is held for a waitlist offer (only read after a refusal: the
    overlap guard itself refuses a held time, so bookings pay nothing for holds)."""
    async with services.uow(principal.organization_id, write=False) as uow:
        cached = await agenda_of(services, uow, request.department_id)
        starts_at = local_to_utc(request.date_time, zone(cached.settings.time_zone))
        demand = Demand(cached.settings.slot_interval_minutes)
        if request.appointment_type_id is not None:
            demand = Demand.of(await type_of(services, uow, request.appointment_type_id))
        workers = [request.worker_id] if request.worker_id is not None else cached.worker_ids
        held = await uow.waitlist.held(workers, *demand.blocked(starts_at))
    return bool(held)


async def _create(services: Services, principal: Principal, request: BookingRequest) -> Appointment:
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        party = await resolve_party(services, principal, uow, request, now)
        appointment = await book(services, principal, uow, request, party, now)
        await uow.commit()
    return appointment


async def book(
    services: Services,
    principal: Principal,
    uow: UnitOfWork,
    request: BookingRequest,
    party: Party,
    now: datetime,
    repeated_from_id: int | None = None,
) -> Appointment:
    """The booking step inside a unit of work: the schedule and every booking rule, insert,
    debit, history (no commit). A recurring series runs it once per occurrence in one
    transaction, so each occurrence is checked exactly like a single booking."""
    cached = await agenda_of(services, uow, request.department_id)
    department = cached.department
    starts_at = local_to_utc(request.date_time, zone(cached.settings.time_zone)).replace(
        microsecond=0
    )
    if starts_at <= now:
        raise InvalidRequest("DateTime must be in the future")
    if request.worker_id is None:
        if department.show_admins_in_booking and not request.any_worker:
            raise InvalidRequest(f"workerId is required for department {department.id}")
    elif not cached.has_worker(request.worker_id):
        raise InvalidRequest(
            f"Worker {request.worker_id} does not work in department {department.id}"
        )
    await check_no_show_rule(uow, department, party.client_id, now)
    qr_token = services.secrets.new_qr_token()
    details = request.details
    appointment = Appointment(
        id=0,  # given by the insert
        organization_id=principal.organization_id,
        department_id=department.id,
        department_name=department.name,
        time_zone=department.time_zone,
        worker_id=None,  # given by the place found
        name=party.name,
        external_user_id=party.external_user_id,
        starts_at=starts_at,
        status=AppointmentStatus.SCHEDULED,
        qr_token=qr_token,
        created_at=now,
        updated_at=now,
        uuid=uuid4(),
        client_id=party.client_id,
        patient_id=party.patient_id,
        notes=details.notes,
        reason=details.reason,
        is_urgent=details.is_urgent,
        source=details.source,
        from_web=details.from_web,
        telehealth_url=details.telehealth_url,
        repeated_from_id=repeated_from_id,
    )

    def new_appointment(slot: NewTime) -> NewAppointment:
        return NewAppointment(
            department_id=department.id,
            worker_id=slot.worker_id,
            name=party.name,
            external_user_id=party.external_user_id,
            starts_at=starts_at,
            qr_token=qr_token,
            created_by_key_id=principal.api_key_id,
            uuid=appointment.uuid,
            ends_at=slot.ends_at,
            appointment_type_id=slot.appointment_type_id,
            blocked_from=slot.blocked_from,
            blocked_until=slot.blocked_until,
            session_key=slot.session_key,
            client_id=party.client_id,
            patient_id=party.patient_id,
            notes=details.notes,
            reason=details.reason,
            is_urgent=details.is_urgent,
            source=details.source,
            from_web=details.from_web,
            telehealth_url=details.telehealth_url,
            repeated_from_id=repeated_from_id,
            cancel_token=request.cancel_token,
        )

    def history(slot: NewTime) -> CreationEntry:
        return creation_entry(Writer.of(principal), _booked(appointment, 0, now, slot))

    async def insert(slot: NewTime) -> tuple[int, datetime]:
        return await uow.appointments.add(new_appointment(slot), now, history(slot))

    async def insert_unless_taken(slot: NewTime) -> tuple[int, datetime] | None:
        return await uow.appointments.add_unless_taken(new_appointment(slot), now, history(slot))

    slot, (appointment_id, created_at) = await place(
        services,
        uow,
        cached,
        starts_at,
        request.appointment_type_id,
        request.worker_id,
        party.external_user_id,
        qr_token,
        insert,
        client_id=party.client_id,
        shuffled=department.show_admins_in_booking,
        write_unless_taken=insert_unless_taken,
    )
    appointment = _booked(appointment, appointment_id, created_at, slot)
    # The debit locks the organization's row until the commit, which every booking of the
    # organization waits for: the writes that need no such lock go before it.
    balance = await uow.credits.spend(BOOKING_COST, LedgerReason.BOOKING, now, appointment_id)
    await publish(uow, HistoryAction.CREATED, [appointment], now)
    await note_low_balance(uow, -BOOKING_COST, balance, now)
    return appointment


def _booked(
    draft: Appointment, appointment_id: int, created_at: datetime, slot: NewTime
) -> Appointment:
    return replace(
        draft,
        id=appointment_id,
        created_at=created_at,
        updated_at=created_at,
        worker_id=slot.worker_id,
        ends_at=slot.ends_at,
        appointment_type_id=slot.appointment_type_id,
    )


async def check_no_show_rule(
    uow: UnitOfWork, department: Department, client_id: int | None, now: datetime
) -> None:
    """The department's TOO_MANY_NO_SHOWS rule, for bookings made for a known client."""
    if client_id is None or department.no_show_limit is None:
        return
    since = no_show_window_start(now, department.no_show_window_days)
    recent = await uow.appointments.count_no_shows(client_id, since)
    check_no_shows(recent, department.no_show_limit, department.no_show_window_days)


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


def client_locks(client_id: int | None, external_user_id: str | None) -> list[str]:
    """The names of the client's locks, one per identity it is known by."""
    return ([f"client:{client_id}"] if client_id is not None else []) + (
        [f"external:{external_user_id}"] if external_user_id is not None else []
    )


async def place(
    services: Services,
    uow: UnitOfWork,
    cached: DepartmentAgenda,
    starts_at: datetime,
    type_id: int | None,
    worker_id: int | None,
    external_user_id: str | None,
    qr_token: str,
    write: Callable[[NewTime], Awaitable[T]],
    moving: int | None = None,
    client_id: int | None = None,
    shuffled: bool = False,
    write_unless_taken: Callable[[NewTime], Awaitable[T | None]] | None = None,
) -> tuple[NewTime, T]:
    """Find the booking's place (or appointment `moving`'s new one) against the rules and the
    schedule, inside the caller's write transaction, and `write` it there.

    Locks, in the one order of docs/scheduling.md ("Lock order"): the client's, then only what
    this booking counts (a group session's places, or the stretches of a department's
    counters). A worker's overlaps are refused by the database itself (exclusion constraint,
    SQLite trigger): a worker chosen here is tried with `write_unless_taken` (else `write` in a
    savepoint), and when a concurrent booking took it first the next free one is tried; the
    last one is written with `write`, whose refusal is the booking's. `shuffled`: free
    workers are tried in random order rather than least loaded first."""
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
        and worker_id not in agenda.offered_by
    ):
        raise InvalidRequest(f"Worker {worker_id} does not offer appointment type {type_id}")
    # Every client rule reads the client's other appointments (SAME_TIME_APPOINTMENT is always
    # on), so two bookings of one client never check at the same time.
    await uow.scheduling.lock(client_locks(client_id, external_user_id))
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
    sessions = (demand.capacity or 1) > 1

    def at(chosen: int | None) -> NewTime:
        session_key = qr_token
        if chosen is not None and sessions:
            # Members of one group session share a key, so the overlap guard lets them overlap.
            session_key = _session(demand.appointment_type_id, chosen, starts_at)
        return NewTime(
            chosen, starts_at, ends_at, blocked_from, blocked_until, type_id, session_key
        )

    if not (agenda.schedule.configured or worker_id is not None):
        slot = at(None)  # an open desk: nothing on its schedule can refuse a booking
        return slot, await write(slot)

    async def verdicts(candidates: Sequence[int]) -> Sequence[Verdict]:
        # Only the appointments whose blocked time meets this one's can refuse it.
        bookings = await uow.scheduling.bookings(
            department.id, candidates, blocked_from, blocked_until, moving
        )
        schedule = replace(agenda.schedule, bookings=tuple(bookings))
        return explain_start(schedule, demand, starts_at, agenda.offered_by, worker_id)

    if not agenda.workers:
        await uow.scheduling.lock(_counter_stretches(department.id, blocked_from, blocked_until))
    elif worker_id is not None and sessions:
        await uow.scheduling.lock([at(worker_id).session_key])
    found = await verdicts([worker_id] if worker_id is not None else agenda.schedule.worker_ids)
    _refuse_unless_bookable(found)
    if worker_id is not None or not agenda.workers or not found:
        slot = at(worker_id)
        return slot, await write(slot)
    free = [v for v in found if v.bookable and v.worker_id is not None]
    if shuffled:
        order = [v.worker_id for v in random.sample(free, len(free)) if v.worker_id is not None]
    else:
        order = await _fair_order(uow, agenda, free, starts_at, moving)
    for number, chosen in enumerate(order, start=1):
        slot = at(chosen)
        if not sessions and number == len(order):
            return slot, await write(slot)
        if not sessions and write_unless_taken is not None:
            written = await write_unless_taken(slot)
            if written is not None:
                return slot, written
            continue
        try:
            async with uow.savepoint():
                if sessions:
                    # Count the session's places under its own lock: the database guards
                    # only overlaps between different sessions.
                    await uow.scheduling.lock([slot.session_key])
                    _refuse_unless_bookable(await verdicts([chosen]), only=chosen)
                written = await write(slot)
            return slot, written
        except SlotConflict as refused:
            if refused.code != "SLOT_UNAVAILABLE" or number == len(order):
                raise
    raise AssertionError("unreachable")


def _session(type_id: int | None, worker_id: int, starts_at: datetime) -> str:
    return f"session:{type_id}:{worker_id}:{epoch(starts_at)}"


def _counter_stretches(department_id: int, since: datetime, until: datetime) -> list[str]:
    first = int(since.timestamp()) // COUNTER_STRETCH
    last = (int(until.timestamp()) - 1) // COUNTER_STRETCH
    return [f"counter:{department_id}:{n}" for n in range(first, last + 1)]


def _refuse_unless_bookable(verdicts: Sequence[Verdict], only: int | None = None) -> None:
    mine = [v for v in verdicts if only is None or v.worker_id == only]
    if mine and not any(v.bookable for v in mine):
        raise slot_unavailable(
            "This time slot is not available: " + mine[0].findings[0].message
        ).error(
            [
                {
                    "workerId": str(v.worker_id) if v.worker_id is not None else "",
                    "reason": f.reason.value,
                    "message": f.message,
                }
                for v in mine
                for f in v.findings
            ]
        )


async def _fair_order(
    uow: UnitOfWork,
    agenda: Agenda,
    free: Sequence[Verdict],
    starts_at: datetime,
    moving: int | None,
) -> list[int]:
    """The free workers in the order they are tried: an open group session first, then the
    least loaded that local day (minutes, then bookings), then the lowest id. Spreads load
    evenly when clients do not choose. The day's load is summed by the database."""
    capacity = agenda.demand.capacity or 1
    load: dict[int, tuple[int, int]] = {}
    ids = [v.worker_id for v in free if v.worker_id is not None]
    if len(ids) > 1:
        tz = agenda.tz
        day = local_days(starts_at, starts_at + timedelta(seconds=1), tz)[0]
        load = await uow.scheduling.booked_minutes(
            ids, day_start(day, tz), day_start(day + timedelta(days=1), tz), moving
        )

    def key(v: Verdict) -> tuple[int, int, int, int]:
        assert v.worker_id is not None
        joining = 0 if capacity > 1 and v.remaining < capacity else 1
        return (joining, *load.get(v.worker_id, (0, 0)), v.worker_id)

    return [v.worker_id for v in sorted(free, key=key) if v.worker_id is not None]

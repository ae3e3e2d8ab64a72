"""Use cases that read the schedule: free slots, explain a refusal, and the shared loader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slotbook.application.access import Principal, Scope, require
from slotbook.application.agenda import DepartmentAgenda, agenda_of, type_of
from slotbook.application.ports import Services, UnitOfWork
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import supported
from slotbook.domain.organizations import Department, Worker
from slotbook.domain.rules import BookingAttempt, Violation, violations
from slotbook.domain.schedules import (
    AppointmentType,
    Booking,
    BusyTimes,
    Closure,
    Demand,
    DepartmentSchedule,
    ResourceSchedule,
    ScheduleException,
    SchedulingSettings,
)
from slotbook.domain.slots import FreeStart, Slot, free_slot_starts, slots_of
from slotbook.domain.time import day_start, local_to_utc, zone
from slotbook.domain.verdicts import Verdict, explain_start

MAX_RANGE_DAYS = 62
DEFAULT_RANGE_DAYS = 7
# Bookings and exceptions are read this far around a window, so buffers and long appointments
# that start outside it still count.
MARGIN = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Agenda:
    """A department's schedule for one window and one appointment type, ready for the domain."""

    department: Department
    settings: SchedulingSettings
    workers: Sequence[Worker]
    kind: AppointmentType | None
    demand: Demand
    schedule: DepartmentSchedule
    offered_by: frozenset[int] | None

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.settings.time_zone)


async def load_agenda(
    services: Services,
    uow: UnitOfWork,
    cached: DepartmentAgenda,
    type_id: int | None,
    since: datetime,
    until: datetime,
    exclude_appointment: int | None = None,
    *,
    with_bookings: bool = True,
) -> Agenda:
    """Everything the domain needs about [since, until) in one department: its cached agenda,
    the appointment type, and (unless `with_bookings=False`, which leaves them to a booking
    that reads only those meeting its own time) the appointments.

    An always-open department is not configured: its hours, exceptions and closures change
    nothing."""
    department, settings = cached.department, cached.settings
    kind = None
    if type_id is not None:
        kind = await type_of(services, uow, type_id)
        if kind.archived or kind.department_id not in (None, department.id):
            raise InvalidRequest(
                f"Appointment type {type_id} is not offered in department {department.id}"
            )
    demand = Demand.of(kind) if kind else Demand(settings.slot_interval_minutes)
    workers = cached.workers
    hours = cached.hours
    own = hours.get(None, ())
    configured = not settings.always_open
    exceptions: Sequence[ScheduleException] = ()
    closures: Sequence[Closure] = ()
    if configured:
        exceptions = cached.exceptions_between(since - MARGIN, until + MARGIN)
        closures = cached.closures
    if workers:
        # A worker without hours of their own follows the department's opening hours.
        resources = tuple(
            ResourceSchedule(
                w.id,
                hours.get(w.id) or own,
                tuple(x for x in exceptions if x.worker_id == w.id),
            )
            for w in workers
        )
    else:
        resources = (
            ResourceSchedule(
                None,
                own,
                tuple(x for x in exceptions if x.worker_id is None),
                capacity=settings.slot_capacity,
            ),
        )
    bookings: Sequence[Booking] = ()
    if with_bookings:
        bookings = await uow.scheduling.bookings(
            department.id, cached.worker_ids, since - MARGIN, until + MARGIN, exclude_appointment
        )
    schedule = DepartmentSchedule(
        time_zone=settings.time_zone,
        slot_interval_minutes=settings.slot_interval_minutes,
        resources=resources,
        closures=tuple(c.day for c in closures),
        bookings=tuple(bookings),
        configured=configured,
        closure_reasons={c.day: c.reason for c in closures},
    )
    offered_by = frozenset(kind.worker_ids) if kind and kind.worker_ids else None
    return Agenda(department, settings, workers, kind, demand, schedule, offered_by)


@dataclass(frozen=True, slots=True)
class SlotQuery:
    department_id: int
    appointment_type_id: int | None = None
    worker_id: int | None = None
    start_date: date | None = None  # local dates of the department, inclusive
    end_date: date | None = None


@dataclass(frozen=True, slots=True)
class SlotList:
    agenda: Agenda
    start_date: date
    end_date: date
    free: Sequence[FreeStart]  # in epoch seconds, by start

    @property
    def slots(self) -> list[Slot]:
        return slots_of(self.free, self.agenda.demand)


async def available_slots(services: Services, principal: Principal, query: SlotQuery) -> SlotList:
    """Free start times in a range of local days, bounded by the department's policy."""
    require(principal, Scope.APPOINTMENTS_READ)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=False) as uow:
        cached = await agenda_of(services, uow, query.department_id)
        department, settings = cached.department, cached.settings
        tz = zone(settings.time_zone)
        first = supported(query.start_date or now.astimezone(tz).date(), "startDate")
        last = supported(
            query.end_date or first + timedelta(days=DEFAULT_RANGE_DAYS - 1), "endDate"
        )
        if last < first:
            raise InvalidRequest("endDate must not be before startDate")
        if (last - first).days >= MAX_RANGE_DAYS:
            raise InvalidRequest(f"A range covers at most {MAX_RANGE_DAYS} days")
        since = day_start(first, tz)
        until = day_start(last + timedelta(days=1), tz)
        agenda = await load_agenda(
            services, uow, cached, query.appointment_type_id, since, until, with_bookings=False
        )
        demand = agenda.demand
        busy: dict[int | None, BusyTimes] = {}
        if agenda.schedule.configured:
            # The bookings as the sweep reads them, not a Booking per appointment: listing a
            # month of a busy department reads thousands.
            session_type = demand.appointment_type_id if (demand.capacity or 1) > 1 else None
            busy = await uow.scheduling.busy_times(
                department.id,
                agenda.schedule.worker_ids,
                since - MARGIN,
                until + MARGIN,
                session_type,
            )
            # Times held for waitlist offers are not free for anyone else (docs/waitlist.md).
            held = await uow.waitlist.held(
                agenda.schedule.worker_ids, since - MARGIN, until + MARGIN
            )
            busy = with_held(busy, held)
    _check_worker(agenda, query.worker_id)
    policy = agenda.settings.policy
    since = max(since, now, policy.earliest_start(now))
    latest = policy.latest_start(now)
    if latest is not None:
        until = min(until, latest + timedelta(seconds=1))
    offered = agenda.offered_by
    if query.worker_id is not None:
        offered = frozenset({query.worker_id}) & (offered or frozenset({query.worker_id}))
    free = free_slot_starts(agenda.schedule, demand, since, until, offered, busy)
    return SlotList(agenda, first, last, free)


def with_held(
    busy: dict[int | None, BusyTimes], held: Sequence[tuple[int, datetime, datetime]]
) -> dict[int | None, BusyTimes]:
    """The busy times with each held time added to its worker's, as a booking would be."""
    if not held:
        return busy
    merged = dict(busy)
    for worker_id, blocked_from, blocked_until in held:
        current = merged.get(worker_id, BusyTimes((), ()))
        merged[worker_id] = BusyTimes(
            [*current.block_starts, int(blocked_from.timestamp())],
            [*current.block_ends, int(blocked_until.timestamp())],
            current.session_starts,
        )
    return merged


def _check_worker(agenda: Agenda, worker_id: int | None) -> None:
    if worker_id is not None and worker_id not in {w.id for w in agenda.workers}:
        raise InvalidRequest(
            f"Worker {worker_id} does not work in department {agenda.department.id}"
        )


@dataclass(frozen=True, slots=True)
class Explanation:
    agenda: Agenda
    starts_at: datetime
    ends_at: datetime
    rule_violations: Sequence[Violation]
    verdicts: Sequence[Verdict]
    in_the_past: bool

    @property
    def bookable(self) -> bool:
        if self.in_the_past or self.rule_violations:
            return False
        if not self.agenda.schedule.configured and not any(
            v.worker_id is not None for v in self.verdicts
        ):
            return True
        return any(v.bookable for v in self.verdicts)


async def explain(
    services: Services,
    principal: Principal,
    department_id: int,
    date_time: datetime,
    appointment_type_id: int | None = None,
    worker_id: int | None = None,
    external_user_id: str | None = None,
) -> Explanation:
    """Why a time is or is not bookable: the department's rules, then each worker's schedule."""
    require(principal, Scope.APPOINTMENTS_READ)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=False) as uow:
        cached = await agenda_of(services, uow, department_id)
        tz = zone(cached.settings.time_zone)
        starts_at = local_to_utc(date_time, tz).replace(microsecond=0)
        agenda = await load_agenda(
            services, uow, cached, appointment_type_id, starts_at, starts_at + MARGIN
        )
        client = (
            await uow.scheduling.client_bookings(external_user_id, now) if external_user_id else ()
        )
    _check_worker(agenda, worker_id)
    ends_at = starts_at + timedelta(minutes=agenda.demand.duration_minutes)
    found = violations(agenda.settings.policy, BookingAttempt(now, starts_at, ends_at, client))
    verdicts = explain_start(
        agenda.schedule, agenda.demand, starts_at, agenda.offered_by, only=worker_id
    )
    return Explanation(agenda, starts_at, ends_at, found, verdicts, starts_at <= now)

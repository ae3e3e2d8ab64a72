"""An in-memory unit of work with the repositories the booking use cases need: the proof that
the ports are shaped by the use cases, not by a database. It keeps the guarantees the use
cases count on: a worker's active appointments never overlap (the database's exclusion
constraint), a savepoint undoes only its own writes, and the debit never overdraws."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import count
from types import TracebackType
from typing import Any, cast
from uuid import uuid4

from slotbook.application.access import ALL_SCOPES, Principal
from slotbook.application.agenda import AgendaCache
from slotbook.application.ports import (
    CreationEntry,
    NewAppointment,
    NewHistoryEntry,
    Services,
    UnitOfWorkFactory,
)
from slotbook.domain.appointments import ACTIVE_STATUSES, AppointmentStatus
from slotbook.domain.credits import LedgerReason
from slotbook.domain.errors import InsufficientCredits, SlotConflict
from slotbook.domain.events import EventType
from slotbook.domain.history import HistoryAction
from slotbook.domain.organizations import Department, Worker
from slotbook.domain.rules import slot_unavailable
from slotbook.domain.schedules import (
    AppointmentType,
    Booking,
    Closure,
    DailyRange,
    ScheduleException,
    SchedulingSettings,
)

ORGANIZATION = 1


@dataclass
class Stored:
    """An appointment row."""

    id: int
    new: NewAppointment
    status: AppointmentStatus = AppointmentStatus.SCHEDULED

    def booking(self) -> Booking:
        new = self.new
        assert new.ends_at
        assert new.blocked_from
        assert new.blocked_until
        return Booking(
            self.id,
            new.worker_id,
            new.starts_at,
            new.ends_at,
            new.blocked_from,
            new.blocked_until,
            new.appointment_type_id,
            new.external_user_id,
            new.department_id,
        )


@dataclass
class Database:
    """What a real database would hold, shared by every unit of work of a test."""

    departments: dict[int, Department] = field(default_factory=dict)
    settings: dict[int, SchedulingSettings] = field(default_factory=dict)
    workers: dict[int, list[Worker]] = field(default_factory=dict)  # by department
    hours: dict[int | None, tuple[DailyRange, ...]] = field(default_factory=dict)  # by worker
    exceptions: list[ScheduleException] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    types: dict[int, AppointmentType] = field(default_factory=dict)
    appointments: list[Stored] = field(default_factory=list)
    credits: int = 100
    ledger: list[tuple[int, LedgerReason, int]] = field(default_factory=list)
    history: list[NewHistoryEntry] = field(default_factory=list)
    events: list[EventType] = field(default_factory=list)
    agenda_version: int = 0
    ids: count[int] = field(default_factory=lambda: count(1))
    reads: dict[str, int] = field(default_factory=dict)  # repository reads, by name
    # A concurrent booking, taken the moment this worker is first inserted for (a race lost).
    taken_first: set[int] = field(default_factory=set)
    # Times held for waitlist offers: (worker, blocked from, blocked until).
    holds: list[tuple[int, datetime, datetime]] = field(default_factory=list)

    def read(self, name: str) -> None:
        self.reads[name] = self.reads.get(name, 0) + 1


def _active(db: Database) -> list[Stored]:
    return [a for a in db.appointments if a.status in ACTIVE_STATUSES]


class FakeDepartments:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, department_id: int) -> Department | None:
        self.db.read("department")
        return self.db.departments.get(department_id)


class FakeScheduling:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.locks: list[str] = []

    async def lock(self, names: Sequence[str]) -> None:
        self.locks.extend(sorted(set(names)))

    async def settings(self, department_id: int) -> SchedulingSettings | None:
        self.db.read("settings")
        return self.db.settings.get(department_id)

    async def department_workers(self, department_id: int) -> Sequence[Worker]:
        self.db.read("workers")
        return list(self.db.workers.get(department_id, []))

    async def hours(
        self, department_id: int, worker_ids: Sequence[int]
    ) -> dict[int | None, tuple[DailyRange, ...]]:
        self.db.read("hours")
        return {k: v for k, v in self.db.hours.items() if k is None or k in worker_ids}

    async def exceptions(
        self, department_id: int, worker_ids: Sequence[int]
    ) -> Sequence[ScheduleException]:
        self.db.read("exceptions")
        return [x for x in self.db.exceptions if x.worker_id in worker_ids]

    async def closures(self, department_id: int) -> Sequence[Closure]:
        self.db.read("closures")
        return [c for c in self.db.closures if c.department_id == department_id]

    async def bookings(
        self,
        department_id: int,
        worker_ids: Sequence[int],
        since: datetime,
        until: datetime,
        exclude: int | None = None,
    ) -> Sequence[Booking]:
        self.db.read("bookings")
        return [
            a.booking()
            for a in _active(self.db)
            if a.id != exclude
            and (a.new.worker_id in worker_ids or a.new.worker_id is None)
            and a.booking().blocked_from < until
            and a.booking().blocked_until > since
        ]

    async def booked_minutes(
        self, worker_ids: Sequence[int], since: datetime, until: datetime, exclude: int | None
    ) -> dict[int, tuple[int, int]]:
        load: dict[int, tuple[int, int]] = {}
        for a in _active(self.db):
            w = a.new.worker_id
            if w in worker_ids and since <= a.new.starts_at < until and a.id != exclude:
                assert w is not None
                assert a.new.ends_at is not None
                minutes, n = load.get(w, (0, 0))
                load[w] = (minutes + int((a.new.ends_at - a.new.starts_at).seconds / 60), n + 1)
        return load

    async def client_bookings(
        self, external_user_id: str | None, since: datetime, client_id: int | None = None
    ) -> Sequence[Booking]:
        self.db.read("client_bookings")
        return [
            a.booking()
            for a in _active(self.db)
            if (external_user_id is not None and a.new.external_user_id == external_user_id)
            and a.new.ends_at is not None
            and a.new.ends_at > since
        ]


class FakeTypes:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, type_id: int) -> AppointmentType | None:
        self.db.read("type")
        return self.db.types.get(type_id)


class FakeAppointments:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.mine: list[int] = []  # ids this unit of work inserted, in order

    async def add(
        self, new: NewAppointment, now: datetime, history: CreationEntry
    ) -> tuple[int, datetime]:
        # The exclusion constraint: a worker's active blocked times never overlap.
        db = self.db
        if new.worker_id in db.taken_first:
            db.taken_first.discard(new.worker_id)
            rival = replace(new, session_key="rival", qr_token="rival", external_user_id=None)
            db.appointments.append(Stored(next(db.ids), rival))
        for other in _active(db):
            if (
                other.new.worker_id is not None
                and other.new.worker_id == new.worker_id
                and other.new.session_key != new.session_key
                and other.booking().blocked_from < (new.blocked_until or new.starts_at)
                and other.booking().blocked_until > (new.blocked_from or new.starts_at)
            ):
                raise slot_unavailable("taken by a concurrent booking").error()
        stored = Stored(next(db.ids), new)
        db.appointments.append(stored)
        self.mine.append(stored.id)
        db.history.append(
            NewHistoryEntry(
                stored.id, HistoryAction.CREATED, history.actor, history.api_key_id, history.change
            )
        )
        return stored.id, now

    async def add_unless_taken(
        self, new: NewAppointment, now: datetime, history: CreationEntry
    ) -> tuple[int, datetime] | None:
        try:
            return await self.add(new, now, history)  # a refused add writes nothing here
        except SlotConflict as refused:
            if refused.code != "SLOT_UNAVAILABLE":
                raise
            return None

    async def count_no_shows(self, client_id: int, since: datetime) -> int:
        return 0


class FakeCredits:
    threshold_seen: int | None = None

    def __init__(self, db: Database) -> None:
        self.db = db

    async def spend(
        self, cost: int, reason: LedgerReason, now: datetime, appointment_id: int
    ) -> int:
        if self.db.credits < cost:
            raise InsufficientCredits(self.db.credits, cost)
        self.db.credits -= cost
        self.db.ledger.append((-cost, reason, appointment_id))
        return self.db.credits


class FakeHistory:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def append(self, entries: Sequence[NewHistoryEntry], now: datetime) -> None:
        self.db.history.extend(entries)


class FakeOutbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, event_type: EventType, data: Mapping[str, Any], now: datetime) -> str:
        self.db.events.append(event_type)
        return "evt_" + uuid4().hex


class FakeWaitlist:
    """The held times a booking asks about after a refusal."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def held(
        self, worker_ids: Sequence[int], since: datetime, until: datetime
    ) -> list[tuple[int, datetime, datetime]]:
        self.db.read("held")
        return [h for h in self.db.holds if h[0] in worker_ids and h[1] < until and h[2] > since]


class FakeUnitOfWork:
    def __init__(self, db: Database, organization_id: int) -> None:
        self.db = db
        self.organization_id = organization_id
        self.departments = FakeDepartments(db)
        self.scheduling = FakeScheduling(db)
        self.appointment_types = FakeTypes(db)
        self.appointments = FakeAppointments(db)
        self.credits = FakeCredits(db)
        self.history = FakeHistory(db)
        self.outbox = FakeOutbox(db)
        self.waitlist = FakeWaitlist(db)
        self._saved: Database | None = None
        self.committed = False

    async def agenda_version(self) -> int | None:
        return self.db.agenda_version

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        mine = self.appointments.mine
        kept = len(mine)
        try:
            yield
        except Exception:
            undone = set(mine[kept:])
            del mine[kept:]
            self.db.appointments[:] = [a for a in self.db.appointments if a.id not in undone]
            raise

    async def commit(self) -> None:
        self.committed = True

    async def __aenter__(self) -> FakeUnitOfWork:
        self._saved = copy.deepcopy(self.db)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.committed and self._saved is not None:
            reads = self.db.reads
            self.db.__dict__.update(self._saved.__dict__)
            self.db.reads = reads  # the reads happened, whatever became of the writes


class _Secrets:
    def new_qr_token(self) -> str:
        return uuid4().hex


def services_for(db: Database, clock: Any) -> Services:
    def uow(organization_id: int, *, write: bool) -> FakeUnitOfWork:
        return FakeUnitOfWork(db, organization_id)

    return Services(
        uow=cast(UnitOfWorkFactory, uow),
        registry=cast(Any, None),  # no 403/404 look-ups in these tests
        clock=clock,
        secrets=cast(Any, _Secrets()),
        passwords=cast(Any, None),
        url_guard=cast(Any, None),
        agenda=AgendaCache(),
    )


PRINCIPAL = Principal(ORGANIZATION, api_key_id=7, scopes=ALL_SCOPES, rate_limit_per_hour=1000)

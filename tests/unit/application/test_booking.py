"""The booking use case on the in-memory unit of work: no database, the same decisions."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from slotbook.application.booking import BookingRequest, create_appointment
from slotbook.domain.errors import DomainError
from slotbook.domain.events import EventType
from slotbook.domain.organizations import Department, Worker
from slotbook.domain.schedules import AppointmentType, DailyRange, SchedulingSettings
from tests.unit.application.fake_uow import ORGANIZATION, PRINCIPAL, Database, services_for

DEPARTMENT = 10
FIRST, SECOND = 21, 22
TYPE = 30
ZONE = "Europe/Paris"
# A Tuesday, booked from the Monday before: the clock is fixed, not today's.
WHEN = datetime(2030, 1, 8, 10, 0)


class FixedClock:
    def now(self) -> datetime:
        return datetime(2030, 1, 7, 8, 0, tzinfo=UTC)


def _database(workers: tuple[int, ...] = (FIRST, SECOND), capacity: int | None = None) -> Database:
    db = Database()
    db.departments[DEPARTMENT] = Department(
        DEPARTMENT, ORGANIZATION, "Clinic", "Desk", None, False, ZONE, uuid4()
    )
    db.settings[DEPARTMENT] = SchedulingSettings(DEPARTMENT, ZONE, 15, slot_capacity=2)
    db.workers[DEPARTMENT] = [Worker(w, ORGANIZATION, f"Worker {w}", uuid4()) for w in workers]
    week = tuple(DailyRange(day, 9 * 60, 17 * 60) for day in range(7))
    db.hours = {w: week for w in workers} if workers else {None: week}
    db.types[TYPE] = AppointmentType(TYPE, ORGANIZATION, "Visit", 30, uuid4(), capacity=capacity)
    return db


def _request(**fields: object) -> BookingRequest:
    values: dict[str, object] = {
        "department_id": DEPARTMENT,
        "date_time": WHEN,
        "name": "Client",
        "appointment_type_id": TYPE,
        **fields,
    }
    return BookingRequest(**values)  # type: ignore[arg-type]


async def test_a_booking_writes_the_appointment_debit_history_and_event() -> None:
    db = _database()
    services = services_for(db, FixedClock())
    booked = await create_appointment(services, PRINCIPAL, _request())
    assert booked.worker_id == FIRST  # both free and unloaded: the lowest id
    assert booked.ends_at is not None
    assert (booked.ends_at - booked.starts_at).seconds == 1800
    assert [a.id for a in db.appointments] == [booked.id]
    assert db.credits == 99
    assert len(db.ledger) == 1
    assert len(db.history) == 1
    assert db.events == [EventType.APPOINTMENT_CREATED]
    again = await create_appointment(services, PRINCIPAL, _request())
    assert again.worker_id == SECOND  # the one free at that time


async def test_a_worker_taken_by_a_concurrent_booking_is_skipped_for_the_next() -> None:
    db = _database()
    db.taken_first = {FIRST}  # a rival commits on the first choice between read and insert
    booked = await create_appointment(services_for(db, FixedClock()), PRINCIPAL, _request())
    assert booked.worker_id == SECOND
    assert sorted(a.new.worker_id or 0 for a in db.appointments) == [FIRST, SECOND]
    assert db.credits == 99  # one debit: the refused attempt wrote nothing


async def test_when_every_free_worker_is_taken_the_booking_is_refused() -> None:
    db = _database(workers=(FIRST,))
    db.taken_first = {FIRST}
    with pytest.raises(DomainError) as refused:
        await create_appointment(services_for(db, FixedClock()), PRINCIPAL, _request())
    assert refused.value.code == "SLOT_UNAVAILABLE"
    assert db.credits == 100
    assert db.history == []
    assert db.events == []


async def test_a_named_worker_at_a_taken_time_is_refused() -> None:
    db = _database()
    services = services_for(db, FixedClock())
    await create_appointment(services, PRINCIPAL, _request(worker_id=SECOND))
    with pytest.raises(DomainError) as refused:
        await create_appointment(services, PRINCIPAL, _request(worker_id=SECOND))
    assert refused.value.code == "SLOT_UNAVAILABLE"
    assert len(db.appointments) == 1


async def test_the_agenda_is_read_once_until_its_version_moves() -> None:
    db = _database()
    services = services_for(db, FixedClock())
    for hour in (10, 11, 12):
        await create_appointment(services, PRINCIPAL, _request(date_time=WHEN.replace(hour=hour)))
    assert db.reads["department"] == 1
    assert db.reads["hours"] == 1
    assert db.reads["type"] == 1
    assert db.reads["bookings"] == 3  # what can refuse a booking is read every time
    db.hours = {w: (DailyRange(1, 9 * 60, 10 * 60),) for w in (FIRST, SECOND)}
    db.agenda_version += 1  # as every agenda write does in its transaction
    with pytest.raises(DomainError) as refused:
        await create_appointment(services, PRINCIPAL, _request(date_time=WHEN.replace(hour=14)))
    assert refused.value.code == "SLOT_UNAVAILABLE"
    assert db.reads["department"] == 2


async def test_counters_and_group_sessions_lock_only_what_they_count() -> None:
    counters = _database(workers=())
    services = services_for(counters, FixedClock())
    for _ in range(2):
        assert (await create_appointment(services, PRINCIPAL, _request())).worker_id is None
    with pytest.raises(DomainError) as full:
        await create_appointment(services, PRINCIPAL, _request())
    assert full.value.code == "SLOT_UNAVAILABLE"  # two counters, two places

    sessions = _database(capacity=3)
    services = services_for(sessions, FixedClock())
    booked = [await create_appointment(services, PRINCIPAL, _request()) for _ in range(4)]
    # The open session fills first (3 places), then the next worker's.
    assert [b.worker_id for b in booked] == [FIRST, FIRST, FIRST, SECOND]


async def test_locks_name_only_the_client_the_session_or_the_counters() -> None:
    from tests.unit.application.fake_uow import FakeUnitOfWork

    taken: list[list[str]] = []
    original = FakeUnitOfWork.commit

    async def commit(self: FakeUnitOfWork) -> None:
        taken.append(self.scheduling.locks)
        await original(self)

    FakeUnitOfWork.commit = commit  # type: ignore[method-assign]
    try:
        for db in (_database(), _database(workers=()), _database(capacity=3)):
            await create_appointment(
                services_for(db, FixedClock()), PRINCIPAL, _request(external_user_id="u1")
            )
    finally:
        FakeUnitOfWork.commit = original  # type: ignore[method-assign]
    individual, counters, session = taken
    assert individual == ["external:u1"]
    assert counters[0] == "external:u1"
    assert all(n.startswith("counter:") for n in counters[1:])
    assert session == ["external:u1", f"session:{TYPE}:{FIRST}:{int(_utc(WHEN))}"]


def _utc(local: datetime) -> float:
    from zoneinfo import ZoneInfo

    return local.replace(tzinfo=ZoneInfo(ZONE)).timestamp()


async def test_a_time_held_for_the_waitlist_is_refused_as_held() -> None:
    """The database guard refuses a held time (here: the worker taken first); only then is the
    hold looked up, to say so. A booking that succeeds never reads the holds."""
    db = _database(workers=(FIRST,))
    services = services_for(db, FixedClock())
    await create_appointment(services, PRINCIPAL, _request(date_time=WHEN.replace(hour=9)))
    assert "held" not in db.reads
    starts = datetime(2030, 1, 8, 9, 0, tzinfo=UTC)  # 10:00 in Paris
    db.holds = [(FIRST, starts, starts.replace(hour=10))]
    db.taken_first = {FIRST}
    with pytest.raises(DomainError) as refused:
        await create_appointment(services, PRINCIPAL, _request())
    assert refused.value.code == "SLOT_UNAVAILABLE"
    assert "held" in refused.value.message

"""Free-slot computation over generated schedules (hypothesis), and DST days by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from slotbook.domain.schedules import (
    Booking,
    DailyRange,
    Demand,
    DepartmentSchedule,
    ExceptionKind,
    ResourceSchedule,
    ScheduleException,
    weekly_hours,
)
from slotbook.domain.slots import Slot, find_free_slots
from slotbook.domain.verdicts import Reason, explain_start

ZONES = ["Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata"]
# DST days of 2026 (Paris: Mar 29 / Oct 25; New York: Mar 8 / Nov 1) and a few ordinary days.
DAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 8), date(2026, 11, 1)] + [
    date(2026, 6, 1) + timedelta(days=n) for n in range(0, 120, 17)
]
FIVE = timedelta(minutes=5)


@st.composite
def day_ranges(draw: st.DrawFn, weekday: int) -> list[DailyRange]:
    cuts = draw(st.lists(st.integers(0, 288), min_size=0, max_size=6, unique=True))
    cuts.sort()
    return [DailyRange(weekday, a * 5, b * 5) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]


@st.composite
def intervals(draw: st.DrawFn, start: datetime, days: int) -> tuple[datetime, datetime]:
    begin = start + FIVE * draw(st.integers(0, days * 288))
    return begin, begin + FIVE * draw(st.integers(1, 60))


@st.composite
def schedules(draw: st.DrawFn) -> tuple[DepartmentSchedule, Demand, datetime, datetime]:
    tz_name = draw(st.sampled_from(ZONES))
    tz = ZoneInfo(tz_name)
    first = draw(st.sampled_from(DAYS)) - timedelta(days=1)
    days = 3
    window_from = datetime.combine(first, datetime.min.time(), tz).astimezone(UTC)
    window_until = window_from + timedelta(days=days)
    n_workers = draw(st.integers(1, 3))
    resources = []
    bookings: list[Booking] = []
    booking_id = 0
    for worker in range(1, n_workers + 1):
        ranges = [r for weekday in range(7) for r in draw(day_ranges(weekday))]
        exceptions = []
        for n in range(draw(st.integers(0, 3))):
            s, e = draw(intervals(window_from, days))
            kind = draw(st.sampled_from(list(ExceptionKind)))
            exceptions.append(ScheduleException(n, kind, s, e, worker_id=worker))
        resources.append(ResourceSchedule(worker, weekly_hours(ranges), tuple(exceptions)))
        for _ in range(draw(st.integers(0, 8))):
            s, e = draw(intervals(window_from - timedelta(days=1), days + 1))
            before = FIVE * draw(st.integers(0, 4))
            after = FIVE * draw(st.integers(0, 4))
            booking_id += 1
            bookings.append(Booking(booking_id, worker, s, e, s - before, e + after))
    closures = (
        tuple(d for d in (first + timedelta(days=n) for n in range(days)) if draw(st.booleans()))
        if draw(st.booleans())
        else ()
    )
    schedule = DepartmentSchedule(
        time_zone=tz_name,
        slot_interval_minutes=5 * draw(st.integers(1, 12)),
        resources=tuple(resources),
        closures=closures,
        bookings=tuple(bookings),
    )
    demand = Demand(
        duration_minutes=5 * draw(st.integers(1, 24)),
        buffer_before_minutes=5 * draw(st.integers(0, 3)),
        buffer_after_minutes=5 * draw(st.integers(0, 3)),
    )
    return schedule, demand, window_from, window_until


def _working_at(schedule: DepartmentSchedule, resource: ResourceSchedule, t: datetime) -> bool:
    """An independent oracle: is the worker working at instant `t`? (wall clock, no spans)"""
    local = t.astimezone(ZoneInfo(schedule.time_zone))
    if local.date() in schedule.closures:
        return False
    for x in resource.exceptions:
        if x.kind is ExceptionKind.TIME_OFF and x.starts_at <= t < x.ends_at:
            return False
    for x in resource.exceptions:
        if x.kind is ExceptionKind.EXTRA_HOURS and x.starts_at <= t < x.ends_at:
            return True
    minute = local.hour * 60 + local.minute
    if any(
        r.weekday == local.weekday() and r.start_minute <= minute < r.end_minute
        for r in resource.hours
    ):
        return True
    if local.fold == 1:
        # The second pass of the autumn repeated hour: a range is the span between the first
        # occurrences of its ends (docs/scheduling.md), so 02:05-03:00 covers the second 02:00.
        midnight = datetime.combine(local.date(), datetime.min.time())
        zone = ZoneInfo(schedule.time_zone)

        def first(minutes: int) -> datetime:
            return (midnight + timedelta(minutes=minutes)).replace(tzinfo=zone, fold=0)

        return any(
            r.weekday == local.weekday() and first(r.start_minute) <= t < first(r.end_minute)
            for r in resource.hours
        )
    return False


def _check_slot(schedule: DepartmentSchedule, demand: Demand, slot: Slot) -> None:
    resources = {r.worker_id: r for r in schedule.resources}
    blocked_from, blocked_until = demand.blocked(slot.starts_at)
    for worker in slot.worker_ids:
        resource = resources[worker]
        for b in schedule.bookings:
            if b.worker_id == worker:
                assert not (b.blocked_from < blocked_until and blocked_from < b.blocked_until), (
                    f"slot {slot} overlaps booking {b}"
                )
        t = slot.starts_at
        while t < slot.ends_at:
            assert _working_at(schedule, resource, t), f"{slot} outside hours at {t}"
            t += FIVE
        verdicts = explain_start(schedule, demand, slot.starts_at, only=worker)
        assert verdicts[0].bookable, verdicts


def _one_worker(
    tz: str, day: date, start_minute: int, end_minute: int, **kw: object
) -> DepartmentSchedule:
    hours = (DailyRange(day.weekday(), start_minute, end_minute),)
    return DepartmentSchedule(
        time_zone=tz,
        slot_interval_minutes=30,
        resources=(ResourceSchedule(7, hours),),
        **kw,  # type: ignore[arg-type]
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules())
@example(
    (
        _one_worker("Europe/Paris", date(2026, 10, 25), 2 * 60 + 5, 3 * 60),
        Demand(duration_minutes=5),
        datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 3, 0, tzinfo=UTC),
    )
)
def test_every_slot_is_free_inside_hours_and_bookable(
    case: tuple[DepartmentSchedule, Demand, datetime, datetime],
) -> None:
    schedule, demand, window_from, window_until = case
    slots = find_free_slots(schedule, demand, window_from, window_until)
    starts = [s.starts_at for s in slots]
    assert starts == sorted(set(starts)), "slots are sorted and never repeat an instant"
    for slot in slots:
        assert window_from <= slot.starts_at < window_until
        assert slot.worker_ids
        assert slot.remaining == len(slot.worker_ids)
        _check_slot(schedule, demand, slot)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), st.data())
def test_a_start_refused_by_explain_is_never_listed(
    case: tuple[DepartmentSchedule, Demand, datetime, datetime], data: st.DataObject
) -> None:
    schedule, demand, window_from, window_until = case
    listed = {
        s.starts_at: set(s.worker_ids)
        for s in find_free_slots(schedule, demand, window_from, window_until)
    }
    start = window_from + FIVE * data.draw(st.integers(0, 3 * 288 - 1))
    for verdict in explain_start(schedule, demand, start):
        if not verdict.bookable:
            assert verdict.worker_id not in listed.get(start, set())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules())
def test_a_working_start_is_listed_unless_a_booking_blocks_it(
    case: tuple[DepartmentSchedule, Demand, datetime, datetime],
) -> None:
    """Completeness: the same schedule without bookings gives every grid start inside the
    hours; with the bookings, a worker loses exactly the starts a booking of theirs blocks."""
    schedule, demand, window_from, window_until = case
    listed = {
        s.starts_at: set(s.worker_ids)
        for s in find_free_slots(schedule, demand, window_from, window_until)
    }
    unbooked = find_free_slots(replace(schedule, bookings=()), demand, window_from, window_until)
    for slot in unbooked:
        blocked_from, blocked_until = demand.blocked(slot.starts_at)
        for worker in slot.worker_ids:
            blocked = any(
                b.worker_id == worker
                and b.blocked_from < blocked_until
                and blocked_from < b.blocked_until
                for b in schedule.bookings
            )
            assert (worker in listed.get(slot.starts_at, set())) is not blocked, (slot, worker)
    assert set(listed) <= {s.starts_at for s in unbooked}


def _local_day(tz: str, day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    start = datetime.combine(day, datetime.min.time(), zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _walls(slots: list[Slot], tz: str) -> list[str]:
    return [s.starts_at.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes") for s in slots]


def test_spring_gap_in_paris_has_no_slot() -> None:
    day = date(2026, 3, 29)
    schedule = _one_worker("Europe/Paris", day, 60, 240)  # 01:00-04:00 local
    slots = find_free_slots(schedule, Demand(30), *_local_day("Europe/Paris", day))
    assert _walls(slots, "Europe/Paris") == [
        "2026-03-29T01:00+01:00",
        "2026-03-29T01:30+01:00",
        "2026-03-29T03:00+02:00",
        "2026-03-29T03:30+02:00",
    ]


def test_autumn_overlap_in_paris_repeats_no_instant() -> None:
    day = date(2026, 10, 25)
    schedule = _one_worker("Europe/Paris", day, 60, 240)  # 01:00-04:00 local: 4 real hours
    slots = find_free_slots(schedule, Demand(60), *_local_day("Europe/Paris", day))
    walls = _walls(slots, "Europe/Paris")
    assert walls == [
        "2026-10-25T01:00+02:00",
        "2026-10-25T01:30+02:00",
        "2026-10-25T02:00+02:00",
        "2026-10-25T02:30+02:00",
        "2026-10-25T02:00+01:00",
        "2026-10-25T02:30+01:00",
        "2026-10-25T03:00+01:00",
    ]
    assert len({s.starts_at for s in slots}) == len(slots)


def test_new_york_spring_and_autumn_days() -> None:
    spring, autumn = date(2026, 3, 8), date(2026, 11, 1)
    tz = "America/New_York"
    slots = find_free_slots(_one_worker(tz, spring, 0, 300), Demand(30), *_local_day(tz, spring))
    assert not [w for w in _walls(slots, tz) if "T02:" in w]
    assert len(slots) == 8  # 00:00-05:00 wall clock is 4 real hours on this day
    slots = find_free_slots(_one_worker(tz, autumn, 0, 300), Demand(30), *_local_day(tz, autumn))
    assert len(slots) == 12  # ... and 6 real hours on this one
    assert len({s.starts_at for s in slots}) == 12


def test_range_starting_inside_the_gap_starts_when_the_clocks_jump() -> None:
    day = date(2026, 3, 29)
    schedule = _one_worker("Europe/Paris", day, 150, 240)  # 02:30-04:00; 02:30 does not exist
    slots = find_free_slots(schedule, Demand(30), *_local_day("Europe/Paris", day))
    assert _walls(slots, "Europe/Paris") == ["2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00"]


def test_closure_time_off_and_buffers_are_explained() -> None:
    tz = "Europe/Paris"
    day = date(2026, 6, 2)
    start = datetime(2026, 6, 2, 10, 0, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    booked = Booking(
        1,
        7,
        start + timedelta(minutes=40),
        start + timedelta(minutes=70),
        start + timedelta(minutes=40),
        start + timedelta(minutes=70),
    )
    off = ScheduleException(
        1,
        ExceptionKind.TIME_OFF,
        start - timedelta(hours=2),
        start - timedelta(hours=1),
        "dentist",
        worker_id=7,
    )
    hours = (DailyRange(day.weekday(), 8 * 60, 12 * 60),)
    schedule = DepartmentSchedule(tz, 30, (ResourceSchedule(7, hours, (off,)),), bookings=(booked,))
    demand = Demand(30, buffer_after_minutes=15)
    [verdict] = explain_start(schedule, demand, start)
    assert [f.reason for f in verdict.findings] == [Reason.BUFFER]
    [verdict] = explain_start(schedule, demand, start + timedelta(minutes=30))
    assert [f.reason for f in verdict.findings] == [Reason.TAKEN]
    [verdict] = explain_start(schedule, demand, start - timedelta(hours=2))
    assert [f.reason for f in verdict.findings] == [Reason.TIME_OFF]
    [verdict] = explain_start(schedule, demand, start + timedelta(hours=3))
    assert [f.reason for f in verdict.findings] == [Reason.OUTSIDE_WORKING_HOURS]
    closed = DepartmentSchedule(tz, 30, schedule.resources, closures=(day,))
    [verdict] = explain_start(closed, demand, start)
    assert [f.reason for f in verdict.findings] == [Reason.CLOSED]
    assert find_free_slots(closed, demand, *_local_day(tz, day)) == []


def test_department_counters_and_group_sessions_count_places() -> None:
    tz = "UTC"
    day = date(2026, 6, 2)
    start = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
    end = start + timedelta(minutes=30)
    hours = (DailyRange(day.weekday(), 9 * 60, 10 * 60),)
    taken = tuple(Booking(n, None, start, end, start, end) for n in range(3))
    counters = DepartmentSchedule(
        tz, 30, (ResourceSchedule(None, hours, capacity=4),), bookings=taken
    )
    slots = find_free_slots(counters, Demand(30), *_local_day(tz, day))
    assert [(s.starts_at.hour, s.starts_at.minute, s.remaining) for s in slots] == [
        (9, 0, 1),
        (9, 30, 4),
    ]
    full = DepartmentSchedule(tz, 30, counters.resources, bookings=(*taken, taken[0]))
    [verdict] = explain_start(full, Demand(30), start)
    assert verdict.findings[0].reason is Reason.FULL

    group = Demand(30, capacity=3, appointment_type_id=5)
    members = tuple(Booking(n, 7, start, end, start, end, appointment_type_id=5) for n in range(2))
    other = Booking(9, 7, end, end + timedelta(minutes=30), end, end + timedelta(minutes=30), 6)
    session = DepartmentSchedule(tz, 30, (ResourceSchedule(7, hours),), bookings=(*members, other))
    slots = find_free_slots(session, group, *_local_day(tz, day))
    assert [(s.starts_at.minute, s.remaining) for s in slots] == [(0, 1)]

"""When people work: weekly hours, dated exceptions, closures, and appointment types."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from uuid import UUID

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.policy import BookingPolicy

MINUTES_PER_DAY = 24 * 60
MAX_DURATION_MINUTES = 7 * MINUTES_PER_DAY
DEFAULT_SLOT_INTERVAL_MINUTES = 30
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@dataclass(frozen=True, slots=True, order=True)
class DailyRange:
    """A wall-clock range [start, end) on one weekday (0 = Monday), in minutes after midnight.

    `end_minute` may be 1440 (midnight at the end of the day). Ranges never cross midnight: a
    night shift is two ranges on two days.
    """

    weekday: int
    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidRequest(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if not 0 <= self.start_minute < self.end_minute <= MINUTES_PER_DAY:
            raise InvalidRequest(
                f"A working range must start before it ends, within one day "
                f"({_clock(self.start_minute)}-{_clock(self.end_minute)})"
            )


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def day_hours(hours: Iterable[DailyRange], weekday: int) -> str:
    """One weekday's hours as people read them: `Monday 09:00-12:00, 14:00-17:00`."""
    day = WEEKDAYS[weekday].capitalize()
    spans = [
        f"{_clock(r.start_minute)}-{_clock(r.end_minute)}" for r in hours if r.weekday == weekday
    ]
    return f"{day} {', '.join(spans)}" if spans else f"none on {day}"


def clock_text(minute: int) -> str:
    """`540` -> `"09:00"` (1440 is `"24:00"`, the end of the day)."""
    return _clock(minute)


def clock_minute(text: str) -> int:
    """`"09:00"` -> 540; `"24:00"` is the end of the day (1440)."""
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise InvalidRequest(f"A time of day is HH:MM, such as 09:00, not {text!r}")
    minute = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or minute > MINUTES_PER_DAY:
        raise InvalidRequest(f"A time of day is 00:00 to 24:00, not {text!r}")
    return minute


def weekdays_of(text: str) -> tuple[int, ...]:
    """Weekdays (0 = Monday) from `mon`, `monday`, `mon,wed`, `mon-fri` or `all`."""
    names = [day[:3].lower() for day in WEEKDAYS]

    def one(word: str) -> int:
        key = word.strip().lower()
        if len(key) < 3 or not any(day.lower().startswith(key) for day in WEEKDAYS):
            raise InvalidRequest(
                f"Unknown weekday {word!r}: use mon, tue, wed, thu, fri, sat, sun, "
                "a range such as mon-fri, or all"
            )
        return names.index(key[:3])

    days: set[int] = set()
    for part in text.split(","):
        if part.strip().lower() in ("all", "every"):
            days.update(range(7))
        elif "-" in part:
            first, _, last = part.partition("-")
            start, end = one(first), one(last)
            if end < start:
                raise InvalidRequest(f"A weekday range goes forward in the week, not {part!r}")
            days.update(range(start, end + 1))
        else:
            days.add(one(part))
    return tuple(sorted(days))


def with_days(
    hours: Iterable[DailyRange], weekdays: Iterable[int], ranges: Iterable[tuple[int, int]]
) -> tuple[DailyRange, ...]:
    """`hours` with the ranges of `weekdays` replaced by `ranges` ((start, end) minutes) on
    each of them; no ranges closes those days."""
    days = set(weekdays)
    kept = [r for r in hours if r.weekday not in days]
    added = [DailyRange(day, start, end) for day in sorted(days) for start, end in ranges]
    return weekly_hours([*kept, *added])


def weekly_hours(ranges: Iterable[DailyRange]) -> tuple[DailyRange, ...]:
    """Ranges sorted by day and time; overlapping ranges on one day are refused."""
    ordered = tuple(sorted(ranges))
    for before, after in pairwise(ordered):
        if before.weekday == after.weekday and after.start_minute < before.end_minute:
            raise InvalidRequest(
                f"Working ranges overlap on {WEEKDAYS[before.weekday].lower()}: "
                f"{_clock(before.start_minute)}-{_clock(before.end_minute)} and "
                f"{_clock(after.start_minute)}-{_clock(after.end_minute)}"
            )
    return ordered


class ExceptionKind(StrEnum):
    TIME_OFF = "TIME_OFF"  # not available, although the weekly hours say so
    EXTRA_HOURS = "EXTRA_HOURS"  # available, although the weekly hours do not say so


@dataclass(frozen=True, slots=True)
class ScheduleException:
    """A dated change to the weekly hours of a worker (or of a department without workers)."""

    id: int
    kind: ExceptionKind
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC, exclusive
    reason: str | None = None
    worker_id: int | None = None
    department_id: int | None = None


@dataclass(frozen=True, slots=True)
class Closure:
    """A whole local day on which a department takes no appointments (a public holiday)."""

    id: int
    department_id: int
    day: date
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class AppointmentType:
    """What is booked (seed 002's intervention): how long it takes and who offers it."""

    id: int
    organization_id: int
    name: str
    duration_minutes: int
    uuid: UUID
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    capacity: int | None = None  # clients per session for group sessions; None: one
    department_id: int | None = None  # None: offered in every department
    worker_ids: tuple[int, ...] = ()  # who offers it; empty: every worker of the department
    archived: bool = False

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    def offered_by(self, worker_id: int) -> bool:
        return not self.worker_ids or worker_id in self.worker_ids


def check_type_settings(
    duration_minutes: int, buffer_before: int, buffer_after: int, capacity: int | None
) -> None:
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise InvalidRequest(f"durationMinutes must be 1 to {MAX_DURATION_MINUTES}")
    buffers = (("bufferBeforeMinutes", buffer_before), ("bufferAfterMinutes", buffer_after))
    for name, value in buffers:
        if not 0 <= value <= MINUTES_PER_DAY:
            raise InvalidRequest(f"{name} must be 0 to {MINUTES_PER_DAY}")
    if capacity is not None and not 1 <= capacity <= 10_000:
        raise InvalidRequest("capacity must be 1 to 10000")


@dataclass(frozen=True, slots=True)
class Demand:
    """What a booking needs from the schedule, derived from its appointment type."""

    duration_minutes: int
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    capacity: int | None = None  # group session size
    appointment_type_id: int | None = None

    @classmethod
    def of(cls, kind: AppointmentType) -> Demand:
        return cls(
            kind.duration_minutes,
            kind.buffer_before_minutes,
            kind.buffer_after_minutes,
            kind.capacity,
            kind.id,
        )

    def blocked(self, starts_at: datetime) -> tuple[datetime, datetime]:
        """The time the resource is held: the appointment and its buffers."""
        ends_at = starts_at + timedelta(minutes=self.duration_minutes)
        return (
            starts_at - timedelta(minutes=self.buffer_before_minutes),
            ends_at + timedelta(minutes=self.buffer_after_minutes),
        )


class Booking:
    """An active appointment as the scheduler sees it.

    Instants are kept as whole epoch seconds: availability reads thousands of bookings and
    only needs to compare them, so datetimes are built only when asked for.
    """

    __slots__ = (
        "appointment_type_id",
        "block_end",
        "block_start",
        "department_id",
        "end",
        "external_user_id",
        "id",
        "start",
        "worker_id",
    )

    def __init__(
        self,
        id: int,
        worker_id: int | None,
        starts_at: datetime,
        ends_at: datetime,
        blocked_from: datetime,
        blocked_until: datetime,
        appointment_type_id: int | None = None,
        external_user_id: str | None = None,
        department_id: int | None = None,
    ) -> None:
        self.id = id
        self.worker_id = worker_id
        self.start = int(starts_at.timestamp())
        self.end = int(ends_at.timestamp())
        self.block_start = int(blocked_from.timestamp())
        self.block_end = int(blocked_until.timestamp())
        self.appointment_type_id = appointment_type_id
        self.external_user_id = external_user_id
        self.department_id = department_id

    @classmethod
    def of_epochs(
        cls,
        id: int,
        worker_id: int | None,
        start: int,
        end: int,
        block_start: int,
        block_end: int,
        appointment_type_id: int | None = None,
        external_user_id: str | None = None,
        department_id: int | None = None,
    ) -> Booking:
        booking = cls.__new__(cls)
        booking.id, booking.worker_id = id, worker_id
        booking.start, booking.end = start, end
        booking.block_start, booking.block_end = block_start, block_end
        booking.appointment_type_id = appointment_type_id
        booking.external_user_id = external_user_id
        booking.department_id = department_id
        return booking

    @property
    def starts_at(self) -> datetime:
        return datetime.fromtimestamp(self.start, UTC)

    @property
    def ends_at(self) -> datetime:
        return datetime.fromtimestamp(self.end, UTC)

    @property
    def blocked_from(self) -> datetime:
        return datetime.fromtimestamp(self.block_start, UTC)

    @property
    def blocked_until(self) -> datetime:
        return datetime.fromtimestamp(self.block_end, UTC)

    def __repr__(self) -> str:
        return (
            f"Booking(id={self.id}, worker_id={self.worker_id}, "
            f"{self.starts_at.isoformat()}-{self.ends_at.isoformat()})"
        )


@dataclass(frozen=True, slots=True)
class BusyTimes:
    """One resource's active bookings as the free-slot sweep reads them, in epoch seconds.

    Listing free slots only needs when each booking holds its resource (appointment and
    buffers) and, for a group session, when the members of the session asked about start; so
    a store can hand these columns over without building a Booking per row. Each column is
    in no particular order: the sweep sorts the starts and the ends apart.
    """

    block_starts: Sequence[int]
    block_ends: Sequence[int]
    # Starts of the bookings of the demanded appointment type (group-session members).
    session_starts: Sequence[int] = ()


@dataclass(frozen=True, slots=True)
class ResourceSchedule:
    """One bookable resource: a worker, or a department without workers (worker_id None)."""

    worker_id: int | None
    hours: tuple[DailyRange, ...]
    exceptions: tuple[ScheduleException, ...] = ()
    capacity: int = 1  # parallel appointments per slot (a department's counters)


@dataclass(frozen=True, slots=True)
class DepartmentSchedule:
    """Everything needed to say which times a department can book, for one time window."""

    time_zone: str
    slot_interval_minutes: int
    resources: tuple[ResourceSchedule, ...]
    closures: tuple[date, ...] = ()
    bookings: tuple[Booking, ...] = ()
    # False for an always-open department: it takes any future time, whatever its hours,
    # closures and exceptions say (see docs/scheduling.md).
    configured: bool = True
    closure_reasons: dict[date, str | None] = field(default_factory=dict)

    @property
    def worker_ids(self) -> Sequence[int]:
        return [r.worker_id for r in self.resources if r.worker_id is not None]


@dataclass(frozen=True, slots=True)
class SchedulingSettings:
    """A department's scheduling settings (its zone is the department's or its organization's)."""

    department_id: int
    time_zone: str
    slot_interval_minutes: int = DEFAULT_SLOT_INTERVAL_MINUTES
    slot_capacity: int = 1
    policy: BookingPolicy = field(default_factory=BookingPolicy)
    # Takes any future time, with no per-time limit without a worker (a worker is still never
    # booked twice): set explicitly, never implied by missing hours.
    always_open: bool = False


def opening_hours_of_new_department(always_open: bool) -> tuple[DailyRange, ...]:
    """The hours a department starts with: Monday to Friday 09:00-17:00, so that a new
    department never takes a Sunday 3 am booking by accident; none when it is always open."""
    if always_open:
        return ()
    return weekly_hours(DailyRange(day, 9 * 60, 17 * 60) for day in range(5))


def check_slot_settings(slot_interval_minutes: int, slot_capacity: int) -> None:
    if not 5 <= slot_interval_minutes <= MINUTES_PER_DAY:
        raise InvalidRequest(f"slotIntervalMinutes must be 5 to {MINUTES_PER_DAY}")
    if not 1 <= slot_capacity <= 10_000:
        raise InvalidRequest("slotCapacity must be 1 to 10000")

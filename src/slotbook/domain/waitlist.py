"""The waitlist: an entry and its window, which entry a freed time goes to, and offer expiry.

A client waits for a department (optionally one appointment type and one worker) within a
window of local dates, optionally only some weekdays and some times of day. When a time
becomes free it is offered to the first waiting entry whose window contains it, in queue
order: the highest staff priority first, then first come, first served. An offer holds the
time for a set number of minutes; unanswered, it expires and the time passes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from slotbook.domain.errors import Conflict, InvalidRequest, NotFound
from slotbook.domain.time import day_start

# The status of the appointment row that holds an offered time: never shown as an
# appointment, but guarded against overlaps like an active one (docs/waitlist.md).
HELD_STATUS = "HELD"
DEFAULT_OFFER_MINUTES = 30
MAX_OFFER_MINUTES = 7 * 24 * 60
MAX_WINDOW_DAYS = 366
MAX_TIMES_OF_DAY = 8
MINUTES_PER_DAY = 24 * 60


class EntryStatus(StrEnum):
    WAITING = "WAITING"  # in the queue
    OFFERED = "OFFERED"  # holds an open offer
    BOOKED = "BOOKED"  # accepted an offer: an appointment was booked
    EXPIRED = "EXPIRED"  # its window passed
    LEFT = "LEFT"  # the client (or staff) took it off the list


# An entry that may still receive or hold an offer; one per client, department and type.
ACTIVE_ENTRY_STATUSES = frozenset({EntryStatus.WAITING, EntryStatus.OFFERED})


class OfferStatus(StrEnum):
    OPEN = "OPEN"  # the time is held for the entry
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"
    WITHDRAWN = "WITHDRAWN"  # the entry left, or staff took the time back


class WaitlistEntryNotFound(NotFound):
    code = "WAITLIST_ENTRY_NOT_FOUND"

    def __init__(self, entry_id: int) -> None:
        super().__init__(f"Waitlist entry not found with id: {entry_id}")


class OfferExpired(Conflict):
    """The offer is no longer open: it expired, was declined, withdrawn or already used."""

    code = "OFFER_EXPIRED"


class AlreadyWaiting(Conflict):
    code = "ALREADY_WAITING"


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    """A local time range [start, end) in minutes after midnight."""

    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_minute < self.end_minute <= MINUTES_PER_DAY:
            raise InvalidRequest("A time of day runs from an earlier to a later time of one day")

    @classmethod
    def of(cls, start: time, end: time) -> TimeOfDay:
        end_minute = end.hour * 60 + end.minute
        return cls(start.hour * 60 + start.minute, end_minute or MINUTES_PER_DAY)

    def text(self) -> str:
        return f"{_clock(self.start_minute)}-{_clock(self.end_minute)}"


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class Window:
    """When an entry would take a time: local dates [earliest, latest] (both included),
    weekdays (0 = Monday; empty: any) and times of day (empty: any). A time fits when it
    starts on one of those days and lies, start to end, within one of the times of day."""

    earliest: date
    latest: date
    weekdays: frozenset[int] = frozenset()
    times_of_day: tuple[TimeOfDay, ...] = ()

    def __post_init__(self) -> None:
        if self.latest < self.earliest:
            raise InvalidRequest("latest must not be before earliest")
        if (self.latest - self.earliest).days >= MAX_WINDOW_DAYS:
            raise InvalidRequest(f"A waitlist window covers at most {MAX_WINDOW_DAYS} days")
        if any(not 0 <= d <= 6 for d in self.weekdays):
            raise InvalidRequest("weekdays are 0 (Monday) to 6 (Sunday)")
        if len(self.times_of_day) > MAX_TIMES_OF_DAY:
            raise InvalidRequest(f"At most {MAX_TIMES_OF_DAY} times of day")

    def contains(self, starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> bool:
        local_start = starts_at.astimezone(tz)
        day = local_start.date()
        if not self.earliest <= day <= self.latest:
            return False
        if self.weekdays and day.weekday() not in self.weekdays:
            return False
        if not self.times_of_day:
            return True
        start_minute = local_start.hour * 60 + local_start.minute
        # Minutes from that local midnight to the end, so an end after midnight fits nothing.
        length = int((ends_at - starts_at).total_seconds() // 60)
        end_minute = start_minute + length
        return any(
            r.start_minute <= start_minute and end_minute <= r.end_minute for r in self.times_of_day
        )

    def closes_at(self, tz: ZoneInfo) -> datetime:
        """The instant the window has passed: the end of its last local day."""
        return day_start(self.latest + timedelta(days=1), tz)

    @property
    def weekday_mask(self) -> int:
        return sum(1 << d for d in self.weekdays)


def weekdays_of(mask: int) -> frozenset[int]:
    return frozenset(d for d in range(7) if mask & (1 << d))


def parse_times(text: str) -> tuple[TimeOfDay, ...]:
    """The stored form of times of day ("540-720,840-1020") back to ranges."""
    ranges = []
    for part in filter(None, text.split(",")):
        start, end = part.split("-")
        ranges.append(TimeOfDay(int(start), int(end)))
    return tuple(ranges)


def format_times(times: Iterable[TimeOfDay]) -> str:
    return ",".join(f"{r.start_minute}-{r.end_minute}" for r in times)


@dataclass(frozen=True, slots=True)
class FreedTime:
    """A time that became free on one worker's schedule: who it may go to and when it is."""

    department_id: int
    worker_id: int
    appointment_type_id: int | None
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    """A waiting entry as matching sees it."""

    id: int
    appointment_type_id: int | None
    worker_id: int | None
    window: Window
    priority: int = 0
    offered_before: bool = False  # already had (and let go) an offer of this very time


def queue_key(c: Candidate) -> tuple[int, int]:
    """Queue order: the highest priority first, then first come (ids grow with joining)."""
    return (-c.priority, c.id)


def fits(c: Candidate, freed: FreedTime, tz: ZoneInfo) -> bool:
    if c.offered_before:
        return False
    if c.appointment_type_id is not None and c.appointment_type_id != freed.appointment_type_id:
        return False
    if c.worker_id is not None and c.worker_id != freed.worker_id:
        return False
    return c.window.contains(freed.starts_at, freed.ends_at, tz)


def first_match(
    candidates: Sequence[Candidate], freed: FreedTime, tz: ZoneInfo
) -> Candidate | None:
    """The entry the freed time is offered to: the first in queue order whose window fits."""
    for c in sorted(candidates, key=queue_key):
        if fits(c, freed, tz):
            return c
    return None


def offer_expires_at(now: datetime, minutes: int, starts_at: datetime) -> datetime:
    """When an offer made `now` lapses: after the department's minutes, and never after the
    time itself has begun (an offer of a time about to start must be answered before it)."""
    return min(now + timedelta(minutes=minutes), starts_at)


def offer_open(status: OfferStatus, expires_at: datetime, now: datetime) -> bool:
    """Whether an offer can still be accepted: open, and its expiry not reached."""
    return status is OfferStatus.OPEN and now < expires_at


def check_offer_minutes(minutes: int) -> int:
    if not 1 <= minutes <= MAX_OFFER_MINUTES:
        raise InvalidRequest(f"An offer lasts 1 to {MAX_OFFER_MINUTES} minutes")
    return minutes


@dataclass(frozen=True, slots=True)
class Offer:
    id: int
    entry_id: int
    worker_id: int
    appointment_type_id: int | None
    starts_at: datetime
    ends_at: datetime
    expires_at: datetime
    status: OfferStatus
    token: str


@dataclass(frozen=True, slots=True)
class WaitlistEntry:
    id: int
    organization_id: int
    department_id: int
    time_zone: str
    appointment_type_id: int | None
    worker_id: int | None
    client_id: int | None
    external_user_id: str | None
    name: str
    window: Window
    priority: int
    status: EntryStatus
    joined_at: datetime
    updated_at: datetime
    appointment_id: int | None = None
    offer: Offer | None = None  # the open offer, when status is OFFERED
    position: int | None = None  # 1-based place in the department's queue, when waiting

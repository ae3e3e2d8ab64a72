"""Wall-clock time in a named zone versus instants in UTC, with DST gaps and overlaps handled."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import SUPPORTED_YEARS, is_supported_year


def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`, or an InvalidRequest naming the bad value."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidRequest(f"Unknown time zone: {name!r}") from None


def is_known_zone(name: str) -> bool:
    return name in available_timezones()


def local_to_utc(value: datetime, tz: ZoneInfo) -> datetime:
    """Read `value` as wall-clock time in `tz` (unless it carries an offset) and return UTC.

    A wall time inside a spring-forward gap does not exist and is refused. A wall time in the
    autumn overlap happens twice; the first occurrence (fold=0, still on summer time) is taken,
    which is what a person who says "01:30" on that night means in most calendars.
    """
    if not is_supported_year(value):
        raise InvalidRequest(f"{value.isoformat()} is out of range ({SUPPORTED_YEARS})")
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    first = value.replace(tzinfo=tz, fold=0)
    back = first.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != value:
        raise InvalidRequest(
            f"{value.isoformat()} does not exist in {tz.key}: the clocks skip it (DST change)"
        )
    return first.astimezone(UTC)


def utc_to_local(value: datetime, tz: ZoneInfo) -> datetime:
    """The aware local time in `tz` of the UTC instant `value`."""
    return value.astimezone(tz)


def naive_local(value: datetime, tz: ZoneInfo) -> datetime:
    """Wall-clock time in `tz` without offset, as the moncreneau documents show date-times."""
    return value.astimezone(tz).replace(tzinfo=None)


def wall_instant(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `minute` (0..1440) of local `day` in `tz`.

    Used for the ends of working ranges. A wall time inside a spring-forward gap does not exist;
    the range boundary then falls on the instant the clocks jump (the first existing wall time
    after it), so a range 02:30-04:00 on that night starts at 03:00. An ambiguous wall time in
    the autumn overlap is read as its first occurrence, as `local_to_utc` does.
    """
    wall = datetime.combine(day, dt_time()) + timedelta(minutes=minute)
    first = wall.replace(tzinfo=tz, fold=0)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall:
        return first.astimezone(UTC)
    # In a gap: fold=1 reads it on the offset after the jump (an earlier instant), fold=0 on
    # the offset before (a later one); the jump lies between. Bisect to the second.
    low = int(wall.replace(tzinfo=tz, fold=1).timestamp())
    high = int(first.timestamp())
    before = datetime.fromtimestamp(low, UTC).astimezone(tz).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def local_days(starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> list[date]:
    """The local dates in `tz` that the instants [starts_at, ends_at) touch."""
    first = starts_at.astimezone(tz).date()
    last = (ends_at - timedelta(microseconds=1)).astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def day_start(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant local `day` begins in `tz` (its first existing wall time)."""
    return wall_instant(day, 0, tz)


def with_offset(value: datetime, tz: ZoneInfo) -> str:
    """An instant as local time of `tz` with its UTC offset (ISO 8601, seconds)."""
    return value.astimezone(tz).isoformat(timespec="seconds")


class OffsetTimes:
    """`with_offset` of epoch seconds in one zone, each distinct instant formatted once.

    A slot list repeats its instants (one slot's end is often a later slot's start) and
    formats thousands of them: the cache keeps that to one zone lookup and one isoformat per
    distinct instant.
    """

    __slots__ = ("_done", "_tz")

    def __init__(self, tz: ZoneInfo) -> None:
        self._tz = tz
        self._done: dict[int, str] = {}

    def __call__(self, seconds: int) -> str:
        """`seconds` (a whole number of epoch seconds) as local time with its offset."""
        found = self._done.get(seconds)
        if found is None:
            # fromtimestamp(seconds, tz) is tz.fromutc of the UTC instant: what astimezone does.
            # A whole number of seconds has no microseconds to cut: isoformat() then prints
            # what timespec="seconds" does, and parsing that keyword costs a third of the call.
            found = datetime.fromtimestamp(seconds, self._tz).isoformat()
            self._done[seconds] = found
        return found

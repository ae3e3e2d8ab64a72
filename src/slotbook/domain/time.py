"""Wall-clock time in a named zone versus instants in UTC, with DST gaps and overlaps handled."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from slotbook.domain.errors import InvalidRequest


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
    try:
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        first = value.replace(tzinfo=tz, fold=0)
        back = first.astimezone(UTC).astimezone(tz)
    except OverflowError:
        raise InvalidRequest(f"{value.isoformat()} is out of the supported range") from None
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

"""Recurring series: seed 003's repeat rules and RFC 5545 RRULEs, expanded in wall-clock time.

Occurrences are computed as wall-clock times of the department's zone, so a weekly 10:00
stays at 10:00 across a DST change (its UTC instant moves by an hour). An occurrence that
falls in a DST gap does not exist; the booking refuses it like any other bad time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import islice

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

from slotbook.domain.errors import InvalidRequest

MAX_OCCURRENCES = 366
MAX_SPAN = timedelta(days=5 * 366)  # no series reaches further than this after its first


class RepeatType(StrEnum):
    DAILY = "Daily"
    WEEKLY = "Weekly"
    MONTHLY = "Monthly"

    @classmethod
    def parse(cls, text: str) -> RepeatType:
        for member in cls:
            if member.value.lower() == text.strip().lower():
                return member
        raise InvalidRequest(f"repeatType must be Daily, Weekly or Monthly, not {text!r}")


@dataclass(frozen=True, slots=True)
class RepeatRule:
    """Seed 003: `count` appointments in all (the first included), every `interval` units."""

    repeat_type: RepeatType
    interval: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_OCCURRENCES:
            raise InvalidRequest(f"numberOfRepeats must be between 1 and {MAX_OCCURRENCES}")
        if self.interval < 1:
            raise InvalidRequest("repeatingInterval must be at least 1")


@dataclass(frozen=True, slots=True)
class RRule:
    """An RFC 5545 RRULE (without DTSTART: the appointment's dateTime is the first)."""

    text: str


Recurrence = RepeatRule | RRule


def _step(rule: RepeatRule, index: int) -> relativedelta:
    n = index * rule.interval
    if rule.repeat_type is RepeatType.DAILY:
        return relativedelta(days=n)
    if rule.repeat_type is RepeatType.WEEKLY:
        return relativedelta(weeks=n)
    # Counted from the first each time, so the 31st stays the 31st where the month has one
    # and is the month's last day elsewhere (Jan 31, Feb 28, Mar 31, ...).
    return relativedelta(months=n)


_FREQUENCIES = {DAILY, WEEKLY, MONTHLY, YEARLY}


def _rrule_times(first: datetime, text: str) -> list[datetime]:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if "\n" in body or "\r" in body or "DTSTART" in body.upper():
        raise InvalidRequest("rrule must be one RRULE; the first occurrence is dateTime")
    try:
        rule = rrulestr(body, dtstart=first)
    except (ValueError, TypeError, OverflowError, IndexError, KeyError) as error:
        raise InvalidRequest(f"rrule is not a valid RFC 5545 rule: {error}") from None
    if not isinstance(rule, rrule):
        raise InvalidRequest("rrule must be a single rule")
    # dateutil keeps the parsed parts in these attributes (stable since 2.0).
    count: int | None = getattr(rule, "_count", None)
    until: datetime | None = getattr(rule, "_until", None)
    if getattr(rule, "_freq", None) not in _FREQUENCIES:
        raise InvalidRequest("rrule FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
    if count is None and until is None:
        raise InvalidRequest("rrule needs COUNT or UNTIL: a series must end")
    if count is not None and count > MAX_OCCURRENCES:
        raise InvalidRequest(f"A series has at most {MAX_OCCURRENCES} occurrences")
    limit = first + MAX_SPAN
    if until is not None and until.tzinfo is not None:
        raise InvalidRequest("rrule UNTIL must be a local time (no Z), like dateTime")
    # The horizon bounds the search itself, so a rule no date satisfies ends quickly.
    try:
        bounded = rule.replace(count=None, until=min(until, limit) if until else limit)
        times = list(islice(bounded, count or MAX_OCCURRENCES + 1))
    except (ValueError, OverflowError) as error:
        raise InvalidRequest(f"rrule cannot be expanded: {error}") from None
    # With COUNT, fewer occurrences inside the horizon means the rule reaches beyond it (or no
    # date ever satisfies it); either way it is not booked partially.
    reaches_past_limit = (until is not None and until > limit) or (
        count is not None and len(times) < count
    )
    if reaches_past_limit or len(times) > MAX_OCCURRENCES:
        raise InvalidRequest(
            f"A series has at most {MAX_OCCURRENCES} occurrences within "
            f"{MAX_SPAN.days} days of its first"
        )
    if not times:
        raise InvalidRequest("rrule gives no occurrence")
    return times


def occurrences(first: datetime, recurrence: Recurrence) -> list[datetime]:
    """The wall-clock times of every occurrence, the first included, in order."""
    if first.tzinfo is not None:
        raise ValueError("expand wall-clock (naive) times")
    if isinstance(recurrence, RRule):
        return _rrule_times(first, recurrence.text)
    try:
        times = [first + _step(recurrence, i) for i in range(recurrence.count)]
    except (OverflowError, ValueError):
        raise InvalidRequest("The series goes beyond the year 9999") from None
    if times[-1] - first > MAX_SPAN:
        raise InvalidRequest(f"A series cannot reach more than {MAX_SPAN.days} days ahead")
    return times

"""Reminders: a department's offsets before the start, and which one is due for an appointment.

Each (appointment, offset) is handled once. When an offset's time comes, the reminder is sent
unless the appointment was booked after that time (its client has just been told) or a nearer
offset is due as well (after a worker outage only the nearest reminder goes out); the offsets
skipped are recorded as handled too, so they are never sent late.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slotbook.domain.errors import InvalidRequest

DEFAULT_OFFSETS: tuple[int, ...] = (1440,)  # 24 hours before
MAX_OFFSETS = 5
MAX_OFFSET_MINUTES = 30 * 24 * 60  # 30 days


def normalized_offsets(offsets: Iterable[int]) -> tuple[int, ...]:
    """Offsets as stored: distinct, largest first; refuses out-of-range lists."""
    unique = sorted(set(offsets), reverse=True)
    if len(unique) > MAX_OFFSETS:
        raise InvalidRequest(f"At most {MAX_OFFSETS} reminder offsets")
    for minutes in unique:
        if not 1 <= minutes <= MAX_OFFSET_MINUTES:
            raise InvalidRequest(
                f"A reminder offset is 1 to {MAX_OFFSET_MINUTES} minutes before the start"
            )
    return tuple(unique)


def parse_offsets(text: str) -> tuple[int, ...]:
    """The stored comma-separated minutes ("" = no reminders); bad parts are ignored."""
    return tuple(
        sorted({int(part) for part in text.split(",") if part.strip().isdigit()}, reverse=True)
    )


def format_offsets(offsets: Iterable[int]) -> str:
    return ",".join(str(minutes) for minutes in offsets)


@dataclass(frozen=True, slots=True)
class ReminderDecision:
    """What to do now for one appointment: send the reminder of `send` (None: send nothing)
    and record every offset of `handled` (which includes `send`) so it is never due again."""

    send: int | None
    handled: tuple[int, ...]


def due_reminder(
    starts_at: datetime,
    created_at: datetime,
    offsets: Collection[int],
    handled: Collection[int],
    now: datetime,
) -> ReminderDecision | None:
    """The decision for an active appointment at `now`, or None when no offset is due."""
    if now >= starts_at:
        return None
    due = sorted(
        minutes
        for minutes in offsets
        if minutes not in handled and starts_at - timedelta(minutes=minutes) <= now
    )
    if not due:
        return None
    nearest = due[0]
    booked_before = created_at <= starts_at - timedelta(minutes=nearest)
    return ReminderDecision(nearest if booked_before else None, tuple(due))

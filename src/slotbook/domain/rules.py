"""The booking rules of seed 002, each a named check returning a violation with its codes.

The same checks serve booking, rescheduling, cancelling, the slot list and the explain
endpoint, so what the API offers and what it accepts never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from slotbook.domain.errors import BookingRefused, PolicyRefused, SlotConflict
from slotbook.domain.policy import BookingPolicy
from slotbook.domain.schedules import Booking


@dataclass(frozen=True, slots=True)
class Violation:
    code: str  # our stable UPPER_SNAKE code
    legacy_code: str  # seed 002's name
    numeric_code: int | None  # seed 002's number (NotAvailable has none)
    message: str
    # True when the request collides with another appointment (HTTP 409), False when it breaks
    # a limit of the department's policy (HTTP 422).
    conflict: bool

    def error(self, details: list[dict[str, object]] | None = None) -> BookingRefused:
        kind = SlotConflict if self.conflict else PolicyRefused
        return kind(
            self.code,
            self.message,
            numeric_code=self.numeric_code,
            legacy_code=self.legacy_code,
            details=details,
        )


@dataclass(frozen=True, slots=True)
class BookingAttempt:
    now: datetime
    starts_at: datetime
    ends_at: datetime
    # The client's active appointments that have not ended, the one being moved excluded.
    client_bookings: Sequence[Booking] = ()


Rule = Callable[[BookingPolicy, BookingAttempt], Violation | None]


def too_soon(policy: BookingPolicy, attempt: BookingAttempt) -> Violation | None:
    if policy.min_notice_minutes is None:
        return None
    if attempt.starts_at >= policy.earliest_start(attempt.now):
        return None
    return Violation(
        "TOO_SOON",
        "MintimeRdv",
        9,
        f"This appointment is too soon: book at least {policy.min_notice_minutes} minutes ahead",
        conflict=False,
    )


def too_far_in_advance(policy: BookingPolicy, attempt: BookingAttempt) -> Violation | None:
    latest = policy.latest_start(attempt.now)
    if latest is None or attempt.starts_at <= latest:
        return None
    return Violation(
        "TOO_FAR_IN_ADVANCE",
        "MaxRdvPeriod",
        8,
        f"This appointment is too far away: book at most {policy.max_advance_days} days ahead",
        conflict=False,
    )


def same_time_appointment(policy: BookingPolicy, attempt: BookingAttempt) -> Violation | None:
    clash = [
        b.id
        for b in attempt.client_bookings
        if b.starts_at < attempt.ends_at and attempt.starts_at < b.ends_at
    ]
    if not clash:
        return None
    return Violation(
        "SAME_TIME_APPOINTMENT",
        "SameTimeRdv",
        12,
        f"The client already has an appointment at this time (id {clash[0]})",
        conflict=True,
    )


def too_close_to_other_appointment(
    policy: BookingPolicy, attempt: BookingAttempt
) -> Violation | None:
    gap = policy.min_minutes_between_client_appointments
    if not gap:
        return None
    margin = timedelta(minutes=gap)
    close = [
        b.id
        for b in attempt.client_bookings
        if b.starts_at - margin < attempt.ends_at and attempt.starts_at < b.ends_at + margin
    ]
    if not close:
        return None
    return Violation(
        "TOO_CLOSE_TO_OTHER_APPOINTMENT",
        "MintimeBetween",
        7,
        f"Another appointment of the client (id {close[0]}) is less than {gap} minutes away",
        conflict=True,
    )


def max_upcoming_reached(policy: BookingPolicy, attempt: BookingAttempt) -> Violation | None:
    limit = policy.max_upcoming_per_client
    if limit is None:
        return None
    upcoming = sum(1 for b in attempt.client_bookings if b.starts_at >= attempt.now)
    if upcoming < limit:
        return None
    return Violation(
        "MAX_UPCOMING_REACHED",
        "MaxRdvNumber",
        6,
        f"The client has reached the maximum of {limit} upcoming appointments",
        conflict=False,
    )


# In the order they are checked: the first violation found is the one reported.
BOOKING_RULES: tuple[Rule, ...] = (
    too_soon,
    too_far_in_advance,
    same_time_appointment,
    too_close_to_other_appointment,
    max_upcoming_reached,
)


def violations(policy: BookingPolicy, attempt: BookingAttempt) -> list[Violation]:
    """Every booking rule the attempt breaks, in checking order."""
    return [v for rule in BOOKING_RULES if (v := rule(policy, attempt)) is not None]


def first_violation(policy: BookingPolicy, attempt: BookingAttempt) -> Violation | None:
    for rule in BOOKING_RULES:
        violation = rule(policy, attempt)
        if violation is not None:
            return violation
    return None


def slot_unavailable(message: str = "This time slot is not available anymore") -> Violation:
    return Violation("SLOT_UNAVAILABLE", "NotAvailable", None, message, conflict=True)


def cancellation_too_late(
    policy: BookingPolicy, now: datetime, starts_at: datetime
) -> Violation | None:
    notice = policy.min_cancel_notice_minutes
    if notice is None or starts_at - now >= timedelta(minutes=notice):
        return None
    return Violation(
        "CANCELLATION_TOO_LATE",
        "MintimeAnnulation",
        10,
        f"This appointment is too close to be cancelled: cancel at least {notice} minutes ahead",
        conflict=False,
    )

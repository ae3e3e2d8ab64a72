"""The booking rules of seed 002: each fires exactly when its setting says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.errors import InvalidRequest, PolicyRefused, SlotConflict
from slotbook.domain.policy import BookingPolicy
from slotbook.domain.rules import (
    BookingAttempt,
    cancellation_too_late,
    first_violation,
    slot_unavailable,
    too_close_to_other_appointment,
    violations,
)
from slotbook.domain.schedules import Booking

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def booking(n: int, start: datetime, minutes: int = 30) -> Booking:
    end = start + timedelta(minutes=minutes)
    return Booking(n, 1, start, end, start, end, external_user_id="client")


def attempt(start: datetime, *others: Booking, minutes: int = 30) -> BookingAttempt:
    return BookingAttempt(NOW, start, start + timedelta(minutes=minutes), others)


def codes(policy: BookingPolicy, a: BookingAttempt) -> list[tuple[str, int | None, str]]:
    return [(v.code, v.numeric_code, v.legacy_code) for v in violations(policy, a)]


def test_no_policy_allows_everything_but_the_clients_own_clash() -> None:
    start = NOW + HOUR
    assert codes(BookingPolicy(), attempt(start)) == []
    assert codes(BookingPolicy(), attempt(start, booking(1, start))) == [
        ("SAME_TIME_APPOINTMENT", 12, "SameTimeRdv")
    ]


@pytest.mark.parametrize(
    ("policy", "start", "expected"),
    [
        (BookingPolicy(min_notice_minutes=120), NOW + HOUR, ("TOO_SOON", 9, "MintimeRdv")),
        (
            BookingPolicy(max_advance_days=7),
            NOW + 8 * 24 * HOUR,
            ("TOO_FAR_IN_ADVANCE", 8, "MaxRdvPeriod"),
        ),
    ],
)
def test_time_limits(
    policy: BookingPolicy, start: datetime, expected: tuple[str, int, str]
) -> None:
    assert codes(policy, attempt(start)) == [expected]
    violation = first_violation(policy, attempt(start))
    assert violation is not None
    assert isinstance(violation.error(), PolicyRefused)


def test_time_limits_are_inclusive_at_their_edge() -> None:
    assert codes(BookingPolicy(min_notice_minutes=60), attempt(NOW + HOUR)) == []
    assert codes(BookingPolicy(max_advance_days=1), attempt(NOW + 24 * HOUR)) == []


def test_max_upcoming_counts_only_future_appointments() -> None:
    policy = BookingPolicy(max_upcoming_per_client=2)
    past = booking(1, NOW - HOUR)
    future = [booking(2, NOW + 5 * HOUR), booking(3, NOW + 9 * HOUR)]
    assert codes(policy, attempt(NOW + 20 * HOUR, past, future[0])) == []
    assert codes(policy, attempt(NOW + 20 * HOUR, past, *future)) == [
        ("MAX_UPCOMING_REACHED", 6, "MaxRdvNumber")
    ]


@given(st.integers(0, 600), st.integers(1, 240), st.integers(-600, 600))
def test_too_close_is_symmetric_around_the_other_appointment(
    gap: int, minutes: int, offset: int
) -> None:
    policy = BookingPolicy(min_minutes_between_client_appointments=gap)
    other = booking(1, NOW + 24 * HOUR, 30)
    start = other.starts_at + timedelta(minutes=offset)
    end = start + timedelta(minutes=minutes)
    found = too_close_to_other_appointment(policy, BookingAttempt(NOW, start, end, (other,)))
    distance = max((other.starts_at - end).total_seconds(), (start - other.ends_at).total_seconds())
    assert (found is not None) == (gap > 0 and distance < gap * 60)
    if found is not None:
        assert (found.code, found.numeric_code, found.legacy_code) == (
            "TOO_CLOSE_TO_OTHER_APPOINTMENT",
            7,
            "MintimeBetween",
        )
        assert isinstance(found.error(), SlotConflict)


def test_cancellation_notice() -> None:
    policy = BookingPolicy(min_cancel_notice_minutes=24 * 60)
    late = cancellation_too_late(policy, NOW, NOW + 23 * HOUR)
    assert late is not None
    assert (late.code, late.numeric_code, late.legacy_code) == (
        "CANCELLATION_TOO_LATE",
        10,
        "MintimeAnnulation",
    )
    assert cancellation_too_late(policy, NOW, NOW + 24 * HOUR) is None
    assert cancellation_too_late(BookingPolicy(), NOW, NOW) is None


def test_slot_unavailable_has_no_numeric_code_in_seed_002() -> None:
    error = slot_unavailable().error()
    assert isinstance(error, SlotConflict)
    assert (error.code, error.numeric_code, error.legacy_code) == (
        "SLOT_UNAVAILABLE",
        None,
        "NotAvailable",
    )


def test_settings_are_bounded() -> None:
    with pytest.raises(InvalidRequest):
        BookingPolicy(min_notice_minutes=-1)
    with pytest.raises(InvalidRequest):
        BookingPolicy(max_advance_days=10**9)

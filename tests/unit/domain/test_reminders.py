"""The reminder decision: which offset is due, once, and never for late bookings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.reminders import (
    ReminderDecision,
    due_reminder,
    format_offsets,
    normalized_offsets,
    parse_offsets,
)

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BOOKED = START - timedelta(days=10)


def at(minutes_before: int) -> datetime:
    return START - timedelta(minutes=minutes_before)


def test_not_due_before_the_offset() -> None:
    assert due_reminder(START, BOOKED, (1440,), (), at(1441)) is None


def test_due_at_the_offset_then_handled() -> None:
    assert due_reminder(START, BOOKED, (1440,), (), at(1440)) == ReminderDecision(1440, (1440,))
    assert due_reminder(START, BOOKED, (1440,), (1440,), at(1000)) is None


def test_never_after_the_start() -> None:
    assert due_reminder(START, BOOKED, (1440,), (), START) is None


def test_only_the_nearest_after_an_outage() -> None:
    decision = due_reminder(START, BOOKED, (1440, 60), (), at(30))
    assert decision == ReminderDecision(60, (60, 1440))


def test_late_booking_is_recorded_not_sent() -> None:
    decision = due_reminder(START, at(120), (1440, 60), (), at(119))
    assert decision == ReminderDecision(None, (1440,))
    # ...and its nearer offset still goes out.
    assert due_reminder(START, at(120), (1440, 60), (1440,), at(60)) == ReminderDecision(60, (60,))


@given(
    offsets=st.lists(st.integers(1, 43_200), min_size=1, max_size=5, unique=True),
    steps=st.lists(st.integers(0, 50_000), min_size=1, max_size=30),
)
def test_each_offset_handled_at_most_once(offsets: list[int], steps: list[int]) -> None:
    handled: set[int] = set()
    sent: list[int] = []
    for before in sorted(steps, reverse=True):  # time moves forward
        decision = due_reminder(START, BOOKED, offsets, handled, at(before))
        if decision is None:
            continue
        assert not handled & set(decision.handled)
        handled |= set(decision.handled)
        if decision.send is not None:
            assert decision.send == min(decision.handled)
            sent.append(decision.send)
    assert len(sent) == len(set(sent))
    assert handled <= set(offsets)


def test_offsets_text_round_trip() -> None:
    assert parse_offsets("1440") == (1440,)
    assert parse_offsets("") == ()
    assert parse_offsets("60,1440,60, x") == (1440, 60)
    assert format_offsets(normalized_offsets([60, 1440, 60])) == "1440,60"
    for bad in ([0], [43_201], [1, 2, 3, 4, 5, 6]):
        with pytest.raises(InvalidRequest):
            normalized_offsets(bad)

"""Recurrence expansion in wall-clock time: repeat rules and RFC 5545 rules."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.recurrence import (
    MAX_OCCURRENCES,
    RepeatRule,
    RepeatType,
    RRule,
    occurrences,
)

START = datetime(2027, 1, 31, 10, 0)


def test_weekly_for_ten_keeps_the_wall_clock_time() -> None:
    times = occurrences(datetime(2027, 3, 1, 10), RepeatRule(RepeatType.WEEKLY, 1, 10))
    assert len(times) == 10
    assert all(t.hour == 10 and t.weekday() == 0 for t in times)
    assert times[-1] == datetime(2027, 5, 3, 10)


def test_monthly_on_the_31st_uses_the_last_day_of_short_months() -> None:
    times = occurrences(START, RepeatRule(RepeatType.MONTHLY, 1, 4))
    assert [t.day for t in times] == [31, 28, 31, 30]


def test_an_rrule_on_the_31st_skips_short_months_as_rfc_5545_says() -> None:
    times = occurrences(START, RRule("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4"))
    assert [t.month for t in times] == [1, 3, 5, 7]


def test_rrule_with_until_and_prefix() -> None:
    times = occurrences(START, RRule("RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20270206T100000"))
    assert times == [START + timedelta(days=d) for d in (0, 2, 4, 6)]


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=WEEKLY",  # never ends
        "FREQ=HOURLY;COUNT=3",
        f"FREQ=DAILY;COUNT={MAX_OCCURRENCES + 1}",
        "FREQ=DAILY;UNTIL=20400101T000000",  # beyond the horizon
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2",  # no such day: refused quickly
        "FREQ=DAILY;UNTIL=20270205T000000Z",
        "DTSTART:20270101T000000\nRRULE:FREQ=DAILY;COUNT=2",
        "FREQ=SOMETIMES;COUNT=2",
        "not a rule",
    ],
)
def test_bad_rrules_are_refused(text: str) -> None:
    with pytest.raises(InvalidRequest):
        occurrences(START, RRule(text))


def test_repeat_rule_bounds() -> None:
    with pytest.raises(InvalidRequest):
        RepeatRule(RepeatType.DAILY, 1, MAX_OCCURRENCES + 1)
    with pytest.raises(InvalidRequest):
        RepeatType.parse("Yearly")
    assert RepeatType.parse("weekly") is RepeatType.WEEKLY
    with pytest.raises(InvalidRequest):
        occurrences(START, RepeatRule(RepeatType.MONTHLY, 12, 20))  # 19 years ahead


@given(
    kind=st.sampled_from(list(RepeatType)),
    interval=st.integers(1, 3),
    count=st.integers(1, 20),  # monthly: at most 57 months, inside the 5-year horizon
    day=st.integers(1, 31),
)
def test_repeat_rules_give_count_increasing_times_at_the_same_hour(
    kind: RepeatType, interval: int, count: int, day: int
) -> None:
    first = datetime(2027, 1, day, 9, 15)
    times = occurrences(first, RepeatRule(kind, interval, count))
    assert len(times) == count
    assert times[0] == first
    assert all(a < b for a, b in itertools.pairwise(times))
    assert all((t.hour, t.minute) == (9, 15) for t in times)

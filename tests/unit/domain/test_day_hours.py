"""How a weekday's hours are named in the outside-hours refusal."""

from __future__ import annotations

from slotbook.domain.schedules import DailyRange, day_hours


def test_a_day_with_two_ranges_and_a_day_without() -> None:
    hours = [DailyRange(0, 540, 720), DailyRange(0, 810, 990), DailyRange(2, 480, 1440)]
    assert day_hours(hours, 0) == "Monday 09:00-12:00, 13:30-16:30"
    assert day_hours(hours, 2) == "Wednesday 08:00-24:00"
    assert day_hours(hours, 6) == "none on Sunday"

"""The delivery retry schedule."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.events import JITTER, MAX_ATTEMPTS, RETRY_DELAYS, retry_delay


@given(st.integers(1, MAX_ATTEMPTS - 1), st.floats(-1, 1))
def test_delays_stay_within_the_jitter_band(failed: int, jitter: float) -> None:
    delay = retry_delay(failed, jitter)
    assert delay is not None
    base = RETRY_DELAYS[failed - 1]
    assert base * (1 - JITTER) <= delay <= base * (1 + JITTER)


def test_schedule_spans_about_a_day_then_stops() -> None:
    total = sum((retry_delay(n, 0.0) or timedelta(0) for n in range(1, MAX_ATTEMPTS)), timedelta())
    assert timedelta(hours=20) <= total <= timedelta(hours=28)
    assert retry_delay(MAX_ATTEMPTS, 0.0) is None


def test_retry_after_is_honoured_up_to_an_hour() -> None:
    assert retry_delay(1, 0.0, timedelta(minutes=10)) == timedelta(minutes=10)
    assert retry_delay(1, 0.0, timedelta(days=3)) == timedelta(hours=1)
    assert retry_delay(4, 0.0, timedelta(seconds=1)) == RETRY_DELAYS[3]

"""Dashboard user rules: e-mail normalisation, password bounds, the login waits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.users import check_password, login_delay, normalise_email


def test_email_is_trimmed_and_lower_cased() -> None:
    assert normalise_email("  Owner@Example.ORG ") == "owner@example.org"


@pytest.mark.parametrize(
    "bad", ["", "owner", "owner@", "@example.org", "a b@example.org", "a@b", "a\x00@b.org"]
)
def test_implausible_emails_are_refused(bad: str) -> None:
    with pytest.raises(InvalidRequest):
        normalise_email(bad)


@given(st.text(max_size=300))
def test_normalise_email_only_ever_refuses(text: str) -> None:
    try:
        value = normalise_email(text)
    except InvalidRequest:
        return
    assert value == value.strip().lower()
    assert "@" in value
    assert len(value) <= 254


@pytest.mark.parametrize("bad", ["short", "x" * 1025, "nul\x00in password"])
def test_password_bounds(bad: str) -> None:
    with pytest.raises(InvalidRequest):
        check_password(bad)
    assert check_password("x" * 8) == "x" * 8


@given(st.integers(min_value=0, max_value=10_000))
def test_waits_start_at_the_limit_double_and_stay_under_the_cap(failures: int) -> None:
    cap = timedelta(seconds=60)
    delay = login_delay(failures, 5, cap)
    if failures < 5:
        assert delay == timedelta(0)
    else:
        assert timedelta(seconds=1) <= delay <= cap
        following = login_delay(failures + 1, 5, cap)
        assert following == min(cap, delay * 2)


def test_the_first_waits() -> None:
    waits = [login_delay(n, 5, timedelta(seconds=60)).total_seconds() for n in range(4, 13)]
    assert waits == [0, 1, 2, 4, 8, 16, 32, 60, 60]

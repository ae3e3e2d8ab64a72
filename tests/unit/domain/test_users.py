"""Dashboard user rules: e-mail normalisation, password bounds, the lockout arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.users import (
    LoginPolicy,
    check_password,
    is_locked,
    lock_after_failure,
    normalise_email,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


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


@given(st.integers(min_value=0, max_value=50))
def test_lock_only_from_the_limit_on(failures: int) -> None:
    policy = LoginPolicy(max_failures=5, lockout=timedelta(minutes=15))
    until = lock_after_failure(failures, NOW, policy)
    assert (until is not None) == (failures >= 5)
    if until is not None:
        assert until == NOW + timedelta(minutes=15)
        assert is_locked(until, NOW + timedelta(minutes=14, seconds=59))
        assert not is_locked(until, until)


def test_never_locked_without_a_date() -> None:
    assert not is_locked(None, NOW)

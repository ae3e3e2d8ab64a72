"""The bounds of domain/limits.py and the forms they take in the adapters agree."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import (
    EMAIL_PATTERN,
    MAX_EMAIL_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    SUPPORTED_YEAR_PATTERN,
    is_email,
    is_supported_year,
    supported,
)


@given(st.integers(min_value=1, max_value=9999))
def test_the_document_pattern_states_the_supported_years(year: int) -> None:
    matches = re.match(SUPPORTED_YEAR_PATTERN, f"{year:04d}-01-01") is not None
    assert matches == (MIN_YEAR <= year <= MAX_YEAR) == is_supported_year(date(year, 1, 1))


@given(st.datetimes())
def test_supported_returns_the_value_or_names_it(value: datetime) -> None:
    if MIN_YEAR <= value.year <= MAX_YEAR:
        assert supported(value, "startDate") is value
    else:
        with pytest.raises(InvalidRequest, match=r"startDate .* out of range"):
            supported(value, "startDate")


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("awa@example.org", True),
        ("a" * 64 + "@example.org", True),
        ("a" * 65 + "@example.org", False),
        ("awa@example.org\n", False),
        ("awa @example.org", False),
        ("awa@example", False),
        ("a@b@example.org", False),
        ("a@" + "b" * (MAX_EMAIL_LENGTH - 5) + ".org", False),
    ],
)
def test_one_e_mail_rule(text: str, valid: bool) -> None:
    assert is_email(text) is valid
    # The OpenAPI pattern is the same rule; the length is stated apart (maxLength).
    if len(text) <= MAX_EMAIL_LENGTH:
        assert (re.fullmatch(EMAIL_PATTERN, text) is not None) is valid

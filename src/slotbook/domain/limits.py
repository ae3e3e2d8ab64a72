"""The bounds every adapter checks its input against, written once."""

from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

from slotbook.domain.errors import InvalidRequest

# Dates and date-times are accepted from 1900 to 9000 only: far from datetime's limits (years
# 1 and 9999), so converting between zones and adding durations, buffers and margins never
# overflows.
MIN_YEAR = 1900
MAX_YEAR = 9000
SUPPORTED_YEARS = f"years {MIN_YEAR} to {MAX_YEAR}"
# The same years as the start of an ISO 8601 text, for the OpenAPI document (a test checks
# that it agrees with MIN_YEAR and MAX_YEAR).
SUPPORTED_YEAR_PATTERN = r"^(19\d\d|[2-8]\d\d\d|9000)-"

# Ids are 32-bit integers in the database: a larger one cannot exist.
MAX_ID = 2_147_483_647

# An e-mail address: a local part of 1 to 64 characters, "@", a domain with a dot, at most
# 254 characters in all. Explicit classes rather than \s: the API's validator and the
# fuzzer's regex engines disagree on which characters are whitespace.
MAX_EMAIL_LENGTH = 254
_EMAIL_CHARACTER = r"[^@ \x00-\x1f\x7f-\x9f]"
EMAIL_PATTERN = rf"^{_EMAIL_CHARACTER}{{1,64}}@{_EMAIL_CHARACTER}+\.{_EMAIL_CHARACTER}+$"
_EMAIL = re.compile(EMAIL_PATTERN)

D = TypeVar("D", bound=date)  # a date or a datetime


def is_supported_year(value: date) -> bool:
    """Whether a date or date-time lies in the supported years."""
    return MIN_YEAR <= value.year <= MAX_YEAR


def supported(value: D, name: str) -> D:
    """`value` itself when it lies in the supported years, else an InvalidRequest naming it."""
    if not is_supported_year(value):
        raise InvalidRequest(f"{name} {value.isoformat()} is out of range ({SUPPORTED_YEARS})")
    return value


def is_email(value: str) -> bool:
    return len(value) <= MAX_EMAIL_LENGTH and _EMAIL.fullmatch(value) is not None

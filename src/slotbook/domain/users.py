"""Dashboard users: roles, e-mail and password rules, and the lockout after failed logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import is_email

MIN_PASSWORD_LENGTH = 8
# argon2 hashes any length, but a megabyte password is a cheap way to burn server CPU.
MAX_PASSWORD_LENGTH = 1024


class Role(StrEnum):
    OWNER = "owner"  # everything, including Settings and credits
    STAFF = "staff"  # the calendar and the check-in desk


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """After `max_failures` wrong passwords in a row an account is locked for `lockout`."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


def normalise_email(email: str) -> str:
    """The e-mail as stored and looked up: trimmed and lower-cased; refused when implausible."""
    value = email.strip().lower()
    if not is_email(value):
        raise InvalidRequest("Enter a valid e-mail address")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidRequest("Enter a valid e-mail address")
    return value


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequest(f"A password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidRequest(f"A password has at most {MAX_PASSWORD_LENGTH} characters")
    if "\x00" in password:
        raise InvalidRequest("A password cannot contain NUL characters")
    return password


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def lock_after_failure(failures: int, now: datetime, policy: LoginPolicy) -> datetime | None:
    """When `failures` consecutive wrong passwords lock the account: until when, else None."""
    if failures >= policy.max_failures:
        return now + policy.lockout
    return None

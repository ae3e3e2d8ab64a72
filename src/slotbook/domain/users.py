"""Dashboard users: roles, e-mail and password rules, and the waits after failed logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
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
    """Wrong passwords make the next attempt wait, longer after each one, never for long.

    Counted per e-mail address, whether or not an account has it (so the answers cannot tell
    which e-mails exist), and per client address. From the `free_failures`-th failure of an
    e-mail within `window` on, the next attempt waits 1 s, then 2, 4, ... up to `max_delay`:
    a guesser gets a few dozen tries an hour, the owner is kept out a minute at most. An
    address's failures, over all e-mails, are allowed more before waiting, and longer waits.
    """

    free_failures: int = 5
    max_delay: timedelta = timedelta(seconds=60)
    address_free_failures: int = 20
    address_max_delay: timedelta = timedelta(minutes=15)
    window: timedelta = timedelta(hours=1)  # failures older than this are forgotten


def login_delay(failures: int, free_failures: int, cap: timedelta) -> timedelta:
    """How long the next attempt waits after `failures` recent failures."""
    if failures < free_failures:
        return timedelta(0)
    exponent = min(failures - free_failures, 32)  # 2**32 s is far past any cap
    return min(cap, timedelta(seconds=2**exponent))


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

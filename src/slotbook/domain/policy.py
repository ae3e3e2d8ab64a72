"""A department's booking policy: the settings of seed 002's booking rules."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from slotbook.domain.errors import InvalidRequest

# Upper bounds keep every setting far from datetime overflow and from 32-bit columns.
_LIMITS = {
    "max_upcoming_per_client": 10_000,
    "min_minutes_between_client_appointments": 366 * 24 * 60,
    "max_advance_days": 3660,
    "min_notice_minutes": 366 * 24 * 60,
    "min_cancel_notice_minutes": 366 * 24 * 60,
}


MAX_NO_SHOW_WINDOW_DAYS = 3660


@dataclass(frozen=True, slots=True)
class NoShowRule:
    """Refuse bookings (TOO_MANY_NO_SHOWS) of clients with `limit` no-shows in the last
    `window_days` days in the department; `limit` None turns the rule off."""

    limit: int | None = None
    window_days: int = 90

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 1:
            raise InvalidRequest("The no-show limit must be at least 1")
        if not 1 <= self.window_days <= MAX_NO_SHOW_WINDOW_DAYS:
            raise InvalidRequest(
                f"The no-show window must be between 1 and {MAX_NO_SHOW_WINDOW_DAYS} days"
            )


@dataclass(frozen=True, slots=True)
class BookingPolicy:
    """None means the rule is off. Defaults are all off: booking works as before."""

    max_upcoming_per_client: int | None = None  # MAX_UPCOMING_REACHED (6, MaxRdvNumber)
    min_minutes_between_client_appointments: int | None = None  # TOO_CLOSE_... (7)
    max_advance_days: int | None = None  # TOO_FAR_IN_ADVANCE (8, MaxRdvPeriod)
    min_notice_minutes: int | None = None  # TOO_SOON (9, MintimeRdv)
    min_cancel_notice_minutes: int | None = None  # CANCELLATION_TOO_LATE (10)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            limit = _LIMITS[f.name]
            if value is not None and not 0 <= value <= limit:
                raise InvalidRequest(f"{f.name} must be between 0 and {limit}")

    def earliest_start(self, now: datetime) -> datetime:
        """The first instant a new appointment may start (minimum notice)."""
        return now + timedelta(minutes=self.min_notice_minutes or 0)

    def latest_start(self, now: datetime) -> datetime | None:
        """The last instant a new appointment may start (booking horizon), if any."""
        if self.max_advance_days is None:
            return None
        return now + timedelta(days=self.max_advance_days)

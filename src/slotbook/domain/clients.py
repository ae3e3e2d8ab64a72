"""Clients (the people who book) and their patients (dependents: a child, an animal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from slotbook.domain.errors import TooManyNoShows


@dataclass(frozen=True, slots=True)
class Client:
    id: int
    uuid: UUID
    organization_id: int
    name: str | None  # None once erased
    email: str | None
    phone: str | None
    second_phone: str | None
    external_user_id: str | None
    notes: str | None
    no_show_count: int
    created_at: datetime
    updated_at: datetime
    erased_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Patient:
    id: int
    uuid: UUID
    organization_id: int
    client_id: int
    name: str | None  # None once its client is erased
    species: str | None
    birth_date: date | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


def normalize_email(email: str) -> str:
    """Emails are compared without case: one person, one client, however they type it."""
    return email.strip().lower()


def no_show_window_start(now: datetime, window_days: int) -> datetime:
    return now - timedelta(days=window_days)


def check_no_shows(recent_no_shows: int, limit: int | None, window_days: int) -> None:
    """The department rule: a client with `limit` no-shows in the window books no more."""
    if limit is not None and recent_no_shows >= limit:
        raise TooManyNoShows(
            f"This client did not come to {recent_no_shows} appointments in the last "
            f"{window_days} days (limit {limit}); new bookings are refused"
        )

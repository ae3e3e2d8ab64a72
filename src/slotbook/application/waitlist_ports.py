"""What the waitlist use cases need from storage: the repository and its value types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from slotbook.application.ports import Page
from slotbook.domain.waitlist import (
    Candidate,
    EntryStatus,
    FreedTime,
    Offer,
    OfferStatus,
    WaitlistEntry,
    Window,
)

# Candidates read per round trip while matching, doubling each round up to the last: the
# queue is read in its order, the database has checked all but the times of day, so the
# entry is nearly always among the first few; a large first batch made the database find
# (and the domain check) hundreds of rows for nothing.
MATCH_BATCHES = (8, 32, 128, 512)


@dataclass(frozen=True, slots=True)
class NewEntry:
    department_id: int
    appointment_type_id: int | None
    worker_id: int | None
    client_id: int | None
    external_user_id: str | None
    name: str
    window: Window
    closes_at: datetime  # the instant the window has passed
    priority: int = 0


@dataclass(frozen=True, slots=True)
class NewOffer:
    department_id: int
    entry_id: int
    worker_id: int
    appointment_type_id: int | None
    starts_at: datetime
    ends_at: datetime
    blocked_from: datetime
    blocked_until: datetime
    expires_at: datetime
    token: str


@dataclass(frozen=True, slots=True)
class EntryQuery:
    department_id: int | None = None
    status: EntryStatus | None = None
    client_id: int | None = None
    external_user_id: str | None = None
    worker_id: int | None = None
    appointment_type_id: int | None = None


class WaitlistRepository(Protocol):
    async def add_entry(self, new: NewEntry, now: datetime) -> int: ...
    async def active_entry_of(
        self,
        department_id: int,
        appointment_type_id: int | None,
        client_id: int | None,
        external_user_id: str | None,
    ) -> int | None: ...
    async def get_entry(self, entry_id: int, *, lock: bool = False) -> WaitlistEntry | None: ...
    async def list_entries(
        self, query: EntryQuery, page: int, size: int
    ) -> Page[WaitlistEntry]: ...
    async def set_entry_status(
        self,
        entry_id: int,
        expected: Sequence[EntryStatus],
        status: EntryStatus,
        now: datetime,
        appointment_id: int | None = None,
    ) -> bool: ...
    async def set_priority(self, entry_id: int, priority: int, now: datetime) -> None: ...
    async def candidates(
        self, freed: FreedTime, local_day: date, after: tuple[int, int] | None, limit: int
    ) -> list[Any]: ...
    def candidate(self, row: Any) -> Candidate: ...
    async def offer_minutes(self, department_id: int) -> int: ...
    async def set_offer_minutes(self, department_id: int, minutes: int) -> None: ...
    async def hold(self, new: NewOffer, now: datetime) -> int: ...
    async def release(self, hold_id: int | None) -> None: ...
    async def add_offer(self, new: NewOffer, hold_id: int, now: datetime) -> Offer: ...
    async def open_offer_of(self, entry_id: int, *, lock: bool = False) -> Offer | None: ...
    async def offer_by_token(self, token: str) -> Offer | None: ...
    async def close_offer(
        self,
        offer_id: int,
        status: OfferStatus,
        now: datetime,
        *,
        lapsed_only: bool = False,
    ) -> int | None: ...
    async def withdraw_open(self, entry_id: int, now: datetime) -> Offer | None: ...
    async def held(
        self, worker_ids: Sequence[int], since: datetime, until: datetime
    ) -> list[tuple[int, datetime, datetime]]: ...
    async def lapsed_offers(self, now: datetime, limit: int) -> list[int]: ...
    async def offer(self, offer_id: int) -> tuple[Offer, int] | None: ...
    async def unnotified_offers(self, limit: int) -> list[int]: ...
    async def claim_notice(self, offer_id: int, now: datetime) -> bool: ...
    async def forget_client(self, client_id: int, now: datetime, *, keep_link: bool) -> None: ...
    async def passed_entries(self, now: datetime, limit: int) -> list[int]: ...

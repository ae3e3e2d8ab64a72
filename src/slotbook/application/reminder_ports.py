"""Ports of the reminder worker: the due-reminder store, the mailer and the SMS sender."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from slotbook.application.integration_ports import OutboxRepository
from slotbook.domain.appointments import Appointment
from slotbook.domain.branding import Logo


@dataclass(frozen=True, slots=True)
class ReminderCandidate:
    """An active appointment with at least one reminder offset due and not yet handled,
    locked by the claiming transaction."""

    appointment: Appointment
    offsets: tuple[int, ...]  # its department's offsets
    handled: frozenset[int]  # offsets already recorded in appointment_reminder
    cancel_token: str | None
    email: str | None  # the client's, when the appointment has a client with one
    phone: str | None


@dataclass(frozen=True, slots=True)
class ReminderRecord:
    """Offsets of a claimed appointment to mark handled, and its cancel token."""

    appointment_id: int
    offsets: tuple[int, ...]
    cancel_token: str  # the existing one, or a new one to store
    existing_token: str | None


class ReminderClaim(Protocol):
    """One transaction over claimed candidates: other workers skip them until it ends."""

    async def candidates(
        self, organization_id: int, now: datetime, limit: int
    ) -> Sequence[ReminderCandidate]: ...
    async def record(
        self, records: Sequence[ReminderRecord], now: datetime
    ) -> tuple[frozenset[tuple[int, int]], dict[int, str]]:
        """Mark the offsets handled and store the new cancel tokens. Returns the (appointment,
        offset) pairs this call recorded (another worker may have recorded some meanwhile:
        those are not this claim's to send) and each appointment's cancel token."""
        ...

    def outbox(self, organization_id: int) -> OutboxRepository: ...
    async def commit(self) -> None: ...


class ReminderStore(Protocol):
    async def due_organizations(self, now: datetime, limit: int) -> Sequence[int]:
        """Organizations with reminders due (read without locks: a hint for the claims)."""
        ...

    def claim(self) -> AbstractAsyncContextManager[ReminderClaim]: ...
    async def branding_of(self, organization_id: int) -> tuple[str | None, Logo | None]:
        """The organization's accent color and logo, for its e-mails."""
        ...

    async def mark_sent(self, appointment_id: int, *, email: bool, sms: bool) -> None:
        """Set emailReminderSent / smsReminderSent (only to true)."""
        ...


@dataclass(frozen=True, slots=True)
class ReminderNotice:
    """What a reminder says, whatever carries it."""

    appointment: Appointment
    local_start: datetime  # in the department's zone
    cancel_url: str | None
    reschedule_url: str | None = None
    accent_color: str | None = None  # the organization's branding (Settings → Branding)
    logo: Logo | None = None


class Mailer(Protocol):
    async def send_reminder(self, to: str, notice: ReminderNotice) -> None:
        """Send the reminder email; raises when the server refuses it."""
        ...


class SmsSender(Protocol):
    async def send(self, to: str, text: str) -> None:
        """Send one text message; raises when it could not be handed over."""
        ...


@dataclass(frozen=True, slots=True)
class OfferNotice:
    """What a waitlist offer's message says, whatever carries it."""

    name: str
    department_name: str
    local_start: datetime  # in the department's zone
    local_expiry: datetime
    time_zone: str
    accept_url: str


class OfferMailer(Protocol):
    async def send_offer(self, to: str, notice: OfferNotice) -> None:
        """Send the offer email; raises when the server refuses it."""
        ...

"""The events Slotbook publishes (webhooks, change feed) and the delivery retry policy."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from slotbook.domain.history import HistoryAction


class EventType(StrEnum):
    APPOINTMENT_CREATED = "appointment.created"
    APPOINTMENT_UPDATED = "appointment.updated"
    APPOINTMENT_RESCHEDULED = "appointment.rescheduled"
    APPOINTMENT_CANCELLED = "appointment.cancelled"
    APPOINTMENT_CONFIRMED = "appointment.confirmed"
    APPOINTMENT_CHECKED_IN = "appointment.checked_in"
    APPOINTMENT_COMPLETED = "appointment.completed"
    APPOINTMENT_MISSED = "appointment.missed"
    APPOINTMENT_REMINDER = "appointment.reminder"
    CREDITS_LOW = "credits.low"
    WAITLIST_OFFERED = "waitlist.offered"
    WAITLIST_ACCEPTED = "waitlist.accepted"
    WAITLIST_EXPIRED = "waitlist.expired"


ALL_EVENT_TYPES = frozenset(EventType)

# The event each recorded change of an appointment publishes (an erasure publishes none: the
# erased data must not travel).
EVENT_OF_ACTION: dict[HistoryAction, EventType] = {
    HistoryAction.CREATED: EventType.APPOINTMENT_CREATED,
    HistoryAction.CONFIRMED: EventType.APPOINTMENT_CONFIRMED,
    HistoryAction.CHECKED_IN: EventType.APPOINTMENT_CHECKED_IN,
    HistoryAction.COMPLETED: EventType.APPOINTMENT_COMPLETED,
    HistoryAction.MISSED: EventType.APPOINTMENT_MISSED,
    HistoryAction.CANCELLED: EventType.APPOINTMENT_CANCELLED,
    HistoryAction.ARCHIVED: EventType.APPOINTMENT_UPDATED,
    HistoryAction.UPDATED: EventType.APPOINTMENT_UPDATED,
    HistoryAction.RESCHEDULED: EventType.APPOINTMENT_RESCHEDULED,
}


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # waiting for its next attempt (or being attempted right now)
    DELIVERED = "DELIVERED"  # the endpoint answered 2xx
    FAILED = "FAILED"  # retries exhausted, or the endpoint answered 410 Gone


# Wait after the n-th failed attempt (n = 1, 2, ...): the Standard Webhooks schedule cut to
# about a day. Eight attempts in all; the last comes ~23.6 h after the first.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=8),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.2  # each wait is stretched or shrunk by up to 20 %, so retries do not stampede
MAX_RETRY_AFTER = timedelta(hours=1)


def retry_delay(
    failed_attempts: int, jitter: float, retry_after: timedelta | None = None
) -> timedelta | None:
    """How long to wait after `failed_attempts` failures, or None once retries are exhausted.

    `jitter` is a number in [-1, 1] (the caller draws it at random). A receiver's Retry-After
    (429/503) is honoured when longer than the schedule, up to an hour.
    """
    if failed_attempts < 1:
        raise ValueError("failed_attempts starts at 1")
    if failed_attempts >= MAX_ATTEMPTS:
        return None
    base = RETRY_DELAYS[failed_attempts - 1]
    delay = base * (1 + JITTER * max(-1.0, min(1.0, jitter)))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def is_success(status_code: int) -> bool:
    """Only 2xx counts; a redirect is a failure (redirects are never followed)."""
    return 200 <= status_code < 300


def disables_endpoint(status_code: int) -> bool:
    """410 Gone is the receiver saying it will never want these again."""
    return status_code == 410

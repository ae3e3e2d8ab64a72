"""The appointment, its status machine, its human labels and its cancellation reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from slotbook.domain.errors import CheckInNotToday, InvalidTransition, VersionMismatch


class AppointmentStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    CONFIRMED = "CONFIRMED"
    CHECKED_IN = "CHECKED_IN"
    COMPLETED = "COMPLETED"
    MISSED = "MISSED"
    CANCELLED = "CANCELLED"


S = AppointmentStatus

# Statuses that hold a slot (and a credit). A cancelled appointment frees both.
ACTIVE_STATUSES = frozenset({S.SCHEDULED, S.CONFIRMED, S.CHECKED_IN})

# Still waiting for the person to come: the no-show sweep looks at these.
AWAITED_STATUSES = frozenset({S.SCHEDULED, S.CONFIRMED})

# The statuses whose time, worker or type can still change (a reschedule); any other is 409
# INVALID_TRANSITION.
MOVABLE_STATUSES = frozenset({S.SCHEDULED, S.CONFIRMED})

# The whole status machine: each status and the statuses it may change to. COMPLETED, MISSED
# and CANCELLED are final; nothing leaves them (a wrongly marked no-show is corrected by
# support, not by the API, so no-show counts and credits stay consistent).
TRANSITIONS: Mapping[AppointmentStatus, frozenset[AppointmentStatus]] = {
    S.SCHEDULED: frozenset({S.CONFIRMED, S.CHECKED_IN, S.MISSED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.CHECKED_IN, S.MISSED, S.CANCELLED}),
    S.CHECKED_IN: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.MISSED: frozenset(),
    S.CANCELLED: frozenset(),
}

_VERBS = {
    S.CONFIRMED: "confirmed",
    S.CHECKED_IN: "checked in",
    S.COMPLETED: "completed",
    S.MISSED: "marked as a no-show",
    S.CANCELLED: "cancelled",
    S.SCHEDULED: "scheduled",
}


def transition(current: AppointmentStatus, target: AppointmentStatus) -> bool:
    """Whether moving from `current` to `target` is a change.

    Asking for the status the appointment already has is an idempotent no-op (False), so a
    retried request or a QR code scanned twice does no harm. Any move the machine does not
    allow raises InvalidTransition.
    """
    if current is target:
        return False
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(
            f"An appointment with status {current.value} cannot be {_VERBS[target]}"
        )
    return True


def cancellation_refunds(status: AppointmentStatus) -> bool:
    """Whether cancelling an appointment in `status` is a change (and so refunds its credit).

    Cancelling a cancelled appointment is an idempotent no-op: the client gets the appointment
    back and no second refund is made. Finished appointments cannot be cancelled.
    """
    return transition(status, S.CANCELLED)


def check_version(current: int, expected: frozenset[int] | None, resource: str) -> None:
    """Refuse a change made against an outdated copy (`If-Match`); None means "any version"."""
    if expected is not None and current not in expected:
        raise VersionMismatch(resource, current)


def check_in_open(starts_at: datetime, now: datetime, tz: ZoneInfo) -> bool:
    """The one check-in rule (QR scan, POST /appointments/{id}/check-in, the dashboard): a
    client checks in on the day of the appointment, in the department's zone; not days ahead,
    where a mistyped id would mark a future appointment as arrived, nor days later."""
    return starts_at.astimezone(tz).date() == now.astimezone(tz).date()


def check_in_day(starts_at: datetime, now: datetime, tz: ZoneInfo) -> None:
    """Refuse a check-in outside the appointment's day (see check_in_open)."""
    if not check_in_open(starts_at, now, tz):
        day, today = starts_at.astimezone(tz).date(), now.astimezone(tz).date()
        raise CheckInNotToday(
            f"Check-in is only possible on the day of the appointment: it is on "
            f"{day.isoformat()}, and today is {today.isoformat()} ({tz.key})"
        )


def sweep_cutoff(now: datetime, grace: timedelta) -> datetime:
    """Awaited appointments that started before this instant are no-shows."""
    return now - grace


DEFAULT_LANGUAGE = "en"

DISPLAY_STATUS: Mapping[str, Mapping[AppointmentStatus, str]] = {
    "en": {
        S.SCHEDULED: "Scheduled",
        S.CONFIRMED: "Confirmed",
        S.CHECKED_IN: "Arrived",
        S.COMPLETED: "Completed",
        S.MISSED: "Did not arrive",
        S.CANCELLED: "Cancelled",
    },
    "fr": {
        S.SCHEDULED: "Planifié",
        S.CONFIRMED: "Confirmé",
        S.CHECKED_IN: "Arrivé",
        S.COMPLETED: "Terminé",
        S.MISSED: "Absent",
        S.CANCELLED: "Annulé",
    },
}
LANGUAGES = frozenset(DISPLAY_STATUS)


def display_status(status: AppointmentStatus, language: str = DEFAULT_LANGUAGE) -> str:
    return DISPLAY_STATUS.get(language, DISPLAY_STATUS[DEFAULT_LANGUAGE])[status]


class CancellationReason(IntEnum):
    """Cancellation reasons with their numeric values, as Cliniko's."""

    FEELING_BETTER = 10
    CONDITION_WORSE = 20
    SICK = 30
    AWAY = 40
    OTHER = 50
    WORK = 60


CANCELLATION_REASON_LABELS: Mapping[str, Mapping[CancellationReason, str]] = {
    "en": {
        CancellationReason.FEELING_BETTER: "Feeling better",
        CancellationReason.CONDITION_WORSE: "Condition worse",
        CancellationReason.SICK: "Sick",
        CancellationReason.AWAY: "Away",
        CancellationReason.OTHER: "Other",
        CancellationReason.WORK: "Work",
    },
    "fr": {
        CancellationReason.FEELING_BETTER: "Se sent mieux",
        CancellationReason.CONDITION_WORSE: "État aggravé",
        CancellationReason.SICK: "Malade",
        CancellationReason.AWAY: "Absent",
        CancellationReason.OTHER: "Autre",
        CancellationReason.WORK: "Travail",
    },
}


def cancellation_reason_label(reason: CancellationReason, language: str = DEFAULT_LANGUAGE) -> str:
    labels = CANCELLATION_REASON_LABELS.get(language, CANCELLATION_REASON_LABELS[DEFAULT_LANGUAGE])
    return labels[reason]


@dataclass(frozen=True, slots=True)
class AppointmentDetails:
    """What a booking says besides when and with whom (seeds 002, 003 and 004)."""

    notes: str | None = None
    reason: str | None = None
    is_urgent: bool = False
    source: str | None = None
    from_web: bool = False  # only the public booking page books from the web
    telehealth_url: str | None = None


@dataclass(frozen=True, slots=True)
class Appointment:
    id: int
    organization_id: int
    department_id: int
    department_name: str
    time_zone: str
    worker_id: int | None
    name: str
    external_user_id: str | None
    starts_at: datetime
    status: AppointmentStatus
    qr_token: str
    created_at: datetime
    updated_at: datetime
    uuid: UUID
    cancelled_at: datetime | None = None
    ends_at: datetime | None = None  # None only for an appointment not yet stored
    appointment_type_id: int | None = None
    client_id: int | None = None
    patient_id: int | None = None
    notes: str | None = None
    reason: str | None = None
    is_urgent: bool = False
    source: str | None = None
    from_web: bool = False  # only the public booking page books from the web
    telehealth_url: str | None = None
    version: int = 1
    arrived_at: datetime | None = None
    archived_at: datetime | None = None
    cancellation_reason: CancellationReason | None = None
    cancellation_note: str | None = None
    repeated_from_id: int | None = None
    # Whether a reminder went out by email / SMS (set by the reminder worker after sending).
    email_reminder_sent: bool = False
    sms_reminder_sent: bool = False

    @property
    def patient_arrived(self) -> bool:
        return self.status in (S.CHECKED_IN, S.COMPLETED)

    @property
    def did_not_arrive(self) -> bool:
        return self.status is S.MISSED

    @property
    def series_id(self) -> int:
        """The first appointment of its recurring series (itself when it is not repeated)."""
        return self.repeated_from_id or self.id

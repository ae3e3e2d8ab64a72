"""The appointment, its statuses and which status changes are allowed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from slotbook.domain.errors import InvalidTransition


class AppointmentStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    CONFIRMED = "CONFIRMED"
    CHECKED_IN = "CHECKED_IN"
    COMPLETED = "COMPLETED"
    MISSED = "MISSED"
    CANCELLED = "CANCELLED"


# Statuses that hold a slot (and a credit). A cancelled appointment frees both.
ACTIVE_STATUSES = frozenset(
    {AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN}
)

_CANCELLABLE = frozenset({AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED})


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
    cancelled_at: datetime | None = None
    ends_at: datetime | None = None  # None only for an appointment not yet stored
    appointment_type_id: int | None = None


def cancellation_refunds(status: AppointmentStatus) -> bool:
    """Whether cancelling an appointment in `status` is a change (and so refunds its credit).

    Cancelling a cancelled appointment is an idempotent no-op: the client gets the appointment
    back and no second refund is made. Finished appointments cannot be cancelled.
    """
    if status is AppointmentStatus.CANCELLED:
        return False
    if status not in _CANCELLABLE:
        raise InvalidTransition(f"An appointment with status {status.value} cannot be cancelled")
    return True

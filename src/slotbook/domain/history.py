"""The append-only history of an appointment: who (which API key) changed what, and when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any

from slotbook.domain.appointments import Appointment


class HistoryAction(StrEnum):
    CREATED = "CREATED"
    CONFIRMED = "CONFIRMED"
    CHECKED_IN = "CHECKED_IN"
    COMPLETED = "COMPLETED"
    MISSED = "MISSED"
    CANCELLED = "CANCELLED"
    ARCHIVED = "ARCHIVED"
    UPDATED = "UPDATED"
    RESCHEDULED = "RESCHEDULED"  # time, worker or appointment type changed
    CLIENT_ERASED = "CLIENT_ERASED"


class Actor(StrEnum):
    API_KEY = "API_KEY"
    SWEEP = "SWEEP"  # the scheduled no-show sweep


# Fields whose values are personal data. The history records THAT they changed, never their
# values, so it can stay strictly append-only and still honour an erasure request.
PERSONAL_FIELDS = frozenset(
    {"name", "notes", "reason", "cancellationNote", "externalUserId", "telehealthUrl"}
)

# Appointment attributes the history follows, by their API names.
_TRACKED = {
    "status": "status",
    "dateTime": "starts_at",
    "endTime": "ends_at",
    "appointmentTypeId": "appointment_type_id",
    "departmentId": "department_id",
    "workerId": "worker_id",
    "clientId": "client_id",
    "patientId": "patient_id",
    "isUrgent": "is_urgent",
    "source": "source",
    "fromWeb": "from_web",
    "arrivedAt": "arrived_at",
    "archivedAt": "archived_at",
    "cancellationReason": "cancellation_reason",
    "repeatedFromId": "repeated_from_id",
    "name": "name",
    "notes": "notes",
    "reason": "reason",
    "cancellationNote": "cancellation_note",
    "externalUserId": "external_user_id",
    "telehealthUrl": "telehealth_url",
}


@dataclass(frozen=True, slots=True)
class Change:
    """What one write did: non-personal fields with old and new values, personal ones named."""

    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    personal: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    appointment_id: int
    action: HistoryAction
    actor: Actor
    api_key_id: int | None
    api_key_name: str | None
    change: Change
    created_at: datetime


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, Enum):
        return value.value
    return value


def change_between(before: Appointment | None, after: Appointment) -> Change:
    """The tracked differences from `before` (None: a creation) to `after`."""
    values: dict[str, dict[str, Any]] = {}
    personal: list[str] = []
    for name, attribute in _TRACKED.items():
        old = getattr(before, attribute) if before is not None else None
        new = getattr(after, attribute)
        if old == new:
            continue
        if name in PERSONAL_FIELDS:
            personal.append(name)
        else:
            values[name] = {"from": _plain(old), "to": _plain(new)}
    return Change(values, tuple(personal))

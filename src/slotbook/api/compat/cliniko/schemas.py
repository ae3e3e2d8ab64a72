"""Cliniko's request bodies (snake_case, ids as strings, UTC date-times) and its individual
appointment object, built from the native Appointment."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from slotbook.api.schemas.common import MAX_ID
from slotbook.domain.appointments import Appointment, CancellationReason
from slotbook.domain.limits import SUPPORTED_YEARS, is_supported_year
from slotbook.domain.recurrence import MAX_OCCURRENCES, RepeatRule, RepeatType

# The descriptions of seed 003's cancellation reason enum, as Cliniko spells them.
REASON_DESCRIPTIONS = {
    CancellationReason.FEELING_BETTER: "Feeling Better",
    CancellationReason.CONDITION_WORSE: "Condition Worse",
    CancellationReason.SICK: "Sick",
    CancellationReason.AWAY: "Away",
    CancellationReason.OTHER: "Other",
    CancellationReason.WORK: "Work",
}
MAX_NOTES = 10_000


def _id(value: object) -> object:
    """Cliniko sends ids as strings of integers ("1"); plain integers are taken too."""
    if isinstance(value, bool):
        raise ValueError("must be an id (a string of digits)")
    if isinstance(value, str):
        if not re.fullmatch(r"\d{1,10}", value.strip()):
            raise ValueError("must be an id (a string of digits)")
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValueError("must be an id (a string of digits)")
    return value


def parse_utc(text: str) -> datetime:
    """An ISO 8601 date-time as a UTC instant. Cliniko's times are UTC, so one without an
    offset is read as UTC (the native API would read it as the department's wall clock)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            "must be an ISO 8601 date-time in UTC, e.g. 2027-08-24T14:15:22Z"
        ) from None
    if not is_supported_year(value):
        raise ValueError(f"is out of range ({SUPPORTED_YEARS})")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _utc(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time in UTC, e.g. 2027-08-24T14:15:22Z")
    return parse_utc(value)


def _notes(value: str) -> str | None:
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValueError("must not contain control characters")
    return value.strip() or None  # Cliniko clients send "" for no notes


def _count(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be an integer")
    return value


def _reason(value: object) -> object:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or value not in {r.value for r in CancellationReason}:
        raise ValueError("must be one of 10, 20, 30, 40, 50, 60")
    return value


ClinikoId = Annotated[int, BeforeValidator(_id)]
UtcDateTime = Annotated[datetime, BeforeValidator(_utc)]
Notes = Annotated[str, Field(max_length=MAX_NOTES), AfterValidator(_notes)]
SmallCount = Annotated[int, Field(ge=0, le=MAX_OCCURRENCES), BeforeValidator(_count)]
Reason = Annotated[CancellationReason, BeforeValidator(_reason)]


class Body(BaseModel):
    # Every documented field is accepted; anything else is refused rather than dropped.
    model_config = ConfigDict(extra="forbid")


class RepeatRuleBody(Body):
    repeat_type: Annotated[str, Field(max_length=20)]
    repeating_interval: SmallCount = 1
    number_of_repeats: SmallCount

    def rule(self) -> RepeatRule | None:
        """Slotbook's rule: `number_of_repeats` appointments in all, the first included (as
        the native repeatRule). 0 or 1 is a single appointment."""
        kind = RepeatType.parse(self.repeat_type)
        if self.number_of_repeats <= 1:
            return None
        return RepeatRule(kind, self.repeating_interval, self.number_of_repeats)


class AppointmentCreateBody(Body):
    appointment_type_id: ClinikoId | None = None
    business_id: ClinikoId
    ends_at: UtcDateTime | None = None
    notes: Notes | None = None
    patient_case_id: ClinikoId | None = None  # accepted, not kept: Slotbook has no cases
    patient_id: ClinikoId
    practitioner_id: ClinikoId | None = None
    repeat_rule: RepeatRuleBody | None = None
    starts_at: UtcDateTime


class AppointmentUpdateBody(Body):
    appointment_type_id: ClinikoId | None = None
    business_id: ClinikoId | None = None
    ends_at: UtcDateTime | None = None
    notes: Notes | None = None
    patient_case_id: ClinikoId | None = None
    patient_id: ClinikoId | None = None
    practitioner_id: ClinikoId | None = None
    repeat_rule: RepeatRuleBody | None = None
    starts_at: UtcDateTime | None = None


class CancelBody(Body):
    cancellation_reason: Reason
    cancellation_note: Notes | None = None
    apply_to_repeats: StrictBool = False


def utc_text(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


def _id_text(value: int | None) -> str | None:
    return str(value) if value is not None else None


def individual_appointment(a: Appointment, base: str) -> dict[str, Any]:
    """The appointment as Cliniko's IndividualAppointment: every field Slotbook knows, and null
    for what it has no notion of (invoices, treatment notes, cases, booking IP, deletion).
    `base` is this dialect's base URL, for the links it serves."""
    url = f"{base}/individual_appointments/{a.id}"
    reason = a.cancellation_reason
    return {
        "id": str(a.id),
        "created_at": utc_text(a.created_at),
        "updated_at": utc_text(a.updated_at),
        "starts_at": utc_text(a.starts_at),
        "ends_at": utc_text(a.ends_at),
        "appointment_type_id": _id_text(a.appointment_type_id),
        "business_id": str(a.department_id),
        "practitioner_id": _id_text(a.worker_id),
        "patient_id": _id_text(a.client_id),
        "patient_name": a.name,
        "notes": a.notes,
        "cancelled_at": utc_text(a.cancelled_at),
        "cancellation_reason": int(reason) if reason is not None else None,
        "cancellation_reason_description": REASON_DESCRIPTIONS[reason] if reason else None,
        "cancellation_note": a.cancellation_note,
        "archived_at": utc_text(a.archived_at),
        "deleted_at": None,
        "did_not_arrive": a.did_not_arrive,
        "patient_arrived": a.patient_arrived,
        "email_reminder_sent": a.email_reminder_sent,
        "sms_reminder_sent": a.sms_reminder_sent,
        "telehealth_url": a.telehealth_url,
        "repeated_from_id": _id_text(a.repeated_from_id),
        "repeat_rule": None,
        "repeats": None,
        "booking_ip_address": None,
        "has_patient_appointment_notes": None,
        "invoice_status": None,
        "online_booking_policy_accepted": None,
        "treatment_note_status": None,
        # Related records this dialect does not serve: their *_id fields above say which.
        "appointment_type": None,
        "business": None,
        "practitioner": None,
        "patient": None,
        "patient_case": None,
        "attendees": None,
        "conflicts": {"links": {"self": f"{url}/conflicts"}},
        "links": {"self": url},
    }

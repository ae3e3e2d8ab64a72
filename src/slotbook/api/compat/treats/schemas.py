"""treats.vet bodies: UUID ids, UTC times with Z, status and its French label."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, StrictBool

from slotbook.api.schemas.common import DateTime, LongText, RequestModel
from slotbook.domain.appointments import Appointment, AppointmentStatus, display_status
from slotbook.domain.identifiers import Entity

# treats.vet's users read French labels (seed 004 documents its API in French).
LANGUAGE = "fr"

# The status values of treats.vet: lower-case words, one per state of our status machine.
STATUS: Mapping[AppointmentStatus, str] = {
    AppointmentStatus.SCHEDULED: "scheduled",
    AppointmentStatus.CONFIRMED: "confirmed",
    AppointmentStatus.CHECKED_IN: "checked_in",
    AppointmentStatus.COMPLETED: "completed",
    AppointmentStatus.MISSED: "no_show",
    AppointmentStatus.CANCELLED: "cancelled",
}

# How treats.vet names each record, for messages about its fields.
LABELS: Mapping[Entity, str] = {
    Entity.DEPARTMENT: "Clinic",
    Entity.WORKER: "Vet",
    Entity.CLIENT: "Client",
    Entity.PATIENT: "Patient",
    Entity.APPOINTMENT_TYPE: "Appointment type",
    Entity.APPOINTMENT: "Appointment",
}


def _utc(value: datetime) -> datetime:
    """scheduledAt is UTC: a time without an offset is read as UTC, not as local time."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def utc_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TreatsAppointmentCreate(RequestModel):
    client_id: UUID = Field(description="Identifiant du propriétaire (client)")
    patient_id: UUID = Field(description="Identifiant de l'animal (patient)")
    vet_id: UUID = Field(description="Vétérinaire souhaité")
    scheduled_at: Annotated[DateTime, AfterValidator(_utc)] = Field(
        description="UTC, e.g. 2026-02-15T10:00:00Z"
    )
    appointment_type_id: UUID | None = None
    reason: LongText | None = None
    is_urgent: StrictBool = False


def appointment_body(
    a: Appointment,
    *,
    client: UUID | None,
    patient: UUID | None,
    vet: UUID | None,
    appointment_type: UUID | None,
) -> dict[str, object]:
    """An appointment as treats.vet returns it (seed 004's response, field for field)."""
    return {
        "id": str(a.uuid),
        "clientId": _text(client),
        "patientId": _text(patient),
        "appointmentTypeId": _text(appointment_type),
        "vetId": _text(vet),
        "scheduledAt": utc_text(a.starts_at),
        "endTime": utc_text(a.ends_at) if a.ends_at is not None else None,
        "reason": a.reason,
        "isUrgent": a.is_urgent,
        "status": STATUS[a.status],
        "displayStatus": display_status(a.status, LANGUAGE),
        "createdAt": utc_text(a.created_at),
    }


def _text(value: UUID | None) -> str | None:
    return str(value) if value is not None else None

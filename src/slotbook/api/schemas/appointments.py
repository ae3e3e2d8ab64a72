"""Appointment bodies (seed 000 field names)."""

from __future__ import annotations

from pydantic import Field

from slotbook.api.schemas.common import (
    CamelModel,
    DateTime,
    Id,
    Name,
    PageFields,
    RequestModel,
    ShortText,
)
from slotbook.application.representation import appointment_document
from slotbook.domain.appointments import Appointment, AppointmentStatus


class AppointmentCreate(RequestModel):
    department_id: Id = Field(examples=[5])
    date_time: DateTime = Field(
        description="ISO 8601. Without an offset: wall-clock time of the department.",
        examples=["2027-02-15T10:00:00"],
    )
    name: Name = Field(examples=["Amadou Diallo"])
    worker_id: Id | None = Field(
        None, description="Required when the department has showAdminsInBooking=true"
    )
    external_user_id: ShortText | None = Field(None, examples=["customer_12345"])
    appointment_type_id: Id | None = Field(
        None,
        description="The end is computed from the type's duration (default: the department's "
        "slot interval)",
        examples=[3],
    )


class AppointmentReschedule(RequestModel):
    date_time: DateTime | None = Field(
        None,
        description="New start; without an offset: wall-clock time of the department",
        examples=["2027-02-16T11:00:00"],
    )
    worker_id: Id | None = Field(None, description="Move to this worker")
    appointment_type_id: Id | None = Field(None, description="Change the appointment type")


class AppointmentRead(CamelModel):
    id: int = Field(examples=[123])
    date_time: str = Field(examples=["2027-02-15T10:00:00"])
    status: AppointmentStatus = Field(examples=["SCHEDULED"])
    name: str = Field(examples=["Amadou Diallo"])
    qr_code: str = Field(examples=["QR-2Lq0v3W1cJ8cK1m3yqJbNw"])
    department_id: int = Field(examples=[5])
    department_name: str = Field(examples=["Passport Service"])
    external_user_id: str | None = Field(examples=["customer_12345"])
    worker_id: int | None = Field(examples=[42])
    time_zone: str = Field(
        description="IANA zone of dateTime and createdAt", examples=["Africa/Conakry"]
    )
    created_at: str = Field(examples=["2027-01-21T09:30:00"])
    cancelled_at: str | None = None
    end_time: str | None = Field(None, examples=["2027-02-15T10:30:00"])
    appointment_type_id: int | None = None

    @classmethod
    def of(cls, a: Appointment) -> AppointmentRead:
        # One representation for the API and for events: see application/representation.py.
        return cls.model_validate(appointment_document(a))


class AppointmentPage(PageFields):
    appointments: list[AppointmentRead]

"""Appointment bodies (seed 000 field names, plus seeds 002, 003 and 004's richer record)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from slotbook.api.schemas.common import (
    PUBLIC_ID,
    CamelModel,
    Email,
    Id,
    Language,
    LongText,
    Name,
    PageFields,
    Phone,
    RequestModel,
    RuleText,
    ShortText,
    StartTime,
    WebLink,
)
from slotbook.application.appointment_details import DETAIL_FIELDS, RescheduleRequest
from slotbook.application.clients import ClientUpsert
from slotbook.application.ports import ClientFields
from slotbook.application.representation import appointment_document, local_text
from slotbook.domain.appointments import (
    Appointment,
    AppointmentDetails,
    AppointmentStatus,
    CancellationReason,
)
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.recurrence import Recurrence, RepeatRule, RepeatType, RRule

TelehealthUrl = Annotated[WebLink, Field(description="http(s) link of the video visit")]


class ClientInline(RequestModel):
    """A client written with the booking (the groups API's "fiche"): with `id` the client is
    updated with the other fields; without, a client is created."""

    id: Id | None = None
    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    second_phone: Phone | None = None
    external_user_id: ShortText | None = None
    notes: LongText | None = None

    def upsert(self) -> ClientUpsert:
        fields = ClientFields(
            name=self.name,
            email=self.email,
            phone=self.phone,
            second_phone=self.second_phone,
            external_user_id=self.external_user_id,
            notes=self.notes,
        )
        return ClientUpsert(self.id, fields, frozenset(self.model_fields_set - {"id"}))


class RepeatRuleBody(RequestModel):
    """A repeat rule, as Cliniko's: `numberOfRepeats` appointments in all, the first included."""

    repeat_type: str = Field(examples=["Weekly"], description="Daily, Weekly or Monthly")
    repeating_interval: int = Field(1, ge=1, le=366, examples=[1])
    number_of_repeats: int = Field(ge=1, le=366, examples=[10])


class AppointmentCreate(RequestModel):
    department_id: Id = Field(examples=[5])
    date_time: StartTime = Field(
        description="ISO 8601 date and time. Without an offset: wall-clock time of the department.",
        examples=["2027-02-15T10:00:00"],
    )
    name: Name | None = Field(
        None, examples=["Amadou Diallo"], description="Required unless a client is given"
    )
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
    client_id: Id | None = None
    patient_id: Id | None = None
    client: ClientInline | None = None
    notes: LongText | None = None
    reason: LongText | None = Field(None, examples=["Vaccination annuelle"])
    is_urgent: bool = False
    source: ShortText | None = Field(None, examples=["our iPhone application"])
    from_web: bool = Field(
        False,
        description="true only for bookings made on a web page (as the public booking page does)",
    )
    telehealth_url: TelehealthUrl | None = None
    repeat_rule: RepeatRuleBody | None = None
    rrule: RuleText | None = Field(
        None,
        description="RFC 5545 recurrence rule (COUNT or UNTIL required)",
        examples=["FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10"],
    )

    def recurrence(self) -> Recurrence | None:
        if self.repeat_rule is not None and self.rrule is not None:
            raise InvalidRequest("Give either repeatRule or rrule, not both")
        if self.rrule is not None:
            return RRule(self.rrule)
        if self.repeat_rule is not None:
            rule = self.repeat_rule
            return RepeatRule(
                RepeatType.parse(rule.repeat_type), rule.repeating_interval, rule.number_of_repeats
            )
        return None

    def details(self) -> AppointmentDetails:
        return AppointmentDetails(
            notes=self.notes,
            reason=self.reason,
            is_urgent=self.is_urgent,
            source=self.source,
            from_web=self.from_web,
            telehealth_url=self.telehealth_url,
        )


def _local(value: datetime | None, tz: str) -> str | None:
    return local_text(value, tz) if value is not None else None


class AppointmentRead(CamelModel):
    id: int = Field(examples=[123])
    uuid: str = Field(examples=["3c90c3cc-0d44-4b50-8888-8dd25736052a"], description=PUBLIC_ID)
    date_time: str = Field(examples=["2027-02-15T10:00:00"])
    status: AppointmentStatus = Field(examples=["SCHEDULED"])
    display_status: str = Field(examples=["Scheduled"], description="Label in the asked lang")
    name: str = Field(examples=["Amadou Diallo"])
    qr_code: str = Field(examples=["QR-2Lq0v3W1cJ8cK1m3yqJbNw"])
    department_id: int = Field(examples=[5])
    department_name: str = Field(examples=["Passport Service"])
    external_user_id: str | None = Field(examples=["customer_12345"])
    worker_id: int | None = Field(examples=[42])
    client_id: int | None = None
    patient_id: int | None = None
    notes: str | None = None
    reason: str | None = None
    is_urgent: bool = False
    source: str | None = None
    from_web: bool = True
    telehealth_url: str | None = None
    patient_arrived: bool = False
    did_not_arrive: bool = False
    arrived_at: str | None = Field(None, description="UTC")
    archived_at: str | None = Field(None, description="UTC")
    cancellation_reason: CancellationReason | None = None
    cancellation_reason_description: str | None = None
    cancellation_note: str | None = None
    repeated_from_id: int | None = None
    version: int = Field(1, description="Changes with every write; send it back in If-Match")
    time_zone: str = Field(
        description="IANA zone of dateTime and endTime (createdAt and the other record times "
        "are UTC)",
        examples=["Africa/Conakry"],
    )
    created_at: str = Field(examples=["2027-01-21T09:30:00Z"], description="UTC")
    updated_at: str = Field(examples=["2027-01-21T09:30:00Z"], description="UTC")
    cancelled_at: str | None = Field(None, examples=["2027-01-22T08:00:00Z"], description="UTC")
    end_time: str | None = Field(None, examples=["2027-02-15T10:30:00"])
    appointment_type_id: int | None = None
    email_reminder_sent: bool = Field(False, description="A reminder email went out")
    sms_reminder_sent: bool = Field(False, description="A reminder SMS went out")

    @classmethod
    def of(cls, a: Appointment, lang: Language = "en") -> AppointmentRead:
        # One representation for the API and for events: see application/representation.py.
        return cls.model_validate(appointment_document(a, lang))


class AppointmentPatch(RequestModel):
    """Only the fields you send change. dateTime, workerId and appointmentTypeId move the
    appointment under the booking rules; the others change what it says (null clears a text)."""

    date_time: StartTime | None = Field(
        None,
        description="New start; without an offset: wall-clock time of the department",
        examples=["2027-02-16T11:00:00"],
    )
    name: Name | None = Field(None, description="Correct the name", examples=["Amadou Diallo"])
    worker_id: Id | None = Field(None, description="Move to this worker")
    appointment_type_id: Id | None = Field(None, description="Change the appointment type")
    notes: LongText | None = None
    reason: LongText | None = None
    is_urgent: bool | None = None
    telehealth_url: TelehealthUrl | None = None
    apply_to_repeats: bool = Field(
        False,
        description="Also change name, notes, reason, isUrgent and telehealthUrl on the later "
        "occurrences of the series (not allowed with a move)",
    )

    def move(self) -> RescheduleRequest | None:
        sent = self.model_fields_set & _MOVE_FIELDS
        if not sent:
            return None
        return RescheduleRequest(self.date_time, self.worker_id, self.appointment_type_id)

    def values(self) -> dict[str, object]:
        """The detail fields sent, by attribute name."""
        values: dict[str, object] = {}
        for name in self.model_fields_set & DETAIL_FIELDS:
            value = getattr(self, name)
            if name in ("is_urgent", "name") and value is None:
                raise ValueError(f"{'isUrgent' if name == 'is_urgent' else name} cannot be null")
            values[name] = value
        return values


_MOVE_FIELDS = frozenset({"date_time", "worker_id", "appointment_type_id"})


class AppointmentPage(PageFields):
    appointments: list[AppointmentRead]

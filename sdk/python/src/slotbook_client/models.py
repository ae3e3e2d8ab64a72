"""Typed models of the API's answers, written from docs/openapi.json by
sdk/python/tools/generate_models.py: do not edit by hand.

Each model is a Record: a dict of the JSON as the API sent it (camelCase keys) whose
fields are also attributes in snake_case, declared here with their types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

from slotbook_client.record import Record

AppointmentStatus: TypeAlias = Literal[
    "SCHEDULED", "CONFIRMED", "CHECKED_IN", "COMPLETED", "MISSED", "CANCELLED"
]


CancellationReason: TypeAlias = Literal[10, 20, 30, 40, 50, 60]


class Appointment(Record):
    """`AppointmentRead` of the API."""

    id: int
    uuid: str
    date_time: str
    status: AppointmentStatus
    display_status: str
    name: str
    qr_code: str
    department_id: int
    department_name: str
    external_user_id: str | None
    worker_id: int | None
    client_id: int | None
    patient_id: int | None
    notes: str | None
    reason: str | None
    is_urgent: bool
    source: str | None
    from_web: bool
    telehealth_url: str | None
    patient_arrived: bool
    did_not_arrive: bool
    arrived_at: str | None
    archived_at: str | None
    cancellation_reason: CancellationReason | None
    cancellation_reason_description: str | None
    cancellation_note: str | None
    repeated_from_id: int | None
    version: int
    time_zone: str
    created_at: str
    updated_at: str
    cancelled_at: str | None
    end_time: str | None
    appointment_type_id: int | None
    email_reminder_sent: bool
    sms_reminder_sent: bool


class AppointmentPage(Record):
    """`AppointmentPage` of the API."""

    page: int
    size: int
    total_elements: int
    total_pages: int
    is_last: bool
    appointments: list[Appointment]


class AppointmentType(Record):
    """`AppointmentTypeRead` of the API."""

    id: int
    uuid: str
    name: str
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    capacity: int | None
    department_id: int | None
    worker_ids: list[int]


class CalendarFeed(Record):
    """`CalendarFeedRead` of the API."""

    url: str


EventType: TypeAlias = Literal[
    "appointment.created",
    "appointment.updated",
    "appointment.rescheduled",
    "appointment.cancelled",
    "appointment.confirmed",
    "appointment.checked_in",
    "appointment.completed",
    "appointment.missed",
    "appointment.reminder",
    "credits.low",
    "waitlist.offered",
    "waitlist.accepted",
    "waitlist.expired",
]


class Change(Record):
    """`ChangeRead` of the API."""

    id: str
    type: EventType
    timestamp: str
    data: dict[str, Any]


class ChangeFeed(Record):
    """`ChangeFeed` of the API."""

    changes: list[Change]
    cursor: str
    has_more: bool


class ClientRecord(Record):
    """`ClientRead` of the API."""

    id: int
    uuid: str
    name: str | None
    email: str | None
    phone: str | None
    second_phone: str | None
    external_user_id: str | None
    notes: str | None
    no_show_count: int
    created_at: str
    updated_at: str
    erased_at: str | None


class ClientPage(Record):
    """`ClientPage` of the API."""

    page: int
    size: int
    total_elements: int
    total_pages: int
    is_last: bool
    clients: list[ClientRecord]


class Closure(Record):
    """`ClosureRead` of the API."""

    id: int
    department_id: int
    date: str
    reason: str | None


class Conflicts(Record):
    """`Conflicts` of the API."""

    exist: bool
    appointments: list[Appointment]


class ConflictsRead(Record):
    """`ConflictsRead` of the API."""

    conflicts: Conflicts


class CreditSettings(Record):
    """`CreditSettingsRead` of the API."""

    credits_low_threshold: int | None


LedgerReason: TypeAlias = Literal["GRANT", "ADJUSTMENT", "BOOKING", "REFUND"]


class LedgerEntry(Record):
    """`LedgerEntryRead` of the API."""

    id: int
    delta: int
    balance_after: int
    reason: LedgerReason
    appointment_id: int | None
    created_at: str


class CreditStatement(Record):
    """`CreditStatementRead` of the API."""

    page: int
    size: int
    total_elements: int
    total_pages: int
    is_last: bool
    balance: int
    credits_low_threshold: int | None
    ledger: list[LedgerEntry]


class Attempt(Record):
    """`AttemptRead` of the API."""

    attempted_at: str
    status_code: int | None
    error: str | None
    latency_ms: int


DeliveryStatus: TypeAlias = Literal["PENDING", "DELIVERED", "FAILED"]


class Delivery(Record):
    """`DeliveryRead` of the API."""

    id: int
    event_id: str
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None
    last_latency_ms: int | None
    delivered_at: str | None
    created_at: str
    attempt_log: list[Attempt]


class DeliveryPage(Record):
    """`DeliveryPage` of the API."""

    page: int
    size: int
    total_elements: int
    total_pages: int
    is_last: bool
    deliveries: list[Delivery]


class BookingPolicy(Record):
    """`BookingPolicyRead` of the API."""

    max_upcoming_per_client: int | None
    min_minutes_between_client_appointments: int | None
    max_advance_days: int | None
    min_notice_minutes: int | None
    min_cancel_notice_minutes: int | None


class OrganizationRef(Record):
    """`OrganizationRef` of the API."""

    id: int
    name: str


class TimeRange(Record):
    """`TimeRange` of the API."""

    weekday: str
    start: str
    end: str


class DepartmentDetail(Record):
    """`DepartmentDetailRead` of the API."""

    id: int
    uuid: str
    name: str
    description: str | None
    organization: OrganizationRef
    show_admins_in_booking: bool
    time_zone: str
    slot_interval_minutes: int
    slot_capacity: int
    inherits_time_zone: bool
    booking_policy: BookingPolicy
    reminder_offsets: list[int]
    booking_page_enabled: bool
    always_open: bool
    address: str | None
    directions: str | None
    opening_hours: list[TimeRange]


class Department(Record):
    """`DepartmentRead` of the API."""

    id: int
    uuid: str
    name: str
    description: str | None
    organization: OrganizationRef
    show_admins_in_booking: bool
    time_zone: str


class Rule(Record):
    """`RuleRead` of the API."""

    code: str
    numeric_code: int | None
    legacy_code: str
    message: str


class Reason(Record):
    """`ReasonRead` of the API."""

    code: str
    message: str
    appointment_ids: list[int]


class WorkerVerdict(Record):
    """`WorkerVerdictRead` of the API."""

    worker_id: int | None
    worker_name: str | None
    bookable: bool
    remaining: int
    reasons: list[Reason]


class Explanation(Record):
    """`ExplanationRead` of the API."""

    department_id: int
    time_zone: str
    date_time: str
    end_time: str
    appointment_type_id: int | None
    bookable: bool
    in_the_past: bool
    scheduled: bool
    rules: list[Rule]
    workers: list[WorkerVerdict]


Actor: TypeAlias = Literal["API_KEY", "SWEEP"]


HistoryAction: TypeAlias = Literal[
    "CREATED",
    "CONFIRMED",
    "CHECKED_IN",
    "COMPLETED",
    "MISSED",
    "CANCELLED",
    "ARCHIVED",
    "UPDATED",
    "RESCHEDULED",
    "CLIENT_ERASED",
]


class HistoryEntry(Record):
    """`HistoryEntryRead` of the API."""

    id: int
    action: HistoryAction
    actor: Actor
    api_key_id: int | None
    api_key_name: str | None
    at: str
    changes: dict[str, Any]
    personal_fields_changed: list[str]


class HistoryPage(Record):
    """`HistoryPage` of the API."""

    page: int
    size: int
    total_elements: int
    total_pages: int
    is_last: bool
    history: list[HistoryEntry]


class Patient(Record):
    """`PatientRead` of the API."""

    id: int
    uuid: str
    client_id: int
    name: str | None
    species: str | None
    birth_date: str | None
    notes: str | None
    created_at: str
    updated_at: str


class RedeliveryAccepted(Record):
    """`RedeliveryAccepted` of the API."""

    status: DeliveryStatus


ExceptionKind: TypeAlias = Literal["TIME_OFF", "EXTRA_HOURS"]


class ScheduleException(Record):
    """`ScheduleExceptionRead` of the API."""

    id: int
    worker_id: int | None
    kind: ExceptionKind
    starts_at: str
    ends_at: str
    reason: str | None


class Slot(Record):
    """`SlotRead` of the API."""

    start: str
    end: str
    worker_ids: list[int]
    remaining: int


class SlotList(Record):
    """`SlotListRead` of the API."""

    department_id: int
    time_zone: str
    appointment_type_id: int | None
    duration_minutes: int
    start_date: str
    end_date: str
    scheduled: bool
    slots: list[Slot]


class Offer(Record):
    """`OfferRead` of the API."""

    date_time: str
    end_time: str
    worker_id: int
    appointment_type_id: int | None
    expires_at: str
    accept_url: str


class TimeOfDay(Record):
    """`TimeOfDayRead` of the API."""

    start: str
    end: str


class WaitlistEntry(Record):
    """`WaitlistEntryRead` of the API."""

    id: int
    department_id: int
    appointment_type_id: int | None
    worker_id: int | None
    client_id: int | None
    external_user_id: str | None
    name: str
    earliest: str
    latest: str
    weekdays: list[int]
    times_of_day: list[TimeOfDay]
    priority: int
    status: str
    position: int | None
    offer: Offer | None
    appointment_id: int | None
    time_zone: str
    joined_at: str
    updated_at: str


class WaitlistPage(Record):
    """`WaitlistPage` of the API."""

    page: int
    size: int
    total_elements: int
    total_pages: int
    is_last: bool
    entries: list[WaitlistEntry]


class WaitlistSettingsRead(Record):
    """`WaitlistSettingsRead` of the API."""

    department_id: int
    offer_minutes: int


class Webhook(Record):
    """`WebhookRead` of the API."""

    id: int
    url: str
    events: list[EventType]
    active: bool
    description: str | None
    disabled_reason: str | None
    created_at: str
    updated_at: str


class WebhookPage(Record):
    """`WebhookPage` of the API."""

    page: int
    size: int
    total_elements: int
    total_pages: int
    is_last: bool
    webhooks: list[Webhook]


class WebhookWithSecret(Record):
    """`WebhookWithSecret` of the API."""

    id: int
    url: str
    events: list[EventType]
    active: bool
    description: str | None
    disabled_reason: str | None
    created_at: str
    updated_at: str
    secret: str


class WeeklyHours(Record):
    """`WeeklyHoursRead` of the API."""

    worker_id: int | None
    department_id: int | None
    ranges: list[TimeRange]


class Worker(Record):
    """`WorkerRead` of the API."""

    id: int
    uuid: str
    name: str
    department_ids: list[int]


AppointmentPage.nested = {"appointments": Appointment}
ChangeFeed.nested = {"changes": Change}
ClientPage.nested = {"clients": ClientRecord}
Conflicts.nested = {"appointments": Appointment}
ConflictsRead.nested = {"conflicts": Conflicts}
CreditStatement.nested = {"ledger": LedgerEntry}
Delivery.nested = {"attemptLog": Attempt}
DeliveryPage.nested = {"deliveries": Delivery}
DepartmentDetail.nested = {
    "organization": OrganizationRef,
    "bookingPolicy": BookingPolicy,
    "openingHours": TimeRange,
}
Department.nested = {"organization": OrganizationRef}
WorkerVerdict.nested = {"reasons": Reason}
Explanation.nested = {"rules": Rule, "workers": WorkerVerdict}
HistoryPage.nested = {"history": HistoryEntry}
SlotList.nested = {"slots": Slot}
WaitlistEntry.nested = {"timesOfDay": TimeOfDay, "offer": Offer}
WaitlistPage.nested = {"entries": WaitlistEntry}
WebhookPage.nested = {"webhooks": Webhook}
WeeklyHours.nested = {"ranges": TimeRange}

# The model of the answer of each operation, by method and path template.
RESPONSE_MODELS: Mapping[tuple[str, str], type[Record]] = {
    ("DELETE", "/api/v1/appointments/{appointment_id}"): Appointment,
    ("DELETE", "/api/v1/waitlist/{entry_id}"): WaitlistEntry,
    ("GET", "/api/v1/appointment-types"): AppointmentType,
    ("GET", "/api/v1/appointment-types/{type_id}"): AppointmentType,
    ("GET", "/api/v1/appointments"): AppointmentPage,
    ("GET", "/api/v1/appointments/available-slots"): SlotList,
    ("GET", "/api/v1/appointments/available-slots/explain"): Explanation,
    ("GET", "/api/v1/appointments/types"): AppointmentType,
    ("GET", "/api/v1/appointments/{appointment_id}"): Appointment,
    ("GET", "/api/v1/appointments/{appointment_id}/conflicts"): ConflictsRead,
    ("GET", "/api/v1/appointments/{appointment_id}/history"): HistoryPage,
    ("GET", "/api/v1/changes"): ChangeFeed,
    ("GET", "/api/v1/clients"): ClientPage,
    ("GET", "/api/v1/clients/by-email"): ClientRecord,
    ("GET", "/api/v1/clients/{client_id}"): ClientRecord,
    ("GET", "/api/v1/clients/{client_id}/patients"): Patient,
    ("GET", "/api/v1/credits"): CreditStatement,
    ("GET", "/api/v1/departments"): Department,
    ("GET", "/api/v1/departments/{department_id}"): DepartmentDetail,
    ("GET", "/api/v1/departments/{department_id}/availability"): SlotList,
    ("GET", "/api/v1/departments/{department_id}/closures"): Closure,
    ("GET", "/api/v1/departments/{department_id}/hours"): WeeklyHours,
    ("GET", "/api/v1/departments/{department_id}/waitlist-settings"): WaitlistSettingsRead,
    ("GET", "/api/v1/patients/{patient_id}"): Patient,
    ("GET", "/api/v1/waitlist"): WaitlistPage,
    ("GET", "/api/v1/waitlist/{entry_id}"): WaitlistEntry,
    ("GET", "/api/v1/webhooks"): WebhookPage,
    ("GET", "/api/v1/webhooks/{webhook_id}"): Webhook,
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"): DeliveryPage,
    ("GET", "/api/v1/workers"): Worker,
    ("GET", "/api/v1/workers/{worker_id}"): Worker,
    ("GET", "/api/v1/workers/{worker_id}/exceptions"): ScheduleException,
    ("GET", "/api/v1/workers/{worker_id}/hours"): WeeklyHours,
    ("PATCH", "/api/v1/appointment-types/{type_id}"): AppointmentType,
    ("PATCH", "/api/v1/appointments/{appointment_id}"): Appointment,
    ("PATCH", "/api/v1/clients/{client_id}"): ClientRecord,
    ("PATCH", "/api/v1/credits"): CreditSettings,
    ("PATCH", "/api/v1/departments/{department_id}"): DepartmentDetail,
    ("PATCH", "/api/v1/patients/{patient_id}"): Patient,
    ("PATCH", "/api/v1/webhooks/{webhook_id}"): Webhook,
    ("POST", "/api/v1/appointment-types"): AppointmentType,
    ("POST", "/api/v1/appointments"): Appointment,
    ("POST", "/api/v1/appointments/{appointment_id}/archive"): Appointment,
    ("POST", "/api/v1/appointments/{appointment_id}/cancel"): Appointment,
    ("POST", "/api/v1/appointments/{appointment_id}/check-in"): Appointment,
    ("POST", "/api/v1/appointments/{appointment_id}/complete"): Appointment,
    ("POST", "/api/v1/appointments/{appointment_id}/confirm"): Appointment,
    ("POST", "/api/v1/appointments/{appointment_id}/no-show"): Appointment,
    ("POST", "/api/v1/check-in"): Appointment,
    ("POST", "/api/v1/clients"): ClientRecord,
    ("POST", "/api/v1/clients/{client_id}/patients"): Patient,
    ("POST", "/api/v1/departments"): DepartmentDetail,
    ("POST", "/api/v1/departments/{department_id}/calendar-feed"): CalendarFeed,
    ("POST", "/api/v1/departments/{department_id}/closures"): Closure,
    ("POST", "/api/v1/waitlist"): WaitlistEntry,
    ("POST", "/api/v1/waitlist/{entry_id}/accept"): Appointment,
    ("POST", "/api/v1/waitlist/{entry_id}/decline"): WaitlistEntry,
    ("POST", "/api/v1/waitlist/{entry_id}/offer"): WaitlistEntry,
    ("POST", "/api/v1/webhooks"): WebhookWithSecret,
    (
        "POST",
        "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    ): RedeliveryAccepted,
    ("POST", "/api/v1/webhooks/{webhook_id}/rotate-secret"): WebhookWithSecret,
    ("POST", "/api/v1/workers"): Worker,
    ("POST", "/api/v1/workers/{worker_id}/calendar-feed"): CalendarFeed,
    ("POST", "/api/v1/workers/{worker_id}/exceptions"): ScheduleException,
    ("PUT", "/api/v1/departments/{department_id}/hours"): WeeklyHours,
    ("PUT", "/api/v1/departments/{department_id}/waitlist-settings"): WaitlistSettingsRead,
    ("PUT", "/api/v1/waitlist/{entry_id}/priority"): WaitlistEntry,
    ("PUT", "/api/v1/workers/{worker_id}"): Worker,
    ("PUT", "/api/v1/workers/{worker_id}/hours"): WeeklyHours,
}

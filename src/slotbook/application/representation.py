"""The public JSON representation of an appointment, shared by the API and published events.

The API's `AppointmentRead` is built from this document, and events (webhooks, change feed)
store it as written in the transaction of the change, so a receiver sees the appointment
exactly as `GET /api/v1/appointments/{id}` showed it at that moment. It lives here, not in
api/schemas, because the use cases that emit events (and the worker) cannot import api/.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from slotbook.application.ports import UnitOfWork
from slotbook.domain.appointments import Appointment, cancellation_reason_label, display_status
from slotbook.domain.events import EVENT_OF_ACTION
from slotbook.domain.history import HistoryAction
from slotbook.domain.time import naive_local


def local_text(value: datetime, tz: str) -> str:
    """An instant as the wall-clock time of `tz` without offset, as seed 000 shows it."""
    return naive_local(value, ZoneInfo(tz)).isoformat(timespec="seconds")


def _local(value: datetime | None, tz: str) -> str | None:
    return local_text(value, tz) if value is not None else None


def utc_text(value: datetime) -> str:
    """When something happened, in UTC with `Z`, as every other timestamp of the API."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(value: datetime | None) -> str | None:
    return utc_text(value) if value is not None else None


def appointment_document(a: Appointment, lang: str = "en") -> dict[str, Any]:
    """The appointment as the API returns it (camelCase keys, JSON-ready values); `lang` is
    the language of the labels (displayStatus, the cancellation reason's description).

    dateTime and endTime are the wall-clock times of the department (seed 000's form, which
    clients send back); the times something happened (createdAt, updatedAt, cancelledAt,
    arrivedAt, archivedAt) are UTC instants with `Z`, as every other timestamp of the API."""
    return dict(_document(a, lang))  # a copy: the remembered one is shared


# A booking's document is built for its event and again for its answer: remembered, the
# second costs 1 µs instead of 15 (an Appointment is immutable and hashable).
@lru_cache(maxsize=256)
def _document(a: Appointment, lang: str) -> dict[str, Any]:
    tz = a.time_zone
    return {
        "id": a.id,
        "uuid": str(a.uuid),
        "dateTime": local_text(a.starts_at, tz),
        "status": a.status.value,
        "displayStatus": display_status(a.status, lang),
        "name": a.name,
        "qrCode": a.qr_token,
        "departmentId": a.department_id,
        "departmentName": a.department_name,
        "externalUserId": a.external_user_id,
        "workerId": a.worker_id,
        "clientId": a.client_id,
        "patientId": a.patient_id,
        "notes": a.notes,
        "reason": a.reason,
        "isUrgent": a.is_urgent,
        "source": a.source,
        "fromWeb": a.from_web,
        "telehealthUrl": a.telehealth_url,
        "patientArrived": a.patient_arrived,
        "didNotArrive": a.did_not_arrive,
        "arrivedAt": _utc(a.arrived_at),
        "archivedAt": _utc(a.archived_at),
        "cancellationReason": a.cancellation_reason,
        "cancellationReasonDescription": (
            cancellation_reason_label(a.cancellation_reason, lang)
            if a.cancellation_reason is not None
            else None
        ),
        "cancellationNote": a.cancellation_note,
        "repeatedFromId": a.repeated_from_id,
        "version": a.version,
        "timeZone": tz,
        "createdAt": utc_text(a.created_at),
        "updatedAt": utc_text(a.updated_at),
        "cancelledAt": _utc(a.cancelled_at),
        "endTime": _local(a.ends_at, tz),
        "appointmentTypeId": a.appointment_type_id,
        "emailReminderSent": a.email_reminder_sent,
        "smsReminderSent": a.sms_reminder_sent,
    }


def appointment_event_data(a: Appointment) -> dict[str, Any]:
    """The `data` of every appointment.* event."""
    return {"appointment": appointment_document(a)}


async def publish(
    uow: UnitOfWork, action: HistoryAction, appointments: Sequence[Appointment], now: datetime
) -> None:
    """Write the events of recorded changes to the outbox, in the change's transaction.

    Call it as the last write before commit: the event sequence row it locks is then held
    only for the commit (lock order: appointment, organization, event sequence)."""
    event = EVENT_OF_ACTION.get(action)
    if event is None:
        return
    for appointment in appointments:
        await uow.outbox.add(event, appointment_event_data(appointment), now)

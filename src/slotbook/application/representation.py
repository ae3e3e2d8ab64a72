"""The public JSON representation of an appointment, shared by the API and published events.

The API's `AppointmentRead` is built from this document, and events (webhooks, change feed)
store it as written in the transaction of the change, so a receiver sees the appointment
exactly as `GET /api/v1/appointments/{id}` showed it at that moment. It lives here, not in
api/schemas, because the use cases that emit events (and the worker) cannot import api/.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slotbook.domain.appointments import Appointment
from slotbook.domain.time import naive_local


def local_text(value: datetime, tz: str) -> str:
    """An instant as the wall-clock time of `tz` without offset, as seed 000 shows it."""
    return naive_local(value, ZoneInfo(tz)).isoformat(timespec="seconds")


def appointment_document(a: Appointment) -> dict[str, Any]:
    """The appointment as the API returns it (camelCase keys, JSON-ready values)."""
    tz = a.time_zone
    return {
        "id": a.id,
        "dateTime": local_text(a.starts_at, tz),
        "status": a.status.value,
        "name": a.name,
        "qrCode": a.qr_token,
        "departmentId": a.department_id,
        "departmentName": a.department_name,
        "externalUserId": a.external_user_id,
        "workerId": a.worker_id,
        "timeZone": tz,
        "createdAt": local_text(a.created_at, tz),
        "cancelledAt": local_text(a.cancelled_at, tz) if a.cancelled_at else None,
        "endTime": local_text(a.ends_at, tz) if a.ends_at else None,
        "appointmentTypeId": a.appointment_type_id,
    }


def appointment_event_data(a: Appointment) -> dict[str, Any]:
    """The `data` of every appointment.* event."""
    return {"appointment": appointment_document(a)}

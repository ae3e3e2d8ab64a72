"""Use cases that read appointments: one by id, and lists (booking: application/booking.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from slotbook.application.access import Principal, Scope, require
from slotbook.application.lookups import missing_appointment
from slotbook.application.ports import (
    AppointmentFilter,
    Page,
    Services,
)
from slotbook.domain.appointments import Appointment, AppointmentStatus
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.filters import FieldFilter, FieldType, parse_filter, parse_sort
from slotbook.domain.time import zone


async def get_appointment(
    services: Services, principal: Principal, appointment_id: int
) -> Appointment:
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        appointment = await uow.appointments.get(appointment_id)
    if appointment is None:
        raise await missing_appointment(services, appointment_id)
    return appointment


@dataclass(frozen=True, slots=True)
class ListQuery:
    page: int = 0
    size: int = 20
    status: AppointmentStatus | None = None
    department_id: int | None = None
    external_user_id: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    worker_id: int | None = None
    client_id: int | None = None
    patient_id: int | None = None
    appointment_type_id: int | None = None
    is_urgent: bool | None = None
    archived: bool = False
    include_past: bool = True
    q: tuple[str, ...] = ()  # seed 003's field:op value filters
    sort: str | None = None


async def list_appointments(
    services: Services, principal: Principal, query: ListQuery
) -> Page[Appointment]:
    require(principal, Scope.APPOINTMENTS_READ)
    filters = tuple(parse_filter(text) for text in query.q)
    sort = parse_sort(query.sort) if query.sort else ()
    async with services.uow(principal.organization_id, write=False) as uow:
        # Dates without an offset are wall-clock time of the department asked for, else of the
        # organization.
        tz_name: str | None = None
        if (
            query.start_date is not None
            or query.end_date is not None
            or any(f.type is FieldType.DATETIME for f in filters)
        ):
            department = (
                await uow.departments.get(query.department_id)
                if query.department_id is not None
                else None
            )
            if department is not None:
                tz_name = department.time_zone
            else:
                organization = await uow.organization.get()
                tz_name = organization.time_zone if organization else "UTC"
        tz = zone(tz_name or "UTC")
        criteria = AppointmentFilter(
            status=query.status,
            department_id=query.department_id,
            external_user_id=query.external_user_id,
            starts_from=_later(
                _instant(query.start_date, tz),
                None if query.include_past else services.clock.now(),
            ),
            starts_until=_instant(query.end_date, tz),
            worker_id=query.worker_id,
            client_id=query.client_id,
            patient_id=query.patient_id,
            appointment_type_id=query.appointment_type_id,
            is_urgent=query.is_urgent,
            archived=query.archived,
            conditions=tuple(_placed(f, tz) for f in filters),
            sort=sort,
        )
        return await uow.appointments.list(criteria, query.page, query.size)


def _instant(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    """A list filter bound as a UTC instant. Unlike a booking time, a bound that falls in a DST
    gap is not refused: zoneinfo reads it on the offset in force before the change."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidRequest(f"{value.isoformat()} is out of the supported range") from None


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return max(a, b) if a is not None and b is not None else a or b


def _placed(f: FieldFilter, tz: ZoneInfo) -> FieldFilter:
    """A q[] filter with its date-time value as a UTC instant."""
    if isinstance(f.value, datetime):
        instant = _instant(f.value, tz)
        assert instant is not None
        return replace(f, value=instant)
    return f

"""Use cases on appointments: book, read, list and cancel, each one transaction."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from slotbook.application.access import Principal, Scope, require
from slotbook.application.availability import settings_of
from slotbook.application.booking import place, with_retries
from slotbook.application.ports import (
    AppointmentFilter,
    NewAppointment,
    Page,
    Services,
    UnitOfWork,
)
from slotbook.application.representation import appointment_event_data
from slotbook.domain.appointments import Appointment, AppointmentStatus, cancellation_refunds
from slotbook.domain.credits import BOOKING_COST, LedgerReason
from slotbook.domain.errors import (
    AppointmentNotFound,
    DepartmentNotFound,
    Forbidden,
    InsufficientCredits,
    InvalidRequest,
    InvalidTransition,
)
from slotbook.domain.events import EventType
from slotbook.domain.organizations import Department
from slotbook.domain.rules import cancellation_too_late
from slotbook.domain.time import local_to_utc, zone


@dataclass(frozen=True, slots=True)
class BookingRequest:
    department_id: int
    date_time: datetime  # wall-clock time of the department unless it carries an offset
    name: str
    worker_id: int | None = None
    external_user_id: str | None = None
    appointment_type_id: int | None = None


async def _department(services: Services, uow: UnitOfWork, department_id: int) -> Department:
    department = await uow.departments.get(department_id)
    if department is not None:
        return department
    owner = await services.registry.owner_of_department(department_id)
    if owner is not None:
        raise Forbidden(f"Department {department_id} does not belong to your organization")
    raise DepartmentNotFound(department_id)


async def _missing_appointment(services: Services, appointment_id: int) -> Exception:
    owner = await services.registry.owner_of_appointment(appointment_id)
    if owner is not None:
        return Forbidden(f"Appointment {appointment_id} does not belong to your organization")
    return AppointmentNotFound(appointment_id)


async def create_appointment(
    services: Services, principal: Principal, request: BookingRequest
) -> Appointment:
    """Book an appointment on the schedule and consume one credit, atomically."""
    require(principal, Scope.APPOINTMENTS_CREATE)
    return await with_retries(lambda: _create(services, principal, request))


async def _create(services: Services, principal: Principal, request: BookingRequest) -> Appointment:
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        department = await _department(services, uow, request.department_id)
        settings = await settings_of(uow, department)
        starts_at = local_to_utc(request.date_time, zone(settings.time_zone)).replace(microsecond=0)
        if starts_at <= now:
            raise InvalidRequest("DateTime must be in the future")
        if request.worker_id is None:
            if department.show_admins_in_booking:
                raise InvalidRequest(f"workerId is required for department {department.id}")
        elif not await uow.departments.has_worker(department.id, request.worker_id):
            raise InvalidRequest(
                f"Worker {request.worker_id} does not work in department {department.id}"
            )
        qr_token = services.secrets.new_qr_token()
        placed = await place(
            services,
            uow,
            department,
            starts_at,
            request.appointment_type_id,
            request.worker_id,
            request.external_user_id,
            qr_token,
        )
        slot = placed.time
        new = NewAppointment(
            department_id=department.id,
            worker_id=slot.worker_id,
            name=request.name,
            external_user_id=request.external_user_id,
            starts_at=starts_at,
            qr_token=qr_token,
            created_by_key_id=principal.api_key_id,
            ends_at=slot.ends_at,
            appointment_type_id=slot.appointment_type_id,
            blocked_from=slot.blocked_from,
            blocked_until=slot.blocked_until,
            session_key=slot.session_key,
        )
        appointment_id, created_at = await uow.appointments.add(new, now)
        balance = await uow.credits.change(-BOOKING_COST, LedgerReason.BOOKING, now, appointment_id)
        if balance is None:
            raise InsufficientCredits(await uow.credits.balance(), BOOKING_COST)
        appointment = Appointment(
            id=appointment_id,
            organization_id=principal.organization_id,
            department_id=department.id,
            department_name=department.name,
            time_zone=department.time_zone,
            worker_id=slot.worker_id,
            name=request.name,
            external_user_id=request.external_user_id,
            starts_at=starts_at,
            status=AppointmentStatus.SCHEDULED,
            qr_token=new.qr_token,
            created_at=created_at,
            updated_at=created_at,
            ends_at=slot.ends_at,
            appointment_type_id=slot.appointment_type_id,
        )
        # The last write before commit: the event sequence is locked only for the commit.
        await uow.outbox.add(
            EventType.APPOINTMENT_CREATED, appointment_event_data(appointment), now
        )
        await uow.commit()
    return appointment


_MOVABLE = frozenset({AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED})


@dataclass(frozen=True, slots=True)
class RescheduleRequest:
    date_time: datetime | None = None  # wall-clock time of the department unless with offset
    worker_id: int | None = None
    appointment_type_id: int | None = None


async def reschedule_appointment(
    services: Services, principal: Principal, appointment_id: int, request: RescheduleRequest
) -> Appointment:
    """Move an appointment (time, worker, type) under the booking rules, atomically: the old
    slot is only freed if the new one is taken."""
    require(principal, Scope.APPOINTMENTS_WRITE)
    return await with_retries(lambda: _reschedule(services, principal, appointment_id, request))


async def _reschedule(
    services: Services, principal: Principal, appointment_id: int, request: RescheduleRequest
) -> Appointment:
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        # Lock order: the appointment's row, then the organization's (in place()), then the
        # event sequence (outbox.add), as cancel and create take them.
        current = await uow.appointments.lock(appointment_id)
        if current is None:
            raise await _missing_appointment(services, appointment_id)
        if current.status not in _MOVABLE:
            raise InvalidTransition(
                f"An appointment with status {current.status.value} cannot be rescheduled"
            )
        department = await _department(services, uow, current.department_id)
        settings = await settings_of(uow, department)
        starts_at = current.starts_at
        if request.date_time is not None:
            starts_at = local_to_utc(request.date_time, zone(settings.time_zone)).replace(
                microsecond=0
            )
        if starts_at <= now:
            raise InvalidRequest("DateTime must be in the future")
        worker_id = request.worker_id if request.worker_id is not None else current.worker_id
        if request.worker_id is not None and not await uow.departments.has_worker(
            department.id, request.worker_id
        ):
            raise InvalidRequest(
                f"Worker {request.worker_id} does not work in department {department.id}"
            )
        type_id = request.appointment_type_id or current.appointment_type_id
        placed = await place(
            services,
            uow,
            department,
            starts_at,
            type_id,
            worker_id,
            current.external_user_id,
            current.qr_token,
            moving=current.id,
        )
        await uow.appointments.move(current.id, placed.time, now)
        slot = placed.time
        moved = replace(
            current,
            worker_id=slot.worker_id,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            appointment_type_id=slot.appointment_type_id,
            updated_at=now,
        )
        await uow.outbox.add(EventType.APPOINTMENT_RESCHEDULED, appointment_event_data(moved), now)
        await uow.commit()
    return moved


async def get_appointment(
    services: Services, principal: Principal, appointment_id: int
) -> Appointment:
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        appointment = await uow.appointments.get(appointment_id)
    if appointment is None:
        raise await _missing_appointment(services, appointment_id)
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


async def list_appointments(
    services: Services, principal: Principal, query: ListQuery
) -> Page[Appointment]:
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        # Dates without an offset are wall-clock time of the department asked for, else of the
        # organization.
        tz_name: str | None = None
        if query.start_date is not None or query.end_date is not None:
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
            starts_from=_instant(query.start_date, tz),
            starts_until=_instant(query.end_date, tz),
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


async def cancel_appointment(
    services: Services, principal: Principal, appointment_id: int
) -> Appointment:
    """Cancel and refund one credit; cancelling again changes nothing and refunds nothing."""
    require(principal, Scope.APPOINTMENTS_CANCEL)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        appointment = await uow.appointments.get(appointment_id)
        if appointment is None:
            raise await _missing_appointment(services, appointment_id)
        if not cancellation_refunds(appointment.status):
            return appointment
        settings = await uow.scheduling.settings(appointment.department_id)
        if settings is not None:
            too_late = cancellation_too_late(settings.policy, now, appointment.starts_at)
            if too_late is not None:
                raise too_late.error()
        # The status in the WHERE clause makes a concurrent cancel refund at most once.
        if not await uow.appointments.mark_cancelled(appointment_id, appointment.status, now):
            refreshed = await uow.appointments.get(appointment_id)
            assert refreshed is not None
            return refreshed
        await uow.credits.change(BOOKING_COST, LedgerReason.REFUND, now, appointment_id)
        cancelled = replace(
            appointment, status=AppointmentStatus.CANCELLED, cancelled_at=now, updated_at=now
        )
        await uow.outbox.add(
            EventType.APPOINTMENT_CANCELLED, appointment_event_data(cancelled), now
        )
        await uow.commit()
    return cancelled

"""Use cases on appointments: book (the step a series repeats too), read and list."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

from slotbook.application.access import Principal, Scope, require
from slotbook.application.agenda import agenda_of
from slotbook.application.booking import place, with_retries
from slotbook.application.clients import (
    ClientUpsert,
    Party,
    check_no_show_rule,
    resolve_party,
)
from slotbook.application.credits import note_low_balance
from slotbook.application.history import Writer, record_created
from slotbook.application.lookups import missing_appointment
from slotbook.application.ports import (
    AppointmentFilter,
    NewAppointment,
    Page,
    Services,
    UnitOfWork,
)
from slotbook.application.representation import publish
from slotbook.domain.appointments import Appointment, AppointmentDetails, AppointmentStatus
from slotbook.domain.credits import BOOKING_COST, LedgerReason
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.filters import FieldFilter, FieldType, parse_filter, parse_sort
from slotbook.domain.history import HistoryAction
from slotbook.domain.time import local_to_utc, zone


@dataclass(frozen=True, slots=True)
class BookingRequest:
    department_id: int
    date_time: datetime  # wall-clock time of the department unless it carries an offset
    name: str | None  # may be left out when a client is given: the client's name is used
    worker_id: int | None = None
    external_user_id: str | None = None
    appointment_type_id: int | None = None
    client_id: int | None = None
    patient_id: int | None = None
    client: ClientUpsert | None = None  # seed 002's inline "fiche": update by id, else create
    details: AppointmentDetails = field(default_factory=AppointmentDetails)
    cancel_token: str | None = None  # set by the public booking page (application/cancel_links)


async def create_appointment(
    services: Services, principal: Principal, request: BookingRequest
) -> Appointment:
    """Book an appointment on the schedule and consume one credit, atomically."""
    require(principal, Scope.APPOINTMENTS_CREATE)
    return await with_retries(lambda: _create(services, principal, request))


async def _create(services: Services, principal: Principal, request: BookingRequest) -> Appointment:
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        party = await resolve_party(services, principal, uow, request, now)
        appointment = await book(services, principal, uow, request, party, now)
        await uow.commit()
    return appointment


async def book(
    services: Services,
    principal: Principal,
    uow: UnitOfWork,
    request: BookingRequest,
    party: Party,
    now: datetime,
    repeated_from_id: int | None = None,
) -> Appointment:
    """The booking step inside a unit of work: the schedule and every booking rule, insert,
    debit, history (no commit). A recurring series runs it once per occurrence in one
    transaction, so each occurrence is checked exactly like a single booking."""
    cached = await agenda_of(services, uow, request.department_id)
    department, settings = cached.department, cached.settings
    starts_at = local_to_utc(request.date_time, zone(settings.time_zone)).replace(microsecond=0)
    if starts_at <= now:
        raise InvalidRequest("DateTime must be in the future")
    if request.worker_id is None:
        if department.show_admins_in_booking:
            raise InvalidRequest(f"workerId is required for department {department.id}")
    elif not cached.has_worker(request.worker_id):
        raise InvalidRequest(
            f"Worker {request.worker_id} does not work in department {department.id}"
        )
    await check_no_show_rule(uow, department, party.client_id, now)
    qr_token = services.secrets.new_qr_token()
    public_id = uuid4()
    placed = await place(
        services,
        uow,
        cached,
        starts_at,
        request.appointment_type_id,
        request.worker_id,
        party.external_user_id,
        qr_token,
        client_id=party.client_id,
    )
    slot = placed.time
    details = request.details
    new = NewAppointment(
        department_id=department.id,
        worker_id=slot.worker_id,
        name=party.name,
        external_user_id=party.external_user_id,
        starts_at=starts_at,
        qr_token=qr_token,
        created_by_key_id=principal.api_key_id,
        uuid=public_id,
        ends_at=slot.ends_at,
        appointment_type_id=slot.appointment_type_id,
        blocked_from=slot.blocked_from,
        blocked_until=slot.blocked_until,
        session_key=slot.session_key,
        client_id=party.client_id,
        patient_id=party.patient_id,
        notes=details.notes,
        reason=details.reason,
        is_urgent=details.is_urgent,
        source=details.source,
        from_web=details.from_web,
        telehealth_url=details.telehealth_url,
        repeated_from_id=repeated_from_id,
        cancel_token=request.cancel_token,
    )
    appointment_id, created_at = await uow.appointments.add(new, now)
    balance = await uow.credits.spend(BOOKING_COST, LedgerReason.BOOKING, now, appointment_id)
    appointment = Appointment(
        id=appointment_id,
        organization_id=principal.organization_id,
        department_id=department.id,
        department_name=department.name,
        time_zone=department.time_zone,
        worker_id=slot.worker_id,
        name=party.name,
        external_user_id=party.external_user_id,
        starts_at=starts_at,
        status=AppointmentStatus.SCHEDULED,
        qr_token=qr_token,
        created_at=created_at,
        updated_at=created_at,
        uuid=public_id,
        ends_at=slot.ends_at,
        appointment_type_id=slot.appointment_type_id,
        client_id=party.client_id,
        patient_id=party.patient_id,
        notes=details.notes,
        reason=details.reason,
        is_urgent=details.is_urgent,
        source=details.source,
        from_web=details.from_web,
        telehealth_url=details.telehealth_url,
        repeated_from_id=repeated_from_id,
    )
    await record_created(uow, Writer.of(principal), appointment, now)
    await publish(uow, HistoryAction.CREATED, [appointment], now)
    await note_low_balance(uow, -BOOKING_COST, balance, now)
    return appointment


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

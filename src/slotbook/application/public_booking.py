"""The public booking page's use cases: what a department offers, its free days and times, and
a booking by an anonymous visitor, through the same availability and booking use cases as the
API (every rule applies; one credit is used)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from slotbook.application.availability import SlotQuery, available_slots
from slotbook.application.booking import BookingRequest, book, with_retries
from slotbook.application.cancel_links import link_holder, new_cancel_token
from slotbook.application.clients import client_for_booking_page, resolve_party
from slotbook.application.ports import ClientFields, Services
from slotbook.domain.appointments import Appointment, AppointmentDetails
from slotbook.domain.errors import BookingPageClosed, DepartmentNotFound
from slotbook.domain.organizations import Department
from slotbook.domain.rules import slot_unavailable
from slotbook.domain.schedules import AppointmentType
from slotbook.domain.slots import Slot
from slotbook.domain.time import zone

# How far ahead the page offers days (the department's own max-advance rule may cut it shorter).
BOOKING_WEEKS = 4
SOURCE = "booking page"


async def open_department(services: Services, department_id: int) -> Department:
    """The department, if its booking page is on; 404 otherwise."""
    organization_id = await services.registry.owner_of_department(department_id)
    if organization_id is None:
        raise DepartmentNotFound(department_id)
    async with services.uow(organization_id, write=False) as uow:
        department = await uow.departments.get(department_id)
    if department is None:
        raise DepartmentNotFound(department_id)
    if not department.booking_page_enabled:
        raise BookingPageClosed(department_id)
    return department


@dataclass(frozen=True, slots=True)
class BookingPage:
    department: Department
    types: Sequence[AppointmentType]  # offered here; empty: the department books without a type


async def booking_page(services: Services, department_id: int) -> BookingPage:
    department = await open_department(services, department_id)
    async with services.uow(department.organization_id, write=False) as uow:
        types = await uow.appointment_types.list(department.id)
    return BookingPage(department, types)


@dataclass(frozen=True, slots=True)
class FreeTimes:
    """The free start times of the next weeks, by local day of the department."""

    department: Department
    kind: AppointmentType | None
    time_zone: str
    days: Mapping[date, Sequence[Slot]]  # only days with at least one free time, in order
    worker_names: Mapping[int, str]


async def free_times(
    services: Services, department_id: int, type_id: int | None, weeks: int = BOOKING_WEEKS
) -> FreeTimes:
    """The availability use case over the next `weeks`, grouped by local day."""
    department = await open_department(services, department_id)
    tz = zone(department.time_zone)
    today = services.clock.now().astimezone(tz).date()
    listed = await available_slots(
        services,
        link_holder(department.organization_id),
        SlotQuery(department.id, type_id, None, today, today + timedelta(days=7 * weeks - 1)),
    )
    days: dict[date, list[Slot]] = {}
    for slot in listed.slots:
        days.setdefault(slot.starts_at.astimezone(tz).date(), []).append(slot)
    agenda = listed.agenda
    return FreeTimes(
        department,
        agenda.kind,
        agenda.settings.time_zone,
        days,
        {w.id: w.name for w in agenda.workers},
    )


@dataclass(frozen=True, slots=True)
class OnlineBooking:
    """What the visitor chose and typed (already checked for form: see web/routers/booking)."""

    department_id: int
    appointment_type_id: int | None
    date_time: datetime  # wall-clock time of the department
    worker_id: int | None
    name: str
    email: str
    phone: str


@dataclass(frozen=True, slots=True)
class BookedOnline:
    appointment: Appointment
    cancel_token: str


async def offered_slot(
    services: Services,
    department: Department,
    type_id: int | None,
    date_time: datetime,
    worker_id: int | None,
) -> Slot:
    """The free slot the page offers at this wall-clock time (with this worker, when chosen),
    or SLOT_UNAVAILABLE: the API also takes any future time in a department without opening
    hours, or beyond the weeks shown; a visitor may not."""
    day = date_time.date()
    listed = await available_slots(
        services,
        link_holder(department.organization_id),
        SlotQuery(department.id, type_id, None, day, day),
    )
    tz = zone(listed.agenda.settings.time_zone)
    today = services.clock.now().astimezone(tz).date()
    if (day - today).days < 7 * BOOKING_WEEKS:
        for s in listed.slots:
            if s.starts_at.astimezone(tz).replace(tzinfo=None) == date_time and (
                worker_id is None or worker_id in s.worker_ids
            ):
                return s
    raise slot_unavailable().error()


async def book_online(services: Services, booking: OnlineBooking) -> BookedOnline:
    """Book for a visitor: their client record is found by e-mail (or created), then the booking
    use case runs exactly as for the API, with a private cancel token stored on the appointment.
    """
    department = await open_department(services, booking.department_id)
    principal = link_holder(department.organization_id)
    await offered_slot(
        services, department, booking.appointment_type_id, booking.date_time, booking.worker_id
    )
    token = new_cancel_token()

    async def attempt() -> Appointment:
        now = services.clock.now()
        async with services.uow(department.organization_id, write=True) as uow:
            client = await client_for_booking_page(
                uow, ClientFields(name=booking.name, email=booking.email, phone=booking.phone), now
            )
            request = BookingRequest(
                department_id=department.id,
                date_time=booking.date_time,
                name=booking.name,
                worker_id=booking.worker_id,
                appointment_type_id=booking.appointment_type_id,
                client_id=client.id,
                details=AppointmentDetails(source=SOURCE, from_web=True),
                cancel_token=token,
            )
            party = await resolve_party(services, principal, uow, request, now)
            appointment = await book(services, principal, uow, request, party, now)
            await uow.commit()
        return appointment

    return BookedOnline(await with_retries(attempt), token)

"""Private cancel links: the secret token that lets whoever booked see and cancel one appointment
without an account or an API key (the public booking page, reminder e-mails).

The link is `{SLOTBOOK_PUBLIC_BASE_URL}/book/cancel/{token}`. A token is created the first time
an appointment needs one and never changes; it is as good as a password for that appointment.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from slotbook.application.access import Principal, Scope
from slotbook.application.cancellation import CancelRequest, cancel_appointment
from slotbook.application.ports import Services, UnitOfWork
from slotbook.domain.appointments import Appointment
from slotbook.domain.errors import CancelLinkNotFound
from slotbook.domain.policy import BookingPolicy

CANCEL_PATH = "/book/cancel/"
RESCHEDULE_PATH = "/book/reschedule/"  # the same token moves the appointment
# 43 URL-safe characters (256 bits); the column holds 64.
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 64


def new_cancel_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def cancel_link(public_base_url: str, token: str) -> str:
    """The absolute address of the cancel page, as reminders and the confirmation show it."""
    return f"{public_base_url.rstrip('/')}{CANCEL_PATH}{token}"


def reschedule_link(public_base_url: str, token: str) -> str:
    """The absolute address of the page that moves the appointment to another free time."""
    return f"{public_base_url.rstrip('/')}{RESCHEDULE_PATH}{token}"


async def ensure_cancel_token(uow: UnitOfWork, appointment_id: int) -> str:
    """The appointment's cancel token, created now if it has none (inside the caller's write
    transaction, which must commit). Two concurrent callers end up with the same token."""
    current = await uow.appointments.cancel_token(appointment_id)
    if current:
        return current
    await uow.appointments.set_cancel_token(appointment_id, new_cancel_token())
    stored = await uow.appointments.cancel_token(appointment_id)
    assert stored is not None  # the row exists: the caller read it in this transaction
    return stored


async def cancel_token_of(services: Services, organization_id: int, appointment_id: int) -> str:
    """ensure_cancel_token in a transaction of its own (for callers outside one)."""
    async with services.uow(organization_id, write=True) as uow:
        token = await ensure_cancel_token(uow, appointment_id)
        await uow.commit()
    return token


def link_holder(organization_id: int) -> Principal:
    """Who acts through a cancel link or the public booking page: no API key and no user, only
    what a visitor may do there (book with a client record, read and cancel that booking)."""
    return Principal(
        organization_id=organization_id,
        api_key_id=None,
        scopes=frozenset(
            {
                Scope.APPOINTMENTS_READ.value,
                Scope.APPOINTMENTS_CREATE.value,
                Scope.APPOINTMENTS_CANCEL.value,
                Scope.CLIENTS_WRITE.value,
            }
        ),
        rate_limit_per_hour=0,
    )


@dataclass(frozen=True, slots=True)
class LinkedAppointment:
    """The appointment a cancel link opens, with what its page tells the visitor."""

    appointment: Appointment
    token: str
    policy: BookingPolicy
    type_name: str | None


def _valid(token: str) -> bool:
    return 0 < len(token) <= MAX_TOKEN_LENGTH


async def link_owner(services: Services, token: str) -> int:
    organization_id = (
        await services.registry.owner_of_cancel_token(token) if _valid(token) else None
    )
    if organization_id is None:
        raise CancelLinkNotFound()
    return organization_id


async def appointment_by_cancel_token(services: Services, token: str) -> LinkedAppointment:
    organization_id = await link_owner(services, token)
    async with services.uow(organization_id, write=False) as uow:
        appointment = await uow.appointments.get_by_cancel_token(token)
        if appointment is None:
            raise CancelLinkNotFound()
        settings = await uow.scheduling.settings(appointment.department_id)
        kind = (
            await uow.appointment_types.get(appointment.appointment_type_id)
            if appointment.appointment_type_id is not None
            else None
        )
    policy = settings.policy if settings is not None else BookingPolicy()
    return LinkedAppointment(appointment, token, policy, kind.name if kind else None)


async def cancel_by_token(services: Services, token: str) -> Appointment:
    """Cancel through the private link: the cancellation use case (one credit refunded, the
    department's minimum notice to cancel enforced); cancelling twice changes nothing."""
    organization_id = await link_owner(services, token)
    async with services.uow(organization_id, write=False) as uow:
        found = await uow.appointments.get_by_cancel_token(token)
    if found is None:
        raise CancelLinkNotFound()
    return await cancel_appointment(
        services, link_holder(organization_id), found.id, CancelRequest()
    )

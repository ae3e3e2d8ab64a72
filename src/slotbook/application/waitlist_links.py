"""The waitlist without an API key: the private accept link of an offer (accept or decline it)
and joining from the public booking page."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from slotbook.application.access import Principal, Scope
from slotbook.application.cancel_links import MAX_TOKEN_LENGTH, link_holder, new_cancel_token
from slotbook.application.clients import client_for_booking_page
from slotbook.application.ports import ClientFields, Services
from slotbook.application.public_booking import booking_page
from slotbook.application.waitlist import (
    JoinRequest,
    accept_by_token,
    decline_open_offer,
    join_waitlist,
)
from slotbook.domain.organizations import Department
from slotbook.domain.waitlist import (
    Offer,
    OfferExpired,
    OfferStatus,
    WaitlistEntry,
    Window,
    offer_open,
)


def _visitor(organization_id: int) -> Principal:
    """What a visitor with a link or on the booking page may do with waitlists."""
    holder = link_holder(organization_id)
    return replace(holder, scopes=holder.scopes | {Scope.WAITLIST_WRITE.value})


@dataclass(frozen=True, slots=True)
class LinkedOffer:
    """The offer an accept link opens, and whether it can still be answered."""

    organization_id: int
    entry: WaitlistEntry
    offer: Offer
    department_name: str
    open: bool


async def offer_by_link(services: Services, token: str) -> LinkedOffer:
    """The offer of this link (any status); 409 OFFER_EXPIRED for a link that never was."""
    organization_id = (
        await services.registry.waitlist_offer_owner(token)
        if 0 < len(token) <= MAX_TOKEN_LENGTH
        else None
    )
    if organization_id is None:
        raise OfferExpired("This offer does not exist")
    now = services.clock.now()
    async with services.uow(organization_id, write=False) as uow:
        offer = await uow.waitlist.offer_by_token(token)
        entry = await uow.waitlist.get_entry(offer.entry_id) if offer else None
        department = await uow.departments.get(entry.department_id) if entry else None
    if offer is None or entry is None or department is None:
        raise OfferExpired("This offer does not exist")
    is_open = offer.status is OfferStatus.OPEN and offer_open(offer.status, offer.expires_at, now)
    return LinkedOffer(organization_id, entry, offer, department.name, is_open)


async def accept_by_link(services: Services, token: str) -> str:
    """Book the offered time through its link; the new appointment's cancel token."""
    linked = await offer_by_link(services, token)
    cancel_token = new_cancel_token()
    await accept_by_token(services, _visitor(linked.organization_id), token, cancel_token)
    return cancel_token


async def decline_by_link(services: Services, token: str) -> None:
    linked = await offer_by_link(services, token)
    if not linked.open:
        raise OfferExpired("This offer has expired or is no longer open")
    await decline_open_offer(services, _visitor(linked.organization_id), linked.entry.id)


@dataclass(frozen=True, slots=True)
class PageJoin:
    """What a visitor typed on the booking page's waitlist form."""

    department_id: int
    appointment_type_id: int | None
    earliest: date
    latest: date
    name: str
    email: str
    phone: str


async def join_from_page(services: Services, join: PageJoin) -> tuple[Department, WaitlistEntry]:
    """Join from the public booking page: the client is found by e-mail (or created, with the
    phone), as a booking from the page does, so the offer can reach them."""
    page = await booking_page(services, join.department_id)
    department = page.department
    principal = _visitor(department.organization_id)
    async with services.uow(department.organization_id, write=True) as uow:
        client = await client_for_booking_page(
            uow,
            ClientFields(name=join.name, email=join.email, phone=join.phone),
            services.clock.now(),
        )
        await uow.commit()
    entry = await join_waitlist(
        services,
        principal,
        JoinRequest(
            department_id=department.id,
            window=Window(join.earliest, join.latest),
            appointment_type_id=join.appointment_type_id,
            client_id=client.id,
            name=join.name,
        ),
    )
    return department, entry

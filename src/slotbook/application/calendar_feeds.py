"""Secret calendar feeds: a department's or a worker's appointments as one iCalendar URL.

The token in the URL is the only credential (calendar apps cannot send an API key), so it is
long and random, and issuing a new one invalidates the old URL at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from slotbook.application.access import Principal, Scope, require
from slotbook.application.lookups import department_of, worker_of
from slotbook.application.ports import AppointmentFilter, CalendarFeedOwner, FeedKind, Services
from slotbook.domain.appointments import Appointment
from slotbook.domain.errors import NotFound

# The window a feed shows, around the moment it is fetched, and at most this many events.
FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=365)
FEED_MAX_EVENTS = 5000


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


async def rotate_feed(
    services: Services, principal: Principal, kind: FeedKind, owner_id: int
) -> str:
    """A new secret token for the department's or worker's feed (the old URL stops working)."""
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=False) as uow:
        if kind is FeedKind.DEPARTMENT:
            await department_of(services, uow, owner_id)
        else:
            await worker_of(services, uow, owner_id)
    token = new_feed_token()
    await services.registry.set_calendar_token(principal.organization_id, kind, owner_id, token)
    return token


@dataclass(frozen=True, slots=True)
class CalendarFeed:
    owner: CalendarFeedOwner
    appointments: Sequence[Appointment]


async def calendar_feed(services: Services, token: str) -> CalendarFeed:
    """The appointments of the feed whose token this is (cancelled ones included: calendars
    must learn that an event they showed is off), from FEED_PAST ago to FEED_AHEAD ahead."""
    owner = await services.registry.find_calendar_feed(token) if token else None
    if owner is None:
        raise NotFound("No calendar feed has this address (its token may have been rotated)")
    now = services.clock.now()
    department = owner.owner_id if owner.kind is FeedKind.DEPARTMENT else None
    worker = owner.owner_id if owner.kind is FeedKind.WORKER else None
    criteria = AppointmentFilter(
        department_id=department,
        worker_id=worker,
        starts_from=now - FEED_PAST,
        starts_until=now + FEED_AHEAD,
    )
    async with services.uow(owner.organization_id, write=False) as uow:
        page = await uow.appointments.list(criteria, 0, FEED_MAX_EVENTS)
    return CalendarFeed(owner, page.items)

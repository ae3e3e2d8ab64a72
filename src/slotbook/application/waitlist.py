"""The waitlist's use cases: join, list, leave; offer a freed time to the first matching entry,
accept (a normal booking), decline, and the sweep that passes lapsed offers on.

Exactly once. Offering a time is part of the transaction that freed it (a cancellation, a
move, a lapsed or declined offer): the entry is taken with a compare-and-swap
(WAITING -> OFFERED), so of two concurrent offers only one takes an entry, and the time is held
by an appointment row of status HELD, which the database's overlap guard refuses to let
anything else overlap (docs/waitlist.md). Accepting, declining and lapsing close the offer with
a compare-and-swap on its status too, so an accept that races the sweep either books or is
told OFFER_EXPIRED, never both.
"""

from __future__ import annotations

import itertools
import logging
import secrets
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from slotbook.application.access import Principal, Scope, require
from slotbook.application.agenda import agenda_of, type_of
from slotbook.application.availability import MAX_RANGE_DAYS, SlotQuery, available_slots, explain
from slotbook.application.booking import BookingRequest, book, client_locks, with_retries
from slotbook.application.clients import ClientUpsert, Party, resolve_party
from slotbook.application.ports import Page, Services, UnitOfWork
from slotbook.application.representation import appointment_document, local_text, utc_text
from slotbook.application.waitlist_ports import MATCH_BATCHES, EntryQuery, NewEntry, NewOffer
from slotbook.domain.appointments import Appointment
from slotbook.domain.errors import InvalidRequest, SlotConflict
from slotbook.domain.events import EventType
from slotbook.domain.rules import slot_unavailable
from slotbook.domain.schedules import Demand
from slotbook.domain.time import zone
from slotbook.domain.waitlist import (
    AlreadyWaiting,
    Candidate,
    EntryStatus,
    FreedTime,
    Offer,
    OfferExpired,
    OfferStatus,
    WaitlistEntry,
    WaitlistEntryNotFound,
    Window,
    check_offer_minutes,
    first_match,
    offer_expires_at,
    offer_open,
)

log = logging.getLogger("slotbook.waitlist")

ACCEPT_PATH = "/book/waitlist/"
SWEEP_BATCH = 1  # offers per transaction: a sweep killed mid-pass loses at most nothing
_WAITING = (EntryStatus.WAITING,)
_ACTIVE = (EntryStatus.WAITING, EntryStatus.OFFERED)


def accept_link(public_base_url: str, token: str) -> str:
    return f"{public_base_url.rstrip('/')}{ACCEPT_PATH}{token}"


@dataclass(frozen=True, slots=True)
class JoinRequest:
    department_id: int
    window: Window
    appointment_type_id: int | None = None
    worker_id: int | None = None
    client_id: int | None = None
    client: ClientUpsert | None = None
    external_user_id: str | None = None
    name: str | None = None
    priority: int = 0


# --- documents --------------------------------------------------------------------------------


def offer_document(offer: Offer, tz: str, public_base_url: str) -> dict[str, Any]:
    return {
        "dateTime": local_text(offer.starts_at, tz),
        "endTime": local_text(offer.ends_at, tz),
        "workerId": offer.worker_id,
        "appointmentTypeId": offer.appointment_type_id,
        "expiresAt": utc_text(offer.expires_at),
        "acceptUrl": accept_link(public_base_url, offer.token),
    }


def entry_document(entry: WaitlistEntry, public_base_url: str) -> dict[str, Any]:
    """The entry as the API returns it and the waitlist events carry it."""
    w = entry.window
    return {
        "id": entry.id,
        "departmentId": entry.department_id,
        "appointmentTypeId": entry.appointment_type_id,
        "workerId": entry.worker_id,
        "clientId": entry.client_id,
        "externalUserId": entry.external_user_id,
        "name": entry.name,
        "earliest": w.earliest.isoformat(),
        "latest": w.latest.isoformat(),
        "weekdays": sorted(w.weekdays),
        "timesOfDay": [
            {"start": _hhmm(r.start_minute), "end": _hhmm(r.end_minute)} for r in w.times_of_day
        ],
        "priority": entry.priority,
        "status": entry.status.value,
        "position": entry.position,
        "offer": (
            offer_document(entry.offer, entry.time_zone, public_base_url) if entry.offer else None
        ),
        "appointmentId": entry.appointment_id,
        "timeZone": entry.time_zone,
        "joinedAt": utc_text(entry.joined_at),
        "updatedAt": utc_text(entry.updated_at),
    }


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


async def _event(
    services: Services,
    uow: UnitOfWork,
    kind: EventType,
    entry_id: int,
    now: datetime,
    offer: Offer | None = None,
    appointment: dict[str, Any] | None = None,
) -> None:
    entry = await uow.waitlist.get_entry(entry_id)
    assert entry is not None
    data: dict[str, Any] = {"waitlistEntry": entry_document(entry, services.public_base_url)}
    if offer is not None:
        data["offer"] = offer_document(offer, entry.time_zone, services.public_base_url)
    if appointment is not None:
        data["appointment"] = appointment
    await uow.outbox.add(kind, data, now)


# --- joining, reading, leaving -----------------------------------------------------------------


async def join_waitlist(
    services: Services, principal: Principal, request: JoinRequest
) -> WaitlistEntry:
    """Put a client on a department's waitlist. Costs no credit."""
    require(principal, Scope.WAITLIST_WRITE)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        cached = await agenda_of(services, uow, request.department_id)
        if request.worker_id is not None and not cached.has_worker(request.worker_id):
            raise InvalidRequest(
                f"Worker {request.worker_id} does not work in department {request.department_id}"
            )
        if request.appointment_type_id is not None:
            kind = await type_of(services, uow, request.appointment_type_id)
            if kind.archived or kind.department_id not in (None, request.department_id):
                raise InvalidRequest(
                    f"Appointment type {kind.id} is not offered in department "
                    f"{request.department_id}"
                )
        if request.client_id is None and request.client is None and not request.external_user_id:
            raise InvalidRequest("Give clientId, client or externalUserId")
        party = await resolve_party(
            services,
            principal,
            uow,
            BookingRequest(
                department_id=request.department_id,
                date_time=now,
                name=request.name or request.external_user_id,
                external_user_id=request.external_user_id,
                client_id=request.client_id,
                client=request.client,
            ),
            now,
        )
        closes_at = request.window.closes_at(zone(cached.settings.time_zone))
        if closes_at <= now:
            raise InvalidRequest("The window has already passed: latest is before today")
        # One active entry per client: two joins of one client check one after the other.
        await uow.scheduling.lock(client_locks(party.client_id, party.external_user_id))
        if await uow.waitlist.active_entry_of(
            request.department_id,
            request.appointment_type_id,
            party.client_id,
            party.external_user_id,
        ):
            raise _already_waiting()
        entry_id = await uow.waitlist.add_entry(
            NewEntry(
                department_id=request.department_id,
                appointment_type_id=request.appointment_type_id,
                worker_id=request.worker_id,
                client_id=party.client_id,
                external_user_id=party.external_user_id,
                name=party.name,
                window=request.window,
                closes_at=closes_at,
                priority=request.priority,
            ),
            now,
        )
        entry = await uow.waitlist.get_entry(entry_id)
        await uow.commit()
    assert entry is not None
    return entry


def _already_waiting() -> AlreadyWaiting:
    return AlreadyWaiting(
        "This client already has an active waitlist entry for this department and type"
    )


async def list_waitlist(
    services: Services, principal: Principal, query: EntryQuery, page: int, size: int
) -> Page[WaitlistEntry]:
    """Entries in queue order (waiting ones first, by priority, then first come)."""
    require(principal, Scope.WAITLIST_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        if query.department_id is not None:
            await agenda_of(services, uow, query.department_id)
        return await uow.waitlist.list_entries(query, page, size)


async def get_entry(services: Services, principal: Principal, entry_id: int) -> WaitlistEntry:
    require(principal, Scope.WAITLIST_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await _entry(uow, entry_id)


async def _entry(uow: UnitOfWork, entry_id: int, *, lock: bool = False) -> WaitlistEntry:
    entry = await uow.waitlist.get_entry(entry_id, lock=lock)
    if entry is None:
        raise WaitlistEntryNotFound(entry_id)
    return entry


async def leave_waitlist(services: Services, principal: Principal, entry_id: int) -> WaitlistEntry:
    """Take an entry off the list; an open offer it holds passes on. Leaving again is a no-op."""
    require(principal, Scope.WAITLIST_WRITE)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        entry = await _entry(uow, entry_id, lock=True)
        if entry.status not in _ACTIVE:
            return entry
        withdrawn = await uow.waitlist.withdraw_open(entry_id, now)
        await uow.waitlist.set_entry_status(entry_id, _ACTIVE, EntryStatus.LEFT, now)
        if withdrawn is not None:
            await offer_freed(services, uow, _freed(withdrawn, entry.department_id), now)
        after = await _entry(uow, entry_id)
        await uow.commit()
    return after


async def set_priority(
    services: Services, principal: Principal, entry_id: int, priority: int
) -> WaitlistEntry:
    """Staff's priority: a higher one comes first; equal ones keep first come, first served."""
    require(principal, Scope.WAITLIST_WRITE)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        await _entry(uow, entry_id, lock=True)
        await uow.waitlist.set_priority(entry_id, priority, now)
        after = await _entry(uow, entry_id)
        await uow.commit()
    return after


async def offer_minutes(services: Services, principal: Principal, department_id: int) -> int:
    require(principal, Scope.WAITLIST_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        await agenda_of(services, uow, department_id)
        return await uow.waitlist.offer_minutes(department_id)


async def set_offer_minutes(
    services: Services, principal: Principal, department_id: int, minutes: int
) -> int:
    """How long an offer of the department holds its time (default 30 minutes)."""
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=True) as uow:
        await agenda_of(services, uow, department_id)
        await uow.waitlist.set_offer_minutes(department_id, check_offer_minutes(minutes))
        await uow.commit()
    return minutes


# --- offering --------------------------------------------------------------------------------


def _freed(offer: Offer, department_id: int) -> FreedTime:
    return FreedTime(
        department_id, offer.worker_id, offer.appointment_type_id, offer.starts_at, offer.ends_at
    )


def freed_of(appointment: Appointment) -> FreedTime | None:
    """The time a cancelled or moved appointment gave back, when a waitlist can take it: a
    worker's time (a department's counters are not held one by one)."""
    if appointment.worker_id is None or appointment.ends_at is None:
        return None
    return FreedTime(
        appointment.department_id,
        appointment.worker_id,
        appointment.appointment_type_id,
        appointment.starts_at,
        appointment.ends_at,
    )


async def offer_freed_time(
    services: Services, uow: UnitOfWork, freed: FreedTime | None, now: datetime
) -> Offer | None:
    """A cancellation's or a move's hook: offer the freed time, if it is one a waitlist can
    take."""
    return None if freed is None else await offer_freed(services, uow, freed, now)


async def offer_freed(
    services: Services, uow: UnitOfWork, freed: FreedTime, now: datetime
) -> Offer | None:
    """Inside the caller's write transaction: offer `freed` to the first waiting entry it fits
    and hold it; None when no entry fits (the time is then free for everyone)."""
    if freed.starts_at <= now:
        return None
    cached = await agenda_of(services, uow, freed.department_id)
    tz = zone(cached.settings.time_zone)
    demand = Demand(int((freed.ends_at - freed.starts_at).total_seconds() // 60))
    if freed.appointment_type_id is not None:
        kind = await type_of(services, uow, freed.appointment_type_id)
        if (kind.capacity or 1) > 1:
            return None  # a seat in a group session is not held: its places are counted
        demand = Demand.of(kind)
    minutes = await uow.waitlist.offer_minutes(freed.department_id)
    expires_at = offer_expires_at(now, minutes, freed.starts_at)
    async for chosen in matching(uow, freed, tz):
        # Compare-and-swap: an entry a concurrent offer took is skipped.
        if await uow.waitlist.set_entry_status(chosen.id, _WAITING, EntryStatus.OFFERED, now):
            return await _hold(services, uow, freed, chosen.id, demand, expires_at, now)
    return None


async def matching(uow: UnitOfWork, freed: FreedTime, tz: ZoneInfo) -> AsyncIterator[Candidate]:
    """The waiting entries `freed` fits, in queue order: the database narrows the queue by
    type, worker, dates and weekday, read a batch at a time in its order; the domain checks
    the rest of each window."""
    local_day: date = freed.starts_at.astimezone(tz).date()
    after: tuple[int, int] | None = None
    for round_ in itertools.count():
        limit = MATCH_BATCHES[min(round_, len(MATCH_BATCHES) - 1)]
        rows = await uow.waitlist.candidates(freed, local_day, after, limit)
        pending = [uow.waitlist.candidate(row) for row in rows]
        while (chosen := first_match(pending, freed, tz)) is not None:
            yield chosen
            pending.remove(chosen)
        if len(rows) < limit:
            return
        after = (rows[-1].priority, rows[-1].id)


async def _hold(
    services: Services,
    uow: UnitOfWork,
    freed: FreedTime,
    entry_id: int,
    demand: Demand,
    expires_at: datetime,
    now: datetime,
) -> Offer | None:
    blocked_from, blocked_until = demand.blocked(freed.starts_at)
    new = NewOffer(
        department_id=freed.department_id,
        entry_id=entry_id,
        worker_id=freed.worker_id,
        appointment_type_id=freed.appointment_type_id,
        starts_at=freed.starts_at,
        ends_at=freed.ends_at,
        blocked_from=blocked_from,
        blocked_until=blocked_until,
        expires_at=expires_at,
        token=secrets.token_urlsafe(32),
    )
    try:
        async with uow.savepoint():
            hold_id = await uow.waitlist.hold(new, now)
    except SlotConflict:
        # Something else already occupies (part of) the time: nothing to offer.
        await uow.waitlist.set_entry_status(
            entry_id, (EntryStatus.OFFERED,), EntryStatus.WAITING, now
        )
        return None
    offer = await uow.waitlist.add_offer(new, hold_id, now)
    await _event(services, uow, EventType.WAITLIST_OFFERED, entry_id, now, offer)
    return offer


async def offer_time(
    services: Services,
    principal: Principal,
    entry_id: int,
    date_time: datetime,
    worker_id: int,
) -> WaitlistEntry:
    """Staff offer a time by hand to one waiting entry: it is held like any offer. The time
    must be free on that worker's schedule."""
    require(principal, Scope.WAITLIST_WRITE)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=False) as uow:
        entry = await _entry(uow, entry_id)
    found = await explain(
        services, principal, entry.department_id, date_time, entry.appointment_type_id, worker_id
    )
    if not found.bookable:
        raise slot_unavailable("This time is not free on that worker's schedule").error()
    async with services.uow(principal.organization_id, write=True) as uow:
        entry = await _entry(uow, entry_id, lock=True)
        if entry.status is not EntryStatus.WAITING:
            raise InvalidRequest(f"Only a waiting entry can be offered a time ({entry.status})")
        freed = FreedTime(
            entry.department_id,
            worker_id,
            entry.appointment_type_id,
            found.starts_at,
            found.ends_at,
        )
        cached = await agenda_of(services, uow, entry.department_id)
        demand = Demand(cached.settings.slot_interval_minutes)
        if entry.appointment_type_id is not None:
            demand = Demand.of(await type_of(services, uow, entry.appointment_type_id))
        minutes = await uow.waitlist.offer_minutes(entry.department_id)
        if not await uow.waitlist.set_entry_status(entry_id, _WAITING, EntryStatus.OFFERED, now):
            raise InvalidRequest("The entry is no longer waiting")
        expires_at = offer_expires_at(now, minutes, freed.starts_at)
        if await _hold(services, uow, freed, entry_id, demand, expires_at, now) is None:
            raise slot_unavailable("This time is not free anymore").error()
        after = await _entry(uow, entry_id)
        await uow.commit()
    return after


# Waiting entries of a department looked at, in queue order, when its agenda gives time back:
# each gets the first free time of its window (a free-slot search each), so the cost of an
# hours change stays bounded whatever the length of the queue.
NEW_TIMES_ENTRIES = 50


async def offer_new_times(
    services: Services, organization_id: int, department_ids: Sequence[int]
) -> int:
    """After the agenda gave time back (hours set or extended, extra hours, a closure or time
    off removed): the first waiting entries of each department, in queue order, are each
    offered the first free time of their window. One transaction per offer, each taking its
    entry by compare-and-swap and its time under the overlap guard, so a concurrent booking or
    cancellation never meets a half-made offer. How many offers were made."""
    reader = Principal(organization_id, None, frozenset({Scope.APPOINTMENTS_READ.value}), 0)
    made = 0
    for department_id in department_ids:
        async with services.uow(organization_id, write=False) as uow:
            waiting = await uow.waitlist.list_entries(
                EntryQuery(department_id=department_id, status=EntryStatus.WAITING),
                0,
                NEW_TIMES_ENTRIES,
            )
        taken: set[tuple[int, datetime]] = set()
        for entry in waiting.items:
            freed = await _first_free_time(services, reader, entry, taken)
            if freed is None:
                continue
            taken.add((freed.worker_id, freed.starts_at))
            made += await with_retries(partial(_offer_to, services, organization_id, entry, freed))
    return made


async def _first_free_time(
    services: Services,
    reader: Principal,
    entry: WaitlistEntry,
    taken: set[tuple[int, datetime]],
) -> FreedTime | None:
    tz = zone(entry.time_zone)
    today = services.clock.now().astimezone(tz).date()
    first = max(entry.window.earliest, today)
    last = min(entry.window.latest, first + timedelta(days=MAX_RANGE_DAYS - 1))
    if last < first:
        return None
    listed = await available_slots(
        services,
        reader,
        SlotQuery(entry.department_id, entry.appointment_type_id, entry.worker_id, first, last),
    )
    for slot in listed.slots:
        if not entry.window.contains(slot.starts_at, slot.ends_at, tz):
            continue
        for worker_id in slot.worker_ids:
            if (worker_id, slot.starts_at) not in taken:
                return FreedTime(
                    entry.department_id,
                    worker_id,
                    entry.appointment_type_id,
                    slot.starts_at,
                    slot.ends_at,
                )
    return None


async def _offer_to(
    services: Services, organization_id: int, entry: WaitlistEntry, freed: FreedTime
) -> int:
    now = services.clock.now()
    async with services.uow(organization_id, write=True) as uow:
        cached = await agenda_of(services, uow, entry.department_id)
        demand = Demand(cached.settings.slot_interval_minutes)
        if entry.appointment_type_id is not None:
            demand = Demand.of(await type_of(services, uow, entry.appointment_type_id))
        minutes = await uow.waitlist.offer_minutes(entry.department_id)
        if not await uow.waitlist.set_entry_status(entry.id, _WAITING, EntryStatus.OFFERED, now):
            return 0  # offered something else meanwhile, or left
        expires_at = offer_expires_at(now, minutes, freed.starts_at)
        if await _hold(services, uow, freed, entry.id, demand, expires_at, now) is None:
            return 0  # taken meanwhile: the entry waits on (its status was put back)
        await uow.commit()
    return 1


async def offer_new_times_quietly(
    services: Services, organization_id: int, department_ids: Sequence[int]
) -> None:
    """offer_new_times after an agenda change has committed: a failure here is logged, and
    the change it follows stands (the next freed time, or staff, will make the offer)."""
    try:
        await offer_new_times(services, organization_id, department_ids)
    except Exception:
        log.exception("offering new free times to the waitlist failed")


# --- answering an offer ------------------------------------------------------------------------


async def accept_offer(services: Services, principal: Principal, entry_id: int) -> Appointment:
    """Book the offered time for the entry's client, as any booking (rules, one credit)."""
    require(principal, Scope.WAITLIST_WRITE)
    return await with_retries(lambda: _accept(services, principal, entry_id, None))


async def accept_by_token(
    services: Services, principal: Principal, token: str, cancel_token: str
) -> Appointment:
    """The private accept link's booking (the principal is the organization's public page); the
    appointment gets `cancel_token`, so the page can show its confirmation and cancel link."""
    return await with_retries(lambda: _accept(services, principal, None, token, cancel_token))


async def _accept(
    services: Services,
    principal: Principal,
    entry_id: int | None,
    token: str | None,
    cancel_token: str | None = None,
) -> Appointment:
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        if token is not None:
            by_token = await uow.waitlist.offer_by_token(token)
            if by_token is None:
                raise OfferExpired("This offer does not exist")
            entry_id = by_token.entry_id
        assert entry_id is not None
        entry = await _entry(uow, entry_id, lock=True)
        offer = await uow.waitlist.open_offer_of(entry_id, lock=True)
        if offer is None or not offer_open(offer.status, offer.expires_at, now):
            raise _gone()
        if token is not None and offer.token != token:
            raise _gone()
        hold_id = await uow.waitlist.close_offer(offer.id, OfferStatus.ACCEPTED, now)
        if hold_id is None:
            raise _gone()
        await uow.waitlist.release(hold_id)
        request = BookingRequest(
            department_id=entry.department_id,
            date_time=offer.starts_at,
            name=entry.name,
            worker_id=offer.worker_id,
            external_user_id=entry.external_user_id,
            appointment_type_id=offer.appointment_type_id,
            client_id=entry.client_id,
            cancel_token=cancel_token,
        )
        party = Party(entry.name, entry.external_user_id, entry.client_id)
        appointment = await book(services, principal, uow, request, party, now)
        await uow.waitlist.set_entry_status(
            entry_id, (EntryStatus.OFFERED,), EntryStatus.BOOKED, now, appointment.id
        )
        await _event(
            services,
            uow,
            EventType.WAITLIST_ACCEPTED,
            entry_id,
            now,
            offer,
            appointment_document(appointment),
        )
        await uow.commit()
    return appointment


def _gone() -> OfferExpired:
    return OfferExpired("This offer has expired or is no longer open")


async def decline_offer(services: Services, principal: Principal, entry_id: int) -> WaitlistEntry:
    """Decline the open offer: the entry waits again, the time passes to the next entry."""
    require(principal, Scope.WAITLIST_WRITE)
    return await decline_open_offer(services, principal, entry_id)


async def decline_open_offer(
    services: Services, principal: Principal, entry_id: int
) -> WaitlistEntry:
    """decline_offer once the caller is authorized (the API's scope, or an accept link)."""
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        entry = await _entry(uow, entry_id, lock=True)
        offer = await uow.waitlist.open_offer_of(entry_id, lock=True)
        if offer is None:
            raise _gone()
        hold_id = await uow.waitlist.close_offer(offer.id, OfferStatus.DECLINED, now)
        if hold_id is None:
            raise _gone()
        await uow.waitlist.release(hold_id)
        await uow.waitlist.set_entry_status(
            entry_id, (EntryStatus.OFFERED,), EntryStatus.WAITING, now
        )
        await offer_freed(services, uow, _freed(offer, entry.department_id), now)
        after = await _entry(uow, entry_id)
        await uow.commit()
    return after


# --- the sweep ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SweepResult:
    offers_lapsed: int = 0
    entries_expired: int = 0


async def sweep_waitlist(services: Services) -> SweepResult:
    """Pass lapsed offers on and expire entries whose window passed, one transaction each,
    so a sweep killed mid-pass loses nothing: what it had not committed is still due."""
    result = SweepResult()
    now = services.clock.now()
    for organization_id in await services.registry.organizations_with_waitlist_work(now):
        while (
            lapsed := await with_retries(partial(_lapse_next, services, organization_id, now))
        ) >= 0:
            result = replace(result, offers_lapsed=result.offers_lapsed + lapsed)
        while (
            passed := await with_retries(partial(_expire_next, services, organization_id, now))
        ) >= 0:
            result = replace(result, entries_expired=result.entries_expired + passed)
    return result


async def _lapse_next(services: Services, organization_id: int, now: datetime) -> int:
    """Pass the organization's next lapsed offer on (1), or -1 when none is left."""
    async with services.uow(organization_id, write=True) as uow:
        due = await uow.waitlist.lapsed_offers(now, SWEEP_BATCH)
        if not due:
            return -1
        lapsed = await _lapse(services, uow, due[0], now)
        await uow.commit()
    return lapsed


async def _expire_next(services: Services, organization_id: int, now: datetime) -> int:
    """Expire the organization's next entry whose window passed (1), or -1 when none is left."""
    async with services.uow(organization_id, write=True) as uow:
        passed = await uow.waitlist.passed_entries(now, SWEEP_BATCH)
        if not passed:
            return -1
        expired = 0
        for entry_id in passed:
            if await uow.waitlist.set_entry_status(entry_id, _WAITING, EntryStatus.EXPIRED, now):
                await _event(services, uow, EventType.WAITLIST_EXPIRED, entry_id, now)
                expired += 1
        await uow.commit()
    return expired


async def _lapse(services: Services, uow: UnitOfWork, offer_id: int, now: datetime) -> int:
    found = await uow.waitlist.offer(offer_id)
    if found is None:
        return 0
    offer, department_id = found
    # The entry's lock first, as accept, decline and leave take it: no deadlock between them.
    await uow.waitlist.get_entry(offer.entry_id, lock=True)
    hold_id = await uow.waitlist.close_offer(offer.id, OfferStatus.EXPIRED, now, lapsed_only=True)
    if hold_id is None:
        return 0  # accepted or declined in the meantime, or another sweeper's
    await uow.waitlist.release(hold_id)
    await uow.waitlist.set_entry_status(
        offer.entry_id, (EntryStatus.OFFERED,), EntryStatus.WAITING, now
    )
    await _event(services, uow, EventType.WAITLIST_EXPIRED, offer.entry_id, now, offer)
    await offer_freed(services, uow, _freed(offer, department_id), now)
    return 1

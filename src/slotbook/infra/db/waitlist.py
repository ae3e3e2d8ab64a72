"""The waitlist's entries, offers and holds, for one organization (and the sweep's lookups)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from slotbook.application.ports import Page
from slotbook.application.waitlist_ports import EntryQuery, NewEntry, NewOffer
from slotbook.domain.waitlist import (
    HELD_STATUS,
    AlreadyWaiting,
    Candidate,
    EntryStatus,
    FreedTime,
    Offer,
    OfferStatus,
    WaitlistEntry,
    Window,
    parse_times,
    weekdays_of,
)
from slotbook.infra.db.tables import appointment, department, organization, waitlist_entry
from slotbook.infra.db.tables import waitlist_offer as offer_table

HOLD_NAME = "Waitlist hold"

e = waitlist_entry.c
o = offer_table.c


def _offer(row: Any) -> Offer:
    return Offer(
        id=row.id,
        entry_id=row.entry_id,
        worker_id=row.worker_id,
        appointment_type_id=row.appointment_type_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        expires_at=row.expires_at,
        status=OfferStatus(row.status),
        token=row.token,
    )


def _window(row: Any) -> Window:
    return Window(
        row.earliest, row.latest, weekdays_of(row.weekdays), parse_times(row.times_of_day)
    )


_ENTRY_COLUMNS = (
    *waitlist_entry.c,
    func.coalesce(department.c.time_zone, organization.c.time_zone).label("zone"),
)
_ENTRY_FROM = waitlist_entry.join(department, department.c.id == e.department_id).join(
    organization, organization.c.id == e.organization_id
)


class SqlWaitlist:
    def __init__(self, connection: AsyncConnection, organization_id: int) -> None:
        self._conn = connection
        self._org = organization_id

    # --- entries ---------------------------------------------------------------------------

    async def add_entry(self, new: NewEntry, now: datetime) -> int:
        try:
            async with self._conn.begin_nested():
                row = await self._conn.execute(
                    insert(waitlist_entry)
                    .values(
                        organization_id=self._org,
                        department_id=new.department_id,
                        appointment_type_id=new.appointment_type_id,
                        worker_id=new.worker_id,
                        client_id=new.client_id,
                        external_user_id=new.external_user_id,
                        name=new.name,
                        earliest=new.window.earliest,
                        latest=new.window.latest,
                        weekdays=new.window.weekday_mask,
                        times_of_day=",".join(
                            f"{r.start_minute}-{r.end_minute}" for r in new.window.times_of_day
                        ),
                        closes_at=new.closes_at,
                        priority=new.priority,
                        status=EntryStatus.WAITING.value,
                        joined_at=now,
                        updated_at=now,
                    )
                    .returning(e.id)
                )
                return int(row.scalar_one())
        except IntegrityError as error:
            # The unique index of active entries: a concurrent join of the same client won.
            raise AlreadyWaiting(
                "This client already has an active waitlist entry for this department and type"
            ) from error

    async def active_entry_of(
        self,
        department_id: int,
        appointment_type_id: int | None,
        client_id: int | None,
        external_user_id: str | None,
    ) -> int | None:
        who = []
        if client_id is not None:
            who.append(e.client_id == client_id)
        if external_user_id is not None:
            who.append(e.external_user_id == external_user_id)
        if not who:
            return None
        found = (
            await self._conn.execute(
                select(e.id).where(
                    e.organization_id == self._org,
                    e.department_id == department_id,
                    func.coalesce(e.appointment_type_id, 0) == (appointment_type_id or 0),
                    e.status.in_([s.value for s in (EntryStatus.WAITING, EntryStatus.OFFERED)]),
                    or_(*who),
                )
            )
        ).first()
        return int(found.id) if found else None

    async def get_entry(self, entry_id: int, *, lock: bool = False) -> WaitlistEntry | None:
        query = (
            select(*_ENTRY_COLUMNS)
            .select_from(_ENTRY_FROM)
            .where(e.organization_id == self._org, e.id == entry_id)
        )
        if lock:
            query = query.with_for_update(of=waitlist_entry)
        row = (await self._conn.execute(query)).first()
        if row is None:
            return None
        entry = self._entry(row)
        offer = await self.open_offer_of(entry.id)
        position = await self._position(row) if entry.status is EntryStatus.WAITING else None
        return _with(entry, offer, position)

    async def _position(self, row: Any) -> int:
        ahead = (
            await self._conn.execute(
                select(func.count())
                .select_from(waitlist_entry)
                .where(
                    e.organization_id == self._org,
                    e.department_id == row.department_id,
                    e.status == EntryStatus.WAITING.value,
                    or_(e.priority > row.priority, and_(e.priority == row.priority, e.id < row.id)),
                )
            )
        ).scalar_one()
        return int(ahead) + 1

    def _entry(self, row: Any) -> WaitlistEntry:
        return WaitlistEntry(
            id=row.id,
            organization_id=row.organization_id,
            department_id=row.department_id,
            time_zone=row.zone,
            appointment_type_id=row.appointment_type_id,
            worker_id=row.worker_id,
            client_id=row.client_id,
            external_user_id=row.external_user_id,
            name=row.name,
            window=_window(row),
            priority=row.priority,
            status=EntryStatus(row.status),
            joined_at=row.joined_at,
            updated_at=row.updated_at,
            appointment_id=row.appointment_id,
        )

    async def list_entries(self, query: EntryQuery, page: int, size: int) -> Page[WaitlistEntry]:
        where = [e.organization_id == self._org]
        if query.department_id is not None:
            where.append(e.department_id == query.department_id)
        if query.status is not None:
            where.append(e.status == query.status.value)
        if query.client_id is not None:
            where.append(e.client_id == query.client_id)
        if query.external_user_id is not None:
            where.append(e.external_user_id == query.external_user_id)
        if query.worker_id is not None:
            where.append(e.worker_id == query.worker_id)
        if query.appointment_type_id is not None:
            where.append(e.appointment_type_id == query.appointment_type_id)
        total = (
            await self._conn.execute(select(func.count()).select_from(waitlist_entry).where(*where))
        ).scalar_one()
        # Queue order: what staff see is who gets the next freed time.
        waiting_first = (e.status != EntryStatus.WAITING.value).label("later")
        rows = (
            await self._conn.execute(
                select(*_ENTRY_COLUMNS, waiting_first)
                .select_from(_ENTRY_FROM)
                .where(*where)
                .order_by(waiting_first, e.priority.desc(), e.id)
                .limit(size)
                .offset(page * size)
            )
        ).all()
        entries = [self._entry(row) for row in rows]
        ids = [x.id for x in entries]
        offers = {}
        if ids:
            found = await self._conn.execute(
                select(offer_table).where(
                    o.organization_id == self._org,
                    o.entry_id.in_(ids),
                    o.status == OfferStatus.OPEN.value,
                )
            )
            offers = {r.entry_id: _offer(r) for r in found}
        positioned = []
        for row, entry in zip(rows, entries, strict=True):
            position = await self._position(row) if entry.status is EntryStatus.WAITING else None
            positioned.append(_with(entry, offers.get(entry.id), position))
        return Page(positioned, page, size, int(total))

    async def set_entry_status(
        self,
        entry_id: int,
        expected: Sequence[EntryStatus],
        status: EntryStatus,
        now: datetime,
        appointment_id: int | None = None,
    ) -> bool:
        """Compare-and-swap: of two concurrent writers only the first changes the entry."""
        values: dict[str, Any] = {"status": status.value, "updated_at": now}
        if appointment_id is not None:
            values["appointment_id"] = appointment_id
        result = await self._conn.execute(
            update(waitlist_entry)
            .where(
                e.organization_id == self._org,
                e.id == entry_id,
                e.status.in_([s.value for s in expected]),
            )
            .values(**values)
        )
        return bool(result.rowcount)

    async def set_priority(self, entry_id: int, priority: int, now: datetime) -> None:
        await self._conn.execute(
            update(waitlist_entry)
            .where(e.organization_id == self._org, e.id == entry_id)
            .values(priority=priority, updated_at=now)
        )

    async def candidates(
        self, freed: FreedTime, local_day: date, after: tuple[int, int] | None, limit: int
    ) -> list[Any]:
        """Waiting entries of the freed time's department that may fit it, in queue order,
        filtered by what the database can check (type, worker, dates, weekday); the times of
        day are checked by the domain. `after`: the queue position (priority, id) to go on
        from, for the next batch."""
        bit = 1 << local_day.weekday()
        offered_before = exists().where(
            o.organization_id == self._org,
            o.entry_id == e.id,
            o.worker_id == freed.worker_id,
            o.starts_at == freed.starts_at,
        )
        query = (
            select(
                e.id,
                e.appointment_type_id,
                e.worker_id,
                e.earliest,
                e.latest,
                e.weekdays,
                e.times_of_day,
                e.priority,
            )
            .where(
                e.organization_id == self._org,
                e.department_id == freed.department_id,
                e.status == EntryStatus.WAITING.value,
                or_(
                    e.appointment_type_id.is_(None),
                    e.appointment_type_id == freed.appointment_type_id,
                ),
                or_(e.worker_id.is_(None), e.worker_id == freed.worker_id),
                e.earliest <= local_day,
                e.latest >= local_day,
                or_(e.weekdays == 0, e.weekdays.op("&")(bit) != 0),
                ~offered_before,
            )
            .order_by(e.priority.desc(), e.id)
            .limit(limit)
        )
        if after is not None:
            priority, last_id = after
            query = query.where(
                or_(e.priority < priority, and_(e.priority == priority, e.id > last_id))
            )
        return list((await self._conn.execute(query)).all())

    def candidate(self, row: Any) -> Candidate:
        return Candidate(
            id=row.id,
            appointment_type_id=row.appointment_type_id,
            worker_id=row.worker_id,
            window=_window(row),
            priority=row.priority,
        )

    async def offer_minutes(self, department_id: int) -> int:
        minutes = (
            await self._conn.execute(
                select(department.c.waitlist_offer_minutes).where(
                    department.c.organization_id == self._org, department.c.id == department_id
                )
            )
        ).scalar_one_or_none()
        return int(minutes) if minutes is not None else 30

    async def set_offer_minutes(self, department_id: int, minutes: int) -> None:
        await self._conn.execute(
            update(department)
            .where(department.c.organization_id == self._org, department.c.id == department_id)
            .values(waitlist_offer_minutes=minutes)
        )

    # --- offers and holds ------------------------------------------------------------------

    async def hold(self, new: NewOffer, now: datetime) -> int:
        """The HELD appointment row: the overlap guard refuses it (SlotConflict) if the time
        is taken, and refuses any booking of it while it exists. Archived, so no listing of
        appointments shows it."""
        token = uuid4().hex
        row = await self._conn.execute(
            insert(appointment)
            .values(
                organization_id=self._org,
                department_id=new.department_id,
                worker_id=new.worker_id,
                name=HOLD_NAME,
                starts_at=new.starts_at,
                status=HELD_STATUS,
                qr_token=f"hold_{token}",
                created_at=now,
                updated_at=now,
                archived_at=now,
                ends_at=new.ends_at,
                appointment_type_id=new.appointment_type_id,
                blocked_from=new.blocked_from,
                blocked_until=new.blocked_until,
                session_key=f"hold_{token}",
                from_web=False,
                uuid=uuid4(),
            )
            .returning(appointment.c.id)
        )
        return int(row.scalar_one())

    async def release(self, hold_id: int | None) -> None:
        if hold_id is None:
            return
        await self._conn.execute(
            delete(appointment).where(
                appointment.c.organization_id == self._org,
                appointment.c.id == hold_id,
                appointment.c.status == HELD_STATUS,
            )
        )

    async def add_offer(self, new: NewOffer, hold_id: int, now: datetime) -> Offer:
        row = (
            await self._conn.execute(
                insert(offer_table)
                .values(
                    organization_id=self._org,
                    department_id=new.department_id,
                    entry_id=new.entry_id,
                    worker_id=new.worker_id,
                    appointment_type_id=new.appointment_type_id,
                    starts_at=new.starts_at,
                    ends_at=new.ends_at,
                    blocked_from=new.blocked_from,
                    blocked_until=new.blocked_until,
                    expires_at=new.expires_at,
                    status=OfferStatus.OPEN.value,
                    token=new.token,
                    hold_id=hold_id,
                    created_at=now,
                )
                .returning(*offer_table.c)
            )
        ).one()
        return _offer(row)

    async def open_offer_of(self, entry_id: int, *, lock: bool = False) -> Offer | None:
        query = select(offer_table).where(
            o.organization_id == self._org,
            o.entry_id == entry_id,
            o.status == OfferStatus.OPEN.value,
        )
        if lock:
            query = query.with_for_update()
        row = (await self._conn.execute(query)).first()
        return _offer(row) if row else None

    async def offer_by_token(self, token: str) -> Offer | None:
        row = (
            await self._conn.execute(
                select(offer_table).where(o.organization_id == self._org, o.token == token)
            )
        ).first()
        return _offer(row) if row else None

    async def close_offer(
        self,
        offer_id: int,
        status: OfferStatus,
        now: datetime,
        *,
        lapsed_only: bool = False,
    ) -> int | None:
        """Compare-and-swap OPEN -> `status`; its hold's id (to release) when this call
        closed it, None when it was already closed. With `lapsed_only`, only an offer whose
        expiry has been reached is closed (the sweep); otherwise (accept, decline) only one
        that has not."""
        lapsed = o.expires_at <= now
        result = await self._conn.execute(
            update(offer_table)
            .where(
                o.organization_id == self._org,
                o.id == offer_id,
                o.status == OfferStatus.OPEN.value,
                lapsed if lapsed_only else ~lapsed,
            )
            .values(
                status=status.value,
                closed_at=now,
                # A closed offer is no longer to be told about.
                notified_at=func.coalesce(o.notified_at, now),
            )
            .returning(o.hold_id)
        )
        row = result.first()
        return None if row is None else (row.hold_id or 0)

    async def withdraw_open(self, entry_id: int, now: datetime) -> Offer | None:
        """Close the entry's open offer whatever its expiry (the entry left); the offer."""
        current = await self.open_offer_of(entry_id, lock=True)
        if current is None:
            return None
        result = await self._conn.execute(
            update(offer_table)
            .where(o.id == current.id, o.status == OfferStatus.OPEN.value)
            .values(
                status=OfferStatus.WITHDRAWN.value,
                closed_at=now,
                notified_at=func.coalesce(o.notified_at, now),
            )
            .returning(o.hold_id)
        )
        row = result.first()
        if row is None:
            return None
        await self.release(row.hold_id)
        return current

    async def held(
        self, worker_ids: Sequence[int], since: datetime, until: datetime
    ) -> list[tuple[int, datetime, datetime]]:
        """Open offers' held times (worker, blocked from, blocked until) meeting [since, until)."""
        if not worker_ids:
            return []
        rows = await self._conn.execute(
            select(o.worker_id, o.blocked_from, o.blocked_until).where(
                o.organization_id == self._org,
                o.status == OfferStatus.OPEN.value,
                o.worker_id.in_(list(worker_ids)),
                o.blocked_from < until,
                o.blocked_until > since,
            )
        )
        return [(r.worker_id, r.blocked_from, r.blocked_until) for r in rows]

    async def lapsed_offers(self, now: datetime, limit: int) -> list[int]:
        rows = await self._conn.execute(
            select(o.id)
            .where(
                o.organization_id == self._org,
                o.status == OfferStatus.OPEN.value,
                o.expires_at <= now,
            )
            .order_by(o.expires_at)
            .limit(limit)
        )
        return [int(r.id) for r in rows]

    async def offer(self, offer_id: int) -> tuple[Offer, int] | None:
        """An offer and its entry's department."""
        row = (
            await self._conn.execute(
                select(offer_table).where(o.organization_id == self._org, o.id == offer_id)
            )
        ).first()
        return (_offer(row), int(row.department_id)) if row else None

    async def unnotified_offers(self, limit: int) -> list[int]:
        rows = await self._conn.execute(
            select(o.id)
            .where(
                o.organization_id == self._org,
                o.notified_at.is_(None),
                o.status == OfferStatus.OPEN.value,
            )
            .order_by(o.created_at)
            .limit(limit)
        )
        return [int(r.id) for r in rows]

    async def claim_notice(self, offer_id: int, now: datetime) -> bool:
        """Mark the offer notified; False when another worker did first (sent at most once)."""
        result = await self._conn.execute(
            update(offer_table)
            .where(o.organization_id == self._org, o.id == offer_id, o.notified_at.is_(None))
            .values(notified_at=now)
        )
        return bool(result.rowcount)

    async def forget_client(self, client_id: int, now: datetime, *, keep_link: bool) -> None:
        """A client erased or deleted: its entries leave the list with their personal fields
        blanked, and their open offers are withdrawn, their holds released (the times are free
        for everyone). `keep_link`: the entries still name the (anonymous) client record."""
        mine = (e.organization_id == self._org) & (e.client_id == client_id)
        offers = await self._conn.execute(
            update(offer_table)
            .where(
                o.organization_id == self._org,
                o.status == OfferStatus.OPEN.value,
                o.entry_id.in_(select(e.id).where(mine)),
            )
            .values(
                status=OfferStatus.WITHDRAWN.value,
                closed_at=now,
                notified_at=func.coalesce(o.notified_at, now),
            )
            .returning(o.hold_id)
        )
        for hold_id in [r.hold_id for r in offers]:
            await self.release(hold_id)
        active = [s.value for s in (EntryStatus.WAITING, EntryStatus.OFFERED)]
        await self._conn.execute(
            update(waitlist_entry)
            .where(mine, e.status.in_(active))
            .values(status=EntryStatus.LEFT.value, updated_at=now)
        )
        values: dict[str, Any] = {"name": "", "external_user_id": None}
        if not keep_link:
            values["client_id"] = None
        await self._conn.execute(update(waitlist_entry).where(mine).values(**values))

    async def passed_entries(self, now: datetime, limit: int) -> list[int]:
        rows = await self._conn.execute(
            select(e.id)
            .where(
                e.organization_id == self._org,
                e.status == EntryStatus.WAITING.value,
                e.closes_at <= now,
            )
            .limit(limit)
        )
        return [int(r.id) for r in rows]


def _with(entry: WaitlistEntry, offer: Offer | None, position: int | None) -> WaitlistEntry:
    return replace(entry, offer=offer, position=position)


async def organizations_with_due_work(engine: AsyncEngine, now: datetime) -> list[int]:
    """Organizations with a lapsed open offer, a passed waiting entry or an offer not yet told
    (all tenants: the sweep's only unscoped read, on three partial indexes)."""
    async with engine.connect() as conn:
        offers = select(o.organization_id).where(
            o.status == OfferStatus.OPEN.value, o.expires_at <= now
        )
        entries = select(e.organization_id).where(
            e.status == EntryStatus.WAITING.value, e.closes_at <= now
        )
        unnotified = select(o.organization_id).where(
            o.notified_at.is_(None), o.status == OfferStatus.OPEN.value
        )
        rows = await conn.execute(offers.union(entries, unnotified))
        return sorted({int(r[0]) for r in rows})


async def offer_owner(engine: AsyncEngine, token: str) -> int | None:
    """The organization of the offer with this accept-link token (the public page's lookup)."""
    async with engine.connect() as conn:
        found = (
            await conn.execute(select(o.organization_id).where(o.token == token))
        ).scalar_one_or_none()
        return int(found) if found is not None else None

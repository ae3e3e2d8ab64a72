"""The organization's credits: balance, ledger, debits and the credits.low event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.application.ports import Page
from slotbook.domain.credits import LedgerEntry, LedgerReason, fell_below, low_balance_data
from slotbook.domain.errors import InsufficientCredits
from slotbook.domain.events import EventType
from slotbook.infra.db import pg_statements as pg
from slotbook.infra.db.outbox import SqlOutbox, new_event_id
from slotbook.infra.db.pg_compiled import compiled_read
from slotbook.infra.db.pg_direct import PgDirect
from slotbook.infra.db.repositories import _Scoped
from slotbook.infra.db.tables import credit_ledger, organization

# The reads of GET /credits, compiled once for PostgreSQL (pg_compiled).
_CREDITS = compiled_read(
    select(organization.c.credits, organization.c.credits_low_threshold).where(
        organization.c.id == bindparam("org")
    )
)
_LEDGER_SIZE = compiled_read(
    select(func.count().label("entries"))
    .select_from(credit_ledger)
    .where(credit_ledger.c.organization_id == bindparam("org"))
)
_LEDGER_PAGE = compiled_read(
    select(credit_ledger)
    .where(credit_ledger.c.organization_id == bindparam("org"))
    .order_by(credit_ledger.c.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


class SqlCredits(_Scoped):
    def __init__(
        self,
        connection: AsyncConnection,
        organization_id: int,
        direct: PgDirect | None,
        outbox: SqlOutbox,
    ) -> None:
        super().__init__(connection, organization_id, direct)
        self._outbox = outbox
        self.threshold_seen: int | None = None
        self.last_spend = 0
        # Spent since the last warn_if_low, and (SQLite) the balance before and after.
        self._spent = 0
        self._balance_before = self._balance_after = 0

    async def spend(
        self, cost: int, reason: LedgerReason, now: datetime, appointment_id: int
    ) -> None:
        self.last_spend = cost
        if self._direct is not None:
            # Sent with the commit; the CHECK constraint refuses an overdraft then.
            self._direct.defer(
                pg.SPEND_CREDITS,
                {
                    "org": self._org,
                    "cost": cost,
                    "reason": reason.value,
                    "appointment_id": appointment_id,
                    "now": now,
                },
            )
            self._spent += cost
            return
        balance = await self.change(-cost, reason, now, appointment_id)
        if balance is None:
            raise InsufficientCredits(await self.balance(), cost)
        if self._spent == 0:
            self._balance_before = balance + cost
        self._spent += cost
        self._balance_after = balance

    async def warn_if_low(self, now: datetime) -> None:
        spent, self._spent = self._spent, 0
        if spent == 0:
            return
        if self._direct is not None:
            if self._direct.low_credits_watched is False:
                # No threshold when this transaction read its department: nothing to cross.
                return
            self._direct.defer(
                pg.LOW_CREDITS_EVENT,
                {
                    "org": self._org,
                    "spent": spent,
                    "public_id": new_event_id(),
                    "type": EventType.CREDITS_LOW.value,
                    "now": now,
                },
            )
            return
        threshold, after = self.threshold_seen, self._balance_after
        if threshold is not None and fell_below(self._balance_before, after, threshold):
            await self._outbox.add(EventType.CREDITS_LOW, low_balance_data(after, threshold), now)

    async def balance(self) -> int:
        row = await _CREDITS.first(self._conn, self._direct, {"org": self._org})
        assert row is not None
        return int(row.credits)

    async def change(
        self,
        delta: int,
        reason: LedgerReason,
        now: datetime,
        appointment_id: int | None = None,
    ) -> int | None:
        # One conditional UPDATE is the whole race-free debit: it row-locks the organization
        # and refuses to go below zero, so concurrent bookings can never overspend.
        if self._direct is not None:
            changed = await self._direct.first(
                pg.CHANGE_CREDITS,
                {
                    "org": self._org,
                    "delta": delta,
                    "reason": reason.value,
                    "appointment_id": appointment_id,
                    "now": now,
                },
            )
            if changed is None:
                return None
            self.threshold_seen = changed[1]
            return int(changed[0])
        row = (
            await self._conn.execute(
                update(organization)
                .where(organization.c.id == self._org, organization.c.credits + delta >= 0)
                .values(credits=organization.c.credits + delta)
                # The credits.low threshold comes back with the balance: comparing them costs
                # the hot path no query.
                .returning(organization.c.credits, organization.c.credits_low_threshold)
            )
        ).first()
        if row is None:
            return None
        balance, self.threshold_seen = row
        await self._conn.execute(
            insert(credit_ledger).values(
                organization_id=self._org,
                delta=delta,
                balance_after=balance,
                reason=reason.value,
                appointment_id=appointment_id,
                created_at=now,
            )
        )
        return int(balance)

    async def standing(self) -> tuple[int, int | None]:
        row = await _CREDITS.first(self._conn, self._direct, {"org": self._org})
        assert row is not None
        threshold = row.credits_low_threshold
        return int(row.credits), None if threshold is None else int(threshold)

    async def set_low_threshold(self, threshold: int | None) -> None:
        await self._conn.execute(
            update(organization)
            .where(organization.c.id == self._org)
            .values(credits_low_threshold=threshold)
        )

    async def ledger(self, page: int, size: int) -> Page[LedgerEntry]:
        counted = await _LEDGER_SIZE.first(self._conn, self._direct, {"org": self._org})
        assert counted is not None
        total = int(counted.entries)
        rows = await _LEDGER_PAGE.all(
            self._conn, self._direct, {"org": self._org, "limit": size, "offset": page * size}
        )
        entries = [
            LedgerEntry(
                id=row.id,
                delta=row.delta,
                balance_after=row.balance_after,
                reason=LedgerReason(row.reason),
                appointment_id=row.appointment_id,
                created_at=row.created_at,
            )
            for row in rows
        ]
        return Page(entries, page, size, total)

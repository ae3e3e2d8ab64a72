"""The organization's credits: balance, ledger and debits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.application.ports import Page
from slotbook.domain.credits import LedgerEntry, LedgerReason
from slotbook.domain.errors import InsufficientCredits
from slotbook.infra.db.repositories import _Scoped
from slotbook.infra.db.tables import credit_ledger, organization

_CREDITS = select(organization.c.credits, organization.c.credits_low_threshold)


class SqlCredits(_Scoped):
    def __init__(self, connection: AsyncConnection, organization_id: int) -> None:
        super().__init__(connection, organization_id)
        self.threshold_seen: int | None = None

    async def spend(
        self, cost: int, reason: LedgerReason, now: datetime, appointment_id: int
    ) -> int:
        balance = await self.change(-cost, reason, now, appointment_id)
        if balance is None:
            raise InsufficientCredits(await self.balance(), cost)
        return balance

    async def balance(self) -> int:
        row = (await self._conn.execute(_CREDITS.where(organization.c.id == self._org))).first()
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
        row = (await self._conn.execute(_CREDITS.where(organization.c.id == self._org))).first()
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
        mine = credit_ledger.c.organization_id == self._org
        total = (
            await self._conn.execute(select(func.count()).select_from(credit_ledger).where(mine))
        ).scalar_one()
        rows = await self._conn.execute(
            select(credit_ledger)
            .where(mine)
            .order_by(credit_ledger.c.id.desc())
            .limit(size)
            .offset(page * size)
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

"""The organization's credits: balance, ledger and debits.

A change of the balance and its ledger row are one statement on PostgreSQL (a data-modifying
CTE: one round trip while the organization's row is locked), two on SQLite."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from slotbook.application.ports import Page
from slotbook.domain.credits import LedgerEntry, LedgerReason
from slotbook.domain.errors import InsufficientCredits
from slotbook.infra.db.repositories import _Scoped
from slotbook.infra.db.schema_base import UTCDateTime
from slotbook.infra.db.tables import credit_ledger, organization

_CREDITS = select(organization.c.credits, organization.c.credits_low_threshold)

# Built once: every booking runs them. One conditional UPDATE is the whole race-free change:
# it row-locks the organization and refuses to go below zero, so concurrent bookings can never
# overspend. The credits.low threshold comes back with the balance: comparing them costs the
# hot path no query.
_ORG = bindparam("p_org", type_=Integer)
_DELTA = bindparam("p_delta", type_=Integer)
_CHANGE = (
    update(organization)
    .where(organization.c.id == _ORG, organization.c.credits + _DELTA >= 0)
    .values(credits=organization.c.credits + _DELTA)
    .returning(organization.c.credits, organization.c.credits_low_threshold)
)
_REASON = bindparam("p_reason", type_=String)
_APPOINTMENT = bindparam("p_appointment", type_=Integer)
_NOW = bindparam("p_now", type_=UTCDateTime())


def _ledger_row(balance_after: Any) -> dict[str, Any]:
    """The ledger entry of one change of the balance: written once for both databases, with
    the balance as a parameter (SQLite) or from the debit's RETURNING (PostgreSQL)."""
    return {
        "organization_id": _ORG,
        "delta": _DELTA,
        "balance_after": balance_after,
        "reason": _REASON,
        "appointment_id": _APPOINTMENT,
        "created_at": _NOW,
    }


_SQLITE_LEDGER = insert(credit_ledger).values(_ledger_row(bindparam("p_balance", type_=Integer)))


def _postgresql_change() -> Any:
    # One statement: the debit and its ledger entry (SQLite has no data-modifying CTEs).
    change = _CHANGE.cte("change")
    row = _ledger_row(change.c.credits)
    ledger = insert(credit_ledger).from_select(list(row), select(*row.values()))
    return select(change.c.credits, change.c.credits_low_threshold).add_cte(ledger.cte("ledger"))


_PG_CHANGE = _postgresql_change()


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
        values = {
            "p_org": self._org,
            "p_delta": delta,
            "p_reason": reason.value,
            "p_appointment": appointment_id,
            "p_now": now,
        }
        postgresql = self._conn.dialect.name == "postgresql"
        row = (await self._conn.execute(_PG_CHANGE if postgresql else _CHANGE, values)).first()
        if row is None:
            return None
        balance, self.threshold_seen = row
        if not postgresql:
            await self._conn.execute(_SQLITE_LEDGER, {**values, "p_balance": balance})
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

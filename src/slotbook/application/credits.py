"""Use cases on an organization's credits: balance, ledger, and operator adjustments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slotbook.application.access import Principal, Scope, require
from slotbook.application.ports import Page, Services, UnitOfWork
from slotbook.domain.credits import (
    LedgerEntry,
    LedgerReason,
    adjusted_balance,
    fell_below,
    low_balance_data,
)
from slotbook.domain.errors import InvalidRequest, OrganizationNotFound
from slotbook.domain.events import EventType

MAX_LOW_THRESHOLD = 1_000_000_000


@dataclass(frozen=True, slots=True)
class CreditStatement:
    balance: int
    ledger: Page[LedgerEntry]
    low_threshold: int | None = None


async def credit_statement(
    services: Services, principal: Principal, page: int, size: int
) -> CreditStatement:
    require(principal, Scope.CREDITS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        balance, threshold = await uow.credits.standing()
        return CreditStatement(balance, await uow.credits.ledger(page, size), threshold)


async def set_low_threshold(
    services: Services, principal: Principal, threshold: int | None
) -> int | None:
    """Send `credits.low` when a debit takes the balance under `threshold` (None: never)."""
    require(principal, Scope.ADMIN)
    if threshold is not None and not 1 <= threshold <= MAX_LOW_THRESHOLD:
        raise InvalidRequest(f"creditsLowThreshold must be 1 to {MAX_LOW_THRESHOLD} or null")
    async with services.uow(principal.organization_id, write=True) as uow:
        await uow.credits.set_low_threshold(threshold)
        await uow.commit()
    return threshold


async def note_low_balance(uow: UnitOfWork, delta: int, balance: int, now: datetime) -> None:
    """After a change of `delta` that left `balance`: the `credits.low` event, in the same
    transaction, if the change crossed the threshold. Only a comparison in memory unless it
    did (the threshold came back with the balance). Call it after the change's own events."""
    threshold = uow.credits.threshold_seen
    if fell_below(balance - delta, balance, threshold):
        assert threshold is not None
        await uow.outbox.add(EventType.CREDITS_LOW, low_balance_data(balance, threshold), now)


async def add_credits(services: Services, organization_id: int, amount: int) -> int:
    """Grant credits (or, with a negative amount, correct the balance, never below zero)."""
    now = services.clock.now()
    async with services.uow(organization_id, write=True) as uow:
        if await uow.organization.get() is None:
            raise OrganizationNotFound(organization_id)
        adjusted_balance(await uow.credits.balance(), amount)  # refuses before writing
        reason = LedgerReason.GRANT if amount > 0 else LedgerReason.ADJUSTMENT
        balance = await uow.credits.change(amount, reason, now)
        assert balance is not None  # the write transaction serialises with bookings
        await note_low_balance(uow, amount, balance, now)
        await uow.commit()
    return balance

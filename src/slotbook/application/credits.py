"""Use cases on an organization's credits: balance, ledger, and operator adjustments."""

from __future__ import annotations

from dataclasses import dataclass

from slotbook.application.access import Principal, Scope, require
from slotbook.application.ports import Page, Services
from slotbook.domain.credits import LedgerEntry, LedgerReason, adjusted_balance
from slotbook.domain.errors import OrganizationNotFound


@dataclass(frozen=True, slots=True)
class CreditStatement:
    balance: int
    ledger: Page[LedgerEntry]


async def credit_statement(
    services: Services, principal: Principal, page: int, size: int
) -> CreditStatement:
    require(principal, Scope.CREDITS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return CreditStatement(await uow.credits.balance(), await uow.credits.ledger(page, size))


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
        await uow.commit()
    return balance

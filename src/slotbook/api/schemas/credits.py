"""Credit balance and ledger bodies."""

from __future__ import annotations

from pydantic import Field

from slotbook.api.schemas.common import CamelModel, PageFields
from slotbook.domain.credits import LedgerEntry, LedgerReason


class LedgerEntryRead(CamelModel):
    id: int
    delta: int = Field(examples=[-1])
    balance_after: int = Field(examples=[41])
    reason: LedgerReason
    appointment_id: int | None
    created_at: str = Field(examples=["2027-01-21T09:30:00Z"])

    @classmethod
    def of(cls, e: LedgerEntry) -> LedgerEntryRead:
        return cls(
            id=e.id,
            delta=e.delta,
            balance_after=e.balance_after,
            reason=e.reason,
            appointment_id=e.appointment_id,
            created_at=e.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )


class CreditStatementRead(PageFields):
    balance: int = Field(examples=[41])
    ledger: list[LedgerEntryRead]

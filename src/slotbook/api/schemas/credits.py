"""Credit balance and ledger bodies."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from slotbook.api.schemas.common import NOT_BOOLEAN, CamelModel, PageFields, RequestModel
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


LowThreshold = Annotated[int, Field(ge=1, le=1_000_000_000), NOT_BOOLEAN]


class CreditStatementRead(PageFields):
    balance: int = Field(examples=[41])
    credits_low_threshold: int | None = Field(
        examples=[10], description="credits.low is sent when a debit takes the balance under it"
    )
    ledger: list[LedgerEntryRead]


class CreditSettingsWrite(RequestModel):
    credits_low_threshold: LowThreshold | None = Field(
        examples=[10],
        description="Send credits.low when a debit takes the balance under this; null: never",
    )


class CreditSettingsRead(CamelModel):
    credits_low_threshold: int | None = Field(examples=[10])

"""Credits: one is consumed by each booking and refunded by each cancellation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from slotbook.domain.errors import InvalidRequest

BOOKING_COST = 1


class LedgerReason(StrEnum):
    GRANT = "GRANT"  # credits bought or granted by an operator
    ADJUSTMENT = "ADJUSTMENT"  # a correction (negative amounts)
    BOOKING = "BOOKING"
    REFUND = "REFUND"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: int
    delta: int
    balance_after: int
    reason: LedgerReason
    appointment_id: int | None
    created_at: datetime


def adjusted_balance(balance: int, amount: int) -> int:
    """The balance after an operator adds `amount` (negative to correct); never below zero."""
    if amount == 0:
        raise InvalidRequest("amount must not be zero")
    after = balance + amount
    if after < 0:
        raise InvalidRequest(
            f"Cannot remove {-amount} credits: the balance is {balance} and cannot go below zero"
        )
    return after


def fell_below(before: int, after: int, threshold: int | None) -> bool:
    """Whether a change took the balance from at or above `threshold` to under it: the one
    moment `credits.low` is sent (None: the organization has no threshold)."""
    return threshold is not None and before >= threshold > after


def low_balance_data(balance: int, threshold: int) -> dict[str, dict[str, int]]:
    """The `data` of a credits.low event."""
    return {"credits": {"balance": balance, "threshold": threshold}}

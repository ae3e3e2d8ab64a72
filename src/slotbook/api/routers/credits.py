"""/api/v1/credits: the organization's balance and its ledger."""

from __future__ import annotations

from fastapi import APIRouter

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import PageFields, PageNumber, PageSize, error_responses
from slotbook.api.schemas.credits import (
    CreditSettingsRead,
    CreditSettingsWrite,
    CreditStatementRead,
    LedgerEntryRead,
)
from slotbook.application.credits import credit_statement, set_low_threshold

router = APIRouter(prefix="/credits", tags=["credits"])


@router.get(
    "",
    response_model=CreditStatementRead,
    responses=error_responses(400, 401, 403, 429),
    summary="Credit balance and ledger",
)
async def get_credits(
    principal: CurrentPrincipal,
    services: CurrentServices,
    page: PageNumber = 0,
    size: PageSize = 20,
) -> CreditStatementRead:
    """The balance and every change to it, newest first. Scope `credits:read`."""
    statement = await credit_statement(services, principal, page, size)
    ledger = statement.ledger
    return CreditStatementRead(
        balance=statement.balance,
        credits_low_threshold=statement.low_threshold,
        ledger=[LedgerEntryRead.of(e) for e in ledger.items],
        **PageFields.of(ledger),
    )


@router.patch(
    "",
    response_model=CreditSettingsRead,
    responses=error_responses(400, 401, 403, 429),
    summary="Credit settings",
)
async def update_credit_settings(
    body: CreditSettingsWrite, principal: CurrentPrincipal, services: CurrentServices
) -> CreditSettingsRead:
    """`creditsLowThreshold`: a `credits.low` event is sent when a debit takes the balance
    from at least this to under it (null: never). Scope `admin`."""
    threshold = await set_low_threshold(services, principal, body.credits_low_threshold)
    return CreditSettingsRead(credits_low_threshold=threshold)

"""/api/v1/credits: the organization's balance and its ledger."""

from __future__ import annotations

from fastapi import APIRouter

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import PageFields, PageNumber, PageSize, error_responses
from slotbook.api.schemas.credits import CreditStatementRead, LedgerEntryRead
from slotbook.application.credits import credit_statement

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
        ledger=[LedgerEntryRead.of(e) for e in ledger.items],
        **PageFields.of(ledger),
    )

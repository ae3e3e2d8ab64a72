"""Credits (owners): the balance and the ledger of every change to it, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from slotbook.application.credits import credit_statement
from slotbook.web.rendering import render
from slotbook.web.session import OwnerUser, container_of

router = APIRouter(prefix="/dashboard/credits")

PAGE_SIZE = 25


@router.get("")
async def credits_page(
    request: Request,
    user: OwnerUser,
    page: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    statement = await credit_statement(
        container_of(request).services, user.principal, page, PAGE_SIZE
    )
    return render(
        request,
        "credits.html",
        {"statement": statement, "ledger": statement.ledger},
        user=user,
        active="nav.credits",
    )

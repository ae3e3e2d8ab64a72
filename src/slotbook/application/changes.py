"""The change feed: an organization's events in commit order, for clients that poll."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slotbook.application.access import Principal, Scope, require
from slotbook.application.ports import ChangeEvent, Services


@dataclass(frozen=True, slots=True)
class ChangePage:
    changes: Sequence[ChangeEvent]
    cursor: int  # pass as `after` to continue; unchanged when nothing new
    has_more: bool


async def list_changes(
    services: Services, principal: Principal, after: int, limit: int
) -> ChangePage:
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        found = await uow.outbox.changes(after, limit + 1)
    page = found[:limit]
    return ChangePage(page, page[-1].position if page else after, len(found) > limit)

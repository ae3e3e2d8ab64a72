"""/api/v1/changes: the change feed, every event of the organization in commit order."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import MAX_ID, CamelModel, error_responses
from slotbook.application.changes import list_changes
from slotbook.domain.events import EventType

router = APIRouter(prefix="/changes", tags=["changes"])


class ChangeRead(CamelModel):
    id: str = Field(description="The event id (also the webhook-id of its deliveries)")
    type: EventType
    timestamp: str
    data: dict[str, Any]


class ChangeFeed(CamelModel):
    changes: list[ChangeRead]
    cursor: str = Field(description="Pass as `after` to get what comes next")
    has_more: bool


@router.get(
    "",
    response_model=ChangeFeed,
    responses=error_responses(400, 401, 403, 429),
    summary="Change feed",
)
async def changes(
    principal: CurrentPrincipal,
    services: CurrentServices,
    after: Annotated[
        int,
        Query(ge=0, le=MAX_ID, description="The cursor of the last page read (0: from the start)"),
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Events per page")] = 100,
) -> ChangeFeed:
    """Every event of the organization (the same as the webhooks) in commit order, from
    `after` on. Nothing is skipped or repeated while writes go on. Scope
    `appointments:read`."""
    page = await list_changes(services, principal, after, limit)
    return ChangeFeed(
        changes=[
            ChangeRead(
                id=c.id,
                type=c.type,
                timestamp=c.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                data=dict(c.data),
            )
            for c in page.changes
        ],
        cursor=str(page.cursor),
        has_more=page.has_more,
    )

"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from slotbook.api.deps import CurrentContainer
from slotbook.domain.errors import ServiceUnavailable

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness")
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", summary="Readiness", responses={503: {"description": "Database unreachable"}})
async def ready(container: CurrentContainer) -> dict[str, str]:
    """The process is up and its database answers."""
    try:
        async with container.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise ServiceUnavailable("The database does not answer") from exc
    return {"status": "ready", "database": container.engine.dialect.name}

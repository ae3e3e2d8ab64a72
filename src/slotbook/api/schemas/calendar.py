"""Calendar-feed bodies."""

from __future__ import annotations

from pydantic import Field

from slotbook.api.schemas.common import CamelModel


class CalendarFeedRead(CamelModel):
    url: str = Field(
        examples=["https://slotbook.example.org/api/v1/calendar/k3Jx...9Q.ics"],
        description="The secret subscription URL (no API key needed: keep it private)",
    )

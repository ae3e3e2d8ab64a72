"""Bodies of the appointment lifecycle: cancel, QR check-in, conflicts, history."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from slotbook.api.schemas.appointments import AppointmentRead
from slotbook.api.schemas.common import (
    CamelModel,
    LongText,
    PageFields,
    RequestModel,
    TokenText,
)
from slotbook.domain.appointments import CancellationReason
from slotbook.domain.history import Actor, HistoryAction, HistoryEntry


class CancelBody(RequestModel):
    cancellation_reason: CancellationReason | None = Field(
        None,
        description="10 Feeling better, 20 Condition worse, 30 Sick, 40 Away, 50 Other, 60 Work",
    )
    cancellation_note: LongText | None = None
    apply_to_repeats: bool = Field(
        False, description="Also cancel the later occurrences of the recurring series"
    )


class CheckInBody(RequestModel):
    qr_code: TokenText = Field(description="The scanned qrCode of the appointment")


class Conflicts(CamelModel):
    exist: bool
    appointments: list[AppointmentRead]


class ConflictsRead(CamelModel):
    conflicts: Conflicts


class HistoryEntryRead(CamelModel):
    id: int
    action: HistoryAction
    actor: Actor = Field(description="API_KEY, or SWEEP for the no-show sweep")
    api_key_id: int | None
    api_key_name: str | None
    at: str = Field(examples=["2027-01-21T09:30:00Z"])
    changes: dict[str, Any] = Field(
        description='Changed fields with their values: {"status": {"from": ..., "to": ...}}'
    )
    personal_fields_changed: list[str] = Field(
        description="Personal fields that changed; their values are never kept in the history"
    )

    @classmethod
    def of(cls, e: HistoryEntry) -> HistoryEntryRead:
        return cls(
            id=e.id,
            action=e.action,
            actor=e.actor,
            api_key_id=e.api_key_id,
            api_key_name=e.api_key_name,
            at=e.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            changes=dict(e.change.values),
            personal_fields_changed=list(e.change.personal),
        )


class HistoryPage(PageFields):
    history: list[HistoryEntryRead]

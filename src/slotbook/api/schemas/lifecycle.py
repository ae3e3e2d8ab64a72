"""Bodies of the appointment lifecycle: cancel, details update, QR check-in, conflicts, history."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from slotbook.api.schemas.appointments import AppointmentRead, TelehealthUrl
from slotbook.api.schemas.common import CamelModel, LongText, PageFields, RequestModel
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


class DetailsPatch(RequestModel):
    """Only the fields you send change; null clears a text field."""

    notes: LongText | None = None
    reason: LongText | None = None
    is_urgent: bool | None = None
    telehealth_url: TelehealthUrl | None = None
    apply_to_repeats: bool = False

    def values(self) -> dict[str, object]:
        sent = self.model_fields_set - {"apply_to_repeats"}
        values: dict[str, object] = {}
        for name in sent:
            value = getattr(self, name)
            if name == "telehealth_url" and value is not None:
                value = str(value)
            if name == "is_urgent" and value is None:
                raise ValueError("isUrgent cannot be null")
            values[name] = value
        return values


QrToken = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class CheckInBody(RequestModel):
    qr_code: QrToken = Field(description="The scanned qrCode of the appointment")


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

"""Shared schema pieces: camelCase models, bounded ids and text, the error envelope."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

# Re-exported: schemas format local date-times with it.
from slotbook.application.representation import local_text as local_text

MAX_ID = 2_147_483_647  # ids are 32-bit in the database; larger ones cannot exist


def _printable(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValueError("control characters are not allowed")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_printable),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=255),
    AfterValidator(_printable),
]


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class RequestModel(CamelModel):
    # Unknown fields are refused, so a typo or a field the client may not set never passes
    # silently (mass assignment).
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class ErrorEnvelope(BaseModel):
    code: str = Field(examples=["INSUFFICIENT_CREDITS"])
    message: str = Field(
        examples=["Insufficient credits to create appointment. Current: 0, Required: 1"]
    )
    timestamp: str = Field(examples=["2026-01-21T10:00:00Z"])
    details: list[dict[str, str]] | None = None


class PageFields(CamelModel):
    page: int
    size: int
    total_elements: int
    total_pages: int
    is_last: bool


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    descriptions = {
        400: "Invalid request (validation failed)",
        401: "Invalid or missing API key",
        402: "Not enough credits",
        403: "Missing scope, or the resource belongs to another organization",
        404: "Not found",
        409: "Conflict with the current state",
        422: "Idempotency-Key reused with another request",
        429: "Rate limit exceeded (see Retry-After)",
    }
    return {
        status: {"model": ErrorEnvelope, "description": descriptions[status]} for status in statuses
    }

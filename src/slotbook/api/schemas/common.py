"""Shared schema pieces: camelCase models, bounded ids and text, the error envelope."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

from slotbook.application.ports import Page

MAX_ID = 2_147_483_647  # ids are 32-bit in the database; larger ones cannot exist


# What text fields accept, stated in the OpenAPI document exactly as the validator below
# enforces it: no control characters but tab and line breaks, at least one visible character.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*[^\s\x00-\x1f][^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
# The characters it refuses, searched in C: a loop over the characters in Python cost about
# 0.1 µs a character (1 ms for a 10,000-character note).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What the pattern's `\s` means (JSON Schema patterns are ECMAScript regular expressions), so
# that text the schema accepts as not blank is never stripped to nothing here. Python's own
# whitespace differs: it includes U+0085 and lacks U+FEFF.
_BLANK = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)


def _clean_text(value: str) -> str:
    """Refuse control characters and blank text; strip surrounding spaces.

    Lengths are checked before stripping, so the limits are the ones the schema declares."""
    if _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    stripped = value.strip(_BLANK)
    if not stripped:
        raise ValueError("must not be blank")
    return stripped


def _text(max_length: int) -> Any:
    return Field(min_length=1, max_length=max_length, json_schema_extra={"pattern": TEXT_PATTERN})


def _iso_datetime(value: object) -> object:
    """Only ISO 8601 text: pydantic would also take numbers as Unix times ("0.5")."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("must be an ISO 8601 date-time, e.g. 2027-02-15T10:00:00")


def _convertible(value: datetime) -> datetime:
    """Years 1900 to 9000 only, as the domain accepts (domain/time.py): far from datetime's
    limits, so offsets, durations and margins never overflow."""
    if not 1900 <= value.year <= 9000:
        raise ValueError("date-time out of range (years 1900 to 9000)")
    return value


def _not_boolean(value: object) -> object:
    """JSON `true` is not the number 1, though pydantic's lax mode would read it so (1.0 is an
    integer in JSON Schema and stays accepted)."""
    if isinstance(value, bool):
        raise ValueError("must be an integer, not a boolean")
    return value


NOT_BOOLEAN = BeforeValidator(_not_boolean)
# Constraints before the validator, so the JSON schema shows them as minimum/maximum.
Id = Annotated[int, Field(ge=1, le=MAX_ID), NOT_BOOLEAN]
# An ISO 8601 date-time; without an offset it is wall-clock time (of the department).
DateTime = Annotated[
    datetime,
    BeforeValidator(_iso_datetime),
    AfterValidator(_convertible),
    Field(json_schema_extra={"pattern": r"^(19\d\d|[2-8]\d\d\d|9000)-"}),
]
Name = Annotated[str, _text(200), AfterValidator(_clean_text)]
ShortText = Annotated[str, _text(255), AfterValidator(_clean_text)]
Label = Annotated[str, _text(100), AfterValidator(_clean_text)]  # a short word (a species)
UrlText = Annotated[str, _text(2048), AfterValidator(_clean_text)]  # URLs


PUBLIC_ID = "Stable public id (UUID) of this record; the compatibility layers use it"


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
    request_id: str | None = Field(
        None,
        alias="requestId",
        description="The request's X-Request-Id: quote it when reporting an error",
        examples=["9f2c4be0d3a44b6c8e1b1f6f4f7f2a10"],
    )
    numeric_code: int | None = Field(
        None,
        alias="numericCode",
        description="Seed 002's numeric code of a booking rule",
        examples=[6],
    )
    legacy_code: str | None = Field(
        None,
        alias="legacyCode",
        description="Seed 002's name of a booking rule",
        examples=["MaxRdvNumber"],
    )
    details: list[dict[str, str]] | None = None


class PageFields(CamelModel):
    page: int
    size: int
    total_elements: int
    total_pages: int
    is_last: bool

    @staticmethod
    def of(result: Page[Any]) -> dict[str, Any]:
        """The paging fields of a result page, to spread into a page response."""
        return {
            "page": result.page,
            "size": result.size,
            "total_elements": result.total,
            "total_pages": result.total_pages,
            "is_last": result.is_last,
        }


PageNumber = Annotated[int, Query(ge=0, le=10_000_000, description="Page number from 0")]
PageSize = Annotated[int, Query(ge=1, le=100, description="Items per page (max 100)")]


ERROR_DESCRIPTIONS = {
    400: "Invalid request (validation failed)",
    401: "Invalid or missing API key",
    402: "Not enough credits",
    403: "Missing scope, or the resource belongs to another organization",
    404: "Not found",
    409: "Conflict with the current state (e.g. SLOT_UNAVAILABLE, IDEMPOTENCY_IN_PROGRESS)",
    412: "If-Match names an outdated version (VERSION_MISMATCH)",
    422: (
        "A booking rule of the department refuses it (e.g. TOO_SOON), "
        "or the Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED)"
    ),
    429: "Rate limit exceeded (see Retry-After)",
    503: "Temporarily unavailable; retry shortly",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    return {
        status: {"model": ErrorEnvelope, "description": ERROR_DESCRIPTIONS[status]}
        for status in statuses
    }


LongText = Annotated[str, _text(10_000), AfterValidator(_clean_text)]
# The schema states the whole rule, so what the document allows is exactly what is accepted.
# Explicit classes rather than \s: the validator's regex engine and the fuzzer's disagree on
# which characters are whitespace.
_EMAIL_PART = r"[^@ \x00-\x1f\x7f-\x9f]"
Email = Annotated[
    str,
    Field(
        max_length=254,
        pattern=rf"^{_EMAIL_PART}{{1,64}}@{_EMAIL_PART}+\.{_EMAIL_PART}+$",
        examples=["awa@example.org"],
    ),
]
Phone = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[0-9+().\- /]*[0-9][0-9+().\- /]*$",
        examples=["06 12 34 56 78"],
    ),
]
TokenText = Annotated[str, _text(64), AfterValidator(_clean_text)]
RuleText = Annotated[str, _text(500), AfterValidator(_clean_text)]
WebLink = Annotated[
    str,
    Field(
        max_length=2048,
        pattern=(
            r"^[Hh][Tt][Tt][Pp][Ss]?://[^ \x00-\x1f\x7f-\x9f/?#]+"
            r"(?:[/?#][^ \x00-\x1f\x7f-\x9f]*)?$"
        ),
        description="An http(s) link",
        examples=["https://meet.example.org/room/42"],
    ),
]
Language = Literal["en", "fr"]
LanguageQuery = Annotated[
    Language, Query(description="Language of displayStatus and other labels: en or fr")
]

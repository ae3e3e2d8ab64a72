"""Shared schema pieces: camelCase models, bounded ids and text, the error envelope."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

from slotbook.application.ports import Page
from slotbook.domain.limits import (
    EMAIL_PATTERN,
    MAX_EMAIL_LENGTH,
    MAX_ID,
    SUPPORTED_YEAR_PATTERN,
    SUPPORTED_YEARS,
    is_supported_year,
)

__all__ = ["MAX_ID"]  # the adapters' routes read the largest id from here

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


def _with_time(value: object) -> object:
    """A start needs its time: `2030-01-28` alone would be read as midnight and then refused
    as outside hours, a confusing answer to a missing time."""
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
        except ValueError:
            return _iso_datetime(value)
        raise ValueError(
            f"{value!r} is a date without a time; give the time too, e.g. {value}T10:00:00"
        )
    return _iso_datetime(value)


def _convertible(value: datetime) -> datetime:
    """The supported years only (domain/limits.py)."""
    if not is_supported_year(value):
        raise ValueError(f"date-time out of range ({SUPPORTED_YEARS})")
    return value


# A date, or a date-time at midnight without offset (read as its date), in the extended form
# only: the basic and week forms Python also reads are not what the document states.
_DAY = re.compile(r"(\d{4}-\d\d-\d\d)(?:T00:00(?::00(?:\.0+)?)?)?")


def _iso_day(value: object) -> object:
    """A date; a date-time at midnight reads as its date, as the appointment list reads a date
    as midnight, so one value works for both (`startDate=2027-03-01T00:00:00`)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and (match := _DAY.fullmatch(value)):
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    raise ValueError("must be a date, e.g. 2027-02-15 (or the date-time 2027-02-15T00:00:00)")


def _supported_day(value: date) -> date:
    if not is_supported_year(value):
        raise ValueError(f"date out of range ({SUPPORTED_YEARS})")
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
    Field(json_schema_extra={"pattern": SUPPORTED_YEAR_PATTERN}),
]
# A local date, in the same years.
Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    AfterValidator(_supported_day),
    Field(json_schema_extra={"pattern": SUPPORTED_YEAR_PATTERN}),
]


def _day_end(value: object) -> object:
    """An inclusive end given as a date covers that whole day: `endDate=2027-03-01` keeps
    the appointments of March 1st, not only those at midnight."""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return _iso_datetime(value)
        return datetime.combine(day, datetime.max.time()).replace(microsecond=0)
    return _iso_datetime(value)


# The inclusive end of a range of date-times: a date alone stands for its last second.
InclusiveEnd = Annotated[
    datetime,
    BeforeValidator(_day_end),
    AfterValidator(_convertible),
    Field(json_schema_extra={"pattern": r"^(19\d\d|[2-8]\d\d\d|9000)-"}),
]
# The start of an appointment: a date-time whose time is given (a date alone is refused).
StartTime = Annotated[
    datetime,
    BeforeValidator(_with_time),
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
        description="The booking rule's numeric code in the groups API (RDV360-style)",
        examples=[6],
    )
    legacy_code: str | None = Field(
        None,
        alias="legacyCode",
        description="The booking rule's name in the groups API (RDV360-style)",
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
Email = Annotated[
    str,
    Field(
        max_length=MAX_EMAIL_LENGTH,
        pattern=EMAIL_PATTERN,
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

"""Typed SDK errors, mapped from the API's error envelope {code, message, timestamp}."""

from __future__ import annotations

import json
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

# The booking rules of the groups API as docs/scheduling.md lists them, with their numeric codes
# (SLOT_UNAVAILABLE has none). The API marks a rule refusal by adding the groups API's `legacyCode`
# (and `numericCode` when the rule has one) to the envelope; an envelope that carries either,
# or whose code is listed here, is a booking rule refusal, so a rule added to the server later
# is recognised too.
BOOKING_RULE_CODES: Mapping[str, int | None] = {
    "SLOT_UNAVAILABLE": None,
    "SAME_TIME_APPOINTMENT": 12,
    "TOO_CLOSE_TO_OTHER_APPOINTMENT": 7,
    "MAX_UPCOMING_REACHED": 6,
    "TOO_FAR_IN_ADVANCE": 8,
    "TOO_SOON": 9,
    "CANCELLATION_TOO_LATE": 10,
}
# Refusals that carry one of the groups API's codes without being booking rules.
NOT_RULE_CODES: Mapping[str, int] = {
    "EMAIL_ALREADY_EXISTS": 11,
    "EMAIL_NOT_FOUND": 13,
}


class SlotbookError(Exception):
    """Any refusal or failure of the API. `str(error)` is the API's message; `numeric_code`
    and `legacy_code` are the groups API's number and name for the refusal, when it has them."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int | None,
        details: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        numeric_code: int | None = None,
        legacy_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details = details or []
        self.headers: Mapping[str, str] = headers or {}
        self.numeric_code = numeric_code
        self.legacy_code = legacy_code

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code!r}, {self.message!r})"


class ValidationError(SlotbookError):
    """400/422: the request is invalid; `details` lists the fields at fault."""


class AuthenticationError(SlotbookError):
    """401: the API key is missing, unknown, revoked or expired."""


class InsufficientCreditsError(SlotbookError):
    """402: the organization has no credit left to book."""


class PermissionDeniedError(SlotbookError):
    """403: the key lacks a scope, or the resource belongs to another organization."""


class NotFoundError(SlotbookError):
    """404: no such resource."""


class ConflictError(SlotbookError):
    """409: the request conflicts with the current state (e.g. INVALID_TRANSITION,
    EMAIL_ALREADY_EXISTS)."""


class PreconditionFailedError(ConflictError):
    """412 VERSION_MISMATCH: the If-Match version is no longer the current one (someone else
    changed the resource since you read it); read it again and decide."""


class BookingRuleError(SlotbookError):
    """A booking rule refused the request; `rule` (= `code`) is its code (e.g.
    SLOT_UNAVAILABLE), `numeric_code` and `legacy_code` the groups API's number and name for it."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.rule = self.code


class RateLimitError(SlotbookError):
    """429: too many requests; `retry_after` is the wait in seconds the API asked for."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(SlotbookError):
    """5xx: the API failed or is unavailable (after the client's retries)."""


class APIConnectionError(SlotbookError):
    """The API could not be reached, or the connection failed (after the client's retries)."""


_CLASS_BY_STATUS: Mapping[int, type[SlotbookError]] = {
    400: ValidationError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    422: ValidationError,
    429: RateLimitError,
}


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The Retry-After header in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    date = headers.get("date")
    now = parsedate_to_datetime(date) if date else None
    if now is None or when.tzinfo is None or now.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


def envelope_of(response: httpx.Response) -> dict[str, Any]:
    """The error envelope of a response: the native one, or the quick start's {"error": {...}}."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return {}
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    return body if isinstance(body, dict) else {}


def error_from_response(response: httpx.Response) -> SlotbookError:
    """The typed error for a non-2xx response."""
    status = response.status_code
    body = envelope_of(response)
    code = str(body.get("code") or f"HTTP_{status}")
    message = str(body.get("message") or response.reason_phrase or f"HTTP {status}")
    details = body.get("details") if isinstance(body.get("details"), list) else None
    common: dict[str, Any] = {
        "code": code,
        "status": status,
        "details": details,
        "headers": response.headers,
    }
    numeric = body.get("numericCode")
    numeric = numeric if isinstance(numeric, int) and not isinstance(numeric, bool) else None
    legacy = body.get("legacyCode")
    legacy = legacy if isinstance(legacy, str) else None
    marked = numeric is not None or legacy is not None
    if 400 <= status < 500 and (
        code in BOOKING_RULE_CODES or (marked and code not in NOT_RULE_CODES)
    ):
        rule_number = numeric if numeric is not None else BOOKING_RULE_CODES.get(code)
        return BookingRuleError(message, numeric_code=rule_number, legacy_code=legacy, **common)
    common.update(numeric_code=numeric, legacy_code=legacy)
    if status == 429:
        return RateLimitError(message, retry_after=retry_after_seconds(response.headers), **common)
    if status >= 500:
        return ServerError(message, **common)
    return _CLASS_BY_STATUS.get(status, SlotbookError)(message, **common)

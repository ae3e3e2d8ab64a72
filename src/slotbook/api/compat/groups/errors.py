"""Seed 002's error answers: every refusal inside the dialect as its numeric code and name.

Scoped to the dialect's routes by `GroupsRoute`, so the native envelope is untouched.
Shape: `{"error": {"code": 6, "name": "MaxRdvNumber", "message": <seed 002's text>,
"detail": <what exactly was refused>}}`; `code` is null for refusals seed 002 has no number
for (NotAvailable, and the Slotbook-only InsufficientCredits and TooManyNoShows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import Response

from slotbook.api.errors import BodyTooLarge
from slotbook.domain.errors import (
    BookingRefused,
    DomainError,
    Forbidden,
    InsufficientCredits,
    NotFound,
    RetryableConflict,
    ServiceUnavailable,
    Unauthorized,
)

log = logging.getLogger("slotbook.api")


@dataclass(frozen=True, slots=True)
class LegacyCode:
    number: int | None
    name: str
    message: str  # seed 002's text for the code


# Seed 002's tables, with its own words.
CODES: dict[str, LegacyCode] = {
    c.name: c
    for c in (
        LegacyCode(1, "Unauthorized", "You are not granted for this action."),
        LegacyCode(2, "InvalidParameter", "Parameters are not valid."),
        LegacyCode(3, "NoResult", "No Results."),
        LegacyCode(4, "ServerError", "Server Error not identified."),
        LegacyCode(5, "LoginFailed", "Authentification failed."),
        LegacyCode(
            6, "MaxRdvNumber", "The user has reached the maximum number of upcoming appointments"
        ),
        LegacyCode(7, "MintimeBetween", "Another appointment is too close to this one"),
        LegacyCode(8, "MaxRdvPeriod", "This appointment is too far away"),
        LegacyCode(9, "MintimeRdv", "This appointment is too soon"),
        LegacyCode(None, "NotAvailable", "This time slot is not available anymore"),
        LegacyCode(10, "MintimeAnnulation", "This appointment is too close to be cancelled"),
        LegacyCode(
            11,
            "EmailAlreadyExists",
            "This email address is already user by another registered user.",
        ),
        LegacyCode(12, "SameTimeRdv", "The user already has an appointment at this time"),
        LegacyCode(13, "EmailNotFound", "This email address does not exists."),
    )
}


def translate(error: DomainError) -> tuple[int, LegacyCode]:
    """The HTTP status and seed 002 code of a refusal. Seed 002 answers every refusal with
    400; only a server-side failure worth retrying is 503."""
    if error.legacy_code in CODES:
        return 400, CODES[error.legacy_code]
    if isinstance(error, ServiceUnavailable | RetryableConflict):
        return 503, CODES["ServerError"]
    if isinstance(error, Unauthorized):
        return 400, CODES["LoginFailed"]
    if isinstance(error, Forbidden):
        return 400, CODES["Unauthorized"]
    if isinstance(error, NotFound):
        return 400, CODES["NoResult"]
    if isinstance(error, InsufficientCredits):
        return 400, LegacyCode(None, "InsufficientCredits", "Not enough credits to book")
    if isinstance(error, BookingRefused):
        # A Slotbook rule seed 002 does not have (TOO_MANY_NO_SHOWS): its name, no number.
        name = "".join(part.capitalize() for part in error.code.split("_"))
        return 400, LegacyCode(None, name, error.message)
    return 400, CODES["InvalidParameter"]


def legacy_body(code: LegacyCode, detail: str) -> bytes:
    error = {"code": code.number, "name": code.name, "message": code.message, "detail": detail}
    return orjson.dumps({"error": error})


def invalid_parameter_body(detail: str) -> bytes:
    """InvalidParameter (2), for the requests the guard middleware refuses before routing."""
    return legacy_body(CODES["InvalidParameter"], detail)


def legacy_response(status: int, code: LegacyCode, detail: str) -> Response:
    return Response(legacy_body(code, detail), status_code=status, media_type="application/json")


def _validation_detail(exc: RequestValidationError) -> str:
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            return "Malformed JSON body"
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        return f"{'.'.join(loc) or 'body'}: {message}"
    return "invalid request"


class GroupsRoute(APIRoute):
    """A route whose refusals are answered in seed 002's shape instead of the native one."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def translated(request: Request) -> Response:
            try:
                return await handler(request)
            except DomainError as exc:
                status, code = translate(exc)
                return legacy_response(status, code, exc.message)
            except RequestValidationError as exc:
                return legacy_response(400, CODES["InvalidParameter"], _validation_detail(exc))
            except BodyTooLarge as exc:
                return legacy_response(400, CODES["InvalidParameter"], str(exc))

        return translated

"""Cliniko's error answers: 422 `{"message", "errors": {field: [...]}}` for anything that could
not be saved, `{"message"}` with 401/403/404 otherwise, in Cliniko's words.

The native API's statuses come from api/errors.py; this dialect keeps its own map because
Cliniko documents one answer (422) for every refused write, where the native API tells a
collision (409) from a credit shortage (402) or a bad field (400).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from slotbook.api.errors import BodyTooLarge
from slotbook.domain.errors import (
    AppointmentNotFound,
    AppointmentTypeNotFound,
    BookingRefused,
    ClientNotFound,
    Conflict,
    DepartmentNotFound,
    DomainError,
    Forbidden,
    InsufficientCredits,
    NotFound,
    RetryableConflict,
    SeriesRefused,
    ServiceUnavailable,
    Unauthorized,
    VersionMismatch,
    WorkerNotFound,
)

NOT_SAVED = "Resource could not be saved due to validation errors"

# Native words in use-case messages, as Cliniko says them. Longest first, so "workerId" is
# translated before "Worker".
_VOCABULARY: Sequence[tuple[str, str]] = (
    (r"\bappointmentTypeId\b", "appointment_type_id"),
    (r"\bdepartmentId\b", "business_id"),
    (r"\bworkerId\b", "practitioner_id"),
    (r"\bclientId\b", "patient_id"),
    (r"\b[Dd]ateTime\b", "starts_at"),
    (r"\brepeatRule\b", "repeat_rule"),
    (r"\bnumberOfRepeats\b", "number_of_repeats"),
    (r"\brepeatingInterval\b", "repeating_interval"),
    (r"\brepeatType\b", "repeat_type"),
    (r"\bapplyToRepeats\b", "apply_to_repeats"),
    (r"\bDepartment\b", "Business"),
    (r"\bdepartment\b", "business"),
    (r"\bWorker\b", "Practitioner"),
    (r"\bworker\b", "practitioner"),
    (r"\bClient\b", "Patient"),
    (r"\bclient\b", "patient"),
)
# The field a translated message is about: the first Cliniko word it contains.
_FIELDS = {
    "appointment_type_id": "appointment_type_id",
    "business_id": "business_id",
    "practitioner_id": "practitioner_id",
    "patient_id": "patient_id",
    "starts_at": "starts_at",
    "ends_at": "ends_at",
    "repeat_rule": "repeat_rule",
    "repeat_type": "repeat_rule",
    "number_of_repeats": "repeat_rule",
    "repeating_interval": "repeat_rule",
    "apply_to_repeats": "apply_to_repeats",
    "Appointment type": "appointment_type_id",
    "Practitioner": "practitioner_id",
    "Business": "business_id",
    "Patient": "patient_id",
}
_FIELD_OF_MISSING: Sequence[tuple[type[NotFound], str]] = (
    (DepartmentNotFound, "business_id"),
    (WorkerNotFound, "practitioner_id"),
    (AppointmentTypeNotFound, "appointment_type_id"),
    (ClientNotFound, "patient_id"),
)


def cliniko_words(message: str) -> str:
    for pattern, word in _VOCABULARY:
        message = re.sub(pattern, word, message)
    return message


def _field_of(message: str) -> str:
    found = [(message.find(word), field) for word, field in _FIELDS.items() if word in message]
    return min(found)[1] if found else "base"


def json_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )


def message_response(status: int, message: str, code: str) -> Response:
    # `code` is Slotbook's machine-readable code, added so a program can tell refusals apart.
    return json_response(status, {"message": message, "code": code})


def not_saved(errors: dict[str, list[str]], code: str = "INVALID_REQUEST") -> Response:
    return json_response(422, {"message": NOT_SAVED, "errors": errors, "code": code})


def _series_errors(error: SeriesRefused) -> list[str]:
    found = [
        f"occurrence {d.get('occurrence')} at {d.get('dateTime')}: "
        + cliniko_words(str(d.get("message")))
        for d in error.details or ()
    ]
    return found or [cliniko_words(error.message)]


def domain_response(error: DomainError) -> Response:
    """A use case's refusal as Cliniko answers it."""
    message = cliniko_words(error.message)
    if isinstance(error, Unauthorized):
        return Response(
            orjson.dumps({"message": message, "code": error.code}),
            status_code=401,
            media_type="application/json",
            headers={"WWW-Authenticate": 'Basic realm="Slotbook"'},
        )
    if isinstance(error, Forbidden):
        return message_response(403, message, error.code)
    if isinstance(error, AppointmentNotFound):
        return message_response(
            404, message.replace("Appointment", "Individual appointment"), error.code
        )
    if isinstance(error, NotFound):
        # A reference in the body (business_id, patient_id, ...) that does not exist.
        field = next((f for cls, f in _FIELD_OF_MISSING if isinstance(error, cls)), "base")
        return not_saved({field: [message]}, error.code)
    if isinstance(error, VersionMismatch):
        return message_response(412, message, error.code)
    if isinstance(error, ServiceUnavailable):
        return message_response(503, message, error.code)
    if isinstance(error, SeriesRefused):
        return not_saved({"repeat_rule": _series_errors(error)}, error.code)
    if isinstance(error, RetryableConflict):
        return message_response(409, message, error.code)
    if isinstance(error, BookingRefused):
        # The schedule or a booking rule refuses the time.
        return not_saved({"starts_at": [message]}, error.code)
    if isinstance(error, InsufficientCredits):
        return not_saved({"base": [message]}, error.code)
    if isinstance(error, Conflict):
        return not_saved({"base": [message]}, error.code)
    # InvalidRequest, InvalidTransition and the other refusals of what was asked.
    field = getattr(error, "parameter", None) or _field_of(message)
    return not_saved({field: [message]}, error.code)


def _location(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "base"


def validation_response(exc: RequestValidationError) -> Response:
    errors: dict[str, list[str]] = {}
    for item in exc.errors():
        if item.get("type") == "json_invalid":
            return message_response(400, "The body is not valid JSON", "INVALID_REQUEST")
        kind = item.get("type")
        if kind == "missing":
            text = "can't be blank"
        elif kind == "extra_forbidden":
            text = "is not a known field"
        else:
            text = str(item.get("msg", "is invalid"))
            text = text.removeprefix("Value error, ")
        errors.setdefault(_location(tuple(item.get("loc", ()))), []).append(text)
    return not_saved(errors or {"base": ["is invalid"]})


class ClinikoRoute(APIRoute):
    """A route whose every refusal (request validation included, which FastAPI raises before
    the endpoint runs) is answered in Cliniko's shape rather than the native envelope."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return validation_response(exc)
            except DomainError as exc:
                return domain_response(exc)
            except BodyTooLarge as exc:
                return message_response(413, str(exc), "INVALID_REQUEST")

        return handle

"""The error envelope {code, message, timestamp} and the only map from error codes to HTTP."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from slotbook.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    IdempotencyInProgress,
    IdempotencyKeyReused,
    InsufficientCredits,
    InvalidTransition,
    NotFound,
    ServiceUnavailable,
    Unauthorized,
)

log = logging.getLogger("slotbook.api")

# Most specific class first.
_STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (Unauthorized, 401),
    (InsufficientCredits, 402),
    (Forbidden, 403),
    (NotFound, 404),
    (InvalidTransition, 409),
    (Conflict, 409),
    (IdempotencyInProgress, 409),
    (IdempotencyKeyReused, 422),
    (ServiceUnavailable, 503),
)

_CODE_BY_HTTP_STATUS = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "INVALID_REQUEST",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
    503: "SERVICE_UNAVAILABLE",
}


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"Request body is larger than {limit} bytes")


def status_for(error: DomainError) -> int:
    for cls, status in _STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(code: str, message: str, details: list[dict[str, Any]] | None = None) -> bytes:
    body: dict[str, Any] = {"code": code, "message": message, "timestamp": timestamp()}
    if details:
        body["details"] = details
    return orjson.dumps(body)


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        envelope(code, message, details),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _validation_response(exc: RequestValidationError) -> Response:
    details = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            return error_response(400, "INVALID_REQUEST", "Malformed JSON body")
        message = str(error.get("msg", "invalid value"))
        if error.get("type") == "extra_forbidden":
            message = "Unknown field"
        details.append({"field": _field(tuple(error.get("loc", ()))), "message": message})
    first = details[0] if details else {"field": "body", "message": "invalid request"}
    return error_response(400, "INVALID_REQUEST", f"{first['field']}: {first['message']}", details)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> Response:
        return error_response(status_for(exc), exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Response:
        return _validation_response(exc)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(_request: Request, exc: BodyTooLarge) -> Response:
        return error_response(400, "INVALID_REQUEST", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODE_BY_HTTP_STATUS.get(exc.status_code, "INVALID_REQUEST")
        if exc.status_code == 404:
            message = f"No endpoint {request.method} {request.url.path}"
        elif exc.status_code == 405:
            message = f"Method {request.method} is not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        headers = dict(exc.headers) if exc.headers else None
        return error_response(exc.status_code, code, message, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "INTERNAL_ERROR", "Internal server error")

"""The error envelope {code, message, timestamp} and the only map from error codes to HTTP."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import compile_path

from slotbook.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    IdempotencyInProgress,
    IdempotencyKeyReused,
    InsufficientCredits,
    InvalidRequest,
    InvalidTransition,
    LoginThrottled,
    NotFound,
    PolicyRefused,
    ServiceUnavailable,
    SlotConflict,
    Unauthorized,
    VersionMismatch,
)
from slotbook.infra.logs import current_request

log = logging.getLogger("slotbook.api")

# Most specific class first.
_STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (LoginThrottled, 429),
    (Unauthorized, 401),
    (InsufficientCredits, 402),
    (Forbidden, 403),
    (NotFound, 404),
    (InvalidTransition, 409),
    (Conflict, 409),
    # Booking rules: a collision with another appointment is a conflict with the current state;
    # a time outside the department's policy is a well-formed but unacceptable request.
    (SlotConflict, 409),
    (PolicyRefused, 422),
    (VersionMismatch, 412),
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


# The status logged for a request whose client went away before its answer (nginx's).
CLIENT_CLOSED_REQUEST = 499

# The dashboard's HTML error pages: given the status this module chose, a page, or None when
# the path is not a page (then the JSON envelope is sent).
WebErrorPage = Callable[[Request, int, DomainError], Awaitable[Response | None]]


class BodyTooLarge(StarletteHTTPException):
    """An HTTP error, so that FastAPI's reading of a route's body passes it on as it is rather
    than as "There was an error parsing the body"."""

    def __init__(self, limit: int) -> None:
        super().__init__(400, f"Request body is larger than {limit} bytes")

    def __str__(self) -> str:
        return str(self.detail)


def status_for(error: DomainError) -> int:
    for cls, status in _STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> bytes:
    body: dict[str, Any] = {"code": code, "message": message, "timestamp": timestamp()}
    context = current_request.get()
    if context is not None:
        # The id in the X-Request-Id header, so a client can quote it when reporting an error.
        body["requestId"] = context.request_id
        context.error_code = code
    if extra:
        body.update(extra)
    if details:
        body["details"] = details
    return orjson.dumps(body)


def _legacy_fields(error: DomainError) -> dict[str, Any]:
    """Seed 002's codes for the same refusal, so its clients can keep their error handling."""
    fields: dict[str, Any] = {}
    if error.numeric_code is not None:
        fields["numericCode"] = error.numeric_code
    if error.legacy_code is not None:
        fields["legacyCode"] = error.legacy_code
    return fields


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    return Response(
        envelope(code, message, details, extra),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def is_json(content_type: str | None) -> bool:
    """FastAPI's rule for a body it parses as JSON: application/json or application/*+json."""
    if not content_type:
        return False
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def validation_text(message: str) -> str:
    """Pydantic's message for a validator's ValueError, without the "Value error, " it adds."""
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _whole_body_refused(exc: RequestValidationError, request: Request) -> str | None:
    """The message for a body refused as a whole because it was not sent as JSON: what the
    user has to change is the header, not the data ("Input should be a valid dictionary")."""
    errors = exc.errors()
    if not errors or tuple(errors[0].get("loc", ())) != ("body",):
        return None
    content_type = request.headers.get("content-type")
    if errors[0].get("type") == "missing":
        return "A JSON request body is required (send it with Content-Type: application/json)"
    if is_json(content_type):
        return None
    got = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
    return f"Send the body as JSON with the header Content-Type: application/json (got {got})"


def _validation_response(exc: RequestValidationError, request: Request) -> Response:
    whole = _whole_body_refused(exc, request)
    if whole is not None:
        return error_response(400, "INVALID_REQUEST", whole, [{"field": "body", "message": whole}])
    details = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            return error_response(400, "INVALID_REQUEST", "Malformed JSON body")
        message = validation_text(str(error.get("msg", "invalid value")))
        if error.get("type") == "extra_forbidden":
            message = "Unknown field"
        details.append({"field": _field(tuple(error.get("loc", ()))), "message": message})
    first = details[0] if details else {"field": "body", "message": "invalid request"}
    return error_response(400, "INVALID_REQUEST", f"{first['field']}: {first['message']}", details)


def _path_pattern(template: str, operations: dict[str, Any]) -> re.Pattern[str]:
    """The pattern of a documented path; integer path parameters match digits only, as the
    routes' {name:int} converters do, so /clients/by-email is not read as /clients/{id}."""
    for operation in operations.values():
        for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
            if parameter.get("in") == "path" and parameter["schema"].get("type") == "integer":
                name = parameter["name"]
                template = template.replace(f"{{{name}}}", f"{{{name}:int}}")
    pattern: re.Pattern[str] = compile_path(template)[0]
    return pattern


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method of every documented operation on `path`.

    Starlette's 405 names only the methods of the first route whose path matched, while a
    resource such as /appointments has one route per method (GET and POST).
    """
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(app.state, "allow_table", None)
    if table is None:
        table = [
            (_path_pattern(template, operations), {method.upper() for method in operations})
            for template, operations in app.openapi()["paths"].items()
        ]
        app.state.allow_table = table
    methods: set[str] = set()
    for pattern, operations in table:
        if pattern.match(path):
            methods |= operations
    if "GET" in methods:
        methods.add("HEAD")  # Starlette answers HEAD on every GET route
    return sorted(methods)


def install(app: FastAPI, web_page: WebErrorPage | None = None) -> None:
    async def page(request: Request, status: int, error: DomainError) -> Response | None:
        return await web_page(request, status, error) if web_page is not None else None

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        status = status_for(exc)
        html = await page(request, status, exc)
        return html or error_response(
            status, exc.code, exc.message, exc.details, extra=_legacy_fields(exc)
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        response = _validation_response(exc, request)
        if web_page is not None:
            message = orjson.loads(response.body)["message"]
            html = await page(request, response.status_code, InvalidRequest(message))
            if html is not None:
                return html
        return response

    @app.exception_handler(BodyTooLarge)
    async def _too_large(_request: Request, exc: BodyTooLarge) -> Response:
        return error_response(400, "INVALID_REQUEST", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODE_BY_HTTP_STATUS.get(exc.status_code, "INVALID_REQUEST")
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 404:
            message = f"No endpoint {request.method} {request.url.path}"
        elif exc.status_code == 405:
            message = f"Method {request.method} is not allowed on {request.url.path}"
            allowed = _allowed_methods(app, request.url.path)
            if allowed:
                headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        else:
            message = str(exc.detail)
        error = NotFound(message) if exc.status_code == 404 else InvalidRequest(message)
        html = await page(request, exc.status_code, error)
        if html is not None:
            if headers:
                html.headers.update(headers)
            return html
        return error_response(exc.status_code, code, message, headers=headers)

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, _exc: ClientDisconnect) -> Response:
        # Nobody will read an answer; 499 (nginx's "client closed request") in the access log.
        log.info("client disconnected during %s %s", request.method, request.url.path)
        return Response(status_code=CLIENT_CLOSED_REQUEST)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "INTERNAL_ERROR", "Internal server error")

"""The OpenAPI document: FastAPI's, completed with what the guard middleware and the error
handlers add to every operation (statuses, the error envelope, rate-limit headers) and with
examples from the seeds."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from slotbook.api.deps import SECURITY_SCHEMES
from slotbook.api.idempotency import KEYED_METHODS, MAX_KEY_LENGTH
from slotbook.api.middleware import PROTECTED_PREFIXES
from slotbook.api.openapi_examples import ERRORS, OPERATIONS, error_example
from slotbook.api.schemas.common import ERROR_DESCRIPTIONS

ENVELOPE = {"$ref": "#/components/schemas/ErrorEnvelope"}

HEADERS: dict[str, dict[str, Any]] = {
    "X-RateLimit-Limit": {
        "required": True,
        "description": "Requests allowed per hour for this key (or client address)",
        "schema": {"type": "integer", "minimum": 1},
    },
    "X-RateLimit-Remaining": {
        "required": True,
        "description": "Requests left in the current hour",
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-RateLimit-Reset": {
        "required": True,
        "description": "Unix time (seconds) when the current window ends",
        "schema": {"type": "integer"},
    },
    "Retry-After": {
        "required": True,
        "description": "Seconds to wait before retrying",
        "schema": {"type": "integer", "minimum": 1},
    },
}
RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def _guard_statuses(path: str) -> tuple[int, ...]:
    """What the guard middleware may answer on `path` before the route runs: an oversized body
    (400), a missing key (401, API paths), the rate limit (429), the key store down (503)."""
    if path.startswith(PROTECTED_PREFIXES):
        return (400, 401, 429, 503)
    return (400, 429, 503)


FASTAPI_VALIDATION_ERROR = "Validation Error"
# What the idempotency middleware may answer itself on the methods it keys.
IDEMPOTENCY_STATUSES = (409, 422)
IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Retry safely: the first response is stored for 24 hours and replayed (with "
        "`Idempotent-Replayed: true`) to a retry with the same key and request; the same key "
        "with another request is 422 IDEMPOTENCY_KEY_REUSED, a retry while the first still "
        "runs 409 IDEMPOTENCY_IN_PROGRESS. Use a new UUID per operation."
    ),
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": "^[!-~]+$",
    },
    "example": "5f0c7d2e-9a8b-4c3d-8e1f-2a3b4c5d6e7f",
}


def _error_response(status: int, description: str | None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": ENVELOPE}
    if status in ERRORS:
        media["example"] = error_example(status)
    return {
        "description": description or ERROR_DESCRIPTIONS.get(status, "Error"),
        "content": {"application/json": media},
    }


_PLACEHOLDERS: dict[str, Any] = {
    "string": "text",
    "integer": 1,
    "number": 1,
    "boolean": True,
    "null": None,
}
_FORMATS = {"date-time": "2027-02-15T10:00:00", "date": "2027-02-15", "time": "10:00:00"}


def example_of(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """An example built from a JSON schema: each field's own `examples`, else its default,
    else its first enum value, else a placeholder of its type. Operations without a hand-written
    example get one this way, so every example in the document stays checked by its schema."""
    if "$ref" in schema:
        return example_of(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return example_of(options[0], components, depth)
    kind = schema.get("type", "object")
    if kind == "object":
        if depth > 6:
            return {}
        properties = schema.get("properties", {})
        return {
            name: example_of(sub, components, depth + 1)
            for name, sub in properties.items()
            if name in schema.get("required", properties)
        }
    if kind == "array":
        return [example_of(schema.get("items", {}), components, depth + 1)]
    if kind == "string" and schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    if kind in ("integer", "number") and "minimum" in schema:
        return schema["minimum"]
    return _PLACEHOLDERS.get(kind)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _complete_operation(
    method: str, path: str, operation: dict[str, Any], components: dict[str, Any]
) -> None:
    responses: dict[str, Any] = operation["responses"]
    # Validation errors are answered 400 INVALID_REQUEST with the envelope, never 422: drop
    # FastAPI's own 422, keep a route's declared one (a booking rule refusing, with the envelope).
    default_422 = responses.get("422", {}).get("content", {}).get("application/json", {})
    if default_422.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
        del responses["422"]
    for status in _guard_statuses(path):
        responses.setdefault(str(status), {})
    if method.upper() in KEYED_METHODS and path.startswith(PROTECTED_PREFIXES):
        operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
        for status in IDEMPOTENCY_STATUSES:
            responses.setdefault(str(status), {})
    for status_text, response in responses.items():
        status = int(status_text)
        if status >= 400:
            response.update(_error_response(status, response.get("description")))
        # Every answer carries the rate-limit headers, except the key-store outage (503),
        # which is answered before the request is counted.
        if status != 503:
            response["headers"] = {name: _ref(name) for name in RATE_HEADERS}
        if status == 429:
            response["headers"]["Retry-After"] = _ref("Retry-After")
    request_example, response_example = OPERATIONS.get((method, path), (None, None))
    request = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if request is not None:
        request["example"] = (
            request_example
            if request_example is not None
            else example_of(request["schema"], components)
        )
    success = next((r for s, r in responses.items() if s.startswith("2")), None)
    media = (success or {}).get("content", {}).get("application/json")
    if media is not None and "schema" in media:
        media["example"] = (
            response_example
            if response_example is not None
            else example_of(media["schema"], components)
        )


def build_openapi(app: FastAPI) -> dict[str, Any]:
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    schemas_so_far = spec.get("components", {}).get("schemas", {})
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            _complete_operation(method, path, operation, schemas_so_far)
            if path.startswith(PROTECTED_PREFIXES):
                operation["security"] = [{name: []} for name in SECURITY_SCHEMES]
    components = spec.setdefault("components", {})
    components["securitySchemes"] = SECURITY_SCHEMES
    components["headers"] = HEADERS
    schemas = components.get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return spec


def install(app: FastAPI) -> None:
    """Serve the completed document at /openapi.json (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

"""The OpenAPI document: FastAPI's, completed with what the guard middleware and the error
handlers add to every operation (statuses, the error envelope, rate-limit headers) and with
examples from the seeds."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from slotbook.api.deps import SECURITY_SCHEMES
from slotbook.api.idempotency import KEYED_METHODS, MAX_KEY_LENGTH
from slotbook.api.middleware import PROTECTED_PREFIXES, UNCOUNTED_PATHS
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
    (400), a missing key (401, API paths), the rate limit (429), the key store down (503).
    The probes and the metrics pass the guard untouched."""
    if path in UNCOUNTED_PATHS:
        return ()
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


# Values of fields that state no example of their own, by field name, so a generated example
# reads as a real request (never "name": "text" or "workerId": 1.0). (schema, field) first.
_FIELD_EXAMPLES: dict[str, Any] = {
    "name": "Amadou Diallo",
    "description": "Passport issuance",
    "notes": "Bring the previous passport",
    "reason": "Annual vaccination",
    "cancellationNote": "The client asked to come another day",
    "qrCode": "QR-2Lq0v3W1cJ8cK1m3yqJbNw",
    "externalUserId": "customer_12345",
    "species": "dog",
    "url": "https://example.org/slotbook/events",
    "email": "awa@example.org",
    "phone": "06 12 34 56 78",
    "secondPhone": "06 98 76 54 32",
    "source": "our iPhone application",
    "timeZone": "Africa/Conakry",
    "workerId": 42,
    "departmentId": 5,
    "appointmentTypeId": 3,
    "clientId": 7,
    "patientId": 11,
    "capacity": 1,
    "slotCapacity": 4,
}
_SCHEMA_FIELD_EXAMPLES: dict[tuple[str, str], Any] = {
    ("DepartmentWrite", "name"): "Passport Service",
    ("AppointmentTypeRead", "name"): "Passport application",
    ("AppointmentTypeWrite", "name"): "Passport application",
    ("WorkerWrite", "name"): "Mariam Touré",
    ("WorkerRead", "name"): "Mariam Touré",
    ("PatientCreate", "name"): "Rex",
    ("PatientUpdate", "name"): "Rex",
    ("PatientRead", "name"): "Rex",
    ("WebhookCreate", "description"): "Our booking system",
    ("WebhookUpdate", "description"): "Our booking system",
    ("ClosureCreate", "reason"): "Public holiday",
    ("ScheduleExceptionCreate", "reason"): "Training day",
    ("PatientCreate", "notes"): "Allergic to penicillin",
    ("PatientUpdate", "notes"): "Allergic to penicillin",
    ("PatientRead", "notes"): "Allergic to penicillin",
    ("ClientCreate", "notes"): "Prefers morning appointments",
    ("ClientUpdate", "notes"): "Prefers morning appointments",
    ("ClientRead", "notes"): "Prefers morning appointments",
    ("ClientUpdate", "name"): "Awa Camara",
    ("ClientRead", "name"): "Awa Camara",
    ("ClientInline", "name"): "Awa Camara",
}


def _named(schema: dict[str, Any], owner: str | None, field: str | None) -> Any:
    """The example of a field by its name, if it is of the field's type; else None."""
    if field is None:
        return None
    value = _SCHEMA_FIELD_EXAMPLES.get((owner or "", field), _FIELD_EXAMPLES.get(field))
    kinds = {schema.get("type")} | {o.get("type") for o in schema.get("anyOf", [])}
    if isinstance(value, str) and "string" in kinds and "format" not in schema:
        return value
    if isinstance(value, int) and kinds & {"integer", "array"}:
        return value
    return None


def example_of(
    schema: dict[str, Any],
    components: dict[str, Any],
    depth: int = 0,
    owner: str | None = None,
    field: str | None = None,
) -> Any:
    """An example built from a JSON schema: each field's own `examples`, else its default,
    else a value by the field's name, else its first enum value, else a placeholder of its
    type. Operations without a hand-written example get one this way, so every example in the
    document stays checked by its schema."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return example_of(components[name], components, depth, name, field)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    named = _named(schema, owner, field)
    if named is not None and schema.get("type") != "array":
        return named
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return example_of(options[0], components, depth, owner, field)
    kind = schema.get("type", "object")
    if kind == "object":
        if depth > 6:
            return {}
        properties = schema.get("properties", {})
        return {
            name: example_of(sub, components, depth + 1, owner, name)
            for name, sub in properties.items()
            if name in schema.get("required", properties)
        }
    if kind == "array":
        item = _FIELD_EXAMPLES.get(field.removesuffix("s")) if field else None
        if isinstance(item, int) and schema.get("items", {}).get("type") == "integer":
            return [item]
        return [example_of(schema.get("items", {}), components, depth + 1, owner)]
    if kind == "string" and schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    if kind == "integer" and "minimum" in schema:
        return int(schema["minimum"])  # JSON Schema may state it as 1.0
    if kind == "number" and "minimum" in schema:
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
        # Every counted answer carries the rate-limit headers, except the key-store outage
        # (503), which is answered before the request is counted.
        if status != 503 and path not in UNCOUNTED_PATHS:
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

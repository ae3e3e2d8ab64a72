"""The OpenAPI document: complete, exported to docs/openapi.json, and shown offline at /docs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema_rs import Draft202012Validator

from slotbook.api.middleware import UNCOUNTED_PATHS
from slotbook.api.openapi_export import DEFAULT_PATH, document, render

ROOT = Path(__file__).resolve().parents[2]
SPEC = document()
OPERATIONS = [
    (method, path, operation)
    for path, operations in SPEC["paths"].items()
    for method, operation in operations.items()
]


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": SPEC["components"]})


def test_docs_openapi_json_is_up_to_date() -> None:
    exported = (ROOT / DEFAULT_PATH).read_text(encoding="utf-8")
    assert exported == render(SPEC), "docs/openapi.json is stale: run `make openapi`"


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_every_operation_is_complete(method: str, path: str, operation: dict[str, Any]) -> None:
    assert operation["summary"]
    assert operation["description"]
    responses = operation["responses"]
    # The probes and the metrics pass the guard uncounted: no guard statuses, no rate headers.
    counted = path not in UNCOUNTED_PATHS
    expected_errors = {"400", "429", "503"} if counted else set()
    if path.startswith("/api/"):
        expected_errors |= {"401", "403"}
    assert expected_errors <= set(responses)
    # Validation errors are 400 with the envelope: no FastAPI 422 (HTTPValidationError); a 422
    # is a declared refusal (a booking rule, a reused Idempotency-Key) with the envelope.
    assert "HTTPValidationError" not in json.dumps(responses)
    if "422" in responses:
        assert responses["422"]["description"] != "Validation Error"
    if method in ("post", "patch", "delete") and path.startswith("/api/"):
        assert {"409", "422"} <= set(responses)
        assert "Idempotency-Key" in {
            p["name"] for p in operation["parameters"] if p["in"] == "header"
        }
    if path.startswith("/api/"):
        schemes = {name for requirement in operation["security"] for name in requirement}
        assert schemes == {"APIKeyHeader", "APIKeyQuery", "HTTPBasic"}
    for status, response in responses.items():
        headers = set(response.get("headers", {}))
        if status != "503" and counted:
            assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= headers
        if status == "429":
            assert "Retry-After" in headers
        if int(status) >= 400:
            media = response["content"]["application/json"]
            assert media["schema"] == {"$ref": "#/components/schemas/ErrorEnvelope"}
            _validator(media["schema"]).validate(media["example"])


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_examples_match_their_schemas(method: str, path: str, operation: dict[str, Any]) -> None:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None:
        _validator(body["schema"]).validate(body["example"])
    success = next(r for s, r in operation["responses"].items() if s.startswith("2"))
    media = success.get("content", {}).get("application/json")
    if media is not None and "schema" in media:
        _validator(media["schema"]).validate(media["example"])


def test_security_schemes() -> None:
    schemes = SPEC["components"]["securitySchemes"]
    assert schemes["APIKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": schemes["APIKeyHeader"]["description"],
    }
    assert schemes["APIKeyQuery"]["in"] == "query"
    assert schemes["HTTPBasic"]["scheme"] == "basic"


async def test_the_served_document_is_the_exported_one(client: httpx.AsyncClient) -> None:
    served = await client.get("/openapi.json")
    assert served.status_code == 200
    assert served.json() == json.loads(render(SPEC))


async def test_docs_page_works_without_a_cdn(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "/openapi.json" in html
    assert not re.search(r"(?:src|href)=[\"']?(?:https?:)?//", html), "external asset on /docs"
    assert '"validatorUrl": null' in html
    assets = re.findall(r"(?:src|href)=\"(/docs/assets/[^\"]+)\"", html)
    assert len(assets) == 3
    for asset in assets:
        response = await client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 500
    assert (await client.get("/redoc")).status_code == 404


def test_the_router_matched_first_takes_only_integer_ids() -> None:
    """api/app.py matches the bookings' router first: a path parameter of another type could
    capture the fixed paths (/appointments/types, ...) of the routers after it."""
    from starlette.convertors import IntegerConvertor
    from starlette.routing import BaseRoute

    from slotbook.api.routers import appointments

    routes: list[BaseRoute] = appointments.router.routes
    for route in routes:
        convertors = getattr(route, "param_convertors", {})
        assert all(isinstance(c, IntegerConvertor) for c in convertors.values()), route

"""Request ids, the JSON access log and GET /metrics (issue 21; docs/observability.md)."""

from __future__ import annotations

import importlib
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from slotbook.api.app import create_app
from slotbook.bootstrap import Container, build
from slotbook.config import Settings
from slotbook.infra.logs import logging_config
from tests.support import Tenant, future, make_tenant

ACCESS = "slotbook.access"
TOKEN = "metrics-secret-for-tests"


@asynccontextmanager
async def served(
    settings: Settings, client: tuple[str, int] = ("127.0.0.1", 5000)
) -> AsyncIterator[httpx.AsyncClient]:
    container = build(settings)
    transport = httpx.ASGITransport(
        app=create_app(container=container), raise_app_exceptions=False, client=client
    )
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        await container.aclose()


def json_formatter() -> logging.Formatter:
    """The formatter `slotbook serve` logs with."""
    spec = dict(logging_config("info", "json")["formatters"]["default"])
    module, _, name = spec.pop("()").rpartition(".")
    formatter: logging.Formatter = getattr(importlib.import_module(module), name)(**spec)
    return formatter


def access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == ACCESS]


# X-Request-Id


async def test_every_answer_carries_a_request_id(client: httpx.AsyncClient, tenant: Tenant) -> None:
    answers = [
        await client.get("/api/v1/departments", headers=tenant.headers),  # 200
        await client.get("/api/v1/departments"),  # 401 from the guard
        await client.get("/no/such/path"),  # 404
        await client.post("/api/v1/appointments", headers=tenant.headers, json={}),  # 400
        await client.get("/dashboard/login"),  # an HTML page
        await client.get("/health"),  # a probe
    ]
    ids = [a.headers.get("x-request-id") for a in answers]
    assert all(i and re.fullmatch(r"[0-9a-f]{32}", i) for i in ids), ids
    assert len(set(ids)) == len(ids)


async def test_error_bodies_carry_the_request_id_and_keep_the_envelope(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    for answer in (
        await client.get("/api/v1/departments"),
        await client.get("/no/such/path"),
        await client.get("/api/v1/departments/999999999", headers=tenant.headers),
        await client.post("/api/v1/appointments", headers=tenant.headers, json={}),
    ):
        body = answer.json()
        assert {"code", "message", "timestamp"} <= body.keys()
        assert body["requestId"] == answer.headers["x-request-id"]


async def test_a_rate_limited_answer_carries_the_request_id(test_settings: Settings) -> None:
    async with served(test_settings.model_copy(update={"anonymous_rate_limit": 1})) as http:
        await http.get("/openapi.json")
        refused = await http.get("/openapi.json", headers={"X-Request-Id": "trace-429"})
    assert refused.status_code == 429
    assert refused.headers["x-request-id"] == "trace-429"
    assert refused.json()["requestId"] == "trace-429"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("abc-123_DEF.456", True),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("has space", False),
        ('quote"d', False),
        ("é", False),
        ("", False),
    ],
)
async def test_a_request_id_is_taken_only_when_short_and_safe(
    client: httpx.AsyncClient, given: str, kept: bool
) -> None:
    answer = await client.get("/health", headers={"X-Request-Id": given.encode("utf-8")})  # type: ignore[dict-item]
    returned = answer.headers["x-request-id"]
    if kept:
        assert returned == given
    else:
        assert returned != given
        assert re.fullmatch(r"[0-9a-f]{32}", returned)


# The access log


async def test_one_access_line_per_request_with_the_key_prefix_never_the_key(
    client: httpx.AsyncClient, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS)
    answer = await client.get(
        f"/api/v1/departments/{tenant.department_id}",
        headers={**tenant.headers, "X-Request-Id": "req-one"},
    )
    assert answer.status_code == 200
    lines = access_lines(caplog)
    assert len(lines) == 1
    line: Any = lines[0]
    assert line.method == "GET"
    assert line.route == "/api/v1/departments/{department_id}"
    assert line.status == 200
    assert 0 < line.duration_ms < 60_000
    assert line.key_prefix == tenant.key[:12]
    assert line.organization_id == tenant.organization_id
    assert line.request_id == "req-one"
    text = json_formatter().format(line)
    assert tenant.key not in text
    record = json.loads(text)
    assert record["route"] == "/api/v1/departments/{department_id}"
    assert record["status"] == 200
    assert record["key_prefix"] == tenant.key[:12]
    assert record["request_id"] == "req-one"
    assert record["level"] == "INFO"
    assert "time" in record


async def test_refused_requests_are_logged_with_their_route_and_code(
    client: httpx.AsyncClient, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS)
    await client.get("/api/v1/departments/12")  # no key: the guard refuses before routing
    await client.get("/api/v1/nowhere/7", headers=tenant.headers)
    first, second = access_lines(caplog)
    assert (first.route, first.status, first.error_code) == (  # type: ignore[attr-defined]
        "/api/v1/departments/{department_id}",
        401,
        "UNAUTHORIZED",
    )
    assert (second.route, second.status) == ("unmatched", 404)  # type: ignore[attr-defined]


async def test_a_client_that_goes_away_is_no_unexpected_error(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sent: list[dict[str, Any]] = []

    async def gone() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/dashboard/login",
        "raw_path": b"/dashboard/login",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", b"100"),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    await app(scope, gone, send)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if r.exc_info]
    (line,) = access_lines(caplog)
    assert line.status == 499  # type: ignore[attr-defined]


# GET /metrics


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition text (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        series, _, value = line.rpartition(" ")
        head, _, rest = series.partition("{")
        if head != name:
            continue
        given = ",".join(sorted(rest.rstrip("}").split(","))) if rest else ""
        if given == wanted:
            return float(value)
    return 0.0


async def test_metrics_are_off_unless_configured(client: httpx.AsyncClient) -> None:
    answer = await client.get("/metrics")
    assert answer.status_code == 403
    assert answer.json()["code"] == "FORBIDDEN"


async def test_metrics_need_the_token(test_settings: Settings) -> None:
    async with served(test_settings.model_copy(update={"metrics_token": TOKEN})) as http:
        assert (await http.get("/metrics")).status_code == 401
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        right = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 200
        assert right.headers["content-type"].startswith("text/plain")


async def test_metrics_from_allowed_addresses_only(test_settings: Settings) -> None:
    settings = test_settings.model_copy(
        update={"metrics_allowed_addresses": "10.0.0.0/8, 127.0.0.1", "anonymous_rate_limit": 1}
    )
    async with served(settings) as http:
        # Never rate limited either: the anonymous budget of 1 is far behind.
        assert [(await http.get("/metrics")).status_code for _ in range(3)] == [200] * 3
    async with served(settings, client=("203.0.113.5", 5000)) as http:
        assert (await http.get("/metrics")).status_code == 403


async def test_metrics_count_requests_bookings_refusals_and_credits(
    test_settings: Settings, container: Container
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with served(test_settings.model_copy(update={"metrics_token": TOKEN})) as http:
        tenant = await make_tenant(container.services)
        broke = await make_tenant(container.services, credits=0)
        before = (await http.get("/metrics", headers=auth)).text
        body = {"departmentId": tenant.department_id, "dateTime": future(), "name": "A B"}
        booked = await http.post("/api/v1/appointments", headers=tenant.headers, json=body)
        assert booked.status_code == 201, booked.text
        body["departmentId"] = broke.department_id
        refused = await http.post("/api/v1/appointments", headers=broke.headers, json=body)
        assert refused.json()["code"] == "INSUFFICIENT_CREDITS"
        await http.get("/api/v1/departments", headers=tenant.headers)
        after = (await http.get("/metrics", headers=auth)).text

    def grew(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("slotbook_bookings_total", outcome="BOOKED") == 1
    assert grew("slotbook_bookings_total", outcome="INSUFFICIENT_CREDITS") == 1
    assert grew("slotbook_credits_consumed_total") == 1
    route = {"method": "GET", "route": "/api/v1/departments", "status": "200"}
    assert grew("slotbook_http_requests_total", **route) == 1
    assert grew("slotbook_http_request_duration_seconds_count", **route) == 1
    created = {"method": "POST", "route": "/api/v1/appointments", "status": "201"}
    assert grew("slotbook_http_requests_total", **created) == 1
    for gauge in (
        "slotbook_webhook_queue_depth",
        "slotbook_webhook_delivery_lag_seconds",
        "slotbook_reminder_backlog",
    ):
        assert re.search(rf"^{gauge} \d", after, flags=re.M), gauge
    if container.engine.dialect.name == "postgresql":
        assert sample(after, "slotbook_db_pool_connections", state="limit") >= 1

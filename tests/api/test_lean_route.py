"""BookingRoute (api/lean_route.py) answers every request as FastAPI's own handler of the
same endpoint would: the same status, error code and message, valid or malformed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from slotbook.api.app import create_app
from slotbook.api.lean_route import BookingRoute
from slotbook.bootstrap import Container
from tests.support import Tenant, future

URL = "/api/v1/appointments"


def _requests(tenant: Tenant) -> list[dict[str, Any]]:
    json_type = {**tenant.headers, "Content-Type": "application/json"}
    valid = {"departmentId": tenant.department_id, "dateTime": future(60), "name": "Ada"}
    return [
        {"json": valid},
        {"json": valid, "params": {"lang": "fr"}},
        {"json": valid, "params": {"lang": "de"}},
        {"content": b'{"departmentId": 1,', "headers": json_type},
        {"content": b"", "headers": json_type},
        {"content": b"\xff\xfe", "headers": json_type},
        {"content": b'{"a": NaN}', "headers": json_type},
        {"content": b"[1, 2]", "headers": json_type},
        {"content": b"null", "headers": json_type},
        {"content": b'{"name": "x"}', "headers": {**tenant.headers, "Content-Type": "text/plain"}},
        {
            "content": b'{"name": "x"}',
            "headers": {**tenant.headers, "Content-Type": "application/vnd.x+json"},
        },
        {"content": b'{"name": "x"}', "headers": tenant.headers},
        {"json": {**valid, "name": 5}},
        {"json": {**valid, "departmentId": 10**30}},
        {"json": {**valid, "departmentId": True}},
        {"json": {**valid, "dateTime": "yesterday"}},
        {"json": {**valid, "surprise": 1}},
        {"json": {**valid, "name": "a\x00b"}},
        {"json": {k: v for k, v in valid.items() if k != "name"}},
        {"json": {**valid, "dateTime": "2001-01-01T10:00:00"}},
    ]


def _answer(response: httpx.Response) -> tuple[int, Any]:
    body = response.json()
    if response.status_code == 201:
        return 201, sorted(body)
    return response.status_code, (body.get("code"), body.get("message"), body.get("details"))


async def test_the_lean_handler_answers_as_fastapi_does(
    container: Container, client: httpx.AsyncClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = _requests(tenant)
    lean = [await _post(client, tenant, case) for case in cases]
    # A twin app whose booking route has FastAPI's own handler (a route's handler is made when
    # an app first routes to it).
    monkeypatch.setattr(BookingRoute, "get_route_handler", APIRoute.get_route_handler)
    twin = httpx.ASGITransport(app=create_app(container=container), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=twin, base_url="http://testserver") as plain_client:
        plain = [await _post(plain_client, tenant, case) for case in cases]
    assert lean == plain
    assert [status for status, _ in lean].count(201) == 2


async def _post(client: httpx.AsyncClient, tenant: Tenant, case: dict[str, Any]) -> tuple[int, Any]:
    return _answer(await client.post(URL, **{"headers": tenant.headers, **case}))


async def test_a_plain_handler_is_not_what_serves_bookings(
    client: httpx.AsyncClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison above would prove nothing if the app never used BookingRoute."""
    calls: list[str] = []
    original = BookingRoute.get_route_handler

    def counting(route: BookingRoute) -> Any:
        handler = original(route)

        async def counted(request: Any) -> Any:
            calls.append(request.url.path)
            return await handler(request)

        return counted

    monkeypatch.setattr(BookingRoute, "get_route_handler", counting)
    app = create_app(container=client._transport.app.state.container)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as fresh:
        await _post(
            fresh,
            tenant,
            {"json": {"departmentId": tenant.department_id, "dateTime": future(61), "name": "Ada"}},
        )
    assert calls == [URL]

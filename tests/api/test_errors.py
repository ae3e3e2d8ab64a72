"""Bad input never changes anything and always gets the {code, message, timestamp} envelope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.support import Tenant, future

URL = "/api/v1/appointments"


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["message"]
    assert body["timestamp"].endswith("Z")
    assert "Traceback" not in response.text
    return body


async def appointment_count(client: httpx.AsyncClient, tenant: Tenant) -> int:
    listing = await client.get(URL, headers=tenant.headers)
    return int(listing.json()["totalElements"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dateTime": future(), "name": "A"}, "departmentId"),
        ({"departmentId": "x", "dateTime": future(), "name": "A"}, "departmentId"),
        ({"departmentId": 1.5, "dateTime": future(), "name": "A"}, "departmentId"),
        ({"departmentId": 10**30, "dateTime": future(), "name": "A"}, "departmentId"),
        ({"departmentId": -4, "dateTime": future(), "name": "A"}, "departmentId"),
        ({"departmentId": 1, "dateTime": "tomorrow", "name": "A"}, "dateTime"),
        ({"departmentId": 1, "dateTime": future(), "name": ""}, "name"),
        ({"departmentId": 1, "dateTime": future(), "name": "A\u0000B"}, "name"),
        ({"departmentId": 1, "dateTime": future(), "name": "x" * 201}, "name"),
        ({"departmentId": 1, "dateTime": future(), "name": "A", "credits": 9}, "credits"),
        ({"departmentId": 1, "dateTime": future(), "name": "A", "workerId": "w"}, "workerId"),
    ],
)
async def test_invalid_bodies(
    client: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any], field: str
) -> None:
    response = await client.post(URL, headers=tenant.headers, json=body)
    envelope = assert_envelope(response, 400, "INVALID_REQUEST")
    assert envelope["details"][0]["field"] == field
    assert field in envelope["message"]
    assert await appointment_count(client, tenant) == 0


@pytest.mark.parametrize("raw", [b"{bad json", b"[]", b"null", b'"text"', b"", b"\xff\xfe"])
async def test_malformed_json(client: httpx.AsyncClient, tenant: Tenant, raw: bytes) -> None:
    headers = {**tenant.headers, "Content-Type": "application/json"}
    response = await client.post(URL, headers=headers, content=raw)
    assert_envelope(response, 400, "INVALID_REQUEST")
    assert await appointment_count(client, tenant) == 0


async def test_far_future_and_far_past_dates(client: httpx.AsyncClient, tenant: Tenant) -> None:
    for when in ("9999-12-31T23:59:59", "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"):
        response = await client.post(
            URL,
            headers=tenant.headers,
            json={"departmentId": tenant.department_id, "dateTime": when, "name": "A"},
        )
        assert response.status_code in (201, 400), response.text


async def test_oversized_body_with_content_length(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    big = b'{"name": "' + b"a" * 2_000_000 + b'"}'
    headers = {**tenant.headers, "Content-Type": "application/json"}
    response = await client.post(URL, headers=headers, content=big)
    body = assert_envelope(response, 400, "INVALID_REQUEST")
    assert "larger than" in body["message"]


async def test_oversized_chunked_body(client: httpx.AsyncClient, tenant: Tenant) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(40):
            yield b"a" * 65_536
        yield b'"}'

    headers = {**tenant.headers, "Content-Type": "application/json"}
    response = await client.post(URL, headers=headers, content=chunks())
    body = assert_envelope(response, 400, "INVALID_REQUEST")
    assert "larger than" in body["message"]


async def test_unknown_route_and_method(client: httpx.AsyncClient, tenant: Tenant) -> None:
    assert_envelope(await client.get("/api/v1/nothing", headers=tenant.headers), 404, "NOT_FOUND")
    assert_envelope(await client.get("/nothing"), 404, "NOT_FOUND")
    assert_envelope(
        await client.put(f"{URL}/1", headers=tenant.headers, json={}), 405, "METHOD_NOT_ALLOWED"
    )


@pytest.mark.parametrize("path", [f"{URL}/0", f"{URL}/99999999999999999999"])
async def test_out_of_range_ids(client: httpx.AsyncClient, tenant: Tenant, path: str) -> None:
    assert_envelope(await client.get(path, headers=tenant.headers), 400, "INVALID_REQUEST")


async def test_a_non_numeric_id_names_no_endpoint(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    # Appointment ids are integers; /appointments/types and friends are their own endpoints.
    assert_envelope(await client.get(f"{URL}/abc", headers=tenant.headers), 404, "NOT_FOUND")
    refused = await client.patch(f"{URL}/types", headers=tenant.headers, json={})
    assert_envelope(refused, 405, "METHOD_NOT_ALLOWED")


async def test_unexpected_failure_is_an_enveloped_500(
    client: httpx.AsyncClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slotbook.application import appointments

    async def explode(*_args: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(appointments, "get_appointment", explode)
    response = await client.get(f"{URL}/1", headers=tenant.headers)
    body = assert_envelope(response, 500, "INTERNAL_ERROR")
    assert "secret internal detail" not in response.text
    assert body["message"] == "Internal server error"

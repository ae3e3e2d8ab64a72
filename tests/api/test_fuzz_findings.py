"""Regressions for what fuzzing the OpenAPI document found: each was a 500, a wrong answer, or
a disagreement between the document and the validators."""

from __future__ import annotations

import httpx
import pytest

from tests.support import Tenant, future

APPOINTMENTS = "/api/v1/appointments"


@pytest.mark.parametrize(
    ("path", "allow"),
    [(APPOINTMENTS, "GET, HEAD, POST"), (f"{APPOINTMENTS}/1", "DELETE, GET, HEAD, PATCH")],
)
async def test_405_allows_every_method_of_the_resource(
    client: httpx.AsyncClient, tenant: Tenant, path: str, allow: str
) -> None:
    response = await client.request("PUT", path, headers=tenant.headers)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"


async def _book(client: httpx.AsyncClient, tenant: Tenant, **fields: object) -> httpx.Response:
    body = {"departmentId": tenant.department_id, "dateTime": future(), "name": "A", **fields}
    return await client.post(APPOINTMENTS, headers=tenant.headers, json=body)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Jean\x00Dupont", "control characters are not allowed"),
        ("\x1f", "control characters are not allowed"),
        ("   ", "must not be blank"),
        ("a" + " " * 200, "at most 200 characters"),
    ],
)
async def test_text_the_document_forbids_is_refused(
    client: httpx.AsyncClient, tenant: Tenant, name: str, message: str
) -> None:
    response = await _book(client, tenant, name=name)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert response.json()["details"][0]["field"] == "name"


async def test_lone_surrogates_are_refused_before_the_database(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    # Valid JSON text, but not Unicode that PostgreSQL (or any UTF-8 consumer) can store.
    body = (
        f'{{"departmentId": {tenant.department_id}, "dateTime": "{future()}", "name": "\\ud800"}}'
    )
    response = await client.post(
        APPOINTMENTS,
        headers={**tenant.headers, "Content-Type": "application/json"},
        content=body.encode(),
    )
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "name"


async def test_text_is_stripped(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await _book(client, tenant, name="  Jean\tDupont  ")
    assert response.status_code == 201
    assert response.json()["name"] == "Jean\tDupont"


@pytest.mark.parametrize("value", ["0.5", 1_900_000_000, "tomorrow"])
async def test_date_times_must_be_iso_8601(
    client: httpx.AsyncClient, tenant: Tenant, value: object
) -> None:
    created = await _book(client, tenant, dateTime=value)
    assert created.status_code == 400
    assert "ISO 8601" in created.json()["message"]
    listed = await client.get(APPOINTMENTS, headers=tenant.headers, params={"endDate": "0.5"})
    assert listed.status_code == 400


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-30T23:59:59-23:59",
        "9999-12-31T23:00:00",
        "0001-01-01T00:00:00+01:00",
        "0001-01-02T10:00:00+14:00",
        "1899-12-31T23:59:59",
        "9001-01-01T00:00:00",
    ],
)
async def test_date_times_at_the_ends_of_the_calendar_are_refused_not_crashed_on(
    client: httpx.AsyncClient, tenant: Tenant, value: str
) -> None:
    created = await _book(client, tenant, dateTime=value)
    assert created.status_code == 400
    assert "out of range" in created.json()["message"]
    for name in ("startDate", "endDate"):
        listed = await client.get(APPOINTMENTS, headers=tenant.headers, params={name: value})
        assert listed.status_code == 400


async def test_the_last_accepted_day_books(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await _book(client, tenant, dateTime="9000-12-31T23:59:59-23:59")
    assert response.status_code == 201, response.text
    listed = await client.get(
        APPOINTMENTS, headers=tenant.headers, params={"startDate": "9000-12-31T00:00:00+14:00"}
    )
    assert (listed.status_code, listed.json()["totalElements"]) == (200, 1)

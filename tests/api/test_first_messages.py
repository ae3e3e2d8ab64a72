"""The error messages a new user meets first say what to change (issue 22)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from tests.api.test_errors import assert_envelope
from tests.scheduling_support import WEEK, set_worker_hours
from tests.support import Tenant, book, future

URL = "/api/v1/appointments"


def _body(tenant: Tenant) -> bytes:
    return (
        f'{{"departmentId": {tenant.department_id}, "dateTime": "{future()}", "name": "A"}}'
    ).encode()


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data", None]
)
async def test_a_body_without_the_json_header_is_told_to_send_it(
    client: httpx.AsyncClient, tenant: Tenant, content_type: str | None
) -> None:
    headers = dict(tenant.headers)
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = await client.post(URL, headers=headers, content=_body(tenant))
    body = assert_envelope(response, 400, "INVALID_REQUEST")
    assert "Content-Type: application/json" in body["message"], body
    assert "dictionary" not in body["message"]
    assert (content_type or "no Content-Type") in body["message"]


async def test_the_json_header_hint_on_other_routes_too(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    booked = await book(client, tenant, future())
    headers = {**tenant.headers, "Content-Type": "text/plain"}
    response = await client.patch(
        f"{URL}/{booked['id']}", headers=headers, content=b'{"notes": "x"}'
    )
    body = assert_envelope(response, 400, "INVALID_REQUEST")
    assert "Content-Type: application/json" in body["message"]


async def test_a_missing_body_is_named(client: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = {**tenant.headers, "Content-Type": "application/json"}
    response = await client.post(URL, headers=headers)
    body = assert_envelope(response, 400, "INVALID_REQUEST")
    assert "JSON request body is required" in body["message"]


@pytest.mark.parametrize(
    "fields",
    [
        {"dateTime": "tomorrow"},
        {"name": " "},
        {"name": "A\u0000B"},
        {"dateTime": "1800-01-01T10:00:00"},
    ],
)
async def test_no_pydantic_prefix_in_messages(
    client: httpx.AsyncClient, tenant: Tenant, fields: dict[str, str]
) -> None:
    payload = {"departmentId": tenant.department_id, "dateTime": future(), "name": "A", **fields}
    response = await client.post(URL, headers=tenant.headers, json=payload)
    assert_envelope(response, 400, "INVALID_REQUEST")
    assert "Value error" not in response.text
    assert "Assertion failed" not in response.text


async def test_an_unknown_sort_is_called_a_sort(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await client.get(URL, headers=tenant.headers, params={"sort": "foo:up"})
    message = assert_envelope(response, 400, "INVALID_REQUEST")["message"]
    assert "filter" not in message
    assert message.startswith("Invalid sort 'foo:up'")
    assert "dateTime" in message  # the sortable fields are listed
    response = await client.get(URL, headers=tenant.headers, params={"sort": "dateTime:up"})
    message = assert_envelope(response, 400, "INVALID_REQUEST")["message"]
    assert "'up'" in message
    assert "asc or desc" in message


@pytest.mark.parametrize(
    ("q", "operator"),
    [("name:like x", "'like'"), ("name:>a", "'>'"), ("id:!=3", "'!='"), ("isUrgent:~t", "'~'")],
)
async def test_the_operator_is_named_whole(
    client: httpx.AsyncClient, tenant: Tenant, q: str, operator: str
) -> None:
    response = await client.get(URL, headers=tenant.headers, params={"q[]": q})
    message = assert_envelope(response, 400, "INVALID_REQUEST")["message"]
    assert f"Operator {operator} is not allowed" in message, message


async def test_a_missing_operator_is_named(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await client.get(URL, headers=tenant.headers, params={"q[]": "name:"})
    message = assert_envelope(response, 400, "INVALID_REQUEST")["message"]
    assert message == "Filter 'name:' has no operator after name:; use one of =, ~"


async def test_an_unknown_filter_field_quotes_the_filter(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    response = await client.get(URL, headers=tenant.headers, params={"q[]": "colour:=red"})
    message = assert_envelope(response, 400, "INVALID_REQUEST")["message"]
    assert message.startswith("Unknown filter field 'colour' in q[]='colour:=red'")


async def test_a_date_without_a_time_is_refused(client: httpx.AsyncClient, tenant: Tenant) -> None:
    day = future()[:10]
    payload = {"departmentId": tenant.department_id, "dateTime": day, "name": "A"}
    response = await client.post(URL, headers=tenant.headers, json=payload)
    body = assert_envelope(response, 400, "INVALID_REQUEST")
    assert body["details"][0]["field"] == "dateTime"
    assert "without a time" in body["message"]
    assert f"{day}T10:00:00" in body["message"]
    booked = await book(client, tenant, future())
    moved = await client.patch(
        f"{URL}/{booked['id']}", headers=tenant.headers, json={"dateTime": day}
    )
    assert "without a time" in assert_envelope(moved, 400, "INVALID_REQUEST")["message"]


async def test_outside_hours_says_what_the_hours_are(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id, "09:00", "11:30")
    when = future(5, 12)
    weekday = WEEK[date.fromisoformat(when[:10]).weekday()].capitalize()
    payload = {"departmentId": tenant.staffed_department_id, "dateTime": when, "name": "A"}
    payload["workerId"] = tenant.worker_id  # type: ignore[assignment]
    response = await client.post(URL, headers=tenant.headers, json=payload)
    assert response.status_code == 409, response.text
    message = response.json()["message"]
    assert "(12:00-12:30)" in message
    assert f"{weekday} 09:00-11:30 (Europe/Paris)" in message, message


async def test_a_start_date_with_a_time_works_on_both_lists(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    start = (date.today() + timedelta(days=2)).isoformat()
    for value in (start, f"{start}T00:00:00"):
        listed = await client.get(URL, headers=tenant.headers, params={"startDate": value})
        assert listed.status_code == 200, listed.text
        slots = await client.get(
            f"{URL}/available-slots",
            headers=tenant.headers,
            params={"departmentId": tenant.department_id, "startDate": value},
        )
        assert slots.status_code == 200, slots.text
        assert slots.json()["startDate"] == start
    refused = await client.get(
        f"{URL}/available-slots",
        headers=tenant.headers,
        params={"departmentId": tenant.department_id, "startDate": "next week"},
    )
    message = assert_envelope(refused, 400, "INVALID_REQUEST")["message"]
    assert "must be a date, e.g. 2027-02-15" in message


async def test_an_end_date_covers_its_whole_day(client: httpx.AsyncClient, tenant: Tenant) -> None:
    booked = await book(client, tenant, future(9, 15))
    day = booked["dateTime"][:10]
    for params in ({"endDate": day}, {"startDate": day, "endDate": day}):
        listed = await client.get(URL, headers=tenant.headers, params=params)
        assert listed.status_code == 200, listed.text
        assert [a["id"] for a in listed.json()["appointments"]] == [booked["id"]], params
    before = await client.get(URL, headers=tenant.headers, params={"endDate": f"{day}T14:59:00"})
    assert before.json()["appointments"] == []

"""Dates outside the supported years (domain/limits.py) are a 400 INVALID_REQUEST on every
endpoint that takes one, never a 500 (issue 21, F1); dates and midnight date-times are read
alike by the slot list and the appointment list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slotbook.domain.limits import MAX_YEAR, MIN_YEAR
from tests.support import Tenant, make_tenant

SLOTS = "/api/v1/appointments/available-slots"
APPOINTMENTS = "/api/v1/appointments"
# A zone with DST rules and no end to them: the last days of year 9999 overflow there.
ZONE = "EST5EDT"
EDGES = ["0001-01-01", "0001-01-02", "1899-12-31", "9001-01-01", "9999-12-30", "9999-12-31"]

_OUTSIDE = st.one_of(
    st.dates(max_value=date(MIN_YEAR - 1, 12, 31)),
    st.dates(min_value=date(MAX_YEAR + 1, 1, 1)),
)


@pytest.fixture
async def eastern(tenant: Tenant) -> Tenant:
    """A tenant whose departments are in EST5EDT."""
    return await make_tenant(tenant.services, time_zone=ZONE)


def refused(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == "INVALID_REQUEST"
    assert {"code", "message", "timestamp"} <= set(body)


def availability_queries(tenant: Tenant, day: str) -> list[tuple[str, dict[str, str]]]:
    department = str(tenant.staffed_department_id)
    return [
        (
            f"/api/v1/departments/{department}/availability",
            {"startDate": day, "endDate": day},
        ),
        (SLOTS, {"departmentId": department, "startDate": day, "endDate": day}),
        (SLOTS, {"departmentId": department, "startDate": day}),
        (SLOTS, {"departmentId": department, "endDate": day}),
    ]


@pytest.mark.parametrize("day", EDGES)
async def test_slot_lists_refuse_dates_out_of_range(
    client: httpx.AsyncClient, eastern: Tenant, day: str
) -> None:
    for path, params in availability_queries(eastern, day):
        refused(await client.get(path, headers=eastern.headers, params=params))


@pytest.mark.parametrize("day", EDGES)
async def test_the_treats_dialect_refuses_dates_out_of_range(
    client: httpx.AsyncClient, eastern: Tenant, day: str
) -> None:
    department = await client.get(
        f"/api/v1/departments/{eastern.staffed_department_id}", headers=eastern.headers
    )
    clinic = department.json()["uuid"]
    for params in ({"date": day}, {"startDate": day, "endDate": day}):
        response = await client.get(
            "/compat/treats/api/v1/appointments/available-slots",
            headers=eastern.headers,
            params={"clinicId": clinic, **params},
        )
        refused(response)


@pytest.mark.parametrize("day", EDGES)
async def test_listing_filters_and_bookings_refuse_dates_out_of_range(
    client: httpx.AsyncClient, eastern: Tenant, day: str
) -> None:
    for params in (
        {"startDate": day},
        {"endDate": f"{day}T00:00:00"},
        {"q[]": f"dateTime:>={day}T00:00:00"},
        {"q[]": f"createdAt:<{day}T12:00:00"},
    ):
        refused(await client.get(APPOINTMENTS, headers=eastern.headers, params=params))
    body = {"departmentId": eastern.department_id, "dateTime": f"{day}T10:00:00", "name": "A"}
    refused(await client.post(APPOINTMENTS, headers=eastern.headers, json=body))
    explained = await client.get(
        f"{SLOTS}/explain",
        headers=eastern.headers,
        params={"departmentId": str(eastern.department_id), "dateTime": f"{day}T10:00:00"},
    )
    refused(explained)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(day=_OUTSIDE, span=st.integers(min_value=0, max_value=3))
async def test_any_date_out_of_range_is_a_400_on_the_slot_list(
    client: httpx.AsyncClient, eastern: Tenant, day: date, span: int
) -> None:
    # The other end may lie inside the range: one date out of it is enough to refuse.
    other = day + timedelta(days=span) if day.year < MIN_YEAR else day - timedelta(days=span)
    first, last = sorted((day, other))
    response = await client.get(
        SLOTS,
        headers=eastern.headers,
        params={
            "departmentId": str(eastern.staffed_department_id),
            "startDate": first.isoformat(),
            "endDate": last.isoformat(),
        },
    )
    refused(response)


@pytest.mark.parametrize("day", ["1900-01-01", "9000-12-24"])
async def test_the_first_and_last_supported_days_list_their_slots(
    client: httpx.AsyncClient, eastern: Tenant, day: str
) -> None:
    for path, params in availability_queries(eastern, day)[:2]:
        response = await client.get(path, headers=eastern.headers, params=params)
        assert response.status_code == 200, response.text


async def test_a_midnight_date_time_reads_as_its_date_on_both_lists(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    department = str(tenant.staffed_department_id)
    for value in ("2027-03-01", "2027-03-01T00:00:00"):
        slots = await client.get(
            SLOTS,
            headers=tenant.headers,
            params={"departmentId": department, "startDate": value, "endDate": value},
        )
        assert slots.status_code == 200, slots.text
        assert (slots.json()["startDate"], slots.json()["endDate"]) == ("2027-03-01",) * 2
        listed = await client.get(APPOINTMENTS, headers=tenant.headers, params={"startDate": value})
        assert listed.status_code == 200, listed.text


@pytest.mark.parametrize(
    "value",
    ["2027-03-01T10:00", "2027-03-01T00:00:00+01:00", "20270301", "2027-W09-1", "2027-02-30"],
)
async def test_what_is_not_a_date_in_the_documented_form_is_refused(
    client: httpx.AsyncClient, tenant: Tenant, value: str
) -> None:
    response = await client.get(
        SLOTS,
        headers=tenant.headers,
        params={"departmentId": str(tenant.staffed_department_id), "startDate": value},
    )
    refused(response)

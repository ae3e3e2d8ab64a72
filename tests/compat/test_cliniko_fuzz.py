"""Malformed requests to /compat/cliniko never give a 500 (hypothesis, on SQLite and
PostgreSQL): any method, path, query and body, with and without a valid key."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slotbook.api.app import create_app
from slotbook.application.access import ALL_SCOPES
from slotbook.bootstrap import Container, build
from slotbook.config import Settings
from tests.sdk.servers import serve
from tests.support import TestClock, make_tenant, utc_text

MAX_EXAMPLES = int(os.environ.get("SLOTBOOK_FUZZ_EXAMPLES", "60"))
IA = "/compat/cliniko/individual_appointments"

FIELDS = [
    "appointment_type_id",
    "business_id",
    "ends_at",
    "notes",
    "patient_case_id",
    "patient_id",
    "practitioner_id",
    "repeat_rule",
    "starts_at",
    "cancellation_reason",
    "cancellation_note",
    "apply_to_repeats",
    "repeat_type",
    "repeating_interval",
    "number_of_repeats",
]


@dataclass(frozen=True)
class Target:
    url: str
    key: str
    ids: dict[str, int]


@pytest.fixture(scope="module")
def served(test_settings: Settings) -> Iterator[str]:
    app = create_app(container=build(test_settings, clock=TestClock()))
    with serve(app) as url:
        yield url


@pytest.fixture
async def target(served: str, container: Container, client: httpx.AsyncClient) -> Target:
    tenant = await make_tenant(container.services, credits=100_000)
    patient = await client.post("/api/v1/clients", headers=tenant.headers, json={"name": "Joe"})
    booked = await client.post(
        "/api/v1/appointments",
        headers=tenant.headers,
        json={
            "departmentId": tenant.department_id,
            "dateTime": "2030-03-04T10:00:00",
            "clientId": patient.json()["id"],
        },
    )
    assert booked.status_code == 201, booked.text
    ids = {
        "appointment": booked.json()["id"],
        "business": tenant.department_id,
        "practitioner": tenant.worker_id,
        "patient": patient.json()["id"],
    }
    key = await tenant.key_with(*ALL_SCOPES, rate_limit=10**7)
    return Target(served, key, ids)


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        ["1", "0", "-1", "99999999999", "2030-03-04T11:00:00Z", "2030-03-04T11:00", "Daily", ""]
    ),
    st.sampled_from([10, 20, 50, 60, 70, 0, 366, 367]),
)
_json = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), inner, max_size=4),
    ),
    max_leaves=12,
)
# A valid create body with some fields replaced: reaches the checks behind the first ones.
_VALID = {
    "business_id": "{business}",
    "patient_id": "{patient}",
    "practitioner_id": "{practitioner}",
    "starts_at": "2030-03-06T10:00:00Z",
    "notes": "string",
}
_near_valid = st.dictionaries(st.sampled_from(FIELDS), _json, max_size=3).map(
    lambda changes: {**_VALID, **changes}
)
_bodies = st.one_of(
    _near_valid,
    st.dictionaries(st.sampled_from(FIELDS), _json, max_size=9),
    _json,
    st.binary(max_size=40),
)
_segment = st.one_of(
    st.sampled_from(["{appointment}", "0", "2147483648", "-5", "1.5", "abc", "%00", ""]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/?#"), max_size=12),
)
_suffix = st.sampled_from(["", "/cancel", "/archive", "/conflicts", "/x", "/cancel/1"])
_query_names = st.sampled_from(["page", "per_page", "q[]", "sort", "order"]) | st.text(max_size=8)
_query_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "starts_at:>=2030-01-01T00:00:00Z",
            "business_id:=1",
            "deleted_at:<2030-01-01T00:00:00Z",
            "archived_at:>2000-01-01T00:00:00Z",
            "created_at:desc",
            "id:~~%",
            "0",
            "100",
            "101",
            "desc",
        ]
    ),
)


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    method=st.sampled_from(["GET", "POST", "PATCH", "DELETE", "PUT"]),
    with_id=st.booleans(),
    segment=_segment,
    suffix=_suffix,
    query=st.lists(st.tuples(_query_names, _query_values), max_size=4),
    body=_bodies,
    authenticated=st.booleans(),
)
def test_malformed_requests_never_give_a_500(
    target: Target,
    method: str,
    with_id: bool,
    segment: str,
    suffix: str,
    query: list[tuple[str, str]],
    body: Any,
    authenticated: bool,
) -> None:
    path = IA
    if with_id:
        segment = segment.replace("{appointment}", str(target.ids["appointment"]))
        path += "/" + quote(segment, safe="%") + suffix
    # The standard library writes integers of any size, as a client may send them.
    if isinstance(body, dict):
        body = {
            k: v.format(**target.ids) if isinstance(v, str) and v.startswith("{") else v
            for k, v in body.items()
        }
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    with httpx.Client(base_url=target.url, timeout=30) as http:
        response = http.request(
            method,
            path,
            params=query,
            content=content,
            headers={"Content-Type": "application/json"},
            auth=httpx.BasicAuth(target.key, "") if authenticated else None,
        )
    assert response.status_code < 500, (method, path, query, body, response.text)
    if response.status_code >= 400 and response.headers.get("content-type") == "application/json":
        assert "message" in response.json()


def test_a_valid_booking_still_goes_through(target: Target) -> None:
    """The fuzzed target is bookable: the refusals above are refusals of the input."""
    with httpx.Client(base_url=target.url, timeout=30) as http:
        response = http.post(
            IA,
            auth=httpx.BasicAuth(target.key, ""),
            json={
                "business_id": str(target.ids["business"]),
                "patient_id": str(target.ids["patient"]),
                "starts_at": utc_text(datetime(2030, 3, 5, 10, tzinfo=UTC)),
            },
        )
    assert response.status_code == 201, response.text

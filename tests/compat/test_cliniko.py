"""/compat/cliniko: seed 003's own requests (with our ids) give its documented answers, and the
dialect and the native API show one and the same state (appointments, credits, events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import update

from slotbook.bootstrap import Container
from slotbook.infra.db.tables import appointment
from tests.scheduling_support import add_type, add_worker, set_worker_hours
from tests.support import Tenant, TestClock, balance, make_tenant, utc_text

PARIS = ZoneInfo("Europe/Paris")  # the tenant's zone (make_tenant)

BASE = "/compat/cliniko"
IA = f"{BASE}/individual_appointments"
NATIVE = "/api/v1/appointments"
Z_TIME = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"

# Every field of seed 003's IndividualAppointment this dialect answers with.
FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "starts_at",
    "ends_at",
    "appointment_type_id",
    "business_id",
    "practitioner_id",
    "patient_id",
    "patient_name",
    "notes",
    "cancelled_at",
    "cancellation_reason",
    "cancellation_reason_description",
    "cancellation_note",
    "archived_at",
    "deleted_at",
    "did_not_arrive",
    "patient_arrived",
    "email_reminder_sent",
    "sms_reminder_sent",
    "telehealth_url",
    "repeated_from_id",
    "repeat_rule",
    "repeats",
    "booking_ip_address",
    "has_patient_appointment_notes",
    "invoice_status",
    "online_booking_policy_accepted",
    "treatment_note_status",
    "appointment_type",
    "business",
    "practitioner",
    "patient",
    "patient_case",
    "attendees",
    "conflicts",
    "links",
}
# What Slotbook has no notion of: null, never invented.
UNKNOWN_TO_SLOTBOOK = {
    "deleted_at",
    "repeat_rule",
    "repeats",
    "booking_ip_address",
    "has_patient_appointment_notes",
    "invoice_status",
    "online_booking_policy_accepted",
    "treatment_note_status",
    "appointment_type",
    "business",
    "practitioner",
    "patient",
    "patient_case",
    "attendees",
}


def at(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """A UTC instant `days` ahead; 10:00 UTC is within 09:00-17:00 in Paris all year."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def weeks_later(first: datetime, weeks: int) -> datetime:
    """The same wall-clock time in Paris `weeks` later: a series crossing a change of summer
    time keeps its local time, so its UTC time moves by an hour."""
    return (first.astimezone(PARIS) + timedelta(weeks=weeks)).astimezone(UTC)


@dataclass
class Clinic:
    """A tenant seen from Cliniko: a business, a practitioner with hours, a patient, a type."""

    tenant: Tenant
    business_id: int
    practitioner_id: int
    patient_id: int
    type_id: int

    @property
    def auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(self.tenant.key, "")

    def body(self, starts_at: datetime, **fields: Any) -> dict[str, Any]:
        return {
            "appointment_type_id": str(self.type_id),
            "business_id": str(self.business_id),
            "patient_id": str(self.patient_id),
            "practitioner_id": str(self.practitioner_id),
            "starts_at": utc_text(starts_at),
            **fields,
        }


@pytest.fixture
async def clinic(client: httpx.AsyncClient, tenant: Tenant) -> Clinic:
    await set_worker_hours(client, tenant, tenant.worker_id)
    type_id = await add_type(client, tenant, durationMinutes=45)
    created = await client.post(
        "/api/v1/clients", headers=tenant.headers, json={"name": "Joe Monahan"}
    )
    assert created.status_code == 201, created.text
    return Clinic(tenant, tenant.department_id, tenant.worker_id, created.json()["id"], type_id)


async def _create(
    client: httpx.AsyncClient, clinic: Clinic, starts_at: datetime, **fields: Any
) -> dict[str, Any]:
    response = await client.post(IA, auth=clinic.auth, json=clinic.body(starts_at, **fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _assert_shape(body: dict[str, Any]) -> None:
    assert set(body) == FIELDS
    for name in UNKNOWN_TO_SLOTBOOK:
        assert body[name] is None, name
    for name in ("id", "business_id"):
        assert isinstance(body[name], str)
        assert body[name].isdigit()
    for name in ("created_at", "updated_at", "starts_at", "ends_at"):
        assert isinstance(body[name], str)
        assert body[name].endswith("Z")
        datetime.fromisoformat(body[name])
    for name in ("did_not_arrive", "patient_arrived", "email_reminder_sent", "sms_reminder_sent"):
        assert isinstance(body[name], bool), name


# --- the seed's example requests -------------------------------------------------------------


async def test_create_with_the_seeds_example_body(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    starts = at(10)
    before = await balance(client, clinic.tenant)
    # Seed 003's request sample, with our ids and a future time; ends_at is the type's 45 min.
    response = await client.post(
        IA,
        auth=clinic.auth,
        json={
            "appointment_type_id": str(clinic.type_id),
            "business_id": str(clinic.business_id),
            "ends_at": utc_text(starts + timedelta(minutes=45)),
            "notes": "string",
            "patient_id": str(clinic.patient_id),
            "patient_case_id": "1",
            "practitioner_id": str(clinic.practitioner_id),
            "starts_at": utc_text(starts),
            "repeat_rule": {
                "number_of_repeats": 0,
                "repeat_type": "Daily",
                "repeating_interval": 0,
            },
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    _assert_shape(body)
    assert response.headers["Location"].endswith(f"{IA}/{body['id']}")
    assert body["starts_at"] == utc_text(starts)
    assert body["ends_at"] == utc_text(starts + timedelta(minutes=45))
    assert (body["appointment_type_id"], body["business_id"]) == (
        str(clinic.type_id),
        str(clinic.business_id),
    )
    assert (body["practitioner_id"], body["patient_id"]) == (
        str(clinic.practitioner_id),
        str(clinic.patient_id),
    )
    assert (body["patient_name"], body["notes"]) == ("Joe Monahan", "string")
    assert body["cancelled_at"] is None
    assert body["cancellation_reason"] is None
    assert body["patient_arrived"] is False
    assert body["did_not_arrive"] is False
    assert body["repeated_from_id"] is None
    assert body["links"]["self"].endswith(f"{IA}/{body['id']}")
    assert body["conflicts"]["links"]["self"].endswith(f"{IA}/{body['id']}/conflicts")
    assert await balance(client, clinic.tenant) == before - 1


async def test_ends_at_comes_from_the_type_and_must_agree_with_it(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    starts = at(11)
    created = await _create(client, clinic, starts)  # no ends_at: the type's duration
    assert created["ends_at"] == utc_text(starts + timedelta(minutes=45))
    refused = await client.post(
        IA, auth=clinic.auth, json=clinic.body(at(12), ends_at=utc_text(at(12, 11)))
    )
    assert refused.status_code == 422
    body = refused.json()
    assert body["message"] == "Resource could not be saved due to validation errors"
    assert set(body["errors"]) == {"ends_at"}
    assert "45 minutes" in body["errors"]["ends_at"][0]


async def test_get_one_and_the_documented_404(client: httpx.AsyncClient, clinic: Clinic) -> None:
    created = await _create(client, clinic, at(13))
    response = await client.get(f"{IA}/{created['id']}", auth=clinic.auth)
    assert response.status_code == 200, response.text
    assert response.json() == created
    missing = await client.get(f"{IA}/2147483000", auth=clinic.auth)
    assert missing.status_code == 404
    assert missing.json()["message"] == "Individual appointment not found with id: 2147483000"
    huge = await client.get(f"{IA}/99999999999999999999", auth=clinic.auth)
    assert huge.status_code == 404
    # The single GET's filters: an appointment that is not cancelled has no cancelled_at.
    filtered = await client.get(
        f"{IA}/{created['id']}",
        auth=clinic.auth,
        params={"q[]": "cancelled_at:>2000-01-01T00:00:00Z"},
    )
    assert filtered.status_code == 404
    bad = await client.get(f"{IA}/{created['id']}", auth=clinic.auth, params={"q[]": "id:=1"})
    assert bad.status_code == 422


async def test_list_pages_filters_and_sort(client: httpx.AsyncClient, clinic: Clinic) -> None:
    ids = [(await _create(client, clinic, at(20 + n)))["id"] for n in range(3)]
    first = await client.get(IA, auth=clinic.auth, params={"per_page": 2})
    assert first.status_code == 200, first.text
    body = first.json()
    assert set(body) == {"individual_appointments", "total_entries", "links"}
    assert body["total_entries"] == 3
    assert [a["id"] for a in body["individual_appointments"]] == ids[:2]
    _assert_shape(body["individual_appointments"][0])
    assert set(body["links"]) == {"self", "next"}
    assert "page=2" in body["links"]["next"]
    second = (await client.get(body["links"]["next"], auth=clinic.auth)).json()
    assert [a["id"] for a in second["individual_appointments"]] == ids[2:]
    assert set(second["links"]) == {"self", "previous"}

    newest = await client.get(IA, auth=clinic.auth, params={"sort": "created_at:desc,id:desc"})
    assert [a["id"] for a in newest.json()["individual_appointments"]] == ids[::-1]
    latest = await client.get(IA, auth=clinic.auth, params={"order": "desc"})
    assert [a["id"] for a in latest.json()["individual_appointments"]] == ids[::-1]

    async def listed(*filters: str) -> list[str]:
        response = await client.get(IA, auth=clinic.auth, params=[("q[]", f) for f in filters])
        assert response.status_code == 200, response.text
        return [a["id"] for a in response.json()["individual_appointments"]]

    assert await listed(f"starts_at:>={utc_text(at(21))}") == ids[1:]
    assert await listed(f"starts_at:<{utc_text(at(21))}", f"business_id:={clinic.business_id}") == [
        ids[0]
    ]
    assert await listed(f"practitioner_id:={clinic.practitioner_id}") == ids
    assert await listed(f"patient_id:={clinic.patient_id}", f"id:={ids[1]}") == [ids[1]]
    assert await listed(f"appointment_type_id:={clinic.type_id}") == ids
    assert await listed("deleted_at:>2000-01-01T00:00:00Z") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"q[]": "name:~joe"}, "q[]"),
        ({"q[]": "starts_at:~2027"}, "q[]"),
        ({"q[]": "starts_at:>yesterday"}, "q[]"),
        ({"q[]": "patient_id:=abc"}, "q[]"),
        ({"q[]": "no operator"}, "q[]"),
        ({"q[]": "deleted_at:!=2027-01-01T00:00:00Z"}, "q[]"),
        ({"sort": "patient_id:asc"}, "sort"),
        ({"sort": "starts_at:up"}, "sort"),
        ({"order": "sideways"}, "order"),
    ],
)
async def test_list_refuses_what_it_does_not_support(
    client: httpx.AsyncClient, clinic: Clinic, params: dict[str, str], field: str
) -> None:
    response = await client.get(IA, auth=clinic.auth, params=params)
    assert response.status_code == 422, response.text
    assert set(response.json()["errors"]) == {field}


async def test_update_moves_and_edits(client: httpx.AsyncClient, clinic: Clinic) -> None:
    created = await _create(client, clinic, at(14), notes="first")
    url = f"{IA}/{created['id']}"
    moved = await client.patch(
        url, auth=clinic.auth, json={"starts_at": utc_text(at(14, 12)), "notes": "second"}
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    _assert_shape(body)
    assert (body["starts_at"], body["ends_at"]) == (
        utc_text(at(14, 12)),
        utc_text(at(14, 12, 45)),
    )
    assert body["notes"] == "second"
    # The seed's own update sample: the stated end must be the type's.
    agreeing = await client.patch(url, auth=clinic.auth, json={"ends_at": utc_text(at(14, 12, 45))})
    assert agreeing.status_code == 200, agreeing.text
    for patch, field in (
        ({"ends_at": utc_text(at(14, 13))}, "ends_at"),
        ({"business_id": str(clinic.tenant.staffed_department_id)}, "business_id"),
        ({"patient_id": "2147483000"}, "patient_id"),
        ({"starts_at": None}, "starts_at"),
        ({"repeat_rule": {"repeat_type": "Weekly", "number_of_repeats": 3}}, "repeat_rule"),
        ({"starts_at": utc_text(at(-1))}, "starts_at"),
        ({"practitioner_id": "not a number"}, "practitioner_id"),
        ({"colour": "blue"}, "colour"),
    ):
        refused = await client.patch(url, auth=clinic.auth, json=patch)
        assert refused.status_code == 422, (patch, refused.text)
        assert set(refused.json()["errors"]) == {field}, refused.text
    same = await client.patch(url, auth=clinic.auth, json={"business_id": str(clinic.business_id)})
    assert same.status_code == 200, same.text
    # If-Match is honoured: a stale version is refused, in Cliniko's shape.
    stale = await client.patch(
        url, auth=clinic.auth, headers={"If-Match": '"1"'}, json={"notes": "x"}
    )
    assert stale.status_code == 412, stale.text
    assert "changed by someone else" in stale.json()["message"]


async def test_cancel_with_a_reason(client: httpx.AsyncClient, clinic: Clinic) -> None:
    created = await _create(client, clinic, at(15))
    url = f"{IA}/{created['id']}"
    before = await balance(client, clinic.tenant)
    for payload, field in (
        ({}, "cancellation_reason"),
        ({"cancellation_reason": 70}, "cancellation_reason"),
        ({"cancellation_reason": True}, "cancellation_reason"),
        ({"cancellation_reason": 50, "apply_to_repeats": "yes"}, "apply_to_repeats"),
    ):
        refused = await client.patch(f"{url}/cancel", auth=clinic.auth, json=payload)
        assert refused.status_code == 422, refused.text
        assert set(refused.json()["errors"]) == {field}
    # The seed's sample.
    cancelled = await client.patch(
        f"{url}/cancel",
        auth=clinic.auth,
        json={"cancellation_note": "string", "cancellation_reason": 10, "apply_to_repeats": True},
    )
    assert cancelled.status_code == 204, cancelled.text
    assert cancelled.content == b""
    body = (await client.get(url, auth=clinic.auth)).json()
    assert body["cancelled_at"] is not None
    assert (body["cancellation_reason"], body["cancellation_reason_description"]) == (
        10,
        "Feeling Better",
    )
    assert body["cancellation_note"] == "string"
    assert await balance(client, clinic.tenant) == before + 1
    # The documented cancelled_at filter finds it, natively it is CANCELLED.
    found = await client.get(
        IA, auth=clinic.auth, params={"q[]": "cancelled_at:>2000-01-01T00:00:00Z"}
    )
    assert [a["id"] for a in found.json()["individual_appointments"]] == [created["id"]]
    native = (await client.get(f"{NATIVE}/{created['id']}", headers=clinic.tenant.headers)).json()
    assert native["status"] == "CANCELLED"


async def test_archive_and_the_deprecated_delete(client: httpx.AsyncClient, clinic: Clinic) -> None:
    kept = await _create(client, clinic, at(16))
    archived = await _create(client, clinic, at(17))
    deleted = await _create(client, clinic, at(18))
    response = await client.post(f"{IA}/{archived['id']}/archive", auth=clinic.auth)
    assert (response.status_code, response.content) == (204, b"")
    response = await client.delete(f"{IA}/{deleted['id']}", auth=clinic.auth)
    assert (response.status_code, response.content) == (204, b"")
    listed = (await client.get(IA, auth=clinic.auth)).json()
    assert [a["id"] for a in listed["individual_appointments"]] == [kept["id"]]
    with_archived = await client.get(
        IA, auth=clinic.auth, params={"q[]": "archived_at:>2000-01-01T00:00:00Z"}
    )
    found = with_archived.json()["individual_appointments"]
    assert [a["id"] for a in found] == [archived["id"], deleted["id"]]
    assert all(a["archived_at"] is not None and a["deleted_at"] is None for a in found)
    # Archiving changes neither status nor credit: natively it is still SCHEDULED.
    native = (await client.get(f"{NATIVE}/{archived['id']}", headers=clinic.tenant.headers)).json()
    assert native["status"] == "SCHEDULED"


async def test_conflicts(client: httpx.AsyncClient, clinic: Clinic) -> None:
    created = await _create(client, clinic, at(19))
    response = await client.get(f"{IA}/{created['id']}/conflicts", auth=clinic.auth)
    assert response.status_code == 200, response.text
    assert response.json() == {"conflicts": {"exist": False}}


async def test_repeat_rule_books_a_series(client: httpx.AsyncClient, clinic: Clinic) -> None:
    before = await balance(client, clinic.tenant)
    first = await _create(
        client,
        clinic,
        at(22),
        repeat_rule={"repeat_type": "Weekly", "repeating_interval": 1, "number_of_repeats": 3},
    )
    series = await client.get(
        IA, auth=clinic.auth, params={"q[]": f"repeated_from_id:={first['id']}"}
    )
    rest = series.json()["individual_appointments"]
    assert [a["starts_at"] for a in rest] == [utc_text(weeks_later(at(22), n)) for n in (1, 2)]
    assert {a["repeated_from_id"] for a in rest} == {first["id"]}
    assert await balance(client, clinic.tenant) == before - 3
    # apply_to_repeats cancels the later occurrences too, refunding each.
    cancelled = await client.patch(
        f"{IA}/{first['id']}/cancel",
        auth=clinic.auth,
        json={"cancellation_reason": 40, "apply_to_repeats": True},
    )
    assert cancelled.status_code == 204, cancelled.text
    assert await balance(client, clinic.tenant) == before
    refused = await client.post(
        IA,
        auth=clinic.auth,
        json=clinic.body(at(23), repeat_rule={"repeat_type": "Hourly", "number_of_repeats": 3}),
    )
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"repeat_rule"}


# --- refusals in Cliniko's shape -------------------------------------------------------------


async def test_booking_refusals_are_validation_errors(
    client: httpx.AsyncClient, clinic: Clinic, container: Container
) -> None:
    taken = at(24)
    await _create(client, clinic, taken)
    other = await client.post(
        "/api/v1/clients", headers=clinic.tenant.headers, json={"name": "Other Patient"}
    )
    collision = await client.post(
        IA, auth=clinic.auth, json=clinic.body(taken, patient_id=str(other.json()["id"]))
    )
    assert collision.status_code == 422, collision.text
    assert collision.json()["code"] == "SLOT_UNAVAILABLE"
    assert set(collision.json()["errors"]) == {"starts_at"}
    past = await client.post(IA, auth=clinic.auth, json=clinic.body(at(-2)))
    assert (past.status_code, set(past.json()["errors"])) == (422, {"starts_at"})
    for field, value in (
        ("business_id", "2147483000"),
        ("patient_id", "2147483000"),
        ("appointment_type_id", "2147483000"),
    ):
        missing = await client.post(
            IA, auth=clinic.auth, json=clinic.body(at(25), **{field: value})
        )
        assert (missing.status_code, set(missing.json()["errors"])) == (422, {field}), missing.text
    stranger = await add_worker(client, clinic.tenant, clinic.tenant.staffed_department_id)
    elsewhere = await client.post(
        IA, auth=clinic.auth, json=clinic.body(at(25), practitioner_id=str(stranger))
    )
    assert (elsewhere.status_code, set(elsewhere.json()["errors"])) == (422, {"practitioner_id"})
    assert "does not work in business" in elsewhere.json()["errors"]["practitioner_id"][0]
    blank = await client.post(IA, auth=clinic.auth, json={"business_id": str(clinic.business_id)})
    assert blank.status_code == 422
    assert set(blank.json()["errors"]) == {"patient_id", "starts_at"}
    assert blank.json()["errors"]["starts_at"] == ["can't be blank"]

    poor = await make_tenant(container.services, credits=0)
    poor_patient = await client.post(
        "/api/v1/clients", headers=poor.headers, json={"name": "Joe Monahan"}
    )
    broke = await client.post(
        IA,
        auth=httpx.BasicAuth(poor.key, ""),
        json={
            "business_id": str(poor.department_id),
            "patient_id": str(poor_patient.json()["id"]),
            "starts_at": utc_text(at(26)),
        },
    )
    assert broke.status_code == 422, broke.text
    assert broke.json()["code"] == "INSUFFICIENT_CREDITS"


async def test_authentication_and_scopes(client: httpx.AsyncClient, clinic: Clinic) -> None:
    anonymous = await client.get(IA)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Basic")
    assert set(anonymous.json()) >= {"message"}
    wrong = await client.get(IA, auth=httpx.BasicAuth("not-a-key", ""))
    assert wrong.status_code == 401
    reader = await clinic.tenant.key_with("appointments:read")
    refused = await client.post(IA, auth=httpx.BasicAuth(reader, ""), json=clinic.body(at(27)))
    assert refused.status_code == 403
    assert "appointments:create" in refused.json()["message"]
    other = await make_tenant(clinic.tenant.services)
    created = await _create(client, clinic, at(27))
    foreign = await client.get(f"{IA}/{created['id']}", auth=httpx.BasicAuth(other.key, ""))
    assert foreign.status_code == 403


async def test_malformed_requests_and_unknown_paths(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    broken = await client.post(
        IA, auth=clinic.auth, content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert "message" in broken.json()
    unknown = await client.get(f"{BASE}/patients", auth=clinic.auth)
    assert (unknown.status_code, unknown.json()["message"]) == (404, "Not found")
    put = await client.put(f"{IA}/1", auth=clinic.auth, json={})
    assert put.status_code == 405
    assert put.headers["Allow"] == "DELETE, GET, PATCH"
    words = await client.get(f"{IA}/abc", auth=clinic.auth)
    assert words.status_code == 404


async def test_dialect_routes_stay_out_of_the_native_openapi(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert not [path for path in spec["paths"] if path.startswith("/compat")]


# --- one state, two faces ----------------------------------------------------------------------


async def _changes(client: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, Any]]:
    feed = await client.get("/api/v1/changes", headers=tenant.headers, params={"limit": 50})
    assert feed.status_code == 200, feed.text
    changes: list[dict[str, Any]] = feed.json()["changes"]
    return changes


async def test_booked_through_cliniko_read_natively(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    tenant = clinic.tenant
    before = await balance(client, tenant)
    created = await _create(client, clinic, at(30), notes="from Cliniko")
    native = await client.get(f"{NATIVE}/{created['id']}", headers=tenant.headers)
    assert native.status_code == 200, native.text
    body = native.json()
    assert body["id"] == int(created["id"])
    assert (body["departmentId"], body["workerId"], body["clientId"]) == (
        clinic.business_id,
        clinic.practitioner_id,
        clinic.patient_id,
    )
    assert (body["appointmentTypeId"], body["notes"], body["name"]) == (
        clinic.type_id,
        "from Cliniko",
        "Joe Monahan",
    )
    assert body["status"] == "SCHEDULED"
    assert await balance(client, tenant) == before - 1
    moved = await client.patch(
        f"{IA}/{created['id']}", auth=clinic.auth, json={"starts_at": utc_text(at(30, 13))}
    )
    assert moved.status_code == 200, moved.text
    cancelled = await client.patch(
        f"{IA}/{created['id']}/cancel", auth=clinic.auth, json={"cancellation_reason": 50}
    )
    assert cancelled.status_code == 204
    assert await balance(client, tenant) == before
    now = (await client.get(f"{NATIVE}/{created['id']}", headers=tenant.headers)).json()
    assert (now["status"], now["cancellationReason"]) == ("CANCELLED", 50)
    # The same events as the native API publishes, each carrying the native representation.
    changes = await _changes(client, tenant)
    assert [c["type"] for c in changes] == [
        "appointment.created",
        "appointment.rescheduled",
        "appointment.cancelled",
    ]
    assert changes[-1]["data"]["appointment"] == now


async def test_booked_natively_read_through_cliniko(
    client: httpx.AsyncClient, clinic: Clinic, container: Container, clock: TestClock
) -> None:
    tenant = clinic.tenant
    starts = at(31)
    response = await client.post(
        NATIVE,
        headers=tenant.headers,
        json={
            "departmentId": clinic.business_id,
            "dateTime": utc_text(starts),
            "workerId": clinic.practitioner_id,
            "clientId": clinic.patient_id,
            "appointmentTypeId": clinic.type_id,
            "notes": "native",
            "telehealthUrl": "https://meet.example.org/room/7",
        },
    )
    assert response.status_code == 201, response.text
    native = response.json()
    seen = (await client.get(f"{IA}/{native['id']}", auth=clinic.auth)).json()
    assert seen["id"] == str(native["id"])
    assert (seen["starts_at"], seen["ends_at"]) == (
        utc_text(starts),
        utc_text(starts + timedelta(minutes=45)),
    )
    assert (seen["business_id"], seen["practitioner_id"], seen["patient_id"]) == (
        str(clinic.business_id),
        str(clinic.practitioner_id),
        str(clinic.patient_id),
    )
    assert (seen["notes"], seen["telehealth_url"]) == ("native", "https://meet.example.org/room/7")
    assert (seen["email_reminder_sent"], seen["sms_reminder_sent"]) == (False, False)
    # The reminder flags are read from the appointment row (the reminder worker sets them).
    async with container.engine.begin() as conn:
        await conn.execute(
            update(appointment)
            .where(appointment.c.id == native["id"])
            .values(email_reminder_sent=True)
        )
    seen = (await client.get(f"{IA}/{native['id']}", auth=clinic.auth)).json()
    assert (seen["email_reminder_sent"], seen["sms_reminder_sent"]) == (True, False)
    # A check-in natively is patient_arrived in Cliniko (made on the appointment's day).
    clock.freeze(starts)
    checked = await client.post(f"{NATIVE}/{native['id']}/check-in", headers=tenant.headers)
    assert checked.status_code == 200, checked.text
    seen = (await client.get(f"{IA}/{native['id']}", auth=clinic.auth)).json()
    assert (seen["patient_arrived"], seen["did_not_arrive"]) == (True, False)


async def test_cliniko_and_native_bookings_publish_the_same_events(
    client: httpx.AsyncClient, container: Container
) -> None:
    """The same booking made once per face, each in its own organization: the events differ
    only in ids and times."""
    types = []
    for face in ("native", "cliniko"):
        tenant = await make_tenant(container.services)
        await set_worker_hours(client, tenant, tenant.worker_id)
        patient = (
            await client.post("/api/v1/clients", headers=tenant.headers, json={"name": "Joe"})
        ).json()["id"]
        if face == "native":
            made = await client.post(
                NATIVE,
                headers=tenant.headers,
                json={
                    "departmentId": tenant.department_id,
                    "dateTime": utc_text(at(32)),
                    "workerId": tenant.worker_id,
                    "clientId": patient,
                },
            )
            appointment_id = made.json()["id"]
            await client.post(
                f"{NATIVE}/{appointment_id}/cancel",
                headers=tenant.headers,
                json={"cancellationReason": 30},
            )
        else:
            made = await client.post(
                IA,
                auth=httpx.BasicAuth(tenant.key, ""),
                json={
                    "business_id": str(tenant.department_id),
                    "starts_at": utc_text(at(32)),
                    "practitioner_id": str(tenant.worker_id),
                    "patient_id": str(patient),
                },
            )
            appointment_id = int(made.json()["id"])
            await client.patch(
                f"{IA}/{appointment_id}/cancel",
                auth=httpx.BasicAuth(tenant.key, ""),
                json={"cancellation_reason": 30},
            )
        assert made.status_code == 201, made.text
        changes = await _changes(client, tenant)
        types.append(
            [
                (
                    c["type"],
                    {
                        k: v
                        for k, v in c["data"]["appointment"].items()
                        if k
                        not in {"id", "qrCode", "departmentId", "departmentName", "workerId"}
                        | {"clientId", "createdAt", "updatedAt", "cancelledAt", "uuid"}
                    },
                )
                for c in changes
            ]
        )
        assert await balance(client, tenant) == 100
    assert types[0] == types[1]


async def test_an_update_overtaken_by_a_concurrent_change_is_checked_again(
    client: httpx.AsyncClient, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stated business is checked on the version read; when another change lands between
    that read and the write, the appointment is read and checked again (no If-Match sent), or
    the client's own If-Match is refused."""
    from slotbook.application import checked_changes

    created = await _create(client, clinic, at(16))
    url = f"{IA}/{created['id']}"
    real = checked_changes.change_appointment
    writes: list[str] = []

    async def overtaken(*args: Any, **kwargs: Any) -> Any:
        if not writes:  # another client's change lands between the read and this write
            writes.append("other")
            other = await client.patch(
                f"{NATIVE}/{created['id']}",
                headers=clinic.tenant.headers,
                json={"notes": "from another client"},
            )
            assert other.status_code == 200, other.text
        writes.append("mine")
        return await real(*args, **kwargs)

    monkeypatch.setattr(checked_changes, "change_appointment", overtaken)
    body = {"business_id": str(clinic.business_id), "notes": "mine"}
    updated = await client.patch(url, auth=clinic.auth, json=body)
    assert updated.status_code == 200, updated.text
    assert updated.json()["notes"] == "mine"
    assert writes == ["other", "mine", "mine"]  # the first write was refused, then read again
    native = await client.get(f"{NATIVE}/{created['id']}", headers=clinic.tenant.headers)
    assert native.json()["version"] == 3  # booked, the other change, this one
    writes.clear()
    stale = await client.patch(
        url, auth=clinic.auth, headers={"If-Match": '"3"'}, json={**body, "notes": "again"}
    )
    assert stale.status_code == 412, stale.text
    assert writes == ["other", "mine"]  # the client's own version: not retried

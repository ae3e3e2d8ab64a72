"""/compat/treats (seed 004): the seed's own requests with our ids, its response shapes, its
errors, and one state seen through both faces (bookings, credits, events)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import UUID, uuid4

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slotbook.infra.webhooks.delivery import DeliveryWorker
from tests.receiver import Receiver
from tests.scheduling_support import add_type, set_worker_hours
from tests.support import Hooks, Tenant, balance, make_tenant

TREATS = "/compat/treats/api/v1"
UTC_TEXT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
# Seed 004's response, field for field.
DOCUMENTED = {
    "id",
    "clientId",
    "patientId",
    "appointmentTypeId",
    "vetId",
    "scheduledAt",
    "endTime",
    "reason",
    "isUrgent",
    "status",
    "displayStatus",
    "createdAt",
}


@dataclass
class Clinic:
    """A tenant set up as a vet clinic through the native API, with the UUIDs it shows."""

    tenant: Tenant
    client_id: int
    client_uuid: str
    patient_id: int
    patient_uuid: str
    vet_uuid: str
    type_id: int
    type_uuid: str

    @property
    def headers(self) -> dict[str, str]:
        return self.tenant.headers

    def body(self, when: datetime, **changes: object) -> dict[str, object]:
        """Seed 004's example request, with this clinic's ids."""
        return {
            "clientId": self.client_uuid,
            "patientId": self.patient_uuid,
            "vetId": self.vet_uuid,
            "appointmentTypeId": self.type_uuid,
            "scheduledAt": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "reason": "Vaccination annuelle",
            **changes,
        }


async def _created(http: httpx.AsyncClient, url: str, headers: dict[str, str], body: Any) -> Any:
    response = await http.post(url, headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def make_clinic(http: httpx.AsyncClient, tenant: Tenant) -> Clinic:
    await set_worker_hours(http, tenant, tenant.worker_id, "08:00", "18:00")
    type_id = await add_type(http, tenant, name="Vaccination", durationMinutes=20)
    owner = await _created(http, "/api/v1/clients", tenant.headers, {"name": "Awa Camara"})
    rex = await _created(
        http,
        f"/api/v1/clients/{owner['id']}/patients",
        tenant.headers,
        {"name": "Rex", "species": "dog"},
    )
    vet = (await http.get(f"/api/v1/workers/{tenant.worker_id}", headers=tenant.headers)).json()
    kind = (await http.get(f"/api/v1/appointment-types/{type_id}", headers=tenant.headers)).json()
    return Clinic(
        tenant,
        owner["id"],
        owner["uuid"],
        rex["id"],
        rex["uuid"],
        vet["uuid"],
        type_id,
        kind["uuid"],
    )


def slot_time(days: int = 10, hour: int = 10) -> datetime:
    """A future UTC time inside the clinic's hours (08:00-18:00 in Paris)."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def native_of(http: httpx.AsyncClient, clinic: Clinic, public_id: str) -> dict[str, Any]:
    """The native representation of the appointment with this UUID (found by its client)."""
    listed = await http.get(
        "/api/v1/appointments",
        headers=clinic.headers,
        params={"clientId": clinic.client_id, "size": 100},
    )
    assert listed.status_code == 200, listed.text
    found = [a for a in listed.json()["appointments"] if a["uuid"] == public_id]
    assert len(found) == 1
    result: dict[str, Any] = found[0]
    return result


async def test_the_seed_example_books_and_answers_the_documented_shape(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    clinic = await make_clinic(client, tenant)
    when = slot_time()
    before = await balance(client, tenant)
    created = await _created(client, f"{TREATS}/appointments", clinic.headers, clinic.body(when))

    assert set(created) == DOCUMENTED
    assert UUID(created["id"]).version == 4
    assert (created["clientId"], created["patientId"], created["vetId"]) == (
        clinic.client_uuid,
        clinic.patient_uuid,
        clinic.vet_uuid,
    )
    assert created["appointmentTypeId"] == clinic.type_uuid
    assert created["scheduledAt"] == when.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert created["endTime"] == (when + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert all(UTC_TEXT.match(created[k]) for k in ("scheduledAt", "endTime", "createdAt"))
    assert created["reason"] == "Vaccination annuelle"
    assert created["isUrgent"] is False  # the documented default
    assert (created["status"], created["displayStatus"]) == ("scheduled", "Planifié")
    assert await balance(client, tenant) == before - 1  # one credit, as a native booking

    read = await client.get(f"{TREATS}/appointments/{created['id']}", headers=clinic.headers)
    assert read.status_code == 200, read.text
    assert read.json() == created


async def test_a_dialect_booking_is_the_native_appointment_and_the_reverse(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    clinic = await make_clinic(client, tenant)
    created = await _created(
        client,
        f"{TREATS}/appointments",
        clinic.headers,
        clinic.body(slot_time(hour=9), isUrgent=True),
    )
    native = await native_of(client, clinic, created["id"])
    assert native["workerId"] == tenant.worker_id
    assert (native["clientId"], native["patientId"]) == (clinic.client_id, clinic.patient_id)
    assert native["appointmentTypeId"] == clinic.type_id
    assert native["name"] == "Awa Camara"  # the client's name, as a native booking by clientId
    assert (native["reason"], native["isUrgent"]) == ("Vaccination annuelle", True)
    # The vet works in two departments; the first one that offers the type is the clinic.
    assert native["departmentId"] == tenant.department_id

    # Cancelled natively: the dialect reads the new state, the credit came back.
    before = await balance(client, tenant)
    cancelled = await client.post(
        f"/api/v1/appointments/{native['id']}/cancel", headers=clinic.headers, json={}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["uuid"] == created["id"]
    assert await balance(client, tenant) == before + 1
    read = (
        await client.get(f"{TREATS}/appointments/{created['id']}", headers=clinic.headers)
    ).json()
    assert (read["status"], read["displayStatus"]) == ("cancelled", "Annulé")
    assert {k: v for k, v in read.items() if k not in ("status", "displayStatus")} == {
        k: v for k, v in created.items() if k not in ("status", "displayStatus")
    }

    # The reverse: booked natively, read through the dialect with every id as a UUID.
    booked = await _created(
        client,
        "/api/v1/appointments",
        clinic.headers,
        {
            "departmentId": tenant.department_id,
            "dateTime": slot_time(hour=13).isoformat(),
            "workerId": tenant.worker_id,
            "clientId": clinic.client_id,
            "patientId": clinic.patient_id,
            "appointmentTypeId": clinic.type_id,
            "reason": "Rappel",
        },
    )
    seen = await client.get(f"{TREATS}/appointments/{booked['uuid']}", headers=clinic.headers)
    assert seen.status_code == 200, seen.text
    assert seen.json() == {
        "id": booked["uuid"],
        "clientId": clinic.client_uuid,
        "patientId": clinic.patient_uuid,
        "appointmentTypeId": clinic.type_uuid,
        "vetId": clinic.vet_uuid,
        "scheduledAt": slot_time(hour=13).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endTime": (slot_time(hour=13) + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "reason": "Rappel",
        "isUrgent": False,
        "status": "scheduled",
        "displayStatus": "Planifié",
        "createdAt": seen.json()["createdAt"],
    }


async def test_a_dialect_booking_publishes_the_native_event(
    client: httpx.AsyncClient,
    tenant: Tenant,
    hooks: Hooks,
    receiver: Receiver,
    worker: DeliveryWorker,
) -> None:
    clinic = await make_clinic(client, tenant)
    await hooks.register(receiver.url(), ["appointment.created"])
    created = await _created(
        client, f"{TREATS}/appointments", clinic.headers, clinic.body(slot_time())
    )
    native = await native_of(client, clinic, created["id"])
    for _ in range(50):
        if await worker.run_once() == 0:
            break
    feed = await client.get("/api/v1/changes", headers=clinic.headers, params={"limit": 50})
    assert feed.status_code == 200, feed.text
    events = [c for c in feed.json()["changes"] if c["type"] == "appointment.created"]
    # The webhook and the change feed carry the appointment exactly as the native API shows it.
    assert [e["data"]["appointment"] for e in events] == [native]
    assert [r.json["data"]["appointment"] for r in receiver.requests] == [native]


async def test_available_slots_and_types_in_the_vet_vocabulary(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    clinic = await make_clinic(client, tenant)
    types = await client.get(f"{TREATS}/appointments/types", headers=clinic.headers)
    assert types.status_code == 200, types.text
    assert types.json() == [
        {
            "id": clinic.type_uuid,
            "name": "Vaccination",
            "durationMinutes": 20,
            "clinicId": None,
            "vetIds": [],
        }
    ]

    when = slot_time()
    params = {"vetId": clinic.vet_uuid, "appointmentTypeId": clinic.type_uuid}
    params["date"] = when.date().isoformat()
    found = await client.get(
        f"{TREATS}/appointments/available-slots", headers=clinic.headers, params=params
    )
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["vetId"] == clinic.vet_uuid
    assert body["appointmentTypeId"] == clinic.type_uuid
    assert body["durationMinutes"] == 20
    assert (body["startDate"], body["endDate"]) == (params["date"], params["date"])
    starts = [s["scheduledAt"] for s in body["slots"]]
    wanted = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert wanted in starts
    assert all(s["vetIds"] == [clinic.vet_uuid] for s in body["slots"])
    assert all(UTC_TEXT.match(s["endTime"]) for s in body["slots"])

    # A free slot sent back as scheduledAt books; then it is no longer offered.
    await _created(client, f"{TREATS}/appointments", clinic.headers, clinic.body(when))
    again = await client.get(
        f"{TREATS}/appointments/available-slots", headers=clinic.headers, params=params
    )
    assert wanted not in [s["scheduledAt"] for s in again.json()["slots"]]

    clinic_id = (await client.get("/api/v1/departments", headers=clinic.headers)).json()
    assert all("uuid" in d for d in clinic_id)


async def test_errors_use_the_native_envelope(
    client: httpx.AsyncClient, tenant: Tenant, container: Any
) -> None:
    clinic = await make_clinic(client, tenant)
    url = f"{TREATS}/appointments"
    when = slot_time()

    async def refused(body: Any, status: int, code: str, **kwargs: Any) -> dict[str, Any]:
        response = await client.post(url, headers=kwargs.get("headers", clinic.headers), json=body)
        assert response.status_code == status, response.text
        payload: dict[str, Any] = response.json()
        assert payload["code"] == code
        assert {"code", "message", "timestamp"} <= set(payload)
        return payload

    await refused(clinic.body(when), 401, "UNAUTHORIZED", headers={})
    unknown = str(uuid4())
    missing = await refused(clinic.body(when, clientId=unknown), 404, "CLIENT_NOT_FOUND")
    assert missing["message"] == f"Client not found with id: {unknown}"
    await refused(clinic.body(when, vetId=unknown), 404, "WORKER_NOT_FOUND")
    await refused(clinic.body(when, appointmentTypeId=unknown), 404, "APPOINTMENT_TYPE_NOT_FOUND")
    await refused(clinic.body(when, clientId="not-a-uuid"), 400, "INVALID_REQUEST")
    await refused(clinic.body(when, isUrgent="yes"), 400, "INVALID_REQUEST")
    await refused(clinic.body(when, extra=1), 400, "INVALID_REQUEST")
    await refused(
        {k: v for k, v in clinic.body(when).items() if k != "vetId"}, 400, "INVALID_REQUEST"
    )
    await refused(clinic.body(slot_time(days=-2)), 400, "INVALID_REQUEST")

    # Another clinic's records are unknown here, exactly like ids that do not exist.
    other = await make_clinic(client, await make_tenant(tenant.services))
    await refused(clinic.body(when, patientId=other.patient_uuid), 404, "PATIENT_NOT_FOUND")
    # A patient of another client of the same clinic.
    someone = await _created(client, "/api/v1/clients", clinic.headers, {"name": "Moussa"})
    await refused(clinic.body(when, clientId=someone["uuid"]), 400, "INVALID_REQUEST")

    await _created(client, url, clinic.headers, clinic.body(when))
    # The same client at the same time, then another client on the vet's taken time.
    await refused(clinic.body(when), 409, "SAME_TIME_APPOINTMENT")
    cat = await _created(
        client, f"/api/v1/clients/{someone['id']}/patients", clinic.headers, {"name": "Mimi"}
    )
    other_owner = clinic.body(
        when + timedelta(minutes=10), clientId=someone["uuid"], patientId=cat["uuid"]
    )
    await refused(other_owner, 409, "SLOT_UNAVAILABLE")
    reader = await tenant.key_with("appointments:read")
    await refused(clinic.body(slot_time(hour=15)), 403, "FORBIDDEN", headers={"X-API-Key": reader})

    gone = await client.get(f"{TREATS}/appointments/{uuid4()}", headers=clinic.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "APPOINTMENT_NOT_FOUND")
    bad = await client.get(f"{TREATS}/appointments/12", headers=clinic.headers)
    assert bad.status_code == 404
    # Seed 004 documents no change or cancellation: those are native requests.
    unsupported = await client.delete(f"{TREATS}/appointments/{uuid4()}", headers=clinic.headers)
    assert (unsupported.status_code, unsupported.json()["code"]) == (405, "METHOD_NOT_ALLOWED")
    slots = await client.get(
        f"{TREATS}/appointments/available-slots",
        headers=clinic.headers,
        params={"date": "2027-02-30"},
    )
    assert (slots.status_code, slots.json()["code"]) == (400, "INVALID_REQUEST")
    # Two departments and neither a vet nor a clinic named: the request must say which.
    vague = await client.get(f"{TREATS}/appointments/available-slots", headers=clinic.headers)
    assert (vague.status_code, vague.json()["code"]) == (400, "INVALID_REQUEST")


async def test_without_credits_the_dialect_gets_402(
    client: httpx.AsyncClient, container: Any
) -> None:
    broke = await make_tenant(container.services, credits=0)
    clinic = await make_clinic(client, broke)
    response = await client.post(
        f"{TREATS}/appointments", headers=clinic.headers, json=clinic.body(slot_time())
    )
    assert (response.status_code, response.json()["code"]) == (402, "INSUFFICIENT_CREDITS")


# --- malformed input never gives a 500 -----------------------------------------------------------

_ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
_UUID_LIKE = st.uuids().map(str) | st.text(max_size=40) | _ANY_JSON
_FIELDS = {
    "clientId": _UUID_LIKE,
    "patientId": _UUID_LIKE,
    "vetId": _UUID_LIKE,
    "appointmentTypeId": _UUID_LIKE,
    "scheduledAt": st.datetimes().map(lambda d: d.isoformat()) | st.text(max_size=30) | _ANY_JSON,
    "reason": st.text(max_size=50) | _ANY_JSON,
    "isUrgent": st.booleans() | _ANY_JSON,
}
_BODIES = st.fixed_dictionaries({}, optional=_FIELDS) | _ANY_JSON
_QUERY = st.dictionaries(
    st.sampled_from(["vetId", "appointmentTypeId", "clinicId", "date", "startDate", "endDate"]),
    st.text(max_size=30) | st.uuids().map(str) | st.dates().map(str),
    max_size=4,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=_BODIES, query=_QUERY, path=st.text(max_size=40))
async def test_malformed_input_never_gives_a_500(
    client: httpx.AsyncClient, tenant: Tenant, body: Any, query: dict[str, str], path: str
) -> None:
    created = await client.post(f"{TREATS}/appointments", headers=tenant.headers, json=body)
    slots = await client.get(
        f"{TREATS}/appointments/available-slots", headers=tenant.headers, params=query
    )
    types = await client.get(f"{TREATS}/appointments/types", headers=tenant.headers, params=query)
    read = await client.get(f"{TREATS}/appointments/{quote(path, safe='')}", headers=tenant.headers)
    for response in (created, slots, types, read):
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert {"code", "message", "timestamp"} <= set(response.json())


async def test_concurrent_dialect_bookings_of_one_slot_sell_it_once(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    clinic = await make_clinic(client, tenant)
    body = clinic.body(slot_time(hour=11))
    results = await asyncio.gather(
        *(
            client.post(f"{TREATS}/appointments", headers=clinic.headers, json=body)
            for _ in range(5)
        )
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409, 409]

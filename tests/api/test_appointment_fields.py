"""Every field a booking can set is stored and read back, through the API, on both databases."""

from __future__ import annotations

import httpx

from tests.scheduling_support import add_type, set_worker_hours
from tests.support import Tenant, future


async def test_every_field_set_on_a_booking_is_read_back(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id, "08:00", "18:00")
    type_id = await add_type(client, tenant, durationMinutes=45)
    made = await client.post(
        "/api/v1/clients",
        headers=tenant.headers,
        json={"name": "Awa Camara", "email": f"awa-{tenant.organization_id}@example.org"},
    )
    assert made.status_code == 201, made.text
    client_id = made.json()["id"]
    pet = await client.post(
        f"/api/v1/clients/{client_id}/patients", headers=tenant.headers, json={"name": "Rex"}
    )
    assert pet.status_code == 201, pet.text
    sent = {
        "departmentId": tenant.department_id,
        "dateTime": future(9, 10, 15),
        "name": "Awa C.",
        "workerId": tenant.worker_id,
        "externalUserId": "ext-42",
        "appointmentTypeId": type_id,
        "clientId": client_id,
        "patientId": pet.json()["id"],
        "notes": "Bring the previous passport",
        "reason": "Renewal",
        "isUrgent": True,
        "source": "kiosk",
        "fromWeb": False,
        "telehealthUrl": "https://meet.example.org/room-7",
    }
    booked = await client.post("/api/v1/appointments", headers=tenant.headers, json=sent)
    assert booked.status_code == 201, booked.text
    read = await client.get(f"/api/v1/appointments/{booked.json()['id']}", headers=tenant.headers)
    assert read.status_code == 200, read.text
    for answer in (booked.json(), read.json()):
        for name, value in sent.items():
            assert answer[name] == value, name
        assert answer["endTime"] == future(9, 11, 0)
        assert answer["status"] == "SCHEDULED"
        assert answer["version"] == 1
        assert answer["repeatedFromId"] is None
        assert answer["qrCode"]
        assert answer["uuid"]
    assert read.json() == booked.json()

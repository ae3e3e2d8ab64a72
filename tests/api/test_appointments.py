"""POST/GET/DELETE /api/v1/appointments and the list, as seeds 000 and 001 document them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from slotbook.api.schemas.appointments import AppointmentRead
from tests.support import Tenant, future

URL = "/api/v1/appointments"


async def book(client: httpx.AsyncClient, tenant: Tenant, **fields: Any) -> httpx.Response:
    body: dict[str, Any] = {
        "departmentId": tenant.department_id,
        "dateTime": future(),
        "name": "Amadou Diallo",
    }
    body.update(fields)
    return await client.post(URL, headers=tenant.headers, json=body)


async def test_create_returns_the_documented_fields(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    when = future(days=40, hour=10)
    response = await book(
        client,
        tenant,
        dateTime=when,
        workerId=tenant.worker_id,
        externalUserId="customer_12345",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["dateTime"] == when
    assert body["status"] == "SCHEDULED"
    assert body["name"] == "Amadou Diallo"
    assert body["departmentId"] == tenant.department_id
    assert body["departmentName"].startswith("Open desk")
    assert body["externalUserId"] == "customer_12345"
    assert body["workerId"] == tenant.worker_id
    assert body["timeZone"] == "Europe/Paris"
    assert isinstance(body["id"], int)
    assert body["createdAt"]
    assert body["qrCode"].startswith("QR-")
    assert len(body["qrCode"]) >= 20
    assert response.headers["etag"] == '"1"'


async def test_create_answers_the_read_model_and_the_same_as_a_read(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """The booking route writes the appointment's document itself, without the response
    model: it must be exactly AppointmentRead's JSON, keys in order, and what a read shows."""
    response = await client.post(
        URL,
        headers=tenant.headers,
        params={"lang": "fr"},
        json={
            "departmentId": tenant.department_id,
            "dateTime": future(days=41, hour=9),
            "name": "Zoë Ngụyễn",
        },
    )
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    modelled = AppointmentRead.model_validate(body).model_dump(mode="json", by_alias=True)
    assert list(body.items()) == list(modelled.items())
    read = await client.get(f"{URL}/{body['id']}", headers=tenant.headers, params={"lang": "fr"})
    assert read.json() == body


async def test_qr_codes_are_unique(client: httpx.AsyncClient, tenant: Tenant) -> None:
    codes = {
        (await book(client, tenant, dateTime=future(hour=h))).json()["qrCode"] for h in range(8, 14)
    }
    assert len(codes) == 6


async def test_date_time_with_an_offset_is_shown_in_department_time(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    response = await book(client, tenant, dateTime="2031-01-15T09:00:00Z")
    assert response.json()["dateTime"] == "2031-01-15T10:00:00"  # Paris is UTC+1 in winter


async def test_a_past_date_is_refused(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await book(client, tenant, dateTime="2020-02-15T10:00:00")
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_REQUEST"
    assert response.json()["message"] == "DateTime must be in the future"


async def test_a_time_in_the_dst_gap_is_refused(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await book(client, tenant, dateTime="2031-03-30T02:30:00")
    assert response.status_code == 400
    assert "does not exist" in response.json()["message"]


async def test_worker_is_required_when_admins_are_shown(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    response = await book(client, tenant, departmentId=tenant.staffed_department_id)
    assert response.status_code == 400
    assert "workerId is required" in response.json()["message"]
    ok = await book(
        client, tenant, departmentId=tenant.staffed_department_id, workerId=tenant.worker_id
    )
    assert ok.status_code == 201


async def test_worker_must_belong_to_the_department(
    client: httpx.AsyncClient, tenant: Tenant, container: Any
) -> None:
    from tests.support import make_tenant

    other = await make_tenant(container.services)
    response = await book(client, tenant, workerId=other.worker_id)
    assert response.status_code == 400
    assert "does not work in department" in response.json()["message"]


async def test_unknown_and_foreign_departments(
    client: httpx.AsyncClient, tenant: Tenant, container: Any
) -> None:
    from tests.support import make_tenant

    other = await make_tenant(container.services)
    unknown = await book(client, tenant, departmentId=2_000_000_000)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "DEPARTMENT_NOT_FOUND"
    foreign = await book(client, tenant, departmentId=other.department_id)
    assert foreign.status_code == 403
    assert foreign.json()["code"] == "FORBIDDEN"


async def test_get_unknown_and_foreign_appointments(
    client: httpx.AsyncClient, tenant: Tenant, container: Any
) -> None:
    from tests.support import make_tenant

    other = await make_tenant(container.services)
    theirs = (await book(client, other)).json()["id"]
    foreign = await client.get(f"{URL}/{theirs}", headers=tenant.headers)
    assert foreign.status_code == 403
    assert foreign.json()["code"] == "FORBIDDEN"
    assert "Amadou" not in foreign.text
    missing = await client.get(f"{URL}/2000000000", headers=tenant.headers)
    assert missing.status_code == 404
    assert missing.json() == {
        "code": "APPOINTMENT_NOT_FOUND",
        "message": "Appointment not found with id: 2000000000",
        "timestamp": missing.json()["timestamp"],
        "requestId": missing.headers["X-Request-Id"],
    }
    cancel_foreign = await client.delete(f"{URL}/{theirs}", headers=tenant.headers)
    assert cancel_foreign.status_code == 403
    still = await client.get(f"{URL}/{theirs}", headers=other.headers)
    assert still.json()["status"] == "SCHEDULED"


async def test_cancel_refunds_once(client: httpx.AsyncClient, tenant: Tenant) -> None:
    created = (await book(client, tenant)).json()
    balance = (await client.get("/api/v1/credits", headers=tenant.headers)).json()["balance"]
    first = await client.delete(f"{URL}/{created['id']}", headers=tenant.headers)
    assert first.status_code == 200
    assert first.json()["status"] == "CANCELLED"
    second = await client.delete(f"{URL}/{created['id']}", headers=tenant.headers)
    assert second.status_code == 200
    assert second.json()["status"] == "CANCELLED"
    after = (await client.get("/api/v1/credits", headers=tenant.headers)).json()
    assert after["balance"] == balance + 1
    refunds = [e for e in after["ledger"] if e["reason"] == "REFUND"]
    assert len(refunds) == 1
    assert refunds[0]["appointmentId"] == created["id"]


async def test_list_pages_and_filters(client: httpx.AsyncClient, tenant: Tenant) -> None:
    ids = []
    for day in range(1, 6):
        user = "alice" if day % 2 else "bob"
        response = await book(client, tenant, dateTime=future(days=day), externalUserId=user)
        ids.append(response.json()["id"])
    await client.delete(f"{URL}/{ids[1]}", headers=tenant.headers)

    everything = (await client.get(URL, headers=tenant.headers)).json()
    assert [a["id"] for a in everything["appointments"]] == ids  # ordered by dateTime
    assert everything["totalElements"] == 5
    assert everything["totalPages"] == 1
    assert everything["isLast"] is True

    page = (await client.get(URL, headers=tenant.headers, params={"page": 1, "size": 2})).json()
    assert [a["id"] for a in page["appointments"]] == ids[2:4]
    assert (page["page"], page["size"], page["totalPages"], page["isLast"]) == (1, 2, 3, False)
    last = (await client.get(URL, headers=tenant.headers, params={"page": 2, "size": 2})).json()
    assert last["isLast"] is True
    assert len(last["appointments"]) == 1
    beyond = (await client.get(URL, headers=tenant.headers, params={"page": 9, "size": 2})).json()
    assert beyond["appointments"] == []
    assert beyond["isLast"] is True

    async def ids_for(**params: Any) -> list[int]:
        body = (await client.get(URL, headers=tenant.headers, params=params)).json()
        return [a["id"] for a in body["appointments"]]

    assert await ids_for(status="CANCELLED") == [ids[1]]
    assert await ids_for(status="SCHEDULED") == [ids[0], ids[2], ids[3], ids[4]]
    assert await ids_for(externalUserId="alice") == [ids[0], ids[2], ids[4]]
    assert await ids_for(departmentId=tenant.department_id) == ids
    assert await ids_for(departmentId=tenant.staffed_department_id) == []
    assert (
        await ids_for(startDate=future(days=2, hour=0), endDate=future(days=4, hour=23)) == ids[1:4]
    )
    assert await ids_for(startDate=future(days=4, hour=0)) == ids[3:]


async def test_lists_never_show_another_organization(
    client: httpx.AsyncClient, tenant: Tenant, container: Any
) -> None:
    from tests.support import make_tenant

    other = await make_tenant(container.services)
    await book(client, other)
    mine = (await book(client, tenant)).json()["id"]
    listed = (await client.get(URL, headers=tenant.headers)).json()
    assert [a["id"] for a in listed["appointments"]] == [mine]
    departments = (await client.get("/api/v1/departments", headers=tenant.headers)).json()
    assert {d["organization"]["id"] for d in departments} == {tenant.organization_id}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"size": 101}, "size"),
        ({"size": 0}, "size"),
        ({"size": 10**12}, "size"),
        ({"page": -1}, "page"),
        ({"page": "first"}, "page"),
        ({"status": "BOOKED"}, "status"),
        ({"departmentId": "five"}, "departmentId"),
        ({"startDate": "yesterday"}, "startDate"),
    ],
)
async def test_bad_list_parameters(
    client: httpx.AsyncClient, tenant: Tenant, params: dict[str, Any], field: str
) -> None:
    response = await client.get(URL, headers=tenant.headers, params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_REQUEST"
    assert body["details"][0]["field"] == field


async def test_departments_show_their_organization(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    departments = (await client.get("/api/v1/departments", headers=tenant.headers)).json()
    assert [d["id"] for d in departments] == [tenant.department_id, tenant.staffed_department_id]
    first = departments[0]
    assert set(first) >= {"id", "name", "description", "organization"}
    assert first["organization"]["name"].startswith("Organization")
    assert departments[1]["showAdminsInBooking"] is True


async def test_qr_images(client: httpx.AsyncClient, tenant: Tenant) -> None:
    created = (await book(client, tenant)).json()
    svg = await client.get(f"{URL}/{created['id']}/qr.svg", headers=tenant.headers)
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content
    png = await client.get(f"{URL}/{created['id']}/qr.png", headers=tenant.headers)
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    missing = await client.get(f"{URL}/2000000000/qr.png", headers=tenant.headers)
    assert missing.status_code == 404

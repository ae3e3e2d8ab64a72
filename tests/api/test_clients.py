"""Clients and patients over HTTP: CRUD, scopes, email rules, bookings for them, GDPR erasure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from slotbook.application.organizations import set_no_show_rule
from slotbook.bootstrap import Container
from tests.support import Tenant, TestClock, balance, book, future, make_tenant

CLIENTS = "/api/v1/clients"


async def _client(
    http: httpx.AsyncClient, tenant: Tenant, expect: int = 201, **fields: object
) -> dict[str, Any]:
    response = await http.post(
        CLIENTS, headers=tenant.headers, json={"name": "Awa Camara", **fields}
    )
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_client_crud_and_search(client: httpx.AsyncClient, tenant: Tenant) -> None:
    awa = await _client(
        client, tenant, email="Awa@Example.org", phone="06 12 34 56 78", externalUserId="u-1"
    )
    assert awa["email"] == "awa@example.org"
    assert awa["noShowCount"] == 0
    await _client(client, tenant, name="Moussa Keita", email="moussa@example.org")

    got = await client.get(f"{CLIENTS}/{awa['id']}", headers=tenant.headers)
    assert got.json() == awa
    found = await client.get(f"{CLIENTS}?search=CAMARA", headers=tenant.headers)
    assert [c["id"] for c in found.json()["clients"]] == [awa["id"]]
    assert (await client.get(f"{CLIENTS}?search=34 56", headers=tenant.headers)).json()[
        "totalElements"
    ] == 1
    everyone = await client.get(f"{CLIENTS}?size=1", headers=tenant.headers)
    assert (everyone.json()["totalElements"], everyone.json()["isLast"]) == (2, False)

    patched = await client.patch(
        f"{CLIENTS}/{awa['id']}",
        headers=tenant.headers,
        json={"secondPhone": "+224 620", "notes": None},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["secondPhone"] == "+224 620"
    assert patched.json()["phone"] == "06 12 34 56 78"  # not sent, not changed
    assert (
        await client.patch(f"{CLIENTS}/{awa['id']}", headers=tenant.headers, json={"name": None})
    ).status_code == 400

    deleted = await client.delete(f"{CLIENTS}/{awa['id']}", headers=tenant.headers)
    assert deleted.status_code == 204
    gone = await client.get(f"{CLIENTS}/{awa['id']}", headers=tenant.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "CLIENT_NOT_FOUND")
    assert gone.json()["message"] == f"Client not found with id: {awa['id']}"


async def test_email_is_unique_in_an_organization(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    first = await _client(client, tenant, email="awa@example.org")
    again = await _client(client, tenant, expect=409, email="AWA@example.org")
    assert again["code"] == "EMAIL_ALREADY_EXISTS"
    other = await _client(client, tenant, name="Other", email="other@example.org")
    clash = await client.patch(
        f"{CLIENTS}/{other['id']}", headers=tenant.headers, json={"email": "awa@example.org"}
    )
    assert clash.json()["code"] == "EMAIL_ALREADY_EXISTS"
    # Another organization may have a client with the same email.
    elsewhere = await make_tenant(container.services)
    await _client(client, elsewhere, email="awa@example.org")

    by_email = await client.get(f"{CLIENTS}/by-email?email=Awa@example.org", headers=tenant.headers)
    assert by_email.json()["id"] == first["id"]
    missing = await client.get(
        f"{CLIENTS}/by-email?email=nobody@example.org", headers=tenant.headers
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "EMAIL_NOT_FOUND")
    assert (await _client(client, tenant, expect=400, email="not-an-email"))["code"] == (
        "INVALID_REQUEST"
    )


async def test_client_scopes_and_tenancy(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    awa = await _client(client, tenant)
    reader = {"X-API-Key": await tenant.key_with("clients:read")}
    booker = {"X-API-Key": await tenant.key_with("appointments:create")}
    assert (await client.get(f"{CLIENTS}/{awa['id']}", headers=reader)).status_code == 200
    assert (await client.post(CLIENTS, headers=reader, json={"name": "X"})).status_code == 403
    assert (await client.get(f"{CLIENTS}/{awa['id']}", headers=booker)).status_code == 403
    other = await make_tenant(container.services)
    foreign = await client.get(f"{CLIENTS}/{awa['id']}", headers=other.headers)
    assert (foreign.status_code, foreign.json()["code"]) == (403, "FORBIDDEN")
    assert (await client.get(f"{CLIENTS}/2147483648", headers=tenant.headers)).status_code == 400
    # Booking for an existing client by id needs no client scope; an inline client does.
    await book(client, tenant, future(), headers=booker, clientId=awa["id"])
    await book(client, tenant, future(), headers=booker, expect=403, client={"name": "New"})


async def test_patients(client: httpx.AsyncClient, tenant: Tenant, container: Container) -> None:
    awa = await _client(client, tenant)
    rex = await client.post(
        f"{CLIENTS}/{awa['id']}/patients",
        headers=tenant.headers,
        json={"name": "Rex", "species": "dog", "birthDate": "2020-05-01"},
    )
    assert rex.status_code == 201, rex.text
    patient = rex.json()
    assert (patient["clientId"], patient["birthDate"]) == (awa["id"], "2020-05-01")
    listed = await client.get(f"{CLIENTS}/{awa['id']}/patients", headers=tenant.headers)
    assert listed.json() == [patient]
    changed = await client.patch(
        f"/api/v1/patients/{patient['id']}", headers=tenant.headers, json={"notes": "bites"}
    )
    assert changed.json()["notes"] == "bites"
    assert changed.json()["species"] == "dog"
    other = await make_tenant(container.services)
    assert (
        await client.get(f"/api/v1/patients/{patient['id']}", headers=other.headers)
    ).status_code == 403

    booked = await book(client, tenant, future(), name=None, patientId=patient["id"])
    assert (booked["clientId"], booked["patientId"], booked["name"]) == (
        awa["id"],
        patient["id"],
        "Awa Camara",
    )
    in_use = await client.delete(f"/api/v1/patients/{patient['id']}", headers=tenant.headers)
    assert (in_use.status_code, in_use.json()["code"]) == (409, "STILL_REFERENCED")
    spare = await client.post(
        f"{CLIENTS}/{awa['id']}/patients", headers=tenant.headers, json={"name": "Tom"}
    )
    spare_id = spare.json()["id"]
    assert (
        await client.delete(f"/api/v1/patients/{spare_id}", headers=tenant.headers)
    ).status_code == 204
    missing = await client.get(f"/api/v1/patients/{spare_id}", headers=tenant.headers)
    assert missing.json()["code"] == "PATIENT_NOT_FOUND"


async def test_booking_for_clients(client: httpx.AsyncClient, tenant: Tenant) -> None:
    awa = await _client(client, tenant, externalUserId="ext-awa")
    by_id = await book(client, tenant, future(), name=None, clientId=awa["id"], reason="Vaccin")
    assert (by_id["name"], by_id["externalUserId"], by_id["reason"]) == (
        "Awa Camara",
        "ext-awa",
        "Vaccin",
    )
    assert by_id["fromWeb"] is False  # only the booking page books from the web
    assert by_id["isUrgent"] is False

    created = await book(
        client,
        tenant,
        future(),
        name=None,
        client={"name": "Fatou", "email": "fatou@example.org", "phone": "06 11"},
        isUrgent=True,
        source="our iPhone application",
        fromWeb=False,
        telehealthUrl="https://video.example.org/room/1",
        notes="first visit",
    )
    new_client = await client.get(f"{CLIENTS}/{created['clientId']}", headers=tenant.headers)
    assert new_client.json()["email"] == "fatou@example.org"
    assert (created["isUrgent"], created["fromWeb"], created["source"]) == (
        True,
        False,
        "our iPhone application",
    )
    assert created["telehealthUrl"] == "https://video.example.org/room/1"

    # With an id, the inline client updates that client (seed 002's fiche).
    # (Another day: the client already has an appointment at the first one, SAME_TIME_APPOINTMENT.)
    updated = await book(
        client, tenant, future(31), client={"id": awa["id"], "phone": "07 00"}, name="For Awa"
    )
    assert updated["clientId"] == awa["id"]
    assert updated["name"] == "For Awa"
    after = (await client.get(f"{CLIENTS}/{awa['id']}", headers=tenant.headers)).json()
    assert (after["phone"], after["name"]) == ("07 00", "Awa Camara")

    clash = await book(
        client, tenant, future(), expect=409, client={"name": "X", "email": "fatou@example.org"}
    )
    assert clash["code"] == "EMAIL_ALREADY_EXISTS"
    nameless = await book(client, tenant, future(), expect=400, name=None)
    assert "name" in nameless["message"]
    both = await book(
        client, tenant, future(), expect=400, clientId=awa["id"], client={"name": "Y"}
    )
    assert both["code"] == "INVALID_REQUEST"
    unknown = await book(client, tenant, future(), expect=404, clientId=2_000_000_000)
    assert unknown["code"] == "CLIENT_NOT_FOUND"
    bad_url = await book(client, tenant, future(), expect=400, telehealthUrl="javascript:alert(1)")
    assert bad_url["code"] == "INVALID_REQUEST"


async def test_a_patient_of_another_client_is_refused(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    awa = await _client(client, tenant)
    moussa = await _client(client, tenant, name="Moussa")
    rex = await client.post(
        f"{CLIENTS}/{moussa['id']}/patients", headers=tenant.headers, json={"name": "Rex"}
    )
    refused = await book(
        client, tenant, future(), expect=400, clientId=awa["id"], patientId=rex.json()["id"]
    )
    assert "does not belong" in refused["message"]


async def test_too_many_no_shows(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock, container: Container
) -> None:
    now = datetime(2027, 6, 15, 8, 0, tzinfo=UTC)
    clock.freeze(now)
    awa = await _client(client, tenant)
    await set_no_show_rule(container.services, tenant.department_id, 2, window_days=30)
    for hours in (1, 2):
        missed = await book(client, tenant, now + timedelta(hours=hours), clientId=awa["id"])
        clock.freeze(now + timedelta(hours=3))
        await client.post(f"/api/v1/appointments/{missed['id']}/no-show", headers=tenant.headers)
        clock.freeze(now)
    clock.freeze(now + timedelta(hours=3))
    refused = await book(client, tenant, now + timedelta(days=1), expect=422, clientId=awa["id"])
    assert refused["code"] == "TOO_MANY_NO_SHOWS"
    # A booking that names no client is not concerned by the rule.
    await book(client, tenant, now + timedelta(days=1), name="Walk-in")
    # Outside the window the no-shows no longer count.
    clock.freeze(now + timedelta(days=31))
    await book(client, tenant, now + timedelta(days=32), clientId=awa["id"])


async def test_delete_with_appointments_needs_erase(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    awa = await _client(client, tenant)
    await book(client, tenant, future(), clientId=awa["id"])
    refused = await client.delete(f"{CLIENTS}/{awa['id']}", headers=tenant.headers)
    assert (refused.status_code, refused.json()["code"]) == (409, "STILL_REFERENCED")


async def test_gdpr_erasure(client: httpx.AsyncClient, tenant: Tenant) -> None:
    awa = await _client(
        client,
        tenant,
        email="awa@example.org",
        phone="06 12",
        secondPhone="07 12",
        externalUserId="ext-1",
        notes="allergic",
    )
    rex = await client.post(
        f"{CLIENTS}/{awa['id']}/patients",
        headers=tenant.headers,
        json={"name": "Rex", "species": "dog", "birthDate": "2020-01-01", "notes": "shy"},
    )
    kept = await book(
        client, tenant, future(days=10), clientId=awa["id"], notes="knee", reason="pain"
    )
    cancelled = await book(
        client, tenant, future(days=11), clientId=awa["id"], patientId=rex.json()["id"]
    )
    await client.post(
        f"/api/v1/appointments/{cancelled['id']}/cancel",
        headers=tenant.headers,
        json={"cancellationReason": 30, "cancellationNote": "flu"},
    )
    stranger = await book(client, tenant, future(days=12), name="Someone else", notes="keep me")
    credits_before = await balance(client, tenant)

    erased = await client.delete(f"{CLIENTS}/{awa['id']}?erase=true", headers=tenant.headers)
    assert erased.status_code == 204, erased.text

    shell = (await client.get(f"{CLIENTS}/{awa['id']}", headers=tenant.headers)).json()
    for field in ("name", "email", "phone", "secondPhone", "externalUserId", "notes"):
        assert shell[field] is None, field
    assert shell["erasedAt"] is not None
    pet = (await client.get(f"/api/v1/patients/{rex.json()['id']}", headers=tenant.headers)).json()
    assert (pet["name"], pet["notes"], pet["birthDate"], pet["species"]) == (
        None,
        None,
        None,
        "dog",
    )
    for appointment in (kept, cancelled):
        now = (
            await client.get(f"/api/v1/appointments/{appointment['id']}", headers=tenant.headers)
        ).json()
        assert now["name"] == ""
        for field in ("notes", "reason", "cancellationNote", "externalUserId"):
            assert now[field] is None, field
        assert now["status"] == appointment["status"] or now["status"] == "CANCELLED"
        history = (
            await client.get(
                f"/api/v1/appointments/{appointment['id']}/history", headers=tenant.headers
            )
        ).json()["history"]
        assert history[-1]["action"] == "CLIENT_ERASED"
        text = str(history)
        for secret in ("Jean Dupont", "knee", "pain", "flu", "awa@example.org", "ext-1"):
            assert secret not in text
    untouched = await client.get(f"/api/v1/appointments/{stranger['id']}", headers=tenant.headers)
    assert untouched.json()["notes"] == "keep me"
    assert await balance(client, tenant) == credits_before
    # The email is free again, the erased client cannot be changed or book.
    await _client(client, tenant, email="awa@example.org")
    assert (
        await client.patch(f"{CLIENTS}/{awa['id']}", headers=tenant.headers, json={"name": "A"})
    ).status_code == 400
    assert (await book(client, tenant, future(), expect=400, clientId=awa["id"]))["code"] == (
        "INVALID_REQUEST"
    )
    again = await client.delete(f"{CLIENTS}/{awa['id']}?erase=true", headers=tenant.headers)
    assert again.status_code == 204

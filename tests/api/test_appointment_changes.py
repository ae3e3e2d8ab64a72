"""Cancel with reasons, If-Match and ETag, archive, details update, conflicts, history."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import insert

from slotbook.bootstrap import Container
from slotbook.infra.db.tables import appointment
from tests.support import Tenant, balance, book, future, make_tenant

API = "/api/v1/appointments"
LABELS = {
    10: "Feeling better",
    20: "Condition worse",
    30: "Sick",
    40: "Away",
    50: "Other",
    60: "Work",
}


@pytest.mark.parametrize("reason", sorted(LABELS))
async def test_cancel_with_each_reason(
    client: httpx.AsyncClient, tenant: Tenant, reason: int
) -> None:
    created = await book(client, tenant, future())
    before = await balance(client, tenant)
    response = await client.post(
        f"{API}/{created['id']}/cancel",
        headers=tenant.headers,
        json={"cancellationReason": reason, "cancellationNote": "called the desk"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["cancellationReason"]) == ("CANCELLED", reason)
    assert body["cancellationReasonDescription"] == LABELS[reason]
    assert body["cancellationNote"] == "called the desk"
    assert await balance(client, tenant) == before + 1
    again = await client.post(f"{API}/{created['id']}/cancel", headers=tenant.headers)
    assert again.json()["version"] == body["version"]
    assert await balance(client, tenant) == before + 1  # refunded once


async def test_cancel_refusals(client: httpx.AsyncClient, tenant: Tenant) -> None:
    created = await book(client, tenant, future())
    url = f"{API}/{created['id']}/cancel"
    for bad in ({"cancellationReason": 70}, {"cancellationReason": "Sick"}, {"reason": 10}):
        response = await client.post(url, headers=tenant.headers, json=bad)
        assert response.status_code == 400, bad
    french = await client.post(
        f"{url}?lang=fr", headers=tenant.headers, json={"cancellationReason": 30}
    )
    assert french.json()["cancellationReasonDescription"] == "Malade"
    assert french.json()["displayStatus"] == "Annulé"
    cancel_only = {"X-API-Key": await tenant.key_with("appointments:read")}
    other = await book(client, tenant, future())
    assert (
        await client.post(f"{API}/{other['id']}/cancel", headers=cancel_only)
    ).status_code == 403


async def test_if_match_and_etag(client: httpx.AsyncClient, tenant: Tenant) -> None:
    created = await book(client, tenant, future())
    url = f"{API}/{created['id']}"
    read = await client.get(url, headers=tenant.headers)
    assert read.headers["ETag"] == '"1"'
    stale = {**tenant.headers, "If-Match": '"1"'}
    patched = await client.patch(url, headers=stale, json={"notes": "desk A"})
    assert patched.status_code == 200, patched.text
    assert patched.headers["ETag"] == '"2"'
    # Desk B still holds version 1: every write refuses to overwrite desk A's change.
    for method, path, body in (
        ("PATCH", url, {"notes": "desk B"}),
        ("POST", f"{url}/confirm", None),
        ("POST", f"{url}/cancel", {}),
        ("POST", f"{url}/archive", None),
        ("DELETE", url, None),
    ):
        response = await client.request(method, path, headers=stale, json=body)
        assert response.status_code == 412, (method, path, response.text)
        assert response.json()["code"] == "VERSION_MISMATCH"
    current = await client.get(url, headers=tenant.headers)
    assert current.json()["notes"] == "desk A"
    assert current.json()["status"] == "SCHEDULED"
    fresh = {**tenant.headers, "If-Match": 'W/"2", "2"'}
    assert (await client.post(f"{url}/confirm", headers=fresh)).status_code == 200
    weak_only = {**tenant.headers, "If-Match": 'W/"3"'}
    assert (await client.patch(url, headers=weak_only, json={"notes": "x"})).status_code == 412
    anything = {**tenant.headers, "If-Match": "*"}
    assert (await client.patch(url, headers=anything, json={"notes": "y"})).status_code == 200
    malformed = {**tenant.headers, "If-Match": "3"}
    assert (await client.patch(url, headers=malformed, json={"notes": "z"})).status_code == 400
    deleted = await client.delete(url, headers={**tenant.headers, "If-Match": '"4"'})
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["status"] == "CANCELLED"


async def test_patch_details(client: httpx.AsyncClient, tenant: Tenant) -> None:
    created = await book(client, tenant, future(), notes="a", reason="b")
    url = f"{API}/{created['id']}"
    changed = await client.patch(
        url,
        headers=tenant.headers,
        json={"isUrgent": True, "reason": None, "telehealthUrl": "https://meet.example.org/x"},
    )
    body = changed.json()
    assert (body["isUrgent"], body["reason"], body["notes"]) == (True, None, "a")
    assert body["telehealthUrl"] == "https://meet.example.org/x"
    for bad in ({"isUrgent": None}, {"status": "COMPLETED"}):
        assert (await client.patch(url, headers=tenant.headers, json=bad)).status_code == 400
    unchanged = await client.patch(url, headers=tenant.headers, json={"notes": "a"})
    assert unchanged.json()["version"] == body["version"]


async def test_archive(client: httpx.AsyncClient, tenant: Tenant) -> None:
    kept = await book(client, tenant, future())
    hidden = await book(client, tenant, future())
    before = await balance(client, tenant)
    archived = await client.post(f"{API}/{hidden['id']}/archive", headers=tenant.headers)
    assert archived.status_code == 200, archived.text
    assert archived.json()["archivedAt"] is not None
    assert archived.json()["status"] == "SCHEDULED"
    assert await balance(client, tenant) == before
    again = await client.post(f"{API}/{hidden['id']}/archive", headers=tenant.headers)
    assert again.json()["version"] == archived.json()["version"]
    default = await client.get(API, headers=tenant.headers)
    assert [a["id"] for a in default.json()["appointments"]] == [kept["id"]]
    only_archived = await client.get(f"{API}?archived=true", headers=tenant.headers)
    assert [a["id"] for a in only_archived.json()["appointments"]] == [hidden["id"]]
    # Still readable by id, and still cancellable with its refund.
    cancelled = await client.delete(f"{API}/{hidden['id']}", headers=tenant.headers)
    assert cancelled.json()["status"] == "CANCELLED"
    assert await balance(client, tenant) == before + 1


async def _raw_appointment(
    container: Container, tenant: Tenant, start: datetime, client_id: int, status: str
) -> int:
    """An appointment written straight to the database, as an import or data older than the
    booking rules would be: the API itself never books a client twice at one time."""
    key = f"raw-{tenant.organization_id}-{int(start.timestamp())}-{status}"
    end = start + timedelta(minutes=30)
    async with container.engine.begin() as conn:
        row = await conn.execute(
            insert(appointment)
            .values(
                organization_id=tenant.organization_id,
                department_id=tenant.department_id,
                client_id=client_id,
                name="Imported",
                starts_at=start,
                ends_at=end,
                blocked_from=start,
                blocked_until=end,
                status=status,
                qr_token=key,
                session_key=key,
                created_at=start - timedelta(days=1),
                updated_at=start - timedelta(days=1),
            )
            .returning(appointment.c.id)
        )
        return int(row.scalar_one())


async def test_conflicts(client: httpx.AsyncClient, tenant: Tenant, container: Container) -> None:
    person = await client.post("/api/v1/clients", headers=tenant.headers, json={"name": "Awa"})
    awa = person.json()["id"]
    when = future(days=20, hour=9)
    subject = await book(client, tenant, when, workerId=tenant.worker_id, clientId=awa)
    start = datetime.fromisoformat(subject["dateTime"]).replace(
        tzinfo=ZoneInfo(subject["timeZone"])
    )
    # The same worker at an overlapping time cannot even be booked (the overlap guard)...
    taken = await book(
        client, tenant, future(days=20, hour=9, minute=15), expect=409, workerId=tenant.worker_id
    )
    assert taken["code"] == "SLOT_UNAVAILABLE"
    # ... so conflicts come from data written around the API: ranges that overlap count,
    # back to back does not, nor a cancelled appointment or an unrelated one.
    quarter = timedelta(minutes=15)
    partial = await _raw_appointment(container, tenant, start + quarter, awa, "SCHEDULED")
    after = await _raw_appointment(container, tenant, start + 2 * quarter, awa, "SCHEDULED")
    await _raw_appointment(container, tenant, start, awa, "CANCELLED")
    await book(client, tenant, when, name="Unrelated")
    await book(client, tenant, future(days=20, hour=11), workerId=tenant.worker_id, clientId=awa)

    found = await client.get(f"{API}/{subject['id']}/conflicts", headers=tenant.headers)
    assert found.status_code == 200, found.text
    conflicts = found.json()["conflicts"]
    assert conflicts["exist"] is True
    assert [a["id"] for a in conflicts["appointments"]] == [partial]
    mirrored = await client.get(f"{API}/{partial}/conflicts", headers=tenant.headers)
    # 09:15-09:45 meets both 09:00-09:30 and 09:30-10:00.
    assert [a["id"] for a in mirrored.json()["conflicts"]["appointments"]] == [subject["id"], after]
    alone = await book(client, tenant, future(days=21), name="Alone")
    none = await client.get(f"{API}/{alone['id']}/conflicts", headers=tenant.headers)
    assert none.json() == {"conflicts": {"exist": False, "appointments": []}}
    other = await make_tenant(container.services)
    assert (
        await client.get(f"{API}/{subject['id']}/conflicts", headers=other.headers)
    ).status_code == 403


async def test_history_records_who_when_what(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    second_key = await tenant.key_with("appointments:write", "appointments:cancel")
    created = await book(client, tenant, future(), notes="private")
    url = f"{API}/{created['id']}"
    await client.post(f"{url}/confirm", headers={"X-API-Key": second_key})
    await client.patch(
        url, headers=tenant.headers, json={"notes": "more private", "isUrgent": True}
    )
    await client.post(f"{url}/cancel", headers=tenant.headers, json={"cancellationReason": 40})
    await client.post(f"{url}/cancel", headers=tenant.headers)  # a no-op writes no entry

    response = await client.get(f"{url}/history", headers=tenant.headers)
    assert response.status_code == 200, response.text
    entries = response.json()["history"]
    assert [e["action"] for e in entries] == ["CREATED", "CONFIRMED", "UPDATED", "CANCELLED"]
    assert {e["actor"] for e in entries} == {"API_KEY"}
    assert entries[1]["apiKeyId"] != entries[0]["apiKeyId"]
    assert entries[0]["apiKeyName"] == "test"
    assert entries[1]["changes"] == {"status": {"from": "SCHEDULED", "to": "CONFIRMED"}}
    assert entries[2]["changes"] == {"isUrgent": {"from": False, "to": True}}
    assert entries[2]["personalFieldsChanged"] == ["notes"]
    assert entries[3]["changes"]["cancellationReason"] == {"from": None, "to": 40}
    assert "private" not in response.text  # personal values never enter the history
    assert all(e["at"].endswith("Z") for e in entries)
    paged = await client.get(f"{url}/history?size=3&page=1", headers=tenant.headers)
    assert [e["action"] for e in paged.json()["history"]] == ["CANCELLED"]
    other = await make_tenant(container.services)
    assert (await client.get(f"{url}/history", headers=other.headers)).status_code == 403
    assert (
        await client.get(f"{API}/2000000000/history", headers=tenant.headers)
    ).status_code == 404

"""Status changes over HTTP: every pair of statuses, QR check-in, the no-show sweep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from slotbook.application.transitions import sweep_no_shows
from slotbook.bootstrap import Container
from slotbook.domain.appointments import AppointmentStatus
from tests.support import Tenant, TestClock, book, make_tenant

S = AppointmentStatus
API = "/api/v1/appointments"
ENDPOINT = {
    S.CONFIRMED: "confirm",
    S.CHECKED_IN: "check-in",
    S.COMPLETED: "complete",
    S.MISSED: "no-show",
    S.CANCELLED: "cancel",
}
# How to bring a fresh SCHEDULED appointment into each status.
PATH_TO = {
    S.SCHEDULED: [],
    S.CONFIRMED: [S.CONFIRMED],
    S.CHECKED_IN: [S.CHECKED_IN],
    S.COMPLETED: [S.CHECKED_IN, S.COMPLETED],
    S.MISSED: [S.MISSED],
    S.CANCELLED: [S.CANCELLED],
}
ALLOWED = {
    (S.SCHEDULED, S.CONFIRMED),
    (S.SCHEDULED, S.CHECKED_IN),
    (S.SCHEDULED, S.MISSED),
    (S.SCHEDULED, S.CANCELLED),
    (S.CONFIRMED, S.CHECKED_IN),
    (S.CONFIRMED, S.MISSED),
    (S.CONFIRMED, S.CANCELLED),
    (S.CHECKED_IN, S.COMPLETED),
}
PAIRS = [(a, b) for a in S for b in ENDPOINT]
NOW = datetime(2027, 6, 15, 8, 0, tzinfo=UTC)  # 10:00 in Paris


async def _started_appointment(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> dict[str, object]:
    clock.freeze(NOW)
    created = await book(client, tenant, NOW + timedelta(hours=1))
    clock.freeze(NOW + timedelta(hours=2))  # it has started: a no-show can be recorded
    return created


async def _post(
    client: httpx.AsyncClient, tenant: Tenant, id_: object, target: S
) -> httpx.Response:
    return await client.post(f"{API}/{id_}/{ENDPOINT[target]}", headers=tenant.headers)


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
async def test_every_transition_over_http(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock, current: S, target: S
) -> None:
    created = await _started_appointment(client, tenant, clock)
    for step in PATH_TO[current]:
        assert (await _post(client, tenant, created["id"], step)).status_code == 200
    before = (await client.get(f"{API}/{created['id']}", headers=tenant.headers)).json()
    assert before["status"] == current

    response = await _post(client, tenant, created["id"], target)

    after = (await client.get(f"{API}/{created['id']}", headers=tenant.headers)).json()
    if current is target:
        assert response.status_code == 200, response.text
        assert after["version"] == before["version"]  # a no-op
    elif (current, target) in ALLOWED:
        assert response.status_code == 200, response.text
        assert response.json()["status"] == target
        assert after["version"] == before["version"] + 1
        assert response.headers["ETag"] == f'"{after["version"]}"'
    else:
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "INVALID_TRANSITION"
        assert after == before


async def test_arrival_fields_and_labels(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    created = await _started_appointment(client, tenant, clock)
    assert created["patientArrived"] is False
    assert created["didNotArrive"] is False
    checked = (await _post(client, tenant, created["id"], S.CHECKED_IN)).json()
    assert checked["patientArrived"] is True
    assert checked["arrivedAt"] == "2027-06-15T10:00:00Z"  # UTC, like every record time
    assert checked["displayStatus"] == "Arrived"
    french = await client.get(f"{API}/{created['id']}?lang=fr", headers=tenant.headers)
    assert french.json()["displayStatus"] == "Arrivé"
    assert (
        await client.get(f"{API}/{created['id']}?lang=de", headers=tenant.headers)
    ).status_code == 400


async def test_no_show_only_once_started_and_counted_for_the_client(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    clock.freeze(NOW)
    person = await client.post("/api/v1/clients", headers=tenant.headers, json={"name": "Awa"})
    created = await book(client, tenant, NOW + timedelta(hours=1), clientId=person.json()["id"])
    early = await _post(client, tenant, created["id"], S.MISSED)
    assert early.status_code == 409
    clock.freeze(NOW + timedelta(hours=2))
    missed = (await _post(client, tenant, created["id"], S.MISSED)).json()
    assert missed["didNotArrive"] is True
    assert missed["displayStatus"] == "Did not arrive"
    again = await client.get(f"/api/v1/clients/{person.json()['id']}", headers=tenant.headers)
    assert again.json()["noShowCount"] == 1


async def test_transitions_need_the_write_scope(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    created = await _started_appointment(client, tenant, clock)
    reader = await tenant.key_with("appointments:read")
    response = await client.post(f"{API}/{created['id']}/confirm", headers={"X-API-Key": reader})
    assert response.status_code == 403


async def _check_in(client: httpx.AsyncClient, tenant: Tenant, token: object) -> httpx.Response:
    return await client.post("/api/v1/check-in", headers=tenant.headers, json={"qrCode": token})


async def test_qr_check_in(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock, container: Container
) -> None:
    clock.freeze(NOW)
    today = await book(client, tenant, NOW + timedelta(hours=3))
    tomorrow = await book(client, tenant, NOW + timedelta(days=1))
    cancelled = await book(client, tenant, NOW + timedelta(hours=4))
    await client.delete(f"{API}/{cancelled['id']}", headers=tenant.headers)
    other = await make_tenant(container.services)
    theirs = await book(client, other, NOW + timedelta(hours=3))

    first = await _check_in(client, tenant, today["qrCode"])
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "CHECKED_IN"
    assert first.json()["arrivedAt"] == "2027-06-15T08:00:00Z"
    twice = await _check_in(client, tenant, today["qrCode"])
    assert twice.status_code == 200
    assert twice.json()["version"] == first.json()["version"]

    not_today = await _check_in(client, tenant, tomorrow["qrCode"])
    assert (not_today.status_code, not_today.json()["code"]) == (409, "CHECK_IN_NOT_TODAY")
    refused = await _check_in(client, tenant, cancelled["qrCode"])
    assert (refused.status_code, refused.json()["code"]) == (409, "INVALID_TRANSITION")
    foreign = await _check_in(client, tenant, theirs["qrCode"])
    assert (foreign.status_code, foreign.json()["code"]) == (403, "FORBIDDEN")
    unknown = await _check_in(client, tenant, "QR-nothing-like-it")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "APPOINTMENT_NOT_FOUND")
    assert (await _check_in(client, tenant, "")).status_code == 400
    theirs_now = await client.get(f"{API}/{theirs['id']}", headers=other.headers)
    assert theirs_now.json()["status"] == "SCHEDULED"


async def test_sweep_marks_past_unattended_appointments_missed(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock, container: Container
) -> None:
    clock.freeze(NOW)
    person = await client.post("/api/v1/clients", headers=tenant.headers, json={"name": "Awa"})
    client_id = person.json()["id"]
    # One client's appointments may not overlap (SAME_TIME_APPOINTMENT): back to back.
    old = await book(client, tenant, NOW + timedelta(minutes=50), clientId=client_id)
    confirmed = await book(client, tenant, NOW + timedelta(hours=1, minutes=20), clientId=client_id)
    await client.post(f"{API}/{confirmed['id']}/confirm", headers=tenant.headers)
    arrived = await book(client, tenant, NOW + timedelta(hours=1))
    await client.post(f"{API}/{arrived['id']}/check-in", headers=tenant.headers)
    within_grace = await book(client, tenant, NOW + timedelta(hours=1, minutes=50))
    later = await book(client, tenant, NOW + timedelta(hours=5))

    clock.freeze(NOW + timedelta(hours=2))  # grace 30 min: those before NOW + 1:30 are missed
    marked = await sweep_no_shows(container.services, timedelta(minutes=30))
    assert marked >= 2

    async def status(appointment: dict[str, object]) -> str:
        got = await client.get(f"{API}/{appointment['id']}", headers=tenant.headers)
        return str(got.json()["status"])

    assert await status(old) == "MISSED"
    assert await status(confirmed) == "MISSED"
    assert await status(arrived) == "CHECKED_IN"
    assert await status(within_grace) == "SCHEDULED"
    assert await status(later) == "SCHEDULED"
    counted = await client.get(f"/api/v1/clients/{client_id}", headers=tenant.headers)
    assert counted.json()["noShowCount"] == 2
    history = await client.get(f"{API}/{old['id']}/history", headers=tenant.headers)
    last = history.json()["history"][-1]
    assert (last["action"], last["actor"], last["apiKeyId"]) == ("MISSED", "SWEEP", None)
    assert last["changes"] == {"status": {"from": "SCHEDULED", "to": "MISSED"}}
    assert await sweep_no_shows(container.services, timedelta(minutes=30)) == 0

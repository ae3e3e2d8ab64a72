"""Bookings sharing a PostgreSQL transaction (infra/db/booking_groups.py).

Bookings that arrive together go into one transaction; whatever the group cannot commit as a
whole is booked again alone, so the answers are those of bookings made one at a time."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from slotbook.api.app import create_app
from slotbook.application.ports import Services
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.infra.db.booking_groups import MAX_MEMBERS, BookingGroups
from slotbook.infra.db.uow import SqlUnitOfWorkFactory
from tests.scheduling_support import set_worker_hours
from tests.support import Hooks, Tenant, balance, future, make_tenant

URL = "/api/v1/appointments"


@dataclass
class Server:
    client: httpx.AsyncClient
    groups: BookingGroups
    tenant: Tenant
    services: Services


@pytest.fixture
async def server(backend: str, test_settings: Settings) -> AsyncIterator[Server]:
    """An app of its own, so that its groups' counts are this test's alone."""
    if backend != "postgresql":
        pytest.skip("bookings share transactions on PostgreSQL only")
    container = build(test_settings)
    factory = container.services.uow
    assert isinstance(factory, SqlUnitOfWorkFactory)
    assert factory.groups is not None
    transport = httpx.ASGITransport(app=create_app(container=container))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        tenant = await make_tenant(container.services, credits=100)
        yield Server(http, factory.groups, tenant, container.services)
    await container.aclose()


async def _book_together(server: Server, bodies: list[dict[str, object]]) -> list[httpx.Response]:
    tenant = server.tenant
    return await asyncio.gather(
        *(
            server.client.post(
                URL,
                headers=tenant.headers,
                json={"departmentId": tenant.department_id, "name": "Ada", **body},
            )
            for body in bodies
        )
    )


async def _entries(server: Server) -> int:
    r = await server.client.get("/api/v1/credits", headers=server.tenant.headers)
    return int(r.json()["totalElements"])


async def test_bookings_arriving_together_share_a_transaction(server: Server) -> None:
    bodies: list[dict[str, object]] = [
        {"dateTime": future(20, 9, 5 * i), "externalUserId": f"client-{i}"} for i in range(12)
    ]
    responses = await _book_together(server, bodies)
    assert [r.status_code for r in responses] == [201] * 12
    assert len({r.json()["id"] for r in responses}) == 12
    # 12 bookings in at most ceil(12 / MAX_MEMBERS) + 1 groups, all committed there.
    assert server.groups.committed == 12
    assert server.groups.formed <= -(-12 // MAX_MEMBERS) + 1
    assert server.groups.sent_alone == 0
    assert await balance(server.client, server.tenant) == 100 - 12
    assert await _entries(server) == 1 + 12  # the grant, then one debit per booking
    for r in responses:  # each reads back as it was answered
        read = await server.client.get(f"{URL}/{r.json()['id']}", headers=server.tenant.headers)
        assert read.json() == r.json()


async def test_a_group_the_database_refuses_books_each_member_alone(server: Server) -> None:
    """Two members on one worker at one time: the overlap guard refuses the group's commit,
    nothing of it is written, and each booking runs again alone: one wins."""
    tenant = server.tenant
    await set_worker_hours(server.client, tenant, tenant.worker_id)
    when = future(21, 10)
    bodies: list[dict[str, object]] = [
        {"dateTime": when, "workerId": tenant.worker_id, "externalUserId": "first"},
        {"dateTime": when, "workerId": tenant.worker_id, "externalUserId": "second"},
        {"dateTime": future(21, 15), "externalUserId": "bystander"},
    ]
    responses = await _book_together(server, bodies)
    statuses = sorted(r.status_code for r in responses[:2])
    assert statuses == [201, 409]
    assert responses[2].status_code == 201
    assert server.groups.sent_alone >= 2
    assert await balance(server.client, tenant) == 100 - 2
    assert await _entries(server) == 1 + 2


async def test_one_client_is_never_checked_twice_in_one_group(server: Server) -> None:
    """The client's lock is claimed in the group: the second booking of one client leaves it
    and runs alone, after the first has committed, so the client's rules see both."""
    r = await server.client.post(
        "/api/v1/departments",
        headers=server.tenant.headers,
        json={"name": "One at a time", "bookingPolicy": {"maxUpcomingPerClient": 1}},
    )
    desk = r.json()["id"]
    bodies: list[dict[str, object]] = [
        {"departmentId": desk, "dateTime": future(22, 9 + i), "externalUserId": "same"}
        for i in range(4)
    ]
    responses = await _book_together(server, bodies)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 422, 422, 422]
    assert server.groups.sent_alone >= 3
    assert await balance(server.client, server.tenant) == 100 - 1


async def test_the_last_credits_go_to_exactly_as_many_bookings(server: Server) -> None:
    """A group whose debits overdraw the balance is refused whole; alone, each booking
    gets its own answer: as many 201 as credits, the rest 402."""
    server.tenant = await make_tenant(server.services, credits=5)
    bodies: list[dict[str, object]] = [
        {"dateTime": future(23, 8, 5 * i), "externalUserId": f"c{i}"} for i in range(12)
    ]
    responses = await _book_together(server, bodies)
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 5
    assert statuses.count(402) == 7
    assert await balance(server.client, server.tenant) == 0
    assert await _entries(server) == 1 + 5


async def _feed(server: Server) -> list[tuple[int, dict[str, object]]]:
    """Every event of the tenant with its position (the cursor after it), one page each."""
    found: list[tuple[int, dict[str, object]]] = []
    cursor = "0"
    while True:
        r = await server.client.get(
            "/api/v1/changes", headers=server.tenant.headers, params={"after": cursor, "limit": 1}
        )
        body = r.json()
        if not body["changes"]:
            return found
        cursor = body["cursor"]
        found.append((int(cursor), body["changes"][0]))


async def test_a_group_writes_what_its_members_would_have_written(server: Server) -> None:
    """The group's appointments, history entries, debits and events are merged into one
    statement each (group_writes): each appointment and its history entry read back as
    answered, the ledger still has one row per booking with the balance after it, the feed
    one event per booking at consecutive positions, each webhook endpoint one delivery per
    event, and a credits.low crossed by the group is reported once, after its bookings."""
    server.tenant = await make_tenant(server.services, credits=10)
    headers = server.tenant.headers
    await server.client.patch("/api/v1/credits", headers=headers, json={"creditsLowThreshold": 5})
    hook = await Hooks(server.client, server.tenant).register(
        "http://127.0.0.1:9999/hook", ["appointment.created"]
    )
    bodies: list[dict[str, object]] = [
        {"dateTime": future(24, 9, 5 * i), "externalUserId": f"m{i}"} for i in range(MAX_MEMBERS)
    ]
    responses = await _book_together(server, bodies)
    assert [r.status_code for r in responses] == [201] * MAX_MEMBERS
    assert server.groups.sent_alone == 0
    assert server.groups.formed == 1  # one group: its writes were merged

    credits = await server.client.get("/api/v1/credits", headers=headers, params={"size": 100})
    ledger = sorted(credits.json()["ledger"], key=lambda e: e["id"])
    debits = [e for e in ledger if e["reason"] == "BOOKING"]
    assert [e["balanceAfter"] for e in debits] == list(range(9, 9 - MAX_MEMBERS, -1))
    assert {e["appointmentId"] for e in debits} == {r.json()["id"] for r in responses}
    assert all(e["delta"] == -1 for e in debits)

    feed = await _feed(server)
    positions = [position for position, _ in feed]
    assert positions == list(range(positions[0], positions[0] + MAX_MEMBERS + 1))
    created = [event for _, event in feed if event["type"] == "appointment.created"]
    # In the ledger's order: each booking's event where its debit is.
    assert [e["data"]["appointment"]["id"] for e in created] == [  # type: ignore[index]
        e["appointmentId"] for e in debits
    ]
    assert [event["type"] for _, event in feed][-1] == "credits.low"
    assert feed[-1][1]["data"] == {"credits": {"balance": 10 - MAX_MEMBERS, "threshold": 5}}

    for r in responses:  # each booking's appointment and history entry, as it was answered
        booked = r.json()
        read = await server.client.get(f"{URL}/{booked['id']}", headers=headers)
        assert read.json() == booked
        history = await server.client.get(f"{URL}/{booked['id']}/history", headers=headers)
        entries = history.json()["history"]
        assert [(e["action"], e["changes"]["status"]["to"]) for e in entries] == [
            ("CREATED", "SCHEDULED")
        ]

    deliveries = await Hooks(server.client, server.tenant).deliveries(hook["id"])
    assert sorted(d["eventId"] for d in deliveries) == sorted(e["id"] for e in created)  # type: ignore[type-var]


async def test_a_group_leaves_no_garbage_to_collect(server: Server) -> None:
    """A group and its members refer to each other while it runs; once it is over nothing of
    it, nor of its bookings, is left in a reference cycle. The server collects garbage only
    every 20,000 young objects (api/app.py), which is right only while bookings make none."""
    bodies: list[dict[str, object]] = [
        {"dateTime": future(25, 9, 5 * i), "externalUserId": f"g{i}"} for i in range(12)
    ]
    gc.collect()
    gc.disable()
    try:
        responses = await _book_together(server, bodies)
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage if type(o).__module__.startswith("slotbook")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert [r.status_code for r in responses] == [201] * 12
    assert server.groups.committed == 12
    assert left == []

"""The free-slot read of bookings (busy_times) against the Booking read it stands for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from slotbook.bootstrap import Container
from slotbook.domain.schedules import BusyTimes
from slotbook.domain.slots import busy_times
from tests.scheduling_support import add_type, book, set_worker_hours
from tests.support import Tenant, future


def _columns(
    busy: dict[int | None, BusyTimes], sessions: bool = True
) -> dict[int | None, tuple[list[int], ...]]:
    return {
        owner: (
            sorted(times.block_starts),
            sorted(times.block_ends),
            sorted(times.session_starts) if sessions else [],
        )
        for owner, times in busy.items()
    }


async def test_busy_times_are_the_bookings_per_resource(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id, "08:00", "18:00")
    group = await add_type(client, tenant, durationMinutes=60, capacity=3, bufferBeforeMinutes=10)
    plain = await add_type(client, tenant, durationMinutes=30, bufferAfterMinutes=15)
    r = await client.post(
        "/api/v1/departments",
        headers=tenant.headers,
        json={"name": "Counter without workers", "alwaysOpen": True},
    )
    assert r.status_code == 201, r.text
    counter = int(r.json()["id"])
    day = future(12)[:10]
    for department, at, fields in [
        (tenant.department_id, "09:00", {"appointmentTypeId": plain}),
        (tenant.department_id, "11:00", {"appointmentTypeId": group}),
        (tenant.department_id, "11:00", {"appointmentTypeId": group}),
        (tenant.department_id, "15:00", {}),
        (counter, "10:00", {}),
        (counter, "10:00", {}),
    ]:
        booked = await book(client, tenant, department, f"{day}T{at}:00", **fields)
        assert booked.status_code == 201, booked.text
    cancelled = await book(client, tenant, tenant.department_id, f"{day}T16:00:00")
    assert cancelled.status_code == 201, cancelled.text
    r = await client.post(
        f"/api/v1/appointments/{cancelled.json()['id']}/cancel", headers=tenant.headers
    )
    assert r.status_code < 300, r.text
    later = await book(client, tenant, tenant.department_id, f"{future(40)[:10]}T09:00:00")
    assert later.status_code == 201, later.text

    since = datetime.fromisoformat(f"{day}T00:00:00+00:00").astimezone(UTC) - timedelta(days=1)
    until = since + timedelta(days=3)
    async with container.services.uow(tenant.organization_id, write=False) as uow:
        for department in (tenant.department_id, counter):
            workers = [w.id for w in await uow.scheduling.department_workers(department)]
            bookings = await uow.scheduling.bookings(department, workers, since, until)
            for session_type in (group, plain):
                read = await uow.scheduling.busy_times(
                    department, workers, since, until, session_type
                )
                assert _columns(read) == _columns(busy_times(bookings, session_type))
            # No type asked for: the blocked times alone, no session starts.
            read = await uow.scheduling.busy_times(department, workers, since, until)
            assert _columns(read) == _columns(busy_times(bookings, None), sessions=False)
            assert all(not times.session_starts for times in read.values())
            assert sum(len(t.block_starts) for t in read.values()) == len(bookings)
            assert len(bookings) == (4 if department == tenant.department_id else 2)

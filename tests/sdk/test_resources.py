"""Every SDK call against the real app, written as the seed documents' Python snippets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slotbook_client import Record
from tests.sdk.conftest import SDK
from tests.support import Tenant, future


async def test_create_as_seed_000(sdk: SDK, api: Any, tenant: Tenant) -> None:
    appointment = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.staffed_department_id,
            date_time=future(hour=10),
            name="Amadou Diallo",
            worker_id=tenant.worker_id,
            external_user_id="customer_12345",
        ),
    )
    assert isinstance(appointment, Record)
    assert appointment.id == appointment["id"] > 0
    assert appointment.qr_code == appointment["qrCode"]
    assert appointment.status == "SCHEDULED"
    assert appointment.date_time == future(hour=10)
    assert appointment.name == "Amadou Diallo"
    assert appointment.worker_id == tenant.worker_id
    assert appointment.external_user_id == "customer_12345"


async def test_create_with_user_name_as_seed_001(sdk: SDK, api: Any, tenant: Tenant) -> None:
    appointment = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id,
            date_time=future(hour=14, minute=30),
            user_name="Jean Dupont",
            worker_id=tenant.worker_id,
        ),
    )
    assert appointment["name"] == "Jean Dupont"


async def test_create_accepts_an_aware_datetime(sdk: SDK, api: Any, tenant: Tenant) -> None:
    when = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=3)
    appointment = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=when, name="A"
        ),
    )
    local = when.astimezone(ZoneInfo(appointment.time_zone)).replace(tzinfo=None)
    assert appointment.date_time == local.isoformat()
    assert await sdk.call(api, lambda c: c.appointments.get(appointment.id)) == appointment


async def test_get_and_cancel(sdk: SDK, api: Any, tenant: Tenant) -> None:
    created = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=future(), name="Amadou Diallo"
        ),
    )
    appointment = await sdk.call(api, lambda c: c.appointments.get(created.id))
    assert (appointment.status, appointment.date_time, appointment.name) == (
        "SCHEDULED",
        created.date_time,
        "Amadou Diallo",
    )
    cancelled = await sdk.call(api, lambda c: c.appointments.cancel(created.id))
    assert cancelled.status == "CANCELLED"
    credits = await sdk.call(api, lambda c: c.credits.get())
    assert credits.balance == 100  # booked then refunded
    assert [e.reason for e in credits.ledger] == ["REFUND", "BOOKING", "GRANT"]


async def test_list_with_the_seed_filters(sdk: SDK, api: Any, tenant: Tenant) -> None:
    for day, who in ((10, "customer_1"), (11, "customer_1"), (12, "customer_2")):
        await sdk.call(
            api,
            lambda c, day=day, who=who: c.appointments.create(
                department_id=tenant.department_id,
                date_time=future(days=day),
                name=f"Client of {who}",
                external_user_id=who,
            ),
        )
    filtered = await sdk.call(
        api,
        lambda c: c.appointments.list(
            page=0,
            size=20,
            status="SCHEDULED",
            department_id=str(tenant.department_id),
            external_user_id="customer_1",
            start_date=future(days=10, hour=0),
            end_date=future(days=10, hour=23),
        ),
    )
    assert filtered["totalElements"] == filtered.total_elements == 1
    assert [apt["name"] for apt in filtered["appointments"]] == ["Client of customer_1"]
    assert filtered.appointments[0].name == "Client of customer_1"
    assert filtered.is_last is True

    everything = await sdk.call(api, lambda c: c.appointments.list())
    assert everything.total_elements == 3
    assert everything.size == 20


async def test_iter_all_walks_every_page(sdk: SDK, api: Any, tenant: Tenant) -> None:
    for hour in range(8, 13):
        await sdk.call(
            api,
            lambda c, hour=hour: c.appointments.create(
                department_id=tenant.department_id, date_time=future(hour=hour), name=f"N{hour}"
            ),
        )
    names = [a.name for a in await sdk.collect(api, lambda c: c.appointments.iter_all(size=2))]
    assert names == [f"N{hour}" for hour in range(8, 13)]
    sdk.flaky.seen.clear()
    none = await sdk.collect(
        api, lambda c: c.appointments.iter_all(size=2, external_user_id="nobody")
    )
    assert none == []
    assert len(sdk.flaky.seen) == 1


async def test_departments_list_as_seed_001(sdk: SDK, api: Any, tenant: Tenant) -> None:
    departments = await sdk.call(api, lambda c: c.departments.list())
    assert [d.id for d in departments] == [tenant.department_id, tenant.staffed_department_id]
    assert departments[0].organization.id == tenant.organization_id
    assert departments[1]["showAdminsInBooking"] is True


async def test_credits_page(sdk: SDK, api: Any) -> None:
    credits = await sdk.call(api, lambda c: c.credits.get(page=0, size=1))
    assert credits.balance == 100
    assert len(credits.ledger) == 1
    assert credits.ledger[0].balance_after == 100


async def test_context_managers(live: Any, tenant: Tenant, asgi_flaky: Any) -> None:
    import httpx

    from slotbook_client import AsyncClient, Client

    with Client(tenant.key, base_url=live.url) as client:
        assert client.departments.list()
    assert client._http.is_closed
    transport = httpx.ASGITransport(app=asgi_flaky)
    async with AsyncClient(tenant.key, base_url="http://t", transport=transport) as aclient:
        assert await aclient.departments.list()
    assert aclient._http.is_closed

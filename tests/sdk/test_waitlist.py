"""The SDK's waitlist against the real app: join, an offer on a cancelled time, accept,
decline, leave, and OFFER_EXPIRED."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from slotbook_client import ConflictError
from tests.sdk.conftest import SDK
from tests.support import Tenant

PARIS = ZoneInfo("Europe/Paris")
WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
EVERY_DAY = [{"weekday": d, "start": "08:00", "end": "18:00"} for d in WEEK]


def _day(days: int) -> date:
    return datetime.now(PARIS).date() + timedelta(days=days)


async def test_join_offer_accept_decline_and_leave(sdk: SDK, api: Any, tenant: Tenant) -> None:
    await sdk.call(api, lambda c: c.workers.hours.set(tenant.worker_id, EVERY_DAY))
    when = f"{_day(9).isoformat()}T10:00:00"
    taken = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=when, name="Regular"
        ),
    )
    joined = await sdk.call(
        api,
        lambda c: c.waitlist.join(
            department_id=tenant.department_id,
            earliest=_day(1),
            latest=_day(30),
            times_of_day=[("08:00", "12:00")],
            external_user_id="sdk-awa",
            name="Awa Camara",
        ),
    )
    second = await sdk.call(
        api,
        lambda c: c.waitlist.join(
            department_id=tenant.department_id,
            earliest=_day(1),
            latest=_day(30),
            external_user_id="sdk-jean",
            name="Jean Dupont",
        ),
    )
    assert (joined.status, joined.position, joined.offer) == ("WAITING", 1, None)
    await sdk.call(api, lambda c: c.appointments.cancel(taken.id))

    offered = await sdk.call(api, lambda c: c.waitlist.get(joined.id))
    assert offered.status == "OFFERED"
    assert offered.offer.date_time == when
    assert offered.offer.accept_url.startswith("http")
    declined = await sdk.call(api, lambda c: c.waitlist.decline(joined.id))
    assert declined.status == "WAITING"
    page = await sdk.call(
        api, lambda c: c.waitlist.list(department_id=tenant.department_id, status="OFFERED")
    )
    assert [e.id for e in page.entries] == [second.id]
    booked = await sdk.call(api, lambda c: c.waitlist.accept(second.id))
    assert (booked.date_time, booked.name) == (when, "Jean Dupont")
    with pytest.raises(ConflictError) as gone:
        await sdk.call(api, lambda c: c.waitlist.accept(second.id))
    assert gone.value.code == "OFFER_EXPIRED"
    left = await sdk.call(api, lambda c: c.waitlist.leave(joined.id))
    assert left.status == "LEFT"
    everyone = await sdk.collect(
        api, lambda c: c.waitlist.iter_all(department_id=tenant.department_id, size=1)
    )
    assert sorted(e.status for e in everyone) == ["BOOKED", "LEFT"]
    minutes = await sdk.call(api, lambda c: c.waitlist.set_offer_minutes(tenant.department_id, 45))
    assert minutes.offer_minutes == 45

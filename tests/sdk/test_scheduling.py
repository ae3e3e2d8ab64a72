"""The SDK's free slots, explanations, rescheduling and booking rule refusals against the
real app."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from slotbook_client import BookingRuleError, ConflictError, SlotbookError
from slotbook_client.errors import BOOKING_RULE_CODES
from tests.sdk.conftest import SDK
from tests.support import Tenant

PARIS = ZoneInfo("Europe/Paris")
WEEK = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
NINE_TO_ELEVEN = [{"weekday": d, "start": "09:00", "end": "11:00"} for d in WEEK]
DOCS = Path(__file__).parents[2] / "docs" / "scheduling.md"


def _day(days: int = 20) -> date:
    return datetime.now(PARIS).date() + timedelta(days=days)  # the department's zone


def _at(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}:00"


def _local(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(PARIS).strftime("%H:%M")


async def _worker_from_nine_to_eleven(sdk: SDK, api: Any, tenant: Tenant) -> None:
    await sdk.call(api, lambda c: c.workers.hours.set(tenant.worker_id, NINE_TO_ELEVEN))


async def test_slots_follow_hours_types_and_bookings(sdk: SDK, api: Any, tenant: Tenant) -> None:
    await _worker_from_nine_to_eleven(sdk, api, tenant)
    kind = await sdk.call(
        api, lambda c: c.appointment_types.create(name="Interview", duration_minutes=45)
    )
    day = _day()
    free = await sdk.call(
        api,
        lambda c: c.availability.slots(
            department_id=tenant.department_id,
            appointment_type_id=kind.id,
            worker_id=tenant.worker_id,
            start_date=day,
            end_date=day,
        ),
    )
    assert (free.scheduled, free.time_zone, free.duration_minutes) == (True, "Europe/Paris", 45)
    assert (free.start_date, free.end_date) == (day.isoformat(), day.isoformat())
    # Every 30 minutes while 45 minutes still fit before 11:00.
    assert [(_local(s.start), _local(s.end)) for s in free.slots] == [
        ("09:00", "09:45"),
        ("09:30", "10:15"),
        ("10:00", "10:45"),
    ]
    assert {(tuple(s.worker_ids), s.remaining) for s in free.slots} == {((tenant.worker_id,), 1)}

    await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=_at(day, "09:30"), name="Booked"
        ),
    )
    after = await sdk.call(
        api,
        lambda c: c.availability.slots(
            department_id=tenant.department_id, start_date=day.isoformat(), end_date=day
        ),
    )
    assert [_local(s.start) for s in after.slots] == ["09:00", "10:00", "10:30"]


async def test_explain_gives_the_reasons_and_the_rules(sdk: SDK, api: Any, tenant: Tenant) -> None:
    await _worker_from_nine_to_eleven(sdk, api, tenant)
    day = _day()
    taken = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=_at(day, "10:00"), name="First"
        ),
    )
    why = await sdk.call(
        api,
        lambda c: c.availability.explain(
            department_id=tenant.department_id,
            date_time=_at(day, "10:00"),
            worker_id=tenant.worker_id,
        ),
    )
    assert (why.bookable, why.in_the_past, why.rules) == (False, False, [])
    [verdict] = why.workers
    assert verdict.worker_id == tenant.worker_id
    assert [(r.code, r.appointment_ids) for r in verdict.reasons] == [("TAKEN", [taken.id])]

    await sdk.call(
        api,
        lambda c: c.departments.update(
            tenant.department_id, booking_policy={"max_advance_days": 5}
        ),
    )
    await sdk.call(api, lambda c: c.departments.closures.add(tenant.department_id, date=day))
    closed = await sdk.call(
        api,
        lambda c: c.availability.explain(
            department_id=tenant.department_id,
            date_time=datetime.combine(day, datetime.min.time()).replace(hour=9),
        ),
    )
    assert closed.bookable is False
    assert [(r.code, r.numeric_code, r.legacy_code) for r in closed.rules] == [
        ("TOO_FAR_IN_ADVANCE", 8, "MaxRdvPeriod")
    ]
    assert "CLOSED" in [r.code for r in closed.workers[0].reasons]


async def test_update_reschedules_or_keeps_the_old_time(sdk: SDK, api: Any, tenant: Tenant) -> None:
    await _worker_from_nine_to_eleven(sdk, api, tenant)
    day = _day()
    first = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=_at(day, "09:00"), name="First"
        ),
    )
    moved = await sdk.call(
        api, lambda c: c.appointments.update(first.id, date_time=_at(day, "10:00"))
    )
    assert (moved.id, moved.date_time, moved.end_time) == (
        first.id,
        _at(day, "10:00"),
        _at(day, "10:30"),
    )
    second = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=_at(day, "09:00"), name="Second"
        ),
    )
    with pytest.raises(BookingRuleError) as caught:
        await sdk.call(api, lambda c: c.appointments.update(second.id, date_time=_at(day, "10:00")))
    assert (caught.value.status, caught.value.code, caught.value.rule) == (
        409,
        "SLOT_UNAVAILABLE",
        "SLOT_UNAVAILABLE",
    )
    assert (caught.value.numeric_code, caught.value.legacy_code) == (None, "NotAvailable")
    assert caught.value.details  # the reasons, per worker
    kept = await sdk.call(api, lambda c: c.appointments.get(second.id))
    assert kept.date_time == _at(day, "09:00")

    kind = await sdk.call(
        api, lambda c: c.appointment_types.create(name="Short", duration_minutes=15)
    )
    retyped = await sdk.call(
        api, lambda c: c.appointments.update(second.id, appointment_type_id=kind.id)
    )
    assert (retyped.date_time, retyped.end_time) == (_at(day, "09:00"), _at(day, "09:15"))

    await sdk.call(api, lambda c: c.appointments.cancel(second.id))
    with pytest.raises(ConflictError) as finished:
        await sdk.call(api, lambda c: c.appointments.update(second.id, date_time=_at(day, "09:30")))
    assert finished.value.code == "INVALID_TRANSITION"
    assert not isinstance(finished.value, BookingRuleError)


async def test_policy_refusals_raise_booking_rule_errors(
    sdk: SDK, api: Any, tenant: Tenant
) -> None:
    department = tenant.department_id
    await sdk.call(
        api,
        lambda c: c.departments.update(department, booking_policy={"min_notice_minutes": 60_000}),
    )
    when = _at(_day(20), "10:00")

    def book(c: Any) -> Any:
        return c.appointments.create(
            department_id=department, date_time=when, name="A", external_user_id="client-1"
        )

    with pytest.raises(BookingRuleError) as too_soon:
        await sdk.call(api, book)
    error = too_soon.value
    assert isinstance(error, SlotbookError)
    assert (error.status, error.code, error.rule) == (422, "TOO_SOON", "TOO_SOON")
    assert (error.numeric_code, error.legacy_code) == (9, "MintimeRdv")
    assert "60000 minutes" in error.message

    # null turns the rule off: the same booking goes through.
    await sdk.call(
        api, lambda c: c.departments.update(department, booking_policy={"min_notice_minutes": None})
    )
    booked = await sdk.call(api, book)
    assert booked.status == "SCHEDULED"
    with pytest.raises(BookingRuleError) as same_time:
        await sdk.call(api, book)
    assert (same_time.value.status, same_time.value.code) == (409, "SAME_TIME_APPOINTMENT")
    assert (same_time.value.numeric_code, same_time.value.legacy_code) == (12, "SameTimeRdv")


def test_rule_codes_are_those_of_the_scheduling_docs() -> None:
    rows = re.findall(r"^\| `([A-Z_]+)` \| (\d{3}) \| (\d+|—) \|", DOCS.read_text(), re.M)
    documented = {code: None if number == "—" else int(number) for code, _, number in rows}
    assert len(documented) == 7
    assert dict(BOOKING_RULE_CODES) == documented

"""The SDK's schedule administration against the real app: workers with their hours and
exceptions, departments with their settings, hours and closures, appointment types."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from slotbook_client import DepartmentDetail, NotFoundError, Record
from tests.sdk.conftest import SDK
from tests.support import Tenant, future

MORNINGS = [{"weekday": "MONDAY", "start": "08:30", "end": "12:30"}]
SPLIT_MONDAY = [*MORNINGS, {"weekday": "MONDAY", "start": "13:30", "end": "16:30"}]


async def test_workers_create_get_list_update(sdk: SDK, api: Any, tenant: Tenant) -> None:
    created = await sdk.call(
        api, lambda c: c.workers.create(name="Mariama Bah", department_ids=[tenant.department_id])
    )
    assert isinstance(created, Record)
    assert (created.name, created.department_ids) == ("Mariama Bah", [tenant.department_id])
    assert await sdk.call(api, lambda c: c.workers.get(created.id)) == created
    listed = await sdk.call(api, lambda c: c.workers.list())
    assert [w.id for w in listed] == [tenant.worker_id, created.id]

    moved = await sdk.call(
        api,
        lambda c: c.workers.update(
            created.id, name="Mariama Bah-Diallo", department_ids=[tenant.staffed_department_id]
        ),
    )
    assert (moved.id, moved.name, moved["departmentIds"]) == (
        created.id,
        "Mariama Bah-Diallo",
        [tenant.staffed_department_id],
    )
    with pytest.raises(NotFoundError) as caught:
        await sdk.call(api, lambda c: c.workers.get(2_000_000_000))
    assert caught.value.code == "WORKER_NOT_FOUND"


async def test_worker_hours_for_all_departments_or_one(sdk: SDK, api: Any, tenant: Tenant) -> None:
    worker = tenant.worker_id
    saved = await sdk.call(api, lambda c: c.workers.hours.set(worker, SPLIT_MONDAY))
    assert saved.worker_id == worker
    assert saved.department_id is None
    assert saved.ranges == SPLIT_MONDAY
    in_one = await sdk.call(
        api,
        lambda c: c.workers.hours.set(worker, MORNINGS, department_id=tenant.department_id),
    )
    assert (in_one.department_id, in_one.ranges) == (tenant.department_id, MORNINGS)

    everywhere = await sdk.call(api, lambda c: c.workers.hours.get(worker))
    assert everywhere.ranges == SPLIT_MONDAY
    there = await sdk.call(
        api, lambda c: c.workers.hours.get(worker, department_id=tenant.department_id)
    )
    assert there.ranges == MORNINGS
    cleared = await sdk.call(api, lambda c: c.workers.hours.set(worker, []))
    assert cleared.ranges == []


async def test_worker_exceptions_add_list_delete(sdk: SDK, api: Any, tenant: Tenant) -> None:
    worker = tenant.worker_id
    leave = await sdk.call(
        api,
        lambda c: c.workers.exceptions.add(
            worker,
            kind="TIME_OFF",
            starts_at=future(days=5, hour=0),
            ends_at=future(days=8, hour=0),
            reason="Annual leave",
        ),
    )
    assert (leave.worker_id, leave.kind, leave.reason) == (worker, "TIME_OFF", "Annual leave")
    extra = await sdk.call(
        api,
        lambda c: c.workers.exceptions.add(
            worker, kind="EXTRA_HOURS", starts_at=future(days=9), ends_at=future(days=9, hour=12)
        ),
    )
    assert extra.reason is None
    listed = await sdk.call(api, lambda c: c.workers.exceptions.list(worker))
    assert [(x.id, x.kind) for x in listed] == [(leave.id, "TIME_OFF"), (extra.id, "EXTRA_HOURS")]

    assert await sdk.call(api, lambda c: c.workers.exceptions.delete(worker, leave.id)) == {}
    remaining = await sdk.call(api, lambda c: c.workers.exceptions.list(worker))
    assert [x.id for x in remaining] == [extra.id]
    with pytest.raises(NotFoundError) as caught:
        await sdk.call(api, lambda c: c.workers.exceptions.delete(worker, leave.id))
    assert caught.value.code == "SCHEDULE_EXCEPTION_NOT_FOUND"


async def test_departments_create_get_update(sdk: SDK, api: Any, tenant: Tenant) -> None:
    created = await sdk.call(
        api,
        lambda c: c.departments.create(
            name="Consulate",
            description="Visas",
            time_zone="Africa/Conakry",
            slot_interval_minutes=20,
            slot_capacity=4,
            booking_policy={"max_advance_days": 60, "minNoticeMinutes": 120},
        ),
    )
    assert (created.name, created.time_zone, created.inherits_time_zone) == (
        "Consulate",
        "Africa/Conakry",
        False,
    )
    assert (created.slot_interval_minutes, created.slot_capacity) == (20, 4)
    assert created.booking_policy.max_advance_days == 60
    assert created.booking_policy.min_notice_minutes == 120
    assert await sdk.call(api, lambda c: c.departments.get(created.id)) == created

    renamed = await sdk.call(api, lambda c: c.departments.update(created.id, name="Embassy"))
    assert renamed.name == "Embassy"
    assert (renamed.description, renamed.slot_interval_minutes) == ("Visas", 20)
    assert renamed.booking_policy == created.booking_policy

    # None sends null: it clears the description, goes back to the organization's zone and
    # turns a rule off; the rules not given keep their values.
    cleared = await sdk.call(
        api,
        lambda c: c.departments.update(
            created.id,
            description=None,
            time_zone=None,
            booking_policy={"min_notice_minutes": None, "max_upcoming_per_client": 2},
        ),
    )
    assert cleared.description is None
    assert (cleared.time_zone, cleared.inherits_time_zone) == ("Europe/Paris", True)
    assert cleared.booking_policy.min_notice_minutes is None
    assert cleared.booking_policy.max_advance_days == 60
    assert cleared.booking_policy.max_upcoming_per_client == 2
    assert created.id in [d.id for d in await sdk.call(api, lambda c: c.departments.list())]


async def test_department_hours_and_closures(sdk: SDK, api: Any, tenant: Tenant) -> None:
    department = tenant.department_id
    saved = await sdk.call(api, lambda c: c.departments.hours.set(department, SPLIT_MONDAY))
    assert (saved.department_id, saved.ranges) == (department, SPLIT_MONDAY)
    assert (await sdk.call(api, lambda c: c.departments.hours.get(department))).ranges == (
        SPLIT_MONDAY
    )

    christmas = datetime.now(UTC).date() + timedelta(days=40)
    closed = await sdk.call(
        api, lambda c: c.departments.closures.add(department, date=christmas, reason="Holiday")
    )
    assert (closed.department_id, closed.date, closed.reason) == (
        department,
        christmas.isoformat(),
        "Holiday",
    )
    other = await sdk.call(
        api,
        lambda c: c.departments.closures.add(
            department, date=(christmas + timedelta(days=1)).isoformat()
        ),
    )
    listed = await sdk.call(api, lambda c: c.departments.closures.list(department))
    assert [x.id for x in listed] == [closed.id, other.id]
    assert await sdk.call(api, lambda c: c.departments.closures.delete(department, closed.id)) == {}
    listed = await sdk.call(api, lambda c: c.departments.closures.list(department))
    assert [x.id for x in listed] == [other.id]
    with pytest.raises(NotFoundError) as caught:
        await sdk.call(api, lambda c: c.departments.closures.delete(department, closed.id))
    assert caught.value.code == "CLOSURE_NOT_FOUND"


async def test_appointment_types_lifecycle(sdk: SDK, api: Any, tenant: Tenant) -> None:
    group = await sdk.call(
        api,
        lambda c: c.appointment_types.create(
            name="Information session",
            duration_minutes=60,
            buffer_after_minutes=15,
            capacity=3,
            department_id=tenant.department_id,
            worker_ids=[tenant.worker_id],
        ),
    )
    assert (group.duration_minutes, group.buffer_before_minutes, group.buffer_after_minutes) == (
        60,
        0,
        15,
    )
    assert (group.capacity, group.department_id, group.worker_ids) == (
        3,
        tenant.department_id,
        [tenant.worker_id],
    )
    short = await sdk.call(
        api, lambda c: c.appointment_types.create(name="Pick-up", duration_minutes=10)
    )
    assert (short.capacity, short.department_id, short.worker_ids) == (None, None, [])
    assert await sdk.call(api, lambda c: c.appointment_types.get(group.id)) == group

    everywhere = await sdk.call(api, lambda c: c.appointment_types.list())
    assert [t.id for t in everywhere] == [group.id, short.id]
    staffed = await sdk.call(
        api, lambda c: c.appointment_types.list(department_id=tenant.staffed_department_id)
    )
    assert [t.id for t in staffed] == [short.id]

    renamed = await sdk.call(api, lambda c: c.appointment_types.update(group.id, name="Briefing"))
    assert (renamed.name, renamed.duration_minutes, renamed.capacity) == ("Briefing", 60, 3)
    opened = await sdk.call(
        api,
        lambda c: c.appointment_types.update(
            group.id, capacity=None, department_id=None, worker_ids=[]
        ),
    )
    assert (opened.capacity, opened.department_id, opened.worker_ids) == (None, None, [])
    assert opened.name == "Briefing"

    assert await sdk.call(api, lambda c: c.appointment_types.delete(short.id)) == {}
    remaining = await sdk.call(api, lambda c: c.appointment_types.list())
    assert [t.id for t in remaining] == [group.id]


async def test_reminder_offsets_calendar_feeds_and_credit_threshold(
    sdk: SDK, api: Any, tenant: Tenant
) -> None:
    department = tenant.department_id
    updated = await sdk.call(
        api, lambda c: c.departments.update(department, reminder_offsets=[60, 1440])
    )
    assert updated.reminder_offsets == [1440, 60]
    feed = await sdk.call(api, lambda c: c.departments.new_calendar_feed(department))
    assert feed.url.endswith(".ics")
    worker_feed = await sdk.call(api, lambda c: c.workers.new_calendar_feed(tenant.worker_id))
    assert worker_feed.url != feed.url
    assert (
        await sdk.call(api, lambda c: c.credits.set_low_threshold(5))
    ).credits_low_threshold == 5
    assert (await sdk.call(api, lambda c: c.credits.get())).credits_low_threshold == 5
    cleared = await sdk.call(api, lambda c: c.credits.set_low_threshold(None))
    assert cleared.credits_low_threshold is None


async def test_departments_open_on_weekdays_unless_always_open(sdk: SDK, api: Any) -> None:
    weekdays = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
    desk = await sdk.call(api, lambda c: c.departments.create(name="Desk"))
    assert isinstance(desk, DepartmentDetail)
    assert desk.always_open is False
    assert [(r.weekday, r.start, r.end) for r in desk.opening_hours] == [
        (day, "09:00", "17:00") for day in weekdays
    ]
    line = await sdk.call(api, lambda c: c.departments.create(name="Line", always_open=True))
    assert (line.always_open, line.opening_hours) == (True, [])
    closed = await sdk.call(api, lambda c: c.departments.update(line.id, always_open=False))
    assert (closed.always_open, closed.opening_hours) == (False, [])

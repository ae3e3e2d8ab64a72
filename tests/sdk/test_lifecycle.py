"""The SDK's appointment lifecycle against the real app: status changes, QR check-in, cancel
with a reason, archive, detail changes with If-Match, series, conflicts, history, filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from slotbook.bootstrap import Container
from slotbook.infra.db.tables import appointment
from slotbook_client import ConflictError, PreconditionFailedError, Record
from tests.sdk.conftest import SDK
from tests.support import Tenant, future

NOW = datetime(2027, 6, 15, 8, 0, tzinfo=UTC)  # 10:00 in Paris


def _book(tenant: Tenant, when: str | datetime, **fields: Any) -> Any:
    return lambda c: c.appointments.create(
        department_id=tenant.department_id, date_time=when, **{"name": "Awa", **fields}
    )


async def test_confirm_check_in_complete_and_history(sdk: SDK, api: Any, tenant: Tenant) -> None:
    sdk.clock.freeze(NOW)  # check-in is open on the appointment's day
    booked = await sdk.call(api, _book(tenant, NOW + timedelta(hours=2)))
    confirmed = await sdk.call(
        api, lambda c: c.appointments.confirm(booked.id, if_match=booked.version)
    )
    assert (confirmed.status, confirmed.version) == ("CONFIRMED", booked.version + 1)
    arrived = await sdk.call(api, lambda c: c.appointments.check_in(booked.id))
    assert (arrived.status, arrived.patient_arrived) == ("CHECKED_IN", True)
    assert arrived.arrived_at is not None
    done = await sdk.call(api, lambda c: c.appointments.complete(booked.id))
    assert done.status == "COMPLETED"

    with pytest.raises(ConflictError) as illegal:
        await sdk.call(api, lambda c: c.appointments.confirm(booked.id))
    assert type(illegal.value) is ConflictError
    assert (illegal.value.status, illegal.value.code) == (409, "INVALID_TRANSITION")

    history = await sdk.call(api, lambda c: c.appointments.history(booked.id))
    statuses = [e.changes.get("status", {}).get("to") for e in history.history]
    assert statuses[1:] == ["CONFIRMED", "CHECKED_IN", "COMPLETED"]
    assert history.total_elements == 4
    assert all(e.actor == "API_KEY" for e in history.history)
    second = await sdk.call(api, lambda c: c.appointments.history(booked.id, page=1, size=3))
    assert [e.id for e in second.history] == [history.history[3].id]


async def test_no_show_and_check_in_by_qr_code(sdk: SDK, api: Any, tenant: Tenant) -> None:
    sdk.clock.freeze(NOW)
    arriving = await sdk.call(api, _book(tenant, NOW + timedelta(hours=1)))
    absent = await sdk.call(api, _book(tenant, NOW + timedelta(hours=1), name="Jean"))
    with pytest.raises(ConflictError) as too_early:
        await sdk.call(api, lambda c: c.appointments.no_show(absent.id))
    assert too_early.value.code == "INVALID_TRANSITION"

    sdk.clock.freeze(NOW + timedelta(hours=2))  # both have started
    scanned = await sdk.call(api, lambda c: c.appointments.check_in_by_qr(arriving.qr_code))
    assert (scanned.id, scanned.status) == (arriving.id, "CHECKED_IN")
    missed = await sdk.call(
        api, lambda c: c.appointments.no_show(absent.id, if_match=f'"{absent.version}"')
    )
    assert (missed.status, missed.did_not_arrive) == ("MISSED", True)

    sdk.clock.freeze(NOW + timedelta(days=1))
    tomorrow = await sdk.call(api, _book(tenant, NOW + timedelta(days=3)))
    with pytest.raises(ConflictError) as not_today:
        await sdk.call(api, lambda c: c.appointments.check_in_by_qr(tomorrow.qr_code))
    assert not_today.value.code == "CHECK_IN_NOT_TODAY"


async def test_update_details_with_if_match(sdk: SDK, api: Any, tenant: Tenant) -> None:
    booked = await sdk.call(api, _book(tenant, future(), notes="First visit"))
    changed = await sdk.call(
        api,
        lambda c: c.appointments.update(
            booked.id,
            notes="Bring the file",
            reason="Vaccination",
            is_urgent=True,
            telehealth_url="https://meet.example.org/awa",
            if_match=booked.version,
        ),
    )
    assert (changed.notes, changed.reason, changed.is_urgent, changed.telehealth_url) == (
        "Bring the file",
        "Vaccination",
        True,
        "https://meet.example.org/awa",
    )
    assert changed.date_time == booked.date_time

    with pytest.raises(PreconditionFailedError) as stale:
        await sdk.call(
            api, lambda c: c.appointments.update(booked.id, notes=None, if_match=booked.version)
        )
    assert isinstance(stale.value, ConflictError)
    assert (stale.value.status, stale.value.code) == (412, "VERSION_MISMATCH")
    for call in (
        lambda c: c.appointments.confirm(booked.id, if_match=booked.version),
        lambda c: c.appointments.archive(booked.id, if_match=booked.version),
        lambda c: c.appointments.cancel(booked.id, if_match=booked.version),
        lambda c: c.appointments.cancel(booked.id, reason=30, if_match=booked.version),
    ):
        with pytest.raises(PreconditionFailedError):
            await sdk.call(api, call)

    cleared = await sdk.call(
        api,
        lambda c: c.appointments.update(
            booked.id, notes=None, telehealth_url=None, if_match=changed.version
        ),
    )
    assert (cleared.notes, cleared.telehealth_url, cleared.reason) == (None, None, "Vaccination")
    moved = await sdk.call(
        api,
        lambda c: c.appointments.update(booked.id, date_time=future(hour=15), if_match="*"),
    )
    assert (moved.date_time, moved.reason) == (future(hour=15), "Vaccination")


async def test_cancel_with_a_reason_and_archive(sdk: SDK, api: Any, tenant: Tenant) -> None:
    plain = await sdk.call(api, _book(tenant, future(hour=9)))
    reasoned = await sdk.call(api, _book(tenant, future(hour=11)))
    cancelled = await sdk.call(
        api, lambda c: c.appointments.cancel(reasoned.id, reason=30, note="Flu")
    )
    assert (cancelled.status, cancelled.cancellation_reason, cancelled.cancellation_note) == (
        "CANCELLED",
        30,
        "Flu",
    )
    assert cancelled.cancellation_reason_description == "Sick"
    assert (await sdk.call(api, lambda c: c.credits.get())).balance == 99

    archived = await sdk.call(api, lambda c: c.appointments.archive(plain.id))
    assert (archived.status, archived.archived_at is not None) == ("SCHEDULED", True)
    shown = await sdk.call(api, lambda c: c.appointments.list())
    assert [a.id for a in shown.appointments] == [reasoned.id]
    hidden = await sdk.call(api, lambda c: c.appointments.list(archived=True))
    assert [a.id for a in hidden.appointments] == [plain.id]


async def test_series_create_and_cancel_with_repeats(sdk: SDK, api: Any, tenant: Tenant) -> None:
    first = await sdk.call(
        api,
        _book(
            tenant,
            future(days=14),
            repeat_rule={"repeat_type": "Weekly", "repeating_interval": 1, "number_of_repeats": 3},
        ),
    )
    by_rrule = await sdk.call(
        api, _book(tenant, future(days=14, hour=15), rrule="FREQ=DAILY;COUNT=2")
    )
    series = await sdk.call(
        api,
        lambda c: c.appointments.list(q=[f"repeatedFromId:={first.id}"], sort="dateTime:asc"),
    )
    assert len(series.appointments) == 2
    assert (await sdk.call(api, lambda c: c.credits.get())).balance == 95

    await sdk.call(api, lambda c: c.appointments.cancel(first.id, apply_to_repeats=True))
    left = await sdk.call(api, lambda c: c.appointments.list(status="SCHEDULED"))
    assert [a.id for a in left.appointments] == [by_rrule.id, by_rrule.id + 1]
    assert (await sdk.call(api, lambda c: c.credits.get())).balance == 98


async def test_create_for_a_client_and_the_list_filters(sdk: SDK, api: Any, tenant: Tenant) -> None:
    owner = await sdk.call(api, lambda c: c.clients.create(name="Awa Camara"))
    rex = await sdk.call(api, lambda c: c.patients.create(owner.id, name="Rex"))
    for_rex = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id,
            date_time=future(hour=9),
            client_id=owner.id,
            patient_id=rex.id,
            worker_id=tenant.worker_id,
            notes="Bring the booklet",
            reason="Vaccination",
            is_urgent=True,
            source="our iPhone application",
            from_web=False,
            telehealth_url="https://meet.example.org/rex",
        ),
    )
    assert (for_rex.name, for_rex.client_id, for_rex.patient_id) == (
        "Awa Camara",
        owner.id,
        rex.id,
    )
    assert (for_rex.is_urgent, for_rex.source, for_rex.from_web) == (
        True,
        "our iPhone application",
        False,
    )
    inline = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id,
            date_time=future(hour=10),
            client={"name": "Jean Dupont", "email": "jean@example.org", "externalUserId": "j1"},
        ),
    )
    jean = await sdk.call(api, lambda c: c.clients.by_email("jean@example.org"))
    assert (inline.client_id, inline.name, inline.external_user_id) == (
        jean.id,
        "Jean Dupont",
        "j1",
    )
    other = await sdk.call(api, _book(tenant, future(hour=11), name="Dupont Marie"))

    async def ids(**filters: Any) -> list[int]:
        page = await sdk.call(api, lambda c: c.appointments.list(**filters))
        return [a.id for a in page.appointments]

    assert await ids(client_id=owner.id) == [for_rex.id]
    assert await ids(patient_id=rex.id) == [for_rex.id]
    assert await ids(worker_id=tenant.worker_id) == [for_rex.id]
    assert await ids(is_urgent=True) == [for_rex.id]
    assert await ids(is_urgent=False) == [inline.id, other.id]
    assert await ids(q=["name:~dupont"], sort="dateTime:desc") == [other.id, inline.id]
    assert await ids(q="name:~dupont") == [inline.id, other.id]
    assert await ids(include_past=False) == [for_rex.id, inline.id, other.id]
    walked = await sdk.collect(
        api, lambda c: c.appointments.iter_all(size=1, client_id=jean.id, include_past=True)
    )
    assert [a.id for a in walked] == [inline.id]

    sdk.clock.freeze(datetime.now(UTC) + timedelta(days=60))
    assert await ids(include_past=False) == []
    assert await ids(include_past=True) == [for_rex.id, inline.id, other.id]


async def test_list_by_appointment_type(sdk: SDK, api: Any, tenant: Tenant) -> None:
    kind = await sdk.call(
        api,
        lambda c: c.appointment_types.create(
            name="Consultation", duration_minutes=45, department_id=tenant.department_id
        ),
    )
    typed = await sdk.call(api, _book(tenant, future(hour=9), appointment_type_id=kind.id))
    await sdk.call(api, _book(tenant, future(hour=14)))
    page = await sdk.call(api, lambda c: c.appointments.list(appointment_type_id=kind.id))
    assert [a.id for a in page.appointments] == [typed.id]
    assert typed.end_time == future(hour=9, minute=45)


async def test_conflicts(sdk: SDK, api: Any, tenant: Tenant, container: Container) -> None:
    awa = await sdk.call(api, lambda c: c.clients.create(name="Awa"))
    subject = await sdk.call(api, _book(tenant, future(days=20, hour=9), client_id=awa.id))
    alone = await sdk.call(api, lambda c: c.appointments.conflicts(subject.id))
    assert alone == Record({"conflicts": {"exist": False, "appointments": []}})
    # The API never books a client twice at one time, so the overlap is written around it
    # (as an import would).
    start = datetime.fromisoformat(subject.date_time).replace(tzinfo=ZoneInfo(subject.time_zone))
    overlapping = await _imported(container, tenant, awa.id, start)
    found = await sdk.call(api, lambda c: c.appointments.conflicts(subject.id))
    assert found.conflicts.exist is True
    assert [a.id for a in found.conflicts.appointments] == [overlapping]


async def _imported(container: Container, tenant: Tenant, client_id: int, at: datetime) -> int:
    start = at.astimezone(UTC) + timedelta(minutes=15)
    end = start + timedelta(minutes=30)
    key = f"sdk-import-{tenant.organization_id}"
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
                status="SCHEDULED",
                qr_token=key,
                session_key=key,
                created_at=start - timedelta(days=1),
                updated_at=start - timedelta(days=1),
            )
            .returning(appointment.c.id)
        )
        return int(row.scalar_one())

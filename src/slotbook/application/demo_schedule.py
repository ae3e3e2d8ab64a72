"""The demo organization's schedule: hours, types, a closure, time off, and some bookings."""

from __future__ import annotations

from datetime import timedelta

from slotbook.application import scheduling
from slotbook.application.access import Principal
from slotbook.application.availability import SlotQuery, available_slots
from slotbook.application.booking import BookingRequest, create_appointment
from slotbook.application.ports import Services
from slotbook.domain.schedules import DailyRange, ExceptionKind
from slotbook.domain.time import naive_local, zone

WEEKDAYS = range(5)


def _ranges(days: range | tuple[int, ...], *spans: tuple[str, str]) -> list[DailyRange]:
    def minute(text: str) -> int:
        hours, minutes = text.split(":")
        return int(hours) * 60 + int(minutes)

    return [DailyRange(d, minute(a), minute(b)) for d in days for a, b in spans]


async def load_demo_schedule(services: Services, admin: Principal) -> None:
    """Departments 5 (two officers), 8 (four counters, no named worker) and 9 (interviews with
    a named officer, strict booking rules)."""
    await scheduling.update_department(
        services,
        admin,
        5,
        {
            "slot_interval_minutes": 15,
            "address": "Avenue de la République, Kaloum, Conakry",
            "directions": "Ground floor, door 3. Bring your birth certificate.",
        },
    )
    await scheduling.update_department(
        services, admin, 8, {"slot_interval_minutes": 20, "slot_capacity": 4}
    )
    await scheduling.update_department(
        services,
        admin,
        9,
        {
            "slot_interval_minutes": 15,
            "policy": {
                "min_notice_minutes": 24 * 60,
                "max_advance_days": 60,
                "max_upcoming_per_client": 2,
                "min_cancel_notice_minutes": 24 * 60,
            },
        },
    )
    morning_afternoon = (("08:30", "12:30"), ("13:30", "16:30"))
    await scheduling.set_hours(
        services, admin, _ranges(WEEKDAYS, *morning_afternoon), worker_id=42, department_id=None
    )
    await scheduling.set_hours(
        services, admin, _ranges((0, 2, 4), ("09:00", "13:00")), worker_id=43, department_id=5
    )
    await scheduling.set_hours(
        services, admin, _ranges((1, 3), ("09:00", "17:00")), worker_id=43, department_id=9
    )
    await scheduling.set_hours(
        services,
        admin,
        _ranges((0, 1, 2, 3), ("10:00", "12:00"), ("14:00", "17:00")),
        worker_id=44,
        department_id=None,
    )
    await scheduling.set_hours(
        services,
        admin,
        _ranges(WEEKDAYS, ("08:00", "12:00"), ("14:00", "16:00")),
        worker_id=None,
        department_id=8,
    )
    types = {}
    for name, fields in (
        (
            "Passport application",
            {"duration_minutes": 20, "buffer_after_minutes": 10, "department_id": 5},
        ),
        ("Passport collection", {"duration_minutes": 10, "department_id": 5}),
        ("ID card application", {"duration_minutes": 20, "department_id": 8}),
        (
            "Residence permit interview",
            {
                "duration_minutes": 45,
                "buffer_before_minutes": 15,
                "department_id": 9,
                "worker_ids": (43, 44),
            },
        ),
        (
            "Information session (group)",
            {"duration_minutes": 60, "capacity": 10, "department_id": 9, "worker_ids": (44,)},
        ),
    ):
        saved = await scheduling.save_appointment_type(services, admin, {"name": name, **fields})
        types[name] = saved.id
    tz = zone("Africa/Conakry")
    today = naive_local(services.clock.now(), tz).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    await scheduling.add_closure(
        services, admin, 8, next_monday + timedelta(days=14), "Staff training day"
    )
    day_off = next_monday + timedelta(days=2)
    await scheduling.add_exception(
        services,
        admin,
        42,
        ExceptionKind.TIME_OFF,
        naive_local(services.clock.now(), tz).replace(
            year=day_off.year,
            month=day_off.month,
            day=day_off.day,
            hour=0,
            minute=0,
            second=0,
            microsecond=0,
        ),
        naive_local(services.clock.now(), tz).replace(
            year=day_off.year,
            month=day_off.month,
            day=day_off.day,
            hour=23,
            minute=59,
            second=0,
            microsecond=0,
        ),
        "Annual leave",
    )
    # A few existing bookings on next Monday, at the first free slots.
    clients = iter(("Amadou Diallo", "Fatoumata Camara", "Ousmane Keita", "Kadiatou Sylla"))
    for department, kind, count in ((5, "Passport application", 2), (8, "ID card application", 2)):
        for n in range(count):
            listed = await available_slots(
                services,
                admin,
                SlotQuery(department, types[kind], None, next_monday, next_monday),
            )
            slot = listed.slots[0]
            await create_appointment(
                services,
                admin,
                BookingRequest(
                    department_id=department,
                    date_time=slot.starts_at,
                    name=next(clients),
                    external_user_id=f"demo_{department}_{n}",
                    appointment_type_id=types[kind],
                ),
            )

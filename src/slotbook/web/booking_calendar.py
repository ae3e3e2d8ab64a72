"""The booking page's month calendar and the chosen day's times, in the visitor's time zone:
which days of the month have free times, the month before and after, and each time's label."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from slotbook.domain.slots import Slot
from slotbook.web.booking_form import time_choice
from slotbook.web.i18n import Translator

# Regions of the world's zones, as the select groups them; legacy aliases ("US/Eastern",
# "Etc/GMT+5", "Cuba") are left out: a visitor looks for their continent and city.
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@cache
def zone_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The IANA zones a visitor may choose, grouped by region and sorted."""
    zones = available_timezones()
    return tuple(
        (region, tuple(sorted(z for z in zones if z.startswith(region + "/"))))
        for region in REGIONS
    )


@cache
def _choosable() -> frozenset[str]:
    return frozenset(z for _, zones in zone_groups() for z in zones) | {"UTC"}


def visitor_zone(requested: str | None, department_zone: str) -> str:
    """The zone times are shown in: the one asked for when it is a real one, else the
    department's."""
    if requested and (requested in _choosable() or requested == department_zone):
        return requested
    return department_zone


def month_of(value: str | None) -> date | None:
    """The first day of a "YYYY-MM" month parameter; None for anything else."""
    if value is None or len(value) != 7 or value[4] != "-":
        return None
    year, month = value[:4], value[5:]
    if not (year.isascii() and year.isdigit() and month.isascii() and month.isdigit()):
        return None
    if not 1 <= int(month) <= 12 or not 1900 <= int(year) <= 9000:
        return None
    return date(int(year), int(month), 1)


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class DayCell:
    day: date
    in_month: bool
    free: int  # free times that day (0: disabled)
    selected: bool


@dataclass(frozen=True, slots=True)
class TimeChoice:
    value: str  # what the form posts: the department's wall-clock time (and worker)
    label: str  # in the visitor's zone
    local: str | None  # the department's own time, when its zone differs


@dataclass(frozen=True, slots=True)
class MonthView:
    month: date  # its first day
    weeks: Sequence[Sequence[DayCell]]
    previous: date | None  # a month with free days before this one, to navigate to
    next: date | None
    day: date | None  # the chosen day (in the visitor's zone)
    choices: Sequence[TimeChoice]
    zone: str  # the visitor's
    department_zone: str
    first_free: date | None

    @property
    def same_zone(self) -> bool:
        return self.zone == self.department_zone

    @property
    def office_place(self) -> str:
        """The department zone's city ("Conakry"), to label its own times briefly."""
        return self.department_zone.rsplit("/", 1)[-1].replace("_", " ")


def free_days(slots_by_day: Mapping[date, Sequence[Slot]], zone: str) -> dict[date, list[Slot]]:
    """The free times regrouped by the visitor's local day (a late evening time may fall on the
    next day for them)."""
    tz = ZoneInfo(zone)
    days: dict[date, list[Slot]] = {}
    for slots in slots_by_day.values():
        for slot in slots:
            days.setdefault(slot.starts_at.astimezone(tz).date(), []).append(slot)
    return dict(sorted(days.items()))


def month_view(
    t: Translator,
    slots_by_day: Mapping[date, Sequence[Slot]],
    *,
    zone: str,
    department_zone: str,
    month: date | None,
    day: date | None,
    today: date,
    worker_names: Mapping[int, str] | None,
) -> MonthView:
    """The calendar of `month` (else the chosen day's, else the first free day's) with each
    day's number of free times, and the chosen day's times (`worker_names`: offer each time
    once per free worker)."""
    days = free_days(slots_by_day, zone)
    first_free = next(iter(days), None)
    if day is not None and day not in days:
        day = None
    if month is None:
        month = (day or first_free or today).replace(day=1)
    if day is not None and (day.year, day.month) != (month.year, month.month):
        day = None
    if day is None:
        # The month's first free day, so the times are next to the calendar at once.
        day = next((d for d in days if (d.year, d.month) == (month.year, month.month)), None)
    weeks = [
        [DayCell(d, d.month == month.month, len(days.get(d, ())), d == day) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    months = sorted({d.replace(day=1) for d in days})
    previous = next((m for m in reversed(months) if m < month), None)
    following = next((m for m in months if m > month), None)
    choices: list[TimeChoice] = []
    if day is not None:
        visitor_tz, office_tz = ZoneInfo(zone), ZoneInfo(department_zone)
        for slot in days[day]:
            shown = slot.starts_at.astimezone(visitor_tz).strftime("%H:%M")
            office = slot.starts_at.astimezone(office_tz)
            local = None if zone == department_zone else office.strftime("%H:%M")
            if worker_names is not None and slot.worker_ids:
                for worker_id in slot.worker_ids:
                    label = t(
                        "book.time.with",
                        time=shown,
                        worker=worker_names.get(worker_id, str(worker_id)),
                    )
                    choices.append(TimeChoice(time_choice(office, worker_id), label, local))
            else:
                choices.append(TimeChoice(time_choice(office, None), shown, local))
    return MonthView(
        month=month,
        weeks=weeks,
        previous=previous,
        next=following,
        day=day,
        choices=choices,
        zone=zone,
        department_zone=department_zone,
        first_free=first_free,
    )


def zone_label(zone: str, moment: datetime) -> str:
    """ "Africa/Conakry (GMT+00:00)": the zone's name and its offset at that moment."""
    offset = moment.astimezone(ZoneInfo(zone)).strftime("%z")
    return f"{zone.replace('_', ' ')} (GMT{offset[:3]}:{offset[3:]})"

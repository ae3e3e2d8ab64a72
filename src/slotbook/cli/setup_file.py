"""The YAML file `slotbook apply` reads: an organization's departments, hours, staff and
appointment types, validated field by field into the plan the use case applies."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from slotbook.application.setup import DepartmentPlan, OrganizationPlan, TypePlan, WorkerPlan
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.schedules import DailyRange, clock_minute, weekdays_of, weekly_hours
from slotbook.domain.time import zone

Name = Annotated[str, Field(min_length=1, max_length=200)]
# `mon-fri: ["08:30-12:30", "13:30-17:00"]`, `sat: "09:00-12:00"`, `sun: []` (closed).
Hours = dict[str, str | list[str]]


class FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _week(hours: Hours) -> tuple[DailyRange, ...]:
    ranges = []
    for days, spans in hours.items():
        weekdays = weekdays_of(days)
        for span in [spans] if isinstance(spans, str) else spans:
            start, sep, end = span.partition("-")
            if not sep:
                raise InvalidRequest(f"{span!r} is not a range such as 09:00-17:00")
            ranges += [DailyRange(d, clock_minute(start), clock_minute(end)) for d in weekdays]
    return weekly_hours(ranges)


def _checked_hours(hours: Hours | None) -> Hours | None:
    if hours is not None:
        try:
            _week(hours)
        except InvalidRequest as error:
            raise ValueError(error.message) from None
    return hours


def _checked_zone(name: str | None) -> str | None:
    if name is not None:
        try:
            zone(name)
        except InvalidRequest as error:
            raise ValueError(error.message) from None
    return name


class OrganizationSpec(FileModel):
    name: Name
    timezone: str = "UTC"
    credits: int = Field(0, ge=0, description="Given when the organization is created")

    _zone = field_validator("timezone")(_checked_zone)


class DepartmentSpec(FileModel):
    name: Name
    description: str | None = Field(None, max_length=2000)
    timezone: str | None = None
    slot_interval: int = Field(30, ge=5, le=1440)
    capacity: int = Field(1, ge=1, le=10_000)
    show_workers_in_booking: bool = False
    always_open: bool = False
    hours: Hours | None = None

    _zone = field_validator("timezone")(_checked_zone)
    _hours = field_validator("hours")(_checked_hours)

    @model_validator(mode="after")
    def _open_or_hours(self) -> DepartmentSpec:
        if self.always_open and self.hours is not None:
            raise ValueError("an always-open department has no hours: give one or the other")
        return self


class StaffSpec(FileModel):
    name: Name
    departments: list[Name] = Field(default_factory=list)
    hours: Hours | None = None

    _hours = field_validator("hours")(_checked_hours)


class AppointmentTypeSpec(FileModel):
    name: Name
    duration: int = Field(ge=1, le=10_080, description="Minutes")
    department: Name | None = None
    buffer_before: int = Field(0, ge=0, le=1440)
    buffer_after: int = Field(0, ge=0, le=1440)
    capacity: int | None = Field(None, ge=1, le=10_000)
    staff: list[Name] = Field(default_factory=list)


def _twice(names: list[str]) -> list[str]:
    return [name for name, count in Counter(names).items() if count > 1]


class SetupFile(FileModel):
    organization: OrganizationSpec
    departments: list[DepartmentSpec] = Field(default_factory=list)
    staff: list[StaffSpec] = Field(default_factory=list)
    appointment_types: list[AppointmentTypeSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> SetupFile:
        for key, things in (
            ("departments", self.departments),
            ("staff", self.staff),
            ("appointment_types", self.appointment_types),
        ):
            repeated = _twice([thing.name for thing in things])
            if repeated:
                raise ValueError(f"{key}: names are used once each ({', '.join(repeated)})")
        departments = {d.name: d for d in self.departments}
        people = {s.name for s in self.staff}
        for person in self.staff:
            for name in person.departments:
                if name not in departments:
                    raise ValueError(f"staff {person.name!r}: no department {name!r} in the file")
                if person.hours is not None and departments[name].always_open:
                    raise ValueError(
                        f"staff {person.name!r}: their hours would end always_open of "
                        f"department {name!r}"
                    )
        for kind in self.appointment_types:
            if kind.department is not None and kind.department not in departments:
                raise ValueError(
                    f"appointment type {kind.name!r}: no department {kind.department!r} in the file"
                )
            for name in kind.staff:
                if name not in people:
                    raise ValueError(
                        f"appointment type {kind.name!r}: no staff {name!r} in the file"
                    )
        return self

    def plan(self) -> OrganizationPlan:
        o = self.organization
        return OrganizationPlan(
            name=o.name,
            time_zone=o.timezone,
            credits=o.credits,
            departments=tuple(
                DepartmentPlan(
                    name=d.name,
                    description=d.description,
                    time_zone=d.timezone,
                    slot_interval_minutes=d.slot_interval,
                    slot_capacity=d.capacity,
                    show_admins_in_booking=d.show_workers_in_booking,
                    always_open=d.always_open,
                    hours=None if d.hours is None else _week(d.hours),
                )
                for d in self.departments
            ),
            workers=tuple(
                WorkerPlan(
                    name=s.name,
                    departments=tuple(s.departments),
                    hours=None if s.hours is None else _week(s.hours),
                )
                for s in self.staff
            ),
            appointment_types=tuple(
                TypePlan(
                    name=t.name,
                    duration_minutes=t.duration,
                    department=t.department,
                    buffer_before_minutes=t.buffer_before,
                    buffer_after_minutes=t.buffer_after,
                    capacity=t.capacity,
                    workers=tuple(t.staff),
                )
                for t in self.appointment_types
            ),
        )


# What the plan's field names are called in the file, for "updated ...: slot_interval".
FILE_NAMES = {
    "own_time_zone": "timezone",
    "slot_interval_minutes": "slot_interval",
    "slot_capacity": "capacity",
    "show_admins_in_booking": "show_workers_in_booking",
    "duration_minutes": "duration",
    "buffer_before_minutes": "buffer_before",
    "buffer_after_minutes": "buffer_after",
    "department_id": "department",
    "worker_ids": "staff",
}


def _where(location: tuple[int | str, ...]) -> str:
    """`("departments", 1, "hours")` -> `departments[1].hours`."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(the file)"


def read_setup(text: str) -> SetupFile:
    """The file's description, or InvalidRequest saying where each mistake is."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidRequest(f"not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise InvalidRequest("the file describes one organization: a mapping with organization:")
    try:
        return SetupFile.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{_where(e['loc'])}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors()
        ]
        raise InvalidRequest("\n".join(lines)) from None

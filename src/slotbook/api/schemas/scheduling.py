"""Schedule bodies: departments' settings, weekly hours, exceptions, closures, workers, types."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool

from slotbook.api.schemas.common import (
    NOT_BOOLEAN,
    PUBLIC_ID,
    CamelModel,
    DateTime,
    Id,
    Name,
    RequestModel,
    RuleText,
    ShortText,
)
from slotbook.api.schemas.departments import DepartmentRead
from slotbook.application.scheduling import DepartmentDetail
from slotbook.domain.organizations import Worker
from slotbook.domain.reminders import MAX_OFFSET_MINUTES, MAX_OFFSETS
from slotbook.domain.schedules import (
    WEEKDAYS,
    AppointmentType,
    Closure,
    DailyRange,
    ExceptionKind,
    ScheduleException,
)
from slotbook.domain.time import with_offset, zone

_CLOCK = re.compile(r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")


def _clock(value: str) -> str:
    if not _CLOCK.match(value):
        raise ValueError("a time of day as HH:MM (00:00 to 24:00)")
    return value


ClockTime = Annotated[str, Field(pattern=_CLOCK.pattern), AfterValidator(_clock)]
Minutes = Annotated[int, Field(ge=0, le=1440)]
Weekday = Annotated[
    str, Field(pattern="^(MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)$")
]


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


# --- weekly hours ------------------------------------------------------------------------------


class TimeRange(RequestModel):
    weekday: Weekday = Field(examples=["MONDAY"])
    start: ClockTime = Field(examples=["09:00"])
    end: ClockTime = Field(examples=["12:30"], description="Exclusive; 24:00 is midnight")

    def to_domain(self) -> DailyRange:
        return DailyRange(WEEKDAYS.index(self.weekday), _minute(self.start), _minute(self.end))

    @classmethod
    def of(cls, r: DailyRange) -> TimeRange:
        return cls(
            weekday=WEEKDAYS[r.weekday], start=_text(r.start_minute), end=_text(r.end_minute)
        )


class WeeklyHoursWrite(RequestModel):
    ranges: list[TimeRange] = Field(max_length=200)


class WeeklyHoursRead(CamelModel):
    worker_id: int | None = None
    department_id: int | None = Field(
        None, description="For a worker: hours in this department only (null: in all of them)"
    )
    ranges: list[TimeRange]


# --- exceptions and closures -------------------------------------------------------------------


class ScheduleExceptionCreate(RequestModel):
    kind: ExceptionKind = Field(examples=["TIME_OFF"])
    starts_at: DateTime = Field(
        description="Without offset: wall-clock time of the organization's zone",
        examples=["2027-03-01T00:00:00"],
    )
    ends_at: DateTime = Field(examples=["2027-03-08T00:00:00"])
    reason: ShortText | None = Field(None, examples=["Annual leave"])


class ScheduleExceptionRead(CamelModel):
    id: int
    worker_id: int | None
    kind: ExceptionKind
    starts_at: str = Field(examples=["2027-03-01T00:00:00Z"])
    ends_at: str
    reason: str | None

    @classmethod
    def of(cls, x: ScheduleException) -> ScheduleExceptionRead:
        return cls(
            id=x.id,
            worker_id=x.worker_id,
            kind=x.kind,
            starts_at=with_offset(x.starts_at, zone("UTC")),
            ends_at=with_offset(x.ends_at, zone("UTC")),
            reason=x.reason,
        )


class ClosureCreate(RequestModel):
    date: dt.date = Field(examples=["2027-12-25"])
    reason: ShortText | None = Field(None, examples=["Christmas"])


class ClosureRead(CamelModel):
    id: int
    department_id: int
    date: dt.date
    reason: str | None

    @classmethod
    def of(cls, c: Closure) -> ClosureRead:
        return cls(id=c.id, department_id=c.department_id, date=c.day, reason=c.reason)


# --- departments -------------------------------------------------------------------------------


class BookingPolicyFields(RequestModel):
    max_upcoming_per_client: Annotated[int, Field(ge=0, le=10_000), NOT_BOOLEAN] | None = Field(
        None, examples=[3]
    )
    min_minutes_between_client_appointments: (
        Annotated[int, Field(ge=0, le=527_040), NOT_BOOLEAN] | None
    ) = Field(None)
    max_advance_days: Annotated[int, Field(ge=0, le=3660), NOT_BOOLEAN] | None = Field(
        None, examples=[60]
    )
    min_notice_minutes: Annotated[int, Field(ge=0, le=527_040), NOT_BOOLEAN] | None = Field(
        None, examples=[120]
    )
    min_cancel_notice_minutes: Annotated[int, Field(ge=0, le=527_040), NOT_BOOLEAN] | None = Field(
        None, examples=[1440]
    )


ReminderOffset = Annotated[int, Field(ge=1, le=MAX_OFFSET_MINUTES), NOT_BOOLEAN]


class DepartmentWrite(RequestModel):
    name: Name | None = None
    description: ShortText | None = None
    show_admins_in_booking: StrictBool | None = None
    time_zone: ShortText | None = Field(
        None, description="IANA zone; null: the organization's", examples=["Africa/Conakry"]
    )
    slot_interval_minutes: Annotated[int, Field(ge=5, le=1440), NOT_BOOLEAN] | None = Field(
        None, examples=[30]
    )
    slot_capacity: Annotated[int, Field(ge=1, le=10_000), NOT_BOOLEAN] | None = Field(
        None, description="Parallel bookings per slot without a worker"
    )
    booking_policy: BookingPolicyFields | None = None
    reminder_offsets: list[ReminderOffset] | None = Field(
        None,
        max_length=MAX_OFFSETS,
        description="Minutes before the start at which reminders go out; [] for none",
        examples=[[1440, 60]],
    )
    booking_page_enabled: StrictBool | None = Field(
        None, description="false: the public booking page /book/{id} answers 404"
    )
    always_open: StrictBool | None = Field(
        None,
        description="true: takes any future time, whatever its hours say (no limit per time "
        "without a worker). A new department is not: it opens Monday to Friday 09:00-17:00 "
        "until PUT .../hours changes them. Giving it hours sets this back to false",
        examples=[False],
    )
    address: ShortText | None = Field(
        None,
        description="Shown to visitors on the booking page's confirmation; null: none",
        examples=["12 Avenue de la République, Conakry"],
    )
    directions: RuleText | None = Field(
        None,
        description="How to get there, shown with the address; null: none",
        examples=["Second floor, door B. Bus 12 stops in front."],
    )

    def changes(self) -> dict[str, object]:
        """Only the fields the client sent, with the use case's names."""
        sent = self.model_fields_set
        changes: dict[str, object] = {}
        for field in (
            "name",
            "show_admins_in_booking",
            "slot_interval_minutes",
            "slot_capacity",
            "booking_page_enabled",
            "always_open",
        ):
            if field in sent and getattr(self, field) is not None:
                changes[field] = getattr(self, field)
        for field in ("description", "address", "directions"):
            if field in sent:
                changes[field] = getattr(self, field)
        if self.reminder_offsets is not None:
            changes["reminder_offsets"] = tuple(self.reminder_offsets)
        if "time_zone" in sent:
            changes["own_time_zone"] = self.time_zone
        if self.booking_policy is not None:
            policy = self.booking_policy
            changes["policy"] = {k: getattr(policy, k) for k in policy.model_fields_set}
        return changes


class BookingPolicyRead(CamelModel):
    max_upcoming_per_client: int | None
    min_minutes_between_client_appointments: int | None
    max_advance_days: int | None
    min_notice_minutes: int | None
    min_cancel_notice_minutes: int | None


class DepartmentDetailRead(DepartmentRead):
    slot_interval_minutes: int = Field(examples=[30])
    slot_capacity: int = Field(examples=[1])
    inherits_time_zone: bool
    booking_policy: BookingPolicyRead
    reminder_offsets: list[int] = Field(
        examples=[[1440]], description="Minutes before the start at which reminders go out"
    )
    booking_page_enabled: bool = Field(description="Whether /book/{id} takes bookings")
    always_open: bool = Field(
        description="true: takes any future time; its hours, closures and time off do not apply"
    )
    address: str | None = Field(description="Shown on the booking page's confirmation")
    directions: str | None = Field(description="How to get there, shown with the address")
    opening_hours: list[TimeRange] = Field(
        description="The department's own weekly hours (GET/PUT .../hours); workers without "
        "hours of their own follow them"
    )

    @classmethod
    def of_detail(cls, d: DepartmentDetail) -> DepartmentDetailRead:
        base = DepartmentRead.of(d.department)
        p = d.settings.policy
        return cls(
            **base.model_dump(),
            slot_interval_minutes=d.settings.slot_interval_minutes,
            slot_capacity=d.settings.slot_capacity,
            inherits_time_zone=d.own_time_zone is None,
            reminder_offsets=list(d.reminder_offsets),
            booking_page_enabled=d.department.booking_page_enabled,
            always_open=d.settings.always_open,
            address=d.department.address,
            directions=d.department.directions,
            opening_hours=[TimeRange.of(r) for r in d.hours],
            booking_policy=BookingPolicyRead(
                max_upcoming_per_client=p.max_upcoming_per_client,
                min_minutes_between_client_appointments=p.min_minutes_between_client_appointments,
                max_advance_days=p.max_advance_days,
                min_notice_minutes=p.min_notice_minutes,
                min_cancel_notice_minutes=p.min_cancel_notice_minutes,
            ),
        )


# --- workers -----------------------------------------------------------------------------------


class WorkerWrite(RequestModel):
    name: Name = Field(examples=["Mariama Bah"])
    department_ids: list[Id] = Field(default_factory=list, max_length=1000, examples=[[5]])


class WorkerRead(CamelModel):
    id: int = Field(examples=[42])
    uuid: str = Field(examples=["7c9e6679-7425-40de-944b-e07fc1f90ae7"], description=PUBLIC_ID)
    name: str
    department_ids: list[int]

    @classmethod
    def of(cls, w: Worker, departments: tuple[int, ...]) -> WorkerRead:
        return cls(id=w.id, uuid=str(w.uuid), name=w.name, department_ids=list(departments))


# --- appointment types -------------------------------------------------------------------------


class AppointmentTypeWrite(RequestModel):
    name: Name | None = Field(None, examples=["Passport application"])
    duration_minutes: Annotated[int, Field(ge=1, le=10_080), NOT_BOOLEAN] | None = Field(
        None, examples=[20]
    )
    buffer_before_minutes: Annotated[int, Field(ge=0, le=1440), NOT_BOOLEAN] | None = Field(
        None, examples=[0]
    )
    buffer_after_minutes: Annotated[int, Field(ge=0, le=1440), NOT_BOOLEAN] | None = Field(
        None, examples=[10]
    )
    capacity: Annotated[int, Field(ge=1, le=10_000), NOT_BOOLEAN] | None = Field(
        None, description="Clients per group session (null: one)"
    )
    department_id: Id | None = Field(None, description="null: offered in every department")
    worker_ids: list[Id] | None = Field(
        None, max_length=1000, description="Who offers it; empty: every worker"
    )

    def changes(self) -> dict[str, object]:
        changes: dict[str, object] = {}
        for field in self.model_fields_set:
            value = getattr(self, field)
            if field == "worker_ids":
                value = tuple(value or ())
            elif value is None and field not in ("capacity", "department_id"):
                continue
            changes[field] = value
        return changes


class AppointmentTypeRead(CamelModel):
    id: int = Field(examples=[3])
    uuid: str = Field(examples=["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"], description=PUBLIC_ID)
    name: str
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    capacity: int | None
    department_id: int | None
    worker_ids: list[int]

    @classmethod
    def of(cls, t: AppointmentType) -> AppointmentTypeRead:
        return cls(
            id=t.id,
            uuid=str(t.uuid),
            name=t.name,
            duration_minutes=t.duration_minutes,
            buffer_before_minutes=t.buffer_before_minutes,
            buffer_after_minutes=t.buffer_after_minutes,
            capacity=t.capacity,
            department_id=t.department_id,
            worker_ids=list(t.worker_ids),
        )

"""client.departments: the departments of your organization, their settings, booking policy,
opening hours and closure dates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from slotbook_client._core import Call
from slotbook_client._runners import Runner
from slotbook_client.record import camel_case
from slotbook_client.resources._base import (
    API,
    NOT_GIVEN,
    Each,
    Many,
    NotGiven,
    One,
    Resource,
    given,
    weekly_ranges,
)

PATH = f"{API}/departments"
# The rules of a department's bookingPolicy, by their snake_case names (camelCase works too).
Policy = Mapping[str, int | None]


class Departments(Resource[One, Many, Each]):
    """Departments; `hours` and `closures` are their calendar."""

    def __init__(self, runner: Runner[One, Many, Each]) -> None:
        super().__init__(runner)
        self.hours = DepartmentHours(runner)
        self.closures = DepartmentClosures(runner)

    def list(self) -> Many:
        """Every department, each with its `organization`."""
        return self._runner.many(Call("GET", PATH))

    def get(self, department_id: int) -> One:
        """One department with its scheduling settings and `bookingPolicy`."""
        return self._runner.one(Call("GET", f"{PATH}/{int(department_id)}"))

    def create(
        self,
        *,
        name: str,
        description: str | None = None,
        show_admins_in_booking: bool | None = None,
        time_zone: str | None = None,
        slot_interval_minutes: int | None = None,
        slot_capacity: int | None = None,
        booking_policy: Policy | None = None,
        reminder_offsets: Sequence[int] | None = None,
        always_open: bool | None = None,
    ) -> One:
        """A new department (scope `admin`); what is not given takes the API's default
        (`time_zone` None: the organization's zone; `reminder_offsets` None: [1440]). It opens
        Monday to Friday 09:00-17:00 (`opening_hours`) until `hours.set` changes that, unless
        `always_open=True`: then it takes any future time."""
        body = {
            "name": name,
            "description": description,
            "showAdminsInBooking": show_admins_in_booking,
            "timeZone": time_zone,
            "slotIntervalMinutes": slot_interval_minutes,
            "slotCapacity": slot_capacity,
            "bookingPolicy": None if booking_policy is None else _policy(booking_policy),
            "reminderOffsets": None if reminder_offsets is None else list(reminder_offsets),
            "alwaysOpen": always_open,
        }
        return self._runner.one(Call("POST", PATH, body=body))

    def update(
        self,
        department_id: int,
        *,
        name: str | NotGiven = NOT_GIVEN,
        description: str | NotGiven | None = NOT_GIVEN,
        show_admins_in_booking: bool | NotGiven = NOT_GIVEN,
        time_zone: str | NotGiven | None = NOT_GIVEN,
        slot_interval_minutes: int | NotGiven = NOT_GIVEN,
        slot_capacity: int | NotGiven = NOT_GIVEN,
        booking_policy: Policy | NotGiven = NOT_GIVEN,
        reminder_offsets: Sequence[int] | NotGiven = NOT_GIVEN,
        always_open: bool | NotGiven = NOT_GIVEN,
    ) -> One:
        """Change only the fields given (scope `admin`). `description=None` clears it,
        `time_zone=None` goes back to the organization's zone; in `booking_policy` only the
        rules given change, and None turns a rule off: `{"min_notice_minutes": None}`;
        `reminder_offsets` are minutes before the start (`[]`: no reminders)."""
        body = given(
            {
                "name": name,
                "description": description,
                "showAdminsInBooking": show_admins_in_booking,
                "timeZone": time_zone,
                "slotIntervalMinutes": slot_interval_minutes,
                "slotCapacity": slot_capacity,
                "bookingPolicy": (
                    booking_policy
                    if isinstance(booking_policy, NotGiven)
                    else _policy(booking_policy)
                ),
                "reminderOffsets": (
                    reminder_offsets
                    if isinstance(reminder_offsets, NotGiven)
                    else list(reminder_offsets)
                ),
                "alwaysOpen": always_open,
            }
        )
        return self._runner.one(
            Call("PATCH", f"{PATH}/{int(department_id)}", body=body, keep_nulls=True)
        )

    def new_calendar_feed(self, department_id: int) -> One:
        """A new secret calendar-feed `url` of the department (scope `admin`); the previous
        URL stops working."""
        return self._runner.one(Call("POST", f"{PATH}/{int(department_id)}/calendar-feed"))


class DepartmentHours(Resource[One, Many, Each]):
    """client.departments.hours: opening hours (workers without hours of their own follow
    them; a department without workers books against them)."""

    def get(self, department_id: int) -> One:
        """`ranges` of `{weekday, start, end}` (wall-clock "HH:MM", end exclusive)."""
        return self._runner.one(Call("GET", f"{PATH}/{int(department_id)}/hours"))

    def set(self, department_id: int, ranges: Iterable[Mapping[str, Any]]) -> One:
        """Replace the opening hours (scope `admin`); hours end `alwaysOpen`."""
        path = f"{PATH}/{int(department_id)}/hours"
        return self._runner.one(Call("PUT", path, body=weekly_ranges(ranges)))


class DepartmentClosures(Resource[One, Many, Each]):
    """client.departments.closures: local dates on which the department takes no
    appointment."""

    def list(self, department_id: int) -> Many:
        return self._runner.many(Call("GET", f"{PATH}/{int(department_id)}/closures"))

    def add(self, department_id: int, *, date: date | str, reason: str | None = None) -> One:
        """Close a date (scope `admin`)."""
        body = {"date": date, "reason": reason}
        return self._runner.one(Call("POST", f"{PATH}/{int(department_id)}/closures", body=body))

    def delete(self, department_id: int, closure_id: int) -> One:
        """Reopen a date (scope `admin`); returns an empty Record."""
        path = f"{PATH}/{int(department_id)}/closures/{int(closure_id)}"
        return self._runner.one(Call("DELETE", path))


def _policy(policy: Policy) -> dict[str, int | None]:
    # Nested bodies are sent as given, None included (null turns the rule off).
    return {camel_case(rule): minutes for rule, minutes in policy.items()}

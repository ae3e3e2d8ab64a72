"""A change of an appointment made only if what the client states about it holds.

Seed 003's PATCH may restate the business and the patient (which cannot change) and the end
(which follows from the start and the type). They are checked against the appointment as it
is read, and the change is then made on that very version (If-Match), so nothing slips in
between. When a concurrent change overtakes the version read, and the client named no version
of its own, the appointment is read and checked again, a bounded number of times.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from slotbook.application import appointments
from slotbook.application.access import Principal, Scope
from slotbook.application.appointment_details import AppointmentChange, change_appointment
from slotbook.application.durations import booking_duration
from slotbook.application.ports import Services
from slotbook.domain.appointments import Appointment
from slotbook.domain.errors import VersionMismatch

ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class StatedFields:
    """What the client says the appointment is (None: not stated)."""

    department_id: int | None = None
    client_id: int | None = None
    ends_at: datetime | None = None

    @property
    def any(self) -> bool:
        return (self.department_id, self.client_id, self.ends_at) != (None, None, None)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A stated field that is not so; nothing was changed. For `ends_at`, the end it must be
    and the type's duration it follows from."""

    field: Literal["department_id", "client_id", "ends_at"]
    expected_end: datetime | None = None
    duration: timedelta | None = None


async def change_as_stated(
    services: Services,
    principal: Principal,
    appointment_id: int,
    change: AppointmentChange,
    stated: StatedFields,
) -> Appointment | Disagreement:
    """`change_appointment`, after checking `stated` against the appointment as it is."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await _change_once(services, principal, appointment_id, change, stated)
        except VersionMismatch:
            # The client's own If-Match is the client's to retry; ours is read again.
            if change.if_match is not None or attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


async def _change_once(
    services: Services,
    principal: Principal,
    appointment_id: int,
    change: AppointmentChange,
    stated: StatedFields,
) -> Appointment | Disagreement:
    if stated.any:
        current = await appointments.get_appointment(services, principal, appointment_id)
        if stated.department_id is not None and stated.department_id != current.department_id:
            return Disagreement("department_id")
        if stated.client_id is not None and stated.client_id != current.client_id:
            return Disagreement("client_id")
        if stated.ends_at is not None:
            move = change.move
            duration = await booking_duration(
                services,
                principal,
                Scope.APPOINTMENTS_WRITE,
                current.department_id,
                (move.appointment_type_id if move else None) or current.appointment_type_id,
            )
            starts_at = (move.date_time if move else None) or current.starts_at
            if stated.ends_at != starts_at + duration:
                return Disagreement("ends_at", starts_at + duration, duration)
        if change.if_match is None:
            change = replace(change, if_match=frozenset({current.version}))
        elif current.version not in change.if_match:
            raise VersionMismatch("appointment", current.version)
    return await change_appointment(services, principal, appointment_id, change)

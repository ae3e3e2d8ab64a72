"""Whether one start time is bookable with each resource, and if not, every reason why.

This is the booking check (create and reschedule) and the explain endpoint; the slot list of
domain/slots.py must agree with it, which the property tests check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from slotbook.domain.schedules import (
    Booking,
    Demand,
    DepartmentSchedule,
    ExceptionKind,
    ResourceSchedule,
    day_hours,
)
from slotbook.domain.slots import (
    busy_by_resource,
    capacity_of,
    closed_spans,
    contains,
    epoch,
    excluded,
    frames_for,
    merge,
    open_spans,
    session_members,
)


class Reason(StrEnum):
    NOT_OFFERED = "NOT_OFFERED"  # the worker does not offer this appointment type
    CLOSED = "CLOSED"  # a closure date of the department
    TIME_OFF = "TIME_OFF"
    OUTSIDE_WORKING_HOURS = "OUTSIDE_WORKING_HOURS"
    TAKEN = "TAKEN"  # another appointment overlaps
    BUFFER = "BUFFER"  # only the buffers (before/after) of the two appointments overlap
    FULL = "FULL"  # every place of the slot (or group session) is taken


@dataclass(frozen=True, slots=True)
class Finding:
    reason: Reason
    message: str
    appointment_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """One resource's answer: bookable when there are no findings."""

    worker_id: int | None
    findings: tuple[Finding, ...]
    remaining: int  # places left at this start (0 when not bookable)

    @property
    def bookable(self) -> bool:
        return not self.findings


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def _outside_hours(
    schedule: DepartmentSchedule, resource: ResourceSchedule, start: datetime, end: datetime
) -> str:
    """Says what the hours are, so the caller can pick a time that fits."""
    tz = ZoneInfo(schedule.time_zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    asked = f"{local_start:%H:%M}-{local_end:%H:%M}"
    hours = day_hours(resource.hours, local_start.weekday())
    return f"The appointment ({asked}) is outside the working hours: {hours} ({schedule.time_zone})"


def _schedule_findings(
    schedule: DepartmentSchedule, resource: ResourceSchedule, start: datetime, end: datetime
) -> list[Finding]:
    findings: list[Finding] = []
    s, e = epoch(start), epoch(end)
    frames = frames_for(schedule, (s, e))
    closed = merge(closed_spans(schedule, frames))
    for index, day in enumerate(frames.days):
        lo, hi = frames.day_span(index)
        if day in schedule.closures and lo < e and s < hi:
            reason = schedule.closure_reasons.get(day)
            text = f"The department is closed on {day.isoformat()}"
            findings.append(Finding(Reason.CLOSED, f"{text} ({reason})" if reason else text))
    for x in resource.exceptions:
        if x.kind is ExceptionKind.TIME_OFF and _overlaps(x.starts_at, x.ends_at, start, end):
            text = f"Time off from {x.starts_at.isoformat()} to {x.ends_at.isoformat()}"
            findings.append(Finding(Reason.TIME_OFF, f"{text} ({x.reason})" if x.reason else text))
    working = open_spans(
        ResourceSchedule(
            resource.worker_id,
            resource.hours,
            tuple(x for x in resource.exceptions if x.kind is ExceptionKind.EXTRA_HOURS),
        ),
        frames,
        (),
    )
    if not contains(working, s, e):
        findings.append(
            Finding(Reason.OUTSIDE_WORKING_HOURS, _outside_hours(schedule, resource, start, end))
        )
    elif not findings and not contains(open_spans(resource, frames, closed), s, e):
        # Cannot happen when the findings above are complete; kept so that a gap between the
        # two definitions shows up as a refusal, never as a double booking.
        findings.append(Finding(Reason.OUTSIDE_WORKING_HOURS, "Not inside open hours"))
    return findings


def _booking_findings(
    resource: ResourceSchedule,
    busy: Sequence[Booking],
    demand: Demand,
    start: datetime,
    capacity: int,
) -> tuple[list[Finding], int]:
    blocked_from, blocked_until = demand.blocked(start)
    end = start + timedelta(minutes=demand.duration_minutes)
    overlapping = [
        b for b in busy if _overlaps(b.blocked_from, b.blocked_until, blocked_from, blocked_until)
    ]
    findings: list[Finding] = []
    if resource.worker_id is None and capacity > 1:  # a department's counters
        if len(overlapping) >= capacity:
            ids = tuple(b.id for b in overlapping)
            findings.append(Finding(Reason.FULL, f"All {capacity} places are taken", ids))
        return findings, max(0, capacity - len(overlapping))
    members: list[Booking] = []
    others = overlapping
    if capacity > 1:  # a worker's group session: only its own members may overlap
        members = session_members(overlapping, demand, start)
        member_ids = {b.id for b in members}
        others = [b for b in overlapping if b.id not in member_ids]
        if len(members) >= capacity:
            ids = tuple(b.id for b in members)
            findings.append(Finding(Reason.FULL, f"All {capacity} places are taken", ids))
    if others:
        taken = tuple(b.id for b in others if _overlaps(b.starts_at, b.ends_at, start, end))
        buffered = tuple(b.id for b in others if b.id not in taken)
        if taken:
            findings.append(Finding(Reason.TAKEN, "Another appointment overlaps", taken))
        if buffered:
            message = "The buffer time before or after another appointment overlaps"
            findings.append(Finding(Reason.BUFFER, message, buffered))
    return findings, max(0, capacity - len(members) - len(others))


def explain_start(
    schedule: DepartmentSchedule,
    demand: Demand,
    start: datetime,
    offered_by: frozenset[int] | None = None,
    only: int | None = None,
) -> list[Verdict]:
    """A verdict per resource (or only for worker `only`) for an appointment at `start`."""
    end = start + timedelta(minutes=demand.duration_minutes)
    busy = busy_by_resource(schedule.bookings)
    verdicts = []
    for resource in schedule.resources:
        if only is not None and resource.worker_id != only:
            continue
        findings: list[Finding] = []
        if excluded(resource, offered_by):
            message = "This worker does not offer the appointment type"
            findings.append(Finding(Reason.NOT_OFFERED, message))
        if schedule.configured:
            findings += _schedule_findings(schedule, resource, start, end)
        capacity = capacity_of(resource, demand)
        if not schedule.configured and resource.worker_id is None:
            capacity = 10**9  # an unconfigured department limits nothing, as before scheduling
        more, remaining = _booking_findings(
            resource, busy.get(resource.worker_id, ()), demand, start, capacity
        )
        findings += more
        verdicts.append(Verdict(resource.worker_id, tuple(findings), 0 if findings else remaining))
    return verdicts

"""Free slots (seed 004's /appointments/available-slots) and why a time is not bookable."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import Field

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import (
    MAX_ID,
    CamelModel,
    DateTime,
    Day,
    Id,
    ShortText,
    error_responses,
)
from slotbook.application import availability as use_cases
from slotbook.domain.time import OffsetTimes, with_offset

router = APIRouter(tags=["availability"])


class SlotRead(CamelModel):
    start: str = Field(examples=["2027-02-15T10:00:00+00:00"])
    end: str = Field(examples=["2027-02-15T10:30:00+00:00"])
    worker_ids: list[int] = Field(examples=[[42, 43]])
    remaining: int = Field(description="How many more clients can book this start")


class SlotListRead(CamelModel):
    department_id: int
    time_zone: str
    appointment_type_id: int | None
    duration_minutes: int
    start_date: date
    end_date: date
    scheduled: bool = Field(
        description="false: the department is always open (alwaysOpen): it takes any future "
        "time, so no list of slots is given"
    )
    slots: list[SlotRead]


class ReasonRead(CamelModel):
    code: str = Field(examples=["TAKEN"])
    message: str
    appointment_ids: list[int] = Field(default_factory=list)


class RuleRead(CamelModel):
    code: str = Field(examples=["TOO_SOON"])
    numeric_code: int | None = Field(examples=[9])
    legacy_code: str = Field(examples=["MintimeRdv"])
    message: str


class WorkerVerdictRead(CamelModel):
    worker_id: int | None
    worker_name: str | None
    bookable: bool
    remaining: int
    reasons: list[ReasonRead]


class ExplanationRead(CamelModel):
    department_id: int
    time_zone: str
    date_time: str
    end_time: str
    appointment_type_id: int | None
    bookable: bool
    in_the_past: bool
    scheduled: bool
    rules: list[RuleRead]
    workers: list[WorkerVerdictRead]


def _json(payload: dict[str, Any]) -> Response:
    # Slot lists can be long: serialise with orjson directly instead of validating a model.
    return Response(orjson.dumps(payload), media_type="application/json")


async def _slots(
    services: CurrentServices, principal: CurrentPrincipal, query: use_cases.SlotQuery
) -> Response:
    result = await use_cases.available_slots(services, principal, query)
    agenda = result.agenda
    local = OffsetTimes(agenda.tz)
    duration = agenda.demand.duration_minutes * 60
    return _json(
        {
            "departmentId": agenda.department.id,
            "timeZone": agenda.settings.time_zone,
            "appointmentTypeId": agenda.kind.id if agenda.kind else None,
            "durationMinutes": agenda.demand.duration_minutes,
            "startDate": result.start_date.isoformat(),
            "endDate": result.end_date.isoformat(),
            "scheduled": agenda.schedule.configured,
            # Built from epoch seconds, not Slot objects; orjson writes the tuples as arrays.
            "slots": [
                {
                    "start": local(start),
                    "end": local(start + duration),
                    "workerIds": worker_ids,
                    "remaining": remaining,
                }
                for start, worker_ids, remaining in result.free
            ],
        }
    )


_DATES = {
    "start_date": "First local date (default: today in the department's zone); a date-time "
    "such as 2027-03-01T00:00:00 is taken as its date",
    "end_date": "Last local date, inclusive (default: 7 days from startDate; at most 62 days)",
}
TypeQuery = Annotated[Id | None, Query(alias="appointmentTypeId")]
WorkerQuery = Annotated[Id | None, Query(alias="workerId")]
StartDate = Annotated[Day | None, Query(alias="startDate", description=_DATES["start_date"])]
EndDate = Annotated[Day | None, Query(alias="endDate", description=_DATES["end_date"])]


@router.get(
    "/appointments/available-slots",
    response_model=SlotListRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Free slots",
)
async def available_slots(
    principal: CurrentPrincipal,
    services: CurrentServices,
    department_id: Annotated[Id, Query(alias="departmentId")],
    appointment_type_id: TypeQuery = None,
    worker_id: WorkerQuery = None,
    start_date: StartDate = None,
    end_date: EndDate = None,
) -> Response:
    """Free start times with their end, free workers and places left, in the department's
    zone with offset. Scope `appointments:read`."""
    query = use_cases.SlotQuery(department_id, appointment_type_id, worker_id, start_date, end_date)
    return await _slots(services, principal, query)


@router.get(
    "/departments/{department_id:int}/availability",
    response_model=SlotListRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Free slots of a department",
)
async def department_availability(
    department_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    principal: CurrentPrincipal,
    services: CurrentServices,
    appointment_type_id: TypeQuery = None,
    worker_id: WorkerQuery = None,
    start_date: StartDate = None,
    end_date: EndDate = None,
) -> Response:
    """Same as /appointments/available-slots for one department. Scope `appointments:read`."""
    query = use_cases.SlotQuery(department_id, appointment_type_id, worker_id, start_date, end_date)
    return await _slots(services, principal, query)


@router.get(
    "/appointments/available-slots/explain",
    response_model=ExplanationRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Why a time is (not) bookable",
)
async def explain(
    principal: CurrentPrincipal,
    services: CurrentServices,
    department_id: Annotated[Id, Query(alias="departmentId")],
    date_time: Annotated[
        DateTime,
        Query(alias="dateTime", description="Without offset: wall-clock time of the department"),
    ],
    appointment_type_id: TypeQuery = None,
    worker_id: WorkerQuery = None,
    external_user_id: Annotated[ShortText | None, Query(alias="externalUserId")] = None,
) -> ExplanationRead:
    """Per worker, every reason the time cannot be booked (outside hours, time off, closure,
    taken, buffer, full), and the department's booking rules it breaks. Scope
    `appointments:read`."""
    result = await use_cases.explain(
        services,
        principal,
        department_id,
        date_time,
        appointment_type_id,
        worker_id,
        external_user_id,
    )
    agenda = result.agenda
    tz = agenda.tz
    names = {w.id: w.name for w in agenda.workers}
    return ExplanationRead(
        department_id=agenda.department.id,
        time_zone=agenda.settings.time_zone,
        date_time=with_offset(result.starts_at, tz),
        end_time=with_offset(result.ends_at, tz),
        appointment_type_id=agenda.kind.id if agenda.kind else None,
        bookable=result.bookable,
        in_the_past=result.in_the_past,
        scheduled=agenda.schedule.configured,
        rules=[
            RuleRead(
                code=v.code,
                numeric_code=v.numeric_code,
                legacy_code=v.legacy_code,
                message=v.message,
            )
            for v in result.rule_violations
        ],
        workers=[
            WorkerVerdictRead(
                worker_id=v.worker_id,
                worker_name=names.get(v.worker_id) if v.worker_id is not None else None,
                bookable=v.bookable,
                remaining=v.remaining,
                reasons=[
                    ReasonRead(
                        code=f.reason.value,
                        message=f.message,
                        appointment_ids=list(f.appointment_ids),
                    )
                    for f in v.findings
                ],
            )
            for v in result.verdicts
        ],
    )

"""Seed 003's individual appointments, served as Cliniko documents them and carried out by the
native use cases: business = department, practitioner = worker, patient = client."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.routing import APIRoute
from starlette.routing import compile_path

from slotbook.api.compat.cliniko.errors import (
    ClinikoRoute,
    domain_response,
    json_response,
    message_response,
    not_saved,
)
from slotbook.api.compat.cliniko.filters import SINGLE_FIELDS, native_sort, parse_filters
from slotbook.api.compat.cliniko.schemas import (
    AppointmentCreateBody,
    AppointmentUpdateBody,
    CancelBody,
    individual_appointment,
    utc_text,
)
from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.preconditions import expected_versions
from slotbook.api.schemas.common import MAX_ID
from slotbook.application import appointments as use_cases
from slotbook.application import booking
from slotbook.application import series as series_cases
from slotbook.application.access import Scope
from slotbook.application.appointment_details import (
    AppointmentChange,
    RescheduleRequest,
    archive_appointment,
    find_conflicts,
)
from slotbook.application.cancellation import CancelRequest, cancel_appointment
from slotbook.application.checked_changes import Disagreement, StatedFields, change_as_stated
from slotbook.application.durations import booking_duration
from slotbook.domain.appointments import Appointment, AppointmentDetails
from slotbook.domain.errors import AppointmentNotFound, VersionMismatch

router = APIRouter(route_class=ClinikoRoute, include_in_schema=False)

RESOURCE = "/individual_appointments"
DEFAULT_PER_PAGE = 50  # Cliniko's default page size
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=200)]
QueryFilters = Annotated[
    list[Annotated[str, Query(max_length=300)]] | None, Query(alias="q[]", max_length=20)
]


def _base(request: Request) -> str:
    """This dialect's base URL (`…/compat/cliniko`), from the request's own URL."""
    root = str(request.base_url).rstrip("/")
    return root + request.url.path.partition(RESOURCE)[0]


def _one(request: Request, appointment: Appointment, status: int = 200) -> Response:
    headers = {"ETag": f'"{appointment.version}"'}
    if status == 201:
        headers["Location"] = f"{_base(request)}{RESOURCE}/{appointment.id}"
    return json_response(status, individual_appointment(appointment, _base(request)), headers)


def _appointment_id(value: int) -> int:
    if value > MAX_ID:
        raise AppointmentNotFound(value)
    return value


def _ends_at_error(ends_at: datetime, starts_at: datetime, duration: timedelta) -> Response | None:
    """Slotbook computes the end from the appointment type; a stated end must agree with it."""
    expected = starts_at + duration
    return None if ends_at == expected else _wrong_end(expected, duration)


def _wrong_end(expected: datetime, duration: timedelta) -> Response:
    minutes = int(duration.total_seconds() // 60)
    return not_saved(
        {
            "ends_at": [
                f"must be {utc_text(expected)} (starts_at + {minutes} minutes, the appointment "
                "type's duration), or be left out"
            ]
        }
    )


@router.get(RESOURCE)
async def list_individual_appointments(
    request: Request,
    principal: CurrentPrincipal,
    services: CurrentServices,
    page: Annotated[int, Query(ge=1, le=10_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = DEFAULT_PER_PAGE,
    q: QueryFilters = None,
    sort: Annotated[str | None, Query(max_length=200)] = None,
    order: Literal["asc", "desc"] | None = None,
) -> Response:
    filters = parse_filters(q or ())
    sort_text = native_sort(sort, order) if sort else (f"dateTime:{order}" if order else None)
    if any(f.native is None for f in filters):
        # deleted_at is null on every appointment: no comparison with it is ever true.
        items: list[dict[str, Any]] = []
        total = 0
    else:
        result = await use_cases.list_appointments(
            services,
            principal,
            use_cases.ListQuery(
                page=page - 1,
                size=per_page,
                # Archived appointments are hidden from lists, as natively; filtering on
                # archived_at asks for them (only an archived one has a value to compare).
                archived=any(f.field == "archived_at" for f in filters),
                q=tuple(f.native_text() for f in filters),
                sort=sort_text,
            ),
        )
        base = _base(request)
        items = [individual_appointment(a, base) for a in result.items]
        total = result.total
    return json_response(
        200,
        {
            "individual_appointments": items,
            "total_entries": total,
            "links": _page_links(request, page, per_page, total),
        },
    )


def _page_links(request: Request, page: int, per_page: int, total: int) -> dict[str, str]:
    """self, and next/previous only when there is such a page (as Cliniko)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "per_page")]

    def url(number: int) -> str:
        query = urlencode([*kept, ("page", str(number)), ("per_page", str(per_page))])
        return f"{_base(request)}{RESOURCE}?{query}"

    links = {"self": url(page)}
    if page * per_page < total:
        links["next"] = url(page + 1)
    if page > 1:
        links["previous"] = url(page - 1)
    return links


@router.post(RESOURCE)
async def create_individual_appointment(
    request: Request,
    body: AppointmentCreateBody,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> Response:
    if body.ends_at is not None:
        duration = await booking_duration(
            services,
            principal,
            Scope.APPOINTMENTS_CREATE,
            body.business_id,
            body.appointment_type_id,
        )
        refused = _ends_at_error(body.ends_at, body.starts_at, duration)
        if refused is not None:
            return refused
    wanted = booking.BookingRequest(
        department_id=body.business_id,
        date_time=body.starts_at,  # aware (UTC): not read as the department's wall clock
        name=None,  # the patient's (client's) name
        worker_id=body.practitioner_id,
        appointment_type_id=body.appointment_type_id,
        client_id=body.patient_id,
        details=AppointmentDetails(notes=body.notes),
    )
    rule = body.repeat_rule.rule() if body.repeat_rule is not None else None
    if rule is None:
        first = await booking.create_appointment(services, principal, wanted)
    else:
        first = (await series_cases.create_series(services, principal, wanted, rule))[0]
    return _one(request, first, 201)


@router.get(RESOURCE + "/{appointment_id:int}")
async def get_individual_appointment(
    request: Request,
    appointment_id: int,
    principal: CurrentPrincipal,
    services: CurrentServices,
    q: QueryFilters = None,
) -> Response:
    filters = parse_filters(q or (), SINGLE_FIELDS)
    appointment = await use_cases.get_appointment(
        services, principal, _appointment_id(appointment_id)
    )
    if not all(f.matches(appointment) for f in filters):
        raise AppointmentNotFound(appointment_id)
    return _one(request, appointment)


_UNCHANGEABLE = {
    "department_id": ("business_id", "cannot be changed: book a new appointment in the business"),
    "client_id": ("patient_id", "cannot be changed: book a new appointment for the patient"),
}


def _refusal(body: AppointmentUpdateBody) -> Response | None:
    """What seed 003 refuses in the body alone, before anything is read."""
    sent = body.model_fields_set
    for name in ("starts_at", "business_id", "patient_id", "practitioner_id"):
        if name in sent and getattr(body, name) is None:
            return not_saved({name: ["can't be blank"]})
    if "appointment_type_id" in sent and body.appointment_type_id is None:
        return not_saved({"appointment_type_id": ["can't be blank"]})
    if body.repeat_rule is not None:
        return not_saved({"repeat_rule": ["cannot be changed: a series is set when it is booked"]})
    return None


def _disagreement(found: Disagreement) -> Response:
    if found.field == "ends_at":
        assert found.expected_end is not None
        assert found.duration is not None
        return _wrong_end(found.expected_end, found.duration)
    name, text = _UNCHANGEABLE[found.field]
    return not_saved({name: [text]})


@router.patch(RESOURCE + "/{appointment_id:int}")
async def update_individual_appointment(
    request: Request,
    appointment_id: int,
    body: AppointmentUpdateBody,
    principal: CurrentPrincipal,
    services: CurrentServices,
    if_match: IfMatch = None,
) -> Response:
    expected = expected_versions(if_match)
    appointment_id = _appointment_id(appointment_id)
    refused = _refusal(body)
    if refused is not None:
        return refused
    sent = body.model_fields_set
    move_fields = {"starts_at", "practitioner_id", "appointment_type_id"} & sent
    move = (
        RescheduleRequest(body.starts_at, body.practitioner_id, body.appointment_type_id)
        if move_fields
        else None
    )
    values: dict[str, object] = {"notes": body.notes} if "notes" in sent else {}
    stated = StatedFields(
        department_id=body.business_id if "business_id" in sent else None,
        client_id=body.patient_id if "patient_id" in sent else None,
        ends_at=body.ends_at,
    )
    try:
        result = await change_as_stated(
            services,
            principal,
            appointment_id,
            AppointmentChange(move=move, values=values, if_match=expected),
            stated,
        )
    except VersionMismatch as error:
        return domain_response(error)
    if isinstance(result, Disagreement):
        return _disagreement(result)
    return _one(request, result)


async def _archive(
    appointment_id: int, principal: CurrentPrincipal, services: CurrentServices, if_match: IfMatch
) -> Response:
    await archive_appointment(
        services, principal, _appointment_id(appointment_id), expected_versions(if_match)
    )
    return Response(status_code=204)


@router.delete(RESOURCE + "/{appointment_id:int}")
async def delete_individual_appointment(
    appointment_id: int,
    principal: CurrentPrincipal,
    services: CurrentServices,
    if_match: IfMatch = None,
) -> Response:
    """Deprecated in Cliniko: archives, like POST …/archive."""
    return await _archive(appointment_id, principal, services, if_match)


@router.post(RESOURCE + "/{appointment_id:int}/archive")
async def archive_individual_appointment(
    appointment_id: int,
    principal: CurrentPrincipal,
    services: CurrentServices,
    if_match: IfMatch = None,
) -> Response:
    return await _archive(appointment_id, principal, services, if_match)


@router.patch(RESOURCE + "/{appointment_id:int}/cancel")
async def cancel_individual_appointment(
    appointment_id: int,
    body: CancelBody,
    principal: CurrentPrincipal,
    services: CurrentServices,
    if_match: IfMatch = None,
) -> Response:
    await cancel_appointment(
        services,
        principal,
        _appointment_id(appointment_id),
        CancelRequest(
            reason=body.cancellation_reason,
            note=body.cancellation_note,
            apply_to_repeats=body.apply_to_repeats,
            if_match=expected_versions(if_match),
        ),
    )
    return Response(status_code=204)


@router.get(RESOURCE + "/{appointment_id:int}/conflicts")
async def individual_appointment_conflicts(
    appointment_id: int, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    found = await find_conflicts(services, principal, _appointment_id(appointment_id))
    return json_response(200, {"conflicts": {"exist": bool(found)}})


# Every other path and method under the prefix: Cliniko's 404 (or 405 on a known path), not
# the native envelope.
_KNOWN = [
    (compile_path(route.path)[0], route.methods)
    for route in router.routes
    if isinstance(route, APIRoute)
]


@router.api_route(
    "/{rest:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
)
async def unknown(request: Request, rest: str) -> Response:
    methods: set[str] = set()
    for pattern, allowed in _KNOWN:
        if pattern.match("/" + rest):
            methods |= set(allowed or ())
    if methods:
        response = message_response(
            405, f"Method {request.method} is not allowed here", "METHOD_NOT_ALLOWED"
        )
        response.headers["Allow"] = ", ".join(sorted(methods))
        return response
    return message_response(404, "Not found", "NOT_FOUND")

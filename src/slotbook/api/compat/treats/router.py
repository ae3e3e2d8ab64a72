"""treats.vet's paths (seed 004) under /compat/treats, translated to the native use cases.

A vet is a worker, a client a client, a patient a patient, a clinic a department; ids are the
records' public UUIDs. Booking, availability and reading are the native use cases, so credits,
rules, history and webhooks are exactly those of the native API. Errors use the native
envelope (seed 004 documents no error body)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import Response

from slotbook.api.compat.treats.schemas import (
    LABELS,
    TreatsAppointmentCreate,
    appointment_body,
    utc_text,
)
from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import Day
from slotbook.application.access import Scope
from slotbook.application.availability import SlotQuery, available_slots
from slotbook.application.booking import BookingRequest, create_appointment
from slotbook.application.public_ids import (
    Named,
    appointment_by_public_id,
    locate,
    public_ids_of,
)
from slotbook.application.scheduling import list_appointment_types
from slotbook.domain.appointments import AppointmentDetails
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.identifiers import Entity

# The seed's own paths follow the dialect's prefix; none of them is in the native document.
router = APIRouter(prefix="/api/v1", include_in_schema=False)

ClinicQuery = Annotated[UUID | None, Query(alias="clinicId")]
VetQuery = Annotated[UUID | None, Query(alias="vetId")]
TypeQuery = Annotated[UUID | None, Query(alias="appointmentTypeId")]


def _json(payload: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(payload), status_code=status_code, media_type="application/json")


def _uuid_text(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


@router.post("/appointments", status_code=201)
async def create(
    body: TreatsAppointmentCreate, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    """Créer un rendez-vous: the native booking, addressed by UUIDs."""
    target = await locate(
        services,
        principal,
        Named(
            worker=body.vet_id,
            appointment_type=body.appointment_type_id,
            client=body.client_id,
            patient=body.patient_id,
            labels=LABELS,
        ),
        Scope.APPOINTMENTS_CREATE,
    )
    appointment = await create_appointment(
        services,
        principal,
        BookingRequest(
            department_id=target.department_id,
            date_time=body.scheduled_at,
            name=None,  # the client's own name, as a native booking by clientId
            worker_id=target.worker_id,
            appointment_type_id=target.appointment_type_id,
            client_id=target.client_id,
            patient_id=target.patient_id,
            details=AppointmentDetails(reason=body.reason, is_urgent=body.is_urgent),
        ),
    )
    # Every UUID of the answer is one the caller sent: no read after the booking.
    return _json(
        appointment_body(
            appointment,
            client=body.client_id,
            patient=body.patient_id,
            vet=body.vet_id,
            appointment_type=body.appointment_type_id,
        ),
        status_code=201,
    )


@router.get("/appointments/available-slots")
async def slots(
    principal: CurrentPrincipal,
    services: CurrentServices,
    vet_id: VetQuery = None,
    appointment_type_id: TypeQuery = None,
    clinic_id: ClinicQuery = None,
    day: Annotated[Day | None, Query(alias="date")] = None,
    start_date: Annotated[Day | None, Query(alias="startDate")] = None,
    end_date: Annotated[Day | None, Query(alias="endDate")] = None,
) -> Response:
    """Free times to send as scheduledAt, in UTC, with the vets free at each."""
    if day is not None:
        if start_date is not None or end_date is not None:
            raise InvalidRequest("Give either date or startDate/endDate, not both")
        start_date = end_date = day
    target = await locate(
        services,
        principal,
        Named(
            department=clinic_id,
            worker=vet_id,
            appointment_type=appointment_type_id,
            labels=LABELS,
        ),
        Scope.APPOINTMENTS_READ,
    )
    found = await available_slots(
        services,
        principal,
        SlotQuery(
            target.department_id,
            target.appointment_type_id,
            target.worker_id,
            start_date,
            end_date,
        ),
    )
    agenda = found.agenda
    vets = {w.id: str(w.uuid) for w in agenda.workers}
    return _json(
        {
            "clinicId": str(agenda.department.uuid),
            "vetId": _uuid_text(vet_id),
            "appointmentTypeId": _uuid_text(agenda.kind.uuid if agenda.kind else None),
            "durationMinutes": agenda.demand.duration_minutes,
            "timeZone": agenda.settings.time_zone,
            "startDate": found.start_date.isoformat(),
            "endDate": found.end_date.isoformat(),
            "slots": [
                {
                    "scheduledAt": utc_text(s.starts_at),
                    "endTime": utc_text(s.ends_at),
                    "vetIds": [vets[w] for w in s.worker_ids if w in vets],
                }
                for s in found.slots
            ],
        }
    )


@router.get("/appointments/types")
async def types(
    principal: CurrentPrincipal, services: CurrentServices, clinic_id: ClinicQuery = None
) -> Response:
    """Appointment types that can be booked (in one clinic with clinicId)."""
    department_id = None
    if clinic_id is not None:
        department_id = (
            await locate(
                services,
                principal,
                Named(department=clinic_id, labels=LABELS),
                Scope.APPOINTMENTS_READ,
            )
        ).department_id
    found = await list_appointment_types(services, principal, department_id)
    ids = await public_ids_of(
        services,
        principal,
        {
            Entity.WORKER: [w for t in found for w in t.worker_ids],
            Entity.DEPARTMENT: [t.department_id for t in found if t.department_id is not None],
        },
    )
    vets, clinics = ids.get(Entity.WORKER, {}), ids.get(Entity.DEPARTMENT, {})
    return _json(
        [
            {
                "id": str(t.uuid),
                "name": t.name,
                "durationMinutes": t.duration_minutes,
                "clinicId": _uuid_text(clinics.get(t.department_id))
                if t.department_id is not None
                else None,
                "vetIds": [str(vets[w]) for w in t.worker_ids if w in vets],
            }
            for t in found
        ]
    )


@router.get("/appointments/{appointment_id:uuid}")
async def get(
    appointment_id: UUID, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    """One appointment, as the creation answered it."""
    a = await appointment_by_public_id(services, principal, appointment_id)
    ids = await public_ids_of(
        services,
        principal,
        {
            Entity.CLIENT: [a.client_id] if a.client_id is not None else [],
            Entity.PATIENT: [a.patient_id] if a.patient_id is not None else [],
            Entity.WORKER: [a.worker_id] if a.worker_id is not None else [],
            Entity.APPOINTMENT_TYPE: (
                [a.appointment_type_id] if a.appointment_type_id is not None else []
            ),
        },
    )

    def of(entity: Entity, record_id: int | None) -> UUID | None:
        return ids.get(entity, {}).get(record_id) if record_id is not None else None

    return _json(
        appointment_body(
            a,
            client=of(Entity.CLIENT, a.client_id),
            patient=of(Entity.PATIENT, a.patient_id),
            vet=of(Entity.WORKER, a.worker_id),
            appointment_type=of(Entity.APPOINTMENT_TYPE, a.appointment_type_id),
        )
    )

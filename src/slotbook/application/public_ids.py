"""Use cases addressed by public UUIDs: which records they name, and the UUIDs of records.

The compatibility layers speak UUIDs; the use cases speak integer ids. These functions only
translate (and pick the department a clinic-level request means): booking, availability and
reading stay the native use cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from slotbook.application.access import Principal, Scope, require
from slotbook.application.lookups import appointment_to_read, appointment_type_of, worker_of
from slotbook.application.ports import Services, UnitOfWork
from slotbook.domain.appointments import Appointment
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.identifiers import Entity, PublicIdNotFound


@dataclass(frozen=True, slots=True)
class Target:
    """What a request names by UUID, as integer ids, and the department it is about."""

    department_id: int
    worker_id: int | None = None
    appointment_type_id: int | None = None
    client_id: int | None = None
    patient_id: int | None = None


@dataclass(frozen=True, slots=True)
class Named:
    """The UUIDs a request gives (None: not given) and how the dialect calls each field."""

    department: UUID | None = None
    worker: UUID | None = None
    appointment_type: UUID | None = None
    client: UUID | None = None
    patient: UUID | None = None
    labels: Mapping[Entity, str] | None = None


async def find_id(
    uow: UnitOfWork, entity: Entity, public_id: UUID, label: str | None = None
) -> int:
    found = await uow.public_ids.find(entity, public_id)
    if found is None:
        raise PublicIdNotFound(entity, public_id, label)
    return found


async def _optional(
    uow: UnitOfWork, entity: Entity, public_id: UUID | None, labels: Mapping[Entity, str]
) -> int | None:
    if public_id is None:
        return None
    return await find_id(uow, entity, public_id, labels.get(entity))


async def locate(services: Services, principal: Principal, named: Named, scope: Scope) -> Target:
    """The records `named` by UUID, and the department the request is about: the one named;
    else the worker's first department (by id) where the type is offered; else the type's
    own department; else the organization's only department.

    `scope` is the scope of the use case the caller runs next: a caller who may not run it
    learns nothing about which UUIDs exist."""
    require(principal, scope)
    labels = named.labels or {}
    async with services.uow(principal.organization_id, write=False) as uow:
        department_id = await _optional(uow, Entity.DEPARTMENT, named.department, labels)
        worker_id = await _optional(uow, Entity.WORKER, named.worker, labels)
        type_id = await _optional(uow, Entity.APPOINTMENT_TYPE, named.appointment_type, labels)
        client_id = await _optional(uow, Entity.CLIENT, named.client, labels)
        patient_id = await _optional(uow, Entity.PATIENT, named.patient, labels)
        if department_id is None:
            department_id = await _department_of(services, uow, worker_id, type_id, labels)
    return Target(department_id, worker_id, type_id, client_id, patient_id)


async def _department_of(
    services: Services,
    uow: UnitOfWork,
    worker_id: int | None,
    type_id: int | None,
    labels: Mapping[Entity, str],
) -> int:
    worker = labels.get(Entity.WORKER, "Worker")
    department = labels.get(Entity.DEPARTMENT, "Department").lower()
    type_department = None
    if type_id is not None:
        type_department = (await appointment_type_of(services, uow, type_id)).department_id
    if worker_id is not None:
        _worker, departments = await worker_of(services, uow, worker_id)
        usable = [d for d in departments if type_department in (None, d)]
        if not usable:
            raise InvalidRequest(
                f"This {worker.lower()} does not work in the {department} of this appointment type"
                if type_department is not None
                else f"This {worker.lower()} does not work in any {department}"
            )
        return usable[0]
    if type_department is not None:
        return type_department
    found = await uow.departments.list()
    if len(found) != 1:
        raise InvalidRequest(
            f"This organization has {len(found)} {department}s: name the "
            f"{worker.lower()} or the {department}"
        )
    return found[0].id


async def appointment_by_public_id(
    services: Services, principal: Principal, public_id: UUID
) -> Appointment:
    require(principal, Scope.APPOINTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        appointment_id = await find_id(uow, Entity.APPOINTMENT, public_id)
        return await appointment_to_read(services, uow, appointment_id)


async def public_ids_of(
    services: Services,
    principal: Principal,
    wanted: Mapping[Entity, Sequence[int]],
    scope: Scope = Scope.APPOINTMENTS_READ,
) -> dict[Entity, dict[int, UUID]]:
    """The UUIDs of records the caller already holds by integer id (one read transaction)."""
    require(principal, scope)
    async with services.uow(principal.organization_id, write=False) as uow:
        return {
            entity: await uow.public_ids.public_ids(entity, ids)
            for entity, ids in wanted.items()
            if ids
        }

"""Loading a tenant's resource by id: 404 when it does not exist, 403 when it is another's."""

from __future__ import annotations

from slotbook.application.ports import Services, UnitOfWork
from slotbook.domain.errors import (
    AppointmentTypeNotFound,
    DepartmentNotFound,
    Forbidden,
    WorkerNotFound,
)
from slotbook.domain.organizations import Department, Worker
from slotbook.domain.schedules import AppointmentType


async def department_of(services: Services, uow: UnitOfWork, department_id: int) -> Department:
    department = await uow.departments.get(department_id)
    if department is not None:
        return department
    if await services.registry.owner_of_department(department_id) is not None:
        raise Forbidden(f"Department {department_id} does not belong to your organization")
    raise DepartmentNotFound(department_id)


async def worker_of(
    services: Services, uow: UnitOfWork, worker_id: int
) -> tuple[Worker, tuple[int, ...]]:
    found = await uow.workers.get(worker_id)
    if found is not None:
        return found
    if await services.registry.owner_of_worker(worker_id) is not None:
        raise Forbidden(f"Worker {worker_id} does not belong to your organization")
    raise WorkerNotFound(worker_id)


async def appointment_type_of(services: Services, uow: UnitOfWork, type_id: int) -> AppointmentType:
    found = await uow.appointment_types.get(type_id)
    if found is not None:
        return found
    if await services.registry.owner_of_appointment_type(type_id) is not None:
        raise Forbidden(f"Appointment type {type_id} does not belong to your organization")
    raise AppointmentTypeNotFound(type_id)

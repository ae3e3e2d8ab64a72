"""Loading a tenant's resource by id: 404 when it does not exist, 403 when it is another's."""

from __future__ import annotations

from slotbook.application.ports import Services, UnitOfWork
from slotbook.domain.appointments import Appointment
from slotbook.domain.clients import Client, Patient
from slotbook.domain.errors import (
    AppointmentNotFound,
    AppointmentTypeNotFound,
    ClientNotFound,
    DepartmentNotFound,
    DomainError,
    Forbidden,
    PatientNotFound,
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


async def missing_appointment(services: Services, appointment_id: int) -> DomainError:
    owner = await services.registry.owner_of_appointment(appointment_id)
    if owner is not None:
        return Forbidden(f"Appointment {appointment_id} does not belong to your organization")
    return AppointmentNotFound(appointment_id)


async def appointment_for_update(
    services: Services, uow: UnitOfWork, appointment_id: int
) -> Appointment:
    """The appointment, row-locked for the rest of the transaction. Take it before anything
    that locks the organization row (booking, credits): one lock order, no deadlock."""
    appointment = await uow.appointments.get_for_update(appointment_id)
    if appointment is None:
        raise await missing_appointment(services, appointment_id)
    return appointment


async def appointment_to_read(
    services: Services, uow: UnitOfWork, appointment_id: int
) -> Appointment:
    appointment = await uow.appointments.get(appointment_id)
    if appointment is None:
        raise await missing_appointment(services, appointment_id)
    return appointment


async def client_of(services: Services, uow: UnitOfWork, client_id: int) -> Client:
    client = await uow.clients.get(client_id)
    if client is not None:
        return client
    if await services.registry.owner_of_client(client_id) is not None:
        raise Forbidden(f"Client {client_id} does not belong to your organization")
    raise ClientNotFound(client_id)


async def patient_of(services: Services, uow: UnitOfWork, patient_id: int) -> Patient:
    patient = await uow.patients.get(patient_id)
    if patient is not None:
        return patient
    if await services.registry.owner_of_patient(patient_id) is not None:
        raise Forbidden(f"Patient {patient_id} does not belong to your organization")
    raise PatientNotFound(patient_id)

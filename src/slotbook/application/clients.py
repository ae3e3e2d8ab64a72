"""Use cases on clients and their patients, the GDPR erasure, and who a booking is for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slotbook.application.access import Principal, Scope, require
from slotbook.application.lookups import client_of, patient_of
from slotbook.application.ports import (
    ClientFields,
    NewHistoryEntry,
    Page,
    PatientFields,
    Services,
    UnitOfWork,
)
from slotbook.domain.clients import (
    Client,
    Patient,
    normalize_email,
)
from slotbook.domain.errors import (
    EmailAlreadyExists,
    EmailNotFound,
    InvalidRequest,
    StillReferenced,
)
from slotbook.domain.history import Actor, Change, HistoryAction

if TYPE_CHECKING:
    from slotbook.application.booking import BookingRequest


@dataclass(frozen=True, slots=True)
class ClientUpsert:
    """An inline client on a booking: with `id`, update that client; without, create one."""

    id: int | None = None
    fields: ClientFields = field(default_factory=ClientFields)
    fields_set: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Party:
    """Who an appointment is for, as stored on it."""

    name: str
    external_user_id: str | None = None
    client_id: int | None = None
    patient_id: int | None = None


@dataclass(frozen=True, slots=True)
class ClientChanges:
    fields: ClientFields = field(default_factory=ClientFields)
    fields_set: frozenset[str] = field(default_factory=frozenset)


def _clean(fields: ClientFields) -> ClientFields:
    if fields.email is None:
        return fields
    return ClientFields(**{**asdict(fields), "email": normalize_email(fields.email)})


async def _ensure_email_free(uow: UnitOfWork, email: str | None, client_id: int | None) -> None:
    # Checked before writing so the error is the documented one; the unique constraint
    # still guards against a concurrent insert.
    if email is None:
        return
    existing = await uow.clients.get_by_email(email)
    if existing is not None and existing.id != client_id:
        raise EmailAlreadyExists(email)


async def _create(uow: UnitOfWork, fields: ClientFields, now: datetime) -> Client:
    if not fields.name:
        raise InvalidRequest("A client needs a name")
    fields = _clean(fields)
    await _ensure_email_free(uow, fields.email, None)
    client = await uow.clients.get(await uow.clients.add(fields, now))
    assert client is not None
    return client


async def _update(
    services: Services,
    uow: UnitOfWork,
    client_id: int,
    changes: ClientChanges,
    now: datetime,
) -> Client:
    client = await client_of(services, uow, client_id)
    if client.erased_at is not None:
        raise InvalidRequest(f"Client {client_id} was erased and cannot be changed")
    fields = _clean(changes.fields)
    values: dict[str, Any] = {name: getattr(fields, name) for name in changes.fields_set}
    if "name" in values and not values["name"]:
        raise InvalidRequest("A client needs a name")
    await _ensure_email_free(uow, values.get("email"), client_id)
    if values:
        await uow.clients.update(client_id, values, now)
    updated = await uow.clients.get(client_id)
    assert updated is not None
    return updated


async def client_for_booking_page(uow: UnitOfWork, fields: ClientFields, now: datetime) -> Client:
    """The client a public booking is for, found by its e-mail address, else created from the
    form. An existing record is never changed: an anonymous visitor cannot rewrite the name or
    phone of whoever owns that address (the appointment carries the name typed)."""
    assert fields.email is not None
    email = normalize_email(fields.email)
    # Two first bookings with one new address at once: the second waits, then finds the first's
    # record instead of breaking the unique address. Taken before the client's own lock (place).
    await uow.scheduling.lock([f"email:{email}"])
    existing = await uow.clients.get_by_email(email)
    if existing is not None and existing.erased_at is None:
        return existing
    return await _create(uow, fields, now)


async def create_client(services: Services, principal: Principal, fields: ClientFields) -> Client:
    require(principal, Scope.CLIENTS_WRITE)
    async with services.uow(principal.organization_id, write=True) as uow:
        client = await _create(uow, fields, services.clock.now())
        await uow.commit()
    return client


async def update_client(
    services: Services, principal: Principal, client_id: int, changes: ClientChanges
) -> Client:
    require(principal, Scope.CLIENTS_WRITE)
    async with services.uow(principal.organization_id, write=True) as uow:
        client = await _update(services, uow, client_id, changes, services.clock.now())
        await uow.commit()
    return client


async def get_client(services: Services, principal: Principal, client_id: int) -> Client:
    require(principal, Scope.CLIENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await client_of(services, uow, client_id)


async def find_client_by_email(services: Services, principal: Principal, email: str) -> Client:
    require(principal, Scope.CLIENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        client = await uow.clients.get_by_email(normalize_email(email))
    if client is None:
        raise EmailNotFound(email)
    return client


async def list_clients(
    services: Services, principal: Principal, search: str | None, page: int, size: int
) -> Page[Client]:
    require(principal, Scope.CLIENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await uow.clients.list(search, page, size)


async def delete_client(
    services: Services, principal: Principal, client_id: int, erase: bool = False
) -> None:
    """Delete a client without appointments; or, with `erase`, remove its personal data.

    An erasure keeps the client, patients and appointments as anonymous records, so bookings,
    credits and statistics stay consistent; the history records only that it happened."""
    require(principal, Scope.CLIENTS_WRITE)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        await client_of(services, uow, client_id)
        if erase:
            await uow.clients.erase(client_id, now)
            await uow.patients.erase_for_client(client_id, now)
            await uow.waitlist.forget_client(client_id, now, keep_link=True)
            erased = await uow.appointments.erase_client(client_id, now)
            await uow.history.append(
                [
                    NewHistoryEntry(
                        appointment_id,
                        HistoryAction.CLIENT_ERASED,
                        Actor.API_KEY,
                        principal.api_key_id,
                        Change(),
                    )
                    for appointment_id in erased
                ],
                now,
            )
        elif await uow.clients.is_referenced(client_id):
            raise StillReferenced(
                f"Client {client_id} has appointments; erase it instead (?erase=true)"
            )
        else:
            await uow.waitlist.forget_client(client_id, now, keep_link=False)
            await uow.clients.delete(client_id)
        await uow.commit()


async def add_patient(
    services: Services, principal: Principal, client_id: int, fields: PatientFields
) -> Patient:
    require(principal, Scope.CLIENTS_WRITE)
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        client = await client_of(services, uow, client_id)
        if client.erased_at is not None:
            raise InvalidRequest(f"Client {client_id} was erased")
        patient = await uow.patients.get(await uow.patients.add(client_id, fields, now))
        assert patient is not None
        await uow.commit()
    return patient


async def list_patients(
    services: Services, principal: Principal, client_id: int
) -> Sequence[Patient]:
    require(principal, Scope.CLIENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        await client_of(services, uow, client_id)
        return await uow.patients.list_for_client(client_id)


async def get_patient(services: Services, principal: Principal, patient_id: int) -> Patient:
    require(principal, Scope.CLIENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await patient_of(services, uow, patient_id)


async def update_patient(
    services: Services,
    principal: Principal,
    patient_id: int,
    fields: PatientFields,
    fields_set: frozenset[str],
) -> Patient:
    require(principal, Scope.CLIENTS_WRITE)
    async with services.uow(principal.organization_id, write=True) as uow:
        await patient_of(services, uow, patient_id)
        values = {name: getattr(fields, name) for name in fields_set}
        if values:
            await uow.patients.update(patient_id, values, services.clock.now())
        patient = await uow.patients.get(patient_id)
        assert patient is not None
        await uow.commit()
    return patient


async def delete_patient(services: Services, principal: Principal, patient_id: int) -> None:
    require(principal, Scope.CLIENTS_WRITE)
    async with services.uow(principal.organization_id, write=True) as uow:
        await patient_of(services, uow, patient_id)
        if await uow.patients.is_referenced(patient_id):
            raise StillReferenced(f"Patient {patient_id} has appointments and cannot be deleted")
        await uow.patients.delete(patient_id)
        await uow.commit()


async def resolve_party(
    services: Services,
    principal: Principal,
    uow: UnitOfWork,
    request: BookingRequest,
    now: datetime,
) -> Party:
    """Who a booking is for: a client by id, an inline client (upserted), a patient, or just
    a name as in seed 000. Writing an inline client needs the `clients:write` scope."""
    client: Client | None = None
    if request.client is not None:
        if request.client_id is not None:
            raise InvalidRequest("Give either clientId or client, not both")
        require(principal, Scope.CLIENTS_WRITE)
        upsert = request.client
        if upsert.id is None:
            client = await _create(uow, upsert.fields, now)
        else:
            changes = ClientChanges(upsert.fields, upsert.fields_set)
            client = await _update(services, uow, upsert.id, changes, now)
    elif request.client_id is not None:
        client = await client_of(services, uow, request.client_id)
    patient_id = None
    if request.patient_id is not None:
        patient = await patient_of(services, uow, request.patient_id)
        if client is None:
            client = await client_of(services, uow, patient.client_id)
        elif patient.client_id != client.id:
            raise InvalidRequest(f"Patient {patient.id} does not belong to client {client.id}")
        patient_id = patient.id
    if client is not None and client.erased_at is not None:
        raise InvalidRequest(f"Client {client.id} was erased and cannot book")
    name = request.name or (client.name if client else None)
    if not name:
        raise InvalidRequest("name is required when no client is given")
    external = request.external_user_id or (client.external_user_id if client else None)
    return Party(name, external, client.id if client else None, patient_id)

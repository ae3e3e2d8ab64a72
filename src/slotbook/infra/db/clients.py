"""Repositories of clients and patients, built for one organization."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, insert, or_, select, update

from slotbook.application.ports import ClientFields, Page, PatientFields
from slotbook.domain.clients import Client, Patient
from slotbook.infra.db.repositories import _Scoped
from slotbook.infra.db.tables import appointment, client, patient


def _client(row: Any) -> Client:
    return Client(
        id=row.id,
        uuid=row.uuid,
        organization_id=row.organization_id,
        name=row.name,
        email=row.email,
        phone=row.phone,
        second_phone=row.second_phone,
        external_user_id=row.external_user_id,
        notes=row.notes,
        no_show_count=row.no_show_count,
        created_at=row.created_at,
        updated_at=row.updated_at,
        erased_at=row.erased_at,
    )


def _patient(row: Any) -> Patient:
    return Patient(
        id=row.id,
        uuid=row.uuid,
        organization_id=row.organization_id,
        client_id=row.client_id,
        name=row.name,
        species=row.species,
        birth_date=row.birth_date,
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlClients(_Scoped):
    def _mine(self) -> Any:
        return client.c.organization_id == self._org

    async def add(self, fields: ClientFields, now: datetime) -> int:
        new_id = (
            await self._conn.execute(
                insert(client)
                .values(organization_id=self._org, created_at=now, updated_at=now, **asdict(fields))
                .returning(client.c.id)
            )
        ).scalar_one()
        return int(new_id)

    async def get(self, client_id: int) -> Client | None:
        row = (
            await self._conn.execute(select(client).where(self._mine(), client.c.id == client_id))
        ).first()
        return _client(row) if row else None

    async def get_by_email(self, email: str) -> Client | None:
        row = (
            await self._conn.execute(select(client).where(self._mine(), client.c.email == email))
        ).first()
        return _client(row) if row else None

    async def list(self, search: str | None, page: int, size: int) -> Page[Client]:
        where = [self._mine()]
        if search:
            where.append(
                or_(
                    *(
                        column.icontains(search, autoescape=True)
                        for column in (
                            client.c.name,
                            client.c.email,
                            client.c.phone,
                            client.c.second_phone,
                            client.c.external_user_id,
                        )
                    )
                )
            )
        total = (
            await self._conn.execute(select(func.count()).select_from(client).where(*where))
        ).scalar_one()
        rows = await self._conn.execute(
            select(client).where(*where).order_by(client.c.id).limit(size).offset(page * size)
        )
        return Page([_client(row) for row in rows], page, size, total)

    async def update(self, client_id: int, values: Mapping[str, Any], now: datetime) -> None:
        await self._conn.execute(
            update(client)
            .where(self._mine(), client.c.id == client_id)
            .values(**values, updated_at=now)
        )

    async def delete(self, client_id: int) -> None:
        await self._conn.execute(
            delete(patient).where(
                patient.c.organization_id == self._org, patient.c.client_id == client_id
            )
        )
        await self._conn.execute(delete(client).where(self._mine(), client.c.id == client_id))

    async def erase(self, client_id: int, now: datetime) -> None:
        await self._conn.execute(
            update(client)
            .where(self._mine(), client.c.id == client_id)
            .values(
                name=None,
                email=None,
                phone=None,
                second_phone=None,
                external_user_id=None,
                notes=None,
                updated_at=now,
                erased_at=func.coalesce(client.c.erased_at, now),
            )
        )

    async def is_referenced(self, client_id: int) -> bool:
        return bool(
            (
                await self._conn.execute(
                    select(
                        exists().where(
                            appointment.c.organization_id == self._org,
                            appointment.c.client_id == client_id,
                        )
                    )
                )
            ).scalar_one()
        )

    async def add_no_shows(self, counts: Mapping[int, int]) -> None:
        for client_id, count in sorted(counts.items()):
            await self._conn.execute(
                update(client)
                .where(self._mine(), client.c.id == client_id)
                .values(no_show_count=client.c.no_show_count + count)
            )


class SqlPatients(_Scoped):
    def _mine(self) -> Any:
        return patient.c.organization_id == self._org

    async def add(self, client_id: int, fields: PatientFields, now: datetime) -> int:
        new_id = (
            await self._conn.execute(
                insert(patient)
                .values(
                    organization_id=self._org,
                    client_id=client_id,
                    created_at=now,
                    updated_at=now,
                    **asdict(fields),
                )
                .returning(patient.c.id)
            )
        ).scalar_one()
        return int(new_id)

    async def get(self, patient_id: int) -> Patient | None:
        row = (
            await self._conn.execute(
                select(patient).where(self._mine(), patient.c.id == patient_id)
            )
        ).first()
        return _patient(row) if row else None

    async def list_for_client(self, client_id: int) -> Sequence[Patient]:
        rows = await self._conn.execute(
            select(patient)
            .where(self._mine(), patient.c.client_id == client_id)
            .order_by(patient.c.id)
        )
        return [_patient(row) for row in rows]

    async def update(self, patient_id: int, values: Mapping[str, Any], now: datetime) -> None:
        await self._conn.execute(
            update(patient)
            .where(self._mine(), patient.c.id == patient_id)
            .values(**values, updated_at=now)
        )

    async def delete(self, patient_id: int) -> None:
        await self._conn.execute(delete(patient).where(self._mine(), patient.c.id == patient_id))

    async def is_referenced(self, patient_id: int) -> bool:
        return bool(
            (
                await self._conn.execute(
                    select(
                        exists().where(
                            appointment.c.organization_id == self._org,
                            appointment.c.patient_id == patient_id,
                        )
                    )
                )
            ).scalar_one()
        )

    async def erase_for_client(self, client_id: int, now: datetime) -> None:
        # The species stays (it identifies no one); name, birth date and notes go.
        await self._conn.execute(
            update(patient)
            .where(self._mine(), patient.c.client_id == client_id)
            .values(name=None, birth_date=None, notes=None, updated_at=now)
        )

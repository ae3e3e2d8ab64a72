"""Appointment types and workers of one organization (what is booked, and with whom)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update

from slotbook.application.ports import TypeChanges
from slotbook.domain.organizations import Worker
from slotbook.domain.schedules import AppointmentType
from slotbook.infra.db.repositories import _AgendaWriter
from slotbook.infra.db.tables import (
    appointment_type,
    appointment_type_worker,
    department,
    department_worker,
    worker,
)


class SqlAppointmentTypes(_AgendaWriter):
    async def _workers(self, type_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = defaultdict(list)
        if type_ids:
            rows = await self._conn.execute(
                select(appointment_type_worker).where(
                    appointment_type_worker.c.appointment_type_id.in_(type_ids)
                )
            )
            for row in rows:
                found[row.appointment_type_id].append(row.worker_id)
        return {k: tuple(sorted(v)) for k, v in found.items()}

    def _type(self, row: Any, workers: dict[int, tuple[int, ...]]) -> AppointmentType:
        return AppointmentType(
            id=row.id,
            organization_id=row.organization_id,
            name=row.name,
            duration_minutes=row.duration_minutes,
            uuid=row.uuid,
            buffer_before_minutes=row.buffer_before_minutes,
            buffer_after_minutes=row.buffer_after_minutes,
            capacity=row.capacity,
            department_id=row.department_id,
            worker_ids=workers.get(row.id, ()),
            archived=row.archived_at is not None,
        )

    async def list(self, department_id: int | None = None) -> Sequence[AppointmentType]:
        query = select(appointment_type).where(
            appointment_type.c.organization_id == self._org,
            appointment_type.c.archived_at.is_(None),
        )
        if department_id is not None:
            query = query.where(
                or_(
                    appointment_type.c.department_id.is_(None),
                    appointment_type.c.department_id == department_id,
                )
            )
        rows = (await self._conn.execute(query.order_by(appointment_type.c.id))).all()
        workers = await self._workers([r.id for r in rows])
        return [self._type(r, workers) for r in rows]

    async def get(self, type_id: int) -> AppointmentType | None:
        row = (
            await self._conn.execute(
                select(appointment_type).where(
                    appointment_type.c.organization_id == self._org,
                    appointment_type.c.id == type_id,
                )
            )
        ).first()
        return self._type(row, await self._workers([type_id])) if row else None

    def _values(self, changes: TypeChanges) -> dict[str, Any]:
        return {
            "name": changes.name,
            "duration_minutes": changes.duration_minutes,
            "buffer_before_minutes": changes.buffer_before_minutes,
            "buffer_after_minutes": changes.buffer_after_minutes,
            "capacity": changes.capacity,
            "department_id": changes.department_id,
        }

    async def _set_workers(self, type_id: int, worker_ids: Sequence[int]) -> None:
        await self._agenda.changed()
        await self._conn.execute(
            delete(appointment_type_worker).where(
                appointment_type_worker.c.appointment_type_id == type_id
            )
        )
        if worker_ids:
            await self._conn.execute(
                insert(appointment_type_worker),
                [
                    {"organization_id": self._org, "appointment_type_id": type_id, "worker_id": w}
                    for w in worker_ids
                ],
            )

    async def add(self, changes: TypeChanges, now: datetime) -> int:
        type_id = int(
            (
                await self._conn.execute(
                    insert(appointment_type)
                    .values(organization_id=self._org, created_at=now, **self._values(changes))
                    .returning(appointment_type.c.id)
                )
            ).scalar_one()
        )
        await self._set_workers(type_id, changes.worker_ids)
        return type_id

    async def update(self, type_id: int, changes: TypeChanges) -> None:
        await self._conn.execute(
            update(appointment_type)
            .where(
                appointment_type.c.organization_id == self._org, appointment_type.c.id == type_id
            )
            .values(**self._values(changes))
        )
        await self._set_workers(type_id, changes.worker_ids)

    async def archive(self, type_id: int, now: datetime) -> None:
        await self._agenda.changed()
        await self._conn.execute(
            update(appointment_type)
            .where(
                appointment_type.c.organization_id == self._org, appointment_type.c.id == type_id
            )
            .values(archived_at=now)
        )


class SqlWorkers(_AgendaWriter):
    async def _departments(self, worker_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = defaultdict(list)
        if worker_ids:
            rows = await self._conn.execute(
                select(department_worker).where(department_worker.c.worker_id.in_(worker_ids))
            )
            for row in rows:
                found[row.worker_id].append(row.department_id)
        return {k: tuple(sorted(v)) for k, v in found.items()}

    async def list(self) -> Sequence[tuple[Worker, tuple[int, ...]]]:
        rows = (
            await self._conn.execute(
                select(worker).where(worker.c.organization_id == self._org).order_by(worker.c.id)
            )
        ).all()
        departments = await self._departments([r.id for r in rows])
        return [(Worker(r.id, self._org, r.name, r.uuid), departments.get(r.id, ())) for r in rows]

    async def get(self, worker_id: int) -> tuple[Worker, tuple[int, ...]] | None:
        row = (
            await self._conn.execute(
                select(worker).where(
                    worker.c.organization_id == self._org, worker.c.id == worker_id
                )
            )
        ).first()
        if row is None:
            return None
        departments = await self._departments([worker_id])
        return Worker(row.id, self._org, row.name, row.uuid), departments.get(row.id, ())

    async def known_departments(self, department_ids: Sequence[int]) -> set[int]:
        rows = await self._conn.execute(
            select(department.c.id).where(
                department.c.organization_id == self._org, department.c.id.in_(department_ids)
            )
        )
        return {int(r) for r in rows.scalars()}

    async def known_workers(self, worker_ids: Sequence[int]) -> set[int]:
        rows = await self._conn.execute(
            select(worker.c.id).where(
                worker.c.organization_id == self._org, worker.c.id.in_(worker_ids)
            )
        )
        return {int(r) for r in rows.scalars()}

    async def _set_departments(self, worker_id: int, department_ids: Sequence[int]) -> None:
        await self._agenda.changed()
        await self._conn.execute(
            delete(department_worker).where(department_worker.c.worker_id == worker_id)
        )
        if department_ids:
            await self._conn.execute(
                insert(department_worker),
                [
                    {"organization_id": self._org, "department_id": d, "worker_id": worker_id}
                    for d in department_ids
                ],
            )

    async def add(self, name: str, department_ids: Sequence[int], now: datetime) -> int:
        worker_id = int(
            (
                await self._conn.execute(
                    insert(worker)
                    .values(organization_id=self._org, name=name, created_at=now)
                    .returning(worker.c.id)
                )
            ).scalar_one()
        )
        await self._set_departments(worker_id, department_ids)
        return worker_id

    async def update(self, worker_id: int, name: str, department_ids: Sequence[int]) -> None:
        await self._conn.execute(
            update(worker)
            .where(worker.c.organization_id == self._org, worker.c.id == worker_id)
            .values(name=name)
        )
        await self._set_departments(worker_id, department_ids)

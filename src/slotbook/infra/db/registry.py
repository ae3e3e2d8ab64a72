"""Cross-tenant administration and the lookups that come before the tenant is known."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import Table, bindparam, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from slotbook.application.ports import (
    CalendarFeedOwner,
    FeedKind,
    StoredApiKey,
    StoredSession,
    StoredUser,
)
from slotbook.domain.appointments import AWAITED_STATUSES
from slotbook.domain.errors import Conflict, InvalidRequest
from slotbook.domain.organizations import Organization, Worker
from slotbook.domain.users import Role
from slotbook.infra.db.agenda_version import bump_agenda_version, bump_department_owner
from slotbook.infra.db.tables import (
    api_key,
    appointment,
    appointment_type,
    client,
    dashboard_session,
    dashboard_user,
    department,
    department_worker,
    organization,
    patient,
    webhook_endpoint,
    worker,
)
from slotbook.infra.db.waitlist import offer_owner, organizations_with_due_work

# Every request reads its key: the statement is built once (SQLAlchemy then finds its compiled
# form by a cache key computed once, not per request).
_KEY_BY_HASH = select(api_key).where(api_key.c.key_hash == bindparam("key_hash"))


def _stored_key(row: Any) -> StoredApiKey:
    return StoredApiKey(
        id=row.id,
        organization_id=row.organization_id,
        name=row.name,
        prefix=row.prefix,
        scopes=frozenset(row.scopes.split(",")),
        rate_limit_per_hour=row.rate_limit_per_hour,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        expires_at=row.expires_at,
    )


def _stored_user(row: Any) -> StoredUser:
    return StoredUser(
        id=row.id,
        organization_id=row.organization_id,
        email=row.email,
        role=Role(row.role),
        password_hash=row.password_hash,
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
        last_login_at=row.last_login_at,
        created_at=row.created_at,
    )


class SqlRegistry:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _insert(
        self, conn: AsyncConnection, table: Table, values: dict[str, Any], row_id: int | None
    ) -> int:
        if row_id is not None:
            values = {**values, "id": row_id}
        new_id = (
            await conn.execute(insert(table).values(values).returning(table.c.id))
        ).scalar_one()
        if row_id is not None and conn.dialect.name == "postgresql":
            # An explicit id (demo data) must not be handed out again by the sequence.
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT MAX(id) FROM {table.name}))"
                )
            )
        return int(new_id)

    async def create_organization(
        self, name: str, time_zone: str, now: datetime, organization_id: int | None = None
    ) -> Organization:
        async with self._engine.begin() as conn:
            new_id = await self._insert(
                conn,
                organization,
                {"name": name, "time_zone": time_zone, "credits": 0, "created_at": now},
                organization_id,
            )
        return Organization(new_id, name, time_zone, 0)

    async def get_organization(self, organization_id: int) -> Organization | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(organization).where(organization.c.id == organization_id))
            ).first()
        return Organization(row.id, row.name, row.time_zone, row.credits) if row else None

    async def organizations_named(self, name: str) -> Sequence[Organization]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(organization).where(organization.c.name == name).order_by(organization.c.id)
            )
            return [Organization(r.id, r.name, r.time_zone, r.credits) for r in rows]

    async def create_department(
        self,
        organization_id: int,
        name: str,
        description: str | None,
        show_admins_in_booking: bool,
        now: datetime,
        department_id: int | None = None,
        always_open: bool = False,
    ) -> int:
        async with self._engine.begin() as conn:
            await bump_agenda_version(conn, organization_id)
            return await self._insert(
                conn,
                department,
                {
                    "organization_id": organization_id,
                    "name": name,
                    "description": description,
                    "show_admins_in_booking": show_admins_in_booking,
                    "created_at": now,
                    "always_open": always_open,
                },
                department_id,
            )

    async def create_worker(
        self,
        organization_id: int,
        name: str,
        department_ids: Sequence[int],
        now: datetime,
        worker_id: int | None = None,
    ) -> Worker:
        async with self._engine.begin() as conn:
            found = set(
                (
                    await conn.execute(
                        select(department.c.id).where(
                            department.c.organization_id == organization_id,
                            department.c.id.in_(department_ids),
                        )
                    )
                ).scalars()
            )
            missing = sorted(set(department_ids) - found)
            if missing:
                raise InvalidRequest(f"Unknown department(s) for this organization: {missing}")
            public_id = uuid4()
            new_id = await self._insert(
                conn,
                worker,
                {
                    "organization_id": organization_id,
                    "name": name,
                    "created_at": now,
                    "uuid": public_id,
                },
                worker_id,
            )
            if department_ids:
                await bump_agenda_version(conn, organization_id)
                await conn.execute(
                    insert(department_worker),
                    [
                        {
                            "organization_id": organization_id,
                            "department_id": d,
                            "worker_id": new_id,
                        }
                        for d in department_ids
                    ],
                )
        return Worker(new_id, organization_id, name, public_id)

    async def create_api_key(
        self,
        organization_id: int,
        name: str,
        prefix: str,
        key_hash: str,
        scopes: frozenset[str],
        rate_limit_per_hour: int,
        now: datetime,
    ) -> StoredApiKey:
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    insert(api_key)
                    .values(
                        organization_id=organization_id,
                        name=name,
                        prefix=prefix,
                        key_hash=key_hash,
                        scopes=",".join(sorted(scopes)),
                        rate_limit_per_hour=rate_limit_per_hour,
                        created_at=now,
                    )
                    .returning(api_key)
                )
            ).one()
        return _stored_key(row)

    async def find_api_key(self, key_hash: str) -> StoredApiKey | None:
        async with self._engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # One read needs no transaction: without one it is one round trip instead of
                # BEGIN, SELECT and ROLLBACK, and no ROLLBACK makes psycopg drop (and the next
                # requests prepare again) the connection's prepared statements (engine.py).
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            row = (await conn.execute(_KEY_BY_HASH, {"key_hash": key_hash})).first()
        return _stored_key(row) if row else None

    async def touch_api_key(self, key_id: int, now: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(api_key).where(api_key.c.id == key_id).values(last_used_at=now)
            )

    async def list_api_keys(self, organization_id: int) -> Sequence[StoredApiKey]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(api_key)
                .where(api_key.c.organization_id == organization_id)
                .order_by(api_key.c.id.desc())
            )
            return [_stored_key(row) for row in rows]

    async def get_api_key(self, key_id: int) -> StoredApiKey | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(api_key).where(api_key.c.id == key_id))).first()
        return _stored_key(row) if row else None

    async def revoke_api_key(self, organization_id: int, key_id: int, now: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(api_key)
                .where(
                    api_key.c.organization_id == organization_id,
                    api_key.c.id == key_id,
                    api_key.c.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )

    async def create_user(
        self, organization_id: int, email: str, password_hash: str, role: Role, now: datetime
    ) -> StoredUser:
        try:
            async with self._engine.begin() as conn:
                row = (
                    await conn.execute(
                        insert(dashboard_user)
                        .values(
                            organization_id=organization_id,
                            email=email,
                            password_hash=password_hash,
                            role=role.value,
                            failed_logins=0,
                            created_at=now,
                        )
                        .returning(dashboard_user)
                    )
                ).one()
        except IntegrityError:
            raise Conflict(f"A user with the e-mail {email} already exists") from None
        return _stored_user(row)

    async def find_user_by_email(self, email: str) -> StoredUser | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(dashboard_user).where(dashboard_user.c.email == email))
            ).first()
        return _stored_user(row) if row else None

    async def count_login_failure(self, user_id: int) -> int:
        async with self._engine.begin() as conn:
            failures = (
                await conn.execute(
                    update(dashboard_user)
                    .where(dashboard_user.c.id == user_id)
                    .values(failed_logins=dashboard_user.c.failed_logins + 1)
                    .returning(dashboard_user.c.failed_logins)
                )
            ).scalar_one()
        return int(failures)

    async def lock_user(self, user_id: int, until: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(dashboard_user)
                .where(dashboard_user.c.id == user_id)
                .values(locked_until=until, failed_logins=0)
            )

    async def record_login(
        self, user_id: int, now: datetime, password_hash: str | None = None
    ) -> None:
        values: dict[str, Any] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if password_hash is not None:
            values["password_hash"] = password_hash
        async with self._engine.begin() as conn:
            await conn.execute(
                update(dashboard_user).where(dashboard_user.c.id == user_id).values(values)
            )

    async def create_session(
        self, user: StoredUser, token_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                insert(dashboard_session).values(
                    organization_id=user.organization_id,
                    user_id=user.id,
                    token_hash=token_hash,
                    created_at=now,
                    expires_at=expires_at,
                )
            )

    async def find_session(self, token_hash: str) -> StoredSession | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(
                        dashboard_user,
                        dashboard_session.c.token_hash,
                        dashboard_session.c.created_at.label("session_created_at"),
                        dashboard_session.c.expires_at,
                    )
                    .select_from(
                        dashboard_session.join(
                            dashboard_user, dashboard_user.c.id == dashboard_session.c.user_id
                        )
                    )
                    .where(dashboard_session.c.token_hash == token_hash)
                )
            ).first()
        if row is None:
            return None
        return StoredSession(
            token_hash=row.token_hash,
            user=_stored_user(row),
            created_at=row.session_created_at,
            expires_at=row.expires_at,
        )

    async def delete_session(self, token_hash: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(dashboard_session).where(dashboard_session.c.token_hash == token_hash)
            )

    async def delete_expired_sessions(self, now: datetime) -> int:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(dashboard_session).where(dashboard_session.c.expires_at <= now)
            )
        return int(result.rowcount)

    async def owner_of_appointment(self, appointment_id: int) -> int | None:
        return await self._owner(appointment, appointment_id)

    async def find_calendar_feed(self, token: str) -> CalendarFeedOwner | None:
        # The token is unique across both tables (random, 256 bits), and indexed in each.
        async with self._engine.connect() as conn:
            for kind, table in ((FeedKind.DEPARTMENT, department), (FeedKind.WORKER, worker)):
                row = (
                    await conn.execute(
                        select(table.c.id, table.c.organization_id, table.c.name).where(
                            table.c.calendar_token == token
                        )
                    )
                ).first()
                if row is not None:
                    return CalendarFeedOwner(row.organization_id, kind, row.id, row.name)
        return None

    async def set_calendar_token(
        self, organization_id: int, kind: FeedKind, owner_id: int, token: str
    ) -> None:
        table = department if kind is FeedKind.DEPARTMENT else worker
        async with self._engine.begin() as conn:
            await conn.execute(
                update(table)
                .where(table.c.id == owner_id, table.c.organization_id == organization_id)
                .values(calendar_token=token)
            )

    async def owner_of_department(self, department_id: int) -> int | None:
        return await self._owner(department, department_id)

    async def owner_of_worker(self, worker_id: int) -> int | None:
        return await self._owner(worker, worker_id)

    async def owner_of_appointment_type(self, type_id: int) -> int | None:
        return await self._owner(appointment_type, type_id)

    async def owner_of_client(self, client_id: int) -> int | None:
        return await self._owner(client, client_id)

    async def owner_of_patient(self, patient_id: int) -> int | None:
        return await self._owner(patient, patient_id)

    async def owner_of_qr_token(self, token: str) -> int | None:
        async with self._engine.connect() as conn:
            owner = (
                await conn.execute(
                    select(appointment.c.organization_id).where(appointment.c.qr_token == token)
                )
            ).scalar_one_or_none()
        return int(owner) if owner is not None else None

    async def owner_of_cancel_token(self, token: str) -> int | None:
        async with self._engine.connect() as conn:
            owner = (
                await conn.execute(
                    select(appointment.c.organization_id).where(appointment.c.cancel_token == token)
                )
            ).scalar_one_or_none()
        return int(owner) if owner is not None else None

    async def organizations_with_waitlist_work(self, now: datetime) -> Sequence[int]:
        return await organizations_with_due_work(self._engine, now)

    async def waitlist_offer_owner(self, token: str) -> int | None:
        return await offer_owner(self._engine, token)

    async def organizations_with_overdue(self, cutoff: datetime) -> Sequence[int]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(appointment.c.organization_id)
                .distinct()
                .where(
                    appointment.c.status.in_([s.value for s in AWAITED_STATUSES]),
                    appointment.c.starts_at < cutoff,
                )
                .order_by(appointment.c.organization_id)
            )
            return [int(org) for org in rows.scalars()]

    async def set_no_show_rule(
        self, department_id: int, limit: int | None, window_days: int
    ) -> bool:
        async with self._engine.begin() as conn:
            await bump_department_owner(conn, department_id)
            result = await conn.execute(
                update(department)
                .where(department.c.id == department_id)
                .values(no_show_limit=limit, no_show_window_days=window_days)
            )
        return bool(result.rowcount)

    async def owner_of_webhook(self, webhook_id: int) -> int | None:
        return await self._owner(webhook_endpoint, webhook_id)

    async def _owner(self, table: Table, row_id: int) -> int | None:
        async with self._engine.connect() as conn:
            owner = (
                await conn.execute(select(table.c.organization_id).where(table.c.id == row_id))
            ).scalar_one_or_none()
        return int(owner) if owner is not None else None

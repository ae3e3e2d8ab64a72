"""The unit of work: one connection, one transaction, repositories for one organization."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import cast

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from slotbook.domain.errors import DomainError, InsufficientCredits
from slotbook.infra.db.appointments import SqlAppointmentStore
from slotbook.infra.db.booking_groups import BookingGroups
from slotbook.infra.db.catalog import SqlAppointmentTypes, SqlWorkers
from slotbook.infra.db.clients import SqlClients, SqlPatients
from slotbook.infra.db.credits import SqlCredits
from slotbook.infra.db.history import SqlHistory
from slotbook.infra.db.idempotency import pending_commit
from slotbook.infra.db.outbox import SqlOutbox
from slotbook.infra.db.overlap_guard import credits_refused, refusal
from slotbook.infra.db.pg_direct import DirectConnections, PgDirect
from slotbook.infra.db.public_ids import SqlPublicIds
from slotbook.infra.db.repositories import (
    SqlDepartments,
    SqlOrganization,
)
from slotbook.infra.db.scheduling import SqlScheduling
from slotbook.infra.db.webhooks import SqlWebhooks


class SqlUnitOfWork:
    organization: SqlOrganization
    departments: SqlDepartments
    appointments: SqlAppointmentStore
    credits: SqlCredits
    scheduling: SqlScheduling
    appointment_types: SqlAppointmentTypes
    workers: SqlWorkers
    clients: SqlClients
    patients: SqlPatients
    history: SqlHistory
    public_ids: SqlPublicIds
    outbox: SqlOutbox
    webhooks: SqlWebhooks

    def __init__(
        self,
        engine: AsyncEngine,
        organization_id: int,
        *,
        write: bool,
        connections: DirectConnections | None = None,
        groups: BookingGroups | None = None,
    ) -> None:
        self._engine = engine
        self._connections = connections
        self._groups = groups
        self.organization_id = organization_id
        self._write = write
        self._connection: AsyncConnection | None = None
        self._direct: PgDirect | None = None
        self._committed = False
        self._handed_over = False

    async def __aenter__(self) -> SqlUnitOfWork:
        pending = pending_commit.get()
        if self._write and pending is not None:
            # A keyed request's earlier write transaction is still waiting for its response:
            # commit it now rather than wait behind its locks (SQLite: the write lock).
            await pending.flush()
        if self._groups is not None and pending is None and not BookingGroups.alone():
            member = self._groups.join(self.organization_id)
            direct: PgDirect | None = member.direct
            connection = cast(AsyncConnection, member)
        elif self._connections is not None:
            held = await self._connections.borrow()
            direct = held.direct
            connection = cast(AsyncConnection, held)
        else:
            direct = None
            connection = await self._engine.connect()
            if self._write:
                await connection.execution_options(sqlite_begin="IMMEDIATE")
            await connection.begin()
        self._connection = connection
        self._direct = direct
        org = self.organization_id
        self.organization = SqlOrganization(connection, org)
        self.departments = SqlDepartments(connection, org, direct)
        self.appointments = SqlAppointmentStore(connection, org, direct)
        self.outbox = SqlOutbox(connection, org, direct)
        self.credits = SqlCredits(connection, org, direct, self.outbox)
        self.scheduling = SqlScheduling(connection, org, direct)
        self.appointment_types = SqlAppointmentTypes(connection, org)
        self.workers = SqlWorkers(connection, org)
        self.clients = SqlClients(connection, org)
        self.patients = SqlPatients(connection, org)
        self.history = SqlHistory(connection, org, direct)
        self.public_ids = SqlPublicIds(connection, org)
        self.webhooks = SqlWebhooks(connection, org)
        return self

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        assert self._connection is not None
        direct = self._direct
        if direct is not None:
            await direct.flush()  # writes deferred before the savepoint are not undone with it
        try:
            async with self._connection.begin_nested():
                try:
                    yield
                    if direct is not None:
                        await direct.flush()
                finally:
                    if direct is not None:
                        direct.discard(0)  # left only when the savepoint is undone
        except Exception as error:
            self.scheduling.savepoint_undone()
            # The overlap guard refusing one write inside the savepoint is the same domain
            # error as outside it, and only the savepoint's writes are undone.
            await self._raise_refusal(error, aborted=False)
            raise

    async def commit(self) -> None:
        assert self._connection is not None
        pending = pending_commit.get()
        if self._write and pending is not None and pending.connection is None:
            # A keyed request (Idempotency-Key): the stored response commits with this
            # transaction (infra/db/idempotency.py), so hand it over instead of committing.
            if self._direct is not None:
                await self._direct.flush()
            pending.connection = self._connection
            self._handed_over = True
        else:
            try:
                # PostgreSQL (DirectConnection): the deferred writes and the COMMIT in one
                # round trip.
                await self._connection.commit()
            except Exception as error:
                await self._raise_refusal(error, aborted=True)
                raise
        self._committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._connection is not None
        if self._handed_over:
            return
        try:
            if exc is not None and not self._committed:
                await self._raise_refusal(exc, aborted=True)
        finally:
            try:
                if not self._committed:
                    await self._connection.rollback()
            finally:
                await self._connection.close()

    async def _raise_refusal(self, error: BaseException, *, aborted: bool) -> None:
        """Re-raise a database error we expect (overlap guard, serialization, a debit the
        balance cannot cover) as a domain error."""
        if credits_refused(error):
            # The debit was sent later than it was asked for (SqlCredits.spend), so the balance
            # it found is read now: after the rollback, or the savepoint's, which undid it.
            assert self._connection is not None
            if aborted:
                await self._connection.rollback()
            raise InsufficientCredits(
                await self.credits.balance(), self.credits.last_spend
            ) from error
        translated: DomainError | None = refusal(error)
        if translated is not None:
            raise translated from error


class SqlUnitOfWorkFactory:
    def __init__(self, engine: AsyncEngine, *, shared: bool = True, direct: bool = True) -> None:
        self._engine = engine
        # PostgreSQL: the units of work's connections, kept between them (pg_direct), and
        # the groups of bookings sharing a transaction (booking_groups), unless `shared` is
        # off. Without `direct` (PgBouncer in transaction pooling, where a server-side
        # prepared statement would not outlive its transaction) every statement goes through
        # SQLAlchemy, unprepared, as on SQLite.
        self.connections: DirectConnections | None = None
        self.groups: BookingGroups | None = None
        if engine.dialect.name == "postgresql" and direct:
            self.connections = DirectConnections(
                engine,
                keep=engine.pool.size(),  # type: ignore[attr-defined]
            )
            if shared:
                self.groups = BookingGroups(self.connections)

    def __call__(self, organization_id: int, *, write: bool, shared: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self._engine,
            organization_id,
            write=write,
            connections=self.connections,
            groups=self.groups if shared and write else None,
        )

    async def aclose(self) -> None:
        if self.connections is not None:
            await self.connections.aclose()

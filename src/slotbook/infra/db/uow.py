"""The unit of work: one connection, one transaction, repositories for one organization."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from slotbook.domain.errors import DomainError
from slotbook.infra.db.agenda_version import AgendaVersion
from slotbook.infra.db.appointments import SqlAppointmentStore
from slotbook.infra.db.catalog import SqlAppointmentTypes, SqlWorkers
from slotbook.infra.db.clients import SqlClients, SqlPatients
from slotbook.infra.db.credits import SqlCredits
from slotbook.infra.db.history import SqlHistory
from slotbook.infra.db.idempotency import pending_commit
from slotbook.infra.db.outbox import SqlOutbox, WebhookSubscriptions
from slotbook.infra.db.overlap_guard import refusal
from slotbook.infra.db.public_ids import SqlPublicIds
from slotbook.infra.db.repositories import (
    SqlDepartments,
    SqlOrganization,
)
from slotbook.infra.db.scheduling import SqlScheduling
from slotbook.infra.db.waitlist import SqlWaitlist
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
    waitlist: SqlWaitlist

    def __init__(
        self,
        engine: AsyncEngine,
        organization_id: int,
        *,
        write: bool,
        subscriptions: WebhookSubscriptions | None = None,
    ) -> None:
        self._engine = engine
        self._subscriptions = subscriptions
        self.organization_id = organization_id
        self._write = write
        self._connection: AsyncConnection | None = None
        self._committed = False
        self._handed_over = False

    async def __aenter__(self) -> SqlUnitOfWork:
        pending = pending_commit.get()
        if self._write and pending is not None:
            # A keyed request's earlier write transaction is still waiting for its response:
            # commit it now rather than wait behind its locks (SQLite: the write lock).
            await pending.flush()
        connection = await self._engine.connect()
        if self._write:
            await connection.execution_options(sqlite_begin="IMMEDIATE")
        await connection.begin()
        self._connection = connection
        org = self.organization_id
        agenda = self._agenda = AgendaVersion(connection, org)
        self.organization = SqlOrganization(connection, org)
        self.departments = SqlDepartments(connection, org)
        self.appointments = SqlAppointmentStore(connection, org)
        self.outbox = SqlOutbox(connection, org, agenda, self._subscriptions)
        self.credits = SqlCredits(connection, org)
        self.scheduling = SqlScheduling(connection, org, agenda)
        self.appointment_types = SqlAppointmentTypes(connection, org, agenda)
        self.workers = SqlWorkers(connection, org, agenda)
        self.clients = SqlClients(connection, org)
        self.patients = SqlPatients(connection, org)
        self.history = SqlHistory(connection, org)
        self.public_ids = SqlPublicIds(connection, org)
        self.webhooks = SqlWebhooks(connection, org, agenda)
        self.waitlist = SqlWaitlist(connection, org)
        return self

    async def agenda_version(self) -> int | None:
        return await self._agenda.read()

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        assert self._connection is not None
        try:
            async with self._connection.begin_nested():
                yield
        except Exception as error:
            # The overlap guard refusing one write inside the savepoint is the same domain
            # error as outside it, and only the savepoint's writes are undone.
            _raise_refusal(error)
            raise

    async def commit(self) -> None:
        assert self._connection is not None
        pending = pending_commit.get()
        if self._write and pending is not None and pending.connection is None:
            # A keyed request (Idempotency-Key): the stored response commits with this
            # transaction (infra/db/idempotency.py), so hand it over instead of committing.
            pending.connection = self._connection
            self._handed_over = True
        else:
            try:
                await self._connection.commit()
            except Exception as error:
                _raise_refusal(error)
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
                _raise_refusal(exc)
        finally:
            try:
                if not self._committed:
                    if self._write or exc is not None:
                        await self._connection.rollback()
                    else:
                        # A read has nothing to undo, and a ROLLBACK would make psycopg drop
                        # the connection's prepared statements (engine.py).
                        await self._connection.commit()
            finally:
                await self._connection.close()


def _raise_refusal(error: BaseException) -> None:
    """Re-raise a database error we expect (overlap guard, serialization) as a domain error."""
    translated: DomainError | None = refusal(error)
    if translated is not None:
        raise translated from error


class SqlUnitOfWorkFactory:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # The process's webhook endpoints, per organization and version (infra/db/outbox.py).
        self._subscriptions = WebhookSubscriptions()

    def __call__(self, organization_id: int, *, write: bool) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self._engine, organization_id, write=write, subscriptions=self._subscriptions
        )

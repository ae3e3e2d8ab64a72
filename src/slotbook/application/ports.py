"""The ports the use cases need from the outside world, as Protocols implemented in infra/."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar
from uuid import UUID

from slotbook.application.integration_ports import ChangeEvent as ChangeEvent
from slotbook.application.integration_ports import DeliveryAttempt as DeliveryAttempt
from slotbook.application.integration_ports import DeliveryRecord as DeliveryRecord
from slotbook.application.integration_ports import IdempotencyClaim as IdempotencyClaim
from slotbook.application.integration_ports import IdempotencyStore as IdempotencyStore
from slotbook.application.integration_ports import NewWebhook as NewWebhook
from slotbook.application.integration_ports import OutboxRepository as OutboxRepository
from slotbook.application.integration_ports import StoredResponse as StoredResponse
from slotbook.application.integration_ports import UrlGuard as UrlGuard
from slotbook.application.integration_ports import WebhookChanges as WebhookChanges
from slotbook.application.integration_ports import WebhookEndpoint as WebhookEndpoint
from slotbook.application.integration_ports import WebhookRepository as WebhookRepository
from slotbook.application.registry_ports import CalendarFeedOwner as CalendarFeedOwner
from slotbook.application.registry_ports import FeedKind as FeedKind
from slotbook.application.registry_ports import Registry as Registry
from slotbook.application.registry_ports import StoredApiKey as StoredApiKey
from slotbook.application.registry_ports import StoredSession as StoredSession
from slotbook.application.registry_ports import StoredUser as StoredUser
from slotbook.application.scheduling_ports import (
    AppointmentTypeRepository as AppointmentTypeRepository,
)
from slotbook.application.scheduling_ports import DepartmentChanges as DepartmentChanges
from slotbook.application.scheduling_ports import SchedulingRepository as SchedulingRepository
from slotbook.application.scheduling_ports import TypeChanges as TypeChanges
from slotbook.application.scheduling_ports import WorkerRepository as WorkerRepository
from slotbook.domain.appointments import Appointment, AppointmentStatus
from slotbook.domain.branding import Branding, Logo
from slotbook.domain.clients import Client, Patient
from slotbook.domain.credits import LedgerEntry, LedgerReason
from slotbook.domain.filters import FieldFilter, SortKey
from slotbook.domain.history import Actor, Change, HistoryAction, HistoryEntry
from slotbook.domain.identifiers import Entity
from slotbook.domain.organizations import Department, Organization
from slotbook.domain.policy import NoShowRule

if TYPE_CHECKING:
    from slotbook.application.agenda import AgendaCache
    from slotbook.application.waitlist_ports import WaitlistRepository

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SecretFactory(Protocol):
    def new_api_key(self) -> str: ...
    def hash_api_key(self, key: str) -> str: ...
    def new_qr_token(self) -> str: ...
    def new_session_token(self) -> str: ...
    def new_webhook_secret(self) -> str: ...
    def hash_token(self, token: str) -> str:
        """A fast digest for high-entropy random tokens (session cookies), looked up by index."""
        ...


class PasswordHasher(Protocol):
    """A slow, salted hash for human passwords (argon2id)."""

    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class NewAppointment:
    department_id: int
    worker_id: int | None
    name: str
    external_user_id: str | None
    starts_at: datetime
    qr_token: str
    created_by_key_id: int | None
    uuid: UUID  # made by the use case, so the new appointment's document needs no re-read
    # Scheduling; when left out, the appointment lasts 30 minutes and blocks only itself.
    ends_at: datetime | None = None
    appointment_type_id: int | None = None
    blocked_from: datetime | None = None
    blocked_until: datetime | None = None
    session_key: str | None = None  # shared by the members of one group session
    # Lifecycle: who it is for, what it says, and the series it belongs to.
    client_id: int | None = None
    patient_id: int | None = None
    notes: str | None = None
    reason: str | None = None
    is_urgent: bool = False
    source: str | None = None
    from_web: bool = False
    telehealth_url: str | None = None
    repeated_from_id: int | None = None
    cancel_token: str | None = None  # the private cancel link's secret (application/cancel_links)


@dataclass(frozen=True, slots=True)
class CreationEntry:
    """The history entry of an appointment's creation, written with the appointment."""

    actor: Actor
    api_key_id: int | None
    change: Change


@dataclass(frozen=True, slots=True)
class NewTime:
    """Where a booked or rescheduled appointment goes (all of it is replaced at once)."""

    worker_id: int | None
    starts_at: datetime
    ends_at: datetime
    blocked_from: datetime
    blocked_until: datetime
    appointment_type_id: int | None
    session_key: str

    def columns(self) -> dict[str, object]:
        """The appointment columns this time sets, for a version-checked update."""
        return {
            "worker_id": self.worker_id,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "blocked_from": self.blocked_from,
            "blocked_until": self.blocked_until,
            "appointment_type_id": self.appointment_type_id,
            "session_key": self.session_key,
        }


@dataclass(frozen=True, slots=True)
class AppointmentFilter:
    status: AppointmentStatus | None = None
    department_id: int | None = None
    external_user_id: str | None = None
    starts_from: datetime | None = None
    starts_until: datetime | None = None
    worker_id: int | None = None
    client_id: int | None = None
    patient_id: int | None = None
    appointment_type_id: int | None = None
    is_urgent: bool | None = None
    archived: bool = False  # False: only appointments not archived; True: only archived ones
    conditions: tuple[FieldFilter, ...] = ()  # q[] filters; their dates are UTC instants
    sort: tuple[SortKey, ...] = ()  # empty: by dateTime, then id


@dataclass(frozen=True, slots=True)
class ClientFields:
    """The writable fields of a client; in an update, only those named in `fields_set`."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    second_phone: str | None = None
    external_user_id: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class PatientFields:
    name: str | None = None
    species: str | None = None
    birth_date: date | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Overdue:
    """An appointment the no-show sweep marked MISSED."""

    appointment_id: int
    client_id: int | None
    previous: AppointmentStatus


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    size: int
    total: int

    @property
    def total_pages(self) -> int:
        return -(-self.total // self.size) if self.size else 0

    @property
    def is_last(self) -> bool:
        return self.page >= self.total_pages - 1


class OrganizationRepository(Protocol):
    async def get(self) -> Organization | None: ...
    async def branding(self) -> Branding: ...
    async def logo(self) -> Logo | None: ...
    async def set_accent_color(self, color: str | None) -> None: ...
    async def set_logo(self, logo: Logo | None) -> None: ...


class DepartmentRepository(Protocol):
    async def list(self) -> Sequence[Department]: ...
    async def get(self, department_id: int) -> Department | None: ...
    async def reminder_offsets(self, department_id: int) -> tuple[int, ...]: ...
    async def set_reminder_offsets(self, department_id: int, offsets: Sequence[int]) -> None: ...
    async def set_no_show_rule(self, department_id: int, rule: NoShowRule) -> None: ...


@dataclass(frozen=True, slots=True)
class GridAppointment:
    """What the staff calendar's time grid draws of an appointment (application/desk_calendar)."""

    id: int
    worker_id: int | None
    name: str
    starts_at: datetime
    ends_at: datetime | None
    status: AppointmentStatus
    version: int


class AppointmentRepository(Protocol):
    async def add(
        self, new: NewAppointment, now: datetime, history: CreationEntry
    ) -> tuple[int, datetime]:
        """The new appointment and the history entry of its creation; (its id, created_at)."""
        ...

    async def add_unless_taken(
        self, new: NewAppointment, now: datetime, history: CreationEntry
    ) -> tuple[int, datetime] | None:
        """`add`, or None and nothing written when the database's overlap guard refuses it
        (the worker's time was taken by a concurrent booking); the transaction goes on."""
        ...

    async def get(self, appointment_id: int) -> Appointment | None: ...
    async def list(
        self, criteria: AppointmentFilter, page: int, size: int
    ) -> Page[Appointment]: ...
    async def get_by_qr_token(self, token: str) -> Appointment | None: ...
    async def on_grid(
        self, department_id: int, since: datetime, until: datetime, limit: int
    ) -> Sequence[GridAppointment]:
        """The department's appointments starting in [since, until), cancelled and archived
        ones left out, by start: only the columns the grid draws (a busy week is thousands)."""
        ...

    async def get_for_update(self, appointment_id: int) -> Appointment | None:
        """The appointment, locked until the end of the transaction (PostgreSQL)."""
        ...

    async def apply(
        self, appointment_id: int, version: int, values: Mapping[str, Any], now: datetime
    ) -> bool:
        """Set `values` (column names) if the row still has `version`; bumps the version."""
        ...

    async def series_from(self, appointment: Appointment) -> Sequence[Appointment]:
        """The appointment and the later occurrences of its recurring series, by time."""
        ...

    async def overlapping(self, appointment: Appointment) -> Sequence[Appointment]: ...
    async def mark_missed_before(self, cutoff: datetime, now: datetime) -> Sequence[Overdue]: ...
    async def count_no_shows(self, client_id: int, since: datetime) -> int: ...
    async def erase_client(self, client_id: int, now: datetime) -> Sequence[int]:
        """Remove personal data from the client's appointments; their ids."""
        ...

    async def cancel_token(self, appointment_id: int) -> str | None: ...
    async def set_cancel_token(self, appointment_id: int, token: str) -> None:
        """Give the appointment `token` unless it already has one (the first one stays)."""
        ...

    async def get_by_cancel_token(self, token: str) -> Appointment | None: ...


class ClientRepository(Protocol):
    async def add(self, fields: ClientFields, now: datetime) -> int: ...
    async def get(self, client_id: int) -> Client | None: ...
    async def get_by_email(self, email: str) -> Client | None: ...
    async def list(self, search: str | None, page: int, size: int) -> Page[Client]: ...
    async def update(self, client_id: int, values: Mapping[str, Any], now: datetime) -> None: ...
    async def delete(self, client_id: int) -> None: ...
    async def erase(self, client_id: int, now: datetime) -> None: ...
    async def is_referenced(self, client_id: int) -> bool: ...
    async def add_no_shows(self, counts: Mapping[int, int]) -> None: ...


class PatientRepository(Protocol):
    async def add(self, client_id: int, fields: PatientFields, now: datetime) -> int: ...
    async def get(self, patient_id: int) -> Patient | None: ...
    async def list_for_client(self, client_id: int) -> Sequence[Patient]: ...
    async def update(self, patient_id: int, values: Mapping[str, Any], now: datetime) -> None: ...
    async def delete(self, patient_id: int) -> None: ...
    async def is_referenced(self, patient_id: int) -> bool: ...
    async def erase_for_client(self, client_id: int, now: datetime) -> None: ...


class PublicIdRepository(Protocol):
    """Public UUIDs and integer ids of the organization's records, both ways."""

    async def find(self, entity: Entity, public_id: UUID) -> int | None: ...
    async def public_ids(self, entity: Entity, ids: Sequence[int]) -> dict[int, UUID]: ...


@dataclass(frozen=True, slots=True)
class NewHistoryEntry:
    appointment_id: int
    action: HistoryAction
    actor: Actor
    api_key_id: int | None
    change: Change


class HistoryRepository(Protocol):
    async def append(self, entries: Sequence[NewHistoryEntry], now: datetime) -> None: ...
    async def list(self, appointment_id: int, page: int, size: int) -> Page[HistoryEntry]: ...


class CreditRepository(Protocol):
    # The organization's credits.low threshold as the last change() read it with the new
    # balance (None: no threshold, or no change yet).
    threshold_seen: int | None

    async def spend(
        self, cost: int, reason: LedgerReason, now: datetime, appointment_id: int
    ) -> int:
        """Debit `cost` in this transaction; the new balance. InsufficientCredits if the
        balance cannot cover it."""
        ...

    async def balance(self) -> int: ...
    async def standing(self) -> tuple[int, int | None]:
        """The balance and the credits.low threshold, read together."""
        ...

    async def set_low_threshold(self, threshold: int | None) -> None: ...
    async def change(
        self,
        delta: int,
        reason: LedgerReason,
        now: datetime,
        appointment_id: int | None = None,
    ) -> int | None:
        """Apply `delta` unless the balance would go below zero; the new balance, or None."""
        ...

    async def ledger(self, page: int, size: int) -> Page[LedgerEntry]: ...


class UnitOfWork(Protocol):
    """One transaction scoped to one organization: no repository here sees another tenant."""

    # Read-only members, so implementations may narrow the repository types.
    @property
    def organization_id(self) -> int: ...
    @property
    def organization(self) -> OrganizationRepository: ...
    @property
    def departments(self) -> DepartmentRepository: ...
    @property
    def appointments(self) -> AppointmentRepository: ...
    @property
    def credits(self) -> CreditRepository: ...
    @property
    def scheduling(self) -> SchedulingRepository: ...
    @property
    def appointment_types(self) -> AppointmentTypeRepository: ...
    @property
    def workers(self) -> WorkerRepository: ...
    @property
    def clients(self) -> ClientRepository: ...
    @property
    def patients(self) -> PatientRepository: ...
    @property
    def history(self) -> HistoryRepository: ...
    @property
    def public_ids(self) -> PublicIdRepository: ...

    async def agenda_version(self) -> int | None:
        """The organization's agenda version, read once per unit of work (application/
        agenda.py); None once this unit of work changed the agenda itself."""
        ...

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A nested transaction: leaving it by an exception undoes only its own writes."""
        ...

    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def webhooks(self) -> WebhookRepository: ...
    @property
    def waitlist(self) -> WaitlistRepository: ...

    async def commit(self) -> None: ...
    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, organization_id: int, *, write: bool) -> UnitOfWork:
        """A unit of work of the organization: one transaction."""
        ...


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a use case may use; built once by the composition root (bootstrap.py)."""

    uow: UnitOfWorkFactory
    registry: Registry
    clock: Clock
    secrets: SecretFactory
    passwords: PasswordHasher
    url_guard: UrlGuard
    agenda: AgendaCache  # this process's departments' agendas (application/agenda.py)
    # Where the public pages are served (SLOTBOOK_PUBLIC_BASE_URL): private links in events.
    public_base_url: str = "http://localhost:8000"

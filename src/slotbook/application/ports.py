"""The ports the use cases need from the outside world, as Protocols implemented in infra/."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

from slotbook.domain.appointments import Appointment, AppointmentStatus
from slotbook.domain.credits import LedgerEntry, LedgerReason
from slotbook.domain.events import DeliveryStatus, EventType
from slotbook.domain.organizations import Department, Organization, Worker
from slotbook.domain.policy import BookingPolicy
from slotbook.domain.schedules import (
    AppointmentType,
    Booking,
    Closure,
    DailyRange,
    ScheduleException,
    SchedulingSettings,
)
from slotbook.domain.users import Role

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
    # Scheduling; when left out, the appointment lasts 30 minutes and blocks only itself.
    ends_at: datetime | None = None
    appointment_type_id: int | None = None
    blocked_from: datetime | None = None
    blocked_until: datetime | None = None
    session_key: str | None = None  # shared by the members of one group session


@dataclass(frozen=True, slots=True)
class NewTime:
    """Where a rescheduled appointment goes (all of it is replaced at once)."""

    worker_id: int | None
    starts_at: datetime
    ends_at: datetime
    blocked_from: datetime
    blocked_until: datetime
    appointment_type_id: int | None
    session_key: str


@dataclass(frozen=True, slots=True)
class AppointmentFilter:
    status: AppointmentStatus | None = None
    department_id: int | None = None
    external_user_id: str | None = None
    starts_from: datetime | None = None
    starts_until: datetime | None = None


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


@dataclass(frozen=True, slots=True)
class StoredApiKey:
    id: int
    organization_id: int
    name: str
    prefix: str
    scopes: frozenset[str]
    rate_limit_per_hour: int
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredUser:
    id: int
    organization_id: int
    email: str
    role: Role
    password_hash: str
    failed_logins: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A dashboard session and the user it belongs to."""

    token_hash: str
    user: StoredUser
    created_at: datetime
    expires_at: datetime


class OrganizationRepository(Protocol):
    async def get(self) -> Organization | None: ...


class DepartmentRepository(Protocol):
    async def list(self) -> Sequence[Department]: ...
    async def get(self, department_id: int) -> Department | None: ...
    async def has_worker(self, department_id: int, worker_id: int) -> bool: ...


class AppointmentRepository(Protocol):
    async def add(self, new: NewAppointment, now: datetime) -> tuple[int, datetime]: ...
    async def get(self, appointment_id: int) -> Appointment | None: ...
    async def list(
        self, criteria: AppointmentFilter, page: int, size: int
    ) -> Page[Appointment]: ...
    async def mark_cancelled(
        self, appointment_id: int, expected: AppointmentStatus, now: datetime
    ) -> bool: ...
    async def lock(self, appointment_id: int) -> Appointment | None:
        """The appointment, row-locked for the rest of the transaction (for a reschedule)."""
        ...

    async def move(self, appointment_id: int, to: NewTime, now: datetime) -> None: ...


class CreditRepository(Protocol):
    async def balance(self) -> int: ...
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


@dataclass(frozen=True, slots=True)
class TypeChanges:
    name: str
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    capacity: int | None
    department_id: int | None
    worker_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DepartmentChanges:
    name: str
    description: str | None
    show_admins_in_booking: bool
    own_time_zone: str | None  # None: the organization's
    slot_interval_minutes: int
    slot_capacity: int
    policy: BookingPolicy


class SchedulingRepository(Protocol):
    """Hours, exceptions, closures, department settings, and the bookings they meet."""

    async def lock(self) -> None:
        """Serialise the organization's bookings until commit (PostgreSQL: a row lock)."""
        ...

    async def settings(self, department_id: int) -> SchedulingSettings | None: ...
    async def own_time_zone(self, department_id: int) -> str | None: ...
    async def add_department(self, changes: DepartmentChanges, now: datetime) -> int: ...
    async def update_department(self, department_id: int, changes: DepartmentChanges) -> None: ...
    async def department_workers(self, department_id: int) -> Sequence[Worker]: ...
    async def hours(
        self, department_id: int, worker_ids: Sequence[int]
    ) -> dict[int | None, tuple[DailyRange, ...]]:
        """Weekly hours per worker for this department (None: the department's own)."""
        ...

    async def hours_of(
        self, *, worker_id: int | None, department_id: int | None
    ) -> tuple[DailyRange, ...]: ...
    async def replace_hours(
        self,
        *,
        worker_id: int | None,
        department_id: int | None,
        ranges: Sequence[DailyRange],
    ) -> None: ...
    async def exceptions(
        self, department_id: int, worker_ids: Sequence[int], since: datetime, until: datetime
    ) -> Sequence[ScheduleException]: ...
    async def list_exceptions(
        self, *, worker_id: int | None, department_id: int | None
    ) -> Sequence[ScheduleException]: ...
    async def add_exception(self, exception: ScheduleException, now: datetime) -> int: ...
    async def delete_exception(self, exception_id: int, worker_id: int | None) -> bool: ...
    async def closures(self, department_id: int) -> Sequence[Closure]: ...
    async def add_closure(self, closure: Closure) -> int: ...
    async def delete_closure(self, department_id: int, closure_id: int) -> bool: ...
    async def bookings(
        self, department_id: int, worker_ids: Sequence[int], since: datetime, until: datetime
    ) -> Sequence[Booking]:
        """Active appointments of these workers (any department) and the department's
        appointments without a worker, whose blocked time meets [since, until)."""
        ...

    async def client_bookings(self, external_user_id: str, since: datetime) -> Sequence[Booking]:
        """The client's active appointments in the organization that end after `since`."""
        ...


class AppointmentTypeRepository(Protocol):
    async def list(self, department_id: int | None = None) -> Sequence[AppointmentType]: ...
    async def get(self, type_id: int) -> AppointmentType | None: ...
    async def add(self, changes: TypeChanges, now: datetime) -> int: ...
    async def update(self, type_id: int, changes: TypeChanges) -> None: ...
    async def archive(self, type_id: int, now: datetime) -> None: ...


class WorkerRepository(Protocol):
    async def list(self) -> Sequence[tuple[Worker, tuple[int, ...]]]: ...
    async def get(self, worker_id: int) -> tuple[Worker, tuple[int, ...]] | None: ...
    async def known_departments(self, department_ids: Sequence[int]) -> set[int]: ...
    async def known_workers(self, worker_ids: Sequence[int]) -> set[int]: ...
    async def add(self, name: str, department_ids: Sequence[int], now: datetime) -> int: ...
    async def update(self, worker_id: int, name: str, department_ids: Sequence[int]) -> None: ...


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One published event: its place in the organization's change feed, and its content."""

    position: int
    id: str  # public id, the webhook-id of every delivery of this event
    type: EventType
    occurred_at: datetime
    data: Mapping[str, Any]


class OutboxRepository(Protocol):
    async def add(self, event_type: EventType, data: Mapping[str, Any], now: datetime) -> str:
        """Record an event in the current transaction (it exists iff the transaction commits)
        and schedule one delivery per subscribed active webhook; returns the event's id.

        Call it as the last write of a use case: it takes the organization's feed position,
        a lock held until commit that orders the change feed by commit time."""
        ...

    async def changes(self, after: int, limit: int) -> Sequence[ChangeEvent]: ...


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    id: int
    url: str
    description: str | None
    events: frozenset[EventType]
    active: bool
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NewWebhook:
    url: str
    description: str | None
    events: frozenset[EventType]
    active: bool
    secret: str


@dataclass(frozen=True, slots=True)
class WebhookChanges:
    """A partial update; None leaves a field as it is ("" clears the description)."""

    url: str | None = None
    description: str | None = None
    events: frozenset[EventType] | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    attempted_at: datetime
    status_code: int | None
    error: str | None
    latency_ms: int


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    event_id: str
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    last_latency_ms: int | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: Sequence[DeliveryAttempt]


class WebhookRepository(Protocol):
    async def add(self, new: NewWebhook, now: datetime) -> WebhookEndpoint: ...
    async def get(self, webhook_id: int) -> WebhookEndpoint | None: ...
    async def list(self, page: int, size: int) -> Page[WebhookEndpoint]: ...
    async def update(
        self, webhook_id: int, changes: WebhookChanges, now: datetime
    ) -> WebhookEndpoint | None: ...
    async def delete(self, webhook_id: int) -> bool: ...
    async def rotate_secret(
        self, webhook_id: int, secret: str, previous_valid_until: datetime, now: datetime
    ) -> bool:
        """Sign with `secret` from now on, and also with the old one until the given time."""
        ...

    async def deliveries(self, webhook_id: int, page: int, size: int) -> Page[DeliveryRecord]: ...
    async def redeliver(self, webhook_id: int, delivery_id: int, now: datetime) -> bool: ...


class UrlGuard(Protocol):
    async def check(self, url: str) -> None:
        """Refuse (InvalidWebhookUrl) a URL that is not http(s) or reaches a non-public address."""
        ...


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    content_type: str | None
    body: bytes


@dataclass(frozen=True, slots=True)
class IdempotencyClaim:
    """The right to run a keyed request: `record_id` is finished with its response."""

    record_id: int


class IdempotencyStore(Protocol):
    """Responses stored per organization and Idempotency-Key."""

    async def begin(
        self, organization_id: int, key: str, fingerprint: str, now: datetime
    ) -> IdempotencyClaim | StoredResponse:
        """A claim to run the request, or the stored response to replay. Raises
        IdempotencyKeyReused (another request used the key) or IdempotencyInProgress."""
        ...

    async def finish(self, claim: IdempotencyClaim, response: StoredResponse) -> None:
        """Store the response, committing the request's own transaction with it if it waits."""
        ...

    async def abandon(self, claim: IdempotencyClaim) -> None:
        """Forget the claim (and roll back the request's waiting transaction): retryable."""
        ...

    async def purge(self, now: datetime) -> int: ...


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
    def outbox(self) -> OutboxRepository: ...
    @property
    def webhooks(self) -> WebhookRepository: ...

    async def commit(self) -> None: ...
    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, organization_id: int, *, write: bool) -> UnitOfWork: ...


class Registry(Protocol):
    """Cross-tenant administration and lookups that precede knowing the tenant."""

    async def create_organization(
        self, name: str, time_zone: str, now: datetime, organization_id: int | None = None
    ) -> Organization: ...
    async def get_organization(self, organization_id: int) -> Organization | None: ...
    async def create_department(
        self,
        organization_id: int,
        name: str,
        description: str | None,
        show_admins_in_booking: bool,
        now: datetime,
        department_id: int | None = None,
    ) -> int: ...
    async def create_worker(
        self,
        organization_id: int,
        name: str,
        department_ids: Sequence[int],
        now: datetime,
        worker_id: int | None = None,
    ) -> Worker: ...
    async def create_api_key(
        self,
        organization_id: int,
        name: str,
        prefix: str,
        key_hash: str,
        scopes: frozenset[str],
        rate_limit_per_hour: int,
        now: datetime,
    ) -> StoredApiKey: ...
    async def find_api_key(self, key_hash: str) -> StoredApiKey | None: ...
    async def touch_api_key(self, key_id: int, now: datetime) -> None: ...
    async def list_api_keys(self, organization_id: int) -> Sequence[StoredApiKey]: ...
    async def get_api_key(self, key_id: int) -> StoredApiKey | None: ...
    async def revoke_api_key(self, organization_id: int, key_id: int, now: datetime) -> None:
        """Mark the key revoked unless it already is (the first revocation time is kept)."""
        ...

    async def create_user(
        self, organization_id: int, email: str, password_hash: str, role: Role, now: datetime
    ) -> StoredUser:
        """Raises Conflict when the e-mail is already taken."""
        ...

    async def find_user_by_email(self, email: str) -> StoredUser | None: ...
    async def count_login_failure(self, user_id: int) -> int:
        """Add one to the user's consecutive failures, atomically; the new count."""
        ...

    async def lock_user(self, user_id: int, until: datetime) -> None:
        """Lock the account until `until` and start counting failures afresh."""
        ...

    async def record_login(
        self, user_id: int, now: datetime, password_hash: str | None = None
    ) -> None:
        """A successful login: failures cleared; a re-hashed password stored when given."""
        ...

    async def create_session(
        self, user: StoredUser, token_hash: str, now: datetime, expires_at: datetime
    ) -> None: ...
    async def find_session(self, token_hash: str) -> StoredSession | None: ...
    async def delete_session(self, token_hash: str) -> None: ...
    async def delete_expired_sessions(self, now: datetime) -> int: ...
    async def owner_of_appointment(self, appointment_id: int) -> int | None: ...
    async def owner_of_department(self, department_id: int) -> int | None: ...
    async def owner_of_worker(self, worker_id: int) -> int | None: ...
    async def owner_of_appointment_type(self, type_id: int) -> int | None: ...
    async def owner_of_webhook(self, webhook_id: int) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a use case may use; built once by the composition root (bootstrap.py)."""

    uow: UnitOfWorkFactory
    registry: Registry
    clock: Clock
    secrets: SecretFactory
    passwords: PasswordHasher
    url_guard: UrlGuard

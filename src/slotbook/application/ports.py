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

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SecretFactory(Protocol):
    def new_api_key(self) -> str: ...
    def hash_api_key(self, key: str) -> str: ...
    def new_qr_token(self) -> str: ...
    def new_webhook_secret(self) -> str: ...


@dataclass(frozen=True, slots=True)
class NewAppointment:
    department_id: int
    worker_id: int | None
    name: str
    external_user_id: str | None
    starts_at: datetime
    qr_token: str
    created_by_key_id: int | None


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
    async def owner_of_appointment(self, appointment_id: int) -> int | None: ...
    async def owner_of_department(self, department_id: int) -> int | None: ...
    async def owner_of_webhook(self, webhook_id: int) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a use case may use; built once by the composition root (bootstrap.py)."""

    uow: UnitOfWorkFactory
    registry: Registry
    clock: Clock
    secrets: SecretFactory
    url_guard: UrlGuard

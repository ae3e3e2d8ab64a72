"""The ports the use cases need from the outside world, as Protocols implemented in infra/."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Generic, Protocol, TypeVar

from slotbook.domain.appointments import Appointment, AppointmentStatus
from slotbook.domain.credits import LedgerEntry, LedgerReason
from slotbook.domain.organizations import Department, Organization, Worker
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


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a use case may use; built once by the composition root (bootstrap.py)."""

    uow: UnitOfWorkFactory
    registry: Registry
    clock: Clock
    secrets: SecretFactory
    passwords: PasswordHasher

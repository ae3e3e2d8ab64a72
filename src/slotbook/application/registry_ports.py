"""The registry port: cross-tenant administration and the lookups that precede knowing the
tenant (API keys, dashboard users and sessions, owners of ids, calendar-feed tokens)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from slotbook.domain.organizations import Organization, Worker
from slotbook.domain.users import Role


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


class FeedKind(StrEnum):
    DEPARTMENT = "department"
    WORKER = "worker"


@dataclass(frozen=True, slots=True)
class CalendarFeedOwner:
    """Whose appointments a calendar-feed token shows."""

    organization_id: int
    kind: FeedKind
    owner_id: int
    name: str


class Registry(Protocol):
    """Cross-tenant administration and lookups that precede knowing the tenant."""

    async def create_organization(
        self, name: str, time_zone: str, now: datetime, organization_id: int | None = None
    ) -> Organization: ...
    async def get_organization(self, organization_id: int) -> Organization | None: ...
    async def organizations_named(self, name: str) -> Sequence[Organization]: ...
    async def create_department(
        self,
        organization_id: int,
        name: str,
        description: str | None,
        show_admins_in_booking: bool,
        now: datetime,
        department_id: int | None = None,
        always_open: bool = False,
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
    async def owner_of_client(self, client_id: int) -> int | None: ...
    async def owner_of_patient(self, patient_id: int) -> int | None: ...
    async def owner_of_qr_token(self, token: str) -> int | None: ...
    async def owner_of_cancel_token(self, token: str) -> int | None: ...
    async def organizations_with_waitlist_work(self, now: datetime) -> Sequence[int]:
        """Organizations with a lapsed waitlist offer or a passed waiting entry."""
        ...

    async def waitlist_offer_owner(self, token: str) -> int | None:
        """The organization of the waitlist offer with this accept-link token."""
        ...

    async def organizations_with_overdue(self, cutoff: datetime) -> Sequence[int]:
        """Organizations with awaited appointments that started before `cutoff`."""
        ...

    async def set_no_show_rule(
        self, department_id: int, limit: int | None, window_days: int
    ) -> bool: ...
    async def owner_of_webhook(self, webhook_id: int) -> int | None: ...
    async def find_calendar_feed(self, token: str) -> CalendarFeedOwner | None: ...
    async def set_calendar_token(
        self, organization_id: int, kind: FeedKind, owner_id: int, token: str
    ) -> None: ...

"""Use cases for dashboard users: create, log in (with lockout), sessions, log out."""

from __future__ import annotations

import asyncio
import hmac
from dataclasses import dataclass
from datetime import timedelta

from slotbook.application.access import Principal, user_principal
from slotbook.application.ports import Services, StoredUser
from slotbook.domain.errors import (
    AccountLocked,
    InvalidCredentials,
    InvalidRequest,
    OrganizationNotFound,
)
from slotbook.domain.users import (
    MAX_PASSWORD_LENGTH,
    LoginPolicy,
    Role,
    check_password,
    is_locked,
    lock_after_failure,
    normalise_email,
)

DEFAULT_SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class SessionUser:
    """The user behind a valid session cookie."""

    id: int
    organization_id: int
    organization_name: str
    time_zone: str  # the organization's; pages show times in it
    email: str
    role: Role
    csrf_token: str

    @property
    def principal(self) -> Principal:
        return user_principal(self.organization_id, self.id, self.role)

    @property
    def is_owner(self) -> bool:
        return self.role is Role.OWNER


@dataclass(frozen=True, slots=True)
class LoggedIn:
    token: str  # the session cookie's value; only its hash is stored
    user: SessionUser


async def create_user(
    services: Services, organization_id: int, email: str, password: str, role: Role
) -> StoredUser:
    """An operator's command (CLI, demo data): no principal, like creating an API key."""
    if await services.registry.get_organization(organization_id) is None:
        raise OrganizationNotFound(organization_id)
    address = normalise_email(email)
    password_hash = await asyncio.to_thread(services.passwords.hash, check_password(password))
    return await services.registry.create_user(
        organization_id, address, password_hash, role, services.clock.now()
    )


def csrf_token_for(services: Services, session_token: str) -> str:
    """The session's synchroniser token, derived from the secret cookie so nothing is stored.

    Only someone who holds the HttpOnly cookie (or a page rendered for it) can know it.
    """
    return services.secrets.hash_token("csrf:" + session_token)


def csrf_matches(expected: str, presented: str | None) -> bool:
    # Bytes, because compare_digest refuses non-ASCII str (a forged form may carry any text).
    return presented is not None and hmac.compare_digest(expected.encode(), presented.encode())


async def log_in(
    services: Services,
    email: str,
    password: str,
    policy: LoginPolicy = LoginPolicy(),
    lifetime: timedelta = DEFAULT_SESSION_LIFETIME,
) -> LoggedIn:
    """Check the password and open a session; `policy` failures in a row lock the account."""
    now = services.clock.now()
    try:
        address = normalise_email(email)
    except InvalidRequest:
        raise InvalidCredentials() from None
    user = await services.registry.find_user_by_email(address)
    if user is None:
        # Spend the same time as a real check, so response times do not reveal who exists.
        await _verify(services, _DUMMY_HASH.get(services), password)
        raise InvalidCredentials()
    if is_locked(user.locked_until, now):
        assert user.locked_until is not None
        raise AccountLocked(int((user.locked_until - now).total_seconds()))
    if not await _verify(services, user.password_hash, password):
        failures = await services.registry.count_login_failure(user.id)
        until = lock_after_failure(failures, now, policy)
        if until is not None:
            await services.registry.lock_user(user.id, until)
            raise AccountLocked(int(policy.lockout.total_seconds()))
        raise InvalidCredentials()
    rehashed = (
        await asyncio.to_thread(services.passwords.hash, password)
        if services.passwords.needs_rehash(user.password_hash)
        else None
    )
    await services.registry.record_login(user.id, now, rehashed)
    await services.registry.delete_expired_sessions(now)
    token = services.secrets.new_session_token()
    await services.registry.create_session(
        user, services.secrets.hash_token(token), now, now + lifetime
    )
    return LoggedIn(token, await _session_user(services, user, token))


async def session_user(services: Services, token: str) -> SessionUser | None:
    """The user of a live session, or None for an unknown, expired or logged-out one."""
    session = await services.registry.find_session(services.secrets.hash_token(token))
    if session is None or session.expires_at <= services.clock.now():
        return None
    return await _session_user(services, session.user, token)


async def log_out(services: Services, token: str) -> None:
    await services.registry.delete_session(services.secrets.hash_token(token))


async def _verify(services: Services, password_hash: str, password: str) -> bool:
    # argon2 takes tens of milliseconds of CPU on purpose: off the event loop, so API requests
    # are not held up by a login. Over-long passwords are refused before any hashing.
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    return await asyncio.to_thread(services.passwords.verify, password_hash, password)


async def _session_user(services: Services, user: StoredUser, token: str) -> SessionUser:
    organization = await services.registry.get_organization(user.organization_id)
    if organization is None:  # users are only made for existing organizations
        raise OrganizationNotFound(user.organization_id)
    return SessionUser(
        id=user.id,
        organization_id=user.organization_id,
        organization_name=organization.name,
        time_zone=organization.time_zone,
        email=user.email,
        role=user.role,
        csrf_token=csrf_token_for(services, token),
    )


class _DummyHash:
    """One real argon2 hash per hasher, made lazily, to verify against for unknown e-mails."""

    def __init__(self) -> None:
        self._hash: str | None = None

    def get(self, services: Services) -> str:
        if self._hash is None:
            self._hash = services.passwords.hash("not-a-real-password")
        return self._hash


_DUMMY_HASH = _DummyHash()

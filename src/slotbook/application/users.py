"""Use cases for dashboard users: create, log in (throttled), sessions, log out."""

from __future__ import annotations

import asyncio
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from slotbook.application.access import Principal, user_principal
from slotbook.application.ports import Services, StoredUser
from slotbook.domain.errors import (
    InvalidCredentials,
    InvalidRequest,
    LoginThrottled,
    OrganizationNotFound,
)
from slotbook.domain.limits import MAX_EMAIL_LENGTH
from slotbook.domain.users import (
    MAX_PASSWORD_LENGTH,
    LoginPolicy,
    Role,
    check_password,
    login_delay,
    normalise_email,
)

DEFAULT_SESSION_LIFETIME = timedelta(hours=12)


class LoginThrottle(Protocol):
    """Failure counts and waits of login attempts, shared by the server processes."""

    async def not_before(self, key: str) -> datetime | None:
        """Until when attempts for `key` must wait, if they must."""
        ...

    async def count_failure(self, key: str, window: timedelta) -> int:
        """One more failure for `key`; the failures within `window` so far."""
        ...

    async def hold(self, key: str, until: datetime, now: datetime) -> None: ...

    async def forget(self, key: str) -> None: ...


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
    throttle: LoginThrottle,
    email: str,
    password: str,
    address: str,
    policy: LoginPolicy = LoginPolicy(),
    lifetime: timedelta = DEFAULT_SESSION_LIFETIME,
) -> LoggedIn:
    """Check the password and open a session.

    Unknown e-mails and wrong passwords get the same answer (InvalidCredentials) after the
    same work (one password hash check), and are throttled alike (LoginThrottled), so neither
    the answer nor its time tells whether an account exists. Wrong passwords only delay the
    next attempt (`policy`); the owner is never locked out for long.
    """
    now = services.clock.now()
    account = "email:" + email.strip().lower()[: MAX_EMAIL_LENGTH + 1]
    origin = "address:" + address
    for key in (account, origin):
        until = await throttle.not_before(key)
        if until is not None and until > now:
            raise LoginThrottled(max(1, math.ceil((until - now).total_seconds())))
    try:
        user = await services.registry.find_user_by_email(normalise_email(email))
    except InvalidRequest:
        user = None
    # The same hash check whether or not the account exists (a real argon2 hash either way).
    password_hash = user.password_hash if user is not None else _DUMMY_HASH.get(services)
    if not await _verify(services, password_hash, password) or user is None:
        await _failed(throttle, account, policy.free_failures, policy.max_delay, policy, now)
        await _failed(
            throttle, origin, policy.address_free_failures, policy.address_max_delay, policy, now
        )
        raise InvalidCredentials()
    await throttle.forget(account)
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


async def _failed(
    throttle: LoginThrottle,
    key: str,
    free_failures: int,
    cap: timedelta,
    policy: LoginPolicy,
    now: datetime,
) -> None:
    failures = await throttle.count_failure(key, policy.window)
    delay = login_delay(failures, free_failures, cap)
    if delay:
        await throttle.hold(key, now + delay, now)


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

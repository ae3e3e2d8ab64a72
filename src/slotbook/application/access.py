"""Scopes, the authenticated principal (an API key or a dashboard user), and key authentication."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum

from slotbook.application.ports import Services, StoredApiKey
from slotbook.domain.errors import Forbidden, InvalidRequest
from slotbook.domain.users import Role


class Scope(StrEnum):
    APPOINTMENTS_READ = "appointments:read"
    APPOINTMENTS_CREATE = "appointments:create"
    APPOINTMENTS_CANCEL = "appointments:cancel"
    APPOINTMENTS_WRITE = "appointments:write"
    DEPARTMENTS_READ = "departments:read"
    WORKERS_READ = "workers:read"  # workers, their hours and exceptions
    CREDITS_READ = "credits:read"
    CLIENTS_READ = "clients:read"
    CLIENTS_WRITE = "clients:write"
    WAITLIST_READ = "waitlist:read"
    WAITLIST_WRITE = "waitlist:write"
    ADMIN = "admin"  # every other scope, plus administration


ALL_SCOPES = frozenset(s.value for s in Scope)
# The first characters of a key, stored and shown (sb_live_abcd), and written in access logs.
KEY_PREFIX_LENGTH = 12

# What a dashboard user may do, as scopes, so every use case authorizes them like a key.
# Staff work the calendar and the check-in desk (which shows and filters by worker); owners do
# everything.
ROLE_SCOPES: dict[Role, frozenset[str]] = {
    Role.OWNER: frozenset({Scope.ADMIN.value}),
    Role.STAFF: frozenset(
        {
            Scope.APPOINTMENTS_READ.value,
            Scope.APPOINTMENTS_CREATE.value,
            Scope.APPOINTMENTS_CANCEL.value,
            Scope.APPOINTMENTS_WRITE.value,
            Scope.DEPARTMENTS_READ.value,
            Scope.WORKERS_READ.value,
            Scope.WAITLIST_READ.value,
            Scope.WAITLIST_WRITE.value,
            # The desk finds callers and enters new ones while booking.
            Scope.CLIENTS_READ.value,
            Scope.CLIENTS_WRITE.value,
        }
    ),
}


def parse_scopes(text: str) -> frozenset[str]:
    """Scopes from a comma-separated list; unknown names are refused, not ignored."""
    scopes = frozenset(s.strip() for s in text.split(",") if s.strip())
    unknown = sorted(scopes - ALL_SCOPES)
    if unknown:
        raise InvalidRequest(
            f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(sorted(ALL_SCOPES))}"
        )
    if not scopes:
        raise InvalidRequest("An API key needs at least one scope")
    return scopes


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: one API key of one organization, or (api_key_id None) a dashboard user."""

    organization_id: int
    api_key_id: int | None
    scopes: frozenset[str]
    rate_limit_per_hour: int
    user_id: int | None = None

    def allows(self, scope: Scope) -> bool:
        return scope.value in self.scopes or Scope.ADMIN.value in self.scopes


def user_principal(organization_id: int, user_id: int, role: Role) -> Principal:
    """A dashboard user acting through the same use cases as an API key with the role's scopes.

    The dashboard is not rate limited per key (the guard counts it per client address), so the
    per-hour figure is unused and zero.
    """
    return Principal(
        organization_id=organization_id,
        api_key_id=None,
        scopes=ROLE_SCOPES[role],
        rate_limit_per_hour=0,
        user_id=user_id,
    )


def operator_principal(organization_id: int) -> Principal:
    """The command line, run by whoever runs the server: it administers any organization, so
    it acts for each as an API key with the scope `admin` would."""
    return Principal(
        organization_id=organization_id,
        api_key_id=None,
        scopes=frozenset({Scope.ADMIN.value}),
        rate_limit_per_hour=0,
    )


# What `slotbook apikey create` grants when no scopes are given: reading, nothing more.
READ_ONLY_SCOPES = frozenset({Scope.APPOINTMENTS_READ.value, Scope.DEPARTMENTS_READ.value})


def require(principal: Principal, scope: Scope) -> None:
    if not principal.allows(scope):
        who = "This API key" if principal.api_key_id is not None else "Your role"
        raise Forbidden(f"{who} lacks the scope {scope.value}")


class Authenticator:
    """Turns a presented API key into a Principal.

    Keys are looked up by their SHA-256 hash (one indexed read). A key that exists is read
    again on every request, so a revoked or expired key is refused at once in every process,
    not after some cache lifetime. Only refusals of unknown keys are cached in process for
    `ttl` seconds (a client hammering with a wrong key costs no round trip): a key that is
    created later cannot have been presented before, so this cache never delays a new key.
    `last_used_at` is written at most once per `touch_every` seconds per key.
    """

    def __init__(
        self, services: Services, ttl: float = 1.0, touch_every: float = 60.0, size: int = 10_000
    ) -> None:
        self._services = services
        self._ttl = ttl
        self._touch_every = touch_every
        self._size = size
        self._unknown: OrderedDict[str, float] = OrderedDict()
        self._touched: dict[int, float] = {}

    async def authenticate(self, raw_key: str) -> Principal | None:
        key_hash = self._services.secrets.hash_api_key(raw_key)
        now_mono = time.monotonic()
        refused_until = self._unknown.get(key_hash)
        if refused_until is not None and refused_until > now_mono:
            return None
        stored = await self._services.registry.find_api_key(key_hash)
        if stored is None:
            self._unknown[key_hash] = now_mono + self._ttl
            self._unknown.move_to_end(key_hash)
            while len(self._unknown) > self._size:
                self._unknown.popitem(last=False)
            return None
        principal = self._principal(stored)
        if principal is not None and self._touched.get(stored.id, 0.0) < now_mono:
            self._touched[stored.id] = now_mono + self._touch_every
            await self._services.registry.touch_api_key(stored.id, self._services.clock.now())
        return principal

    def forget(self) -> None:
        """Drop every cached refusal."""
        self._unknown.clear()

    def _principal(self, stored: StoredApiKey | None) -> Principal | None:
        if stored is None or stored.revoked_at is not None:
            return None
        if stored.expires_at is not None and stored.expires_at <= self._services.clock.now():
            return None
        return Principal(
            organization_id=stored.organization_id,
            api_key_id=stored.id,
            scopes=stored.scopes,
            rate_limit_per_hour=stored.rate_limit_per_hour,
        )

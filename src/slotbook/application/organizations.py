"""Use cases that administer tenants: organizations, departments, workers, API keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slotbook.application.access import (
    ALL_SCOPES,
    KEY_PREFIX_LENGTH,
    Principal,
    Scope,
    operator_principal,
    require,
)
from slotbook.application.credits import add_credits
from slotbook.application.ports import Services, StoredApiKey
from slotbook.domain.errors import (
    ApiKeyNotFound,
    DepartmentNotFound,
    Forbidden,
    InvalidRequest,
    OrganizationNotFound,
    WorkerNotFound,
)
from slotbook.domain.organizations import Department, Organization, Worker
from slotbook.domain.policy import NoShowRule
from slotbook.domain.time import zone

DEFAULT_RATE_LIMIT_PER_HOUR = 1000


async def create_organization(
    services: Services,
    name: str,
    credits: int = 0,
    time_zone: str = "UTC",
    organization_id: int | None = None,
) -> Organization:
    if not name.strip():
        raise InvalidRequest("An organization needs a name")
    if credits < 0:
        raise InvalidRequest("Initial credits cannot be negative")
    zone(time_zone)
    organization = await services.registry.create_organization(
        name.strip(), time_zone, services.clock.now(), organization_id
    )
    if credits:
        await add_credits(services, organization.id, credits)
    return Organization(organization.id, organization.name, organization.time_zone, credits)


async def create_department(
    services: Services,
    organization_id: int,
    name: str,
    description: str | None = None,
    show_admins_in_booking: bool = False,
    department_id: int | None = None,
    always_open: bool = False,
) -> int:
    """A bare department (no hours: it takes nothing until given hours, unless always open);
    the demo and tests build on it. Users create departments with
    scheduling.create_department, which gives them default hours."""
    await _existing(services, organization_id)
    return await services.registry.create_department(
        organization_id,
        name,
        description,
        show_admins_in_booking,
        services.clock.now(),
        department_id,
        always_open,
    )


async def create_worker(
    services: Services,
    organization_id: int,
    name: str,
    department_ids: Sequence[int],
    worker_id: int | None = None,
) -> Worker:
    await _existing(services, organization_id)
    return await services.registry.create_worker(
        organization_id, name, department_ids, services.clock.now(), worker_id
    )


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    """A freshly created key: `key` is the only time the plaintext exists outside the client."""

    key: str
    stored: StoredApiKey


async def create_api_key(
    services: Services,
    organization_id: int,
    scopes: frozenset[str] = ALL_SCOPES,
    name: str = "default",
    rate_limit_per_hour: int = DEFAULT_RATE_LIMIT_PER_HOUR,
) -> IssuedApiKey:
    await _existing(services, organization_id)
    if rate_limit_per_hour < 1:
        raise InvalidRequest("The rate limit must be at least 1 request per hour")
    key = services.secrets.new_api_key()
    stored = await services.registry.create_api_key(
        organization_id,
        name,
        key[:KEY_PREFIX_LENGTH],
        services.secrets.hash_api_key(key),
        scopes,
        rate_limit_per_hour,
        services.clock.now(),
    )
    return IssuedApiKey(key, stored)


async def issue_api_key(
    services: Services, principal: Principal, name: str, scopes: frozenset[str]
) -> IssuedApiKey:
    """An administrator of the organization creates a key for it (dashboard Settings → API)."""
    require(principal, Scope.ADMIN)
    unknown = sorted(scopes - ALL_SCOPES)
    if unknown:
        raise InvalidRequest(f"Unknown scope(s): {', '.join(unknown)}")
    if not scopes:
        raise InvalidRequest("An API key needs at least one scope")
    label = name.strip()
    if not label or len(label) > 200 or any(ord(ch) < 32 or ord(ch) == 127 for ch in label):
        raise InvalidRequest("A key name has 1 to 200 printable characters")
    return await create_api_key(services, principal.organization_id, scopes, label)


async def list_api_keys(services: Services, principal: Principal) -> Sequence[StoredApiKey]:
    """The organization's keys, newest first, revoked ones included (never their secret)."""
    require(principal, Scope.ADMIN)
    return await services.registry.list_api_keys(principal.organization_id)


async def revoke_api_key(services: Services, principal: Principal, key_id: int) -> StoredApiKey:
    """Revoke a key for good; revoking a revoked key changes nothing. Every process refuses
    it from its next request on (the Authenticator reads a known key on every request)."""
    require(principal, Scope.ADMIN)
    stored = await services.registry.get_api_key(key_id)
    if stored is None:
        raise ApiKeyNotFound(key_id)
    if stored.organization_id != principal.organization_id:
        raise Forbidden(f"API key {key_id} does not belong to your organization")
    await services.registry.revoke_api_key(principal.organization_id, key_id, services.clock.now())
    revoked = await services.registry.get_api_key(key_id)
    assert revoked is not None
    return revoked


async def list_departments(services: Services, principal: Principal) -> Sequence[Department]:
    require(principal, Scope.DEPARTMENTS_READ)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await uow.departments.list()


async def operator_for(services: Services, organization_id: int) -> Principal:
    """The command line acting as the administrator of an existing organization."""
    await _existing(services, organization_id)
    return operator_principal(organization_id)


async def organization_of_department(services: Services, department_id: int) -> int:
    """The organization a department belongs to (the command line names only the department)."""
    owner = await services.registry.owner_of_department(department_id)
    if owner is None:
        raise DepartmentNotFound(department_id)
    return owner


async def organization_of_worker(services: Services, worker_id: int) -> int:
    owner = await services.registry.owner_of_worker(worker_id)
    if owner is None:
        raise WorkerNotFound(worker_id)
    return owner


async def _existing(services: Services, organization_id: int) -> Organization:
    organization = await services.registry.get_organization(organization_id)
    if organization is None:
        raise OrganizationNotFound(organization_id)
    return organization


async def set_no_show_rule(
    services: Services, department_id: int, limit: int | None, window_days: int = 90
) -> None:
    """Refuse bookings (TOO_MANY_NO_SHOWS) of clients with `limit` no-shows in the last
    `window_days` days in this department; `limit` None turns the rule off."""
    NoShowRule(limit, window_days)  # refuses what the rule cannot be
    if not await services.registry.set_no_show_rule(department_id, limit, window_days):
        raise DepartmentNotFound(department_id)

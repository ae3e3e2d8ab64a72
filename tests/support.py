"""Test builders: tenants with departments, workers and keys, and a settable clock."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from slotbook.application.access import ALL_SCOPES
from slotbook.application.organizations import (
    create_api_key,
    create_department,
    create_organization,
    create_worker,
)
from slotbook.application.ports import Services
from slotbook.application.users import create_user
from slotbook.domain.users import Role

_names = itertools.count(1)


class TestClock:
    """The real time unless a test freezes it."""

    __test__ = False

    def __init__(self) -> None:
        self.frozen: datetime | None = None

    def now(self) -> datetime:
        return self.frozen if self.frozen is not None else datetime.now(UTC)

    def freeze(self, at: datetime) -> None:
        self.frozen = at

    def advance(self, delta: timedelta) -> None:
        self.frozen = self.now() + delta


@dataclass
class Tenant:
    """An organization with one always-open department, one staffed always-open department and
    a worker in both."""

    services: Services
    organization_id: int
    department_id: int
    staffed_department_id: int
    worker_id: int
    key: str
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}

    async def key_with(self, *scopes: str, rate_limit: int = 1000) -> str:
        issued = await create_api_key(
            self.services,
            self.organization_id,
            frozenset(scopes),
            name="test",
            rate_limit_per_hour=rate_limit,
        )
        return issued.key


async def make_tenant(
    services: Services, credits: int = 100, time_zone: str = "Europe/Paris"
) -> Tenant:
    n = next(_names)
    organization = await create_organization(
        services, f"Organization {n}", credits=credits, time_zone=time_zone
    )
    org = organization.id
    # Both always open (any future time) until a test gives them or their worker hours.
    department = await create_department(
        services, org, f"Open desk {n}", "Walk-in desk", always_open=True
    )
    staffed = await create_department(
        services, org, f"Named officers {n}", None, True, always_open=True
    )
    worker = await create_worker(services, org, f"Worker {n}", [department, staffed])
    issued = await create_api_key(services, org, ALL_SCOPES, name="test")
    return Tenant(services, org, department, staffed, worker.id, issued.key)


def future(days: int = 30, hour: int = 10, minute: int = 0) -> str:
    """A wall-clock date-time string `days` ahead, as clients send it."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00"


@dataclass(frozen=True)
class Login:
    email: str
    password: str


async def make_user(services: Services, organization_id: int, role: Role = Role.OWNER) -> Login:
    """A dashboard user of the organization with a fresh, unique e-mail."""
    login = Login(f"{role.value}-{next(_names)}-{organization_id}@example.org", "correct horse 42")
    await create_user(services, organization_id, login.email, login.password, role)
    return login


def utc_text(value: datetime) -> str:
    """An aware UTC instant as clients send it with an offset."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def book(
    http: httpx.AsyncClient,
    tenant: Tenant,
    when: datetime | str,
    *,
    headers: dict[str, str] | None = None,
    expect: int = 201,
    **fields: object,
) -> dict[str, Any]:
    """POST /appointments in the tenant's open department; asserts the status."""
    body: dict[str, object] = {
        "departmentId": tenant.department_id,
        "dateTime": when if isinstance(when, str) else utc_text(when),
        "name": "Jean Dupont",
        **fields,
    }
    response = await http.post("/api/v1/appointments", headers=headers or tenant.headers, json=body)
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


async def balance(http: httpx.AsyncClient, tenant: Tenant) -> int:
    response = await http.get("/api/v1/credits", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return int(response.json()["balance"])


@dataclass
class Hooks:
    """Webhook helpers for one tenant, through the API."""

    client: httpx.AsyncClient
    tenant: Tenant

    async def register(self, url: str, events: list[str] | None = None) -> dict[str, object]:
        response = await self.client.post(
            "/api/v1/webhooks",
            headers=self.tenant.headers,
            json={"url": url, "events": events or ["appointment.created", "appointment.cancelled"]},
        )
        assert response.status_code == 201, response.text
        body: dict[str, object] = response.json()
        return body

    async def book(self, name: str = "Jean Dupont", days: int = 30) -> dict[str, object]:
        response = await self.client.post(
            "/api/v1/appointments",
            headers=self.tenant.headers,
            json={
                "departmentId": self.tenant.department_id,
                "dateTime": future(days),
                "name": name,
            },
        )
        assert response.status_code == 201, response.text
        body: dict[str, object] = response.json()
        return body

    async def deliveries(self, webhook_id: object) -> list[dict[str, object]]:
        response = await self.client.get(
            f"/api/v1/webhooks/{webhook_id}/deliveries",
            headers=self.tenant.headers,
            params={"size": 100},
        )
        assert response.status_code == 200, response.text
        found: list[dict[str, object]] = response.json()["deliveries"]
        return found

    async def delete_all(self) -> None:
        listed = await self.client.get(
            "/api/v1/webhooks", headers=self.tenant.headers, params={"size": 100}
        )
        for hook in listed.json()["webhooks"]:
            await self.client.delete(f"/api/v1/webhooks/{hook['id']}", headers=self.tenant.headers)

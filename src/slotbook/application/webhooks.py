"""Use cases on webhook endpoints: register, change, rotate the secret, inspect deliveries.

Events themselves are written by the use cases that change state, inside their unit of work:
`await uow.outbox.add(EventType.X, data, now)` (see docs/webhooks.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from slotbook.application.access import Principal, Scope, require
from slotbook.application.ports import (
    DeliveryRecord,
    NewWebhook,
    Page,
    Services,
    UnitOfWork,
    WebhookChanges,
    WebhookEndpoint,
)
from slotbook.domain.errors import DeliveryNotFound, Forbidden, InvalidRequest, WebhookNotFound
from slotbook.domain.events import EventType

DEFAULT_SECRET_OVERLAP = timedelta(hours=24)
MAX_SECRET_OVERLAP = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class WebhookRequest:
    url: str
    events: frozenset[EventType]
    active: bool = True
    description: str | None = None


@dataclass(frozen=True, slots=True)
class IssuedWebhook:
    """An endpoint with its signing secret: the only time the secret is shown."""

    endpoint: WebhookEndpoint
    secret: str


def _events(events: frozenset[EventType]) -> frozenset[EventType]:
    if not events:
        raise InvalidRequest("A webhook needs at least one event type")
    return events


async def _missing(services: Services, webhook_id: int) -> Exception:
    if await services.registry.owner_of_webhook(webhook_id) is not None:
        return Forbidden(f"Webhook {webhook_id} does not belong to your organization")
    return WebhookNotFound(webhook_id)


async def _existing(services: Services, uow: UnitOfWork, webhook_id: int) -> WebhookEndpoint:
    endpoint = await uow.webhooks.get(webhook_id)
    if endpoint is None:
        raise await _missing(services, webhook_id)
    return endpoint


async def create_webhook(
    services: Services, principal: Principal, request: WebhookRequest
) -> IssuedWebhook:
    require(principal, Scope.ADMIN)
    await services.url_guard.check(request.url)
    secret = services.secrets.new_webhook_secret()
    async with services.uow(principal.organization_id, write=True) as uow:
        endpoint = await uow.webhooks.add(
            NewWebhook(
                url=request.url,
                description=request.description,
                events=_events(request.events),
                active=request.active,
                secret=secret,
            ),
            services.clock.now(),
        )
        await uow.commit()
    return IssuedWebhook(endpoint, secret)


async def list_webhooks(
    services: Services, principal: Principal, page: int, size: int
) -> Page[WebhookEndpoint]:
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await uow.webhooks.list(page, size)


async def get_webhook(services: Services, principal: Principal, webhook_id: int) -> WebhookEndpoint:
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await _existing(services, uow, webhook_id)


async def update_webhook(
    services: Services, principal: Principal, webhook_id: int, changes: WebhookChanges
) -> WebhookEndpoint:
    require(principal, Scope.ADMIN)
    if changes.url is not None:
        await services.url_guard.check(changes.url)
    if changes.events is not None:
        _events(changes.events)
    async with services.uow(principal.organization_id, write=True) as uow:
        updated = await uow.webhooks.update(webhook_id, changes, services.clock.now())
        if updated is None:
            raise await _missing(services, webhook_id)
        await uow.commit()
    return updated


async def delete_webhook(services: Services, principal: Principal, webhook_id: int) -> None:
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=True) as uow:
        if not await uow.webhooks.delete(webhook_id):
            raise await _missing(services, webhook_id)
        await uow.commit()


async def rotate_webhook_secret(
    services: Services,
    principal: Principal,
    webhook_id: int,
    keep_previous: timedelta = DEFAULT_SECRET_OVERLAP,
) -> IssuedWebhook:
    """A new secret; the old one keeps signing too (two signatures) for `keep_previous`."""
    require(principal, Scope.ADMIN)
    if not timedelta(0) <= keep_previous <= MAX_SECRET_OVERLAP:
        raise InvalidRequest("The old secret can be kept for 0 to 7 days")
    secret = services.secrets.new_webhook_secret()
    now = services.clock.now()
    async with services.uow(principal.organization_id, write=True) as uow:
        if not await uow.webhooks.rotate_secret(webhook_id, secret, now + keep_previous, now):
            raise await _missing(services, webhook_id)
        endpoint = await _existing(services, uow, webhook_id)
        await uow.commit()
    return IssuedWebhook(endpoint, secret)


async def list_deliveries(
    services: Services, principal: Principal, webhook_id: int, page: int, size: int
) -> Page[DeliveryRecord]:
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=False) as uow:
        await _existing(services, uow, webhook_id)
        return await uow.webhooks.deliveries(webhook_id, page, size)


async def redeliver(
    services: Services, principal: Principal, webhook_id: int, delivery_id: int
) -> None:
    """Send a delivery again now, on a fresh retry schedule, with the same webhook-id."""
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=True) as uow:
        await _existing(services, uow, webhook_id)
        if not await uow.webhooks.redeliver(webhook_id, delivery_id, services.clock.now()):
            raise DeliveryNotFound(delivery_id)
        await uow.commit()

"""/api/v1/webhooks: endpoints that receive signed events, and their delivery log."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Response

from slotbook.api.deps import CurrentPrincipal, CurrentServices
from slotbook.api.schemas.common import (
    MAX_ID,
    PageFields,
    PageNumber,
    PageSize,
    error_responses,
)
from slotbook.api.schemas.webhooks import (
    DeliveryPage,
    DeliveryRead,
    RedeliveryAccepted,
    SecretRotation,
    WebhookCreate,
    WebhookPage,
    WebhookRead,
    WebhookUpdate,
    WebhookWithSecret,
)
from slotbook.application import webhooks as use_cases
from slotbook.application.ports import WebhookChanges
from slotbook.domain.events import DeliveryStatus

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

WebhookId = Annotated[int, Path(ge=1, le=MAX_ID, description="Webhook id")]
DeliveryId = Annotated[int, Path(ge=1, le=MAX_ID, description="Delivery id")]


def _with_secret(issued: use_cases.IssuedWebhook) -> WebhookWithSecret:
    return WebhookWithSecret(**WebhookRead.of(issued.endpoint).model_dump(), secret=issued.secret)


@router.post(
    "",
    status_code=201,
    response_model=WebhookWithSecret,
    responses=error_responses(400, 401, 403, 409, 422, 429),
    summary="Register a webhook",
)
async def create_webhook(
    body: WebhookCreate, principal: CurrentPrincipal, services: CurrentServices
) -> WebhookWithSecret:
    """Register a URL for the given event types. The response carries the signing `secret`,
    shown only this once. Scope `admin`."""
    issued = await use_cases.create_webhook(
        services,
        principal,
        use_cases.WebhookRequest(
            url=body.url,
            events=frozenset(body.events),
            active=body.active,
            description=body.description or None,
        ),
    )
    return _with_secret(issued)


@router.get(
    "",
    response_model=WebhookPage,
    responses=error_responses(400, 401, 403, 429),
    summary="List webhooks",
)
async def list_webhooks(
    principal: CurrentPrincipal,
    services: CurrentServices,
    page: PageNumber = 0,
    size: PageSize = 20,
) -> WebhookPage:
    """The organization's webhooks (without secrets). Scope `admin`."""
    result = await use_cases.list_webhooks(services, principal, page, size)
    return WebhookPage(webhooks=[WebhookRead.of(e) for e in result.items], **PageFields.of(result))


@router.get(
    "/{webhook_id:int}",
    response_model=WebhookRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Get a webhook",
)
async def get_webhook(
    webhook_id: WebhookId, principal: CurrentPrincipal, services: CurrentServices
) -> WebhookRead:
    """One webhook. Scope `admin`."""
    return WebhookRead.of(await use_cases.get_webhook(services, principal, webhook_id))


@router.patch(
    "/{webhook_id:int}",
    response_model=WebhookRead,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Change a webhook",
)
async def update_webhook(
    webhook_id: WebhookId,
    body: WebhookUpdate,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> WebhookRead:
    """Change the URL, the event types, the description, or (re)activate it. Scope `admin`."""
    # A description sent as null clears it ("" for the use case); one not sent is kept.
    description = (body.description or "") if "description" in body.model_fields_set else None
    changes = WebhookChanges(
        url=body.url,
        description=description,
        events=frozenset(body.events) if body.events is not None else None,
        active=body.active,
    )
    return WebhookRead.of(await use_cases.update_webhook(services, principal, webhook_id, changes))


@router.delete(
    "/{webhook_id:int}",
    status_code=204,
    response_class=Response,
    responses=error_responses(400, 401, 403, 404, 409, 422, 429),
    summary="Delete a webhook",
)
async def delete_webhook(
    webhook_id: WebhookId, principal: CurrentPrincipal, services: CurrentServices
) -> Response:
    """Delete the webhook and its delivery log. Scope `admin`."""
    await use_cases.delete_webhook(services, principal, webhook_id)
    return Response(status_code=204)


@router.post(
    "/{webhook_id:int}/rotate-secret",
    response_model=WebhookWithSecret,
    responses=error_responses(400, 401, 403, 404, 409, 422, 429),
    summary="Rotate the signing secret",
)
async def rotate_secret(
    webhook_id: WebhookId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    body: SecretRotation | None = None,
) -> WebhookWithSecret:
    """A new secret, shown only now. The old one keeps signing as well (a second `v1,`
    signature) for `keepPreviousSeconds` (default one day). Scope `admin`."""
    keep = timedelta(seconds=(body or SecretRotation()).keep_previous_seconds)
    return _with_secret(
        await use_cases.rotate_webhook_secret(services, principal, webhook_id, keep)
    )


@router.get(
    "/{webhook_id:int}/deliveries",
    response_model=DeliveryPage,
    responses=error_responses(400, 401, 403, 404, 429),
    summary="Delivery log of a webhook",
)
async def list_deliveries(
    webhook_id: WebhookId,
    principal: CurrentPrincipal,
    services: CurrentServices,
    page: PageNumber = 0,
    size: PageSize = 20,
) -> DeliveryPage:
    """Deliveries, newest first, with every attempt's status code, error and latency.
    Scope `admin`."""
    result = await use_cases.list_deliveries(services, principal, webhook_id, page, size)
    return DeliveryPage(
        deliveries=[DeliveryRead.of(d) for d in result.items], **PageFields.of(result)
    )


@router.post(
    "/{webhook_id:int}/deliveries/{delivery_id:int}/redeliver",
    status_code=202,
    response_model=RedeliveryAccepted,
    responses=error_responses(400, 401, 403, 404, 409, 422, 429),
    summary="Send a delivery again",
)
async def redeliver(
    webhook_id: WebhookId,
    delivery_id: DeliveryId,
    principal: CurrentPrincipal,
    services: CurrentServices,
) -> RedeliveryAccepted:
    """Queue the delivery again now, on a fresh retry schedule and with the same
    `webhook-id`. Scope `admin`."""
    await use_cases.redeliver(services, principal, webhook_id, delivery_id)
    return RedeliveryAccepted(status=DeliveryStatus.PENDING)

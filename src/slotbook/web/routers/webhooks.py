"""Webhooks (owners): endpoints (create, activate, deactivate, delete) and each one's delivery
log with redeliver."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from slotbook.application.ports import WebhookChanges
from slotbook.application.users import SessionUser
from slotbook.application.webhooks import (
    WebhookRequest,
    create_webhook,
    delete_webhook,
    get_webhook,
    list_deliveries,
    list_webhooks,
    redeliver,
    update_webhook,
)
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.events import EventType
from slotbook.domain.limits import MAX_ID
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field, text_fields
from slotbook.web.rendering import redirect, render, translator
from slotbook.web.session import OwnerUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/webhooks")

PAGE = "/dashboard/webhooks"
PAGE_SIZE = 50
LOG_SIZE = 25
MAX_URL = 2048
MAX_DESCRIPTION = 255
EVENTS = [e.value for e in EventType]
# Ticked when the form is first shown: what a booking integration usually follows.
DEFAULT_EVENTS = frozenset(e for e in EVENTS if e.startswith("appointment."))
NOTICES = frozenset({"activated", "deactivated", "deleted", "redelivered"})
WebhookId = Annotated[int, Path(ge=1, le=MAX_ID)]
Page = Annotated[int, Query(ge=0, le=10_000_000)]


async def _list_page(
    request: Request, user: SessionUser, *, status: int = 200, context: dict[str, Any] | None = None
) -> Response:
    endpoints = await list_webhooks(container_of(request).services, user.principal, 0, PAGE_SIZE)
    return render(
        request,
        "webhooks.html",
        {
            "endpoints": endpoints,
            "events": EVENTS,
            "checked": DEFAULT_EVENTS,
            "url": "",
            "description": "",
            "created": None,
            "error": None,
            "notice": None,
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.webhooks",
        page_path=PAGE,
    )


def _notice(request: Request, done: str | None) -> str | None:
    return translator(request)(f"webhooks.done.{done}") if done in NOTICES else None


@router.get("")
async def webhooks_page(
    request: Request, user: OwnerUser, done: Annotated[str | None, Query(max_length=16)] = None
) -> Response:
    return await _list_page(request, user, context={"notice": _notice(request, done)})


def _clean(value: str, limit: int, message: str) -> str:
    text = value.strip()
    if len(value) > limit or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidRequest(message)
    return text


async def _create_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    return await _list_page(
        request,
        request.state.user,
        status=status,
        context={
            "error": message,
            "url": text_field(form, "url", MAX_URL),
            "description": text_field(form, "description", MAX_DESCRIPTION),
            "checked": frozenset(text_fields(form, "events", 64)),
        },
    )


@router.post("")
@shows_errors_with(_create_again)
async def create(request: Request, user: OwnerUser) -> Response:
    form = await checked_form(request, user)
    t = translator(request)
    url = _clean(text_field(form, "url", 4 * MAX_URL), MAX_URL, t("webhooks.url_invalid"))
    description = _clean(
        text_field(form, "description", 4 * MAX_DESCRIPTION),
        MAX_DESCRIPTION,
        t("webhooks.description_invalid"),
    )
    if not url:
        raise InvalidRequest(t("webhooks.url_required"))
    chosen = set(text_fields(form, "events", 64))
    if not chosen:
        raise InvalidRequest(t("webhooks.events_required"))
    if not chosen <= set(EVENTS):
        raise InvalidRequest(t("webhooks.events_unknown"))
    issued = await create_webhook(
        container_of(request).services,
        user.principal,
        WebhookRequest(
            url=url,
            events=frozenset(EventType(e) for e in chosen),
            description=description or None,
        ),
    )
    return await _list_page(request, user, status=201, context={"created": issued})


@router.post("/{webhook_id:int}/activate")
async def activate(request: Request, user: OwnerUser, webhook_id: WebhookId) -> Response:
    return await _set_active(request, user, webhook_id, True)


@router.post("/{webhook_id:int}/deactivate")
async def deactivate(request: Request, user: OwnerUser, webhook_id: WebhookId) -> Response:
    return await _set_active(request, user, webhook_id, False)


async def _set_active(
    request: Request, user: SessionUser, webhook_id: int, active: bool
) -> Response:
    await checked_form(request, user)
    await update_webhook(
        container_of(request).services, user.principal, webhook_id, WebhookChanges(active=active)
    )
    return redirect(f"{PAGE}?done={'activated' if active else 'deactivated'}")


@router.post("/{webhook_id:int}/delete")
async def delete(request: Request, user: OwnerUser, webhook_id: WebhookId) -> Response:
    await checked_form(request, user)
    await delete_webhook(container_of(request).services, user.principal, webhook_id)
    return redirect(f"{PAGE}?done=deleted")


@router.get("/{webhook_id:int}")
async def deliveries_page(
    request: Request,
    user: OwnerUser,
    webhook_id: WebhookId,
    page: Page = 0,
    done: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    services = container_of(request).services
    endpoint = await get_webhook(services, user.principal, webhook_id)
    log = await list_deliveries(services, user.principal, webhook_id, page, LOG_SIZE)
    return render(
        request,
        "webhook_deliveries.html",
        {"endpoint": endpoint, "log": log, "notice": _notice(request, done)},
        user=user,
        active="nav.webhooks",
        page_path=f"{PAGE}/{webhook_id}",
    )


@router.post("/{webhook_id:int}/deliveries/{delivery_id:int}/redeliver")
async def redeliver_one(
    request: Request,
    user: OwnerUser,
    webhook_id: WebhookId,
    delivery_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    await checked_form(request, user)
    await redeliver(container_of(request).services, user.principal, webhook_id, delivery_id)
    return redirect(f"{PAGE}/{webhook_id}?done=redelivered")

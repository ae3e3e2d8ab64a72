"""Settings → API (owners only): create a key with chosen scopes, list keys, revoke one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from slotbook.application.access import Scope
from slotbook.application.organizations import issue_api_key, list_api_keys, revoke_api_key
from slotbook.application.users import SessionUser
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import MAX_ID
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field, text_fields
from slotbook.web.rendering import redirect, render, translator
from slotbook.web.session import OwnerUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/settings/api")

PAGE = "/dashboard/settings/api"
# The seed 001 quick start's minimum, ticked when the form is first shown.
DEFAULT_SCOPES = frozenset({Scope.APPOINTMENTS_READ.value, Scope.APPOINTMENTS_CREATE.value})
SCOPES = [s.value for s in Scope]


async def _page(
    request: Request,
    user: SessionUser,
    *,
    status: int = 200,
    context: dict[str, Any] | None = None,
) -> Response:
    keys = await list_api_keys(container_of(request).services, user.principal)
    return render(
        request,
        "api_keys.html",
        {
            "keys": keys,
            "scopes": SCOPES,
            "checked": DEFAULT_SCOPES,
            "name": "",
            "created": None,
            "error": None,
            "notice": None,
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.settings_api",
        page_path=PAGE,
    )


@router.get("")
async def settings_api(
    request: Request,
    user: OwnerUser,
    revoked: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    notice = translator(request)("keys.revoked_notice", prefix=revoked) if revoked else None
    return await _page(request, user, context={"notice": notice})


async def _create_again(request: Request, status: int, message: str) -> Response:
    user: SessionUser = request.state.user
    form = await request.form()
    return await _page(
        request,
        user,
        status=status,
        context={
            "error": message,
            "name": text_field(form, "name", 200),
            "checked": frozenset(text_fields(form, "scopes", 64)),
        },
    )


@router.post("/keys")
@shows_errors_with(_create_again)
async def create_key(request: Request, user: OwnerUser) -> Response:
    form = await checked_form(request, user)
    t = translator(request)
    name = text_field(form, "name", 200).strip()
    scopes = frozenset(text_fields(form, "scopes", 64))
    if not name:
        raise InvalidRequest(t("keys.name_required"))
    if not scopes:
        raise InvalidRequest(t("keys.scope_required"))
    issued = await issue_api_key(container_of(request).services, user.principal, name, scopes)
    return await _page(request, user, status=201, context={"created": issued})


@router.post("/keys/{key_id}/revoke")
async def revoke_key(
    request: Request, user: OwnerUser, key_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    await checked_form(request, user)
    revoked = await revoke_api_key(container_of(request).services, user.principal, key_id)
    return redirect(f"{PAGE}?revoked={revoked.prefix}")

"""Clients: a searchable list, and one client's contact details, patients, upcoming and past
appointments, no-shows and a link to book again."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from slotbook.application.appointments import ListQuery, list_appointments
from slotbook.application.clients import get_client, list_clients, list_patients
from slotbook.domain.limits import MAX_ID
from slotbook.web.appointment_view import local, span_of
from slotbook.web.rendering import render, translator
from slotbook.web.session import CurrentUser, container_of

router = APIRouter(prefix="/dashboard/clients")

PAGE_SIZE = 25
MAX_APPOINTMENTS = 100


@router.get("")
async def clients(
    request: Request,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> Response:
    search = q.strip()
    found = await list_clients(
        container_of(request).services, user.principal, search or None, page, PAGE_SIZE
    )

    def link(to: int) -> str:
        return "/dashboard/clients?" + urlencode(
            {"q": search, "page": to} if search else {"page": to}
        )

    return render(
        request,
        "clients.html",
        {
            "q": search,
            "found": found,
            "previous": link(page - 1) if page > 0 else None,
            "next": link(page + 1) if (page + 1) * PAGE_SIZE < found.total else None,
        },
        user=user,
        active="nav.clients",
    )


@router.get("/{client_id:int}")
async def client_page(
    request: Request, user: CurrentUser, client_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    services = container_of(request).services
    principal = user.principal
    client = await get_client(services, principal, client_id)
    patients = await list_patients(services, principal, client_id)
    listed = await list_appointments(
        services,
        principal,
        ListQuery(size=MAX_APPOINTMENTS, client_id=client_id, sort="dateTime:desc"),
    )
    now = services.clock.now()
    upcoming = sorted((a for a in listed.items if a.starts_at >= now), key=lambda a: a.starts_at)
    past = [a for a in listed.items if a.starts_at < now]
    latest = listed.items[0] if listed.items else None
    again = {"client": client_id}
    if latest is not None:
        again |= {"department": latest.department_id}
        if latest.appointment_type_id:
            again["type"] = latest.appointment_type_id
    return render(
        request,
        "client.html",
        {
            "client": client,
            "patients": patients,
            "upcoming": upcoming,
            "past": past,
            "book_again": "/dashboard/appointments/new?" + urlencode(again),
            "span": span_of(translator(request)),
            "local": local,
        },
        user=user,
        active="nav.clients",
    )

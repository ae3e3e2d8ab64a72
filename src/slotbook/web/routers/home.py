"""The dashboard's home page: the organization's departments and today's appointments."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.responses import Response

from slotbook.application.appointments import ListQuery, list_appointments
from slotbook.application.organizations import list_departments
from slotbook.web.rendering import render, translator
from slotbook.web.session import CurrentUser, container_of

router = APIRouter(prefix="/dashboard")

TODAY_LIMIT = 100


@router.get("")
async def home(request: Request, user: CurrentUser) -> Response:
    services = container_of(request).services
    principal = user.principal
    tz = ZoneInfo(user.time_zone)
    today = services.clock.now().astimezone(tz).date()
    departments = await list_departments(services, principal)
    # Naive bounds are wall-clock time of the organization's zone, as in the API.
    start = datetime.combine(today, time.min)
    appointments = await list_appointments(
        services,
        principal,
        ListQuery(
            size=TODAY_LIMIT,
            start_date=start,
            end_date=start + timedelta(days=1) - timedelta(microseconds=1),
        ),
    )
    t = translator(request)
    return render(
        request,
        "home.html",
        {
            "departments": departments,
            "appointments": appointments,
            "today": today.strftime(t("fmt.date")),
            "zone": tz,
        },
        user=user,
        active="nav.home",
    )

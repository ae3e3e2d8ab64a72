"""Waitlist pages: the offer's private accept link and the booking page's "join the waitlist"
form (no login), and each department's waitlist on the dashboard, where staff offer a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from slotbook.application import waitlist as use_cases
from slotbook.application.organizations import list_departments
from slotbook.application.public_booking import booking_page
from slotbook.application.scheduling import list_workers
from slotbook.application.users import SessionUser
from slotbook.application.waitlist_links import (
    PageJoin,
    accept_by_link,
    decline_by_link,
    join_from_page,
    offer_by_link,
)
from slotbook.application.waitlist_ports import EntryQuery
from slotbook.domain.errors import DepartmentNotFound, InvalidRequest
from slotbook.domain.limits import MAX_ID
from slotbook.domain.waitlist import EntryStatus, OfferExpired, WaitlistEntry
from slotbook.web.booking_form import Visitor, check_csrf, iso_day, positive_id
from slotbook.web.booking_pages import APPOINTMENT_PATH, plain, render_page
from slotbook.web.errors import shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import redirect, render, translator

# The public pages' own rendering and plain-words errors, shared with the booking page.
from slotbook.web.session import CurrentUser, checked_form, container_of

router = APIRouter()

DepartmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
EntryId = Annotated[int, Path(ge=1, le=MAX_ID)]
Done = Annotated[str | None, Query(max_length=16)]
OFFER_PATH = "/book/waitlist/"
PAGE_SIZE = 100


# --- the accept link -------------------------------------------------------------------------


async def _offer_page(
    request: Request, token: str, *, status: int = 200, error: str | None = None
) -> Response:
    linked = await offer_by_link(container_of(request).services, token)
    tz = ZoneInfo(linked.entry.time_zone)
    return render_page(
        request,
        "book_waitlist_offer.html",
        {
            "linked": linked,
            "starts": linked.offer.starts_at.astimezone(tz),
            "expires": linked.offer.expires_at.astimezone(tz),
            "token": token,
            "error": error,
            "declined": request.query_params.get("done") == "declined",
        },
        status,
    )


@router.get("/book/waitlist/{token}")
async def offer_page(request: Request, token: str) -> Response:
    """The offer: when, where, until when it is held, and the buttons to take it or let it go."""
    return await _offer_page(request, token)


async def _offer_again(request: Request, status: int, message: str) -> Response:
    token = str(request.path_params["token"])
    return await _offer_page(request, token, status=status, error=plain(request, message))


@router.post("/book/waitlist/{token}/accept")
@shows_errors_with(_offer_again, also=(OfferExpired,))
async def offer_accept(request: Request, token: str) -> Response:
    services = container_of(request).services
    await offer_by_link(services, token)  # an unknown link answers first
    check_csrf(request, await request.form())
    cancel_token = await accept_by_link(services, token)
    return redirect(f"{APPOINTMENT_PATH}{cancel_token}")


@router.post("/book/waitlist/{token}/decline")
@shows_errors_with(_offer_again, also=(OfferExpired,))
async def offer_decline(request: Request, token: str) -> Response:
    services = container_of(request).services
    await offer_by_link(services, token)
    check_csrf(request, await request.form())
    await decline_by_link(services, token)
    return redirect(f"{OFFER_PATH}{token}?done=declined")


# --- joining from the booking page -------------------------------------------------------------


async def _join_page(
    request: Request,
    department_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    values: dict[str, str] | None = None,
    joined: WaitlistEntry | None = None,
) -> Response:
    page = await booking_page(container_of(request).services, department_id)
    return render_page(
        request,
        "book_waitlist_join.html",
        {
            "department": page.department,
            "types": page.types,
            "values": values or {},
            "error": error,
            "joined": joined,
        },
        status,
        department=page.department,
    )


@router.get("/book/{department_id:int}/waitlist")
async def join_form(request: Request, department_id: DepartmentId) -> Response:
    """No free time that suits the visitor: they leave their dates and contact details."""
    return await _join_page(request, department_id)


_JOIN_FIELDS = ("name", "email", "phone", "earliest", "latest", "type")


async def _join_again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    return await _join_page(
        request,
        int(request.path_params["department_id"]),
        status=status,
        error=plain(request, message),
        values={name: text_field(form, name, 400) for name in _JOIN_FIELDS},
    )


@router.post("/book/{department_id:int}/waitlist")
@shows_errors_with(_join_again)
async def join_submit(request: Request, department_id: DepartmentId) -> Response:
    services = container_of(request).services
    page = await booking_page(services, department_id)
    form = await request.form()
    check_csrf(request, form)
    t = translator(request)
    name, email, phone = Visitor.of(form).contact(t)
    earliest = iso_day(text_field(form, "earliest", 10))
    latest = iso_day(text_field(form, "latest", 10))
    if earliest is None or latest is None:
        raise InvalidRequest(t("waitlist.join.dates_required"))
    type_id = positive_id(text_field(form, "type", 10))
    if type_id is not None and type_id not in {k.id for k in page.types}:
        raise InvalidRequest(t("book.type_required"))
    _, entry = await join_from_page(
        services, PageJoin(department_id, type_id, earliest, latest, name, email, phone)
    )
    return await _join_page(request, department_id, joined=entry)


# --- the dashboard -------------------------------------------------------------------------------


def _dashboard_path(department_id: int) -> str:
    return f"/dashboard/departments/{department_id}/waitlist"


async def _waitlist_page(
    request: Request,
    user: SessionUser,
    department_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
) -> Response:
    services = container_of(request).services
    departments = await list_departments(services, user.principal)
    department = next((d for d in departments if d.id == department_id), None)
    if department is None:
        raise DepartmentNotFound(department_id)
    listed = await use_cases.list_waitlist(
        services, user.principal, EntryQuery(department_id=department_id), 0, PAGE_SIZE
    )
    now = services.clock.now()
    tz = ZoneInfo(department.time_zone)
    workers = [
        w
        for w, departments_of in await list_workers(services, user.principal)
        if department_id in departments_of
    ]
    active = [e for e in listed.items if e.status in (EntryStatus.WAITING, EntryStatus.OFFERED)]
    rows = [
        {
            "entry": e,
            "offer_starts": e.offer.starts_at.astimezone(tz) if e.offer else None,
            "offer_expires": e.offer.expires_at.astimezone(tz) if e.offer else None,
            "seconds_left": (
                max(0, int((e.offer.expires_at - now).total_seconds())) if e.offer else None
            ),
        }
        for e in active
    ]
    return render(
        request,
        "waitlist.html",
        {
            "department": department,
            "workers": workers,
            "rows": rows,
            "others": [e for e in listed.items if e not in active],
            "error": error,
            "notice": notice,
            "tomorrow": (now.astimezone(tz) + timedelta(days=1)).date().isoformat(),
        },
        status=status,
        user=user,
        active="nav.departments",
        page_path=_dashboard_path(department_id),
    )


@router.get("/dashboard/departments/{department_id:int}/waitlist")
async def waitlist_page(
    request: Request, user: CurrentUser, department_id: DepartmentId, done: Done = None
) -> Response:
    """The department's queue: position, window, the offers and how long each is still held."""
    notice = translator(request)("waitlist.offered") if done == "offered" else None
    return await _waitlist_page(request, user, department_id, notice=notice)


async def _offer_again_dashboard(request: Request, status: int, message: str) -> Response:
    user: SessionUser = request.state.user
    department_id = int(request.path_params["department_id"])
    return await _waitlist_page(request, user, department_id, status=status, error=message)


@router.post("/dashboard/departments/{department_id:int}/waitlist/{entry_id:int}/offer")
@shows_errors_with(_offer_again_dashboard)
async def offer_time(
    request: Request, user: CurrentUser, department_id: DepartmentId, entry_id: EntryId
) -> Response:
    """Staff offer a time by hand: the date, the time and the worker."""
    form = await checked_form(request, user)
    t = translator(request)
    day = iso_day(text_field(form, "day", 10))
    clock = text_field(form, "time", 5)
    worker_id = positive_id(text_field(form, "worker", 10))
    try:
        at = datetime.strptime(f"{day}T{clock}", "%Y-%m-%dT%H:%M") if day else None
    except ValueError:
        at = None
    if at is None or worker_id is None:
        raise InvalidRequest(t("waitlist.offer.invalid"))
    entry = await use_cases.get_entry(container_of(request).services, user.principal, entry_id)
    if entry.department_id != department_id:
        raise InvalidRequest(t("waitlist.offer.invalid"))
    await use_cases.offer_time(
        container_of(request).services, user.principal, entry_id, at, worker_id
    )
    return redirect(f"{_dashboard_path(department_id)}?done=offered")

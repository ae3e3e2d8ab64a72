"""A new appointment from the desk: type, worker (or any free one), a free time of a day, the
client (found as you type, or created inline), notes, and the confirmation e-mail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from slotbook.application.availability import SlotQuery, available_slots
from slotbook.application.booking import BookingRequest, create_appointment
from slotbook.application.clients import ClientUpsert, get_client, list_clients
from slotbook.application.confirmations import send_confirmation
from slotbook.application.organizations import list_departments
from slotbook.application.ports import ClientFields
from slotbook.application.scheduling import list_appointment_types, list_workers
from slotbook.application.users import SessionUser
from slotbook.domain.appointments import AppointmentDetails
from slotbook.domain.clients import Client, normalize_email
from slotbook.domain.errors import DomainError, InvalidRequest, NotFound
from slotbook.domain.limits import MAX_EMAIL_LENGTH, MAX_ID, is_email
from slotbook.domain.slots import Slot
from slotbook.web.appointment_view import local
from slotbook.web.errors import message_for, shows_errors_with
from slotbook.web.forms import text_field
from slotbook.web.rendering import redirect, render, translator
from slotbook.web.routers.calendar import optional_date, optional_id
from slotbook.web.session import CurrentUser, checked_form, container_of

router = APIRouter(prefix="/dashboard/appointments/new")

PAGE = "/dashboard/appointments/new"
SOURCE = "desk"
MAX_NAME = 200
MAX_PHONE = 40
MAX_NOTES = 10_000
MAX_RESULTS = 8


@dataclass(frozen=True, slots=True)
class Choice:
    """What the form was asked for (query string, or the posted hidden fields)."""

    department_id: int | None
    type_id: int | None
    worker_id: int | None
    day: date | None
    time: str  # "HH:MM" to preselect, from a click on the grid
    client_id: int | None
    search: str


def _choice(values: Any) -> Choice:
    def get(name: str, size: int) -> str:
        value = values.get(name)
        return value if isinstance(value, str) and len(value) <= size else ""

    time = get("time", 5)
    return Choice(
        optional_id(get("department", 10), "department"),
        optional_id(get("type", 10), "type"),
        optional_id(get("worker", 10), "worker"),
        optional_date(get("date", 10)),
        time if len(time) == 5 and time[2] == ":" else "",
        optional_id(get("client", 10), "client"),
        get("q", MAX_NAME).strip(),
    )


async def _page(
    request: Request,
    user: SessionUser,
    choice: Choice,
    *,
    status: int = 200,
    context: dict[str, Any] | None = None,
) -> Response:
    services = container_of(request).services
    principal = user.principal
    t = translator(request)
    departments = await list_departments(services, principal)
    department = next((d for d in departments if d.id == choice.department_id), None)
    if department is None and departments:
        department = departments[0]
    types = await list_appointment_types(services, principal, department.id) if department else []
    workers = [
        w
        for w, of in await list_workers(services, principal)
        if department is not None and department.id in of
    ]
    zone = department.time_zone if department else user.time_zone
    day = choice.day or local(services.clock.now(), zone).date()
    slots: Sequence[Slot] = []
    slots_error = None
    if department is not None:
        try:
            found = await available_slots(
                services,
                principal,
                SlotQuery(department.id, choice.type_id, choice.worker_id, day, day),
            )
            slots = found.slots
        except DomainError as error:  # a worker of another department, a type not offered...
            slots_error = message_for(request, error)
    times = [(local(s.starts_at, zone).strftime("%H:%M"), s) for s in slots]
    chosen_time = (context or {}).get("chosen_time", choice.time)
    taken = (
        t("new.time_taken", time=choice.time)
        if choice.time and all(text != choice.time for text, _ in times) and not context
        else None
    )
    client: Client | None = None
    if choice.client_id is not None:
        try:
            client = await get_client(services, principal, choice.client_id)
        except NotFound:
            client = None
    matches = await _matches(request, user, choice.search) if choice.search else []
    worker_names = {w.id: w.name for w in workers}
    return render(
        request,
        "new_appointment.html",
        {
            "choice": choice,
            "departments": departments,
            "department": department,
            "types": types,
            "workers": workers,
            "worker_names": worker_names,
            "day": day,
            "zone": zone,
            "times": times,
            "chosen_time": chosen_time,
            "taken": taken,
            "slots_error": slots_error,
            "client": client,
            "matches": matches,
            "error": None,
            "values": {},
            **(context or {}),
        },
        status=status,
        user=user,
        active="nav.calendar",
        page_path=PAGE,
    )


async def _matches(request: Request, user: SessionUser, search: str) -> Sequence[Client]:
    found = await list_clients(
        container_of(request).services, user.principal, search, 0, MAX_RESULTS
    )
    return [c for c in found.items if c.erased_at is None]


@router.get("")
async def new_appointment(request: Request, user: CurrentUser) -> Response:
    return await _page(request, user, _choice(request.query_params))


@router.get("/clients")
async def client_matches(
    request: Request, user: CurrentUser, q: Annotated[str, Query(max_length=MAX_NAME)] = ""
) -> Response:
    """The clients matching what the desk has typed so far (the form's live search)."""
    matches = await _matches(request, user, q.strip()) if q.strip() else []
    return render(request, "_client_matches.html", {"matches": matches, "client": None}, user=user)


async def _again(request: Request, status: int, message: str) -> Response:
    form = await request.form()
    user: SessionUser = request.state.user
    try:
        choice = _choice(form)
    except DomainError:
        choice = Choice(None, None, None, None, "", None, "")
    picked = text_field(form, "client_id", 10)
    if picked.isdigit() and 1 <= int(picked) <= MAX_ID:  # the client chosen stays chosen
        choice = replace(choice, client_id=int(picked))
    values = {k: text_field(form, k, MAX_NOTES) for k in ("name", "phone", "email", "notes")}
    context = {
        "error": message,
        "values": values,
        "chosen_time": text_field(form, "time", 5),
        "client_choice": text_field(form, "client_id", 10),
        "send_email": bool(form.get("send_email")),
    }
    return await _page(request, user, choice, status=status, context=context)


def _limited(form: FormData, name: str, size: int, t_message: str) -> str | None:
    raw = form.get(name)
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw) > size:
        raise InvalidRequest(t_message)
    return raw.strip() or None


@router.post("")
@shows_errors_with(_again)
async def book(request: Request, user: CurrentUser) -> Response:
    form = await checked_form(request, user)
    t = translator(request)
    choice = _choice(form)
    if choice.department_id is None or choice.day is None:
        raise InvalidRequest(t("new.time_required"))
    time = text_field(form, "time", 5)
    try:
        starts = datetime.combine(choice.day, datetime.strptime(time, "%H:%M").time())
    except ValueError:
        raise InvalidRequest(t("new.time_required")) from None
    too_long = t("new.too_long")
    notes = _limited(form, "notes", MAX_NOTES, too_long)
    picked = text_field(form, "client_id", 10)
    email: str | None
    if picked.isdigit():
        client_id, upsert = int(picked), None
        services = container_of(request).services
        email = (await get_client(services, user.principal, client_id)).email
    else:
        name = _limited(form, "name", MAX_NAME, too_long)
        phone = _limited(form, "phone", MAX_PHONE, too_long)
        email = _limited(form, "email", MAX_EMAIL_LENGTH, too_long)
        if not name:
            raise InvalidRequest(t("new.client_required"))
        if email is not None and not is_email(email):
            raise InvalidRequest(t("new.email_invalid"))
        email = normalize_email(email) if email else None
        fields = {"name": name, "phone": phone, "email": email}
        client_id = None
        upsert = ClientUpsert(
            fields=ClientFields(name=name, phone=phone, email=email),
            fields_set=frozenset(k for k, v in fields.items() if v is not None),
        )
    container = container_of(request)
    appointment = await create_appointment(
        container.services,
        user.principal,
        BookingRequest(
            department_id=choice.department_id,
            date_time=starts,
            name=None,
            worker_id=choice.worker_id,
            appointment_type_id=choice.type_id,
            client_id=client_id,
            client=upsert,
            details=AppointmentDetails(notes=notes, source=SOURCE),
            any_worker=choice.worker_id is None,
        ),
    )
    sent = await send_confirmation(
        container.mailer, appointment, email, asked=bool(form.get("send_email"))
    )
    query = {"done": "created", "mail": sent.value}
    return redirect(f"/dashboard/appointments/{appointment.id}?{urlencode(query)}")

"""Seed 002's request bodies and its appointment record, in its own vocabulary.

Field names are seed 002's (snake_case). Unknown fields are ignored rather than refused: the
software that sends them was written for another system and may send fields Slotbook has no
place for (a fiche's address, say); what is kept is listed in docs/compat.md.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from slotbook.api.schemas.common import (
    MAX_ID,
    NOT_BOOLEAN,
    Email,
    Id,
    LongText,
    Phone,
    ShortText,
)
from slotbook.application.clients import ClientUpsert
from slotbook.application.ports import ClientFields
from slotbook.domain.appointments import Appointment, AppointmentDetails, AppointmentStatus
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import SUPPORTED_YEARS, is_supported_year
from slotbook.domain.time import naive_local, zone

LOCAL_FORMAT = "%Y-%m-%d %H:%M:%S"
_LOCAL_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?")


def _blank_is_none(value: object) -> object:
    # Seed 002's own example sends "comments": "": an empty text means "nothing".
    if isinstance(value, str) and not value.strip():
        return None
    return value


Blank = BeforeValidator(_blank_is_none)


class Legacy(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Fiche(Legacy):
    """Seed 002's customer: with `id`, that client is updated with the other fields given;
    without, a client is created."""

    id: Id | None = None
    group_id: Id | None = None
    firstname: Annotated[ShortText | None, Blank] = None
    lastname: Annotated[ShortText | None, Blank] = None
    email: Annotated[Email | None, Blank] = None
    firstphone: Annotated[Phone | None, Blank] = None
    secondphone: Annotated[Phone | None, Blank] = None
    comments: Annotated[LongText | None, Blank] = None

    def upsert(self) -> ClientUpsert:
        sent = self.model_fields_set
        name = " ".join(p for p in (self.firstname, self.lastname) if p) or None
        fields = ClientFields(
            name=name,
            email=self.email,
            phone=self.firstphone,
            second_phone=self.secondphone,
            notes=self.comments,
        )
        named = {"name"} if sent & {"firstname", "lastname"} else set()
        renamed = {
            "email": "email",
            "firstphone": "phone",
            "secondphone": "second_phone",
            "comments": "notes",
        }
        fields_set = frozenset(named | {ours for theirs, ours in renamed.items() if theirs in sent})
        return ClientUpsert(self.id, fields, fields_set)


# Calendar 0 is seed 002's "no preference", as its booking module sends it.
CalendarId = Annotated[int, Field(ge=0, le=MAX_ID), NOT_BOOLEAN]


class AppointmentFields(Legacy):
    date: str = Field(max_length=40, description="YYYY-MM-DD HH:MM:SS, the group's local time")
    calendar_id: CalendarId | None = None
    intervention_ids: list[Id] = Field(default_factory=list, max_length=20)
    comments: Annotated[LongText | None, Blank] = None
    fiche: Fiche | None = None
    websource: Annotated[ShortText | None, Blank] = None
    from_web: bool = True

    def local_start(self) -> datetime:
        if not _LOCAL_PATTERN.fullmatch(self.date):
            raise InvalidRequest(f"date must be YYYY-MM-DD HH:MM:SS, not {self.date!r}")
        text = self.date if len(self.date) > 16 else f"{self.date}:00"
        try:
            value = datetime.strptime(text, LOCAL_FORMAT)
        except ValueError:
            raise InvalidRequest(f"date {self.date!r} does not exist") from None
        if not is_supported_year(value):
            raise InvalidRequest(f"date out of range ({SUPPORTED_YEARS})")
        return value

    def intervention_id(self) -> int | None:
        if len(self.intervention_ids) > 1:
            raise InvalidRequest("Slotbook books one intervention per appointment")
        return self.intervention_ids[0] if self.intervention_ids else None

    def details(self) -> AppointmentDetails:
        return AppointmentDetails(
            notes=self.comments, source=self.websource, from_web=self.from_web
        )


class AppointmentBody(Legacy):
    appointment: AppointmentFields


S = AppointmentStatus

# Seed 002's attendance states: 0 In progress, 1 Came, 2 Not came, 3 Pending. Awaited
# appointments are pending; a checked-in one is in progress; a cancelled one keeps the state
# it had (pending) and shows deleted=1, as seed 002 soft-deletes.
STATE: dict[AppointmentStatus, int] = {
    S.SCHEDULED: 3,
    S.CONFIRMED: 3,
    S.CHECKED_IN: 0,
    S.COMPLETED: 1,
    S.MISSED: 2,
    S.CANCELLED: 3,
}


def _local(value: datetime | None, tz: str) -> str | None:
    return naive_local(value, zone(tz)).strftime(LOCAL_FORMAT) if value is not None else None


def appointment_record(a: Appointment) -> dict[str, Any]:
    """An appointment as seed 002 shows it; times are the group's local time."""
    start = _local(a.starts_at, a.time_zone)
    return {
        "id": a.id,
        "group_id": a.department_id,
        "calendar_id": a.worker_id,
        "fiche_id": a.client_id,
        "intervention_ids": [a.appointment_type_id] if a.appointment_type_id else [],
        "date": start,
        "start": start,
        "end": _local(a.ends_at, a.time_zone),
        "name": a.name,
        "comments": a.notes or "",
        "websource": a.source,
        "from_web": int(a.from_web),
        "state": STATE[a.status],
        "deleted": int(a.status is S.CANCELLED),
        "created_at": _local(a.created_at, a.time_zone),
        "updated_at": _local(a.updated_at, a.time_zone),
    }

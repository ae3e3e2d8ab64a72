"""Waitlist bodies: joining (the window and who waits), the entry with its offer, settings."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from slotbook.api.schemas.appointments import ClientInline
from slotbook.api.schemas.common import (
    CamelModel,
    Day,
    Id,
    Name,
    PageFields,
    RequestModel,
    ShortText,
    StartTime,
)
from slotbook.api.schemas.scheduling import ClockTime, Weekday
from slotbook.application.waitlist import JoinRequest
from slotbook.domain.schedules import WEEKDAYS
from slotbook.domain.waitlist import MAX_OFFER_MINUTES, MAX_TIMES_OF_DAY, TimeOfDay, Window


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class TimeOfDayBody(RequestModel):
    start: ClockTime = Field(examples=["09:00"])
    end: ClockTime = Field(examples=["12:00"], description="Exclusive; 24:00 is midnight")


class WaitlistJoin(RequestModel):
    department_id: Id = Field(examples=[5])
    appointment_type_id: Id | None = Field(None, description="Only this type (default: any)")
    worker_id: Id | None = Field(None, description="Only this worker (default: any)")
    earliest: Day = Field(examples=["2027-03-01"], description="First local date, included")
    latest: Day = Field(examples=["2027-03-31"], description="Last local date, included")
    weekdays: Annotated[list[Weekday], Field(max_length=7)] | None = Field(
        None, examples=[["MONDAY", "WEDNESDAY"]], description="Only these days (default: any)"
    )
    times_of_day: Annotated[list[TimeOfDayBody], Field(max_length=MAX_TIMES_OF_DAY)] | None = Field(
        None,
        description="Only times lying within one of these local ranges (default: any)",
    )
    client_id: Id | None = None
    client: ClientInline | None = None
    external_user_id: ShortText | None = Field(None, examples=["customer_12345"])
    name: Name | None = Field(
        None, description="Who waits, when neither clientId nor client gives a name"
    )
    priority: int = Field(0, ge=-1000, le=1000, description="Higher comes first (staff)")

    def request(self) -> JoinRequest:
        window = Window(
            self.earliest,
            self.latest,
            frozenset(WEEKDAYS.index(d) for d in self.weekdays or ()),
            tuple(
                TimeOfDay(_minute(t.start), _minute(t.end) or 24 * 60)
                for t in self.times_of_day or ()
            ),
        )
        return JoinRequest(
            department_id=self.department_id,
            window=window,
            appointment_type_id=self.appointment_type_id,
            worker_id=self.worker_id,
            client_id=self.client_id,
            client=self.client.upsert() if self.client else None,
            external_user_id=self.external_user_id,
            name=self.name,
            priority=self.priority,
        )


class OfferRead(CamelModel):
    date_time: str = Field(examples=["2027-03-03T10:00:00"], description="Local, as dateTime")
    end_time: str = Field(examples=["2027-03-03T10:30:00"])
    worker_id: int
    appointment_type_id: int | None
    expires_at: str = Field(examples=["2027-03-01T09:30:00Z"], description="UTC")
    accept_url: str = Field(description="The client's private link to accept the offer")


class TimeOfDayRead(CamelModel):
    start: str
    end: str


class WaitlistEntryRead(CamelModel):
    id: int
    department_id: int
    appointment_type_id: int | None
    worker_id: int | None
    client_id: int | None
    external_user_id: str | None
    name: str
    earliest: str
    latest: str
    weekdays: list[int] = Field(description="0 = Monday; empty: any day")
    times_of_day: list[TimeOfDayRead]
    priority: int
    status: str = Field(
        examples=["WAITING"], description="WAITING, OFFERED, BOOKED, EXPIRED or LEFT"
    )
    position: int | None = Field(description="1 = next in line; null unless WAITING")
    offer: OfferRead | None = Field(description="The open offer, when OFFERED")
    appointment_id: int | None = Field(description="The booking, once BOOKED")
    time_zone: str
    joined_at: str
    updated_at: str

    @classmethod
    def of(cls, document: dict[str, Any]) -> WaitlistEntryRead:
        return cls.model_validate(document)


class WaitlistPage(PageFields):
    entries: list[WaitlistEntryRead]


class WaitlistPriority(RequestModel):
    priority: int = Field(ge=-1000, le=1000, examples=[10])


class WaitlistOfferCreate(RequestModel):
    date_time: StartTime = Field(
        examples=["2027-03-03T10:00:00"], description="Local time of the department"
    )
    worker_id: Id


class WaitlistSettings(RequestModel):
    offer_minutes: int = Field(ge=1, le=MAX_OFFER_MINUTES, examples=[30])


class WaitlistSettingsRead(CamelModel):
    department_id: int
    offer_minutes: int

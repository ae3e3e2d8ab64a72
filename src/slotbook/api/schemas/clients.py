"""Client and patient bodies (seed 002's fiche, seed 003's patient, seed 004's client)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from slotbook.api.schemas.common import (
    PUBLIC_ID,
    CamelModel,
    Email,
    Label,
    LongText,
    Name,
    PageFields,
    Phone,
    RequestModel,
    ShortText,
)
from slotbook.application.ports import ClientFields, PatientFields
from slotbook.domain.clients import Client, Patient
from slotbook.domain.errors import InvalidRequest

_EARLIEST_BIRTH = date(1850, 1, 1)


def _birth_date(value: date | None) -> date | None:
    # A business check, not a schema one: JSON Schema cannot bound a date.
    if value is not None and value < _EARLIEST_BIRTH:
        raise InvalidRequest(f"birthDate must be on or after {_EARLIEST_BIRTH.isoformat()}")
    return value


def _utc(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


class ClientCreate(RequestModel):
    name: Name = Field(examples=["Awa Camara"])
    email: Email | None = Field(None, examples=["awa@example.org"])
    phone: Phone | None = Field(None, examples=["06 12 34 56 78"])
    second_phone: Phone | None = None
    external_user_id: ShortText | None = Field(None, examples=["customer_12345"])
    notes: LongText | None = None

    def fields(self) -> ClientFields:
        return ClientFields(
            name=self.name,
            email=self.email,
            phone=self.phone,
            second_phone=self.second_phone,
            external_user_id=self.external_user_id,
            notes=self.notes,
        )


class ClientUpdate(RequestModel):
    """Only the fields you send change; null clears one (except name)."""

    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    second_phone: Phone | None = None
    external_user_id: ShortText | None = None
    notes: LongText | None = None

    def fields(self) -> ClientFields:
        return ClientFields(
            **{name: getattr(self, name) for name in ClientFields.__dataclass_fields__}
        )


class ClientRead(CamelModel):
    id: int
    uuid: str = Field(examples=["550e8400-e29b-41d4-a716-446655440000"], description=PUBLIC_ID)
    name: str | None = Field(description="null once erased")
    email: str | None
    phone: str | None
    second_phone: str | None
    external_user_id: str | None
    notes: str | None
    no_show_count: int = Field(description="Appointments this client did not come to")
    created_at: str
    updated_at: str
    erased_at: str | None = None

    @classmethod
    def of(cls, c: Client) -> ClientRead:
        return cls(
            id=c.id,
            uuid=str(c.uuid),
            name=c.name,
            email=c.email,
            phone=c.phone,
            second_phone=c.second_phone,
            external_user_id=c.external_user_id,
            notes=c.notes,
            no_show_count=c.no_show_count,
            created_at=_utc(c.created_at) or "",
            updated_at=_utc(c.updated_at) or "",
            erased_at=_utc(c.erased_at),
        )


class ClientPage(PageFields):
    clients: list[ClientRead]


class PatientCreate(RequestModel):
    name: Name = Field(examples=["Rex"])
    species: Label | None = Field(None, examples=["dog"])
    birth_date: date | None = Field(None, description="On or after 1850-01-01")
    notes: LongText | None = None

    def fields(self) -> PatientFields:
        return PatientFields(self.name, self.species, _birth_date(self.birth_date), self.notes)


class PatientUpdate(RequestModel):
    name: Name | None = None
    species: Label | None = None
    birth_date: date | None = Field(None, description="On or after 1850-01-01")
    notes: LongText | None = None

    def fields(self) -> PatientFields:
        return PatientFields(self.name, self.species, _birth_date(self.birth_date), self.notes)


class PatientRead(CamelModel):
    id: int
    uuid: str = Field(examples=["6ba7b810-9dad-11d1-80b4-00c04fd430c8"], description=PUBLIC_ID)
    client_id: int
    name: str | None
    species: str | None
    birth_date: str | None
    notes: str | None
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, p: Patient) -> PatientRead:
        return cls(
            id=p.id,
            uuid=str(p.uuid),
            client_id=p.client_id,
            name=p.name,
            species=p.species,
            birth_date=p.birth_date.isoformat() if p.birth_date else None,
            notes=p.notes,
            created_at=_utc(p.created_at) or "",
            updated_at=_utc(p.updated_at) or "",
        )

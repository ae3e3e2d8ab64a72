"""Department bodies (seed 001's GET /departments)."""

from __future__ import annotations

from pydantic import Field

from slotbook.api.schemas.common import PUBLIC_ID, CamelModel
from slotbook.domain.organizations import Department


class OrganizationRef(CamelModel):
    id: int = Field(examples=[1])
    name: str = Field(examples=["Ministry of Interior"])


class DepartmentRead(CamelModel):
    id: int = Field(examples=[5])
    uuid: str = Field(examples=["0b5e7a0e-4c1f-4b7e-9d3a-2f6c1e8a9b10"], description=PUBLIC_ID)
    name: str = Field(examples=["Passport Service"])
    description: str | None = Field(examples=["Passport issuance"])
    organization: OrganizationRef
    show_admins_in_booking: bool = False
    time_zone: str = Field(examples=["Africa/Conakry"])

    @classmethod
    def of(cls, d: Department) -> DepartmentRead:
        return cls(
            id=d.id,
            uuid=str(d.uuid),
            name=d.name,
            description=d.description,
            organization=OrganizationRef(id=d.organization_id, name=d.organization_name),
            show_admins_in_booking=d.show_admins_in_booking,
            time_zone=d.time_zone,
        )

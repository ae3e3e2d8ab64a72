"""Organizations (tenants), their departments and workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from slotbook.domain.branding import Branding


@dataclass(frozen=True, slots=True)
class Organization:
    id: int
    name: str
    time_zone: str
    credits: int


@dataclass(frozen=True, slots=True)
class Department:
    id: int
    organization_id: int
    organization_name: str
    name: str
    description: str | None
    show_admins_in_booking: bool
    time_zone: str  # the department's own zone, or its organization's
    uuid: UUID  # the stable public id (integer ids are for the native API only)
    # Refuse new bookings of a client with this many no-shows in the window (None: never).
    no_show_limit: int | None = None
    no_show_window_days: int = 90
    # Whether the public booking page (/book/{id}) takes bookings.
    booking_page_enabled: bool = True
    # Where visitors go, shown on the booking page's confirmation (None: not given).
    address: str | None = None
    directions: str | None = None
    branding: Branding = field(default_factory=Branding)  # the organization's


@dataclass(frozen=True, slots=True)
class Worker:
    id: int
    organization_id: int
    name: str
    uuid: UUID

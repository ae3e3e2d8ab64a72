"""The documents pages hand to a visitor about an appointment: its iCalendar file and its QR code.

A port, so the web pages (which may not import infra) get them from the composition root.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from slotbook.domain.appointments import Appointment


class AppointmentDocuments(Protocol):
    def calendar(
        self,
        appointments: Sequence[Appointment],
        name: str,
        now: datetime,
        location: str | None = None,
    ) -> bytes:
        """An RFC 5545 document of the appointments, as GET /appointments/{id}.ics sends it
        (`location`: the department's address, else its name)."""
        ...

    def qr_svg(self, token: str) -> str:
        """The QR code of an appointment's token as an <svg> element to put inside a page."""
        ...

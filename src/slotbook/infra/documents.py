"""AppointmentDocuments: the .ics builder and QR codes of infra, for the web pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import segno

from slotbook.domain.appointments import Appointment
from slotbook.infra.ical import appointments_calendar


class Documents:
    def calendar(
        self,
        appointments: Sequence[Appointment],
        name: str,
        now: datetime,
        location: str | None = None,
    ) -> bytes:
        return appointments_calendar(appointments, name, now, location=location)

    def qr_svg(self, token: str) -> str:
        # Same code as GET /appointments/{id}/qr (infra/qr.py): error level M.
        svg: str = segno.make(token, error="m").svg_inline(scale=6, border=2)
        return svg

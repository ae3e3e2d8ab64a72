"""The confirmation e-mail of an appointment booked at the desk: whether it can go, and
sending it with the same mailer (SMTP settings) as the reminders."""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Protocol

from slotbook.application.reminder_ports import ReminderNotice
from slotbook.domain.appointments import Appointment
from slotbook.domain.time import utc_to_local, zone

log = logging.getLogger("slotbook.confirmations")


class ConfirmationMailer(Protocol):
    async def send_confirmation(self, to: str, notice: ReminderNotice) -> None:
        """Send the confirmation e-mail; raises when the server refuses it."""
        ...


class Confirmation(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    NO_ADDRESS = "address"
    NO_SERVER = "server"
    NOT_ASKED = "unticked"


async def send_confirmation(
    mailer: ConfirmationMailer | None, appointment: Appointment, email: str | None, asked: bool
) -> Confirmation:
    """Send it when asked, the client has an address and a mail server is set up. The booking
    is already committed: a mail server that refuses is reported, never undoes it."""
    if not asked:
        return Confirmation.NOT_ASKED
    if not email:
        return Confirmation.NO_ADDRESS
    if mailer is None:
        return Confirmation.NO_SERVER
    notice = ReminderNotice(
        appointment, utc_to_local(appointment.starts_at, zone(appointment.time_zone)), None
    )
    try:
        await mailer.send_confirmation(email, notice)
    except Exception:  # any SMTP or network failure: the desk is told, the booking stands
        log.warning("confirmation e-mail to appointment %s failed", appointment.id, exc_info=True)
        return Confirmation.FAILED
    return Confirmation.SENT

"""Sending email with the standard library's smtplib, in a thread (it blocks)."""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from slotbook.application.reminder_ports import OfferNotice, ReminderNotice
from slotbook.infra.notifications.confirmation_email import confirmation_message
from slotbook.infra.notifications.offer_email import offer_message
from slotbook.infra.notifications.reminder_email import reminder_message


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "slotbook@localhost"
    starttls: bool = True
    timeout: float = 30.0


class SmtpMailer:
    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    async def send_reminder(self, to: str, notice: ReminderNotice) -> None:
        message = reminder_message(self._settings.sender, to, notice)
        await asyncio.to_thread(self._send, message)

    async def send_offer(self, to: str, notice: OfferNotice) -> None:
        await asyncio.to_thread(self._send, offer_message(self._settings.sender, to, notice))

    async def send_confirmation(self, to: str, notice: ReminderNotice) -> None:
        message = confirmation_message(self._settings.sender, to, notice)
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        s = self._settings
        # One connection per message: reminders trickle out, and a long-lived connection
        # would need keep-alive and reconnection handling for little gain.
        with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as server:
            if s.starttls:
                server.starttls()
            if s.user:
                server.login(s.user, s.password or "")
            server.send_message(message)

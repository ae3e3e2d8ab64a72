"""What every e-mail Slotbook sends shares: its headers, its plain-text body, the time as told."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid


def when_text(local_start: datetime, time_zone: str) -> str:
    """The local date and time with its zone, as the e-mails write it."""
    return f"{local_start:%A %d %B %Y, %H:%M} ({time_zone})"


def plain_message(sender: str, to: str, subject: str, lines: list[str]) -> EmailMessage:
    """The message with its headers and plain-text body; the caller adds the HTML alternative."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="slotbook")
    message.set_content("\n".join(lines) + "\n")
    return message

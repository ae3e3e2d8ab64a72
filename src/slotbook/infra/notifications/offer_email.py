"""The e-mail that tells a waiting client a time is offered to them, with the accept link."""

from __future__ import annotations

from email.message import EmailMessage
from html import escape

from slotbook.application.reminder_ports import OfferNotice
from slotbook.infra.notifications.email_message import plain_message, when_text


def offer_message(sender: str, to: str, notice: OfferNotice) -> EmailMessage:
    when = when_text(notice.local_start, notice.time_zone)
    until = f"{notice.local_expiry:%H:%M}"
    message = plain_message(
        sender,
        to,
        f"A time is free for you at {notice.department_name}",
        [
            f"Hello {notice.name},",
            "",
            f"A time you were waiting for is free at {notice.department_name}: {when}.",
            f"It is held for you until {until}. Book it here: {notice.accept_url}",
        ],
    )
    message.add_alternative(
        "<!doctype html><html><body>"
        f"<p>Hello {escape(notice.name)},</p>"
        f"<p>A time you were waiting for is free at <strong>{escape(notice.department_name)}"
        f"</strong>: <strong>{escape(when)}</strong>.</p>"
        f"<p>It is held for you until {escape(until)}. "
        f'<a href="{escape(notice.accept_url)}">Book it</a>.</p>'
        "</body></html>",
        subtype="html",
    )
    return message

"""The e-mail that tells a waiting client a time is offered to them, with the accept link."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from html import escape

from slotbook.application.reminder_ports import OfferNotice


def offer_message(sender: str, to: str, notice: OfferNotice) -> EmailMessage:
    when = f"{notice.local_start:%A %d %B %Y, %H:%M} ({notice.time_zone})"
    until = f"{notice.local_expiry:%H:%M}"
    message = EmailMessage()
    message["Subject"] = f"A time is free for you at {notice.department_name}"
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="slotbook")
    message.set_content(
        "\n".join(
            [
                f"Hello {notice.name},",
                "",
                f"A time you were waiting for is free at {notice.department_name}: {when}.",
                f"It is held for you until {until}. Book it here: {notice.accept_url}",
            ]
        )
        + "\n"
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

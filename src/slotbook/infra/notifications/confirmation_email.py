"""The confirmation e-mail of a desk booking: plain text and HTML, the QR code inline."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from html import escape

from slotbook.application.reminder_ports import ReminderNotice
from slotbook.infra.notifications.qr_part import attach_qr_code


def confirmation_message(sender: str, to: str, notice: ReminderNotice) -> EmailMessage:
    a = notice.appointment
    when = f"{notice.local_start:%A %d %B %Y, %H:%M} ({a.time_zone})"
    message = EmailMessage()
    message["Subject"] = f"Your appointment at {a.department_name}"
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="slotbook")
    message.set_content(
        "\n".join(
            [
                f"Hello {a.name},",
                "",
                f"Your appointment at {a.department_name} is booked",
                f"for {when}.",
                "",
                f"Show this code at the desk: {a.qr_token}",
            ]
        )
        + "\n"
    )
    qr_cid = make_msgid(domain="slotbook")
    message.add_alternative(
        "<!doctype html><html><body>"
        f"<p>Hello {escape(a.name)},</p>"
        f"<p>Your appointment at <strong>{escape(a.department_name)}</strong> is booked for "
        f"<strong>{escape(when)}</strong>.</p>"
        "<p>Show this code at the desk:<br>"
        f'<img src="cid:{qr_cid[1:-1]}" alt="{escape(a.qr_token)}" width="200" height="200">'
        f"<br><code>{escape(a.qr_token)}</code></p>"
        "</body></html>",
        subtype="html",
    )
    attach_qr_code(message, a.qr_token, qr_cid)
    return message

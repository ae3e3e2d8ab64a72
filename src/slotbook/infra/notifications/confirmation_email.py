"""The confirmation e-mail of a desk booking: plain text and HTML, the QR code inline."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from html import escape

from slotbook.application.reminder_ports import ReminderNotice
from slotbook.infra.notifications.email_message import plain_message, when_text
from slotbook.infra.notifications.qr_part import attach_qr_code, qr_code_html


def confirmation_message(sender: str, to: str, notice: ReminderNotice) -> EmailMessage:
    a = notice.appointment
    when = when_text(notice.local_start, a.time_zone)
    message = plain_message(
        sender,
        to,
        f"Your appointment at {a.department_name}",
        [
            f"Hello {a.name},",
            "",
            f"Your appointment at {a.department_name} is booked",
            f"for {when}.",
            "",
            f"Show this code at the desk: {a.qr_token}",
        ],
    )
    qr_cid = make_msgid(domain="slotbook")
    message.add_alternative(
        "<!doctype html><html><body>"
        f"<p>Hello {escape(a.name)},</p>"
        f"<p>Your appointment at <strong>{escape(a.department_name)}</strong> is booked for "
        f"<strong>{escape(when)}</strong>.</p>"
        f"{qr_code_html(a.qr_token, qr_cid)}"
        "</body></html>",
        subtype="html",
    )
    attach_qr_code(message, a.qr_token, qr_cid)
    return message

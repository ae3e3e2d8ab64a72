"""The reminder email: plain text and HTML, with the QR code as an inline image."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from html import escape

from slotbook.application.reminder_ports import ReminderNotice
from slotbook.infra.notifications.qr_part import attach_qr_code


def reminder_message(sender: str, to: str, notice: ReminderNotice) -> EmailMessage:
    a = notice.appointment
    when = f"{notice.local_start:%A %d %B %Y, %H:%M} ({a.time_zone})"
    message = EmailMessage()
    message["Subject"] = f"Reminder: your appointment at {a.department_name}"
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="slotbook")
    lines = [
        f"Hello {a.name},",
        "",
        f"This is a reminder of your appointment at {a.department_name}",
        f"on {when}.",
        "",
        f"Show this code at the desk: {a.qr_token}",
    ]
    if notice.cancel_url is not None:
        lines += ["", f"Cannot come? Cancel here: {notice.cancel_url}"]
    message.set_content("\n".join(lines) + "\n")

    qr_cid = make_msgid(domain="slotbook")
    cancel = (
        f'<p>Cannot come? <a href="{escape(notice.cancel_url)}">Cancel the appointment</a>.</p>'
        if notice.cancel_url is not None
        else ""
    )
    html = (
        "<!doctype html><html><body>"
        f"<p>Hello {escape(a.name)},</p>"
        f"<p>This is a reminder of your appointment at <strong>{escape(a.department_name)}"
        f"</strong> on <strong>{escape(when)}</strong>.</p>"
        f"<p>Show this code at the desk:<br>"
        f'<img src="cid:{qr_cid[1:-1]}" alt="{escape(a.qr_token)}" width="200" height="200">'
        f"<br><code>{escape(a.qr_token)}</code></p>"
        f"{cancel}"
        "</body></html>"
    )
    message.add_alternative(html, subtype="html")
    attach_qr_code(message, a.qr_token, qr_cid)
    return message

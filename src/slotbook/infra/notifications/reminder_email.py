"""The reminder email: plain text and HTML, with the QR code as an inline image."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from html import escape

from slotbook.application.reminder_ports import ReminderNotice
from slotbook.infra.notifications.email_message import plain_message, when_text
from slotbook.infra.notifications.qr_part import attach_qr_code, qr_code_html

DEFAULT_ACCENT = "#1f5fbf"  # the pages' own (web/static/app.css)


def reminder_message(sender: str, to: str, notice: ReminderNotice) -> EmailMessage:
    a = notice.appointment
    when = when_text(notice.local_start, a.time_zone)
    lines = [
        f"Hello {a.name},",
        "",
        f"This is a reminder of your appointment at {a.department_name}",
        f"on {when}.",
        "",
        f"Show this code at the desk: {a.qr_token}",
    ]
    if notice.reschedule_url is not None:
        lines += ["", f"Need another time? Change it here: {notice.reschedule_url}"]
    if notice.cancel_url is not None:
        lines += ["", f"Cannot come? Cancel here: {notice.cancel_url}"]
    message = plain_message(sender, to, f"Reminder: your appointment at {a.department_name}", lines)

    qr_cid = make_msgid(domain="slotbook")
    logo_cid = make_msgid(domain="slotbook")
    # The organization's branding: its accent color (checked readable on white when set) on
    # the heading and links, its logo inline above.
    accent = escape(notice.accent_color or DEFAULT_ACCENT)
    cancel = (
        f'<p>Cannot come? <a style="color:{accent}" href="{escape(notice.cancel_url)}">'
        "Cancel the appointment</a>.</p>"
        if notice.cancel_url is not None
        else ""
    )
    reschedule = (
        f'<p>Need another time? <a style="color:{accent}" '
        f'href="{escape(notice.reschedule_url)}">Change the date or time</a>.</p>'
        if notice.reschedule_url is not None
        else ""
    )
    logo = (
        f'<p><img src="cid:{logo_cid[1:-1]}" alt="{escape(a.department_name)}" height="40"></p>'
        if notice.logo is not None
        else ""
    )
    html = (
        "<!doctype html><html><body>"
        f"{logo}"
        f'<h1 style="color:{accent};font-size:20px">{escape(a.department_name)}</h1>'
        f"<p>Hello {escape(a.name)},</p>"
        f"<p>This is a reminder of your appointment at <strong>{escape(a.department_name)}"
        f"</strong> on <strong>{escape(when)}</strong>.</p>"
        f"{qr_code_html(a.qr_token, qr_cid)}"
        f"{reschedule}{cancel}"
        "</body></html>"
    )
    message.add_alternative(html, subtype="html")
    attach_qr_code(message, a.qr_token, qr_cid)
    if notice.logo is not None:
        html_part = message.get_body(preferencelist=("html",))
        assert html_part is not None
        maintype, _, subtype = notice.logo.media_type.partition("/")
        html_part.add_related(
            notice.logo.data,
            maintype=maintype,
            subtype=subtype,
            cid=logo_cid,
            filename=f"logo.{subtype}",
            disposition="inline",
        )
    return message

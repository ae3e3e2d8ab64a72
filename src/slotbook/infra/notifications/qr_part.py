"""The QR code shown inline in an e-mail's HTML (reminders, confirmations)."""

from __future__ import annotations

from email.message import EmailMessage
from html import escape

from slotbook.infra.qr import qr_image


def attach_qr_code(message: EmailMessage, token: str, cid: str) -> None:
    """The code's image, related to the HTML part (multipart/related), shown by its `cid`."""
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    html_part.add_related(
        qr_image(token, "png"),
        maintype="image",
        subtype="png",
        cid=cid,
        filename="qr-code.png",
        disposition="inline",
    )


def qr_code_html(token: str, cid: str) -> str:
    """The paragraph showing the code to present at the desk, its image found by `cid`."""
    return (
        "<p>Show this code at the desk:<br>"
        f'<img src="cid:{cid[1:-1]}" alt="{escape(token)}" width="200" height="200">'
        f"<br><code>{escape(token)}</code></p>"
    )

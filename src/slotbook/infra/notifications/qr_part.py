"""The QR code shown inline in an e-mail's HTML (reminders, confirmations)."""

from __future__ import annotations

from email.message import EmailMessage

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

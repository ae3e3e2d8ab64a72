"""QR code images of appointment tokens, rendered by segno."""

from __future__ import annotations

import io

import segno


def qr_image(token: str, kind: str) -> bytes:
    """The QR code of `token` as an `svg` or `png` image."""
    buffer = io.BytesIO()
    segno.make(token, error="m").save(buffer, kind=kind, scale=6, border=2)
    return buffer.getvalue()

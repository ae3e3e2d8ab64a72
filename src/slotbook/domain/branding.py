"""An organization's branding on its booking page and e-mails: an accent color readable as text
on the pages' light backgrounds and as a button under white text (WCAG 2.x contrast), and a
small logo image."""

from __future__ import annotations

import re
from dataclasses import dataclass

from slotbook.domain.errors import InvalidRequest

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.x level AA for normal text: the accent is link text on white cards and on the pages'
# light grey background (web/static/app.css --bg), and a button's background under white text,
# so it needs this much contrast against the darker of the two.
MIN_CONTRAST = 4.5
WHITE = "#ffffff"
PAGE_BACKGROUND = "#f5f7fa"
MAX_LOGO_BYTES = 100 * 1024
# The image types a logo may have, by their first bytes. No SVG: it can carry scripts.
_SIGNATURES: tuple[tuple[str, bytes, bytes | None], ...] = (
    ("image/png", b"\x89PNG\r\n\x1a\n", None),
    ("image/jpeg", b"\xff\xd8\xff", None),
    ("image/webp", b"RIFF", b"WEBP"),  # "WEBP" at offset 8
)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance of "#rrggbb"."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), L1 the lighter color's luminance: 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent_contrast(color: str) -> float:
    """The accent's contrast where it is weakest: against the pages' grey background (white
    text on it, or it on white, has more)."""
    return min(contrast_ratio(color, WHITE), contrast_ratio(color, PAGE_BACKGROUND))


def accent_color(text: str) -> str:
    """A valid accent color in lower case, or InvalidRequest saying why not."""
    value = text.strip()
    if not HEX_COLOR.match(value):
        raise InvalidRequest(f"The accent color must be a hex color like #1d4ed8, not {value!r}")
    ratio = accent_contrast(value)
    if ratio < MIN_CONTRAST:
        raise InvalidRequest(
            f"The accent color {value} has a contrast of {ratio:.2f}:1 with the pages' "
            f"background; at least {MIN_CONTRAST}:1 is needed for readable text and buttons"
        )
    return value.lower()


def logo_type(data: bytes) -> str:
    """The media type of a logo image, from its first bytes; InvalidRequest when it is not a
    PNG, JPEG or WebP image of at most MAX_LOGO_BYTES."""
    if not data:
        raise InvalidRequest("The logo file is empty")
    if len(data) > MAX_LOGO_BYTES:
        raise InvalidRequest(f"The logo must be at most {MAX_LOGO_BYTES // 1024} KB")
    for media_type, head, webp in _SIGNATURES:
        if data.startswith(head) and (webp is None or data[8:12] == webp):
            return media_type
    raise InvalidRequest("The logo must be a PNG, JPEG or WebP image")


@dataclass(frozen=True, slots=True)
class Branding:
    """What an organization's public pages and e-mails show (None: the defaults)."""

    accent_color: str | None = None
    logo_type: str | None = None  # set when the organization has a logo

    @property
    def has_logo(self) -> bool:
        return self.logo_type is not None


@dataclass(frozen=True, slots=True)
class Logo:
    data: bytes
    media_type: str

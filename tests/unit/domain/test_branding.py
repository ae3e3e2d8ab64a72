"""The branding rules: WCAG 2.x contrast against white, and logo images by their first bytes."""

from __future__ import annotations

import pytest

from slotbook.domain.branding import (
    MAX_LOGO_BYTES,
    accent_color,
    accent_contrast,
    contrast_ratio,
    logo_type,
    relative_luminance,
)
from slotbook.domain.errors import InvalidRequest


@pytest.mark.parametrize(
    ("color", "ratio"),
    [
        ("#000000", 21.0),  # the extremes of the WCAG scale
        ("#ffffff", 1.0),
        ("#767676", 4.54),  # the lightest grey that passes AA on white
        ("#777777", 4.48),
        ("#1f5fbf", 6.09),  # the pages' default accent
    ],
)
def test_contrast_with_white_follows_wcag(color: str, ratio: float) -> None:
    assert contrast_ratio(color, "#ffffff") == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio("#ffffff", color) == pytest.approx(ratio, abs=0.01)


def test_the_accent_is_measured_against_the_pages_grey_background() -> None:
    assert accent_contrast("#767676") == pytest.approx(4.23, abs=0.01)  # 4.54 on white
    assert accent_contrast("#1f5fbf") == pytest.approx(5.68, abs=0.01)


def test_relative_luminance_of_the_primaries() -> None:
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)
    assert relative_luminance("#00ff00") == pytest.approx(0.7152)
    assert relative_luminance("#0000ff") == pytest.approx(0.0722)


def test_an_accent_must_be_hex_and_readable_on_white() -> None:
    assert accent_color(" #1F5FBF ") == "#1f5fbf"
    assert accent_color("#707070") == "#707070"
    for bad in ("#767676", "#777777", "#ffcc00", "#fff"):
        with pytest.raises(InvalidRequest):
            accent_color(bad)
    for malformed in ("1f5fbf", "#1f5fbg", "red", "#1f5fbf0", ""):
        with pytest.raises(InvalidRequest, match="hex color"):
            accent_color(malformed)


def test_a_logo_is_a_small_png_jpeg_or_webp() -> None:
    assert logo_type(b"\x89PNG\r\n\x1a\n" + b"\0" * 20) == "image/png"
    assert logo_type(b"\xff\xd8\xff\xe0" + b"\0" * 20) == "image/jpeg"
    assert logo_type(b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 20) == "image/webp"
    for bad in (b"", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"RIFF\0\0\0\0WAVE", b"GIF89a"):
        with pytest.raises(InvalidRequest):
            logo_type(bad)
    with pytest.raises(InvalidRequest, match="100 KB"):
        logo_type(b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_LOGO_BYTES)

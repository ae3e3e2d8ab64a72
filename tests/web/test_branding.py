"""Settings → Branding: an owner sets the accent color (readable on white) and uploads a logo;
the public booking pages show both; staff cannot change them."""

from __future__ import annotations

import html
import io
import re

import httpx
import segno

from tests.support import Login, Tenant
from tests.web.dashboard import log_in, page_token

PAGE = "/dashboard/settings/branding"


def _png() -> bytes:
    out = io.BytesIO()
    segno.make("logo").save(out, kind="png", scale=2)
    return out.getvalue()


async def _save(
    client: httpx.AsyncClient, accent: str, logo: bytes | None = None, **fields: str
) -> httpx.Response:
    token = await page_token(client, PAGE)
    files = {"logo": ("logo.png", logo, "image/png")} if logo is not None else None
    return await client.post(
        PAGE, data={"csrf_token": token, "accent_color": accent, **fields}, files=files
    )


async def test_an_owner_brands_the_booking_page(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant
) -> None:
    await log_in(client, owner)
    page = await client.get(PAGE)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert 'href="/dashboard/settings/api"' in page.text  # the Settings tabs

    # Too light for white text: refused next to the field, nothing saved.
    light = await _save(client, "#ffcc00")
    assert light.status_code == 400
    text = html.unescape(light.text)
    assert re.search(r'<p class="field-error" id="accent-color-error">[^<]*1\.\d\d:1', text)
    assert re.search(r'id="accent-color"[^>]*aria-invalid="true"', text)
    assert 'value="#ffcc00"' in text  # what was typed comes back
    for junk in ("blue", "#" + "0" * 5000):
        malformed = await _save(client, junk)
        assert malformed.status_code == 400
        assert "6 hexadecimal digits" in malformed.text
    big = await _save(client, "", b"\x89PNG\r\n\x1a\n" + b"\0" * 200_000)
    assert big.status_code == 400
    assert "at most 100 KB" in big.text
    svg = await _save(client, "", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    assert svg.status_code == 400
    assert 'id="logo-error"' in svg.text

    booking = await client.get(f"/book/{tenant.department_id}")
    assert "brand.css" not in booking.text
    assert "/logo" not in booking.text

    png = _png()
    saved = await _save(client, "#0B5D1E", png)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{PAGE}?saved=1"
    shown = await client.get(saved.headers["location"])
    assert "Branding saved." in shown.text
    assert 'value="#0b5d1e"' in shown.text
    preview = await client.get(f"{PAGE}/logo")
    assert preview.content == png

    # The public page: the color as a style sheet (no inline styles under the CSP), the logo.
    d = tenant.department_id
    booking = await client.get(f"/book/{d}")
    assert f'href="/book/{d}/brand.css?v=0b5d1e"' in booking.text
    assert f'<img class="logo" src="/book/{d}/logo"' in booking.text
    css = await client.get(f"/book/{d}/brand.css")
    assert css.headers["content-type"].startswith("text/css")
    assert "--accent: #0b5d1e;" in css.text
    logo = await client.get(f"/book/{d}/logo")
    assert logo.status_code == 200
    assert logo.headers["content-type"] == "image/png"
    assert logo.headers["x-content-type-options"] == "nosniff"
    assert logo.content == png

    # Keeping the logo while changing the color; then removing both.
    assert (await _save(client, "#1f5fbf")).status_code == 303
    assert (await client.get(f"/book/{d}/logo")).content == png
    assert (await _save(client, "", remove_logo="1")).status_code == 303
    assert (await client.get(f"/book/{d}/logo")).status_code == 404
    assert (await client.get(f"/book/{d}/brand.css")).text == ""
    assert "brand.css" not in (await client.get(f"/book/{d}")).text


async def test_staff_and_strangers_cannot_change_the_branding(
    client: httpx.AsyncClient, staff: Login
) -> None:
    anonymous = await client.get(PAGE)
    assert anonymous.status_code == 303
    await log_in(client, staff)
    assert (await client.get(PAGE)).status_code == 403
    token = await page_token(client)
    refused = await client.post(PAGE, data={"csrf_token": token, "accent_color": "#000000"})
    assert refused.status_code == 403

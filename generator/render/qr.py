"""QR codes as SVG (segno)."""

from __future__ import annotations

import functools
import io

import segno


@functools.lru_cache(maxsize=64)  # a release's code is on its page and on its sheet
def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, scale: int = 4, title: str | None = None) -> bytes:
    """An SVG QR code for ``url``, error correction M, with a quiet zone."""
    code = _code(url)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=scale,
        border=4,
        xmldecl=False,
        svgns=True,
        title=title,
        nl=True,
        omitsize=True,
    )
    return out.getvalue()

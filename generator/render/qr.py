"""QR codes as SVG (segno)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, scale: int = 4, title: str | None = None) -> bytes:
    """An SVG QR code for ``url``, error correction M, with a quiet zone."""
    code = segno.make(url, error="m", micro=False)
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

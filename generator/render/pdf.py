"""Noticeboard sheets: HTML from the theme's print template, laid out by WeasyPrint.

Rendering never reaches the network: the fetcher hands WeasyPrint only the
data: URLs the generator itself wrote (the QR code); any other resource in a
notice is left out.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import GeneratorError

if TYPE_CHECKING:  # WeasyPrint takes most of a second to import: only builds with sheets pay it
    import weasyprint


class GlyphError(GeneratorError):
    """A character no installed font can draw: the sheet would print a box."""


_FONTS: Any = None


def loaded() -> ModuleType:
    """WeasyPrint, imported with its libraries looked up in the linker cache only.

    WeasyPrint opens each library by trying its Windows and macOS names
    before the Linux one, and cffi hands each name it cannot open to
    ctypes.util.find_library. On Linux that reads the linker cache, then
    for a miss runs gcc and ld where they are installed: 0.17 s of a 0.45 s
    import on a machine with a compiler, paid by each process that lays out
    a sheet (WeasyPrint issue #1125). While WeasyPrint is imported a miss in
    the linker cache is final; the Linux name, tried after the others,
    opens the same library as before.
    """
    import ctypes.util

    full = ctypes.util.find_library
    if sys.platform == "linux" and "weasyprint" not in sys.modules:
        ctypes.util.find_library = getattr(ctypes.util, "_findSoname_ldconfig", full)
    try:
        import weasyprint
    finally:
        ctypes.util.find_library = full
    return weasyprint


def _font_config() -> Any:
    global _FONTS
    if _FONTS is None:
        from weasyprint.text.fonts import FontConfiguration

        _FONTS = FontConfiguration()
    return _FONTS


def document(html: str) -> weasyprint.Document:
    """Lay out one sheet."""
    weasyprint = loaded()
    from weasyprint.urls import URLFetcher

    offline = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=offline).render(font_config=_font_config())


def engine(fonts_digest: str) -> str:
    """What besides its HTML decides a sheet's bytes: WeasyPrint's version, the fonts, the calls.

    ``fonts_digest`` is fonts.installed_digest(), taken once per build by
    the caller. A sheet whose HTML and engine are as in the previous build
    is not laid out again (see incremental.build).
    """
    from importlib.metadata import version

    parts = [version("weasyprint"), version("pydyf"), fonts_digest]
    parts += [inspect.getsource(document), inspect.getsource(pdf)]  # how a sheet is laid out
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def pdf(documents: Iterable[weasyprint.Document]) -> bytes:
    """One PDF of the pages of several laid-out sheets, in order."""
    docs = list(documents)
    pages = [page for doc in docs for page in doc.pages]
    data: bytes = docs[0].copy(pages).write_pdf()
    return data


def merge(documents: list[bytes]) -> bytes:
    """One PDF of several written PDFs, page after page (pikepdf, on qpdf)."""
    import io

    import pikepdf

    merged = pikepdf.Pdf.new()
    for data in documents:
        merged.pages.extend(pikepdf.Pdf.open(io.BytesIO(data)).pages)
    out = io.BytesIO()
    merged.save(out, deterministic_id=True)  # the same sheets, the same bytes
    return out.getvalue()

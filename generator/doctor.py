"""Can this machine build the site? Fonts that cover the content, the PDF engine's libraries."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from . import fonts


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    detail: str


def diagnose(root: Path | None) -> list[Finding]:
    """Check the PDF engine, the fonts, and, inside a site, the content's characters."""
    report = fonts.report()
    out = [Finding(True, "Python", platform.python_version())]
    out.append(_weasyprint())
    out.append(
        Finding(True, "fonts", f"{report.fonts} font files known to fontconfig")
        if report.fonts
        else Finding(
            False, "fonts", "fontconfig knows no fonts: install fontconfig and fonts-noto-cjk"
        )
    )
    chinese = ", ".join(report.chinese_families[:4])
    out.append(
        Finding(True, "Chinese fonts", chinese)
        if report.chinese_families
        else Finding(
            False,
            "Chinese fonts",
            "none: Chinese would print as boxes; install fonts-noto-cjk (apt-get install fonts-noto-cjk)",
        )
    )
    out.append(
        Finding(True, "HarfBuzz subsetting", "available: a CJK sheet takes about 0.2 s")
        if report.harfbuzz_subset
        else Finding(
            False,
            "HarfBuzz subsetting",
            "missing: WeasyPrint falls back to fontTools, about 8 s per CJK sheet; install libharfbuzz-subset0",
        )
    )
    if root is not None:
        out.append(_content_coverage(root))
    return out


def _weasyprint() -> Finding:
    try:
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as exc:
        return Finding(
            False, "WeasyPrint", f"cannot load: {exc}; install libpango-1.0-0 and libpangoft2-1.0-0"
        )
    v = pango.pango_version()
    return Finding(
        True,
        "WeasyPrint",
        f"{weasyprint.__version__}, Pango {v // 10000}.{v // 100 % 100}.{v % 100}",
    )


def _content_coverage(root: Path) -> Finding:
    from .pipeline import load_site

    site = load_site(root)
    places: dict[str, str] = {}
    for estate in site.estates:
        versions = [
            (f"{estate.source.display}/releases/{s.release.id}.json", s.data)
            for s in estate.releases
        ]
        if estate.data is not None:
            versions.append((estate.source.display, estate.data))
        for where, data in versions:
            for char in fonts.missing(data.model_dump_json()):
                places.setdefault(char, where)
    if not places:
        return Finding(
            True,
            "content characters",
            f"every character of {len(site.estates)} estate(s) has a glyph",
        )
    listed = "; ".join(f"'{c}' (U+{ord(c):04X}) in {w}" for c, w in sorted(places.items())[:10])
    return Finding(False, "content characters", f"no installed font draws {listed}")

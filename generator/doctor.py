"""Can this machine build the site? Fonts that cover the content, the PDF engine's libraries."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from . import fonts
from .i18n import _


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
    fonts_word = _("字体")
    out.append(
        Finding(True, fonts_word, _("fontconfig 找到 {n} 个字体文件", n=report.fonts))
        if report.fonts
        else Finding(
            False, fonts_word, _("fontconfig 找不到任何字体：请安装 fontconfig 和 fonts-noto-cjk")
        )
    )
    chinese = ", ".join(report.chinese_families[:4])
    chinese_word = _("中文字体")
    out.append(
        Finding(True, chinese_word, chinese)
        if report.chinese_families
        else Finding(
            False,
            chinese_word,
            _("没有：中文会印成方框；请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）"),
        )
    )
    out.append(
        Finding(True, _("HarfBuzz 子集化"), _("可用：一张中文公示单约 0.2 秒"))
        if report.harfbuzz_subset
        else Finding(
            False,
            _("HarfBuzz 子集化"),
            _("没有：WeasyPrint 改用 fontTools，一张中文公示单约 8 秒；请安装 libharfbuzz-subset0"),
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
            False,
            "WeasyPrint",
            _("无法加载（{reason}）：请安装 libpango-1.0-0 和 libpangoft2-1.0-0", reason=exc),
        )
    v = pango.pango_version()
    return Finding(
        True,
        "WeasyPrint",
        f"{weasyprint.__version__}, Pango {v // 10000}.{v // 100 % 100}.{v % 100}",
    )


def _content_coverage(root: Path) -> Finding:
    from .site import load_site

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
            True, _("内容里的字"), _("{n} 个小区的每个字都有字体能显示", n=len(site.estates))
        )
    listed = _("；").join(
        _("“{char}”（U+{code:04X}）在 {where}", char=c, code=ord(c), where=w)
        for c, w in sorted(places.items())[:10]
    )
    return Finding(
        False,
        _("内容里的字"),
        _("本机没有字体能显示：{listed}；请安装能显示它们的字体", listed=listed),
    )

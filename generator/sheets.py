"""The noticeboard sheets: a PDF per estate per release, and one per street for the office."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from . import fonts, paths
from .errors import Severity
from .i18n import _
from .render import pdf, qr
from .views import View, Words, release_words, street_page

if TYPE_CHECKING:
    from .build import Brief, EstatePages, Output
    from .config import SiteConfig
    from .errors import Diagnostic
    from .profiles import RuleProfile
    from .render.html import Theme
    from .site import Site


@dataclass(frozen=True)
class Sheet:
    """A noticeboard sheet to make: its path, its print HTML, that HTML's digest, and the file
    its data comes from (where a character no font draws is reported)."""

    path: str
    html: str
    digest: str
    source: str


PAPERS = ("A4", "A3")
_POINTS = {"A4": (595.276, 841.89), "A3": (841.89, 1190.551)}  # ISO 216, in PostScript points


def resize(data: bytes, paper: str) -> bytes:
    """A PDF's pages scaled whole to another paper, as a copier enlarges A4 to A3 (141 %)."""
    import io

    import pikepdf

    width, height = _POINTS[paper]
    source = pikepdf.Pdf.open(io.BytesIO(data))
    out = pikepdf.Pdf.new()
    for page in source.pages:
        scale = round(width / float(page.mediabox[2] - page.mediabox[0]), 6)
        blank = out.add_blank_page(page_size=(width, height))
        form = out.copy_foreign(page.as_form_xobject())
        blank.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Sheet=form))
        blank.obj.Contents = out.make_stream(f"q {scale} 0 0 {scale} 0 0 cm /Sheet Do Q".encode())
    written = io.BytesIO()
    out.save(written, deterministic_id=True)  # named, not randomly as add_overlay would: same bytes
    return written.getvalue()


class _Text(HTMLParser):
    """The text a sheet prints (style sheets aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip = tag == "style"
        self.parts += [v for k, v in attrs if k in ("alt", "title") and v]

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def sheet_html(
    theme: Theme,
    config: SiteConfig,
    pages: EstatePages,
    view: View,
    paper: str,
    profile: RuleProfile,
    as_of: dt.date,
) -> str:
    """The print HTML of one release's sheet, as of its release date (the working copy's: ``as_of``)."""
    previous = pages.previous(view)
    url = config.base_url.rstrip("/") + "/" + view.folder
    code = base64.b64encode(qr.qr_svg(url, scale=8)).decode("ascii")
    css = next(path for name, path in theme.static_files() if name == "sheet.css").read_text(
        encoding="utf-8"
    )
    return theme.render(
        "sheet.html",
        paths.sheet(view.folder),
        view=view,
        as_of=view.day or as_of,
        profile=profile,
        previous=previous,
        changeset=pages.changes.get(view.release_id),
        paper=paper,
        site=config,
        sheet_css=css,
        qr_data_url=f"data:image/svg+xml;base64,{code}",
    )


def check_glyphs(html: str, view: View, where: str) -> None:
    """Stop with the character and where it occurs when no font can draw it."""
    parser = _Text()
    parser.feed(html)
    absent = fonts.missing("".join(parser.parts))
    if not absent:
        return
    dump = view.data.model_dump(mode="json", by_alias=True)
    lines = []
    for char in absent[:10]:
        places = list(_find(char, dump, "data"))[:3] or [_("公示单自身的文字")]
        lines.append(
            _(
                "{where}：字符“{char}”（U+{code:04X}）本机没有任何字体能显示，出现在 {places}",
                where=where,
                char=char,
                code=ord(char),
                places=_("、").join(places),
            )
        )
    lines.append(
        _(
            "请安装能显示它的字体（Debian：fonts-noto-cjk），或者换一种写法；运行 sunshine doctor 查看本机的字体"
        )
    )
    raise pdf.GlyphError("\n".join(lines))


def _find(char: str, value: Any, path: str) -> Any:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _find(char, item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _find(char, item, f"{path}[{i}]")
    elif isinstance(value, str) and char in value:
        yield path


def render_sheets(
    out: Output,
    theme: Theme,
    config: SiteConfig,
    estates: list[EstatePages],
    paper: str,
    profile: RuleProfile,
    as_of: dt.date,
) -> None:
    """Each release's sheet to make: its print HTML and that HTML's digest, into ``out``.

    A sheet's key is this digest and the PDF engine's (incremental.sheet_key):
    one whose key is as last time is reused, the others are laid out.
    """
    for pages in estates:
        for view in pages.views:
            html = sheet_html(theme, config, pages, view, paper, profile, as_of)
            source = (
                f"{pages.loaded.source.display}/releases/{view.release_id}.json"
                if view.release
                else pages.loaded.source.display
            )
            check_glyphs(html, view, source)  # a sheet is never printed with boxes
            digest = hashlib.sha256(html.encode()).hexdigest()
            out.sheets.append(Sheet(paths.sheet(view.folder), html, digest, source))


def group_streets(summaries: list[Brief]) -> list[tuple[str, list[Brief]]]:
    """Estates with a published release, grouped by the file of their street, in order."""
    groups: dict[str, list[Brief]] = defaultdict(list)
    for s in summaries:
        if s.latest_sheet is not None:
            groups[street_file(s.city, s.district, s.street)].append(s)
    return sorted(groups.items())


def street_file(city: str, district: str, street: str) -> str:
    """The combined sheet's file name: the street's full name in letters and digits only."""
    return street_page(city, district, street) + ".pdf"


@dataclass(frozen=True)
class OverviewRow:
    estate_id: str
    name: str
    community: str
    profile: str
    release: Words | None  # the latest release in words (see views.release_words)
    released: dt.date | None
    late: list[str]
    errors: int
    warnings: int
    held: tuple[str, ...] = ()  # codes of the errors that hold the estate back (see incremental)
    online: bool = True  # False: held back with nothing published to link to


def overview_row(site: Site, pages: EstatePages, profiled: list[Diagnostic]) -> OverviewRow:
    """An estate's latest release, what is late or missing (``profiled``: what its rule
    profile finds as of the day), and its open findings."""
    from .site import estate_profile

    data = pages.latest.data if pages.latest else pages.loaded.data
    assert data is not None
    e = data.estate
    found = list(profiled)
    latest = pages.latest
    if latest is not None and latest.release_id in pages.changes:
        found += pages.changes[latest.release_id].findings
    return OverviewRow(
        pages.loaded.id, e.name, e.community, estate_profile(site, pages.loaded).name,
        release_words(latest) if latest and latest.release else None, latest.day if latest else None,
        [d.summary_zh or d.message for d in found if d.code in ("P001", "P002")],
        sum(d.severity is Severity.ERROR for d in found), sum(d.severity is Severity.WARNING for d in found),
    )  # fmt: skip


def overview_table(summaries: list[Brief]) -> list[tuple[str, str, list[OverviewRow]]]:
    """The overview rows grouped by street: (street, its printable overview's path, rows)."""
    streets: dict[tuple[str, str], list[OverviewRow]] = defaultdict(list)
    for s in summaries:
        if s.overview is not None:
            key = (f"{s.city}{s.district}{s.street}", street_file(s.city, s.district, s.street))
            streets[key].append(s.overview)
    return [(name, paths.overview(file), rows) for (name, file), rows in sorted(streets.items())]


def overview_pdf(
    theme: Theme, config: SiteConfig, street: str, rows: list[OverviewRow], as_of: dt.date
) -> bytes:
    """One street office's overview on A4 landscape: a PDF per street, so that a change in
    one street lays out that street's pages only."""
    css = next(path for name, path in theme.static_files() if name == "sheet.css").read_text(
        encoding="utf-8"
    )
    html = theme.render(
        "street_print.html", paths.overview(f"{street}.pdf"), site=config, street=street,
        streets=[(street, "", rows)], as_of=as_of, sheet_css=css, total=len(rows),
        late_count=sum(1 for r in rows if r.late), prefix="", link=False,
    )  # fmt: skip
    return pdf.pdf([pdf.document(html)])

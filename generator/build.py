"""The website: every page, feed and data file of a loaded site, handed to the writer."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths, peers, sheets, views
from .config import SiteConfig
from .diff import tree
from .errors import Diagnostic
from .fingerprint import data_turns, span
from .history import compare
from .i18n import DEFAULT, LANGUAGES
from .model.notices import Correction
from .pinyin import spoken
from .profiles import RuleProfile
from .render import charts, citydata, feeds, opendata, pdf, qr, tables
from .render.changes import Line, describe_all
from .render.html import TOPICS, Theme
from .sheets import Sheet
from .site import LoadedEstate, Site, estate_profile, estate_sides, profile_check
from .views import P_, View, Words, notices_in_posting, street_page

DATA_SCHEMA = "# 开放数据 · open data\n\n" + citydata.schema_markdown()

# the site's feed.xml: the newest releases of all estates (an estate's own feed has all of its);
# a feed of every release ever was 18 MB at 10,000 estates, fetched whole by every reader
SITE_FEED = 100


@dataclass
class EstatePages:
    """One estate's views, oldest release first; the last is what residents see."""

    loaded: LoadedEstate
    views: list[View]
    changes: dict[str, ChangeSet] = field(default_factory=dict)  # by the newer view's release id

    @property
    def latest(self) -> View | None:
        return self.views[-1] if self.views else None

    def previous(self, view: View) -> View | None:
        index = self.views.index(view)
        return self.views[index - 1] if index else None

    def following(self, view: View) -> View | None:
        index = self.views.index(view)
        return self.views[index + 1] if index + 1 < len(self.views) else None

    @property
    def sort_key(self) -> tuple[str, ...]:
        data = self.latest.data if self.latest else self.loaded.data
        if data is None:
            return ("", "", "", self.loaded.id)
        e = data.estate
        return (e.city, e.district, e.street, e.name, self.loaded.id)


@dataclass(frozen=True)
class ChangeSet:
    """What changed into a release since the one before it, described, with the audit's findings
    and the corrections (更正) the release states, each with its described change."""

    previous: View
    lines: list[Line]
    findings: list[Diagnostic]
    corrected: list[tuple[Line, Correction]] = field(default_factory=list)

    def corrections_on(self, page: str) -> list[tuple[Line, Correction]]:
        """The corrections of what a topic page shows (every one on the overview and a release's page)."""
        name = page.rsplit("/", 1)[-1]
        if name == paths.INDEX:
            return self.corrected
        topics = views.CORRECTED_ON.get(name, set())
        return [c for c in self.corrected if views.corrected_section(c[1]) in topics]

    def sections(self) -> list[tuple[str, list[Line]]]:
        grouped: dict[str, list[Line]] = {}
        for line in self.lines:
            grouped.setdefault(line.section, []).append(line)
        return list(grouped.items())


def estate_pages(estate: LoadedEstate, config: SiteConfig) -> EstatePages:
    """An estate's views with the changes and findings between consecutive ones."""
    pages = EstatePages(estate, estate_views(estate, config))
    sides = estate_sides(estate, config.show_working_copy, exact=False)  # pages show no lines
    for (old_view, new_view), (old, new) in zip(
        zip(pages.views, pages.views[1:], strict=False),
        zip(sides, sides[1:], strict=False),
        strict=True,
    ):
        step = compare(old, new)
        old_tree, new_tree = tree(old.data), tree(new.data)
        lines = describe_all(step.changes, old_tree, new_tree)
        fixed = describe_all([change for change, _c in step.corrected], old_tree, new_tree)
        corrected = list(zip(fixed, [c for _change, c in step.corrected], strict=True))
        pages.changes[new_view.release_id] = ChangeSet(old_view, lines, step.findings, corrected)
    return pages


@dataclass
class Output:
    """What a renderer made: files by path, the pages among them, the sheets to make."""

    write: Callable[[str, bytes], None] | None = None  # where files go; None: kept in ``files``
    files: dict[str, bytes] = field(default_factory=dict)
    pages: list[tuple[str, dt.date | None]] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)

    def put(self, path: str, data: bytes) -> None:
        if self.write is not None:
            self.write(path, data)
        else:
            self.files[path] = data

    def page(self, path: str, html: str, day: dt.date | None) -> None:
        self.put(path, html.encode("utf-8"))
        self.pages.append((path, day))


def estate_views(estate: LoadedEstate, config: SiteConfig) -> list[View]:
    """Published releases as views; the working copy last when the site shows it."""
    out = [
        View(estate.id, s.data, s.release, s.sha256, paths.release(estate.id, s.release.id), i + 1)
        for i, s in enumerate(estate.releases)
    ]
    if config.show_working_copy and estate.data is not None:
        out.append(
            View(
                estate.id,
                estate.data,
                None,
                None,
                paths.release(estate.id, "current"),
                len(out) + 1,
            )
        )
    return out


@dataclass
class Listed:
    """An estate as the site lists it: its id, its place, the day of its latest release."""

    id: str
    sort_key: tuple[str, ...]
    name: str
    city: str
    district: str
    street: str
    community: str
    address: str
    latest_day: dt.date | None

    @property
    def find_text(self) -> str:
        return (
            f"{self.name} {self.city}{self.district} {self.street} {self.community} {self.address}"
        )


@dataclass
class EstateSummary(Listed):
    """What the site-wide pages need of an estate, kept between builds so an unchanged estate is not read again."""

    feed_entries: list[feeds.FeedEntry]
    pages: list[tuple[str, dt.date | None]]
    overview: sheets.OverviewRow | None
    latest_sheet: str | None
    sheet_paper: str | None  # the paper the sheets are laid out on (None: no sheets)
    files: dict[str, tuple[int, str]] = field(default_factory=dict)  # path -> (size, sha256)
    manifest: list[tuple[str, str]] = field(default_factory=list)  # its blocks of manifest.json
    sheets: dict[str, str] = field(default_factory=dict)  # sheet path -> its HTML's digest
    since: dt.date = dt.date.min  # the days its outputs hold for, the first included
    until: dt.date = dt.date.max  # and the last not: a build on a day outside renders it anew
    figures: peers.Figures | None = None  # its comparable figures (see peers.py)
    notices: list[tuple[str, str]] = field(default_factory=list)  # its latest notices: (id, title)
    pinyin: tuple[str, str] = ("", "")  # name, street and community in pinyin: whole, initials
    tables: dict[str, bytes] = field(default_factory=dict)  # its latest release's rows (citydata)
    lines: dict[str, bytes] = field(default_factory=dict)  # and as CSV lines (citydata.pack_lines)

    def brief(self) -> Brief:
        """What the pages over all estates need of it (see Brief)."""
        pages = [(path, day.isoformat() if day else None) for path, day in self.pages]
        sheet_files = {
            p: self.files[p] for p in [*self.sheets, self.latest_sheet] if p in self.files
        }
        tables = hashlib.sha256()
        for name, packed in sorted(self.tables.items()):
            tables.update(f"\0{name}\0".encode() + hashlib.sha256(packed).digest())
        return Brief(
            id=self.id, sort_key=self.sort_key, name=self.name, city=self.city,
            district=self.district, street=self.street, community=self.community,
            address=self.address, latest_day=self.latest_day, overview=self.overview,
            latest_sheet=self.latest_sheet, sheet_paper=self.sheet_paper, since=self.since,
            until=self.until, figures=self.figures, notices=self.notices, pinyin=self.pinyin,
            sheets=self.sheets, sheet_files=sheet_files,
            feed_entries=feeds.newest(self.feed_entries, SITE_FEED),
            packed_pages=zlib.compress(json.dumps(pages, ensure_ascii=False).encode()),
            packed_manifest=[opendata.pack_block(block) for block in self.manifest],
            tables_digest=tables.digest(),
        )  # fmt: skip


@dataclass
class Brief(Listed):
    """What the pages over all estates need of an estate's summary, and no more.

    A build holds one of these an estate while the summaries themselves stay
    in its state, one file an estate (state.Store): at 10,000 estates the
    summaries are some 800 MB in memory, their briefs a fifth of that. The
    manifest's blocks and the pages for the sitemap are kept compressed, the
    site's feed only the newest entries, the tables only their digest (data/
    reads each estate's tables from its summary when it is made).
    """

    overview: sheets.OverviewRow | None
    latest_sheet: str | None
    sheet_paper: str | None
    since: dt.date
    until: dt.date
    figures: peers.Figures | None
    notices: list[tuple[str, str]]
    pinyin: tuple[str, str]
    sheets: dict[str, str]  # sheet path -> its HTML's digest
    sheet_files: dict[str, tuple[int, str]]  # those of its files that are sheets
    feed_entries: list[feeds.FeedEntry]  # its newest, as many as the site's feed shows
    packed_pages: bytes  # its pages and their days, for the sitemap
    packed_manifest: list[tuple[str, bytes]]  # its blocks of manifest.json
    tables_digest: bytes  # of its tables, for what data/ is made of

    def shas(self) -> Iterator[str]:
        """The SHA-256 of each of its files, from its blocks of the manifest."""
        for _first, packed in self.packed_manifest:
            yield from opendata.manifest_shas(zlib.decompress(packed))

    def site_pages(self) -> list[tuple[str, dt.date | None]]:
        return [
            (path, dt.date.fromisoformat(day) if day else None)
            for path, day in json.loads(zlib.decompress(self.packed_pages))
        ]


@dataclass
class Rendered:
    """One estate rendered: its summary, its files, and the print HTML of its sheets."""

    summary: EstateSummary
    files: dict[str, bytes]
    sheets: list[Sheet]


def render_estate(site: Site, estate: LoadedEstate, paper: str | None, as_of: dt.date) -> Rendered:
    """Every page, data file and feed of one estate, and its sheets to lay out (with ``paper``)."""
    assert site.config is not None
    config = site.config
    pages = estate_pages(estate, config)
    out = Output()
    themes = _themes(site.root, config.theme)
    profile = estate_profile(site, estate)
    for lang, theme in themes.items():
        prefix = paths.language(lang)
        theme.forget()
        common = {**_common(config, theme, [], prefix), "profile": profile}
        common["with_pdf"] = paper is not None  # no sheet is linked that this build has none of
        _estate_pages(out, theme, common, pages, prefix, as_of)
    _estate_data(out, config, pages, themes[DEFAULT])
    entries = _estate_feed(out, config, pages, themes[DEFAULT])
    if paper is not None:  # None: HTML only
        sheets.render_sheets(out, themes[DEFAULT], config, [pages], paper, profile, as_of)
    data = pages.latest.data if pages.latest else estate.data
    e = data.estate if data is not None else None
    latest = pages.latest
    # what the current pages, the overview's row and the comparable figures say turns on
    # these days alone (the figures: the fees in force, from the latest data's dates)
    profiled, (since, until) = profile_check(site, estate, as_of, exact=False)
    if latest is not None:
        turns = {*views.breakpoints(latest.data, latest.release), *data_turns(latest.data)}
        since, until = max(since, span(turns, as_of)[0]), min(until, span(turns, as_of)[1])
    figures = _figures(pages, profile, as_of)
    rows = tables.release_rows(latest, _figure_rows(figures)) if latest else {}
    summary = EstateSummary(
        id=estate.id, sort_key=pages.sort_key, name=e.name if e else estate.id, city=e.city if e else "",
        district=e.district if e else "", street=e.street if e else "", community=e.community if e else "",
        address=e.address if e else "",
        latest_day=latest.day if latest else None, feed_entries=entries, pages=out.pages,
        overview=sheets.overview_row(site, pages, profiled) if data is not None else None,
        latest_sheet=paths.sheet(latest.folder) if latest and paper is not None else None,
        sheet_paper=paper,
        sheets={sheet.path: sheet.digest for sheet in out.sheets}, since=since, until=until,
        figures=figures,
        notices=[(n.id, n.title) for n in notices_in_posting(latest.data.notices, None)] if latest else [],
        pinyin=spoken(f"{e.name} {e.street} {e.community}") if e else ("", ""),
        tables=citydata.pack(rows), lines=citydata.pack_lines(rows),
    )  # fmt: skip
    return Rendered(summary, out.files, out.sheets)


def _figures(pages: EstatePages, profile: RuleProfile, as_of: dt.date) -> peers.Figures | None:
    """The latest view's comparable figures, as of the day its pages show."""
    latest = pages.latest
    if latest is None:
        return None
    published = [(v.day, v.data) for v in pages.views if v.day is not None]
    return peers.estate_figures(latest.estate_id, latest.data, published, profile, as_of)


def _figure_rows(figures: peers.Figures | None) -> dict[str, tuple[Any, str]]:
    if figures is None:
        return {}
    return {k: (v, peers.FIGURES[k].unit) for k, v in figures.values.items()}


_THEMES: dict[tuple[Path, str], dict[str, Theme]] = {}


def _themes(root: Path, name: str) -> dict[str, Theme]:
    """One theme per language, made once per process."""
    key = (root, name)
    if key not in _THEMES:
        _THEMES[key] = {lang: Theme(root, name, lang) for lang in LANGUAGES}
    return _THEMES[key]


def render_site_pages(
    root: Path,
    config: SiteConfig,
    summaries: list[Brief],
    write: Callable[[str, bytes], None],
    as_of: dt.date,
    with_pdf: bool,
    unpublished: tuple[Brief, ...] = (),
) -> None:
    """The pages over all estates: index, street overview, print lists, feeds, sitemap;
    ``unpublished`` estates (held back, nothing online) show on the overview only.

    The PDFs over several estates are street_overviews and print_files.
    """
    ordered = sorted(summaries, key=lambda s: s.sort_key)
    out = Output(write)
    themes = _themes(root, config.theme)
    streets = sheets.group_streets(ordered)
    overview = sheets.overview_table(sorted([*ordered, *unpublished], key=lambda s: s.sort_key))
    paper = next((s.sheet_paper for s in ordered if s.sheet_paper), None)
    papers = [(p, paths.print_folder(p, paper)) for p in sheets.PAPERS] if paper else []
    places = site_streets(ordered)
    all_peers = peers.group([s.figures for s in ordered if s.figures], config.compare)
    flagged = peers.flags(all_peers)
    for lang, theme in themes.items():
        prefix = paths.language(lang)
        common = _common(config, theme, ordered, prefix)
        path = f"{prefix}{paths.INDEX}"
        page = theme.render("index.html", path, places=places, with_pdf=with_pdf, **common)
        out.page(path, page, None)
        _street_pages(out, theme, {**common, "estates": []}, places, all_peers, flagged)
        path = f"{prefix}{paths.PRINT_LIST}"
        page = theme.render("print.html", path, streets=streets, papers=papers, **common)
        out.page(path, page, None)
        held = [row for _street, _pdf, rows in overview for row in rows if row.held]
        overviews = {street: paths.overview_page(sheet) for street, sheet, _rows in overview}
        said = {
            "as_of": as_of, "with_pdf": with_pdf, "flags": _by_street(flagged),
            "compare_page": _compare_pages(places), "street_page": overviews, **common,
        }  # fmt: skip
        path = f"{prefix}{paths.STREET_OVERVIEW}"
        out.page(path, theme.render("street.html", path, streets=overview, held=held, **said), None)
        for street, sheet, rows in overview:  # a street's estates: a page each, light at any size
            path = f"{prefix}{overviews[street]}"
            page = theme.render(
                "street_overview.html", path, streets=[(street, sheet, rows)], **said
            )
            out.page(path, page, None)
    for name, static in themes[DEFAULT].static_files():
        write(paths.asset(name), static.read_bytes())
    base = config.base_url.rstrip("/") + "/"
    write(paths.SEARCH, citydata.search_index(ordered))
    everything = [entry for s in ordered for entry in s.feed_entries]
    write(paths.feed(), feeds.atom(base + paths.feed(), base, config.title, everything, SITE_FEED))
    for name, data in feeds.sitemaps(base, _sitemap_urls(base, out.pages, ordered)):
        write(name, data)


def _sitemap_urls(
    base: str, pages: list[tuple[str, dt.date | None]], briefs: list[Brief]
) -> Iterator[tuple[str, dt.date | None]]:
    """Every page's URL and day: the site's own pages, then each estate's, each sorted; an
    estate's pages are unpacked one estate at a time (430,000 at 10,000 estates)."""
    yield from sorted((base + p.removesuffix(paths.INDEX), d) for p, d in pages)
    for brief in briefs:
        yield from sorted((base + p.removesuffix(paths.INDEX), d) for p, d in brief.site_pages())


@dataclass(frozen=True)
class CityData:
    """data/ over every estate: a digest of what it is made of, and how to make it."""

    made_of: str
    make: Callable[[Path], dict[str, Path]]  # data/'s files written into a folder


def city_data(
    config: SiteConfig,
    briefs: list[Brief],
    tables: Callable[[str], tuple[dict[str, bytes], dict[str, bytes]]],
) -> CityData:
    """data/ of these estates; made again only when an estate's tables or listing change
    (at 1,000 estates it is 95 MiB, a minute to make), from each estate's ``tables``
    (its CSV lines and rows, see citydata.pack_lines and pack) read one at a time."""
    ordered = sorted(briefs, key=lambda s: s.sort_key)
    base = config.base_url.rstrip("/") + "/"
    listed = citydata.estates_json(ordered, base)
    text = json.dumps(listed, sort_keys=True, default=str)
    digest = hashlib.sha256("\0".join((config.title, base, DATA_SCHEMA, text)).encode())
    for brief in ordered:
        digest.update(f"\0{brief.id}\0".encode() + brief.tables_digest)
    packs = functools.partial(map, tables, [b.id for b in ordered])
    make = functools.partial(citydata.city_files, packs, config.title, base, DATA_SCHEMA, listed)
    return CityData(digest.hexdigest(), make)


@dataclass(frozen=True)
class Street:
    """A street's estates, for the index's list by street and the street's comparison page."""

    city: str
    district: str
    street: str
    page: str  # its file name, without suffix (see sheets.street_file)
    estates: list[Brief]


def site_streets(ordered: list[Brief]) -> list[Street]:
    """Every street with its estates, in the index's order."""
    grouped: dict[tuple[str, str, str], list[Brief]] = {}
    for s in ordered:
        grouped.setdefault((s.city, s.district, s.street), []).append(s)
    return [Street(*key, street_page(*key), estates) for key, estates in grouped.items()]


def _by_street(flagged: list[peers.Flag]) -> dict[str, list[peers.Flag]]:
    out: dict[str, list[peers.Flag]] = {}
    for flag in flagged:
        out.setdefault(flag.street, []).append(flag)
    return out


def _compare_pages(places: list[Street]) -> dict[str, str]:
    """The comparison page of each street, by its full name (as the overview names it)."""
    return {f"{p.city}{p.district}{p.street}": paths.compare(p.page) for p in places}


def _street_pages(
    out: Output,
    theme: Theme,
    common: dict[str, Any],
    places: list[Street],
    all_peers: peers.Peers,
    flagged: list[peers.Flag],
) -> None:
    """Each street's list of estates (the index without script) and its comparison page."""
    prefix, by_street = common["prefix"], _by_street(flagged)
    for place in places:
        path = f"{prefix}{paths.street_estates(place.page)}"
        out.page(path, theme.render("street_estates.html", path, place=place, **common), None)
        path = f"{prefix}{paths.compare(place.page)}"
        rows = [
            (s, all_peers.standings(s.id) if s.id in all_peers.by_id else []) for s in place.estates
        ]
        flags = by_street.get(f"{place.city}{place.district}{place.street}", [])
        page = theme.render(
            "compare.html", path, place=place, rows=rows, flags=flags, settings=all_peers.settings,
            charts=_strip_charts(theme, rows, all_peers.settings), figure_words=peers.figure_words,
            standing_words=peers.standing_words, **common,
        )  # fmt: skip
        out.page(path, page, None)


def _strip_charts(
    theme: Theme, rows: list[tuple[Brief, list[Any]]], settings: peers.Settings
) -> dict[tuple[str, str], str]:
    """A small chart a figure: where the estate stands among its street's (else its city's) peers."""
    drawn = {}
    for summary, standings in rows:
        for street, city in standings:
            placed = street if street.count else city
            if placed.count:
                title = f"{theme.say(peers.figure_words(placed))}，{theme.say(peers.standing_words(placed, settings))}"
                chart_id = f"c-{summary.id}-{placed.figure}"
                drawn[(summary.id, placed.figure)] = charts.strip_chart(chart_id, title, placed)
    return drawn


# a PDF over several estates: (its path, what it is made from, a picklable call that makes it)
SitePdf = tuple[str, object, Callable[[], bytes]]


def street_overviews(
    root: Path, config: SiteConfig, summaries: list[Brief], as_of: dt.date
) -> list[SitePdf]:
    """The street office's overview, a PDF per street; made from the estates' summaries alone."""
    ordered = sorted(summaries, key=lambda s: s.sort_key)
    return [
        (path, (as_of, rows), functools.partial(street_overview, root, config, street, rows, as_of))
        for street, path, rows in sheets.overview_table(ordered)
    ]


def street_overview(
    root: Path, config: SiteConfig, street: str, rows: list[sheets.OverviewRow], as_of: dt.date
) -> bytes:
    return sheets.overview_pdf(_themes(root, config.theme)[DEFAULT], config, street, rows, as_of)


def print_files(summaries: list[Brief], locate: Callable[[str], Path]) -> list[SitePdf]:
    """Each street's latest sheets in one file, to print at once, on A4 and on A3.

    The sheets are laid out on the site's paper; the file on the other paper
    holds the same pages enlarged or reduced to it, as a copier would (A3 is
    A4 at 141 %). Needs the sheets in place.
    """
    ordered = sorted(summaries, key=lambda s: s.sort_key)
    made: list[SitePdf] = []
    for name, group in sheets.group_streets(ordered):
        sheets_of = [s.latest_sheet for s in group if s.latest_sheet]
        inputs = tuple(s.sheet_files[p][1] for s, p in zip(group, sheets_of, strict=True))
        files = [locate(p) for p in sheets_of]
        paper = next((s.sheet_paper for s in group if s.sheet_paper), sheets.PAPERS[0])
        made.append(
            (f"{paths.print_folder(paper, paper)}{name}", inputs, functools.partial(_merge, files))
        )
        for other in sheets.PAPERS:
            if other != paper:
                make = functools.partial(_merge, files, other)
                made.append((f"{paths.print_folder(other, paper)}{name}", (other, *inputs), make))
    return made


def _common(config: SiteConfig, theme: Theme, estates: list[Any], prefix: str) -> dict[str, Any]:
    return {
        "site": config,
        "estates": estates,
        "prefix": prefix,
        "languages": LANGUAGES,
        "default_language": DEFAULT,
    }


def _changes_page(
    out: Output,
    theme: Theme,
    pages: EstatePages,
    view: View,
    folder: str,
    prefix: str,
    context: dict[str, Any],
) -> None:
    if view.release_id in pages.changes:
        path = f"{prefix}{paths.changes(folder)}"
        context = {**context, "changeset": pages.changes[view.release_id]}
        out.page(path, theme.render("changes.html", path, **context), view.day)


def _estate_pages(
    out: Output,
    theme: Theme,
    common: dict[str, Any],
    pages: EstatePages,
    prefix: str,
    as_of: dt.date,
) -> None:
    """The estate's pages: each release as of its own date, the current ones as of ``as_of``.

    What a current page says turns on the day where views.breakpoints says.
    """
    estate_id = pages.loaded.id
    if pages.latest is None:
        path = f"{prefix}{paths.estate(estate_id)}{paths.INDEX}"
        name = pages.loaded.data.estate.name if pages.loaded.data else estate_id
        out.page(
            path,
            theme.render("unpublished.html", path, name=name, estate_id=estate_id, **common),
            None,
        )
        return
    drawn = {view.release_id: _charts(view, theme) for view in pages.views}
    for view in pages.views:  # each release whole on one page, at its own address for good
        day = view.day or as_of
        context = {"view": view, "history": pages, "here": view.folder, "as_of": day, **common}
        path = f"{prefix}{view.folder}{paths.INDEX}"
        page = theme.render(
            "release.html", path, one_page=True, charts=drawn[view.release_id], **context
        )
        out.page(path, page, view.day)
        on_its_page = {**context, "sections_at": paths.INDEX}  # its topics: that page's sections
        _changes_page(out, theme, pages, view, view.folder, prefix, on_its_page)
    latest, root = pages.latest, paths.estate(estate_id)
    context = {"view": latest, "history": pages, "here": root, "as_of": as_of, **common}
    for name, (_, template) in TOPICS.items():  # what residents see: the latest, a page a topic
        path = f"{prefix}{root}{name}"
        page = theme.render(template, path, charts=drawn[latest.release_id], **context)
        out.page(path, page, latest.day)
    _changes_page(out, theme, pages, latest, root, prefix, context)
    for notice in latest.data.notices.values():
        path = f"{prefix}{paths.notice(estate_id, notice.id)}"
        out.page(path, theme.render("notice.html", path, notice=notice, **context), latest.day)
    for doc in latest.data.documents.values():
        path = f"{prefix}{paths.document(estate_id, doc.id)}"
        out.page(path, theme.render("document.html", path, doc=doc, **context), latest.day)
    for name in ("history.html", "poster.html"):
        path = f"{prefix}{root}{name}"
        out.page(path, theme.render(name, path, **context), latest.day)


def _charts(view: View, theme: Theme) -> dict[str, dict[str, str] | None]:
    """A release's charts in the theme's language: {name: {svg, caption}}, each caption
    naming the period the chart covers."""
    say = theme.say
    fund = views.newest(view.data.accounts.maintenance_fund)
    revenue = views.newest(view.data.accounts.public_revenue)
    series = [(say(label), amount) for label, amount in views.fund_series(view.data)]
    wanted: dict[str, tuple[Words, list[tuple[str, Any]]]] = {}
    if len(series) > 1:
        words = P_("维修资金各期期末余额（万元），%(first)s至%(last)s")
        wanted["fund_balance"] = ((words, {"first": series[0][0], "last": series[-1][0]}), series)
    if fund is not None and fund.expenditure:
        words = P_("维修资金支出按类别（万元），%(period)s")
        rows = views.by_category(fund.expenditure)
        wanted["fund_spending"] = ((words, {"period": views.period_words(fund.period)}), rows)
    if revenue is not None and revenue.income:
        words = P_("公共收益收入按类别（万元），%(period)s")
        rows = views.by_category(revenue.income)
        wanted["revenue_income"] = ((words, {"period": views.period_words(revenue.period)}), rows)
    drawn: dict[str, dict[str, str] | None] = dict.fromkeys(
        ("fund_balance", "fund_spending", "revenue_income")
    )
    for name, (title, rows) in wanted.items():
        caption = say(title)
        svg = charts.bar_chart(f"chart-{name.replace('_', '-')}", caption, rows)
        drawn[name] = {"svg": svg, "caption": caption}
    return drawn


def _estate_data(out: Output, config: SiteConfig, pages: EstatePages, theme: Theme) -> None:
    base = config.base_url.rstrip("/") + "/"
    estate_id = pages.loaded.id
    if pages.latest is None:
        return
    name = pages.latest.data.estate.name
    home = paths.estate(estate_id)
    out.put(paths.qr(home), qr.qr_svg(f"{base}{home}", title=f"{name} 阳光物业公示"))
    for view in pages.views:
        folder = view.folder
        title = f"{name} {theme.say(views.release_words(view))}"
        out.put(paths.qr(folder), qr.qr_svg(f"{base}{folder}", title=title))
        out.put(paths.release_data(folder), opendata.release_json(view))
        for table, rows in tables.release_rows(view).items():
            if rows:  # one table a file, each row naming its estate, release and period
                out.put(
                    paths.release_table(folder, table),
                    opendata.table_csv(tables.TABLES[table], rows),
                )


def _merge(paths: list[Path], paper: str | None = None) -> bytes:
    """The sheets at ``paths`` in one PDF, on their own paper or resized to ``paper``."""
    merged = pdf.merge([p.read_bytes() for p in paths])
    return sheets.resize(merged, paper) if paper else merged


def _estate_feed(
    out: Output, config: SiteConfig, pages: EstatePages, theme: Theme
) -> list[feeds.FeedEntry]:
    """The estate's Atom feed; returns its entries for the site-wide feed."""
    base = config.base_url.rstrip("/") + "/"
    entries = [
        feeds.FeedEntry(
            f"{base}{v.folder}",
            f"{v.data.estate.name} {theme.say(views.release_words(v))}",
            v.day,
            _summary(v, pages, theme),
        )
        for v in pages.views
        if v.day is not None
    ]
    if pages.latest is not None:
        title = f"{pages.latest.data.estate.name} · {config.title}"
        folder = paths.estate(pages.loaded.id)
        home = f"{base}{folder}"
        out.put(paths.feed(folder), feeds.atom(base + paths.feed(folder), home, title, entries))
    return entries


def _summary(view: View, pages: EstatePages, theme: Theme) -> str:
    """A release in the feed, in Chinese: its posting period, its check code, what changed."""
    assert view.release is not None
    p = view.release.posting
    said = theme.say((P_("%(release)s公示，公示期 %(start)s至%(end)s；核验码 %(code)s。"), {
        "release": views.release_words(view), "start": p.start, "end": p.end, "code": view.fingerprint,
    }))  # fmt: skip
    changes = pages.changes.get(view.release_id)
    if changes is not None:
        for line, fix in changes.corrected:  # first, as prominently as on the pages
            said += "\n" + theme.say(views.correction_words(line, fix))
        said += f"\n本期变更 {len(changes.lines)} 处，审核发现 {len(changes.findings)} 项：\n"
        said += "\n".join(line.text() for line in changes.lines[:8])
        said += "\n……" if len(changes.lines) > 8 else ""
    return said

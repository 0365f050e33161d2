"""Incremental builds: exactly the outputs whose inputs changed are rendered; the rest keep their bytes and mtime."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator import build as build_module
from generator import incremental, state
from generator.cache import CACHE_FOLDER, Cache
from generator.clock import today
from generator.incremental import state_of
from generator.pipeline import build, release
from generator.render import feeds
from generator.scaffold import new_estate

from .conftest import Site

SITE_WIDE = {
    "index.html",
    "en/index.html",
    "print.html",
    "en/print.html",
    "street.html",
    "en/street.html",
    "feed.xml",
    "sitemap.xml",
    "manifest.json",
    "search.json",
}


def snapshot(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """path -> (inode, mtime_ns, bytes)."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def changed(
    before: dict[str, tuple[int, int, bytes]], after: dict[str, tuple[int, int, bytes]]
) -> set[str]:
    """Files new, gone, or rewritten (another inode)."""
    return {
        p for p in before.keys() | after.keys() if before.get(p, (0,))[0] != after.get(p, (0,))[0]
    }


def owned(files: set[str], estate: str) -> set[str]:
    return {p for p in files if p.startswith((f"{estate}/", f"en/{estate}/"))}


def two_released(site: Site) -> None:
    """A second estate, y, beside x; both with one release."""
    new_estate(site.root, "y", "第二小区")
    for estate in ("x", "y"):
        release(
            site.root,
            estate,
            dt.date(2025, 7, 10),
            "2025-h1",
            (dt.date(2025, 7, 10), dt.date(2025, 7, 24)),
        )


def not_published(cache: Cache, out: Path) -> set[str]:
    """Files in the cache that the output does not publish."""
    published = {hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()}
    return {p.name for p in cache.files.rglob("*") if p.is_file()} - published


def two_estates(site: Site) -> Path:
    two_released(site)
    out = site.root / "public"
    report = build(site.root, out, None, today(), jobs=2)
    assert sorted(report.rendered) == ["x", "y"]
    return out


def test_nothing_changed_nothing_rewritten(site: Site) -> None:
    out = two_estates(site)
    before = snapshot(out)
    report = build(site.root, out, None, today(), jobs=2)
    assert report.up_to_date
    assert snapshot(out) == before


def test_one_estate_changed_renders_that_estate_and_the_site_wide_pages(site: Site) -> None:
    out = two_estates(site)
    before = snapshot(out)
    release(
        site.root, "y", dt.date(2025, 8, 1), "2025-h1b", (dt.date(2025, 8, 1), dt.date(2025, 8, 14))
    )
    report = build(site.root, out, None, today(), jobs=2)
    assert report.rendered == ["y"] and report.carried == ["x"]
    after = snapshot(out)
    touched = changed(before, after)
    assert (
        owned(touched, "x") == set()
    )  # every file of x is the same file: same inode, bytes and mtime
    assert {p for p in owned(set(after), "x")} == owned(set(before), "x")
    assert all(after[p] == before[p] for p in owned(set(before), "x"))
    assert (
        "y/releases/2025-h1b/index.html" in touched and "y/releases/2025-h1b/sheet.pdf" in touched
    )
    assert touched - owned(touched, "y") <= SITE_WIDE | {
        p
        for p in touched
        if p.startswith(("print/", "overview/", "assets/", "data/", "compare/", "streets/"))
        or p.startswith(("en/compare/", "en/streets/", "en/overview/"))
    }
    assert "2025-h1b" in (out / "feed.xml").read_text(encoding="utf-8")


def test_a_template_change_renders_every_estate(site: Site) -> None:
    out = two_estates(site)
    custom = site.root / "themes" / "civic" / "templates"
    custom.mkdir(parents=True)
    (custom / "fees.html").write_text(
        '{% extends "default:fees.html" %}{% block page_title %}收费{% endblock %}',
        encoding="utf-8",
    )
    (site.root / "site.yaml").write_text(
        (site.root / "site.yaml").read_text(encoding="utf-8") + "theme: civic\n", encoding="utf-8"
    )
    before = snapshot(out)
    report = build(site.root, out, None, today(), jobs=2)
    assert sorted(report.rendered) == ["x", "y"]
    assert "<title>收费 · 测试小区" in (out / "x" / "fees.html").read_text(encoding="utf-8")
    sheets = {p for p in owned(set(before), "x") if p.endswith("sheet.pdf")}
    assert sheets  # a sheet's HTML is as before: the same file, not laid out again
    assert owned(changed(before, snapshot(out)), "x") == owned(set(before), "x") - sheets


def test_other_fonts_lay_out_every_sheet_again(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    out = two_estates(site)
    before = snapshot(out)
    monkeypatch.setattr(incremental.fonts, "installed_digest", lambda: "fonts added since")
    build(site.root, out, None, today(), jobs=1)  # in this process, as `serve` builds
    sheets = {p for p in before if p.endswith("sheet.pdf")}
    assert sheets and sheets <= changed(before, snapshot(out))  # laid out anew, not reused


def test_a_config_change_renders_every_estate(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    out = two_estates(site)
    (site.root / "site.yaml").write_text(
        (site.root / "site.yaml").read_text(encoding="utf-8").replace("测试站点", "新站名"),
        encoding="utf-8",
    )

    written: set[str] = set()  # the records of this build: read again for data/
    keep, read = state.Store.keep_estate, state.Store.estate

    def kept(store: state.Store, estate_id: str, record: dict[str, object]) -> None:
        written.add(estate_id)
        keep(store, estate_id, record)

    def unread(store: state.Store, estate_id: str) -> dict[str, object] | None:
        if estate_id not in written:  # nothing in them serves another site
            raise AssertionError("an estate's record of the previous build was read")
        return read(store, estate_id)

    def fields(store: state.Store, estate_id: str, names: tuple[str, ...]) -> object:
        if estate_id not in written:
            raise AssertionError("an estate's record of the previous build was read")
        return state_fields(store, estate_id, names)

    state_fields = state.Store.summary_fields
    monkeypatch.setattr(state.Store, "keep_estate", kept)
    monkeypatch.setattr(state.Store, "estate", unread)
    monkeypatch.setattr(state.Store, "summary_fields", fields)
    report = build(site.root, out, None, today(), jobs=1)
    assert sorted(report.rendered) == ["x", "y"]
    assert "新站名" in (out / "y" / "index.html").read_text(encoding="utf-8")


def test_a_working_copy_edit_of_a_published_estate_changes_nothing(site: Site) -> None:
    out = two_estates(site)
    before = snapshot(out)
    votes = site.root / "content" / "x" / "votes.yaml"
    votes.write_text(votes.read_text(encoding="utf-8") + "- 半句\n", encoding="utf-8")  # broken
    report = build(site.root, out, None, today(), jobs=2)
    assert list(report.held) == ["x"]  # its working copy is broken: flagged, exit code 4
    assert report.rendered == []  # the site shows releases, and x's has not changed
    overviews = ("overview/", "en/overview/")  # the street's printed and online overviews
    assert {p for p in changed(before, snapshot(out)) if not p.startswith(overviews)} == {
        "street.html",
        "en/street.html",
        "manifest.json",
    }


def test_a_new_rule_profile_in_the_working_copy_rebuilds_its_estate(site: Site) -> None:
    out = two_estates(site)
    before = street_overviews(out)
    estate = site.root / "content" / "x" / "estate.yaml"
    estate.write_text(estate.read_text(encoding="utf-8") + "rule_profile: beijing-2024\n", "utf-8")
    report = build(site.root, out, None, today(), jobs=2)
    assert report.rendered == ["x"]  # which regulation applies is a setting, not a disclosure
    after = street_overviews(out)
    assert "北京市物业管理条例" not in before and "北京市物业管理条例" in after


def test_a_shown_working_copy_rebuilds_only_its_estate(site: Site) -> None:
    config = site.root / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "show_working_copy: true\n", "utf-8")
    out = two_estates(site)
    before = snapshot(out)
    votes = site.root / "content" / "x" / "votes.yaml"
    votes.write_text(votes.read_text(encoding="utf-8") + "# 备注\n", encoding="utf-8")
    report = build(site.root, out, None, today(), jobs=2)
    assert report.rendered == ["x"]
    after = snapshot(out)
    assert owned(changed(before, after), "y") == set()
    assert {p: v[2] for p, v in after.items() if p.startswith("x/")} == {
        p: v[2] for p, v in before.items() if p.startswith("x/")
    }  # same bytes: a comment shows nowhere


def test_a_damaged_state_makes_a_whole_build_not_a_wrong_one(site: Site) -> None:
    out = two_estates(site)
    store = state_of(site.root, out)
    (store.folder / "site.json").write_bytes(b"not the state")
    release(
        site.root, "y", dt.date(2025, 8, 1), "2025-h1b", (dt.date(2025, 8, 1), dt.date(2025, 8, 14))
    )
    report = build(site.root, out, None, today(), jobs=2)
    assert sorted(report.rendered) == ["x", "y"]
    assert (out / "x" / "index.html").is_file() and (
        out / "y/releases/2025-h1b/index.html"
    ).is_file()
    assert build(site.root, out, None, today(), jobs=2).up_to_date  # and the state is whole again


def test_a_lost_estate_record_renders_that_estate_not_a_page_short(site: Site) -> None:
    out = two_estates(site)
    before = snapshot(out)
    store = state_of(site.root, out)
    (store.folder / "estates" / "x.json").write_bytes(b"{damaged")
    release(
        site.root, "y", dt.date(2025, 8, 1), "2025-h1b", (dt.date(2025, 8, 1), dt.date(2025, 8, 14))
    )
    report = build(site.root, out, None, today(), jobs=2)
    assert report.rendered == ["x", "y"] and report.carried == []
    after = snapshot(out)
    assert {p: v[2] for p, v in after.items() if p.startswith("x/")} == {
        p: v[2] for p, v in before.items() if p.startswith("x/")
    }


def test_parallel_and_serial_builds_make_the_same_bytes(site: Site) -> None:
    """Sheets, street overviews and print files laid out by workers, or all in this process."""
    out = two_estates(site)
    serial = site.root / "serial"
    build(site.root, serial, None, today(), jobs=1)
    made = {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")}
    assert {"x/releases/2025-h1/sheet.pdf", "y/releases/2025-h1/sheet.pdf"} <= made
    assert any(p.startswith("print/") for p in made) and any(
        p.startswith("overview/") for p in made
    )
    one = {p: v[2] for p, v in snapshot(out).items()}
    two = {p: v[2] for p, v in snapshot(serial).items()}
    assert one == two


def test_a_build_with_no_output_takes_every_estate_from_the_cache(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deleted output (or a fresh checkout with the cache restored) is put together from the
    cache: no estate rendered, no sheet laid out, no street overview or print file made, the
    same bytes as a build without it."""
    cache = Cache(site.root / CACHE_FOLDER)
    two_released(site)
    out = site.root / "public"
    assert build(site.root, out, None, today(), jobs=2, cache=cache).restored == []
    shutil.rmtree(out)

    def made(*args: object) -> None:
        raise AssertionError("made again, not taken from the cache")

    for module, name in ((incremental, "lay_out"), (build_module, "street_overview")):
        monkeypatch.setattr(module, name, made)
    monkeypatch.setattr(build_module, "_merge", made)
    report = build(site.root, out, None, today(), jobs=2, cache=cache)
    assert report.restored == report.rendered == ["x", "y"]
    monkeypatch.undo()
    sheet = out / "x/releases/2025-h1/sheet.pdf"
    sha = hashlib.sha256(sheet.read_bytes()).hexdigest()
    assert sheet.stat().st_ino == (cache.files / sha[:2] / sha).stat().st_ino  # linked, not made
    fresh = site.root / "fresh"
    build(site.root, fresh, None, today(), jobs=2)  # no cache
    assert {p: v[2] for p, v in snapshot(out).items()} == {
        p: v[2] for p, v in snapshot(fresh).items()
    }
    release(site.root, "x", dt.date(2025, 8, 1), "2025-h2", (dt.date(2025, 8, 1),) * 2)
    build(site.root, out, None, today(), jobs=2, cache=cache)  # in place: the old work dropped
    assert not_published(cache, out) == set()
    assert (out / "x/releases/2025-h2/sheet.pdf").is_file()


def test_the_cache_keeps_what_the_last_build_published(site: Site) -> None:
    """A changed estate is rendered and its old work dropped; a file gone from the cache
    makes its estate render again, never a page short."""
    cache = Cache(site.root / CACHE_FOLDER)
    out = site.root / "public"
    two_released(site)
    build(site.root, out, None, today(), jobs=2, with_pdf=False, cache=cache)
    before = {p.name for p in cache.estates.iterdir()}
    release(site.root, "x", dt.date(2025, 8, 1), "2025-h2", (dt.date(2025, 8, 1),) * 2)
    report = build(site.root, out, None, today(), jobs=2, with_pdf=False, cache=cache)
    assert report.rendered == ["x"] and report.restored == []
    after = {p.name for p in cache.estates.iterdir()}
    assert len(after) == 2 and len(after & before) == 1  # y kept, x's old summary dropped
    assert not_published(cache, out) == set()

    index = out / "y" / "index.html"
    sha = hashlib.sha256(index.read_bytes()).hexdigest()
    (cache.files / sha[:2] / sha).unlink()
    shutil.rmtree(out)
    report = build(site.root, out, None, today(), jobs=2, with_pdf=False, cache=cache)
    assert report.rendered == ["x", "y"] and report.restored == ["x"]
    assert index.is_file() and hashlib.sha256(index.read_bytes()).hexdigest() == sha


def test_a_build_that_stops_short_keeps_the_sheets_it_laid_out(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first build with sheets can take hours at city scale: when it stops (Ctrl-C, a CI
    runner's time limit), the next build lays out only the sheets it did not get to."""
    cache = Cache(site.root / CACHE_FOLDER)
    out = site.root / "public"
    two_released(site)
    lay_out = incremental.lay_out
    first: list[str] = []

    def power_cut(relative: str, html: str, digest: str) -> tuple[str, tuple[int, str]]:
        if first:  # the power goes during the second sheet
            raise KeyboardInterrupt
        first.append(relative)
        return lay_out(relative, html, digest)

    monkeypatch.setattr(incremental, "lay_out", power_cut)
    with pytest.raises(KeyboardInterrupt):
        build(site.root, out, None, today(), jobs=1, cache=cache)  # one process: patched here
    assert not out.exists()
    laid: list[str] = []

    def counted(relative: str, html: str, digest: str) -> tuple[str, tuple[int, str]]:
        laid.append(relative)
        return lay_out(relative, html, digest)

    monkeypatch.setattr(incremental, "lay_out", counted)
    report = build(site.root, out, None, today(), jobs=1, cache=cache)
    sheets = {f"{estate}/releases/2025-h1/sheet.pdf" for estate in ("x", "y")}
    assert report.rendered == ["x", "y"] and laid == sorted(sheets - set(first))
    sheet = out / first[0]
    sha = hashlib.sha256(sheet.read_bytes()).hexdigest()
    assert sheet.stat().st_ino == (cache.files / sha[:2] / sha).stat().st_ino  # the one laid out
    assert not_published(cache, out) == set()  # and the whole build kept only what it published


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def sitemap_urls(out: Path, base: str) -> tuple[list[str], list[str]]:
    """(the parts sitemap.xml names, every page URL the sitemaps list)."""
    top = ET.parse(out / "sitemap.xml").getroot()
    if top.tag == f"{SITEMAP}urlset":
        return [], [str(loc.text) for loc in top.iter(f"{SITEMAP}loc")]
    assert top.tag == f"{SITEMAP}sitemapindex"
    parts = [str(loc.text).removeprefix(base) for loc in top.iter(f"{SITEMAP}loc")]
    urls: list[str] = []
    for name in parts:
        part = ET.parse(out / name).getroot()
        assert part.tag == f"{SITEMAP}urlset"
        urls += [str(loc.text) for loc in part.iter(f"{SITEMAP}loc")]
    return parts, urls


def test_a_city_sized_sitemap_is_split_and_the_site_feed_keeps_the_newest(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds, "SITEMAP_URLS", 25)  # 50,000 in the protocol
    monkeypatch.setattr(build_module, "SITE_FEED", 1)
    out = two_estates(site)
    base = "https://example.org/"
    pages = {
        base + p.relative_to(out).as_posix().removesuffix("index.html") for p in out.rglob("*.html")
    }
    parts, urls = sitemap_urls(out, base)
    assert sorted(urls) == sorted(pages)  # each page once
    assert len(parts) == -(-len(pages) // 25) and all("/" not in name for name in parts)
    for name in parts:  # a sitemap lists URLs under its own folder: they sit beside sitemap.xml
        assert len(ET.parse(out / name).getroot()) <= 25

    release(
        site.root, "y", dt.date(2025, 8, 1), "2025-h1b", (dt.date(2025, 8, 1), dt.date(2025, 8, 14))
    )
    build(site.root, out, None, today(), jobs=1)
    entries = ET.parse(out / "feed.xml").getroot().findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"{base}y/releases/2025-h1b/"]
    assert len(ET.parse(out / "y" / "feed.xml").getroot().findall(f"{ATOM}entry")) == 2

    shutil.rmtree(site.root / "content" / "y")  # the site shrinks: fewer parts, none left over
    build(site.root, out, None, today(), jobs=1)
    parts, urls = sitemap_urls(out, base)
    left = sorted(p.name for p in out.glob("sitemap-*.xml"))
    assert left == sorted(parts) and len(parts) == -(-len(urls) // 25)
    assert not any("/y/" in url for url in urls)


def street_overviews(out: Path) -> str:
    """Every street's overview page (overview/<street>.html), one after another."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted((out / "overview").glob("*.html")))


def test_the_previous_manifest_is_read_as_written_but_the_carried_folders(tmp_path: Path) -> None:
    """published() reads manifest.json a megabyte at a time: every path as json.loads would
    read it (quotes, backslashes, Chinese, entries across the megabyte boundaries), and none
    of the folders it is told to skip (carried estates, which a Patch leaves as they are)."""
    import json

    from generator.render.opendata import manifest_block, pack_block, write_manifest

    files = {
        f"estate-{n:05d}/releases/2025-h{n % 2 + 1}/index.html": (n, f"{n:064x}")
        for n in range(30_000)  # about 3 MB: the entries straddle the reads
    }
    files['compare/上海市 "第1" 街道\\.html'] = (7, "a" * 64)
    files["en/estate-00001/index.html"] = (8, "b" * 64)
    files["index.html"] = (9, "c" * 64)
    out = tmp_path / "out"
    out.mkdir()
    with (out / "manifest.json").open("wb") as target:
        write_manifest([pack_block(manifest_block({p: d})) for p, d in files.items()], target.write)
    raw = (out / "manifest.json").read_bytes()
    listed = json.loads(raw)["files"]
    assert {p: (e["bytes"], e["sha256"]) for p, e in listed.items()} == files
    read = incremental.published(out)
    assert read.pop("manifest.json") == (len(raw), hashlib.sha256(raw).hexdigest())
    assert read == files
    skipped = incremental.published(out, {"estate-00001", "en/estate-00001", "estate-29999"})
    gone = ("estate-00001/", "en/estate-00001/", "estate-29999/")
    assert skipped.keys() == {p for p in files if not p.startswith(gone)} | {"manifest.json"}
    assert len(files) - len(skipped) == 3 - 1

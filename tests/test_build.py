"""The website build on the demo content and on small fixture sites."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import incremental, views
from generator.errors import ContentError
from generator.model import EstateData
from generator.model.estate import Person
from generator.pipeline import build, load_site
from generator.render.html import ONE_PAGE_PARTS, TOPICS

from .conftest import REPO, Site

DEMO_ESTATES = sorted(p.name for p in (REPO / "content").iterdir() if p.is_dir())


@pytest.fixture
def demo(demo_build: Path) -> Path:
    return demo_build


def files(root: Path) -> dict[str, bytes]:
    """Every published file."""
    found = sorted(p for p in root.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in found}


def test_every_estate_has_its_pages_data_and_codes(demo: Path) -> None:
    site = load_site(REPO)
    for estate in site.estates:
        latest = estate.releases[-1].release.id
        for release in estate.releases:
            folder = demo / estate.id / "releases" / release.release.id
            archive = (folder / "index.html").read_text(encoding="utf-8")
            for section, _ in ONE_PAGE_PARTS:  # the whole release on one page
                assert f'<section class="topic" id="{section}">' in archive
            assert (
                demo / "en" / estate.id / "releases" / release.release.id / "index.html"
            ).is_file()
        for page in TOPICS:  # the latest, a page a topic
            assert (demo / estate.id / page).is_file()
            assert (demo / "en" / estate.id / page).is_file()
        for release in estate.releases:
            folder = demo / estate.id / "releases" / release.release.id
            assert (folder / "qr.svg").read_bytes().startswith(b"<svg")
            assert (
                json.loads((folder / "data.json").read_bytes())["release"]["id"]
                == release.release.id
            )
        overview = (demo / estate.id / "index.html").read_text(encoding="utf-8")
        assert f"第 {len(estate.releases)} 期（" in overview and f"期次 {latest}" not in overview
        assert f"本期核验码 <code>{estate.releases[-1].sha256[:12]}</code>" in overview
        assert (demo / estate.id / "feed.xml").is_file() and (
            demo / estate.id / "poster.html"
        ).is_file()


def test_index_lists_every_street_and_each_street_its_estates_without_script(demo: Path) -> None:
    from generator.views import street_page

    index = (demo / "index.html").read_text(encoding="utf-8")
    for estate in load_site(REPO).estates:
        e = estate.releases[-1].data.estate
        page = street_page(e.city, e.district, e.street)
        assert f'href="streets/{page}.html">{e.street}</a>' in index
        listed = (demo / "streets" / f"{page}.html").read_text(encoding="utf-8")
        assert f'href="../{estate.id}/index.html">{e.name}</a>' in listed


def test_statements_as_csv_open_in_excel(demo: Path) -> None:
    sheets = sorted(demo.glob("*/releases/*/csv/*.csv"))
    assert len(sheets) >= 6
    for sheet in sheets:
        raw = sheet.read_bytes()
        assert raw.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0][:2] == ["小区编号", "期次编号"]


def test_feeds_sitemap_and_manifest(demo: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(demo / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == sum(len(e.releases) for e in load_site(REPO).estates)
    updated = [e.find(f"{atom}updated").text for e in entries]  # type: ignore[union-attr]
    assert updated == sorted(updated, reverse=True)
    urls = [
        u.text
        for u in ET.parse(demo / "sitemap.xml")
        .getroot()
        .iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "https://sunshine.example.org/" in urls
    raw = (demo / "manifest.json").read_bytes()
    listing = json.loads(raw)["files"]
    canonical = json.dumps(
        {"files": listing}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert raw == (canonical + "\n").encode("utf-8")  # joined from blocks, as json.dumps writes it
    assert list(listing) == sorted(listing)
    on_disk = files(demo)
    assert set(listing) == set(on_disk) - {"manifest.json"}
    for path, entry in listing.items():
        assert entry["sha256"] == hashlib.sha256(on_disk[path]).hexdigest()


def test_two_builds_are_byte_identical(demo: Path, tmp_path: Path) -> None:
    again = build(REPO, tmp_path / "again").out
    assert files(again) == files(demo)


def test_overview_page_weighs_at_most_50_kb(demo: Path) -> None:
    css = (demo / "assets" / "style.css").stat().st_size
    for estate in DEMO_ESTATES:
        html = (demo / estate / "index.html").stat().st_size
        assert html + css <= 50 * 1024, (estate, html, css)


def test_amounts_the_chinese_way(demo: Path) -> None:
    fund = (demo / "jia-he-jin-yuan" / "fund.html").read_text(encoding="utf-8")
    assert "¥1,127,600.00" in fund
    assert "万元" in fund


def withheld_names(data: EstateData) -> tuple[set[str], set[str]]:
    """The names a release holds but withholds, and those it publishes (the project manager's
    always: a secretary withheld as such may be named as the manager, a public contact)."""
    people: list[tuple[Person, bool]] = []
    if data.estate.committee:
        people += [(m, m.public) for m in data.estate.committee.members]
    for org in data.governance.party if data.governance else []:
        people += [(org.secretary, views.shown(org.secretary) is not None)] if org.secretary else []
    for role in data.governance.roles if data.governance else []:
        people += [(role.holder, views.role_holder(role) is not None)] if role.holder else []
    named = {p.name for p, shown in people if shown} | {data.estate.firm.manager.name}
    return {p.name for p, shown in people if not shown} - named, named


def test_withheld_people_never_reach_an_output(demo: Path) -> None:
    """Committee members, party secretaries and role holders not public, and every resident who
    serves as a 楼道长 or 党员先锋岗: named in the snapshots, in no page, sheet, feed or data file."""
    withheld: set[str] = set()
    shown: set[str] = set()
    for estate in load_site(REPO).estates:
        for snapshot in estate.releases:
            hidden, named = withheld_names(snapshot.data)
            withheld, shown = withheld | hidden, shown | named
    assert {"周宝根", "韩秀珍", "蔡文华", "沈国平"} <= withheld  # 楼道长, secretary, member
    assert {"邵丽君", "马卫国"} <= shown  # public roles, with consent
    outputs = files(demo)
    for path, data in outputs.items():
        text = data.decode("utf-8", errors="ignore")
        if path.endswith(".pdf"):
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert not [name for name in withheld if name in text], path
    governance = outputs["jing-yang-hua-yuan/governance.html"].decode("utf-8")
    assert "马卫国" in governance and "0635-3951207" in governance


def test_a_failed_build_leaves_the_previous_one_intact(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = site.root / "build"
    build(site.root, None)
    before = files(out)

    def half_then_fail(
        root: object, config: object, summaries: object, write: object, *rest: object
    ) -> None:
        write("index.html", b"half")  # type: ignore[operator]
        raise RuntimeError("disk full")

    monkeypatch.setattr(incremental, "render_site_pages", half_then_fail)
    (site.estate / "votes.yaml").write_text(
        (site.estate / "votes.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="disk full"):
        build(site.root, None)
    assert files(out) == before
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".build")) == []


def test_content_errors_stop_the_build_before_it_writes(site: Site) -> None:
    out = site.root / "build"
    build(site.root, None)
    before = files(out)
    votes = site.estate / "votes.yaml"
    votes.write_text(
        votes.read_text(encoding="utf-8").replace(
            "approving: {area: 7100.00", "approving: {area: 9100.00"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError):
        build(site.root, None, strict=True)
    assert files(out) == before
    build(site.root, None)  # held back: its pages as they were, the overview flags it
    after = files(out)
    overviews = ("overview/", "en/overview/", "manifest")
    same = [p for p in before if "street" not in p and not p.startswith(overviews)]
    assert {p: after[p] for p in same} == {p: before[p] for p in same}
    assert "数据有误，本期未更新（V001）" in (out / "street.html").read_text(encoding="utf-8")


def test_a_site_theme_overrides_single_templates(site: Site) -> None:
    custom = site.root / "themes" / "civic" / "templates"
    custom.mkdir(parents=True)
    (custom / "fees.html").write_text(
        '{% extends "default:fees.html" %}{% block page_title %}本街道定制{% endblock %}',
        encoding="utf-8",
    )
    (site.root / "site.yaml").write_text(
        (site.root / "site.yaml").read_text(encoding="utf-8")
        + "theme: civic\nshow_working_copy: true\n",
        encoding="utf-8",
    )
    out = build(site.root, None).out
    assert "<title>本街道定制 · 测试小区" in (out / "x" / "fees.html").read_text(encoding="utf-8")
    assert "<title>概况 · 测试小区" in (out / "x" / "index.html").read_text(encoding="utf-8")


def test_english_catalog_translates_every_message() -> None:
    from generator.catalog import template_catalog
    from generator.i18n import translations

    english = translations("en")
    untranslated = [m.id for m in template_catalog() if m.id and english.gettext(str(m.id)) == m.id]
    assert untranslated == []


def test_english_pages_speak_english(demo: Path) -> None:
    page = (demo / "en" / "jia-he-jin-yuan" / "fees.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "收费标准" not in page.split("<main", 1)[0]  # navigation and headings are translated
    assert 'hreflang="zh-CN"' in page


def test_changes_page_for_each_consecutive_pair_linked_from_both(demo: Path) -> None:
    for estate in load_site(REPO).estates:
        older, newer = estate.releases[0].release.id, estate.releases[1].release.id
        page = (demo / estate.id / "releases" / newer / "changes.html").read_text(encoding="utf-8")
        assert "<ins>" in page or "新增" in page
        assert f'href="../{older}/index.html"' in page
        assert 'href="changes.html"' in (
            demo / estate.id / "releases" / newer / "index.html"
        ).read_text(encoding="utf-8")
        assert f'href="../{newer}/changes.html"' in (
            demo / estate.id / "releases" / older / "index.html"
        ).read_text(encoding="utf-8")
        assert not (demo / estate.id / "releases" / older / "changes.html").exists()


def test_sheet_and_feed_carry_the_changes(demo: Path) -> None:
    from pypdf import PdfReader

    sheet = demo / "jia-he-jin-yuan" / "releases" / "2026-h1" / "sheet.pdf"
    text = "".join(p.extract_text() for p in PdfReader(sheet).pages)
    assert "共 12 处变更" in text
    assert "停车费 · 地面共有车位（86 个）：150.00 元/个·月 → 180.00 元/个·月" in text
    feed = (demo / "jia-he-jin-yuan" / "feed.xml").read_text(encoding="utf-8")
    assert "本期变更 12 处，审核发现 0 项" in feed


def test_messages_are_translated_when_a_template_is_compiled(tmp_path: Path) -> None:
    """Literal messages become text in the compiled template, per language, never shared."""
    from generator.render.html import Theme

    templates = tmp_path / "themes" / "mine" / "templates"
    templates.mkdir(parents=True)
    (templates / "probe.html").write_text(
        '{% set label = _("期初") %}<td data-label="{{ label }}">{{ _("期初") }}'
        '{{ _("现余额为首期归集的 %(p)s%%", p="<b>") }}</td>',
        encoding="utf-8",
    )
    # a new Theme each time: the second of each language compiles from Jinja's bytecode cache
    for _ in range(2):
        chinese = Theme(tmp_path, "mine", "zh-CN").render("probe.html", "x/probe.html")
        english = Theme(tmp_path, "mine", "en").render("probe.html", "x/probe.html")
        assert chinese == '<td data-label="期初">期初现余额为首期归集的 &lt;b&gt;%</td>'
        assert english.startswith('<td data-label="Opening">Opening')
        assert "&lt;b&gt;" in english and "%%" not in english


def visible(page: Path) -> str:
    """What a page shows: its text without tags, attributes, scripts or styles, spaces squashed."""
    import html
    import re

    raw = re.sub(r"<(script|style)\b.*?</\1>", "", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


@pytest.fixture(scope="module")
def august(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's pages as of 2026-08-15: before the rises of 2026-09-01, inside a notice's posting."""
    import datetime as dt

    out = tmp_path_factory.mktemp("august") / "site"
    build(REPO, out, None, dt.date(2026, 8, 15), with_pdf=False)
    return out


def test_current_pages_state_the_fee_in_force_and_the_change_announced(
    august: Path, demo: Path
) -> None:
    before = visible(august / "yun-lian-xin-cun" / "index.html")
    assert "物业服务费 · 多层住宅（无电梯） 0.55 元/㎡·月" in before
    assert "自 2026年9月1日 起 0.85 元/㎡·月 ，上调 0.30（+54.5%）" in before
    fees = visible(august / "jia-he-jin-yuan" / "fees.html")
    assert "150.00 元/个·月 自 2019年1月1日 起执行；执行至 2026年8月31日。" in fees
    assert "2026年9月1日 – 至今" not in fees
    after = visible(demo / "yun-lian-xin-cun" / "index.html")  # built as of 2026-11-24
    assert "物业服务费 · 多层住宅（无电梯） 0.85 元/㎡·月" in after
    assert "本期公示后调整" not in after  # its 2026-11-10 release already shows 0.85
    overview = visible(demo / "jia-he-jin-yuan" / "index.html")  # last released 2026-07-20
    assert (  # the paper on the noticeboard still says 150: the page says what changed since
        "180.00 元/个·月 本期公示后调整：自 2026年9月1日 起 180.00 元/个·月 ，上调 30.00（+20.0%）；原为 150.00 元/个·月"
        in overview
    )
    fees = visible(demo / "jia-he-jin-yuan" / "fees.html")
    assert (
        "180.00 元/个·月 自 2026年9月1日 起执行，原为 150.00 元/个·月，上调 30.00（+20.0%）。"
        in fees
    )


def test_a_notice_is_posted_only_inside_its_posting_period(august: Path, demo: Path) -> None:
    title = "关于调整地面共有车位租金的公示"  # posted 2026-07-15 to 2026-08-31
    inside = visible(august / "jia-he-jin-yuan" / "notices.html")
    assert f"{title} 2026年7月15日 · 收费调整 · 公示中，至 2026年8月31日" in inside
    assert title in visible(august / "jia-he-jin-yuan" / "index.html")  # 正在公示的公告
    after = visible(demo / "jia-he-jin-yuan" / "notices.html")
    assert f"{title} 2026年7月15日 · 收费调整 · 公示期已结束" in after
    assert "公示中" not in after
    assert "正在公示的公告" not in visible(demo / "jia-he-jin-yuan" / "index.html")
    release = visible(demo / "jia-he-jin-yuan" / "releases" / "2026-h1" / "index.html")
    assert "150.00 元/个·月 自 2026年9月1日 起 180.00 元/个·月" in release  # as of 2026-07-20


def test_votes_say_their_outcome_and_the_threshold_that_applied(demo: Path) -> None:
    page = visible(demo / "jing-yang-hua-yuan" / "votes.html")
    assert "表决结果：未通过" in page
    assert "同意的占参与表决面积 66.7%、占参与人数 66.2%；须各达到四分之三以上：未达到。" in page
    assert "表决结果：通过" in page and "须各超过二分之一：已超过。" in page
    english = visible(demo / "en" / "jing-yang-hua-yuan" / "votes.html")
    assert "Result: not passed" in english and "three quarters" in english


def test_no_output_shows_an_internal_id_where_a_name_exists(demo: Path) -> None:
    """Buildings, votes, contracts and releases are named in words; ids stay in URLs and data files
    (the CSV tables name each row by its ids beside its names, to be joined)."""
    import re

    from pypdf import PdfReader

    site = load_site(REPO)
    ids: set[str] = set()
    written: set[str] = set()  # what the estates wrote themselves is shown as written
    for estate in site.estates:
        for snapshot in estate.releases:
            data = snapshot.data
            ids.add(snapshot.release.id)
            ids |= {b.id for b in data.estate.buildings}
            ids |= {v.id for v in (data.votes.votes if data.votes else [])}
            ids |= {c.id for c in (data.contracts.contracts if data.contracts else [])}
            written |= set(_strings(data.model_dump(mode="json")))
    written -= ids
    pattern = re.compile(
        r"(?<![A-Za-z0-9_-])(" + "|".join(map(re.escape, sorted(ids))) + r")(?![A-Za-z0-9_-])"
    )
    shown: dict[str, str] = {}
    for path in sorted(demo.rglob("*")):
        name = path.relative_to(demo).as_posix()
        if path.suffix in (".html", ".svg"):
            shown[name] = visible(path)
        elif path.suffix == ".pdf":
            shown[name] = "\n".join(p.extract_text() for p in PdfReader(path).pages)
        elif path.name == "feed.xml":
            feed = ET.parse(path).getroot()
            shown[name] = " ".join(
                e.text or ""
                for e in feed.iter()
                if e.tag.rsplit("}")[-1] in ("title", "summary", "content")
            )
    assert len([n for n in shown if n.endswith(".pdf")]) >= 10
    found = {}
    for name, text in shown.items():
        if not pattern.search(text):
            continue
        squashed = name.endswith(".pdf")  # a sheet's lines wrap anywhere: compare without spaces
        text = "".join(text.split()) if squashed else text
        for string in sorted(written, key=len, reverse=True):
            said = "".join(string.split()) if squashed else " ".join(string.split())
            text = text.replace(said, " ")
        if hits := set(pattern.findall(text)):
            found[name] = sorted(hits)
    assert found == {}


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) and len(value) > 3 else []


def dead_links(root: Path) -> list[str]:
    """Every link or source of a page of ``root`` to a file of the site that is not there."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.found += [v for k, v in attrs if k in ("href", "src") and v]

    found: list[str] = []
    for page in sorted(root.rglob("*.html")):
        links = Links()
        links.feed(page.read_text(encoding="utf-8"))
        for value in links.found:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, or a place on this page
            target = (page.parent / unquote(parts.path)).resolve()
            if not (target / "index.html" if target.is_dir() else target).is_file():
                found.append(f"{page.relative_to(root)} → {value}")
    return found


def test_no_page_links_a_file_the_site_has_not(demo: Path, tmp_path: Path) -> None:
    assert any(demo.rglob("sheet.pdf"))
    assert dead_links(demo) == []
    # a website without sheets (--no-pdf) into the same folder: the sheets already there are
    # removed, and no page links one
    import shutil

    out = tmp_path / "site"
    shutil.copytree(demo, out)
    build(REPO, out, None, dt.date.today(), with_pdf=False)
    assert not any(out.rglob("*.pdf"))
    assert dead_links(out) == []


@pytest.mark.parametrize("where", [".", "..", "content", "content/x", "notes"])
def test_a_build_never_replaces_the_site_its_content_or_a_folder_of_other_files(
    site: Site, where: str
) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    (site.root / "notes").mkdir()
    (site.root / "notes" / "会议记录.txt").write_text("业委会会议记录", encoding="utf-8")
    everything = {
        p.relative_to(site.root.parent): p.read_bytes()
        for p in site.root.parent.rglob("*")
        if p.is_file()
    }
    result = CliRunner().invoke(
        main, ["-C", str(site.root), "build", "--no-pdf", "--out", str(site.root / where)]
    )
    assert result.exit_code == 2, result.output
    assert "不能生成到" in result.output and "Traceback" not in result.output
    after = {
        p.relative_to(site.root.parent): p.read_bytes()
        for p in site.root.parent.rglob("*")
        if p.is_file()
    }
    assert after == everything  # not a byte written, moved or removed
    # a folder a build made is replaced by the next build, as before
    out = site.root / "public"
    for _ in range(2):
        result = CliRunner().invoke(
            main, ["-C", str(site.root), "build", "--no-pdf", "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
    assert (out / "manifest.json").is_file()


def test_no_estate_may_take_the_name_of_a_folder_of_the_site(demo: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main
    from generator.paths import SITE_FOLDERS

    estates = {p.name for p in (REPO / "content").iterdir() if p.is_dir()}
    folders = {p.name for p in demo.iterdir() if p.is_dir()}
    assert folders - estates <= SITE_FOLDERS  # every folder the site writes is reserved
    site = tmp_path / "site"
    assert CliRunner().invoke(main, ["init", str(site)]).exit_code == 0
    for taken in sorted(folders - estates):
        result = CliRunner().invoke(main, ["-C", str(site), "new", taken])
        assert result.exit_code == 2 and "与网站自己的目录重名" in result.output, result.output
        (site / "content" / taken).mkdir()
        (site / "content" / taken / "estate.yaml").write_text("name: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(site), "check"])
    said = [line for line in result.output.splitlines() if " I002 " in line]
    assert len(said) == len(folders - estates), result.output

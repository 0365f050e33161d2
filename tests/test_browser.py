"""Built pages in a real Chromium at a cheap phone's size: what a resident must see.

Screenshots land in tests/screenshots/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from generator.pipeline import build, load_site
from generator.serve import Preview, make_server
from generator.views import street_page

from .conftest import REPO, Site

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO / "tests" / "screenshots"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def served(demo_build: Path) -> Iterator[str]:
    out = demo_build
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        "Debian's chromium is needed: bash scripts/setup.sh --test installs it"
    )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield context.new_page()
    context.close()


ESTATE = "jia-he-jin-yuan"
PAGES = {
    "index": "index.html",
    "print": "print.html",
    "street": "street.html",
    "street-overview": "overview/上海市浦东新区周家渡街道.html",
    "compare": "compare/嘉兴市南湖区城南街道.html",
    "street-estates": "streets/嘉兴市南湖区城南街道.html",
    "en-compare": "en/compare/嘉兴市南湖区城南街道.html",
    "contracts": f"{ESTATE}/contracts.html",
    "services": f"{ESTATE}/services.html",
    "revenue": f"{ESTATE}/revenue.html",
    "property-fees": f"{ESTATE}/property-fees.html",
    "notices": f"{ESTATE}/notices.html",
    "history": f"{ESTATE}/history.html",
    "old-release": f"{ESTATE}/releases/2025-h2/index.html",
    "en-overview": f"en/{ESTATE}/index.html",
    "en-fund": f"en/{ESTATE}/fund.html",
    "en-votes": f"en/{ESTATE}/votes.html",
}
# what a resident opens first, for every demo estate (the release page is the sheet's QR code's)
for _estate, _latest in (
    ("jia-he-jin-yuan", "2026-h1"),
    ("jing-yang-hua-yuan", "2026-11"),
    ("yun-lian-xin-cun", "2026-q3"),
):
    for _page in ("index", "fees", "votes", "fund", "changes"):
        PAGES[f"{_estate}-{_page}"] = f"{_estate}/{_page}.html"
    PAGES[f"{_estate}-release"] = f"{_estate}/releases/{_latest}/index.html"
    for _page in ("governance", "evaluations", "complaints", "meetings"):  # who serves, how well
        PAGES[f"{_estate}-{_page}"] = f"{_estate}/{_page}.html"
PAGES["yun-lian-xin-cun-covenant"] = "yun-lian-xin-cun/documents/2026-covenant.html"
PAGES["en-jing-yang-hua-yuan-governance"] = "en/jing-yang-hua-yuan/governance.html"
# the smallest text on a page: every element with text of its own that a person can see
SMALLEST = """Math.min(...[...document.querySelectorAll('body *')].filter(e =>
  [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) &&
  e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden' &&
  !e.closest('.skip, [hidden], details:not([open]) > :not(summary)'))
  .map(e => parseFloat(getComputedStyle(e).fontSize)))"""


def _axe(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_readable_on_a_cheap_phone(served: str, phone: Page, name: str) -> None:
    phone.goto(served + PAGES[name])
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    assert phone.evaluate(SMALLEST) >= 16  # nothing smaller than 16 px, chart labels included
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], (
        "the page scrolls sideways"
    )
    assert _axe(phone) == []


def test_larger_text_without_script_keeps_the_page_on_the_phone(
    browser: Browser, served: str
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for name in ("jia-he-jin-yuan-release", "jia-he-jin-yuan-fund", "jing-yang-hua-yuan-votes"):
        page.goto(served + PAGES[name])
        body = "parseFloat(getComputedStyle(document.body).fontSize)"
        assert page.evaluate(body) == 18
        page.get_by_label("大字").check()
        assert page.evaluate(body) >= 22
        spacing = "parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize)"
        assert page.evaluate(spacing) >= 1.3  # MIIT's age-friendly rules: line spacing at least 1.3
        assert page.evaluate(SMALLEST) >= 20
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(SHOTS / f"big-{name}.png"))
    context.close()


def test_larger_text_is_remembered_where_script_runs(served: str, phone: Page) -> None:
    phone.goto(served + PAGES["jia-he-jin-yuan-index"])
    phone.get_by_label("大字").check()
    phone.goto(served + PAGES["jia-he-jin-yuan-fees"])
    assert phone.get_by_label("大字").is_checked()
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 22


def test_the_release_page_jumps_to_a_section_and_the_fund_page_to_a_building(
    served: str, phone: Page
) -> None:
    phone.goto(served + PAGES["jia-he-jin-yuan-release"])
    toc = phone.get_by_role("navigation", name="本页目录")
    toc.get_by_role("link", name="维修资金").click()
    assert phone.evaluate("document.querySelector('#fund').getBoundingClientRect().top") < 100
    phone.goto(served + PAGES["jia-he-jin-yuan-fund"])
    phone.get_by_role("navigation", name="找到您的楼幢").get_by_role(
        "link", name="5号楼", exact=True
    ).click()
    building = phone.locator("#building-b5")
    assert building.bounding_box()["y"] < 100  # type: ignore[index]
    assert "是首期归集（¥932,844.80）的 55.4%" in building.inner_text()


def test_resident_sees_fees_balance_and_who_to_call(served: str, phone: Page) -> None:
    phone.goto(served + f"{ESTATE}/index.html")
    estate = next(e for e in load_site(REPO).estates if e.id == ESTATE).releases[-1]
    assert phone.locator("h1").inner_text() == estate.data.estate.name
    current = phone.locator("section", has_text="现行收费")
    assert current.is_visible()
    assert "元/㎡·月" in current.inner_text()
    fund = phone.locator("section", has_text="专项维修资金").inner_text()
    assert "¥" in fund and "余额" in fund
    hotline = phone.locator(
        f'footer a[href="tel:{estate.data.estate.firm.hotline.replace("-", "")}"]'
    )
    assert hotline.count() == 1 and hotline.is_visible()  # once, under the firm
    assert phone.get_by_text("发现数字有误？点此纠错").is_visible()
    assert phone.locator(".qr").inner_text().count(estate.sha256[:12]) == 1
    assert estate.release.id not in phone.locator(".release").first.inner_text()
    phone.get_by_role("link", name="本期变更（12 处）").click()
    assert phone.locator("h1").inner_text() == "本期变更"
    assert phone.locator(".diff li").count() > 5


def test_every_page_reads_without_javascript(served: str, browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for e in load_site(REPO).estates:
        estate = e.releases[-1].data.estate
        page.goto(
            served + f"streets/{street_page(estate.city, estate.district, estate.street)}.html"
        )
        assert page.get_by_role("link", name=estate.name).is_visible()
    page.goto(served + f"{ESTATE}/fund.html")
    assert page.locator("table.totals").first.is_visible()
    context.close()


SEARCHES = {  # what a resident types -> the estates (or the notice) it must find, and only those
    "上海": ["云莲新村"],
    "嘉兴市": ["嘉禾锦园"],
    "景阳 花园": ["景阳花园"],
    "jyhy": ["景阳花园"],
    "jingyang": ["景阳花园"],
    "JiaHe": ["嘉禾锦园"],
}


@pytest.mark.parametrize("index", ["index.html", "en/index.html"])
def test_search_finds_by_city_spaces_pinyin_and_notice_title(
    served: str, phone: Page, index: str
) -> None:
    phone.goto(served + index)
    box = phone.locator("#q")
    for typed, wanted in SEARCHES.items():
        box.fill(typed)
        found = phone.locator("#found li.estate")
        found.first.wait_for()
        names = [found.nth(i).locator("a").inner_text() for i in range(found.count())]
        assert names == wanted, typed
    estate = next(e for e in load_site(REPO).estates if e.id == "jing-yang-hua-yuan")
    notice = max(estate.releases[-1].data.notices.values(), key=lambda n: n.date)
    box.fill(notice.title[2:9])  # a piece of the title, as remembered
    hit = phone.locator("#found li.notice", has_text=notice.title)
    hit.wait_for()
    assert "景阳花园" in hit.inner_text()
    hit.locator("a").click()
    assert phone.locator("h1").inner_text() == notice.title
    phone.goto(served + index)
    box.fill("没有这个小区")
    phone.locator("#none").wait_for()
    assert phone.locator("#found li").count() == 0


def test_without_script_the_index_lists_streets_and_each_street_its_estates(
    browser: Browser, served: str
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "index.html")
    assert not page.locator("#q").is_visible()
    page.get_by_role("link", name="城南街道").click()
    page.get_by_role("link", name="嘉禾锦园").click()
    assert page.locator("h1").inner_text() == "嘉禾锦园"
    page.get_by_role("link", name="与同街道、同城市的小区比较物业费、公共收益和维修资金").click()
    section = page.locator("section#jia-he-jin-yuan")
    assert "住宅物业费：2.10 元/㎡·月" in section.inner_text()
    assert (
        "同街道可比的小区不足 6 个，不作比较" in section.inner_text()
    )  # the demo's streets hold one
    context.close()


def test_release_qr_code_decodes_to_its_url(served: str, browser: Browser, tmp_path: Path) -> None:
    assert shutil.which("zbarimg"), "zbar-tools is needed: bash scripts/setup.sh --test installs it"
    context = browser.new_context(viewport={"width": 600, "height": 900})
    page = context.new_page()
    page.goto(served + f"{ESTATE}/index.html")
    page.locator(".qr img").screenshot(path=str(tmp_path / "qr.png"))
    context.close()
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "qr.png")], capture_output=True, text=True
    )
    latest = next(e for e in load_site(REPO).estates if e.id == ESTATE).releases[-1].release.id
    assert decoded.stdout.strip() == f"https://sunshine.example.org/{ESTATE}/releases/{latest}/"


def test_serve_rebuilds_on_save_and_reloads_the_page(site: Site, browser: Browser) -> None:
    (site.root / "site.yaml").write_text(
        (site.root / "site.yaml").read_text(encoding="utf-8") + "show_working_copy: true\n",
        encoding="utf-8",
    )
    preview = Preview(site.root, build, lambda line: None)
    server = make_server(preview, "127.0.0.1", 0)
    stop, watching = threading.Event(), threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=preview.watch_forever, args=(stop, watching), daemon=True).start()
    assert watching.wait(30)
    assert preview.rebuild()
    try:
        page = browser.new_page(viewport=PHONE)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/x/index.html")
        assert page.locator("h1").inner_text() == "测试小区"
        estate = site.estate / "estate.yaml"
        estate.write_text(
            estate.read_text(encoding="utf-8").replace('name: "测试小区"', 'name: "改名小区"'),
            encoding="utf-8",
        )
        page.wait_for_function(
            "document.querySelector('h1').textContent === '改名小区'", timeout=15000
        )
        page.close()
    finally:
        stop.set()
        server.shutdown()


@pytest.mark.parametrize("name", ["old-release", "yun-lian-xin-cun-release"])
def test_a_whole_release_has_one_top_heading_and_no_skipped_levels(
    served: str, phone: Page, name: str
) -> None:
    phone.goto(served + PAGES[name])
    levels = phone.evaluate(
        "[...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]"
        ".map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert phone.locator("h1").inner_text().endswith("公示全文")
    assert phone.locator("#fund > h2").inner_text() == "专项维修资金"


def test_a_resident_finds_who_serves_and_how_well(served: str, phone: Page) -> None:
    """The joint party branch, the 楼道长 unnamed, the 20-item evaluation, the complaints and the
    fee meeting that weighed the service before the price."""
    phone.goto(served + PAGES["yun-lian-xin-cun-index"])
    assert "物业服务四大类 20 个事项现场无记名测评 78.6 分" in phone.locator(
        "section", has_text="服务怎么样"
    ).inner_text().replace("\n", " ")
    phone.get_by_role("link", name="党建和业委会").click()
    branch = phone.locator("section", has_text="云莲居民区物业治理联合党支部").first.inner_text()
    assert "每周二次工作例会" in branch and "居委会、业主委员会、物业服务企业" in branch
    roles = phone.locator("section", has_text="楼道长（8 名，其中党员 6 名）").inner_text()
    assert "邵丽君" in roles and "周宝根" not in roles and "姓名不公开" in roles
    phone.get_by_role("link", name="服务评价").click()
    assert phone.locator("table.scores tbody tr td:first-child").count() == 20
    phone.get_by_role("link", name="会议和接待").click()
    talks = phone.locator("section", has_text="2026 年物业服务费议价会议").inner_text()
    assert "物业服务四大类 20 个事项现场无记名测评，78.6 分" in talks.replace("\n", "")
    phone.get_by_role("link", name="投诉处理").click()
    said = phone.locator("main").inner_text()
    assert "本期每百户受理投诉 7.9 件（全小区 484 户）" in said  # 2026 年第三季度, 38 件
    assert "本期每百户受理投诉 9.7 件（全小区 484 户）" in said  # 第二季度, 47 件

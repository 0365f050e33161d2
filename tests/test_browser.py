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
    "overview": f"{ESTATE}/index.html",
    "fees": f"{ESTATE}/fees.html",
    "contracts": f"{ESTATE}/contracts.html",
    "services": f"{ESTATE}/services.html",
    "fund": f"{ESTATE}/fund.html",
    "revenue": f"{ESTATE}/revenue.html",
    "property-fees": f"{ESTATE}/property-fees.html",
    "votes": f"{ESTATE}/votes.html",
    "notices": f"{ESTATE}/notices.html",
    "history": f"{ESTATE}/history.html",
    "changes": f"{ESTATE}/changes.html",
    "old-release": f"{ESTATE}/releases/2025-h2/index.html",
    "en-overview": f"en/{ESTATE}/index.html",
    "en-fund": f"en/{ESTATE}/fund.html",
}


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
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    smallest = phone.evaluate(
        "Math.min(...[...document.querySelectorAll('main p, main td, main th, main li, main dd, main dt')]"
        ".filter(e => e.offsetParent && e.textContent.trim()).map(e => parseFloat(getComputedStyle(e).fontSize)))"
    )
    assert smallest >= 14  # small print (dates under a line) never below 14 px; body text 18 px
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], (
        "the page scrolls sideways"
    )
    assert _axe(phone) == []


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
    assert hotline.first.is_visible()
    assert phone.get_by_text("发现数字有误？点此纠错").is_visible()
    assert phone.locator(".release").first.inner_text().count(estate.sha256[:12]) == 1
    phone.get_by_role("link", name="本期变更").click()
    assert phone.locator("h1").inner_text() == "本期变更"
    assert phone.locator(".diff li").count() > 5


def test_every_page_reads_without_javascript(served: str, browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "index.html")
    names = [e.releases[-1].data.estate.name for e in load_site(REPO).estates]
    for name in names:
        assert page.get_by_role("link", name=name).is_visible()
    page.goto(served + f"{ESTATE}/fund.html")
    assert page.locator("table.totals").first.is_visible()
    context.close()


def test_search_finds_an_estate_by_street(served: str, phone: Page) -> None:
    phone.goto(served + "index.html")
    estates = load_site(REPO).estates
    target = next(e for e in estates if e.id == "yun-lian-xin-cun").releases[-1].data.estate
    phone.get_by_label("按小区名称、街道或地址查找").fill(target.street)
    visible = phone.locator(".estates li:visible")
    assert visible.count() == sum(
        1 for e in estates if e.releases[-1].data.estate.street == target.street
    )
    assert target.name in visible.first.inner_text()
    phone.get_by_label("按小区名称、街道或地址查找").fill("没有这个小区")
    assert phone.locator(".estates li:visible").count() == 0
    assert phone.get_by_text("没有找到，请换个关键词。").is_visible()


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
    assert preview.rebuild()
    server = make_server(preview, "127.0.0.1", 0)
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=preview.watch_forever, args=(stop,), daemon=True).start()
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


def test_a_whole_release_has_one_top_heading_and_no_skipped_levels(
    served: str, phone: Page
) -> None:
    phone.goto(served + PAGES["old-release"])
    levels = phone.evaluate(
        "[...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]"
        ".map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert phone.locator("h1").inner_text().endswith("公示全文")
    assert phone.locator("#fund > h2").inner_text() == "专项维修资金"

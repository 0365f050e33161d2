"""Noticeboard sheets read back as a person and a scanner would: text, size, QR code, glyphs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from generator.pipeline import build, load_site
from generator.views import fee_now

from .conftest import REPO, Site

A4 = (595.28, 841.89)
A3 = (841.89, 1190.55)
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def text_of(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def body_size(pdf: Path) -> float:
    """The font size (pt) most of the text is set in."""
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes[round(size * tm[3] * cm[3], 1)] += len(text)

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]


def page_size(pdf: Path) -> tuple[float, float]:
    box = PdfReader(pdf).pages[0].mediabox
    return (round(float(box.width), 2), round(float(box.height), 2))


def test_each_release_sheet_carries_estate_release_fees_and_fingerprint(demo_build: Path) -> None:
    for estate in load_site(REPO).estates:
        for number, snapshot in enumerate(estate.releases, start=1):
            sheet = demo_build / estate.id / "releases" / snapshot.release.id / "sheet.pdf"
            text = text_of(sheet)
            assert f"{snapshot.data.estate.name}物业服务信息公示" in text
            assert f"第 {number} 期（" in text and snapshot.release.id not in text
            assert f"本期核验码 {snapshot.sha256[:12]}" in text
            assert snapshot.data.fees is not None
            for fee in snapshot.data.fees.standards:  # as of the release's date
                now = fee_now(fee, snapshot.release.date)
                assert now.current is not None and f"{now.current.period.amount}" in text
            reader = PdfReader(sheet)
            for page_number, page in enumerate(reader.pages, start=1):
                assert f"第 {page_number} 页 / 共 {len(reader.pages)} 页" in page.extract_text()
                assert f"核验码 {snapshot.sha256[:12]}" in page.extract_text()
            assert page_size(sheet) == A4


def test_sheet_body_text_is_at_least_11_pt_on_a4_and_larger_on_a3(
    site: Site, demo_build: Path
) -> None:
    a4 = demo_build / "yun-lian-xin-cun" / "releases" / "2026-q2" / "sheet.pdf"
    assert body_size(a4) >= 11
    site.publish()
    out = build(site.root, None, paper="A3").out
    a3 = out / "x" / "releases" / "2025-h1" / "sheet.pdf"
    assert page_size(a3) == A3
    assert body_size(a3) >= 15


def test_the_qr_code_on_the_sheet_leads_to_its_release(demo_build: Path, tmp_path: Path) -> None:
    assert shutil.which("pdftoppm") and shutil.which("zbarimg"), (
        "bash scripts/setup.sh --test installs poppler-utils and zbar-tools"
    )
    sheet = demo_build / "jia-he-jin-yuan" / "releases" / "2025-h2" / "sheet.pdf"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(sheet), str(tmp_path / "page")],
        check=True,
    )
    (image,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True)
    assert (
        decoded.stdout.strip() == "https://sunshine.example.org/jia-he-jin-yuan/releases/2025-h2/"
    )


def test_combined_street_pdf_holds_every_estate_in_order_on_a4_and_a3(demo_build: Path) -> None:
    streets = sorted((demo_build / "print").glob("*.pdf"))
    assert len(streets) == 3
    for path in streets:
        text = text_of(path)
        estates = [
            e
            for e in load_site(REPO).estates
            if f"{e.releases[-1].data.estate.city}{e.releases[-1].data.estate.district}{e.releases[-1].data.estate.street}.pdf"
            == path.name
        ]
        assert estates
        for e in estates:
            latest = e.releases[-1]
            assert f"{e.releases[-1].data.estate.name}物业服务信息公示" in text
            assert f"核验码 {latest.sha256[:12]}" in text
            alone = demo_build / e.id / "releases" / latest.release.id / "sheet.pdf"
            assert len(PdfReader(alone).pages) <= len(PdfReader(path).pages)
        a3 = demo_build / "print" / "A3" / path.name  # the same pages, enlarged as a copier would
        assert page_size(path) == A4 and page_size(a3) == A3
        assert len(PdfReader(a3).pages) == len(PdfReader(path).pages)
        assert text_of(a3) == text
        contents = PdfReader(a3).pages[0].get_contents()
        assert contents is not None
        scale = float(contents.get_data().split()[1])  # q s 0 0 s 0 0 cm /Sheet Do Q
        assert abs(scale - 2**0.5) < 0.001  # 11 pt body text reads as 15.6 pt
    assert 'href="print/A3/' in (demo_build / "print.html").read_text(encoding="utf-8")


def test_long_ledger_breaks_across_pages_with_repeated_headers(site: Site) -> None:
    entries = "\n".join(
        f"  - {{id: i{n}, date: 2025-03-{1 + n % 28:02d}, category: 利息, amount: 10.00, summary: 第 {n} 笔利息收入}}"
        for n in range(90)
    )
    statement = site.estate / "accounts/maintenance-fund/2025-h1.yaml"
    text = statement.read_text(encoding="utf-8")
    text = text.replace("income:\n", f"income:\n{entries}\n", 1).replace(
        "closing: 913900.00", "closing: 914800.00"
    )
    text = text.replace(
        "income: 9950.00, expenditure: 86000.00, closing: 413950.00",
        "income: 10850.00, expenditure: 86000.00, closing: 414850.00",
    )
    statement.write_text(text, encoding="utf-8")
    assert [d.format() for d in site.check()] == []
    site.publish()
    sheet = build(site.root, None).out / "x" / "releases" / "2025-h1" / "sheet.pdf"
    pages = [p.extract_text() for p in PdfReader(sheet).pages]
    holding = [t for t in pages if "笔利息收入" in t]
    assert len(holding) >= 2
    for page in holding:
        assert "日期 收支 类别 摘要 金额（元）" in page
    found = sorted(
        int(n) for t in holding for n in __import__("re").findall(r"第 (\d+) 笔利息收入", t)
    )
    assert found == list(range(90))  # every row printed once: none cut in half or lost


def _fontconfig(folder: Path, fonts: list[Path]) -> dict[str, str]:
    for font in fonts:
        shutil.copy(font, folder / font.name)
    conf = folder / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{folder}</dir><cachedir>{folder / "cache"}</cachedir></fontconfig>',
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def _build_cli(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(root), "build"],
        capture_output=True,
        text=True,
        env=env,
    )


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _site_with(site: Site, char: str) -> None:
    estate = site.estate / "estate.yaml"
    estate.write_text(
        estate.read_text(encoding="utf-8").replace("name: 王经理", f"name: {char}经理"),
        encoding="utf-8",
    )
    site.publish()


def test_a_rare_character_prints_when_a_font_has_it_and_stops_the_build_when_none_does(
    site: Site, tmp_path: Path
) -> None:
    _site_with(site, "𠮷")
    out = build(site.root, None).out  # Noto CJK has CJK Extension B's 𠮷
    sheet = out / "x" / "releases" / "2025-h1" / "sheet.pdf"
    printed = text_of(sheet)
    assert "𠮷经理" in printed
    # now only fonts without it: a Chinese font cut down to what the sheet uses, less 𠮷
    small = tmp_path / "fonts"
    small.mkdir()
    font = TTFont(NOTO, fontNumber=2, lazy=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    cutter = subset.Subsetter(options)
    cutter.populate(text=printed.replace("𠮷", ""))
    cutter.subset(font)
    font.save(small / "cut.otf")
    before = sheet.read_bytes()
    result = _build_cli(site.root, _fontconfig(small, [DEJAVU]))
    assert result.returncode == 4, result.stderr  # held back: the rest would be built
    assert "T004 错误: 字符“𠮷”（U+20BB7）本机没有任何字体能显示" in result.stdout
    assert (
        "content/x/releases/2025-h1.json" in result.stdout
        and "data.estate.firm.manager.name" in result.stdout
    )
    assert sheet.read_bytes() == before  # the previous build stands


def test_without_a_chinese_font_the_build_stops_naming_the_character(
    site: Site, tmp_path: Path
) -> None:
    site.publish()
    folder = tmp_path / "fonts"
    folder.mkdir()
    result = _build_cli(site.root, _fontconfig(folder, [DEJAVU]))
    assert result.returncode == 1
    assert "本机没有中文字体，公示单会印成方框" in result.stderr
    assert "fonts-noto-cjk" in result.stderr
    assert not (site.root / "build").exists()
    doctor = subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(site.root), "doctor"],
        capture_output=True,
        text=True,
        env=_fontconfig(folder, []),
    )
    assert doctor.returncode == 3
    assert "缺少     中文字体：没有：中文会印成方框" in doctor.stdout
    assert "缺少     内容里的字：本机没有字体能显示" in doctor.stdout


WATCH_LOOKUPS = """
import ctypes.util
ran = []
for name in ("_findLib_gcc", "_findLib_ld"):
    full = getattr(ctypes.util, name)
    setattr(ctypes.util, name, lambda *args, _full=full, _name=name: ran.append(_name) or _full(*args))
from generator.render import pdf
pdf.loaded()
from weasyprint.text import ffi
print(ran, ffi.pango is not None, ffi.harfbuzz_subset is not None, ctypes.util.find_library("m"))
"""


def test_weasyprint_loads_its_libraries_from_the_linker_cache_alone() -> None:
    """Each process that lays out a sheet imports WeasyPrint; it runs no compiler or linker to do it."""
    run = subprocess.run(
        [sys.executable, "-c", WATCH_LOOKUPS], capture_output=True, text=True, check=True, cwd=REPO
    )
    lookups, pango, subsetter, libm = run.stdout.split()
    assert (lookups, pango, subsetter) == ("[]", "True", "True")
    assert libm.startswith("libm.so")  # find_library is itself again afterwards


def flat(pdf: Path) -> str:
    """The sheet's text without spaces or line breaks (lines wrap anywhere in Chinese)."""
    return squash(text_of(pdf))


def squash(text: str) -> str:
    return "".join(text.split())


def test_the_sheet_is_a_formal_notice_with_issuer_date_and_objection_line(demo_build: Path) -> None:
    sheet = demo_build / "jing-yang-hua-yuan" / "releases" / "2026-q3" / "sheet.pdf"
    text = flat(sheet)
    assert (
        squash("景阳花园物业服务信息公示") in text and squash("第 3 期（2026 年第三季度）") in text
    )
    assert squash("公示期：2026年11月2日至2026年11月16日") in text
    assert squash("公示单位：高唐县安居物业服务有限公司、景阳花园物业管理委员会") in text
    assert squash("公示日期：2026年11月2日") in text
    assert (
        squash(
            "如对本公示内容有异议，请于公示期内（至 2026年11月16日）向景阳花园物业管理委员会"
            "（电话 0635-3951207）书面反映；也可向鱼丘湖街道物业管理办公室（电话 0635-3951100）反映。"
        )
        in text
    )
    assert (
        squash("业主表决") in text and squash("表决结果：未通过") in text
    )  # the green space stays green
    assert squash("须各达到四分之三以上：未达到") in text
    assert "jing-yang" not in text and "2026-q3" not in text and "vote-2026-green" not in text


def test_the_sheet_states_fees_and_notices_as_of_its_release_date(demo_build: Path) -> None:
    july = flat(demo_build / "jia-he-jin-yuan" / "releases" / "2026-h1" / "sheet.pdf")
    assert (
        squash("停车费 地面共有车位（86 个） 150.00 元/个·月 市场调节价") in july
    )  # on 2026-07-20
    announced = "已公布调整：停车费 · 地面共有车位（86 个） 自 2026年9月1日 起 180.00 元/个·月，上调 30.00（+20.0%）"
    assert squash(announced) in july
    assert squash("公示期内的公告关于调整地面共有车位租金的公示") in july  # posted 07-15 to 08-31
    november = flat(demo_build / "jing-yang-hua-yuan" / "releases" / "2026-q3" / "sheet.pdf")
    assert squash("停车费 地面共有车位 60.00 元/辆·月 市场调节价") in november  # from 2026-09-01
    assert "已公布调整" not in november
    assert "公示期内的公告" not in november  # the vote's notice was posted until 10-08

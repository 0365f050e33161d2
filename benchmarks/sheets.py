"""Seconds per two-page noticeboard sheet: the generator's path against bare WeasyPrint.

Run: .venv/bin/python benchmarks/sheets.py [--rounds N]

The generator's path is what ``build`` does for each sheet: render the print
template, check every character against the installed fonts, lay out with
WeasyPrint (offline URL fetcher) and write the PDF. Bare WeasyPrint gets the
very same HTML and writes the PDF with its defaults.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import weasyprint
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import build as site_build  # noqa: E402
from generator import fonts, sheets  # noqa: E402
from generator.pipeline import estate_profile, load_site, release  # noqa: E402
from generator.render import pdf  # noqa: E402
from generator.render.html import Theme  # noqa: E402
from generator.scaffold import new_estate  # noqa: E402


def two_page_site(root: Path) -> None:
    """A site whose one estate (the annotated template) prints on two A4 pages."""
    (root / "site.yaml").write_text(
        "title: 基准\nbase_url: https://example.org/\n", encoding="utf-8"
    )
    (root / "content").mkdir()
    folder = new_estate(root, "bench", "基准小区")
    for path in (folder / "notices").glob(
        "*.md"
    ):  # the template's notice is not in its posting period
        path.unlink()
    (folder / "accounts" / "property-fees" / "2024.yaml").unlink()
    (folder / "accounts" / "public-revenue" / "2025-h1.yaml").unlink()
    (folder / "accounts" / "maintenance-fund" / "2025-h1.yaml").unlink()
    release(
        root, "bench", dt.date(2025, 7, 10), "2025-h1", (dt.date(2025, 7, 10), dt.date(2025, 7, 24))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        two_page_site(root)
        site = load_site(root)
        assert site.config is not None
        pages = site_build.estate_pages(site.estates[0], site.config)
        view = pages.views[0]
        theme = Theme(root, site.config.theme, "zh-CN")
        profile = estate_profile(site, site.estates[0])
        html = sheets.sheet_html(theme, site.config, pages, view, "A4", profile, view.day)
        warm = pdf.pdf([pdf.document(html)])
        count = len(PdfReader(__import__("io").BytesIO(warm)).pages)
        weasyprint.HTML(string=html).write_pdf()

        def ours() -> bytes:
            page_html = sheets.sheet_html(theme, site.config, pages, view, "A4", profile, view.day)  # type: ignore[arg-type]
            sheets.check_glyphs(page_html, view, "bench")
            return pdf.pdf([pdf.document(page_html)])

        def bare() -> bytes:
            data: bytes = weasyprint.HTML(string=html).write_pdf()
            return data

        timings: dict[str, list[float]] = {"generator": [], "bare WeasyPrint": []}
        for _ in range(args.rounds):
            for name, fn in (("generator", ours), ("bare WeasyPrint", bare)):
                start = time.perf_counter()
                fn()
                timings[name].append(time.perf_counter() - start)
    print(
        f"sheet: {count} A4 pages; HarfBuzz subsetting: {'yes' if fonts.harfbuzz_subset_available() else 'NO (fontTools fallback)'}; rounds: {args.rounds}"
    )
    print(f"{'path':<18}{'median s/sheet':>16}{'min s/sheet':>14}")
    for name, values in timings.items():
        print(f"{name:<18}{statistics.median(values):>16.3f}{min(values):>14.3f}")
    ratio = statistics.median(timings["generator"]) / statistics.median(timings["bare WeasyPrint"])
    print(f"overhead: {ratio:.2f}x bare WeasyPrint (target: at most 1.20x)")


if __name__ == "__main__":
    main()

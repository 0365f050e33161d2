"""Seconds to import (and export) a workbook of 15 buildings and 4 periods of every account.

Run: .venv/bin/python benchmarks/workbook.py [--rounds N]

The estate is the demo's 嘉禾锦园 (15 buildings), given a fourth period of
the maintenance fund, of public revenue and of property fees through the
workbook, as a clerk would add them. The import is timed whole: reading the
file, building and checking the data (model, rules, audit against the latest
release), the diff, and writing the changed YAML files. The command's time
adds Python's start and the imports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.workbook import apply_import, export_estate, plan_import  # noqa: E402

ESTATE = "jia-he-jin-yuan"


def fourth_periods(book: openpyxl.Workbook) -> None:
    """2026-h2 of the fund and of public revenue, 2026 of property fees."""
    fund = book["维修资金"]
    fund.append(["2026-h2", "期初余额", dt.date(2026, 7, 1), None, None, 15860438.67])
    fund.append(["2026-h2", "收入", dt.date(2026, 12, 21), "mf-2026-h2-01", "利息", 96000, "利息"])
    fund.append(["2026-h2", "期末余额", dt.date(2026, 12, 31), None, None, 15956438.67])
    accounts = book["维修资金分幢"]
    rows = [r for r in accounts.iter_rows(min_row=2, values_only=True) if r[0] == "2026-h1"]
    for row in rows:
        accounts.append(["2026-h2", row[1], row[5], 6400, 0, round(row[5] + 6400, 2)])
    revenue = book["公共收益"]
    revenue.append(["2026-h2", "期初余额", dt.date(2026, 7, 1), None, None, 261778.34])
    revenue.append(
        ["2026-h2", "收入", dt.date(2026, 12, 31), "pr-2026-h2-01", "停车", 70000, "停车"]
    )
    revenue.append(["2026-h2", "期末余额", dt.date(2026, 12, 31), None, None, 331778.34])
    fees = book["物业费收支"]
    last = [c.value for c in fees[fees.max_row]]
    fees.append(
        [
            "2026",
            dt.date(2026, 1, 1),
            dt.date(2026, 12, 31),
            *last[3:5],
            last[12],
            0,
            "按比例",
            10,
            0,
            None,
            0,
            last[12],
        ]
    )
    lines = book["物业费明细"]
    lines.append(
        ["2026", "应收实收", "residential", None, "高层住宅", 181893.24, 100, 100, None, None]
    )
    lines.append(["2026", "支出", None, None, "人员费用", None, 100, None, None, None])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "base").mkdir()
        for name in ("site.yaml", "content", "schemas"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, work / "base" / name)
        started = time.perf_counter()
        exported = export_estate(work / "base", ESTATE, work / "export.xlsx")
        export_seconds = time.perf_counter() - started
        book = openpyxl.load_workbook(exported)
        fourth_periods(book)
        book.save(work / "filled.xlsx")
        seconds = []
        for n in range(args.rounds):
            site = work / f"site-{n}"
            shutil.copytree(work / "base", site)
            started = time.perf_counter()
            plan = plan_import(site, ESTATE, work / "filled.xlsx")
            assert not plan.failed, [d.format() for d in plan.diagnostics]
            written = apply_import(plan)
            seconds.append(time.perf_counter() - started)
        site = work / "site-cli"
        shutil.copytree(work / "base", site)
        started = time.perf_counter()
        command = [
            str(ROOT / ".venv/bin/sunshine"),
            "-C",
            str(site),
            "import",
            ESTATE,
            str(work / "filled.xlsx"),
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        command_seconds = time.perf_counter() - started
    print(f"workbook: 15 buildings, 4 periods of each account; {len(written)} files written")
    print(f"export: {export_seconds:.3f} s")
    print(
        f"import (read, check, diff, write): first {seconds[0]:.3f} s, median {statistics.median(seconds):.3f} s of {args.rounds}"
    )
    print(f"sunshine import, the whole command: {command_seconds:.3f} s")


if __name__ == "__main__":
    main()

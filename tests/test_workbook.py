"""The workbook round trip: export the demo estates, open the files as Excel and WPS would, import them back."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from generator.cli import main
from generator.pipeline import check
from generator.workbook import apply_import, export_estate, plan_import
from generator.workbook.cells import convert
from generator.workbook.export import FORMATS
from generator.workbook.spec import EXPORTED, SHEETS

from .conftest import REPO

DEMOS = ("jia-he-jin-yuan", "jing-yang-hua-yuan", "yun-lian-xin-cun")
ESTATE = "jia-he-jin-yuan"


def demo_site(root: Path) -> Path:
    """A writable copy of the demo site."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("site.yaml", "content", "schemas"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    return root


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "content").rglob("*"))
        if p.is_file()
    }


def import_(root: Path, file: Path, *more: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), "import", ESTATE, str(file), *more])
    return result.exit_code, result.output


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return demo_site(tmp_path / "site")


@pytest.fixture
def exported(site: Path) -> Path:
    return export_estate(site, ESTATE, site / "嘉禾锦园.xlsx")


def edit(source: Path, target: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    """Open a workbook, change it as a clerk would, save it under another name."""
    book = openpyxl.load_workbook(source)
    change(book)
    book.save(target)
    return target


# ---- export --------------------------------------------------------------------------------


@pytest.mark.parametrize("estate", DEMOS)
def test_export_has_every_sheet_with_titles_drop_downs_formats_and_frozen_titles(
    tmp_path: Path, estate: str
) -> None:
    path = export_estate(REPO, estate, tmp_path / f"{estate}.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["说明", *(s.name for s in SHEETS)]
    for sheet in SHEETS:
        ws = book[sheet.name]
        assert [c.value for c in ws[1]] == [c.title for c in sheet.columns]
        assert ws.freeze_panes in ("B2", "C2")
        lists = {
            str(r.sqref).split(":")[0][:-1]: r.formula1 for r in ws.data_validations.dataValidation
        }
        for i, column in enumerate(sheet.columns, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            assert ws.column_dimensions[letter].number_format == FORMATS.get(column.kind, "@")
            if column.choices:
                assert lists[letter] == '"' + ",".join(column.choices) + '"', column.title
            for row in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                if column.kind == "money" and isinstance(row[0].value, int | float):
                    assert row[0].number_format == "#,##0.00"
    calamine = CalamineWorkbook.from_path(str(path))
    assert calamine.sheet_names == book.sheetnames
    fund = calamine.get_sheet_by_name("维修资金").to_python()
    assert fund[0][:6] == ["期次", "类型", "日期", "编号", "类别", "金额（元）"]
    assert fund[1][:3] == ["2025-h1", "期初余额", dt.date(2025, 1, 1)]


def test_export_protects_published_periods_and_titles_and_leaves_the_rest_open(
    exported: Path,
) -> None:
    ws = openpyxl.load_workbook(exported)["维修资金"]
    assert ws.protection.sheet and not ws.protection.password
    assert ws["A1"].protection.locked
    periods = {row[0].value: row[0].protection.locked for row in ws.iter_rows(min_row=2)}
    # 2025-h1 … 2026-h1 are in releases/2025-h2.json and 2026-h1.json: published, read-only
    assert periods == {"2025-h1": True, "2025-h2": True, "2026-h1": True}
    assert ws.column_dimensions["A"].protection.locked is False  # rows for a new period are open
    assert ws["A2"].fill.fgColor.rgb.endswith("E7E6E6")


def test_export_guide_explains_every_column(exported: Path) -> None:
    ws = openpyxl.load_workbook(exported)["说明"]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(values_only=False)]
    explained = {(r[0], r[1]) for r in rows if r[0] in {s.name for s in SHEETS}}
    assert explained == {(s.name, c.title) for s in SHEETS for c in s.columns}
    notes = {(r[0], r[1]): r[3] for r in rows if r[0] == "楼栋"}
    assert notes[("楼栋", "建筑面积（㎡）")] == "建筑面积（㎡）；面积（㎡），最多两位小数（选填）"
    assert notes[("楼栋", "电梯")].endswith("从下拉列表选：是、否（选填）")


def test_text_that_looks_like_a_formula_is_exported_as_text(site: Path) -> None:
    votes = site / "content" / ESTATE / "votes.yaml"
    hostile = """\
  - id: vote-2026-x
    date: 2026-09-30
    matter: 测试
    kind: 其他
    method: "=HYPERLINK(\\"http://x\\")"
    total: {area: 1.00, headcount: 1}
    participating: {area: 1.00, headcount: 1}
    approving: {area: 1.00, headcount: 1}
"""
    votes.write_text(votes.read_text(encoding="utf-8") + hostile, encoding="utf-8")
    path = export_estate(site, ESTATE, site / "x.xlsx")
    cell = openpyxl.load_workbook(path)["业主表决"]["F6"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")
    before = tree_bytes(site)
    assert import_(site, path)[0] == 0
    assert tree_bytes(site) == before


# ---- import: round trip and a clerk's edits --------------------------------------------------


@pytest.mark.parametrize("estate", DEMOS)
def test_import_of_an_unchanged_export_changes_no_byte(tmp_path: Path, estate: str) -> None:
    site = demo_site(tmp_path / "site")
    before = tree_bytes(site)
    plan = plan_import(site, estate, export_estate(site, estate, tmp_path / "x.xlsx"))
    assert [d.format() for d in plan.diagnostics if d.fails()] == []  # check's warnings may stand
    assert (plan.changes, plan.writes, plan.removes) == ([], {}, [])
    apply_import(plan)
    assert tree_bytes(site) == before


def clerk_edits(book: openpyxl.Workbook) -> None:
    """A new half-year of the fund, a building's area corrected, a new vote."""
    fund = book["维修资金"]
    fund.append(["2026-h2", "期初余额", dt.date(2026, 7, 1), None, None, 15860438.67])
    fund.append(
        [
            "2026-h2",
            "收入",
            dt.date(2026, 11, 21),
            "mf-2026-h2-01",
            "利息",
            96000,
            "2026 年下半年专户利息",
        ]
    )
    fund.append(["2026-h2", "期末余额", dt.date(2026, 12, 31), None, None, "15,956,438.67"])
    accounts = book["维修资金分幢"]
    closings = [
        (r[1], r[5]) for r in accounts.iter_rows(min_row=2, values_only=True) if r[0] == "2026-h1"
    ]
    for building, closing in closings:
        accounts.append(["2026-h2", building, closing, 6400, 0, round(closing + 6400, 2)])
    for row in book["楼栋"].iter_rows(min_row=2):
        if row[0].value == "b3":
            row[6].value = 11700.5
    book["业主表决"].append(
        ["vote-2026-garage", dt.date(2026, 9, 30), "地下车库照明改造", "其他", None, "书面征求意见",
         187373.84, 1866, 150000, 1500, 120000, 1200, None]
    )  # fmt: skip
    book["更正"].append(  # the area was published: its change is a correction, announced
        ["fix-b3-area", dt.date(2026, 8, 10), "estate.buildings.b3.floor_area", "11652.32", "11700.50",
         "3号楼建筑面积按不动产登记更正", "2026-08-10-vote-scope-correction"]
    )  # fmt: skip


def test_import_of_a_clerks_edits_makes_exactly_those_changes_and_passes_check(
    site: Path, exported: Path
) -> None:
    edited = edit(exported, site / "填好的.xlsx", clerk_edits)
    before = tree_bytes(site)
    code, output = import_(site, edited)
    assert code == 0, output
    assert output.splitlines()[:4] == [
        f"{ESTATE}：当前数据 → {edited}，4 处变更",
        "~ 变更  基本情况 · 3号楼 · 建筑面积：11,652.32 → 11,700.50（增加 48.18，+0.4%）",
        "+ 新增  业主表决 · 地下车库照明改造",
        "+ 新增  专项维修资金 · 新的一期：2026 年下半年，期初 15,860,438.67 元，期末 15,956,438.67 元",
    ]  # and the correction, on the next line
    after = tree_bytes(site)
    estate = f"content/{ESTATE}"
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed == {
        f"{estate}/{name}"
        for name in (
            "estate.yaml",
            "votes.yaml",
            "corrections.yaml",
            "accounts/maintenance-fund/2026-h2.yaml",
        )
    }
    old, new = (t[f"{estate}/estate.yaml"].decode().splitlines() for t in (before, after))
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        (
            "  - {id: b3, name: 3号楼, kind: 高层, floors: 26, lift: true, households: 104, floor_area: 11652.32, fund_initial_deposit: 932185.60}",
            "  - {id: b3, name: 3号楼, kind: 高层, floors: 26, lift: true, households: 104, floor_area: 11700.50, fund_initial_deposit: 932185.60}",
        )
    ]  # every comment of estate.yaml kept, the entry kept on its line
    votes = after[f"{estate}/votes.yaml"].decode()
    assert votes.startswith(before[f"{estate}/votes.yaml"].decode())
    assert votes.endswith(
        "    total: {area: 187373.84, headcount: 1866}\n    participating: {area: 150000.00, headcount: 1500}\n    approving: {area: 120000.00, headcount: 1200}\n"
    )
    fund = after[f"{estate}/accounts/maintenance-fund/2026-h2.yaml"].decode()
    assert fund.startswith(
        "# yaml-language-server: $schema=../../../../schemas/maintenance-fund.schema.json\n\nperiod: {from: 2026-07-01, to: 2026-12-31}\nopening: 15860438.67\n"
    )
    assert (
        "  - {building: b3, opening: 520459.84, income: 6400.00, expenditure: 0.00, closing: 526859.84}\n"
        in fund
    )
    assert [d for d in check(site) if d.fails()] == []
    # the files written read back as the workbook: importing it again changes nothing
    assert plan_import(site, ESTATE, edited).writes == {}


BIKE_VOTE = """\
  - id: vote-2026-bike
    date: 2026-10-18
    matter: 在 3 号楼北侧加装电动自行车充电棚
    kind: 其他
    method: 书面征求意见
    total: {area: 187373.84, headcount: 1866}
    participating: {area: 151274.18, headcount: 1329}
    approving: {area: 98462.40, headcount: 861}
"""


def _garage_renamed(book: openpyxl.Workbook) -> None:
    for row in book["业主表决"].iter_rows(min_row=2):
        if row[0].value == "vote-2026-garage":
            row[2].value = "地下车库照明和排风改造"


def test_an_item_changed_elsewhere_since_the_export_is_not_overwritten_unseen(
    site: Path, exported: Path
) -> None:
    votes = site / "content" / ESTATE / "votes.yaml"
    votes.write_text(votes.read_text(encoding="utf-8") + BIKE_VOTE, encoding="utf-8")
    # the vote written into the YAML after the export: importing the workbook would remove it
    assert refused(site, exported) == [
        f"{exported}!业主表决: W013 错误: “业主表决”表的 vote-2026-bike 在导出这份工作簿之后被别处改过（改了 YAML 文件，或导入了另一份工作簿），导回会把那次改动冲掉：请重新导出（sunshine export {ESTATE} -o 新文件.xlsx），把这份工作簿里的修改抄过去再导回"
    ]
    # a workbook exported after it, imported, edited again and imported again: its own changes
    fresh = export_estate(site, ESTATE, site / "新.xlsx")
    first = edit(fresh, site / "第一次.xlsx", clerk_edits)
    assert import_(site, first)[0] == 0
    second = edit(first, site / "第二次.xlsx", _garage_renamed)
    code, output = import_(site, second)
    assert code == 0, output
    assert "地下车库照明和排风改造" in (votes.read_text(encoding="utf-8"))
    assert "vote-2026-bike" in votes.read_text(encoding="utf-8")
    # the workbook exported before those imports, never imported, would undo them: it is told so
    found = refused(site, fresh)
    assert {line.split(": W013 错误: ")[1].split(" 在导出")[0] for line in found} == {
        "“楼栋”表的 b3",
        "“业主表决”表的 vote-2026-garage",
        "“维修资金”表的 2026-h2",
        "“维修资金分幢”表的 2026-h2",
        "“维修资金转账”表的 2026-h2",
        "“更正”表的 fix-b3-area",
    }


@pytest.mark.parametrize(
    "held", ['{"export":"../../../../x","items":{}}', "{not json", '{"export":"0123456789abcdef"}']
)
def test_a_forged_or_broken_export_row_is_no_export_row(
    site: Path, exported: Path, held: str
) -> None:
    def forge(book: openpyxl.Workbook) -> None:
        guide = book["说明"]
        for row in guide.iter_rows():
            if row[0].value == EXPORTED:
                row[1].value = held

    forged = edit(exported, site / "改过.xlsx", forge)
    before = tree_bytes(site)
    code, output = import_(site, forged)
    assert code == 0, output  # judged as a workbook that says nothing of its export
    assert tree_bytes(site) == before
    assert not list(site.parent.rglob("x")) and not (site / ".sunshine-cache" / "imports").exists()


def test_dry_run_shows_the_changes_and_writes_nothing(site: Path, exported: Path) -> None:
    edited = edit(exported, site / "填好的.xlsx", clerk_edits)
    before = tree_bytes(site)
    code, output = import_(site, edited, "--dry-run")
    assert code == 0, output
    assert "4 处变更" in output and "没有写入任何文件（--dry-run）" in output
    assert tree_bytes(site) == before


# ---- cells: amounts never through a float ----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "cell", "value"),
    [
        ("money", 0.1 + 0.2, Decimal("0.3")),  # a sum's binary artefact: Excel's 15 digits hold 0.3
        ("money", 1234.5, Decimal("1234.5")),
        ("money", "1,234.50", Decimal("1234.50")),
        ("money", " １,２３４.５０ ", Decimal("1234.50")),  # full-width digits from a Chinese IME
        ("money", 1234.567, Decimal("1234.567")),  # the model refuses it: more than two places
        ("money", 100 / 3, Decimal("33.3333333333333")),
        ("money", "1,23.4", "1,23.4"),  # not a number: passed on for the model to refuse
        ("money", "¥12", "¥12"),
        ("count", 18.0, 18),
        ("count", "18", 18),
        ("count", 18.5, 18.5),
        ("date", dt.datetime(2026, 7, 1), dt.date(2026, 7, 1)),
        ("date", "2026/7/1", dt.date(2026, 7, 1)),
        ("date", "2026年7月1日", dt.date(2026, 7, 1)),
        ("date", dt.datetime(2026, 7, 1, 12, 30), dt.datetime(2026, 7, 1, 12, 30)),
        ("date", 46191.0, 46191),  # a date cell formatted 常规: its day number, explained by check
        ("text", 12345.0, "12345"),
        ("text", dt.date(2020, 1, 1), "2020-01-01"),
        ("id", 2024.0, "2024"),
        ("ids", "b3、b5", ["b3", "b5"]),
        ("bool", "是", True),
        ("bool", "有", True),  # 电梯：有
        ("bool", "无", False),
        ("bool", 1.0, True),  # an .ods boolean, as python-calamine reads it
    ],
)
def test_a_cell_becomes_the_value_a_yaml_file_would_hold(
    kind: str, cell: object, value: object
) -> None:
    converted = convert(kind, cell)  # type: ignore[arg-type]
    assert converted == value and type(converted) is type(value)


def test_dates_read_the_same_in_the_1904_date_system(site: Path, exported: Path) -> None:
    def to_1904(book: openpyxl.Workbook) -> None:
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904

    edited = edit(exported, site / "mac.xlsx", to_1904)
    assert openpyxl.load_workbook(edited).epoch == openpyxl.utils.datetime.CALENDAR_MAC_1904
    plan = plan_import(site, ESTATE, edited)
    assert (plan.diagnostics, plan.changes) == ([], [])


def test_a_rate_typed_as_a_percentage_in_excel_reads_as_the_percentage_it_shows(
    site: Path, exported: Path
) -> None:
    def typed_as_percent(book: openpyxl.Workbook) -> None:
        sheet = book["物业费收支"]
        titles = [c.value for c in sheet[1]]
        column = titles.index("酬金比例（%）") + 1
        rates = [row[column - 1] for row in sheet.iter_rows(min_row=2) if row[column - 1].value]
        assert rates and all(cell.value == 10 for cell in rates)
        for cell in rates:  # typing 10% into the cell: Excel keeps 0.1 and shows 10%
            cell.value, cell.number_format = 0.1, "0%"

    edited = edit(exported, site / "百分比.xlsx", typed_as_percent)
    plan = plan_import(site, ESTATE, edited)
    assert (plan.diagnostics, plan.changes, plan.writes) == ([], [], {})  # 10, not 0.1


def test_a_sheet_the_import_does_not_read_is_named_and_said_not_imported(
    site: Path, exported: Path
) -> None:
    def copied_and_summed(book: openpyxl.Workbook) -> None:
        copy = book.copy_worksheet(book["维修资金"])
        copy.title = "维修资金 (2)"
        copy.append(["2026-h2", "收入", dt.date(2026, 8, 1), "mf-x", "利息", 100, "利息"])
        book.create_sheet("汇总")["A1"] = "合计"
        book.create_sheet("空表")  # nothing in it: nothing to say

    edited = edit(exported, site / "多了工作表.xlsx", copied_and_summed)
    plan = plan_import(site, ESTATE, edited)
    said = {str(d.location): (d.code, d.message) for d in plan.diagnostics}
    assert sorted(said) == sorted([f"{edited}!维修资金 (2)", f"{edited}!汇总"])
    code, message = said[f"{edited}!维修资金 (2)"]
    assert code == "W011" and "是不是“维修资金”的副本" in message and "没有导入" in message
    assert said[f"{edited}!汇总"][0] == "W011"
    assert plan.changes == []


# ---- bad workbooks: each located, and no file changed ----------------------------------------


def check_says(tmp: Path, relative: str, text: str, code: str) -> list[str]:
    """What check says about the same problem written in YAML: the messages of one code."""
    site = demo_site(tmp / "yaml")
    path = site / "content" / ESTATE / relative
    path.write_text(
        (path.read_text(encoding="utf-8") if path.exists() else "") + text, encoding="utf-8"
    )
    return [d.message for d in check(site) if d.code == code and d.location.file.endswith(relative)]


def refused(site: Path, file: Path) -> list[str]:
    """The diagnostics of an import that must fail and leave every file as it was."""
    before = tree_bytes(site)
    code, output = import_(site, file)
    assert code == 1, output
    assert output.splitlines()[-1] == "有错误，没有改动任何文件"
    assert tree_bytes(site) == before
    return [line for line in output.splitlines() if " 错误: " in line or " 提示: " in line]


def in_column(said: str, title: str) -> str:
    """What check says of a field, said of the workbook's column: the same words after it."""
    field, words = said.split("：", 1)
    assert "（" in field or "." in field, said  # check's own: the field's path in its file
    return f"“{title}”：{words}"


def new_half_year(closing: object) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        fund = book["维修资金"]
        fund.append(["2026-h2", "期初余额", dt.date(2026, 7, 1), None, None, 15860438.67])
        fund.append(
            ["2026-h2", "收入", dt.date(2026, 8, 1), "mf-2026-h2-01", "利息", "十万元", "利息"]
        )
        fund.append(["2026-h2", "期末余额", dt.date(2026, 12, 31), None, None, closing])

    return change


def test_text_in_an_amount_cell_and_three_decimals_are_refused_as_check_refuses_them(
    site: Path, exported: Path, tmp_path: Path
) -> None:
    bad = edit(exported, site / "坏.xlsx", new_half_year("1,234.567"))
    statement = """\
period: {from: 2026-07-01, to: 2026-12-31}
opening: 15860438.67
income:
  - {id: mf-2026-h2-01, date: 2026-08-01, category: 利息, amount: 十万元, summary: 利息}
closing: 1234.567
"""
    said = check_says(tmp_path, "accounts/maintenance-fund/2026-h2.yaml", statement, "S004")
    assert len(said) == 2
    assert refused(site, bad) == [
        f"{bad}!维修资金!F19: S004 错误: {in_column(said[0], '金额（元）')}",
        f"{bad}!维修资金!F20: S004 错误: {said[1]}",  # a period's own: “closing（期末余额）”
    ]


def test_a_merged_title_is_refused(site: Path, exported: Path) -> None:
    bad = edit(exported, site / "坏.xlsx", lambda book: book["楼栋"].merge_cells("A1:B1"))
    assert refused(site, bad) == [
        f"{bad}!楼栋!A1: W002 错误: 标题行有合并的单元格 A1:B1：请取消合并，每列一个标题"
    ]


def test_merged_cells_in_the_rows_are_named_before_the_rows_they_empty(
    site: Path, exported: Path
) -> None:
    def merge_periods(book: openpyxl.Workbook) -> None:
        fund = book["维修资金"]
        assert fund["A2"].value == fund["A3"].value  # a period's rows repeat it
        fund.merge_cells("A2:A3")

    bad = edit(exported, site / "合并.xlsx", merge_periods)
    said = refused(site, bad)
    merged = f"{bad}!维修资金!A2: W012 错误: A2:A3 是合并的单元格：合并后只有左上角 A2 有值，其余格子读作空白。请取消合并，在每一行都填上"
    assert merged in said
    emptied = [i for i, line in enumerate(said) if f"{bad}!维修资金!A3: " in line]
    assert emptied and said.index(merged) < emptied[0]  # said before what it causes


def test_a_missing_sheet_is_refused(site: Path, exported: Path) -> None:
    def drop(book: openpyxl.Workbook) -> None:
        del book["公共收益"]

    bad = edit(exported, site / "坏.xlsx", drop)
    assert refused(site, bad) == [
        f"{bad}: W001 错误: 缺少工作表“公共收益”：请用 sunshine export 导出的工作簿填写，不要删除或改名工作表"
    ]


def test_a_renamed_column_is_refused_with_the_title_it_should_have(
    site: Path, exported: Path
) -> None:
    def rename(book: openpyxl.Workbook) -> None:
        book["楼栋"]["G1"] = "面积"

    bad = edit(exported, site / "坏.xlsx", rename)
    assert refused(site, bad) == [
        f"{bad}!楼栋!G1: W002 错误: 不认识的列标题“面积”（是不是“建筑面积（㎡）”？）：列标题要与导出时相同",
        f"{bad}!楼栋!A1: W002 错误: 缺少列“建筑面积（㎡）”：请不要删除或改名列标题",
    ]


def test_an_edit_to_a_published_period_is_refused_at_its_cell(site: Path, exported: Path) -> None:
    def rewrite(book: openpyxl.Workbook) -> None:
        fund = book["维修资金"]
        fund["F7"] = 1000  # 2025-h2's interest, published by releases 2025-h2 and 2026-h1
        fund.insert_rows(8)  # and a line slipped into the published half-year
        for column, value in enumerate(
            ["2025-h2", "收入", dt.date(2025, 9, 1), "mf-2025-h2-99", "利息", 1, "补记"], 1
        ):
            fund.cell(8, column, value)

    bad = edit(exported, site / "坏.xlsx", rewrite)
    found = refused(site, bad)
    # a changed and an added line of a published half-year: what check calls them, at their cells
    assert sorted(line.split(" 错误: ")[0] for line in found if "H001" in line) == [
        f"{bad}!维修资金!A8: H001",
        f"{bad}!维修资金!F7: H001",
    ]


def test_rows_that_belong_nowhere_are_refused(site: Path, exported: Path) -> None:
    def stray(book: openpyxl.Workbook) -> None:
        book["维修资金分幢"].append(["2027-h1", "b1", 1, 0, 0, 1])
        book["维修资金"].append(["2026-h2", "利息", dt.date(2026, 8, 1)])

    bad = edit(exported, site / "坏.xlsx", stray)
    assert refused(site, bad) == [
        f"{bad}!维修资金!A18: S001 错误: 这一期缺少“期初余额”“期末余额”行：每期要有一行期初余额、一行期末余额",
        f"{bad}!维修资金!A18: S001 错误: 这一期缺少“期初余额”行：每期要有一行期初余额、一行期末余额",
        f"{bad}!维修资金!A18: S001 错误: 这一期缺少“期末余额”行：每期要有一行期初余额、一行期末余额",
        f"{bad}!维修资金!B18: W009 错误: 类型 '利息' 不是 期初余额、收入、支出、期末余额 之一",
        f"{bad}!维修资金分幢!A47: W008 错误: 维修资金分幢：期次 '2027-h1' 不在维修资金表中",
    ]


def test_an_empty_required_cell_is_located_at_that_cell(
    site: Path, exported: Path, tmp_path: Path
) -> None:
    def vote(book: openpyxl.Workbook) -> None:
        book["业主表决"].append(
            ["vote-x", dt.date(2026, 9, 30), None, "其他", None, None, 1, 1, 1, 1, 1, 1, None]
        )

    bad = edit(exported, site / "坏.xlsx", vote)
    # in the workbook's words, not a YAML file's ("请在 votes[4] 下加一行 matter: …")
    assert refused(site, bad) == [f"{bad}!业主表决!C6: S001 错误: “表决事项”是必填的：请填上这一格"]


def test_a_building_written_by_its_name_is_told_its_id_in_the_workbooks_words(
    site: Path, exported: Path
) -> None:
    def vote(book: openpyxl.Workbook) -> None:
        book["业主表决"].append(
            ["vote-x", dt.date(2026, 9, 30), "1号楼电梯更新", "使用维修资金", "1号楼、2幢", "书面"]
            + [9216.48, 72] * 3
        )

    bad = edit(exported, site / "坏.xlsx", vote)
    # at the cell, by its column's title, with the id from the 楼栋 sheet; the votes that did
    # pass are not taken for removed (no correction is said to state no change)
    assert refused(site, bad) == [
        f"{bad}!业主表决!E6: I001 错误: “表决楼幢”：“1号楼”是楼幢“1号楼”吧？这里要写楼幢的编号，请写成 b1（编号见“楼栋”表的楼幢编号）",
        f"{bad}!业主表决!E6: I001 错误: “表决楼幢”：“2幢”是楼幢“2号楼”吧？这里要写楼幢的编号，请写成 b2（编号见“楼栋”表的楼幢编号）",
    ]
    assert "2 个错误，0 个警告" in import_(site, bad)[1].splitlines()


def test_a_gbk_csv_of_one_sheet_is_read_and_located(site: Path, exported: Path) -> None:
    rows = [
        [c.value for c in row] for row in openpyxl.load_workbook(exported)["业主表决"].iter_rows()
    ]
    new = [
        "vote-2026-garage",
        "2026/9/30",
        "地下车库照明改造",
        "其他",
        "",
        "书面征求意见",
        "187,373.84",
        "1866",
    ]
    rows.append([*new, "150000", "1500", "120000", "1200", ""])
    good = site / "业主表决.csv"  # Excel's and WPS's "CSV (逗号分隔)" on a Chinese Windows is GBK
    with good.open("w", encoding="gbk", newline="") as out:
        csv.writer(out).writerows(rows)
    plan = plan_import(site, ESTATE, good, "业主表决.csv")
    assert [d.format() for d in plan.diagnostics] == [
        "业主表决.csv:1:1: W010 提示: 按 GBK 编码读取（Excel、WPS 在中文 Windows 上保存 CSV 的默认编码）"
    ]
    assert [line.text() for line in plan.lines] == ["+ 新增  业主表决 · 地下车库照明改造"]
    rows[-1][7] = "许多"
    bad = site / "表决.csv"  # not named after its sheet: known by its titles
    with bad.open("w", encoding="gbk", newline="") as out:
        csv.writer(out).writerows(rows)
    tally = "{area: 1, headcount: 1}"
    yaml_vote = f"  - {{id: vote-x, date: 2026-09-30, matter: x, kind: 其他, total: {{area: 1, headcount: 许多}}, participating: {tally}, approving: {tally}}}\n"
    (said,) = check_says(site.parent / "check", "votes.yaml", yaml_vote, "S003")
    assert refused(site, bad) == [
        f"{bad}!H6: S003 错误: {in_column(said, '全体业主人数')}",
        f"{bad}:1:1: W010 提示: 按 GBK 编码读取（Excel、WPS 在中文 Windows 上保存 CSV 的默认编码）",
    ]


# ---- workbooks saved by a real spreadsheet program ---------------------------------------------


def _soffice(target: str, files: list[Path], out: Path) -> None:
    """Save workbooks as another format with LibreOffice, headless, as a clerk's program would."""
    profile = (out / ".profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target]
    subprocess.run(
        [*command, "--outdir", str(out), *map(str, files)],
        check=True,
        capture_output=True,
        timeout=300,
    )


def with_formulas(book: openpyxl.Workbook) -> None:
    """The clerk's edits, with the closing balances as formulas."""
    clerk_edits(book)
    fund = book["维修资金"]
    last = fund.max_row
    fund.cell(last, 6, f"=F{last - 2}+F{last - 1}")
    accounts = book["维修资金分幢"]
    for r in range(accounts.max_row - 14, accounts.max_row + 1):
        accounts.cell(r, 6, f"=C{r}+D{r}-E{r}")


def with_error(book: openpyxl.Workbook) -> None:
    with_formulas(book)
    book["维修资金分幢"]["D47"] = "=D46/0"


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Workbooks saved by LibreOffice: .xls (the format WPS saves by default), .ods, and .xlsx with formulas calculated."""
    made = tmp_path_factory.mktemp("made")
    exported = export_estate(REPO, ESTATE, made / "export.xlsx")
    edit(exported, made / "edited.xlsx", clerk_edits)
    edit(exported, made / "bad.xlsx", new_half_year("15,960,438.67"))
    edit(exported, made / "formulas.xlsx", with_formulas)
    edit(exported, made / "error.xlsx", with_error)
    saved = tmp_path_factory.mktemp("saved")
    _soffice("xls", [made / "edited.xlsx", made / "bad.xlsx"], saved)
    _soffice("ods", [made / "edited.xlsx"], saved)
    _soffice("xlsx", [made / "formulas.xlsx", made / "error.xlsx"], saved)
    return {p.name: p for p in [*made.iterdir(), *saved.iterdir()] if p.is_file()}


@pytest.mark.parametrize("name", ["edited.xls", "edited.ods"])
def test_xls_and_ods_saved_by_a_spreadsheet_program_import_as_the_xlsx_does(
    site: Path, office: dict[str, Path], name: str
) -> None:
    expected = plan_import(site, ESTATE, office["edited.xlsx"])
    plan = plan_import(site, ESTATE, office[name], name)
    assert [d.format() for d in plan.diagnostics] == []
    assert [line.text() for line in plan.lines] == [line.text() for line in expected.lines]
    assert plan.writes == expected.writes


def test_a_bad_cell_of_an_xls_is_located(site: Path, office: dict[str, Path]) -> None:
    bad = site / "嘉禾锦园.xls"
    shutil.copy(office["bad.xls"], bad)
    xlsx = refused(site, office["bad.xlsx"])  # the same edit saved as .xlsx
    assert refused(site, bad) == [line.replace(str(office["bad.xlsx"]), str(bad)) for line in xlsx]
    assert xlsx[0].startswith(f"{office['bad.xlsx']}!维修资金!F19: S004 错误: “金额（元）”：")


def test_formulas_are_read_by_their_saved_values_and_said_so(
    site: Path, office: dict[str, Path]
) -> None:
    assert openpyxl.load_workbook(office["formulas.xlsx"])["维修资金"]["F20"].value == "=F18+F19"
    code, output = import_(site, office["formulas.xlsx"])
    assert code == 0, output
    assert [line for line in output.splitlines() if "W004" in line] == [
        f"{office['formulas.xlsx']}!维修资金!F20: W004 提示: 1 个单元格是公式（F20），按文件里保存的计算结果读取",
        f"{office['formulas.xlsx']}!维修资金分幢!F47: W004 提示: 15 个单元格是公式（F47、F48、F49、F50、F51 …），按文件里保存的计算结果读取",
    ]
    assert (
        plan_import(site, ESTATE, office["edited.xlsx"]).writes == {}
    )  # the same data as typed in


def test_a_formula_error_is_refused_at_its_cell(site: Path, office: dict[str, Path]) -> None:
    assert (
        f"{office['error.xlsx']}!维修资金分幢!D47: W003 错误: 公式出错（#DIV/0!）：请改正公式或填入数值"
        in refused(site, office["error.xlsx"])
    )


def test_a_period_that_is_no_file_name_is_refused(site: Path, exported: Path) -> None:
    def hostile(book: openpyxl.Workbook) -> None:
        fund = book["维修资金"]
        fund.append(["../../../site", "期初余额", dt.date(2026, 7, 1), None, None, 1])
        fund.append(["../../../site", "期末余额", dt.date(2026, 12, 31), None, None, 1])

    bad = edit(exported, site / "坏.xlsx", hostile)
    assert refused(site, bad) == [
        f"{bad}!维修资金!A18: I001 错误: 期次: 编号“../../../site”不能用：编号只用小写字母 a-z、数字 0-9 和 -，以字母或数字开头和结尾，最长 64 个字符，例如 site",
        f"{bad}!维修资金!A19: I001 错误: 期次: 编号“../../../site”不能用：编号只用小写字母 a-z、数字 0-9 和 -，以字母或数字开头和结尾，最长 64 个字符，例如 site",
    ]


def test_rows_of_one_item_that_disagree_are_refused(site: Path, exported: Path) -> None:
    def disagree(book: openpyxl.Workbook) -> None:
        book["收费标准"]["B3"] = (
            "物业管理费"  # property-fee-highrise's second period names it otherwise
        )
        fees = book["物业费收支"]
        fees.append([c.value for c in fees[3]])  # 2025 twice

    bad = edit(exported, site / "坏.xlsx", disagree)
    assert refused(site, bad) == [
        f"{bad}!收费标准!B3: W007 错误: 与第 2 行不一致：同一项目的各行，这一列要填得一样（或留空）",
        f"{bad}!物业费收支!A4: W007 错误: 期次 '2025' 已在第 3 行：每期一行",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "x.txt",
            b"text",
            "{file}: W006 错误: {file}：不认识的文件类型 '.txt'，请用 .xlsx、.xls、.ods 或 .csv",
        ),
        (
            "x.xlsx",
            b"PK not a zip",
            "{file}: W006 错误: {file}：无法作为工作簿读取：文件已损坏，或者不是 .xlsx 格式（请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入）。程序给出的原因：",
        ),
        (
            "x.csv",
            b"\xff\xfe\x00\xd8",
            "{file}: W006 错误: {file}：既不是 UTF-8 也不是 GBK 编码的文本（第 0 字节）",
        ),
    ],
)
def test_a_file_that_is_no_workbook_is_refused(
    site: Path, name: str, content: bytes, message: str
) -> None:
    bad = site / name
    bad.write_bytes(content)
    (found,) = refused(site, bad)
    assert found.startswith(message.format(file=bad))  # the reason is the reading library's

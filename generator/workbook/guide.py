"""The 说明 sheet and the note on each column title, made from the sheet table and the model.

What a column holds is said once, in the model's field descriptions; the
notes add what a cell of that kind takes. The workbook is a form for the
clerk, in Chinese like its column titles, which the import reads.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..content import _bare
from ..model import EstateData
from ..model.contracts import Service
from .spec import CELL_CHARS, EXPORTED, PARENT, SHEETS, Column, Sheet
from .tables import item_digests

KIND_HINTS = {
    "money": "金额（元），最多两位小数",
    "price": "单价，最多四位小数",
    "area": "面积（㎡），最多两位小数",
    "count": "整数",
    "date": "日期，如 2025-07-01",
    "bool": "是 或 否",
    "ids": "编号，多个用顿号隔开",
}

INTRO = (
    "这个工作簿由 sunshine export 生成。填好后运行 sunshine import {estate} 文件名 导回："
    "程序逐项核对，先列出将要发生的变更，没有错误才写入小区的 YAML 文件；有任何错误时一个文件也不改，"
    "并指出是哪个工作表的哪个单元格（如 维修资金!D14）。",
    "每个工作表第一行是列标题：不要改名、删除、合并，也不要改工作表的名字。鼠标停在标题上可以看到这一列怎么填。",
    "灰色的行是已经发布的期次，不能再改；工作表已保护（没有密码），改了导入时也会报错。新的一期写在新的行里。",
    "金额按元填写，最多两位小数，可以是数字，也可以是文字（如 1,234.50）。可以用公式：导入时取公式的计算结果并提示；"
    "结果超过两位小数的会报错，请用 ROUND 函数取整。日期写成 2025-07-01。",
    "编号只用小写字母 a-z、数字和 -（如 b1、mf-2025-001）；已经发布的编号不要改，比较两期公示时按编号认出同一条记录。",
    "收费标准、服务合同、四保：一个项目有几条明细（执行期间、补充协议、服务标准）就占几行，"
    "项目本身的各列在这几行填一样的内容（后面的行也可以留空）。",
    "维修资金、公共收益按账簿填：每期一行“期初余额”（日期填本期第一天），每笔收入、支出一行，"
    "一行“期末余额”（日期填本期最后一天）。维修资金的分幢账户填在“维修资金分幢”表。"
    "物业费每期一行填在“物业费收支”表，应收实收、其他收入和支出填在“物业费明细”表。",
    "已经公示过的内容（如楼幢面积、表决数字）写错了要改：改好单元格，并在“更正”表登记一行"
    "（更正的位置照抄导入时报的路径，写明原值、新值、原因和宣布更正的公告编号）。",
    "也可以把一个工作表另存为 CSV（文件名用工作表的名字，如 维修资金.csv）单独导入，其余部分不变。",
)


def item_model(sheet: Sheet, target: str | None = None) -> type[BaseModel]:
    """The model one row of the sheet fills: the item, or the line of its inner list."""
    if sheet.is_account:
        model: type[BaseModel] = sheet.model
    elif sheet.named:
        model = Service
    else:
        model = _element(sheet.model.model_fields[sheet.items])
    return model if target in (None, PARENT) else _element(model.model_fields[str(target)])


def _element(info: FieldInfo) -> type[BaseModel]:
    element = get_args(_bare(info.annotation))[0]
    assert isinstance(element, type) and issubclass(element, BaseModel)
    return element


def field_of(model: type[BaseModel], dotted: str) -> FieldInfo | None:
    """The model field a dotted path (YAML keys) names."""
    info = None
    for step in dotted.split("."):
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        info = fields.get(step)
        if info is None:
            return None
        inner = _bare(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
    return info


def _field(sheet: Sheet, column: Column) -> FieldInfo | None:
    if column.paths or not column.path:
        return None
    target = None if column.outer or not isinstance(sheet.inner, str) else sheet.inner or None
    return field_of(item_model(sheet, target), column.path)


def required(sheet: Sheet, column: Column) -> str:
    """必填, 选填, or 按类型 for a ledger column whose use depends on the row."""
    if column is sheet.key or column is sheet.type_column:
        return "必填"
    if column.paths:
        return "按类型"
    info = _field(sheet, column)
    return "必填" if info is not None and info.is_required() and "." not in column.path else "选填"


def column_note(sheet: Sheet, column: Column) -> str:
    """What to write in a column, in a sentence or two."""
    info = _field(sheet, column)
    described = (info.description or "").rsplit("/ ", 1)[0].strip() if info is not None else ""
    parts = [column.note or described]
    if column.kind in KIND_HINTS:
        parts.append(KIND_HINTS[column.kind])
    if column.choices:
        parts.append(
            ("从下拉列表选：" if column.strict else "可从下拉列表选：") + "、".join(column.choices)
        )
    return "；".join(p for p in parts if p) + f"（{required(sheet, column)}）"


def fill_guide(ws: Worksheet, data: EstateData, export: str) -> None:
    """Write the 说明 sheet: how to fill the workbook, then every column of every sheet; last,
    out of the printed page, this export's name and the digests of what it holds."""
    estate = data.estate
    ws.cell(1, 1, f"{estate.name}（{estate.id}）公示数据工作簿").font = Font(bold=True, size=14)
    row = 2
    for n, text in enumerate(INTRO, start=1):
        cell = ws.cell(row, 1, f"{n}. {text.format(estate=estate.id)}")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 48
        row += 1
    row += 1
    for i, title in enumerate(("工作表", "列", "是否必填", "填写说明"), start=1):
        cell = ws.cell(row, i, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for sheet in SHEETS:
        for column in sheet.columns:
            row += 1
            values: tuple[Any, ...] = (
                sheet.name,
                column.title,
                required(sheet, column),
                column_note(sheet, column),
            )
            for i, value in enumerate(values, start=1):
                ws.cell(row, i, value).alignment = Alignment(wrap_text=True, vertical="top")
    ws.print_area = f"A1:D{row}"
    row += 2
    ws.cell(row, 1, EXPORTED).font = Font(color="808080", size=8)
    held = {"export": export, "items": item_digests(data)}
    digests = json.dumps(held, ensure_ascii=False, separators=(",", ":"))
    for i in range(0, len(digests), CELL_CHARS):
        ws.cell(row, 2 + i // CELL_CHARS, digests[i : i + CELL_CHARS]).font = Font(
            color="808080", size=8
        )
    for letter, width in zip("ABCD", (14, 24, 10, 90), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    printable(ws, landscape=False)


def printable(ws: Worksheet, landscape: bool) -> None:
    """Printed, a sheet fits the paper's width and repeats its titles on every page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"

"""An estate's tables as an .xlsx workbook a clerk fills in Excel or WPS. Data in, bytes out.

Every sheet has its titles in a frozen first row (with a note on each
title), a drop-down for every column that takes one of a few words, amounts
shown with two decimals and thousands separators, and text columns kept as
text so that an id like 2024 or a phone number stays as typed. Every sheet
is protected without a password: the titles, which the import reads the
columns by, and the rows of periods already published, which can no longer
change (shaded grey), are locked; every other cell is open.
"""

from __future__ import annotations

import io
import secrets
import unicodedata
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..model import EstateData
from .cells import EXCEL_DIGITS
from .guide import column_note, fill_guide, printable
from .spec import EXPORT_BYTES, GUIDE, SHEETS, Column, Sheet
from .tables import sheet_rows

FORMATS = {
    "money": "#,##0.00",
    "area": "#,##0.00",
    "price": "#,##0.00##",
    "count": "0",
    "date": "yyyy-mm-dd",
}
TEXT = "@"
OPEN_ROWS = 2000  # drop-downs and formats reach this far below the titles
_HEADER = PatternFill("solid", fgColor="DDEBF7")
_LOCKED = PatternFill("solid", fgColor="E7E6E6")
_OPEN, _SHUT = Protection(locked=False), Protection(locked=True)


def workbook_bytes(data: EstateData, published: set[tuple[str, str]]) -> bytes:
    """The estate's workbook as .xlsx bytes; ``published`` holds (account, period) pairs."""
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = GUIDE
    for sheet in SHEETS:
        _fill_sheet(book.create_sheet(sheet.name), sheet, data, published)
    fill_guide(
        guide, data, secrets.token_hex(EXPORT_BYTES)
    )  # each export its own name: see importer
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_sheet(
    ws: Worksheet, sheet: Sheet, data: EstateData, published: set[tuple[str, str]]
) -> None:
    _titles(ws, sheet)
    widths = [_width(c.title) for c in sheet.columns]
    for r, (key, values) in enumerate(sheet_rows(sheet, data), start=2):
        locked = sheet.is_account and (sheet.part, key) in published
        for i, (column, value) in enumerate(zip(sheet.columns, values, strict=True)):
            cell = ws.cell(r, i + 1)
            _put(cell, column, value)
            cell.protection = _SHUT if locked else _OPEN
            if locked:
                cell.fill = _LOCKED
            widths[i] = max(widths[i], _width(value))
    for i, column in enumerate(sheet.columns):
        letter = get_column_letter(i + 1)
        dimension = ws.column_dimensions[letter]
        dimension.width = min(max(widths[i] + 2, 8), 48)
        dimension.number_format = FORMATS.get(column.kind, TEXT)
        dimension.protection = _OPEN
        if column.choices:
            _drop_down(ws, column, letter)
    ws.freeze_panes = "C2" if sheet.type_column else "B2"
    printable(ws, landscape=True)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(ws.max_row, 2)}"
    _protect(ws)


def _titles(ws: Worksheet, sheet: Sheet) -> None:
    for i, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, i, column.title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.protection = _SHUT
        note = Comment(column_note(sheet, column), "sunshine")
        note.width, note.height = 320, 120
        cell.comment = note
    ws.row_dimensions[1].height = 30


def _put(cell: Any, column: Column, value: Any) -> None:
    """Write one value: numbers as numbers where a cell holds them exactly, text as text."""
    if value is None:
        return
    if isinstance(value, Decimal) and len(value.as_tuple().digits) > EXCEL_DIGITS:
        value = str(value)  # beyond what a spreadsheet number holds: kept exact as text
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with '=': never a formula
        cell.number_format = TEXT
    else:
        cell.number_format = FORMATS.get(column.kind, TEXT)


def _drop_down(ws: Worksheet, column: Column, letter: str) -> None:
    choices = ",".join(column.choices)
    assert len(choices) <= 255, column.title  # Excel's limit for a list written in place
    rule = DataValidation(
        type="list",
        formula1=f'"{choices}"',
        allow_blank=True,
        showErrorMessage=column.strict,
        errorTitle="请从下拉列表中选择",
        error=f"{column.title}只能是：{'、'.join(column.choices)}",
    )
    ws.add_data_validation(rule)
    rule.add(f"{letter}2:{letter}{OPEN_ROWS}")


def _protect(ws: Worksheet) -> None:
    """Lock what is locked; leave the clerk every other edit but columns (the import reads them by title)."""
    protection = ws.protection
    protection.sheet = True
    for allowed in (
        "formatCells",
        "formatColumns",
        "formatRows",
        "insertRows",
        "deleteRows",
        "sort",
        "autoFilter",
    ):
        setattr(protection, allowed, False)


def _width(value: Any) -> int:
    if value is None:
        return 0
    text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

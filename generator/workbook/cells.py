"""Reading a workbook's cells, and turning a cell into the value a YAML file would hold.

.xlsx is read with openpyxl, which sees what a clerk's workbook can hold:
a formula's cached value and whether a cell is a formula at all, a formula
error (#DIV/0!), merged cells, and the 1900 or 1904 date system. .xls and
.ods are read with python-calamine, which gives values only (a formula's
cached value; an error cell reads as empty). CSV is text, UTF-8 or GBK.

A number never passes through a float into the data. A cell's number is a
binary double; Excel and WPS keep and show 15 significant digits of it, so
that is the cell's decimal value: 1234.5 is 1234.5, a sum that came out
as 0.30000000000000004 is 0.3, and a third that shows as 33.33 is
33.3333333333333 — more than two places, an error the content model
reports as for YAML. An amount typed as text is read from its text,
thousands separators (1,234.50) and full-width digits allowed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from ..errors import Diagnostic, Location
from ..i18n import _
from .spec import NO, YES, Kind

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
EXCEL_DIGITS = 15  # what Excel and WPS keep of a number: 15 significant digits


@dataclass(frozen=True, order=True)
class CellAt(Location):
    """A cell of a sheet: ``file`` is 'FILE.xlsx!维修资金', line the row, column the column.

    Printed as FILE.xlsx!维修资金!D14; row 0 names the sheet itself.
    """

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}!{get_column_letter(self.column)}{self.line}"


@dataclass
class Table:
    """One sheet as read: rows of values (None for empty), and what the file says about cells."""

    name: str
    where: str  # 'FILE.xlsx!维修资金'
    rows: list[list[Any]]
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column), from 1
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)  # 'A1:B1'

    def at(self, row: int, column: int = 1) -> CellAt:
        return CellAt(self.where, row, column)


@dataclass
class Book:
    """What a file holds: its sheets by name, and notes or problems met reading it."""

    tables: dict[str, Table]
    problems: list[Diagnostic] = field(default_factory=list)
    single: bool = False  # a CSV: one sheet, the others are kept as they are


class UnreadableError(Exception):
    """The file cannot be read as a workbook."""


def read_book(path: Path, display: str, sheet_names: tuple[str, ...]) -> Book:
    """Read every sheet of a workbook (or the one table of a CSV)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableError(
            _(
                "{file}：不认识的文件类型 '{suffix}'，请用 .xlsx、.xls、.ods 或 .csv",
                file=display,
                suffix=path.suffix,
            )
        )
    try:
        if suffix == ".csv":
            return _read_csv(path, display, sheet_names)
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path, display)
        return _read_calamine(path, display)
    except UnreadableError:
        raise
    except Exception as exc:  # a damaged or mislabelled file: each library raises its own
        raise UnreadableError(
            _(
                "{file}：无法作为工作簿读取：文件已损坏，或者不是 {suffix} 格式（请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入）。程序给出的原因：{reason}",
                file=display,
                suffix=suffix,
                reason=str(exc) or type(exc).__name__,
            )
        ) from None


def _read_xlsx(path: Path, display: str) -> Book:
    """Values by python-calamine; which cells are formulas, and formula errors, by openpyxl.

    python-calamine reads the values a file saved (a formula's result)
    fast, but gives a formula error as an empty cell and no formulas;
    openpyxl tells both, read only as far down as there is data (Excel, WPS
    and LibreOffice save a thousand styled empty rows below it). A formula
    that reads empty is looked at once more, for the error it may hold.
    """
    import openpyxl

    book = _read_calamine(path, display)
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    empty: dict[str, list[tuple[int, int]]] = {}
    for name, table in book.tables.items():
        for r, row in enumerate(formulas[name].iter_rows(max_row=len(table.rows)), start=1):
            for i, cell in enumerate(row, start=1):
                if "%" in (cell.number_format or "").replace("\\%", "").replace('"%"', ""):
                    _as_shown_in_percent(table, r, i)
                if cell.data_type == "f":
                    table.formulas.add((r, i))
                    if _value(table, r, i) is None:
                        empty.setdefault(name, []).append((r, i))
                elif cell.data_type == "e":
                    table.errors[(r, i)] = str(cell.value)
    formulas.close()
    if empty:
        _formula_errors(path, book, empty)
    return book


def _as_shown_in_percent(table: Table, r: int, i: int) -> None:
    """A number in a cell formatted as a percentage is the percentage it shows: typing 10%
    in Excel stores 0.1 and shows 10%, and the rate a clerk meant is 10 (the columns of
    percentages say “如 10”), never 0.1. What is no number is left as it is."""
    value = _value(table, r, i)
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = Decimal(format(value, f".{EXCEL_DIGITS}g")).scaleb(2)
        table.rows[r - 1][i - 1] = (
            shown.quantize(1) if shown == shown.to_integral() else shown.normalize()
        )


def _value(table: Table, r: int, i: int) -> Any:
    row = table.rows[r - 1] if r <= len(table.rows) else []
    return row[i - 1] if i <= len(row) else None


def _formula_errors(path: Path, book: Book, empty: dict[str, list[tuple[int, int]]]) -> None:
    """The saved result of formulas that read empty: an error, or none at all."""
    import openpyxl

    saved = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for name, cells in empty.items():
        rows = list(saved[name].iter_rows(max_row=max(r for r, _i in cells)))
        for r, i in cells:
            cell = rows[r - 1][i - 1] if i <= len(rows[r - 1]) else None
            if cell is not None and cell.data_type == "e":
                book.tables[name].errors[(r, i)] = str(cell.value)
            elif cell is None or cell.value is None:
                book.tables[name].errors[(r, i)] = _(
                    "没有保存计算结果，请在 Excel 或 WPS 中打开并保存一次"
                )
    saved.close()


def _merged(sheet: Any) -> list[str]:
    return [
        f"{get_column_letter(a[1] + 1)}{a[0] + 1}:{get_column_letter(b[1] + 1)}{b[0] + 1}"
        for a, b in sheet.merged_cell_ranges or []
    ]


def _read_calamine(path: Path, display: str) -> Book:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    tables = {}
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = [
            [None if v == "" else v for v in row] for row in sheet.to_python(skip_empty_area=False)
        ]
        merged = [
            f"{get_column_letter(a[1] + 1)}{a[0] + 1}:{get_column_letter(b[1] + 1)}{b[0] + 1}"
            for a, b in sheet.merged_cell_ranges or []
        ]
        tables[name] = Table(name, f"{display}!{name}", rows, merged=merged)
    return Book(tables)


def _read_csv(path: Path, display: str, sheet_names: tuple[str, ...]) -> Book:
    raw = path.read_bytes()
    problems = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")  # what Excel and WPS save as CSV on a Chinese Windows
        except UnicodeDecodeError as exc:
            raise UnreadableError(
                _(
                    "{file}：既不是 UTF-8 也不是 GBK 编码的文本（第 {byte} 字节）",
                    file=display,
                    byte=exc.start,
                )
            ) from None
        message = _("按 GBK 编码读取（Excel、WPS 在中文 Windows 上保存 CSV 的默认编码）")
        problems.append(Diagnostic("W010", Location(display, 1, 1), message))
    rows: list[list[Any]] = [
        [v if v.strip() else None for v in row] for row in csv.reader(io.StringIO(text))
    ]
    name = path.stem if path.stem in sheet_names else ""
    return Book({name: Table(name, display, rows)}, problems, single=True)


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def convert(kind: Kind, value: Any) -> Any:
    """A cell's value as the YAML loader would give it; what cannot be read is passed on as it is.

    The content model then accepts or refuses it with the same message as
    for a YAML file.
    """
    if kind in ("money", "price", "area"):
        return _decimal(value)
    if kind == "count":
        number = _decimal(value)
        return (
            int(number)
            if isinstance(number, Decimal) and number == number.to_integral_value()
            else value
        )
    if kind == "date":
        return _date(value)
    if kind == "bool":
        return _bool(value)
    if kind == "ids":
        text = _text(value)
        return (
            [part for part in re.split(r"[、,，;；\s]+", text) if part]
            if isinstance(text, str)
            else text
        )
    text = _text(value)
    return text.strip() if kind in ("id", "choice") and isinstance(text, str) else text


_PLAIN = re.compile(r"[+-]?\d+(\.\d+)?\Z")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?\Z")


def _decimal(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(format(value, f".{EXCEL_DIGITS}g"))
        return abs(number) if number == 0 else number
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if _PLAIN.match(text) or _GROUPED.match(text):
            try:
                return Decimal(text.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the patterns admit only numbers
                return value
    return value


_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+0{1,2}:00(:00)?)?\Z"
)  # 2025-07-01, 2025/7/1, 2025年7月1日; a midnight time as a CSV may add


def _date(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():  # a date cell formatted 常规 shows its
        return int(value)  # day number (46191): explained as such, as in a YAML file
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        match = _DATE_TEXT.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()[:3]))
            except ValueError:
                return text
        return text
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in (YES, "有", "true", "1", "1.0"):  # 有/无: how a column such as 电梯 is answered
        return True
    if text in (NO, "无", "没有", "false", "0", "0.0"):
        return False
    return value


def _text(value: Any) -> Any:
    """Text as written; a number or a date typed into a text column becomes its text."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int | float):
        number = _decimal(value)
        return str(int(number)) if number == number.to_integral_value() else str(number)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):  # a percentage as shown (_as_shown_in_percent)
        return f"{value}%"
    return value

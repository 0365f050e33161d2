"""Rows of a sheet from the data, and the data back from the rows, each value with its cell.

The data built from a workbook is what the YAML files would hold, as the
loader gives it (plain dicts, lists, ``Decimal``, dates), with a ``Located``
per file whose locations are cells. The content model and the rules then
check it exactly as they check YAML.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..errors import Diagnostic, Location
from ..i18n import _
from ..load import DataPath, Located
from ..model import EstateData
from ..model.base import Id
from .cells import Table, blank, convert
from .spec import NO, PARENT, SHEETS, YES, Column, Sheet

_PERIOD: TypeAdapter[str] = TypeAdapter(Id)
Part = tuple[str, ...]  # ("estate",), ("fees",) … or ("accounts", "maintenance_fund", "2025-h1")


# ---- data -> rows -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "、".join(value) if value else None
    return value


def _get(item: dict[str, Any], path: str | None) -> Any:
    if not path:
        return None
    value: Any = item
    for step in path.split("."):
        value = value.get(step) if isinstance(value, dict) else None
    return _plain(value)


def part_dump(data: EstateData, part: str) -> Any:
    """One part of the data as plain nested dicts, aliases as keys (``from``, ``to``)."""
    if part in ("maintenance_fund", "public_revenue", "property_fees"):
        statements = getattr(data.accounts, part)
        ordered = sorted(statements, key=lambda pid: statements[pid].period.start)
        return {pid: statements[pid].model_dump(mode="python", by_alias=True) for pid in ordered}
    model = getattr(data, part)
    return None if model is None else model.model_dump(mode="python", by_alias=True)


def items_of(sheet: Sheet, data: EstateData) -> Iterator[tuple[str, dict[str, Any]]]:
    """The sheet's items with their key: (id, item), (period, statement) or (类别, service)."""
    dumped = part_dump(data, sheet.part)
    if dumped is None:
        return
    if sheet.is_account:
        yield from dumped.items()
    elif sheet.named:
        for title, name in sheet.named.items():
            yield title, dumped[name]
    else:
        for item in dumped[sheet.items]:
            yield str(item["id"]), item


def sheet_rows(sheet: Sheet, data: EstateData) -> Iterator[tuple[str, list[Any]]]:
    """Each row of a sheet as exported, with the key of the item it belongs to."""
    for key, item in items_of(sheet, data):
        for row_type, inner in _inner_rows(sheet, item):
            yield key, [_cell(sheet, c, key, row_type, item, inner) for c in sheet.columns]


def item_digests(data: EstateData) -> dict[str, str]:
    """Every item of every sheet (a building, a fee, a vote, a statement's period) by
    "sheet|key": a short digest of its rows as exported, to tell what changed since."""
    rows: dict[str, list[list[Any]]] = {}
    for sheet in SHEETS:
        for key, values in sheet_rows(sheet, data):
            rows.setdefault(f"{sheet.name}|{key}", []).append(values)
    return {
        item: hashlib.sha256(
            json.dumps(values, default=str, ensure_ascii=False).encode("utf-8")
        ).hexdigest()[:12]
        for item, values in rows.items()
    }


def _inner_rows(sheet: Sheet, item: dict[str, Any]) -> Iterator[tuple[str | None, dict[str, Any]]]:
    if isinstance(sheet.inner, dict):  # a ledger: each row type, in the table's order
        for row_type, target in sheet.inner.items():
            if target == PARENT:
                yield row_type, item
            else:
                for line in item[target]:
                    yield row_type, line
    elif sheet.inner:
        lines = item[sheet.inner]
        yield from ((None, line) for line in lines) if lines else [(None, {})]
    else:
        yield None, item


def _cell(
    sheet: Sheet,
    column: Column,
    key: str,
    row_type: str | None,
    item: dict[str, Any],
    inner: dict[str, Any],
) -> Any:
    if column is sheet.key and (sheet.is_account or sheet.named):
        return key
    if column is sheet.type_column:
        return row_type
    own = isinstance(sheet.inner, dict) and sheet.inner.get(row_type or "") == PARENT
    return _get(item if column.outer or own else inner, column.path_for(row_type))


# ---- rows -> data -------------------------------------------------------------------------


@dataclass
class Built:
    """Data read from the sheets: per file, its data and where each value came from."""

    parts: dict[Part, Located] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    sheet_of: dict[Part, str] = field(default_factory=dict)  # the sheet that made each part

    def file(self, part: Part, table: Table, where: Location) -> Located:
        """The data of one file, made on first use and located where it is first met."""
        if part not in self.parts:
            self.parts[part] = Located(table.where, {}, {(): where})
            self.sheet_of[part] = table.name
        return self.parts[part]


@dataclass
class _Item:
    """One item being put together from its rows."""

    part: Part
    prefix: DataPath  # where the item sits inside its file
    first_row: int
    seen: dict[str, tuple[Any, int]] = field(default_factory=dict)  # outer path -> (value, row)
    lines: dict[str, int] = field(default_factory=dict)  # inner list -> how many


def read_sheet(sheet: Sheet, table: Table, columns: dict[str, int], built: Built) -> None:
    """Put the rows of one sheet into the data; report what cannot go anywhere."""
    items: dict[str, _Item] = {}
    for r, row in enumerate(table.rows[1:], start=2):
        cells = {
            c.title: (row[i] if i < len(row) else None) for c, i in zip_columns(sheet, columns)
        }
        if all(blank(v) for v in cells.values()):
            continue
        item = _item_for(sheet, table, columns, cells, r, items, built)
        if item is not None:
            _fill(sheet, table, columns, cells, r, item, built)


def zip_columns(sheet: Sheet, columns: dict[str, int]) -> Iterator[tuple[Column, int]]:
    for column in sheet.columns:
        if column.title in columns:
            yield column, columns[column.title]


def _item_for(
    sheet: Sheet,
    table: Table,
    columns: dict[str, int],
    cells: dict[str, Any],
    r: int,
    items: dict[str, _Item],
    built: Built,
) -> _Item | None:
    raw = cells[sheet.key.title]
    key = convert("id", raw) if not blank(raw) else ""
    where = table.at(r, columns[sheet.key.title] + 1)
    if (sheet.is_account or sheet.named) and not key:
        message = _("{sheet}：这一行没有填 {column}", sheet=sheet.name, column=sheet.key.title)
        built.problems.append(Diagnostic("W008", where, message))
        return None
    if key in items and sheet.inner:
        return items[key]
    if key in items and sheet.is_account:
        row = items[key].first_row
        message = _("期次 '{period}' 已在第 {row} 行：每期一行", period=key, row=row)
        built.problems.append(Diagnostic("W007", where, message))
        return None
    item = _place(sheet, table, str(key), where, built)
    if item is not None and (sheet.inner or sheet.is_account):  # rows with one key are one item
        item.first_row = r
        items[key] = item
    return item


def _place(sheet: Sheet, table: Table, key: str, where: Location, built: Built) -> _Item | None:
    """Where a new item goes: a statement file, one of the four services, or the next list entry."""
    if sheet.is_account:
        try:
            _PERIOD.validate_python(key)
        except ValidationError as exc:  # a period is a file name: it must be a URL-safe id
            error = exc.errors(include_url=False)[0]
            code = error["type"].removeprefix("sunshine_")
            built.problems.append(Diagnostic(code, where, f"{sheet.key.title}: {error['msg']}"))
            return None
        part: Part = ("accounts", sheet.part, key)
        if not sheet.define and part not in built.parts:
            main = next(s.name for s in SHEETS if s.part == sheet.part and s.define)
            message = _(
                "{sheet}：期次 '{period}' 不在{main}表中", sheet=sheet.name, period=key, main=main
            )
            built.problems.append(Diagnostic("W008", where, message))
            return None
        built.file(part, table, where)
        return _Item(part, (), 0)
    located = built.file((sheet.part,), table, table.at(0))
    if sheet.named:
        name = sheet.named.get(key)
        if name is None:
            choices = "、".join(sheet.named)
            message = _(
                "{column} '{value}' 不是 {choices} 之一",
                column=sheet.key.title,
                value=key,
                choices=choices,
            )
            built.problems.append(Diagnostic("W009", where, message))
            return None
        located.data[name] = {}
        located.values[(name,)] = where
        return _Item((sheet.part,), (name,), 0)
    entries = located.data.setdefault(sheet.items, [])
    located.values.setdefault((sheet.items,), where)
    located.values[(sheet.items, len(entries))] = where
    entries.append({})
    return _Item((sheet.part,), (sheet.items, len(entries) - 1), 0)


def _fill(
    sheet: Sheet,
    table: Table,
    columns: dict[str, int],
    cells: dict[str, Any],
    r: int,
    item: _Item,
    built: Built,
) -> None:
    """Set the values of one row: the item's own, and one line of its inner list."""
    located = built.parts[item.part]
    row_type, target = _row_type(sheet, table, columns, cells, r, built)
    if row_type is False:
        return
    line_prefix: DataPath | None = None
    for column, i in zip_columns(sheet, columns):
        value = cells[column.title]
        keyed = column is sheet.key and (sheet.is_account or bool(sheet.named))
        if keyed or column is sheet.type_column or blank(value):
            continue
        where = table.at(r, i + 1)
        path = column.path_for(row_type)
        if path is None:
            message = _("{column} 不用于“{kind}”行，请留空", column=column.title, kind=row_type)
            built.problems.append(Diagnostic("W009", where, message))
            continue
        if column.outer or target == PARENT or (not sheet.inner):
            _set_outer(item, located, path, convert(column.kind, value), where, table, built)
            continue
        if line_prefix is None:
            line_prefix = _new_line(item, located, str(target), table.at(r, 1))
        _set(located, (*line_prefix, *path.split(".")), convert(column.kind, value), where)
    if line_prefix is None and target not in (None, PARENT) and isinstance(sheet.inner, dict):
        _new_line(item, located, str(target), table.at(r, 1))  # a line with nothing filled in


def _row_type(
    sheet: Sheet, table: Table, columns: dict[str, int], cells: dict[str, Any], r: int, built: Built
) -> tuple[Any, str | None]:
    """A ledger row's type and the list it goes to; (False, None) when the type is not known."""
    if sheet.type_column is None:
        return None, sheet.inner if isinstance(sheet.inner, str) else None
    assert isinstance(sheet.inner, dict)
    raw = cells[sheet.type_column.title]
    row_type = convert("choice", raw) if not blank(raw) else ""
    if row_type in sheet.inner:
        return row_type, sheet.inner[row_type]
    where = table.at(r, columns[sheet.type_column.title] + 1)
    choices = "、".join(sheet.inner)
    message = _(
        "{column} '{value}' 不是 {choices} 之一",
        column=sheet.type_column.title,
        value=row_type,
        choices=choices,
    )
    built.problems.append(Diagnostic("W009", where, message))
    return False, None


def _new_line(item: _Item, located: Located, target: str, where: Location) -> DataPath:
    holder = _holder(located, item.prefix)
    lines = holder.setdefault(target, [])
    located.values.setdefault((*item.prefix, target), where)
    prefix = (*item.prefix, target, len(lines))
    lines.append({})
    located.values[prefix] = where
    return prefix


def _set_outer(
    item: _Item,
    located: Located,
    path: str,
    value: Any,
    where: Location,
    table: Table,
    built: Built,
) -> None:
    """Set a value of the item itself; its rows must agree on it."""
    if path in item.seen:
        before, row = item.seen[path]
        if before != value:
            message = _("与第 {row} 行不一致：同一项目的各行，这一列要填得一样（或留空）", row=row)
            built.problems.append(Diagnostic("W007", where, message))
        return
    item.seen[path] = (value, where.line)
    _set(located, (*item.prefix, *path.split(".")), value, where)


def _holder(located: Located, prefix: DataPath) -> dict[str, Any]:
    node: Any = located.data
    for step in prefix:
        node = node[step]
    assert isinstance(node, dict)
    return node


def _set(located: Located, path: DataPath, value: Any, where: Location) -> None:
    node = located.data
    for depth, step in enumerate(path[:-1]):
        node = node[step] if isinstance(step, int) else node.setdefault(step, {})
        located.values.setdefault(path[: depth + 1], where)
    node[path[-1]] = value
    located.values[path] = where


def finish(built: Built, tables: dict[str, Table]) -> None:
    """A list whose sheet has no rows is empty, in a file another of its sheets has rows for."""
    for sheet in SHEETS:
        located = built.parts.get((sheet.part,))
        if located is not None and sheet.items and not sheet.is_account:
            located.data.setdefault(sheet.items, [])
            table = tables.get(sheet.name)
            located.values.setdefault((sheet.items,), table.at(0) if table else located.values[()])


def missing_column(sheet: Sheet, path: DataPath) -> Column | None:
    """The column of a required field the model found missing at ``path`` of the sheet's file.

    None for a period's own value on a ledger: no row holds it yet.
    """
    ints = [i for i, step in enumerate(path) if isinstance(step, int)]
    depth = len(ints) - (0 if sheet.is_account or sheet.named else 1)  # 0: the item, 1: a line
    start = ints[-1] + 1 if ints else (1 if sheet.named else 0)
    dotted = ".".join(str(step) for step in path[start:])
    if isinstance(sheet.inner, dict):
        target = str(path[ints[-1] - 1]) if depth else PARENT
        kinds = [k for k, t in sheet.inner.items() if t == target]
        found = [c for c in sheet.columns if any(c.paths.get(k) == dotted for k in kinds)]
        return found[0] if found and target != PARENT else None
    for column in sheet.columns:
        if column.path == dotted and (depth == 0) == (column.outer or not sheet.inner):
            return column
    return None

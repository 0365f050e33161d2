"""A workbook back into an estate's YAML files: read, check as ``check`` does, show, then write.

The rows become the data the YAML files would hold, located by cell; the
content model, the rules of ``validate`` and the audit against the latest
release then judge it as they judge YAML, so a problem has the same code
and message whichever way the data came. On top of that, a period that a
release has published cannot change. The import is all or nothing: on any
error no file is written.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string
from pydantic import BaseModel, ValidationError

from ..audit import Side
from ..cache import Cache
from ..clock import today
from ..config import SiteConfig, require_config
from ..content import ACCOUNT_DIRS, SECTION_FILES, EstateSource, LoadedParts, load_estate, parse
from ..diff import Change, diff
from ..errors import ContentError, Diagnostic, GeneratorError, Severity, UsageError
from ..history import working_locator
from ..i18n import _
from ..load import DataPath, Located, load_text
from ..model import Accounts, EstateData, Snapshot
from ..model.base import ID_PATTERN
from ..releases import load_releases
from ..render.changes import describe
from ..scaffold import schema_line
from ..site import LoadedEstate, Site, audit_estate
from ..validate import validate
from . import yamlfile
from .cells import Book, CellAt, Table, UnreadableError, blank, read_book
from .spec import ACCOUNTS, EXPORT_BYTES, EXPORTED, GUIDE, SHEET_NAMES, SHEETS, Sheet
from .tables import Built, Part, finish, item_digests, missing_column, read_sheet, sheet_rows

_STRUCTURE = {"W001", "W002", "W006"}  # the file cannot be read as the workbook it should be
_FIELD_OF_PART = {name: key for name, (key, _m) in SECTION_FILES.items()}
_MODEL_OF_PART: dict[str, type[BaseModel]] = {key: m for key, m in SECTION_FILES.values()}
_MODEL_OF_PART.update({key: m for key, m in ACCOUNT_DIRS.values()})
# what the workbook holds; the rest of an estate (governance.yaml, evaluations.yaml,
# meetings.yaml, complaint statements, notices, documents) is carried over as it is
_HELD = {sheet.part for sheet in SHEETS}


@dataclass
class Plan:
    """What an import would do: the problems found, the changes, the files to write or remove."""

    estate_id: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    lines: list[Any] = field(default_factory=list)  # render.changes.Line per change
    writes: dict[Path, str] = field(default_factory=dict)
    removes: list[Path] = field(default_factory=list)
    imported: tuple[str, str] | None = None  # this export's name and what it brings in
    cache: Cache | None = None  # where that is kept once written

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass
class _Estate:
    root: Path
    config: SiteConfig
    folder: Path
    display: str
    loaded: LoadedParts
    data: EstateData
    releases: list[Snapshot]


def open_estate(root: Path, estate_id: str) -> _Estate:
    """Load one estate, refusing an unknown id or data that does not load whole."""
    config = require_config(root)
    folder = root / config.content_dir / estate_id
    if not ID_PATTERN.match(estate_id) or not (folder / "estate.yaml").is_file():
        raise UsageError(_("内容目录中没有小区 '{estate}'", estate=estate_id))
    display = folder.relative_to(root).as_posix()
    loaded = load_estate(folder, display)
    releases, problems = load_releases(folder, display)
    if loaded.data is None or not loaded.complete:
        raise ContentError(sorted(loaded.problems + problems, key=Diagnostic.sort_key))
    return _Estate(root, config, folder, display, loaded, loaded.data, releases)


def published_periods(releases: Iterable[Snapshot]) -> set[tuple[str, str]]:
    """(account, period) of every statement a release has published."""
    return {
        (kind, pid)
        for snapshot in releases
        for kind in Accounts.model_fields
        for pid in getattr(snapshot.data.accounts, kind)
    }


def plan_import(
    root: Path, estate_id: str, file: Path, display: str | None = None, cache: Cache | None = None
) -> Plan:
    """Read a workbook into the estate's data and say what importing it would do; ``cache``
    keeps what each export brought in, so that its next import knows its own changes."""
    estate = open_estate(root, estate_id)
    plan = Plan(estate_id, cache=cache)
    shown = display or str(file)
    try:
        book = read_book(file, shown, SHEET_NAMES)
    except (UnreadableError, OSError) as exc:
        plan.diagnostics.append(Diagnostic("W006", CellAt(shown, 0, 0), str(exc)))
        return plan
    tables, columns, problems = _tables(book, shown, estate.data)
    plan.diagnostics += book.problems + problems
    if any(d.code in _STRUCTURE for d in plan.diagnostics):
        return plan
    built = Built()
    for sheet in SHEETS:
        read_sheet(sheet, tables[sheet.name], columns[sheet.name], built)
    finish(built, tables)
    plan.diagnostics += built.problems
    new = _judge(estate, built, tables, plan)
    exported = _exported(book)
    if new is not None and exported is not None:
        coming = item_digests(new)
        plan.diagnostics += _overwrites(estate, exported, coming, tables, cache)
        plan.imported = exported[0], json.dumps(coming, separators=(",", ":"))
    if new is not None and not plan.failed:
        _files(estate, new, built, plan)
    plan.diagnostics = _unique(plan.diagnostics)
    return plan


def _overwrites(
    estate: _Estate,
    exported: tuple[str, dict[str, str]],
    coming: dict[str, str],
    tables: dict[str, Table],
    cache: Cache | None,
) -> list[Diagnostic]:
    """W013 for each item changed elsewhere (the YAML, another workbook) since this workbook
    was exported, that importing it (``coming``: its items' digests) would change again:
    that change would be lost unseen.

    An item is the workbook's to change if it is as exported, or as this export's last
    import left it (kept in the site's cache) and edited in the workbook since; an older
    copy of the export, the item as exported, would undo that import, and is told so. A
    workbook that says nothing of its export (a CSV, a sheet copied out) is not judged.
    This guards against mistakes; whoever forges the 说明 sheet's digests forgoes the
    guard, and the audit still judges what was published."""
    export, items = exported
    now = item_digests(estate.data)
    ours = _read_memory(cache, estate.folder.name, export) if cache else None
    problems = []
    for item in [*now, *(i for i in items if i not in now)]:
        was, is_, will = items.get(item), now.get(item), coming.get(item)
        if is_ == was or will == is_:
            continue  # not changed since the export, or the workbook has it as it is now
        if ours is not None and is_ == ours.get(item) and will != was:
            continue  # as this export's last import left it, and edited in it since
        name, key = item.split("|", 1)
        table = tables[name]
        rows = [r for r, row in enumerate(table.rows[1:], start=2) if row[:1] == [key]]
        message = _(
            "“{sheet}”表的 {key} 在导出这份工作簿之后被别处改过（改了 YAML 文件，或导入了另一份工作簿），导回会把那次改动冲掉：请重新导出（sunshine export {estate} -o 新文件.xlsx），把这份工作簿里的修改抄过去再导回",
            sheet=name,
            key=key,
            estate=estate.folder.name,
        )
        problems.append(Diagnostic("W013", table.at(rows[0] if rows else 0), message))
    return problems


def _exported(book: Book) -> tuple[str, dict[str, str]] | None:
    """The export's name and its items' digests, as the 说明 sheet holds them whole."""
    guide = book.tables.get(GUIDE)
    for row in guide.rows if guide else []:
        if row[:1] == [EXPORTED]:
            try:
                held = json.loads("".join(v for v in row[1:] if isinstance(v, str)))
                export, items = held["export"], held["items"]
            except (ValueError, TypeError, KeyError):
                return None
            if (
                isinstance(export, str)
                and re.fullmatch(f"[0-9a-f]{{{2 * EXPORT_BYTES}}}", export)
                and _digests(items)
            ):
                return export, items
            return None
    return None


def _digests(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _read_memory(cache: Cache, estate_id: str, export: str) -> dict[str, str] | None:
    """The items' digests as this export's last import left them (the site's own cache)."""
    try:
        held = json.loads(cache.imported(estate_id, export) or b"null")
    except (OSError, ValueError):
        return None
    return held if _digests(held) else None


def _sheets_not_read(book: Book, shown: str) -> list[Diagnostic]:
    """W011 for each sheet with something written in it that the import does not read (a
    copy of a sheet, a clerk's own sums): what is in it is not imported, and is said so."""
    known = {sheet.name for sheet in SHEETS} | {GUIDE}
    said = []
    for name, table in book.tables.items():
        if book.single or name in known or all(blank(v) for row in table.rows for v in row):
            continue
        close = difflib.get_close_matches(name, [s.name for s in SHEETS], n=1, cutoff=0.4)
        hint = _("（是不是“{name}”的副本？）", name=close[0]) if close else ""
        message = _(
            "工作表“{sheet}”{hint}不是 sunshine export 导出的工作表，里面的内容没有导入：要导入的行请填在导出的工作表里",
            sheet=name,
            hint=hint,
        )
        said.append(Diagnostic("W011", CellAt(table.where, 0, 0), message))
    return said


def _tables(
    book: Book, shown: str, data: EstateData
) -> tuple[dict[str, Table], dict[str, dict[str, int]], list[Diagnostic]]:
    """Every sheet the import reads, with its columns by title; a CSV's other sheets from the data."""
    problems: list[Diagnostic] = []
    tables: dict[str, Table] = {}
    if book.single:
        ((name, table),) = book.tables.items()
        name = name or _sheet_by_header(table)
        if not name:
            message = _(
                "{file}：认不出是哪个工作表的 CSV：请用工作表的名字作文件名（如 维修资金.csv），第一行是列标题",
                file=shown,
            )
            return {}, {}, [Diagnostic("W002", CellAt(shown, 0, 0), message)]
        table.name = name
        book.tables = {name: table}
    for sheet in SHEETS:
        found = book.tables.get(sheet.name)
        if book.single and found is None:
            found = _from_data(sheet, data)
        if found is None:
            close = difflib.get_close_matches(sheet.name, list(book.tables), n=1, cutoff=0.4)
            hint = _("（是不是改成了“{name}”？）", name=close[0]) if close else ""
            message = _(
                "缺少工作表“{sheet}”{hint}：请用 sunshine export 导出的工作簿填写，不要删除或改名工作表",
                sheet=sheet.name,
                hint=hint,
            )
            problems.append(Diagnostic("W001", CellAt(shown, 0, 0), message))
            continue
        tables[sheet.name] = found
    problems += _sheets_not_read(book, shown)
    columns = {}
    for name, table in tables.items():
        sheet = next(s for s in SHEETS if s.name == name)
        columns[name], header_problems = _header(sheet, table)
        problems += header_problems + _cells(table, columns[name])
    return tables, columns, problems


def _sheet_by_header(table: Table) -> str:
    titles = {str(v).strip() for v in (table.rows[0] if table.rows else []) if not blank(v)}
    return next((s.name for s in SHEETS if titles == {c.title for c in s.columns}), "")


def _from_data(sheet: Sheet, data: EstateData) -> Table:
    """A sheet the file does not hold, as the estate's data has it: it stays as it is."""
    where = _("{sheet}（现有数据）", sheet=sheet.name)
    rows = [[c.title for c in sheet.columns], *(values for _key, values in sheet_rows(sheet, data))]
    return Table(sheet.name, where, rows)


def _header(sheet: Sheet, table: Table) -> tuple[dict[str, int], list[Diagnostic]]:
    """Each column's place by its title; every title missing, unknown or merged is a problem."""
    merged = [m for m in table.merged if _in_row_one(m)]
    if merged:  # the titles under a merge are gone: say only that
        message = _(
            "标题行有合并的单元格 {cells}：请取消合并，每列一个标题", cells="、".join(merged)
        )
        return {}, [Diagnostic("W002", table.at(1), message)]
    problems = []
    header = table.rows[0] if table.rows else []
    found: dict[str, int] = {}
    for i, value in enumerate(header):
        title = str(value).strip() if not blank(value) else ""
        if title in found:
            problems.append(
                Diagnostic("W002", table.at(1, i + 1), _("列标题“{title}”出现了两次", title=title))
            )
        elif title:
            found[title] = i
    expected = [c.title for c in sheet.columns]
    for title, i in found.items():
        if title not in expected:
            close = difflib.get_close_matches(
                title, [t for t in expected if t not in found], n=1, cutoff=0.3
            )
            hint = _("（是不是“{name}”？）", name=close[0]) if close else ""
            message = _(
                "不认识的列标题“{title}”{hint}：列标题要与导出时相同", title=title, hint=hint
            )
            problems.append(Diagnostic("W002", table.at(1, i + 1), message))
    for title in expected:
        if title not in found:
            message = _("缺少列“{title}”：请不要删除或改名列标题", title=title)
            problems.append(Diagnostic("W002", table.at(1), message))
    for i, value in enumerate(header):
        if blank(value) and any(i < len(row) and not blank(row[i]) for row in table.rows[1:]):
            message = _("第 {column} 列有数据但没有标题", column=i + 1)
            problems.append(Diagnostic("W002", table.at(1, i + 1), message))
    return {t: i for t, i in found.items() if t in expected}, problems


def _in_row_one(merged: str) -> bool:
    first = merged.split(":")[0]
    return first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "1"


def _cells(table: Table, columns: dict[str, int]) -> list[Diagnostic]:
    """Formula errors, and a note on each sheet whose values come from formulas."""
    problems = [
        Diagnostic(
            "W003", table.at(r, c), _("公式出错（{error}）：请改正公式或填入数值", error=error)
        )
        for (r, c), error in sorted(table.errors.items())
    ]
    for cells in table.merged:  # below the titles: the rows under the first read empty
        if not _in_row_one(cells):
            first = cells.split(":")[0]
            column = first.rstrip("0123456789")
            message = _(
                "{cells} 是合并的单元格：合并后只有左上角 {first} 有值，其余格子读作空白。请取消合并，在每一行都填上",
                cells=cells,
                first=first,
            )
            where = table.at(int(first[len(column) :]), column_index_from_string(column))
            problems.append(Diagnostic("W012", where, message))
    used = {i + 1 for i in columns.values()}
    formulas = sorted((r, c) for r, c in table.formulas if r > 1 and c in used)
    if formulas:
        cells = "、".join(str(table.at(r, c)).rsplit("!", 1)[-1] for r, c in formulas[:5])
        cells += " …" if len(formulas) > 5 else ""
        message = _(
            "{count} 个单元格是公式（{cells}），按文件里保存的计算结果读取",
            count=len(formulas),
            cells=cells,
        )
        problems.append(Diagnostic("W004", table.at(*formulas[0]), message))
    return problems


def _judge(
    estate: _Estate, built: Built, tables: dict[str, Table], plan: Plan
) -> EstateData | None:
    """Check the new data as ``check`` would: model, rules, audit; then the published periods."""
    files = _merged_files(estate, built)
    sheets = {t.where: s for s in SHEETS for t in [tables[s.name]]}
    parts, accounts = _carried(estate.data)
    complete = True
    buildings, listed = _buildings_by_name(files[("estate",)]), _("“楼栋”表的楼幢编号")
    for part, located in files.items():
        model = _MODEL_OF_PART[part[1] if part[0] == "accounts" else part[0]]
        titled = _column_of(located, sheets)
        value, found = parse(model, located, buildings=buildings, listed=listed, titled=titled)
        plan.diagnostics += _relocated(found, model, located, sheets)
        complete = complete and value is not None
        if value is None:
            continue
        if part[0] == "accounts":
            accounts[part[1]][part[2]] = value
        else:
            parts[part[0]] = value
    plan.diagnostics += _kept_problems(estate)
    if "estate" not in parts:
        return None
    new = EstateData(
        **parts,
        accounts=Accounts(**accounts),
        notices=estate.data.notices,
        documents=estate.data.documents,
    )
    source = EstateSource(estate.folder, estate.display, {**estate.loaded.source.files, **files})
    plan.diagnostics += validate(new, source, complete)
    if not complete:  # as check: a part that did not pass is not audited as though it were gone
        return None
    side = Side(new, None, working_locator(source))
    working = LoadedEstate(estate.folder.name, new, source, estate.releases)
    audited = audit_estate(Site(estate.root, estate.config), working, today())
    plan.diagnostics += [d for d in audited if "/releases/" not in d.location.file]  # history as is
    plan.changes = diff(estate.data, new)
    old_tree, new_tree = (d.model_dump(mode="python", by_alias=True) for d in (estate.data, new))
    plan.lines = [describe(c, old_tree, new_tree) for c in plan.changes]
    plan.diagnostics += _published_changed(estate, plan, side, built, tables)
    return new


def _column_of(located: Located, sheets: dict[str, Sheet]) -> Callable[[DataPath], str | None]:
    """A field by the title of the column it was read from (“表决楼幢”), for the messages."""

    def title(path: DataPath) -> str | None:
        at = located.where(path)
        sheet = sheets.get(at.file) if isinstance(at, CellAt) else None
        field = path[:-1] if path and isinstance(path[-1], int) else path  # a list's item
        column = missing_column(sheet, field) if sheet is not None else None
        return _("“{title}”", title=column.title) if column is not None else None

    return title


def _buildings_by_name(located: Located) -> dict[str, str]:
    """The buildings' ids by name, as the 楼栋 sheet has them (a row may yet be wrong)."""
    rows = located.data.get("buildings") if isinstance(located.data, dict) else None
    return {
        row["name"].strip(): row["id"]
        for row in rows or []
        if isinstance(row, dict)
        and isinstance(row.get("name"), str)
        and isinstance(row.get("id"), str)
    }


def _carried(data: EstateData) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The parts and statements the workbook does not hold, as the estate has them."""
    parts = {
        key: getattr(data, key)
        for key, _m in SECTION_FILES.values()
        if key not in _HELD and getattr(data, key) is not None
    }
    accounts = {
        key: {} if key in ACCOUNTS else dict(getattr(data.accounts, key))
        for key, _m in ACCOUNT_DIRS.values()
    }
    return parts, accounts


def _merged_files(estate: _Estate, built: Built) -> dict[Part, Located]:
    """Each file's data as the workbook has it; estate.yaml is the old file with the new buildings."""
    files = {p: located for p, located in built.parts.items() if p != ("estate",)}
    old = estate.loaded.source.files[("estate",)]
    sheet = built.parts.get(("estate",))
    data = dict(old.data) | {"buildings": sheet.data.get("buildings", []) if sheet else []}
    keep = {p: loc for p, loc in old.values.items() if p[:1] != ("buildings",)}
    new_values = (
        {p: loc for p, loc in sheet.values.items() if p[:1] == ("buildings",)} if sheet else {}
    )
    keys = {p: loc for p, loc in old.keys.items() if p[:1] != ("buildings",) or len(p) == 1}
    files[("estate",)] = Located(old.file, data, keep | new_values, keys)
    return files


def _relocated(
    found: list[Diagnostic], model: type[BaseModel], located: Located, sheets: dict[str, Sheet]
) -> list[Diagnostic]:
    """A required field left empty is shown at its empty cell, not at the row's first one."""
    if not any(d.code == "S001" for d in found):
        return found
    try:
        model.model_validate(located.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    else:  # pragma: no cover - parse found problems, so validation fails
        return found
    out = []
    for diagnostic, error in zip(found, errors, strict=True):
        where = diagnostic.location
        sheet = sheets.get(where.file) if isinstance(where, CellAt) else None
        path = tuple(error["loc"])
        column = missing_column(sheet, path) if sheet and error["type"] == "missing" else None
        if column is not None and sheet is not None:
            cell = CellAt(where.file, where.line, sheet.columns.index(column) + 1)
            message = _("“{title}”是必填的：请填上这一格", title=column.title)
            diagnostic = dataclasses.replace(diagnostic, location=cell, message=message)
        elif sheet is not None and sheet.type_column and error["type"] == "missing":
            named = str(path[-1])
            rows = list(
                dict.fromkeys(
                    t
                    for c in sheet.columns
                    for t, p in c.paths.items()
                    if p == named or p.startswith(f"{named}.")
                )
            )  # a period's own value (its closing, its dates) is given on its rows of a type
            message = (
                _(
                    "这一期缺少“{rows}”行：每期要有一行期初余额、一行期末余额",
                    rows=_("”“").join(rows),
                )
                if len(path) == 1 and rows
                else diagnostic.message
            )
            diagnostic = dataclasses.replace(
                diagnostic, location=located.values[()], message=message
            )  # at the period
        out.append(diagnostic)
    return out


def _kept_problems(estate: _Estate) -> list[Diagnostic]:
    """Problems of the files the workbook does not replace (notices, releases)."""
    owned = tuple(f"/{name}" for name in SECTION_FILES)
    return [
        d
        for d in estate.loaded.problems
        if not d.location.file.endswith(owned) and "/accounts/" not in d.location.file
    ]


def _published_changed(
    estate: _Estate, plan: Plan, side: Side, built: Built, tables: dict[str, Table]
) -> list[Diagnostic]:
    """W005 for each change to a period a release has published."""
    published = published_periods(estate.releases)
    problems = []
    for change, line in zip(plan.changes, plan.lines, strict=True):
        if change.path[0] != "accounts" or len(change.path) < 3:
            continue
        kind, pid = change.path[1], change.path[2]
        if (kind, pid) not in published:
            continue
        sheet = next(s.name for s in SHEETS if s.part == kind and s.define)
        part = ("accounts", kind, pid)
        if change.kind == "removed" and part in built.parts:
            where = built.parts[part].values[()]
        elif change.kind == "removed":
            where = tables[sheet].at(0)
        else:
            where = side.locate(change.at)
        message = _(
            "{sheet}：期次 {period} 已经发布，不能再改（{what}）；新的数据写在新的一期里",
            sheet=sheet,
            period=pid,
            what=line.text(),
        )
        problems.append(Diagnostic("W005", where, message))
    return problems


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Each problem once; at a cell with a formula error, only that error."""
    broken = {d.location for d in diagnostics if d.code == "W003"}
    history = {d.location for d in diagnostics if d.code == "H001"}
    seen: set[tuple[str, Any, str]] = set()
    out = []
    for d in diagnostics:
        key = (d.code, d.location, d.message)
        if (
            key in seen
            or (d.code != "W003" and d.location in broken)
            or (d.code == "W005" and d.location in history)
        ):
            continue
        seen.add(key)
        out.append(d)
    return sorted(out, key=lambda d: (not isinstance(d.location, CellAt), *d.sort_key()))


def _files(estate: _Estate, new: EstateData, built: Built, plan: Plan) -> None:
    """The text of each file whose data changed, and the files whose data is gone."""
    for part, _located in _merged_files(estate, built).items():
        path = _path(estate, part)
        old_model = _old_model(estate.data, part)
        new_model = _new_model(new, part)
        if old_model == new_model or new_model is None:
            continue
        given = _given(new_model)
        if old_model is None or not path.is_file():
            stem = part[1].replace("_", "-") if part[0] == "accounts" else part[0]
            plan.writes[path] = yamlfile.fresh_text(given, schema_line(estate.root, path, stem))
        else:
            old = old_model.model_dump(mode="python", by_alias=True)
            full = new_model.model_dump(mode="python", by_alias=True)
            text = path.read_text(encoding="utf-8-sig")
            written = yamlfile.updated(text, old, full, given)
            plan.writes[path] = written.replace("\n", "\r\n") if "\r\n" in text else written
        _same_data(plan.writes[path], path, new_model)
    for kind in ACCOUNTS:
        for pid in set(getattr(estate.data.accounts, kind)) - set(getattr(new.accounts, kind)):
            plan.removes.append(_path(estate, ("accounts", kind, pid)))
    for name in ("fees", "contracts", "services", "votes", "corrections"):
        if getattr(estate.data, name) is not None and getattr(new, name) is None:
            plan.removes.append(_path(estate, (name,)))


def _given(model: BaseModel) -> dict[str, Any]:
    given: dict[str, Any] = model.model_dump(mode="python", by_alias=True, exclude_unset=True)
    return given


def _path(estate: _Estate, part: Part) -> Path:
    if part[0] == "accounts":
        folder = next(d for d, (key, _m) in ACCOUNT_DIRS.items() if key == part[1])
        return estate.folder / "accounts" / folder / f"{part[2]}.yaml"
    return estate.folder / next(name for name, key in _FIELD_OF_PART.items() if key == part[0])


def _old_model(data: EstateData, part: Part) -> BaseModel | None:
    if part[0] == "accounts":
        return getattr(data.accounts, part[1]).get(part[2])
    model: BaseModel | None = getattr(data, part[0])
    return model


_new_model = _old_model


def _same_data(text: str, path: Path, model: BaseModel | None) -> None:
    """The text written must read back as the data checked; anything else is a bug, not a write."""
    located, problems = load_text(text.replace("\r\n", "\n"), str(path))
    value, found = parse(type(model), located) if model is not None else (None, [])
    if problems or found or value != model:
        raise AssertionError(f"{path}: the YAML written does not read back as the data imported")


def apply_import(plan: Plan) -> list[Path]:
    """Write the plan's files, all or none: each is written beside its place, then moved in."""
    if plan.failed:
        raise ContentError(plan.diagnostics)
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in plan.writes.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".import-", suffix=".yaml", dir=path.parent)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            staged.append((temporary, path))
    except OSError:
        for temporary, _path in staged:
            os.unlink(temporary)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)
    for path in plan.removes:
        path.unlink()
    if plan.imported is not None and plan.cache is not None:  # the import stands without it
        export, digests = plan.imported
        with contextlib.suppress(OSError, GeneratorError):
            plan.cache.keep_imported(plan.estate_id, export, digests.encode("utf-8"))
    return [*plan.writes, *plan.removes]

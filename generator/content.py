"""The content tree: which files an estate has, and how each becomes a model.

An estate is a folder ``content/<estate-id>/``::

    estate.yaml                         the estate and its parties
    fees.yaml                           the price board
    contracts.yaml                      service contracts and amendments
    services.yaml                       the four guarantees (四保)
    votes.yaml                          owners' votes
    governance.yaml                     party organisations, public roles, elections, reception
    evaluations.yaml                    owners' surveys, evaluations, the 红黑榜
    meetings.yaml                       fee negotiation meetings, hearings, reception days
    corrections.yaml                    corrections (更正) of published data
    accounts/maintenance-fund/<p>.yaml  one statement per period <p>
    accounts/public-revenue/<p>.yaml
    accounts/property-fees/<p>.yaml
    accounts/complaint-handling/<p>.yaml  complaints received and resolved, a period a file
    notices/<id>.md                     Markdown with YAML front matter
    documents/<id>.md                   the owners' texts (管理规约 …), Markdown with front matter
    releases/<id>.json                  machine-written release snapshots
    attachments/...                     scans and other files, not parsed
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from . import chars, fonts, mistakes, tree
from .errors import Diagnostic, Location
from .i18n import N_, _, pick
from .load import (
    BOUNDS,
    Bounds,
    DataPath,
    Located,
    dotted,
    link_message,
    load_file,
    load_text,
    read_text,
)
from .model import Accounts, EstateData
from .model.accounts import (
    ComplaintStatement,
    FeeStatement,
    FundStatement,
    RevenueStatement,
    Votes,
)
from .model.base import ID_PATTERN
from .model.base import id_example as _id_example
from .model.contracts import Contracts, Services
from .model.estate import Estate
from .model.evaluations import Evaluations, Meetings
from .model.fees import Fees
from .model.governance import Document, DocumentMeta, Governance
from .model.notices import Corrections, Notice, NoticeMeta
from .pinyin import spoken

# file name -> (field of EstateData, model); the one table the loader, the
# schemas and the scaffold follow.
SECTION_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "estate.yaml": ("estate", Estate),
    "fees.yaml": ("fees", Fees),
    "contracts.yaml": ("contracts", Contracts),
    "services.yaml": ("services", Services),
    "votes.yaml": ("votes", Votes),
    "governance.yaml": ("governance", Governance),
    "evaluations.yaml": ("evaluations", Evaluations),
    "meetings.yaml": ("meetings", Meetings),
    "corrections.yaml": ("corrections", Corrections),
}
ACCOUNT_DIRS: dict[str, tuple[str, type[BaseModel]]] = {
    "maintenance-fund": ("maintenance_fund", FundStatement),
    "public-revenue": ("public_revenue", RevenueStatement),
    "property-fees": ("property_fees", FeeStatement),
    "complaint-handling": ("complaint_handling", ComplaintStatement),
}
NOTICES_DIR = "notices"
DOCUMENTS_DIR = "documents"
RELEASES_DIR = "releases"
ATTACHMENTS_DIR = "attachments"


@dataclass
class EstateSource:
    """Where an estate's data came from, to turn a data path into file:line:col."""

    folder: Path
    display: str
    files: dict[tuple[str, ...], Located] = field(default_factory=dict)

    def at(self, part: tuple[str, ...], path: DataPath = (), key: bool = False) -> Location:
        """Location of ``path`` inside the file holding ``part`` (e.g. ("fees",))."""
        located = self.files.get(part)
        if located is None:
            return Location(f"{self.display}/{_part_file(part)}", 1, 1)
        return located.where(path, key=key)


def _part_file(part: tuple[str, ...]) -> str:
    if part[0] == "accounts":
        folder = next(d for d, (name, _model) in ACCOUNT_DIRS.items() if name == part[1])
        return f"accounts/{folder}/{part[2]}.yaml"
    if part[0] in MARKDOWN_DIRS:
        return f"{MARKDOWN_DIRS[part[0]]}/{part[1]}.md"
    return next(f for f, (name, _model) in SECTION_FILES.items() if name == part[0])


def parse(
    model: type[BaseModel],
    located: Located,
    extra: dict[str, Any] | None = None,
    buildings: dict[str, str] | None = None,
    listed: str | None = None,
    titled: Callable[[DataPath], str | None] | None = None,
) -> tuple[Any, list[Diagnostic]]:
    """Validate located data against a model; map every error to a diagnostic.
    ``buildings``: the estate's buildings' ids by name, to name the id where a name is
    written; ``listed``: where the reader finds those ids (estate.yaml's buildings);
    ``titled``: a field as the reader sees it (a workbook's column), else its path."""
    data = located.data if extra is None else {**(located.data or {}), **extra}
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = [e for e in exc.errors(include_url=False) if not _refused(located, e["loc"])]
        # "from：2025-01-01" in {…} is one key to YAML: its S002 says how to write it, and
        # "from" is not also said to be missing
        run_on = {
            (*e["loc"][:-1], named[0])
            for e in errors
            if e["type"] == "extra_forbidden" and (named := _run_on(str(e["loc"][-1])))
        }
        errors = [e for e in errors if e["type"] != "missing" or tuple(e["loc"]) not in run_on]
        listed = listed or _("estate.yaml 的 buildings")
        return None, [
            _diagnostic(err, located, model, buildings or {}, listed, titled) for err in errors
        ]


def _building_named(text: str, buildings: dict[str, str]) -> tuple[str, str] | None:
    """The id and name of the building ``text`` names: by its name, or by the one number in
    it when exactly one building's name has that number (3幢, 3栋 for 3号楼)."""
    if not text:
        return None
    if text.strip() in buildings:
        return buildings[text.strip()], text.strip()
    number = re.fullmatch(r"\D*?(\d+)\D*", text)
    if number is None:
        return None
    found = {
        (i, name) for name, i in buildings.items() if re.findall(r"\d+", name) == [number.group(1)]
    }
    return found.pop() if len(found) == 1 else None


def _run_on(key: str) -> tuple[str, str] | None:
    """A key and its value written as one with a full-width colon (from：2025-01-01)."""
    name, colon, value = key.partition("：")
    return (name.strip(), value.strip()) if colon and name.strip() and value.strip() else None


def _refused(located: Located, path: tuple[Any, ...]) -> bool:
    """The loader refused this value or one it is part of (L004): not judged again."""
    return any(tuple(path[:cut]) in located.refused for cut in range(len(path) + 1))


def _diagnostic(
    err: Any,
    located: Located,
    model: type[BaseModel],
    buildings: dict[str, str],
    listed: str,
    titled: Callable[[DataPath], str | None] | None,
) -> Diagnostic:
    path: DataPath = tuple(err["loc"])
    kind: str = err["type"]
    where = (titled and titled(path)) or dotted(path) + _label(model, path)
    named = _building_named(str(err["ctx"]["id"]), buildings) if kind == "sunshine_I001" else None
    if named is not None:
        message = _(
            "{where}：“{got}”是楼幢“{name}”吧？这里要写楼幢的编号，请写成 {id}（编号见{listed}）",
            where=where,
            got=err["ctx"]["id"],
            name=named[1],
            id=named[0],
            listed=listed,
        )
        return Diagnostic("I001", located.where(path), message)
    if kind == "missing":
        field = str(path[-1])
        message = _(
            "{where}：缺少必填字段“{field}”，请在{parent}下加一行“{field}: …”",
            where=where,
            field=field,
            parent=_("文件最外层") if len(path) == 1 else dotted(path[:-1]),
        )
        return Diagnostic("S001", located.where(path[:-1]), message)
    if kind == "extra_forbidden":
        return Diagnostic("S002", located.where(path, key=True), _unknown(model, path))
    if kind.startswith("sunshine_T"):  # the text rule: at the character itself
        message = _("{where}：{message}", where=where, message=err["msg"])
        return Diagnostic(
            kind.removeprefix("sunshine_"), located.char_at(path, err["ctx"]["char"]), message
        )
    if kind.startswith("sunshine_"):
        message = _("{where}：{message}", where=where, message=err["msg"])
        return Diagnostic(kind.removeprefix("sunshine_"), located.where(path), message)
    code = "S005" if kind.startswith("date") else "S004" if kind.startswith("decimal") else "S003"
    message = _builtin(kind, err.get("input"), err.get("ctx") or {}, model, path)
    return Diagnostic(
        code, located.where(path), _("{where}：{message}", where=where, message=message)
    )


def _unknown(model: type[BaseModel], path: DataPath) -> str:
    """An unknown key: the nearest allowed one, or the list of allowed ones."""
    key, allowed = str(path[-1]), fields_at(model, path[:-1])
    run_on = _run_on(key)
    if run_on and run_on[0] in allowed:
        return _(
            "{path}：“{key}”里的冒号是中文全角“：”，YAML 把它整个读成了一个字段名：请写成“{name}: {value}”（英文冒号，后面空一格）",
            path=dotted(path[:-1]) or _("文件最外层"),
            key=key,
            name=run_on[0],
            value=run_on[1],
        )
    bare = key.strip(" \u3000").replace("：", "").strip()
    if bare != key and bare in allowed:
        return _(
            "{path}：字段名“{key}”里有全角空格或全角冒号：请写成“{bare}: …”（用英文输入法）",
            path=dotted(path),
            key=key,
            bare=bare,
        )
    labels = {name: _words(model, (*path[:-1], name)) for name in allowed}
    named = _by_words(key, labels)
    if named is not None:
        return _(
            "{path}：字段名要写英文：“{key}”请写成“{name}”",
            path=dotted(path),
            key=key,
            name=named,
        )
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return _(
            "{path}：没有“{key}”这个字段，是不是“{close}”{label}？",
            path=dotted(path),
            key=key,
            close=close[0],
            label=_label(model, (*path[:-1], close[0])),
        )
    return _(
        "{path}：没有“{key}”这个字段；这里可以写的字段有：{allowed}",
        path=dotted(path),
        key=key,
        allowed=_("、").join(
            _("{name}（{label}）", name=n, label=labels[n]) if labels[n] else n for n in allowed
        ),
    )


def _builtin(
    kind: str, got: Any, ctx: dict[str, Any], model: type[BaseModel], path: DataPath
) -> str:
    """What pydantic's own error types mean, in the clerk's words, with what to write instead."""
    shown = _shown(got)
    if kind in ("enum", "literal_error"):
        choices = [str(c) for c in _choices(model, path)] or re.findall(
            r"'([^']*)'", str(ctx.get("expected", ""))
        )
        parts = [p.strip() for p in re.split("[，、,；;]", got)] if isinstance(got, str) else []
        if len(parts) > 1 and all(p in choices for p in parts):  # a list written as one text
            return _(
                "“{got}”是几项写在了一起：列表的每一项之间用英文逗号“,”隔开，写成 [{items}]",
                got=got,
                items=", ".join(parts),
            )
        message = _(
            "{got}不是可选的值，只能写以下之一：{choices}",
            got=shown,
            choices=_("、").join(choices),
        )
        close = mistakes.nearest(got, choices)
        return message + (_("。最接近的是“{close}”", close=close) if close else "")
    if kind.startswith("bool"):
        return mistakes.boolean(got) or _(
            "只能写 true（是）或 false（否），现在写的是 {got}", got=shown
        )
    if kind.startswith("int") or kind in ("greater_than_equal", "greater_than"):
        if kind.startswith("greater"):
            return _(
                "不能小于 {limit}，现在写的是 {got}",
                limit=ctx.get("ge", ctx.get("gt", 0)),
                got=shown,
            )
        unit = mistakes.number(got, 0) if isinstance(got, str) else None
        return unit or _("要写整数（不带小数点，也不加引号），如 320，现在写的是 {got}", got=shown)
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("这里要写一个列表：每一项单独一行，以“- ”开头；现在写的是 {got}", got=shown)
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        if isinstance(got, str) and "：" in got:
            return _("{got} 里的冒号是中文全角“：”：请换成英文半角冒号“:”并在后面空一格", got=shown)
        return _(
            "这里要写下一级的若干“键: 值”（每行一个，比上一级多缩进两个空格）；现在写的是 {got}",
            got=shown,
        )
    if kind == "too_short":
        return _(
            "至少要写 {n} 项，现在是 {got} 项",
            n=ctx.get("min_length", 1),
            got=ctx.get("actual_length", 0),
        )
    if kind.startswith("string"):
        return _("这里要写文字，现在写的是 {got}", got=shown)
    return _("这个值不符合要求（{got}）：请对照 docs/content.zh.md 中这个字段的说明", got=shown)


def _shown(value: Any) -> str:
    """A value as the clerk wrote it, short."""
    if value is None:
        return _("空的")
    if isinstance(value, dict | list):
        return _("下一级的列表或键值")
    text = str(value).lower() if isinstance(value, bool) else str(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"“{text}”" if isinstance(value, str) else text


def _label(model: type[BaseModel], path: DataPath) -> str:
    """The field's name in the clerk's words (its description), in brackets; empty when unknown."""
    label = _words(model, path)
    return _("（{label}）", label=label) if label else ""


def _words(model: type[BaseModel], path: DataPath) -> str:
    """The field's name in the clerk's words, bare; empty when unknown."""
    info = field_info(model, _keys(path))
    if info is None or not info.description:
        return ""
    return re.split(r"[，：（]", pick(info.description))[0]


def _by_words(key: str, labels: dict[str, str]) -> str | None:
    """The field a key names in the clerk's words: its label (户数), or that in pinyin (hushu)."""
    found = [name for name, label in labels.items() if label and key == label]
    if not found and key.isascii() and key.isalpha():
        found = [n for n, label in labels.items() if label and key.lower() in spoken(label)]
    return found[0] if len(found) == 1 else None


def _choices(model: type[BaseModel], path: DataPath) -> list[str]:
    info = field_info(model, _keys(path))
    annotation = _item(info.annotation) if info is not None else None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(m.value) for m in annotation]
    return []


def _keys(path: DataPath) -> DataPath:
    """A data path without its list indices, down to the last key."""
    return tuple(p for p in path if not isinstance(p, int))


def field_info(model: type[BaseModel], path: DataPath) -> FieldInfo | None:
    """The field at a path of YAML keys, or None."""
    if not path:
        return None
    parent = _model_at(model, path[:-1])
    return _fields(parent).get(str(path[-1])) if parent is not None else None


def fields_at(model: type[BaseModel], path: DataPath) -> list[str]:
    """The YAML keys allowed in the mapping at ``path`` of ``model``."""
    return list(_fields(_model_at(model, path)))


def _model_at(model: type[BaseModel], path: DataPath) -> Any:
    """The model of the mapping at a path (list indices may be left out), or None."""
    current: Any = model
    for part in path:
        current = _item(current)
        if isinstance(part, int):
            continue
        info = _fields(current).get(str(part))
        if info is None:
            return None
        current = info.annotation
    return _item(current)


def _item(annotation: Any) -> Any:
    """A type without Optional and Annotated, and a list's item type for a list."""
    annotation = _bare(annotation)
    return _bare(get_args(annotation)[0]) if get_origin(annotation) is list else annotation


def _fields(model: Any) -> dict[str, FieldInfo]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return {f.alias or n: f for n, f in model.model_fields.items()}
    return {}


def _bare(annotation: Any) -> Any:
    """Strip Optional and Annotated from a type annotation."""
    while get_origin(annotation) in (Annotated, Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = args[0]
    return annotation


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Split '---' front matter from a Markdown body; None when there is none."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :])
    return None


@dataclass(frozen=True)
class MarkdownKind:
    """A kind of Markdown file with front matter: notices, the owners' documents."""

    folder: str
    meta: type[BaseModel]
    whole: type[BaseModel]
    no_front_matter: str  # L005's message: how the file must begin
    front_matter: str  # what N001 calls the front matter, before the field's problem


NOTICE_FILES = MarkdownKind(
    NOTICES_DIR,
    NoticeMeta,
    Notice,
    N_(
        "公告要以文件头开始：第一行写“---”，接着写 title、date、category 等（每行“键: 值”），再写一行“---”，下面才是正文"
    ),
    N_("公告文件头：{message}"),
)
DOCUMENT_FILES = MarkdownKind(
    DOCUMENTS_DIR,
    DocumentMeta,
    Document,
    N_(
        "管理规约等制度文件要以文件头开始：第一行写“---”，接着写 title、kind、adopted 等（每行“键: 值”），再写一行“---”，下面才是全文"
    ),
    N_("制度文件的文件头：{message}"),
)
# EstateData field -> the Markdown files it is read from
MARKDOWN_FILES = {"notices": NOTICE_FILES, "documents": DOCUMENT_FILES}
MARKDOWN_DIRS = {key: kind.folder for key, kind in MARKDOWN_FILES.items()}


def load_markdown(
    path: Path,
    display: str,
    item_id: str,
    kind: MarkdownKind = NOTICE_FILES,
    bounds: Bounds = BOUNDS,
) -> tuple[Located, Any, list[Diagnostic]]:
    """Load notices/<id>.md (or documents/<id>.md): front matter -> its model, the rest is the body."""
    text, problems = read_text(path, display, bounds)
    if text is None:
        return Located(display, None), None, problems
    parts = split_front_matter(text)
    if parts is None:
        message = _(kind.no_front_matter)
        return Located(display, None), None, [Diagnostic("L005", Location(display, 1, 1), message)]
    located, problems = load_text(parts[0], display, line_offset=1, bounds=bounds)
    if problems:
        return located, None, problems
    meta, problems = parse(kind.meta, located)
    if meta is None:
        return located, None, [_as_front_matter_error(d, kind) for d in problems]
    body = chars.tidy(parts[1], one_line=False)
    problems = _body_flaws(body, text, display, parts[0].count("\n") + 3)
    problems += _referenced_flaws(text, display, len(text) - len(parts[1]))
    if not chars.markup_bounded(body):
        message = _(
            "正文的方括号 [ 或尖括号 < 太多（各不超过 {limit} 个），或方括号、列表、引用套得太深（不超过 {depth} 层）：网页会把它当作纯文字显示。请删去多余的符号，链接写成 [文字](网址) 即可",
            limit=chars.MARKUP_LIMIT,
            depth=chars.NESTING_LIMIT,
        )
        problems.append(Diagnostic("L009", Location(display, parts[0].count("\n") + 4, 1), message))
    if problems:
        return located, None, problems
    item = kind.whole.model_validate({**located.data, "id": item_id, "body": body})
    body_line = parts[0].count("\n") + 4  # the opening "---", the front matter, the closing "---"
    located.values[("body",)] = Location(display, body_line, 1)
    return located, item, []


def _body_flaws(body: str, text: str, display: str, first_line: int) -> list[Diagnostic]:
    """Each character of a body the text rule refuses, where the file has it."""
    whole = Located(display, None, text=text)
    return [
        Diagnostic(flaw.code, whole.char_at((), flaw.char, first_line), flaw.message(False))
        for flaw in chars.flaws(body, one_line=False)[:20]
    ]


def _referenced_flaws(text: str, display: str, body_start: int) -> list[Diagnostic]:
    """Each character reference in a body (&#x202E;) naming a character the rule refuses:
    the page would show that character as if it were typed."""
    whole = Located(display, None, text=text)
    return [
        Diagnostic(
            flaw.code,
            whole.location_of(body_start + at),
            _("“{reference}”写的是一个字符：{what}", reference=reference, what=flaw.message(False)),
        )
        for at, reference, flaw in chars.referenced_flaws(text[body_start:])[:20]
    ]


def _as_front_matter_error(d: Diagnostic, kind: MarkdownKind) -> Diagnostic:
    return (
        Diagnostic("N001", d.location, _(kind.front_matter, message=d.message))
        if d.code.startswith("S")
        else d
    )


@dataclass
class LoadedParts:
    """An estate as loaded: the data of every file that passed, and whether all did."""

    data: EstateData | None
    source: EstateSource
    problems: list[Diagnostic]
    complete: bool


def load_estate(folder: Path, display: str, bounds: Bounds = BOUNDS) -> LoadedParts:
    """Load one estate folder, keeping every file that passes its schema; a link in it is
    reported and nothing is read through it."""
    source = EstateSource(folder, display)
    listing = tree.walk(folder)
    problems = links_found(listing, display)
    parts: dict[str, Any] = {}
    failed = 0
    if "estate.yaml" not in listing.files:
        message = _(
            "小区目录里缺少 estate.yaml：每个小区都要有它；可以用 sunshine new 新建一个小区，再把文件搬过来"
        )
        problems.append(Diagnostic("S001", Location(f"{display}/estate.yaml", 1, 1), message))
    buildings: dict[str, str] = {}  # by name: where a name is written for an id, the id
    for name, (key, model) in SECTION_FILES.items():  # estate.yaml first
        if name in listing.files:
            shown = f"{display}/{name}"
            part = _load_part(folder / name, shown, model, source, (key,), bounds, buildings)
            problems += part[1]
            failed += part[0] is None
            if part[0] is not None:
                parts[key] = part[0]
            if key == "estate" and part[0] is not None:
                buildings = {b.name: b.id for b in part[0].buildings}
    accounts: dict[str, dict[str, Any]] = {name: {} for name, _model in ACCOUNT_DIRS.values()}
    for folder_name, (key, model) in ACCOUNT_DIRS.items():
        for relative in listing.under(f"accounts/{folder_name}", ".yaml"):
            path, shown = folder / relative, f"{display}/{relative}"
            if not _file_id_ok(path, shown, problems):
                failed += 1
                continue
            where = ("accounts", key, path.stem)
            value, found = _load_part(path, shown, model, source, where, bounds, buildings)
            problems += found
            failed += value is None
            if value is not None:
                accounts[key][path.stem] = value
    markdown: dict[str, dict[str, Any]] = {}
    for key, kind in MARKDOWN_FILES.items():
        markdown[key], broken = _load_markdown_folder(
            folder, display, listing, (key, kind), source, problems, bounds
        )
        failed += broken
    problems += _stray_files(listing, display)
    if "estate" not in parts:
        return LoadedParts(None, source, problems, False)
    data = EstateData(**parts, accounts=Accounts(**accounts), **markdown)
    return LoadedParts(data, source, problems, failed == 0)


def links_found(listing: tree.Listing, display: str) -> list[Diagnostic]:
    """L008 for each link and each thing that is not a file or folder, by its own path; L006
    for a folder too deep to enter (tree.DEPTH)."""
    found = []
    for relative, link in [(r, True) for r in listing.links] + [(r, False) for r in listing.others]:
        where = Location(f"{display}/{relative}" if relative else display, 1, 1)
        found.append(Diagnostic("L008", where, link_message(link)))
    for relative in listing.too_deep:
        message = _(
            "这个目录嵌在第 {depth} 层，太深了，里面的东西都没有读取：要公示的文件请放回上层目录，再删掉这个目录",
            depth=tree.DEPTH,
        )
        found.append(Diagnostic("L006", Location(f"{display}/{relative}", 1, 1), message))
    return found


def _load_markdown_folder(
    folder: Path,
    display: str,
    listing: tree.Listing,
    files: tuple[str, MarkdownKind],
    source: EstateSource,
    problems: list[Diagnostic],
    bounds: Bounds,
) -> tuple[dict[str, Any], int]:
    """Every notices/<id>.md (or documents/<id>.md) that loads, and how many did not."""
    key, kind = files
    items: dict[str, Any] = {}
    failed = 0
    for relative in listing.under(kind.folder, ".md"):
        path, shown = folder / relative, f"{display}/{relative}"
        if not _file_id_ok(path, shown, problems):
            failed += 1
            continue
        located, item, found = load_markdown(path, shown, path.stem, kind, bounds)
        source.files[(key, path.stem)] = located
        problems += found
        failed += item is None
        if item is not None:
            items[item.id] = item
            below = located.text.count("\n") + 3  # the front matter and its two --- lines
            body = Located(shown, None, text=item.body, line_offset=below)
            source.files[("body", key, path.stem)] = body  # its body too, for the glyph check
    return items, failed


def _load_part(
    path: Path,
    display: str,
    model: type[BaseModel],
    source: EstateSource,
    part: tuple[str, ...],
    bounds: Bounds,
    buildings: dict[str, str] | None = None,
) -> tuple[Any, list[Diagnostic]]:
    located, problems = load_file(path, display, bounds)
    source.files[part] = located
    if located.data is None and problems:  # unreadable or not YAML: nothing to validate
        return None, problems
    value, found = parse(model, located, buildings=buildings)
    return (None if problems else value), problems + found


def _file_id_ok(path: Path, shown: str, problems: list[Diagnostic]) -> bool:
    """A statement's or notice's file name is its id: it must be URL-safe."""
    if ID_PATTERN.match(path.stem):
        return True
    message = _(
        "文件名“{stem}”不能作编号，这个文件没有读取：文件名只用小写字母 a-z、数字 0-9 和 -，例如 {example}{suffix}",
        stem=path.stem,
        example=_id_example(path.stem) if path.stem.strip() else "2025-q1",
        suffix=path.suffix,
    )
    problems.append(Diagnostic("I001", Location(shown, 1, 1), message))
    return False


def _stray_files(listing: tree.Listing, display: str) -> list[Diagnostic]:
    """Files the loader would silently ignore are reported, so no data is lost."""
    problems = []
    for relative in sorted(listing.files):
        rel = Path(relative)
        if any(p.startswith(".") for p in rel.parts) or rel.parts[0] == ATTACHMENTS_DIR:
            continue
        expected = (
            (len(rel.parts) == 1 and rel.name in SECTION_FILES)
            or (
                len(rel.parts) == 3
                and rel.parts[0] == "accounts"
                and rel.parts[1] in ACCOUNT_DIRS
                and rel.suffix == ".yaml"
            )
            or (
                len(rel.parts) == 2
                and rel.parts[0] in MARKDOWN_DIRS.values()
                and rel.suffix == ".md"
            )
            or (len(rel.parts) == 2 and rel.parts[0] == RELEASES_DIR and rel.suffix == ".json")
        )
        if not expected:
            where = Location(f"{display}/{rel.as_posix()}", 1, 1)
            problems.append(Diagnostic("L006", where, _stray_message(rel)))
    return problems


def _stray_message(rel: Path) -> str:
    """Why a file is not read, and the name it probably should have."""
    if rel.suffix.lower() in (".yml", ".yaml") and rel.suffix != ".yaml":
        return _(
            "这个文件没有读取：扩展名要写 .yaml，请把它改名为 {name}",
            name=rel.with_suffix(".yaml").name,
        )
    if rel.suffix == ".yaml" and len(rel.parts) == 1:
        close = difflib.get_close_matches(rel.name, list(SECTION_FILES), n=1, cutoff=0.6)
        if close:
            return _("这个文件没有读取：是不是应该叫 {name}？请改名", name=close[0])
    if rel.parts[0] == "accounts" and len(rel.parts) == 3 and rel.parts[1] not in ACCOUNT_DIRS:
        close = difflib.get_close_matches(rel.parts[1], list(ACCOUNT_DIRS), n=1, cutoff=0.5)
        if close:
            return _(
                "这个文件没有读取：目录 accounts/{folder}/ 应叫 accounts/{name}/，请改名",
                folder=rel.parts[1],
                name=close[0],
            )
    return _(
        "这个文件没有读取：小区目录里只放规定的文件（见 docs/content.zh.md 第 1 节）；扫描件等附件请放到 attachments/ 下"
    )


def glyph_findings(source: EstateSource) -> list[Diagnostic]:
    """T004 for each character of the estate's files no installed font can draw, at each
    place it is written (a sheet would print a box there); T005 when the machine has no
    Chinese font to check with."""
    if not _draws_chinese(fonts.coverage()):
        message = _("本机没有中文字体，没有核对字形：请运行 sunshine doctor，安装 fonts-noto-cjk")
        return [Diagnostic("T005", Location(source.display, 1, 1), message)]
    found = []
    for located in source.files.values():
        for index in _undrawn(located.text):
            char = located.text[index]
            message = _(
                "字符“{char}”（{name}）本机没有任何字体能显示，公示单上会印成方框：请换一种写法，或安装能显示它的字体（sunshine doctor 列出本机字体）",
                char=char,
                name=chars.describe(char),
            )
            found.append(Diagnostic("T004", located.location_of(index), message))
    return found


@cache
def _draws_chinese(covered: frozenset[int]) -> bool:
    """fonts.draws_chinese, once for each set of fonts (a walk of every code point they cover)."""
    del covered  # the key: fonts.coverage() is itself kept per fontconfig setup
    return fonts.draws_chinese()


def _undrawn(text: str) -> list[int]:
    """Where ``text`` has a character no installed font draws (comments too: cheap, and
    a clerk's comment is rarely in a script no font has)."""
    absent = set(fonts.missing(text))
    return [i for i, c in enumerate(text) if c in absent] if absent else []

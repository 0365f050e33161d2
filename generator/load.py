"""YAML -> plain data plus the source location of every value.

PyYAML's C parser composes the node tree (with marks); the values are built
here so that duplicate keys are errors, numbers with a fraction become exact
``Decimal`` from their source text (never ``float``), and anchors, aliases and
custom tags, which make a ledger hard to read, are refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from . import chars, mistakes, tree
from .errors import Diagnostic, Location
from .i18n import N_, _

try:  # the C loader is about 7x faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

DataPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_PLAIN_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")
_PLAIN_DECIMAL = re.compile(
    r"-?(0|[1-9][0-9]*)\.[0-9]+\Z"
)  # else text: the model says how to write it
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


@dataclass(frozen=True)
class Bounds:
    """How much one file may hold, checked before it is parsed (site.yaml's limits)."""

    size: int = 5 * 1024 * 1024  # bytes
    entries: int | None = 20_000  # list items and key-value pairs; None: not counted
    depth: int = 32  # levels of nesting: a real estate's files have about eight


BOUNDS = Bounds()
SNAPSHOT_BOUNDS = Bounds(size=20 * 1024 * 1024, entries=None)  # machine-written JSON


@dataclass
class Located:
    """Data read from one file, with the location of each value and each key."""

    file: str
    data: Any
    values: dict[DataPath, Location] = field(default_factory=dict)
    keys: dict[DataPath, Location] = field(default_factory=dict)
    spans: dict[DataPath, tuple[int, int]] = field(default_factory=dict)  # of scalars, in text
    text: str = ""
    line_offset: int = 0
    refused: set[DataPath] = field(default_factory=set)  # values the loader refused (L004)

    def where(self, path: DataPath, key: bool = False) -> Location:
        """Return the location of a path, or of its nearest located ancestor."""
        table = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            loc = table.get(path[:cut]) or self.values.get(path[:cut])
            if loc is not None:
                return loc
        return Location(self.file, 1, 1)

    def char_at(self, path: DataPath, char: str, line: int = 0) -> Location:
        """Where ``char`` is written in the value at ``path`` (or in the text from ``line``
        on); the value's place when it is written as an escape ("\\u202e") or not found."""
        span = self.spans.get(path) or ((self._line_start(line), len(self.text)) if line else None)
        at = self.text.find(char, *span) if span and char else -1
        if at < 0:
            return self.where(path) if path or not line else Location(self.file, line, 1)
        return self.location_of(at)

    def _line_start(self, line: int) -> int:
        at = 0
        for _line in range(line - 1 - self.line_offset):
            at = self.text.find("\n", at) + 1
            if at == 0:
                return len(self.text)
        return at

    def location_of(self, index: int) -> Location:
        start = self.text.rfind("\n", 0, index) + 1
        line = self.text.count("\n", 0, index) + 1 + self.line_offset
        return Location(self.file, line, index - start + 1)


class _Builder:
    def __init__(self, file: str, line_offset: int):
        self.file = file
        self.line_offset = line_offset
        self.located = Located(file, None, line_offset=line_offset)
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[int] = set()

    def loc(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.file, mark.line + 1 + self.line_offset, mark.column + 1)

    def problem(self, code: str, node: yaml.Node, message: str) -> None:
        self.diagnostics.append(Diagnostic(code, self.loc(node), message))

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        if id(node) in self._seen:  # an alias: the composer hands back the anchored node
            where = self.located.where(path, key=True)
            message = _(
                "{path}：不能用别名（*名称）引用别处的值：请把值完整地写出来", path=dotted(path)
            )
            self.diagnostics.append(Diagnostic("L004", where, message))
            return None
        self.located.values[path] = self.loc(node)
        self._seen.add(id(node))
        if not isinstance(node, yaml.ScalarNode) and node.tag not in (_TAG + "map", _TAG + "seq"):
            self.refuse_tag(node, path)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                self.problem(
                    "L004",
                    key_node,
                    _(
                        "{path}：键只能是普通的名字（不能用 << 合并键，也不能用列表或“? ”作键）",
                        path=dotted(path),
                    ),
                )
                continue
            key = str(key_node.value)
            if key in result:
                first = self.located.keys[(*path, key)]
                self.problem(
                    "L002",
                    key_node,
                    _(
                        "{path}：“{key}”写了两次（第一次在第 {line} 行）：同一级里每个键只能写一次，请删掉一个或合并成一个",
                        path=dotted((*path, key)),
                        key=key,
                        line=first.line,
                    ),
                )
                continue
            self.located.keys[(*path, key)] = self.loc(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def refuse_tag(self, node: yaml.Node, path: DataPath) -> None:
        """A tag (!name, !!python/…) is refused; the value it marks is not judged again."""
        message = _(
            "{path}：不能用 {tag} 这样的类型标签：直接写值",
            path=dotted(path),
            tag=node.tag.replace(_TAG, "!!"),
        )
        self.problem("L004", node, message)
        self.located.refused.add(path)

    def scalar(self, node: yaml.ScalarNode, path: DataPath) -> Any:
        tag, text = node.tag, node.value
        self.located.spans[path] = (node.start_mark.index, node.end_mark.index)
        if tag == _TAG + "str":
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return text.lower() in ("true", "yes", "on", "y")
        if tag == _TAG + "int":  # past 4,300 digits Python refuses; such a "number" stays text
            return int(text) if _PLAIN_INT.match(text) and len(text) < 4000 else text
        if tag == _TAG + "float":
            return _decimal(text)
        if tag == _TAG + "timestamp":
            return _date(text)
        self.refuse_tag(node, path)
        return text


def _decimal(text: str) -> Decimal | str:
    """Read a plain YAML float exactly; any other ('7.3e+3', '1_000.5', '.inf') stays text,
    for the model to refuse with its plain form."""
    if not _PLAIN_DECIMAL.match(text):
        return text
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits plain decimals only
        return text


def _date(text: str) -> dt.date | str:
    """Read an ISO date; anything else (times, impossible days) stays text for validation."""
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def dotted(path: DataPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or _("（整个文件）")


def load_text(
    text: str, file: str, line_offset: int = 0, bounds: Bounds = BOUNDS
) -> tuple[Located, list[Diagnostic]]:
    """Parse YAML text within the bounds; return the located data and every problem found."""
    builder = _Builder(file, line_offset)
    over = _over(text, file, line_offset, bounds)
    if over is not None:  # not kept either: nothing more is asked of it
        return builder.located, [over]
    builder.located.text = text
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1) if mark else 1
        column = (mark.column + 1) if mark else 1
        slip = mistakes.syntax(text, line, column)
        if slip is not None:
            line, column, message = slip
        else:
            message = _syntax_message(exc)
        where = Location(file, line + line_offset, column)
        return builder.located, [Diagnostic("L001", where, message)]
    except yaml.YAMLError as exc:  # reader errors: characters YAML does not allow
        found = _refused_characters(builder.located)
        return builder.located, found or [
            Diagnostic("L001", Location(file, 1 + line_offset, 1), _syntax_message(exc))
        ]
    if node is not None:
        builder.located.data = builder.build(node, ())
    return builder.located, builder.diagnostics


def _over(text: str, file: str, line_offset: int, bounds: Bounds) -> Diagnostic | None:
    """L009 when the text holds more entries or deeper nesting than the bounds allow,
    found from the parser's events before anything is built; a syntax error is left to
    the parse that follows."""
    entries = 0
    open_: list[list[int]] = []  # per open list or mapping: [is a mapping, children so far]
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            if open_:
                parent = open_[-1]
                entries += not parent[0] or parent[1] % 2 == 0
                parent[1] += 1
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append([int(isinstance(event, yaml.MappingStartEvent)), 0])
            if len(open_) > bounds.depth or (bounds.entries and entries > bounds.entries):
                return _bound_hit(event, file, line_offset, bounds, len(open_) > bounds.depth)
    except yaml.YAMLError:
        return None
    return None


def _bound_hit(
    event: yaml.Event, file: str, line_offset: int, bounds: Bounds, deep: bool
) -> Diagnostic:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    where = Location(file, line + line_offset, column)
    if deep:
        message = _(
            "这里嵌套超过 {depth} 层，文件没有读取：公示数据用不到这么多层，请检查缩进和括号",
            depth=bounds.depth,
        )
    else:
        message = _(
            "这个文件的条目（列表项和“键: 值”）超过 {entries} 个，到这里为止，文件没有读取：请把内容拆到几个文件里（如按期次分开报表），上限在 site.yaml 的 limits 里设置",
            entries=bounds.entries,
        )
    return Diagnostic("L009", where, message)


def _refused_characters(located: Located, most: int = 20) -> list[Diagnostic]:
    """Each character the text rule refuses anywhere in a file YAML would not read, placed."""
    found = []
    for flaw in chars.flaws(located.text, one_line=False)[:most]:
        found.append(Diagnostic(flaw.code, located.location_of(flaw.index), flaw.message(False)))
    return found


# PyYAML's words for a problem -> what it means to a clerk and what to do
_SYNTAX = [
    (
        "mapping values are not allowed",
        N_(
            "这一行的“键: 值”放错了地方：多半是缩进没对齐，或者值里有“: ”（这时请给整个值加英文双引号）"
        ),
    ),
    ("could not find expected ':'", N_("这一行少了英文冒号：键和值之间要写“: ”（冒号后空一格）")),
    (
        "did not find expected key",
        N_("缩进没有对齐：同一级的键要从同一列开始，每一级多缩进两个空格"),
    ),
    (
        "did not find expected '-' indicator",
        N_("列表没有对齐：同一个列表的每一项“- ”要从同一列开始"),
    ),
    ("expected <block end>", N_("缩进没有对齐：这一行比上面同一级的行多了或少了空格")),
    ("found unexpected end of stream", N_("引号没有配对：这个值只有开头的引号，缺少结尾的引号")),
    (
        "found unknown escape character",
        N_("双引号里的反斜杠“\\”有特殊含义：请改用单引号，或写成两个反斜杠“\\\\”"),
    ),
    ("expected ',' or ']'", N_("方括号 [ ] 里的各项要用英文逗号“,”分隔，并以“]”结束")),
    ("expected ',' or '}'", N_("花括号 { } 里的各项要用英文逗号“,”分隔，并以“}”结束")),
    ("that cannot start any token", N_("值不能以 @、` 或 % 开头：请给整个值加英文双引号")),
    ("found undefined alias", N_("不能用 * 开头的别名：以 * 开头的值请加英文双引号")),
    (
        "special characters are not allowed",
        N_("文件里有不可见的控制字符：请删掉它（常见于从网页或 Word 复制的文字）"),
    ),
]


def _syntax_message(exc: yaml.YAMLError) -> str:
    """A YAML syntax error in the clerk's words."""
    said = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''} {exc}"
    for words, meaning in _SYNTAX:
        if words in said:
            return _(meaning)
    return _("YAML 写法有误：请检查这一行和上一行的缩进（只用空格）、英文冒号和引号")


def read_text(
    path: Path, display: str, bounds: Bounds = BOUNDS
) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 file (a BOM is allowed) through no link and within the size bound;
    report instead of raising, naming another encoding."""
    try:
        data = tree.read_bytes(path, len(PurePosixPath(display).parts), bounds.size)
    except tree.NotPlain as exc:
        return None, [not_plain(exc, path, display)]
    except tree.TooLarge as exc:
        size, limit = f"{exc.size / 1048576:.1f}", f"{bounds.size / 1048576:g}"
        message = _(
            "文件有 {size} MB，超过每个文件 {limit} MB 的上限，没有读取：请把内容拆开，或检查是不是放错了文件（上限在 site.yaml 的 limits 里设置）",
            size=size,
            limit=limit,
        )
        return None, [Diagnostic("L009", Location(display, 1, 1), message)]
    except OSError as exc:
        message = _("无法读取这个文件：{reason}", reason=exc.strerror or exc)
        return None, [Diagnostic("L003", Location(display, 1, 1), message)]
    known = mistakes.encoding(data)
    if known is not None:
        return None, [Diagnostic("L003", Location(display, known[0], 1), known[1])]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = _(
            "第 {line} 行有无法按 UTF-8 读取的字节：请用编辑器“另存为”，编码选“UTF-8”后保存",
            line=line,
        )
        return None, [Diagnostic("L003", Location(display, line, 1), message)]


def not_plain(exc: tree.NotPlain, path: Path, display: str) -> Diagnostic:
    """L008 for a link (or a pipe, a device) met on the way to ``display``, named by its path."""
    depth = len(PurePosixPath(display).parts)
    base = path.parents[depth - 1] if depth <= len(path.parents) else Path("/")
    try:
        shown = Path(exc.path).relative_to(base).as_posix()
    except ValueError:
        shown = display
    return Diagnostic("L008", Location(shown, 1, 1), link_message(exc.link))


def link_message(link: bool) -> str:
    """Why a link (or a pipe, a device) is not read, and what to do."""
    if link:
        return _(
            "这是一个符号链接，没有读取（链接可能指向站点以外的文件）：请把链接删掉，换成真正的文件或目录"
        )
    return _("这不是普通文件（是管道、设备等），没有读取：请删掉它，换成普通的文本文件")


def load_file(
    path: Path, display: str, bounds: Bounds = BOUNDS
) -> tuple[Located, list[Diagnostic]]:
    """Load one YAML file; ``display`` is the path shown in diagnostics (relative to the
    site, so no link is followed below it)."""
    text, problems = read_text(path, display, bounds)
    if text is None:
        return Located(display, None), problems
    return load_text(text, display, bounds=bounds)

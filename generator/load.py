"""YAML -> plain data plus the source location of every value.

The values are built here from the events of PyYAML's C parser, in one pass
that also counts the file's bounds, so that duplicate keys are errors, numbers
with a fraction become exact ``Decimal`` from their source text (never
``float``), and anchors, aliases and custom tags, which make a ledger hard to
read, are refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any, cast

import yaml
from yaml.composer import ComposerError

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
    """How much one file may hold, checked as it is parsed, before any of it is kept
    (site.yaml's limits)."""

    size: int = 5 * 1024 * 1024  # bytes
    entries: int | None = 20_000  # list items and key-value pairs; None: not counted
    depth: int = 32  # levels of nesting: a real estate's files have about eight


BOUNDS = Bounds()
SNAPSHOT_BOUNDS = Bounds(size=20 * 1024 * 1024, entries=None)  # machine-written JSON


class Places(MutableMapping[DataPath, Location]):
    """Where each value (or each key) of one file is written, by its path.

    A file has thousands of values, and few of their places are ever shown. So the
    loader notes only the place of the whole file's value as it reads; the others are
    noted when one is first asked for, by reading the file again (``pending``, shared by
    the file's values, keys and spans). A place is noted as a (line, column) pair, and
    its ``Location`` made when it is asked for. A ``Location`` may be stored directly too
    (a Markdown file's body): it stands, whatever the second reading notes there.
    """

    __slots__ = ("file", "noted", "pending")

    def __init__(self, file: str, pending: list[Callable[[], None]] | None = None) -> None:
        self.file = file
        self.noted: dict[DataPath, Location | tuple[int, int]] = {}  # the loader writes here
        self.pending = [] if pending is None else pending  # the reading that notes the rest

    def everything(self) -> dict[DataPath, Location | tuple[int, int]]:
        """Every place noted, the rest read now if they were left for later."""
        if self.pending:
            self.pending.pop()()
        return self.noted

    def __getitem__(self, path: DataPath) -> Location:
        place = self.noted.get(path)
        if place is None:
            place = self.everything()[path]
        if isinstance(place, tuple):
            place = self.noted[path] = Location(self.file, *place)
        return place

    def get(self, path: DataPath, default: Any = None) -> Any:
        """The location at ``path``, or ``default``; without the exception ``Mapping.get`` uses."""
        if path not in self.noted and path not in self.everything():
            return default
        return self[path]

    def __setitem__(self, path: DataPath, location: Location) -> None:
        self.noted[path] = location

    def __delitem__(self, path: DataPath) -> None:
        del self.everything()[path]

    def __contains__(self, path: object) -> bool:
        return path in self.noted or path in self.everything()

    def __iter__(self) -> Iterator[DataPath]:
        return iter(self.everything())

    def __len__(self) -> int:
        return len(self.everything())

    def __repr__(self) -> str:
        return repr(dict(self.items()))


@dataclass
class Located:
    """Data read from one file, with the location of each value and each key."""

    file: str
    data: Any
    values: MutableMapping[DataPath, Location] = field(default_factory=dict)
    keys: MutableMapping[DataPath, Location] = field(default_factory=dict)
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
        if isinstance(self.values, Places):
            self.values.everything()  # the spans are noted with the places
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


_STR = _TAG + "str"
_MERGE = _TAG + "merge"
_UNTAGGED = (None, "!")  # no tag, or "!" alone: the composer resolves these
_COLLECTION_TAGS = (*_UNTAGGED, _TAG + "map", _TAG + "seq")  # a list or mapping left as it is
_REFUSED = object()  # a scalar whose tag the loader does not read


# the SafeLoader's implicit resolvers (both loaders' resolver is yaml.resolver.Resolver), by
# the first character of a plain scalar ('' for an empty one), each list followed by the
# rules for any first character, in the order PyYAML tries them
_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = (
    yaml.resolver.Resolver.yaml_implicit_resolvers
)
_ANYWHERE = _RESOLVERS.get(None, [])
_IMPLICIT = {first: [*rules, *_ANYWHERE] for first, rules in _RESOLVERS.items() if first}
_IMPLICIT[""] = [*_RESOLVERS.get("", []), *_ANYWHERE]


def _scalar_tag(event: yaml.ScalarEvent) -> str:
    """The tag PyYAML's composer gives a scalar: its own tag, else what the SafeLoader's
    resolver reads a plain one as (int, float, bool, null, timestamp ...); a quoted one is str."""
    tag = event.tag
    if tag not in _UNTAGGED:
        return tag
    if not event.implicit[0]:
        return _STR
    text = event.value
    for resolved, pattern in _IMPLICIT.get(text[:1], _ANYWHERE):
        if pattern.match(text):
            return resolved
    return _STR


def _typed(tag: str, text: str) -> Any:
    """A scalar's value by its tag, or _REFUSED for a tag the loader does not read."""
    if tag == _STR:
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
    return _REFUSED


def _alias_refused(path: DataPath) -> str:
    return _("{path}：不能用别名（*名称）引用别处的值：请把值完整地写出来", path=dotted(path))


def _key_refused(path: DataPath) -> str:
    return _(
        "{path}：键只能是普通的名字（不能用 << 合并键，也不能用列表或“? ”作键）",
        path=dotted(path),
    )


def _key_twice(path: DataPath, key: str, first: Location) -> str:
    return _(
        "{path}：“{key}”写了两次（第一次在第 {line} 行）：同一级里每个键只能写一次，请删掉一个或合并成一个",
        path=dotted(path),
        key=key,
        line=first.line,
    )


def _tag_refused(path: DataPath, tag: str) -> str:
    """A tag (!name, !!python/…) is refused; the value it marks is not judged again."""
    return _(
        "{path}：不能用 {tag} 这样的类型标签：直接写值",
        path=dotted(path),
        tag=tag.replace(_TAG, "!!"),
    )


def _located(file: str, text: str, line_offset: int) -> Located:
    """An empty ``Located`` for the loader to fill (see Places for when places are noted)."""
    pending: list[Callable[[], None]] = []  # values and keys: one reading notes both
    return Located(
        file, None, Places(file, pending), Places(file, pending), text=text, line_offset=line_offset
    )


def _note_places(located: Located, bounds: Bounds) -> Callable[[], None]:
    """The reading that notes every place of ``located``, as read by ``_Reader`` fast.
    It holds the file's text and the tables it fills, not ``located``, whose places hold
    it: no cycle, so a file no one asks a place of is freed as soon as it is let go."""
    text, file, line_offset = located.text, located.file, located.line_offset
    tables = (cast(Places, located.values).noted, cast(Places, located.keys).noted)
    spans = located.spans

    def note() -> None:
        read = _Reader(text, file, line_offset, bounds, noting=True).read()[0]
        for noted, found in zip(tables, (read.values, read.keys), strict=True):
            for path, place in cast(Places, found).noted.items():
                noted.setdefault(path, place)
        for path, span in read.spans.items():
            spans.setdefault(path, span)

    return note


_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODE_EVENTS = (_SCALAR, _MAPPING, _SEQUENCE, yaml.AliasEvent)


class _Open:
    """A list or mapping whose end has not come yet: what the bounds count in it, and
    where its values go."""

    __slots__ = ("container", "path", "mapping", "children", "key")

    def __init__(self, container: dict[str, Any] | list[Any] | None, path: DataPath, mapping: bool):
        self.container: Any = container  # the dict or list being filled; None: not built
        self.path = path
        self.mapping = mapping
        self.children = 0  # nodes so far; in a mapping a key and its value are two
        self.key: str | None = None  # the key of the value to come; None: that value is skipped


class _Reader:
    """One pass over the C parser's events: the bounds are counted, and the plain data,
    its locations and the loader's refusals are built, as the events come.

    The outcomes are those of counting the bounds over the whole stream first and then
    composing it with PyYAML: a bound reached before a syntax error is what is reported;
    else the first error the composer would meet (a syntax error, or a second document).
    A file with an anchor or an alias is read by the node path (``_compose``) once its
    bounds are counted: there an alias is the very node its anchor marks, which decides
    what is refused where; these are refused anyway, so they need not be fast.
    """

    def __init__(
        self, text: str, file: str, line_offset: int, bounds: Bounds, noting: bool = False
    ):
        self.text = text
        self.file = file
        self.line_offset = line_offset
        self.bounds = bounds
        self.located = located = _located(file, text, line_offset)
        values, keys = cast(Places, located.values), cast(Places, located.keys)
        self.values, self.keys = values.noted, keys.noted  # (line, column) pairs, noted fast
        self.spans = self.located.spans
        self.diagnostics: list[Diagnostic] = []
        self.building = True  # False past the first document, and once an anchor is met
        self.anchored = False  # an anchor or an alias: the node path reads the file
        self.noting = noting  # every place as it comes; else the whole file's alone (Places)
        if not noting:  # the rest when one is asked for (a key written twice asks at once)
            values.pending.append(_note_places(located, bounds))

    def read(self) -> tuple[Located, list[Diagnostic]]:
        loader = _Loader(self.text)
        try:
            outcome = self.walk(loader)
        finally:
            loader.dispose()
        if isinstance(outcome, Diagnostic):  # over a bound: not kept either
            return _located(self.file, "", self.line_offset), [outcome]
        if self.anchored:
            return _compose(self.text, self.file, self.line_offset)
        if outcome is not None:
            return _unread(outcome, self.text, self.file, self.line_offset)
        return self.located, self.diagnostics

    def walk(self, loader: Any) -> Diagnostic | yaml.YAMLError | None:
        """Every event in turn: L009 at the first bound reached, else the error composing
        the text would raise, else None (the data is built)."""
        bounds, depth = self.bounds, self.bounds.depth
        most = bounds.entries or 0  # 0: entries are not counted
        open_: list[_Open] = []
        entries = documents = 0
        second: yaml.YAMLError | None = None  # the composer's error for a second document
        root: Any = None  # where the first document's value starts
        next_event, place = loader.get_event, self.place
        while True:
            try:
                event = next_event()
            except yaml.YAMLError as exc:
                return exc if second is None else second
            kind = type(event)
            if kind in _ENDS:
                open_.pop()
                continue
            if kind not in _NODE_EVENTS:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents == 2:
                        self.building = False
                        second = ComposerError(
                            "expected a single document in the stream",
                            root,
                            "but found another document",
                            event.start_mark,
                        )
                elif kind is yaml.StreamEndEvent:
                    return second
                continue
            parent = open_[-1] if open_ else None
            if parent is not None:  # list items and keys are entries
                entries += not parent.mapping or parent.children % 2 == 0
                parent.children += 1
            elif root is None:
                root = event.start_mark
            opened = place(event, kind, parent)
            if opened is not None:
                open_.append(opened)
            if len(open_) > depth or (most and entries > most):
                return _bound_hit(event, self.file, self.line_offset, bounds, len(open_) > depth)

    def location(self, mark: Any) -> Location:
        return Location(self.file, *_line_column(mark, self.line_offset))

    def place(self, event: Any, kind: type, parent: _Open | None) -> _Open | None:
        """Build one node into its parent; return the frame of the list or mapping it opens."""
        path: DataPath
        if event.anchor is not None or not self.building:  # an alias's anchor is its name
            self.anchored = self.anchored or self.building
            self.building = False
            return _skipped(kind)
        if parent is None:
            path = ()
        elif parent.container is None:
            return _skipped(kind)
        elif not parent.mapping:
            path = (*parent.path, parent.children - 1)
        elif parent.children % 2:
            return self.key(event, kind, parent)
        elif parent.key is None:  # the value of a refused or repeated key
            return _skipped(kind)
        else:
            path = (*parent.path, parent.key)
        mark = event.start_mark
        noting = self.noting
        if noting or parent is None:  # the whole file's value: where its findings point
            self.values[path] = _line_column(mark, self.line_offset)
        opened = None
        if kind is _SCALAR:
            if noting:
                self.spans[path] = (mark.index, event.end_mark.index)
            tag = _scalar_tag(event)
            value = event.value if tag == _STR else _typed(tag, event.value)
            if value is _REFUSED:
                self.refuse_tag(tag, mark, path)
                value = event.value
        else:
            if event.tag not in _COLLECTION_TAGS:
                self.refuse_tag(event.tag, mark, path)
            value = {} if kind is _MAPPING else []
            opened = _Open(value, path, kind is _MAPPING)
        if parent is None:
            self.located.data = value
        elif parent.mapping:
            parent.container[parent.key] = value
        else:
            parent.container.append(value)
        return opened

    def key(self, event: Any, kind: type, parent: _Open) -> _Open | None:
        """A key of the mapping ``parent``: a plain name, once; a merge key (<<) or a list
        or mapping as a key is refused, and so is the value that follows a refused key."""
        parent.key = None
        if kind is _SCALAR and _scalar_tag(event) != _MERGE:
            key, path, mark = event.value, (*parent.path, event.value), event.start_mark
            if key in parent.container:
                first = self.located.keys[path]
                where = self.location(mark)
                self.diagnostics.append(Diagnostic("L002", where, _key_twice(path, key, first)))
                return None
            if self.noting:
                self.keys[path] = _line_column(mark, self.line_offset)
            parent.key = key
            return None
        where = self.location(event.start_mark)
        self.diagnostics.append(Diagnostic("L004", where, _key_refused(parent.path)))
        return _skipped(kind)

    def refuse_tag(self, tag: str, mark: Any, path: DataPath) -> None:
        where = self.location(mark)
        self.diagnostics.append(Diagnostic("L004", where, _tag_refused(path, tag)))
        self.located.refused.add(path)


def _line_column(mark: Any, line_offset: int) -> tuple[int, int]:
    """Where a parser's mark is, as a clerk counts: from line 1, column 1."""
    return mark.line + 1 + line_offset, mark.column + 1


def _skipped(kind: type) -> _Open | None:
    """The frame of a list or mapping that is counted but not built; None for a scalar."""
    if kind is _MAPPING or kind is _SEQUENCE:
        return _Open(None, (), kind is _MAPPING)
    return None


class _Builder:
    """The node path: values built from PyYAML's composed nodes, for a file with anchors or
    aliases, where an alias is the anchored node itself (refused where it is met again)."""

    def __init__(self, file: str, line_offset: int):
        self.file = file
        self.line_offset = line_offset
        self.located = _located(file, "", line_offset)
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[int] = set()

    def loc(self, node: yaml.Node) -> Location:
        return Location(self.file, *_line_column(node.start_mark, self.line_offset))

    def problem(self, code: str, node: yaml.Node, message: str) -> None:
        self.diagnostics.append(Diagnostic(code, self.loc(node), message))

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        if id(node) in self._seen:  # an alias: the composer hands back the anchored node
            where = self.located.where(path, key=True)
            self.diagnostics.append(Diagnostic("L004", where, _alias_refused(path)))
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
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                self.problem("L004", key_node, _key_refused(path))
                continue
            key = str(key_node.value)
            if key in result:
                first = self.located.keys[(*path, key)]
                self.problem("L002", key_node, _key_twice((*path, key), key, first))
                continue
            self.located.keys[(*path, key)] = self.loc(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def refuse_tag(self, node: yaml.Node, path: DataPath) -> None:
        self.problem("L004", node, _tag_refused(path, node.tag))
        self.located.refused.add(path)

    def scalar(self, node: yaml.ScalarNode, path: DataPath) -> Any:
        self.located.spans[path] = (node.start_mark.index, node.end_mark.index)
        value = _typed(node.tag, node.value)
        if value is _REFUSED:
            self.refuse_tag(node, path)
            return node.value
        return value


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
    """Parse YAML text within the bounds; return the located data and every problem found.

    The text is parsed once (see ``_Reader``); the outcomes are those of counting the
    bounds first and composing after."""
    return _Reader(text, file, line_offset, bounds).read()


def _compose(text: str, file: str, line_offset: int) -> tuple[Located, list[Diagnostic]]:
    """The node path: compose the text with PyYAML, then build the values from its nodes."""
    builder = _Builder(file, line_offset)
    builder.located.text = text
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return _unread(exc, text, file, line_offset)
    if node is not None:
        builder.located.data = builder.build(node, ())
    return builder.located, builder.diagnostics


def _unread(
    exc: yaml.YAMLError, text: str, file: str, line_offset: int
) -> tuple[Located, list[Diagnostic]]:
    """L001 for text YAML cannot read, placed at the slip that probably caused it; for
    characters YAML does not allow (a reader error), each of them."""
    located = _located(file, text, line_offset)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1) if mark else 1
        column = (mark.column + 1) if mark else 1
        slip = mistakes.syntax(text, line, column, line_offset)
        if slip is not None:
            line, column, message = slip
        else:
            message = _syntax_message(exc)
        where = Location(file, line + line_offset, column)
        return located, [Diagnostic("L001", where, message)]
    found = _refused_characters(located)
    return located, found or [
        Diagnostic("L001", Location(file, 1 + line_offset, 1), _syntax_message(exc))
    ]


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

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
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, Location

try:  # the C loader is about 7x faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

DataPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_PLAIN_DECIMAL = re.compile(r"[-+]?([0-9][0-9_]*)?\.?[0-9_]*([eE][-+]?[0-9]+)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


@dataclass
class Located:
    """Data read from one file, with the location of each value and each key."""

    file: str
    data: Any
    values: dict[DataPath, Location] = field(default_factory=dict)
    keys: dict[DataPath, Location] = field(default_factory=dict)

    def where(self, path: DataPath, key: bool = False) -> Location:
        """Return the location of a path, or of its nearest located ancestor."""
        table = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            loc = table.get(path[:cut]) or self.values.get(path[:cut])
            if loc is not None:
                return loc
        return Location(self.file, 1, 1)


class _Builder:
    def __init__(self, file: str, line_offset: int):
        self.file = file
        self.line_offset = line_offset
        self.located = Located(file, None)
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
            message = f"{dotted(path)}: aliases (*name) are not allowed; write the value out"
            self.diagnostics.append(Diagnostic("L004", where, message))
            return None
        self.located.values[path] = self.loc(node)
        self._seen.add(id(node))
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
                    f"{dotted(path)}: only plain keys are allowed (no merge keys or complex keys)",
                )
                continue
            key = str(key_node.value)
            if key in result:
                first = self.located.keys[(*path, key)]
                self.problem(
                    "L002",
                    key_node,
                    f"{dotted((*path, key))}: duplicate key '{key}' (first at line {first.line})",
                )
                continue
            self.located.keys[(*path, key)] = self.loc(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def scalar(self, node: yaml.ScalarNode, path: DataPath) -> Any:
        tag, text = node.tag, node.value
        if tag == _TAG + "str":
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return text.lower() in ("true", "yes", "on", "y")
        if tag == _TAG + "int":
            return int(text) if _PLAIN_INT.match(text) else text
        if tag == _TAG + "float":
            return _decimal(text)
        if tag == _TAG + "timestamp":
            return _date(text)
        self.problem("L004", node, f"{dotted(path)}: tag {tag} is not allowed")
        return text


def _decimal(text: str) -> Decimal | str:
    """Read a YAML float exactly; '.inf', '.nan' and sexagesimal stay text."""
    if not _PLAIN_DECIMAL.match(text):
        return text
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
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
    return out or "(document)"


def load_text(text: str, file: str, line_offset: int = 0) -> tuple[Located, list[Diagnostic]]:
    """Parse YAML text; return the located data and every problem found."""
    builder = _Builder(file, line_offset)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1
        column = (mark.column + 1) if mark else 1
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return builder.located, [Diagnostic("L001", Location(file, line, column), message)]
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        return builder.located, [Diagnostic("L001", Location(file, 1, 1), str(exc))]
    if node is not None:
        builder.located.data = builder.build(node, ())
    return builder.located, builder.diagnostics


def read_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 file (a BOM is allowed); report instead of raising."""
    try:
        return path.read_bytes().decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [
            Diagnostic(
                "L003",
                Location(display, 1, 1),
                f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            )
        ]
    except OSError as exc:
        return None, [Diagnostic("L003", Location(display, 1, 1), exc.strerror or str(exc))]


def load_file(path: Path, display: str) -> tuple[Located, list[Diagnostic]]:
    """Load one YAML file; ``display`` is the path shown in diagnostics."""
    text, problems = read_text(path, display)
    if text is None:
        return Located(display, None), problems
    return load_text(text, display)

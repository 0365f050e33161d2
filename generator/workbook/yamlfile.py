"""Writing an estate's YAML file from new data, keeping what people wrote in the old one.

A clerk's comments and layout are part of the file: ruamel.yaml reads it
as a tree that remembers them, only the values that differ are changed in
that tree, and it is written back. A value that did not change keeps its
text (``amount: 150`` stays ``150``), an entry keeps its comments and its
one-line ``{…}`` form, and a new entry takes the form of its neighbours.
Whether two values differ is decided on the model's values, so ``150`` and
``150.00`` are the same. A file that did not exist is written in the form
of the annotated template, with its ``$schema`` line.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from enum import Enum
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from ..diff import identity

_FLOW_TEXT = 12  # a one-line {…} entry holds numbers, dates and short words only


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line: a clerk's line stays one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    representer = yaml.representer
    assert isinstance(representer, RoundTripRepresenter)
    representer.add_representer(
        Decimal, lambda r, d: r.represent_scalar("tag:yaml.org,2002:float", str(d))
    )
    return yaml


def dump(node: Any) -> str:
    out = io.StringIO()
    _yaml().dump(node, out)
    return out.getvalue()


def updated(text: str, old: dict[str, Any], new: dict[str, Any], given: dict[str, Any]) -> str:
    """The file's text with the values where ``old`` and ``new`` differ replaced.

    ``old`` and ``new`` are the model's values of the file before and after
    (``model_dump``), ``given`` the values the new data states (unset ones
    left out), which are the ones written.
    """
    document = _yaml().load(text)
    return dump(_merge(document, old, new, given))


def fresh_text(given: dict[str, Any], schema_line: str) -> str:
    """A new file: its ``$schema`` line, then the data in the template's layout."""
    return f"{schema_line}\n\n" + dump(_node(given, None, top=True))


def _merge(node: Any, old: Any, new: Any, given: Any) -> Any:
    if isinstance(node, CommentedMap) and isinstance(new, dict) and isinstance(old, dict):
        return _merge_map(node, old, new, given if isinstance(given, dict) else {})
    listed = isinstance(node, CommentedSeq) and isinstance(new, list) and isinstance(old, list)
    if listed and new and all(isinstance(x, dict) for x in new):
        return _merge_list(node, old, new, given if isinstance(given, list) else new)
    return _node(given, node)


def _merge_map(
    node: CommentedMap, old: dict[str, Any], new: dict[str, Any], given: dict[str, Any]
) -> CommentedMap:
    for position, key in enumerate(new):
        if old.get(key) == new[key]:
            continue
        if key not in given:  # back to its default: the key goes
            if key in node:
                del node[key]
        elif key in node and old.get(key) is not None:
            node[key] = _merge(node[key], old[key], new[key], given[key])
        else:
            node.insert(_place(node, list(new), position), key, _node(given[key], _sibling(node)))
    return node


def _place(node: CommentedMap, order: list[str], position: int) -> int:
    """Where a new key goes: after the last key before it in the model's order."""
    earlier = [k for k in order[:position] if k in node]
    return list(node).index(earlier[-1]) + 1 if earlier else 0


def _merge_list(
    node: CommentedSeq, old: list[Any], new: list[Any], given: list[Any]
) -> CommentedSeq:
    before = {identity(item, i): i for i, item in enumerate(old)}
    after = [identity(item, j) for j, item in enumerate(new)]
    like = node[0] if len(node) else None
    if after == list(before):  # same entries in the same order: change them in place
        for j, item in enumerate(new):
            if old[j] != item:
                node[j] = _merge(node[j], old[j], item, given[j])
        return node
    merged = CommentedSeq()
    if node.fa.flow_style():
        merged.fa.set_flow_style()
    for j, (key, item) in enumerate(zip(after, new, strict=True)):
        i = before.get(key)
        if i is None:
            merged.append(_node(given[j], like))
            continue
        merged.append(node[i] if old[i] == item else _merge(node[i], old[i], item, given[j]))
        if i in node.ca.items:
            merged.ca.items[j] = node.ca.items[i]
    merged.ca.comment = node.ca.comment
    return merged


def _sibling(node: CommentedMap) -> Any:
    return next((v for v in node.values() if isinstance(v, CommentedMap)), None)


def _node(value: Any, like: Any, top: bool = False) -> Any:
    """A value as a YAML node; a mapping takes the one-line form of ``like`` or of its kind."""
    if isinstance(value, dict):
        node = CommentedMap((k, _node(v, None)) for k, v in value.items())
        flow = (
            like.fa.flow_style() if isinstance(like, CommentedMap) else (not top and _flat(value))
        )
        node.fa.set_flow_style() if flow else node.fa.set_block_style()
        return node
    if isinstance(value, list):
        first = like[0] if isinstance(like, CommentedSeq) and len(like) else None
        seq = CommentedSeq(_node(v, first) for v in value)
        if not value or not isinstance(value[0], dict):
            seq.fa.set_flow_style()
        return seq
    return _scalar(value)


def _flat(value: dict[str, Any]) -> bool:
    """Small mappings of numbers, dates and short words read best on one line."""
    return len(value) <= 6 and all(
        not isinstance(v, dict | list) and not (isinstance(v, str) and len(v) > _FLOW_TEXT)
        for v in value.values()
    )


def _scalar(value: Any) -> Any:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.datetime):  # pragma: no cover - the model holds dates only
        return value.date()
    return value

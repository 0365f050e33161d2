"""Semantic diff of an estate at two moments: matched by id, field by field. Pure functions.

Lists of objects are matched by identity, never by position: by ``id``, or
for objects without one by their natural key (``building``, ``category``,
``from``, ``label``, ``name``). Each change carries three paths: ``path`` names
items by identity (for people), ``at`` by list index in the data the change
is located in (the newer data, or the older one for a removal), ``near`` by
list index in the newer data: the change itself, or for a removal the
nearest part that is still there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from .model import EstateData

Kind = Literal["added", "removed", "changed"]
_KEYS = ("id", "building", "category", "from", "label", "name")


@dataclass(frozen=True)
class Change:
    kind: Kind
    path: tuple[str, ...]
    at: tuple[str | int, ...]
    old: Any = None
    new: Any = None
    near: tuple[str | int, ...] = ()

    @property
    def section(self) -> str:
        """'fees', 'contracts', … or 'accounts.maintenance_fund' for statements."""
        return ".".join(self.path[:2]) if self.path[0] == "accounts" else self.path[0]

    @property
    def delta(self) -> Decimal | None:
        """The change of an amount, for numbers changed in place."""
        if self.kind == "changed" and _number(self.old) and _number(self.new):
            return Decimal(self.new) - Decimal(self.old)
        return None

    @property
    def percent(self) -> Decimal | None:
        delta = self.delta
        if delta is None or not self.old:
            return None
        return (delta * 100 / Decimal(self.old)).quantize(Decimal("0.1"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": list(self.path),
            "old": _plain(self.old),
            "new": _plain(self.new),
            "delta": _plain(self.delta),
            "percent": _plain(self.percent),
        }


def _number(value: Any) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    """JSON-ready: amounts as exact strings, dates as ISO text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def tree(data: EstateData) -> dict[str, Any]:
    """The data as nested dicts, amounts and dates kept exact."""
    dumped: dict[str, Any] = data.model_dump(mode="python", by_alias=True)
    return dumped


def diff(old: EstateData, new: EstateData) -> list[Change]:
    """Every difference between two states of an estate, in a stable order."""
    return list(_walk(_tree_of(old), _tree_of(new), (), (), ()))


_DUMPED: list[tuple[EstateData, dict[str, Any]]] = []  # the last few trees diff made, newest last


def _tree_of(data: EstateData) -> dict[str, Any]:
    """tree(data), dumped once for consecutive diffs: an estate's history is diffed release
    by release, each release the newer side of one step and the older of the next.

    Kept by the model itself (frozen), not its id, and only the last few: nothing stale.
    """
    for held, dumped in _DUMPED:
        if held is data:
            return dumped
    dumped = tree(data)
    _DUMPED[:] = [*_DUMPED[-1:], (data, dumped)]
    return dumped


def identity(item: Any, index: int) -> str:
    """How a list's item is named in a change's path: its id, else its natural key, else its place."""
    if isinstance(item, dict):
        for key in _KEYS:
            if item.get(key) is not None:
                value = item[key]
                return value.isoformat() if isinstance(value, dt.date) else str(value)
    return f"#{index + 1}"


def _keyed(items: list[Any]) -> dict[str, tuple[int, Any]]:
    return {identity(item, i): (i, item) for i, item in enumerate(items)}


def _walk(
    old: Any,
    new: Any,
    path: tuple[str, ...],
    at_old: tuple[str | int, ...],
    at_new: tuple[str | int, ...],
) -> Any:
    if old == new:  # most of a release is as the last one was: compared whole, in C
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in new:
                yield Change("removed", (*path, key), (*at_old, key), old=old[key], near=at_new)
            elif key not in old:
                yield Change(
                    "added", (*path, key), (*at_new, key), new=new[key], near=(*at_new, key)
                )
            else:
                yield from _walk(old[key], new[key], (*path, key), (*at_old, key), (*at_new, key))
    elif isinstance(old, list) and isinstance(new, list) and (_objects(old) or _objects(new)):
        before, after = _keyed(old), _keyed(new)
        for key, (i, item) in before.items():
            if key not in after:
                yield Change("removed", (*path, key), (*at_old, i), old=item, near=at_new)
        for key, (j, item) in after.items():
            if key not in before:
                yield Change("added", (*path, key), (*at_new, j), new=item, near=(*at_new, j))
            else:
                i, previous = before[key]
                yield from _walk(previous, item, (*path, key), (*at_old, i), (*at_new, j))
    elif old != new:
        if old is None:
            yield Change("added", path, at_new, new=new, near=at_new)
        elif new is None:
            yield Change("removed", path, at_old, old=old, near=at_new)
        else:
            yield Change("changed", path, at_new, old=old, new=new, near=at_new)


def _objects(items: list[Any]) -> bool:
    return any(isinstance(item, dict) for item in items)

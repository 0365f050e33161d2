"""What a build made, kept as data beside the cache: never in the output, never a pickle.

A build's state names, for each estate, what its outputs were made from
(its fingerprint), the days they hold for, and its summary (build.EstateSummary),
so that the next build carries what did not change without reading it. It
lives in the site's ``.sunshine-cache/state/``, a folder per output folder,
one JSON file per estate and one for the site: loading one estate's record
does not load the others', and nothing in it is executed when read.

The JSON is tagged where plain JSON would lose a type (a date, an exact
amount, bytes (in base64), a tuple, a summary's own classes), and only the
classes named in ``KINDS`` can be made from it. A map of text to rows of
text and numbers (an estate's files, the build's file stats) is kept as
plain JSON, its rows tuples again when read.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import paths
from .tree import write_whole

KINDS: dict[str, type] = {}  # the classes a state may hold, by name (see register)


def register(kind: type) -> type:
    """Let a dataclass be kept in the state (a decorator)."""
    KINDS[kind.__name__] = kind
    return kind


def encode(value: Any) -> Any:
    """A value as tagged JSON: dates, amounts, bytes, tuples and registered dataclasses keep
    their type."""
    if value is None or isinstance(value, bool | int | str) and not hasattr(value, "value"):
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dt.date):
        return {"$t": value.isoformat()}
    if isinstance(value, tuple):
        return {"$u": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict) and _rows(value):  # as JSON has it, but its tuples
        return {"$r": value}
    if isinstance(value, dict):
        return {"$m": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and type(value).__name__ in KINDS:
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$c": type(value).__name__, "f": fields}
    if isinstance(value, str):  # a StrEnum member: its text is what pages show
        return str(value)
    raise TypeError(f"cannot keep {type(value).__name__} in a build's state")


def decode(value: Any) -> Any:
    """The value tagged JSON stands for (see encode)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$d" in value:
        return Decimal(value["$d"])
    if "$b" in value:
        return base64.b64decode(value["$b"], validate=True)
    if "$t" in value:
        return dt.date.fromisoformat(value["$t"])
    if "$u" in value:
        return tuple(decode(v) for v in value["$u"])
    if "$r" in value:
        rows = value["$r"]
        if not isinstance(rows, dict) or not all(isinstance(r, list) for r in rows.values()):
            raise ValueError("not a map of rows")
        return {k: tuple(row) for k, row in rows.items()}
    if "$m" in value:
        return {decode(k): decode(v) for k, v in value["$m"]}
    if "$c" in value:
        kind = KINDS[value["$c"]]  # a KeyError for a class not registered: nothing else is made
        return kind(**{name: decode(v) for name, v in value["f"].items()})
    raise ValueError(f"not a tagged value: {sorted(value)}")


def _rows(value: dict[Any, Any]) -> bool:
    """A map of text to tuples of text and whole numbers (a build's file stats, 40,000 at
    10,000 estates): kept as plain JSON, not tagged value by value."""
    return bool(value) and all(
        type(k) is str and type(v) is tuple and all(type(x) is str or type(x) is int for x in v)
        for k, v in value.items()
    )


def dumps(value: Any) -> bytes:
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> Any:
    return decode(json.loads(data))


class Store:
    """The state of one output folder: a site record and a record per estate."""

    def __init__(self, cache_folder: Path, out: Path):
        key = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
        self.folder = cache_folder / "state" / key
        self.out = out

    def site(self) -> dict[str, Any] | None:
        """The site's record, if the output is still the one it describes (its manifest's digest)."""
        record = self._read(self.folder / "site.json")
        if not isinstance(record, dict) or record.get("manifest") != self.manifest_digest():
            return None
        return record

    def estate(self, estate_id: str) -> dict[str, Any] | None:
        record = self._read(self.folder / "estates" / f"{estate_id}.json")
        return record if isinstance(record, dict) else None

    def summary_fields(self, estate_id: str, names: tuple[str, ...]) -> list[Any] | None:
        """Some fields of an estate's summary, the rest of its record left undecoded (data/
        reads each estate's tables so: a twentieth of the record)."""
        try:
            raw = json.loads((self.folder / "estates" / f"{estate_id}.json").read_bytes())
            summary = dict(raw["$m"])["summary"]
            if summary["$c"] != "EstateSummary":
                return None
            return [decode(summary["f"][name]) for name in names]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def estates(self) -> Iterator[str]:
        try:
            names = os.listdir(self.folder / "estates")
        except FileNotFoundError:
            return
        yield from sorted(n.removesuffix(".json") for n in names if n.endswith(".json"))

    def keep_estate(self, estate_id: str, record: dict[str, Any]) -> None:
        write_whole(self.folder / "estates" / f"{estate_id}.json", dumps(record))

    def drop_estate(self, estate_id: str) -> None:
        (self.folder / "estates" / f"{estate_id}.json").unlink(missing_ok=True)

    def keep_site(self, record: dict[str, Any]) -> None:
        """Written last: a site record names the output its estates' records describe."""
        write_whole(
            self.folder / "site.json", dumps({**record, "manifest": self.manifest_digest()})
        )

    def forget(self) -> None:
        """No record describes a half-changed output (written before the output changes)."""
        (self.folder / "site.json").unlink(missing_ok=True)

    def manifest_digest(self) -> str | None:
        try:  # in chunks: at 10,000 estates the manifest is 120 MB
            with (self.out / paths.MANIFEST).open("rb") as manifest:
                return hashlib.file_digest(manifest, "sha256").hexdigest()
        except OSError:
            return None

    @staticmethod
    def _read(path: Path) -> Any:
        try:
            return loads(path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            return None

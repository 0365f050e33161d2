"""Open data: a release as JSON, each of its tables as CSV, the manifest of every file."""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from ..views import View, public_data
from .tables import Table

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")  # a negative amount is a number, not a formula


def release_json(view: View) -> bytes:
    """The release's published data, with its metadata and the snapshot's hash."""
    document = {
        "format": "sunshine.release/1",
        "estate_id": view.estate_id,
        "release": view.release.model_dump(mode="json", by_alias=True) if view.release else None,
        "sha256": view.sha256,
        "fingerprint": view.fingerprint,
        "data": public_data(view.data),
    }
    return _json(document)


def _json(document: dict[str, Any]) -> bytes:
    """Compact, sorted JSON: the C encoder writes it, ten times faster than indented."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text[:1] in _FORMULA and not _NUMBER.match(text):
        return "'" + text
    return text


def csv_lines(rows: list[list[Any]]) -> bytes:
    """Rows as CSV lines, with no byte-order mark: a file's part (see table_csv)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8")


def csv_head(table: Table, header: str = "labels") -> bytes:
    """A CSV file's start: the byte-order mark, so Excel and WPS read the Chinese as UTF-8, and
    the header (Chinese labels, or the column ids)."""
    return BOM.encode("utf-8") + csv_lines([table.labels if header == "labels" else table.ids])


def table_csv(table: Table, rows: list[list[str]], header: str = "labels") -> bytes:
    """One table as CSV: a header (Chinese labels, or the column ids), then its rows."""
    return csv_head(table, header) + csv_lines(rows)


def write_manifest(blocks: list[tuple[str, bytes]], write: Callable[[bytes], object]) -> None:
    """Every published file with its size and SHA-256, sorted by path, written a block at a
    time: never joined in memory (at 10,000 estates the manifest is 120 MB).

    Made of blocks (see manifest_block), each the files of one folder, so
    an estate's block is written once, when the estate is rendered, and a
    build of one changed estate joins the rest as they were; kept compressed
    until written (pack_block). Bytes as ``json.dumps`` sorted and compact
    would give them; a test holds that.
    """
    write(b'{"files":{')
    for number, (_first, packed) in enumerate(sorted(blocks)):
        write(b"," + zlib.decompress(packed) if number else zlib.decompress(packed))
    write(b"}}\n")


def pack_block(block: tuple[str, str]) -> tuple[str, bytes]:
    """A block of the manifest as a build holds it: its text compressed (a third the size)."""
    first, text = block
    return first, zlib.compress(text.encode())


_ENTRY = re.compile(  # a JSON string unrolled ([^"\\]* between escapes): ten times the speed
    rb'"([^"\\]*(?:\\.[^"\\]*)*)":\{"bytes":([0-9]+),"sha256":"([0-9a-f]{64})"\}'
)


def manifest_shas(text: bytes) -> list[str]:
    """The SHA-256 of each file in some of the manifest's text."""
    return [sha.decode() for sha in _SHA.findall(text)]


_SHA = re.compile(rb'"sha256":"([0-9a-f]{64})"')


def manifest_entries(text: bytes) -> Iterator[tuple[str, int, str]]:
    """(path, bytes, sha256) of each file in some of the manifest's text, as write_manifest
    wrote it; an entry cut off at the end is left out."""
    for entry in _ENTRY.finditer(text):
        raw = entry[1]
        path = json.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode()
        yield path, int(entry[2]), entry[3].decode()


def manifest_block(digests: dict[str, tuple[int, str]]) -> tuple[str, str]:
    """The manifest's members for some files that sort together: (first path, JSON text)."""
    members = [
        f'{json.dumps(path, ensure_ascii=False)}:{{"bytes":{size},"sha256":"{digest}"}}'
        for path, (size, digest) in sorted(digests.items())
    ]
    return min(digests), ",".join(members)

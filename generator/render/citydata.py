"""The city's open data, data/: every estate's latest release as tidy tables, in CSV and SQLite.

Made from the estates' summaries alone: each summary carries its latest
release's rows (pack), so an unchanged estate is not read again. The
same input gives the same bytes: rows in estate order, a SQLite file
written afresh and vacuumed, a zip whose members carry one fixed time.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import paths
from .opendata import csv_head, csv_lines
from .tables import TABLES, Rows

FOLDER = paths.DATA
DATABASE = "sunshine.db"
ARCHIVE = "sunshine-data.zip"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # zip's first day: no build's clock in the archive


def pack(rows: Rows) -> dict[str, bytes]:
    """An estate's rows, table by table, small enough to keep in its summary."""
    return {
        name: zlib.compress(json.dumps(table, ensure_ascii=False).encode("utf-8"))
        for name, table in rows.items()
        if table
    }


def pack_lines(rows: Rows) -> dict[str, bytes]:
    """An estate's rows as the lines of the city's CSV files, table by table, compressed: the
    city's CSVs join them as they are, and only a changed estate's are written again."""
    return {name: zlib.compress(csv_lines(table)) for name, table in rows.items() if table}


def unpack(packed: bytes) -> list[list[str]]:
    rows: list[list[str]] = json.loads(zlib.decompress(packed))
    return rows


def database(packs: Iterable[dict[str, bytes]], path: Path) -> None:
    """The tables as one SQLite file at ``path``; ``packs``: each estate's tables (see pack),
    in order (see Tables)."""
    with Tables(path) as db:
        for packed in packs:
            db.insert(packed)


class Tables:
    """The SQLite file of data/ (sqlite-utils), put in one estate at a time: every column
    TEXT, exact as published; notices searchable by title and body (FTS5, trigram: any
    three characters), indexed when the last estate is in, and the file vacuumed."""

    def __init__(self, path: Path):
        import sqlite_utils  # here, not at the top: it brings click, which importing the library must not

        self.db = sqlite_utils.Database(path)
        self.inserts = {}
        for name, table in TABLES.items():
            self.db[name].create(dict.fromkeys(table.ids, str))  # type: ignore[union-attr]
            names = ", ".join(f"[{c}]" for c in table.ids)
            marks = ", ".join("?" * len(table.ids))
            self.inserts[name] = f"INSERT INTO [{name}] ({names}) VALUES ({marks})"

    def insert(self, packed: dict[str, bytes]) -> None:
        """One estate's rows, a statement a table: insert_all makes a dict of each of a
        city's half a million rows and takes ten times as long."""
        with self.db.conn:
            for name, insert in self.inserts.items():
                if name in packed:
                    self.db.conn.executemany(insert, unpack(packed[name]))

    def __enter__(self) -> Tables:
        return self

    def __exit__(self, kind: object, *_rest: object) -> None:
        if kind is None:
            for name, table in TABLES.items():
                if table.text_search:
                    self.db[name].enable_fts(list(table.text_search), tokenize="trigram")  # type: ignore[union-attr]
            self.db.vacuum()
        self.db.close()


def metadata(title: str, base: str) -> dict[str, Any]:
    """Datasette's metadata.json: each table and column described, in Chinese."""
    return {
        "title": f"{title} · 开放数据",
        "source": title,
        "source_url": base,
        "databases": {
            DATABASE.removesuffix(".db"): {
                "tables": {
                    name: {
                        "description": f"{t.title}：每行是{t.row}",
                        "columns": dict(t.columns),
                        **({"fts_table": f"{name}_fts"} if t.text_search else {}),
                    }
                    for name, t in TABLES.items()
                }
            }
        },
    }


def estates_json(summaries: list[Any], base: str) -> dict[str, Any]:
    """The machine-readable list of estates: where each is, its latest release, its figures."""
    listed = []
    for s in summaries:
        f = s.figures
        listed.append(
            {
                "id": s.id, "name": s.name, "city": s.city, "district": s.district,
                "street": s.street, "community": s.community, "address": s.address,
                "latest_release_date": s.latest_day.isoformat() if s.latest_day else None,
                "url": f"{base}{s.id}/", "figures": {k: str(v) for k, v in f.values.items()} if f else {},
            }
        )  # fmt: skip
    return {"format": "sunshine.estates/1", "estates": listed}


def _json(document: Any) -> bytes:
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1)
    return (text + "\n").encode("utf-8")


def city_files(
    packs: Callable[[], Iterator[tuple[dict[str, bytes], dict[str, bytes]]]],
    title: str,
    base: str,
    schema: str,
    listed: dict[str, Any],
    folder: Path,
) -> dict[str, Path]:
    """data/, written into ``folder`` a file at a time (at 10,000 estates it is about a
    gigabyte, more than a build may hold): a CSV a table, the SQLite file and its
    metadata.json, estates.json (``listed``, see estates_json), and a zip of all.
    ``packs``: each estate's CSV lines and tables (see pack_lines, pack), in order, read
    once, one estate at a time."""
    made = {f"{FOLDER}{name}.csv": folder / f"{name}.csv" for name in TABLES}
    made[f"{FOLDER}{DATABASE}"] = folder / DATABASE
    with contextlib.ExitStack() as files, Tables(folder / DATABASE) as db:
        csvs = {
            name: files.enter_context(made[f"{FOLDER}{name}.csv"].open("wb")) for name in TABLES
        }
        for name, table in TABLES.items():
            csvs[name].write(csv_head(table, header="ids"))
        for lines, tables in packs():
            for name, out in csvs.items():
                if name in lines:
                    out.write(zlib.decompress(lines[name]))
            db.insert(tables)
    for name, data in (
        ("metadata.json", _json(metadata(title, base))),
        ("estates.json", _json(listed)),
        ("README.md", schema.encode("utf-8")),
    ):
        made[f"{FOLDER}{name}"] = folder / name
        (folder / name).write_bytes(data)
    made[f"{FOLDER}{ARCHIVE}"] = folder / ARCHIVE
    archive(made, folder / ARCHIVE)
    return made


def archive(files: dict[str, Path], target: Path) -> None:
    """One zip of the files (by their names in data/, but ``target`` itself), in name
    order, each stamped with the same time, copied in a megabyte at a time."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, path in sorted(files.items()):
            if path == target:
                continue
            member = zipfile.ZipInfo(name.removeprefix(FOLDER), date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.file_size = path.stat().st_size  # zipfile marks a large one Zip64 from it
            with path.open("rb") as source, zipped.open(member, "w") as into:
                shutil.copyfileobj(source, into, 1 << 20)


def schema_markdown() -> str:
    """Each table's columns, as docs/data.md and data/README.md list them."""
    parts = []
    for name, t in TABLES.items():
        parts.append(f"### `{name}` · {t.title}\n\n每行是{t.row}。\n")
        parts.append("| column | 含义 |\n|---|---|")
        parts += [f"| `{c}` | {label} |" for c, label in t.columns]
        parts.append("")
    return "\n".join(parts)


def search_index(summaries: list[Any]) -> bytes:
    """What the index's search looks in, loaded when a resident starts typing.

    Each estate: its id, name, where it is (city, district, street, community,
    address) and its name, street and community in pinyin, whole and by initials;
    each notice of its latest release: the estate's place in that list, its id, its title.
    """
    estates = [
        [s.id, s.name, f"{s.city}{s.district}{s.street}{s.community}{s.address}", *s.pinyin]
        for s in summaries
    ]
    notices = [[i, nid, title] for i, s in enumerate(summaries) for nid, title in s.notices]
    text = json.dumps(
        {"estates": estates, "notices": notices}, ensure_ascii=False, separators=(",", ":")
    )
    return text.encode("utf-8")

"""The city's open data (data/) and each release's tidy CSVs, read back as a researcher would."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from generator.render.citydata import DATABASE, archive, database, pack, schema_markdown
from generator.render.tables import TABLES

from .conftest import REPO


def read_csv(path: Path) -> list[list[str]]:
    """A CSV as Excel or WPS reads it: a BOM, UTF-8, one rectangular table under its header."""
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()), path
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8").removeprefix("\ufeff"))))
    assert rows and all(len(row) == len(rows[0]) for row in rows), path
    assert all(cell.strip() for cell in rows[0]), path  # a header, every column named
    return rows


def test_every_csv_is_one_rectangular_table_with_a_header(demo_build: Path) -> None:
    files = sorted(demo_build.rglob("*.csv"))
    assert len(files) > 50
    for path in files:
        rows = read_csv(path)
        table = TABLES[path.stem]
        assert rows[0] in (table.ids, table.labels)  # city: column ids; a release: Chinese labels
        assert len(rows) > 1, path  # a release writes only the tables it has


def test_a_release_csv_names_its_estate_release_and_period(demo_build: Path) -> None:
    folder = demo_build / "jia-he-jin-yuan" / "releases" / "2026-h1" / "csv"
    rows = read_csv(folder / "fund_entries.csv")
    assert rows[0][:3] == ["小区编号", "期次编号", "报表期间编号"]
    assert {tuple(r[:2]) for r in rows[1:]} == {("jia-he-jin-yuan", "2026-h1")}
    assert {r[2] for r in rows[1:]} >= {"2025-h2", "2026-h1"}
    assert {p.stem for p in folder.iterdir()} >= {"fees", "contracts", "votes", "services"}


def test_the_sqlite_file_holds_the_csvs_row_for_row_with_exact_amounts(demo_build: Path) -> None:
    data = demo_build / "data"
    with sqlite3.connect(data / DATABASE) as db:
        for name in TABLES:
            rows = read_csv(data / f"{name}.csv")
            stored = db.execute(f"select * from [{name}]").fetchall()  # noqa: S608 - our names
            assert len(stored) == len(rows) - 1, name
            assert [d[0] for d in db.execute(f"select * from [{name}]").description] == rows[0]
        amounts = db.execute("select amount, typeof(amount) from fund_entries").fetchall()
        assert amounts and {kind for _, kind in amounts} == {"text"}  # exact: TEXT, as published
        csv_amounts = [
            r[rows_index("fund_entries", "amount")] for r in read_csv(data / "fund_entries.csv")[1:]
        ]
        assert [a for a, _ in amounts] == csv_amounts
        found = db.execute(
            "select notice, title from notices where rowid in "
            "(select rowid from notices_fts where notices_fts match ?)",
            ["维修资金"],
        ).fetchall()
        assert found  # full-text search over the notices, Chinese by any three characters


def rows_index(table: str, column: str) -> int:
    return TABLES[table].ids.index(column)


def test_estates_json_lists_every_estate_with_its_figures(demo_build: Path) -> None:
    listed = json.loads((demo_build / "data" / "estates.json").read_bytes())
    assert listed["format"] == "sunshine.estates/1"
    ids = sorted(e["id"] for e in listed["estates"])
    assert ids == sorted(p.name for p in (REPO / "content").iterdir() if p.is_dir())
    jia = next(e for e in listed["estates"] if e["id"] == "jia-he-jin-yuan")
    assert jia["city"] == "嘉兴市" and jia["url"] == "https://sunshine.example.org/jia-he-jin-yuan/"
    assert jia["figures"]["fee_residential"] == "2.10"


def test_the_zip_holds_every_data_file_and_the_manifest_lists_them(demo_build: Path) -> None:
    data = demo_build / "data"
    zipped = zipfile.ZipFile(data / "sunshine-data.zip")
    names = sorted(zipped.namelist())
    assert names == sorted(p.name for p in data.iterdir() if p.name != "sunshine-data.zip")
    assert zipped.read("estates.json") == (data / "estates.json").read_bytes()
    assert {i.date_time for i in zipped.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    manifest = json.loads((demo_build / "manifest.json").read_bytes())["files"]
    assert {f"data/{n}" for n in names} | {"data/sunshine-data.zip"} <= set(manifest)


def test_the_same_rows_give_the_same_database_and_zip_bytes(tmp_path: Path) -> None:
    notice = ["x", "r1", "n1", "2026-01-01", "其他", "标题", "", "", "正文 =1+1"]
    packs = [pack({"notices": [notice]}), {}, pack({"notices": [[*notice[:2], "n2", *notice[3:]]]})]
    made = []
    for twice in ("a", "b"):
        (tmp_path / twice).mkdir()
        database(packs, tmp_path / twice / DATABASE)
        (tmp_path / twice / "a.csv").write_bytes(b"1")
        files = {"data/a.csv": tmp_path / twice / "a.csv", DATABASE: tmp_path / twice / DATABASE}
        archive(files, tmp_path / twice / "all.zip")
        made.append([(tmp_path / twice / n).read_bytes() for n in (DATABASE, "all.zip")])
    assert made[0] == made[1]
    with sqlite3.connect(tmp_path / "a" / DATABASE) as db:
        assert [r[0] for r in db.execute("SELECT notice FROM notices")] == ["n1", "n2"]
    zipped = zipfile.ZipFile(tmp_path / "a" / "all.zip")
    assert zipped.read("a.csv") == b"1" and zipped.read(DATABASE) == made[0][0]


def test_the_schema_of_every_table_is_documented() -> None:
    text = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    assert schema_markdown() in text


def test_datasette_serves_the_database_with_its_metadata(demo_build: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    data = demo_build / "data"
    metadata = json.loads((data / "metadata.json").read_bytes())
    app = datasette_app.Datasette([str(data / DATABASE)], metadata=metadata)
    import asyncio

    async def ask(path: str) -> object:
        response = await app.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    served = asyncio.run(ask("/sunshine/estates.json?_shape=array"))
    assert sorted(e["estate"] for e in served) == sorted(
        p.name for p in (REPO / "content").iterdir() if p.is_dir()
    )
    found = asyncio.run(ask("/sunshine/notices.json?_search=维修资金&_shape=array"))
    assert found and all("维修资金" in n["title"] + n["body"] for n in found)

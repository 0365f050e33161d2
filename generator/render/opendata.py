"""Open data: a release as JSON, each statement as CSV, the manifest of every file."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..model.accounts import ComplaintStatement, FeeStatement, FundStatement, RevenueStatement
from ..views import View, public_data

BOM = "\ufeff"


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
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    out.write(BOM)  # so Excel and WPS read the Chinese as UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8")


def statement_csv(
    statement: FundStatement | RevenueStatement | FeeStatement | ComplaintStatement,
    buildings: dict[str, str],
) -> bytes:
    """One statement as CSV: its lines, then its totals; buildings by name (id -> name)."""
    if isinstance(statement, FeeStatement):
        return _fee_csv(statement)
    if isinstance(statement, ComplaintStatement):
        return _complaint_csv(statement)
    rows: list[list[Any]] = [["类型", "编号", "日期", "类别", "摘要", "金额（元）"]]
    rows.append(["期初余额", "", statement.period.start, "", "", statement.opening])
    rows += [["收入", e.id, e.date, e.category, e.summary, e.amount] for e in statement.income]
    rows += [["支出", e.id, e.date, e.category, e.summary, e.amount] for e in statement.expenditure]
    rows.append(["期末余额", "", statement.period.end, "", "", statement.closing])
    if isinstance(statement, FundStatement) and statement.buildings:
        rows.append([])
        rows.append(["楼幢", "期初余额", "本期收入", "本期支出", "期末余额"])
        rows += [
            [buildings.get(b.building, b.building), b.opening, b.income, b.expenditure, b.closing]
            for b in statement.buildings
        ]
    return _csv(rows)


def _fee_csv(statement: FeeStatement) -> bytes:
    rows: list[list[Any]] = [
        ["物业类型", "计费面积（㎡）", "应收（元）", "实收（元）", "收缴率（%）"]
    ]
    rows += [[c.label, c.area, c.receivable, c.received, c.rate] for c in statement.collection]
    rows.append([])
    rows.append(["项目", "金额（元）", "预算（元）"])
    rows.append(["追缴以前年度欠费", statement.arrears_recovered, ""])
    rows += [[f"其他收入：{e.summary}", e.amount, ""] for e in statement.other_income]
    rows += [[c.category, c.amount, c.budget] for c in statement.expenditure]
    if statement.commission:
        rows.append(["酬金", statement.commission.amount, ""])
    rows.append(["结余", statement.surplus, ""])
    return _csv(rows)


def _complaint_csv(statement: ComplaintStatement) -> bytes:
    """A complaint statement: its totals, then its categories (counts of cases)."""
    st = statement
    rows: list[list[Any]] = [
        ["期间", "上期未办结（件）", "本期受理（件）", "本期办结（件）", "期末仍在办理（件）"]
    ]
    rows.append(
        [f"{st.period.start}至{st.period.end}", st.opening, st.received, st.resolved, st.closing]
    )
    rows.append([])
    rows.append(["办结用时中位数（天）", "按时办结（件）", "回访满意（件）"])
    rows.append([st.median_days, st.in_time, st.satisfied])
    if st.by_category:
        rows.append([])
        rows.append(["类别", "受理（件）", "办结（件）"])
        rows += [[c.category, c.received, c.resolved] for c in st.by_category]
    return _csv(rows)


def manifest(blocks: list[tuple[str, str]]) -> bytes:
    """Every published file with its size and SHA-256, sorted by path.

    Made of blocks (see manifest_block), each the files of one folder, so
    an estate's block is written once, when the estate is rendered, and a
    build of one changed estate joins the rest as they were. Bytes as
    ``json.dumps`` sorted and compact would give them; a test holds that.
    """
    members = ",".join(text for _, text in sorted(blocks))
    return f'{{"files":{{{members}}}}}\n'.encode()


def manifest_block(digests: dict[str, tuple[int, str]]) -> tuple[str, str]:
    """The manifest's members for some files that sort together: (first path, JSON text)."""
    members = [
        f'{json.dumps(path, ensure_ascii=False)}:{{"bytes":{size},"sha256":"{digest}"}}'
        for path, (size, digest) in sorted(digests.items())
    ]
    return min(digests), ",".join(members)
